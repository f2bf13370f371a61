//! Starts the real `fake-qase` binary on a free port and talks to it over HTTP.

#![allow(dead_code)] // each test file uses a different part of this helper

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};

use serde_json::{Value, json};
use ureq::Agent;

pub const TOKEN: &str = "test-token-9f2c";

/// One running server; killed when dropped.
pub struct Server {
    pub url: String,
    child: Child,
    stdin: Option<ChildStdin>,
    agent: Agent,
}

/// An answer: status, `Retry-After` header, JSON body (`null` if not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Value,
}

impl Server {
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// Starts with extra CLI arguments after `--token TOKEN` (and `--port 0` unless the
    /// arguments name a port).
    pub fn start_with(args: &[&str]) -> Server {
        let port: &[&str] = match args.contains(&"--port") {
            true => &[],
            false => &["--port", "0"],
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_fake-qase"))
            .args(["--token", TOKEN])
            .args(port)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the fake-qase binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the first stdout line is readable");
        let url = line
            .trim_end()
            .strip_prefix("fake-qase listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        let agent = agent(0);
        let stdin = child.stdin.take();
        Server {
            url,
            child,
            stdin,
            agent,
        }
    }

    /// Sends a request with the right token.
    pub fn api(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        self.request(method, path, Some(TOKEN), body)
            .unwrap_or_else(|e| panic!("{method} {path}: no answer: {e}"))
    }

    /// Sends a request; `Err` when the connection ended without an answer.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Result<Answer, ureq::Error> {
        let url = format!("{}{path}", self.url);
        let response = match (method, body) {
            ("GET", _) => with_token(self.agent.get(&url), token).call(),
            ("PUT", Some(body)) => with_token(self.agent.put(&url), token).send_json(body),
            ("POST", Some(body)) => with_token(self.agent.post(&url), token).send_json(body),
            ("POST", None) => with_token(self.agent.post(&url), token).send_empty(),
            other => panic!("unsupported request {other:?}"),
        };
        let mut response = response?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap_or_default().to_owned());
        let text = response.body_mut().read_to_string()?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }

    /// Sends raw bytes as a POST body with the right token.
    pub fn post_raw(&self, path: &str, body: &str) -> Answer {
        let url = format!("{}{path}", self.url);
        let mut response = self
            .agent
            .post(&url)
            .header("Token", TOKEN)
            .header("Content-Type", "application/json")
            .send(body)
            .expect("an answer");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().expect("a body");
        Answer {
            status,
            retry_after: None,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    /// A control API request (no token), e.g. `control("POST", "reset", None)`.
    pub fn control(&self, method: &str, route: &str, body: Option<Value>) -> Answer {
        let path = format!("/__control/{route}");
        self.request(method, &path, None, body)
            .unwrap_or_else(|e| panic!("{method} {path}: no answer: {e}"))
    }

    pub fn state(&self) -> Value {
        let answer = self.control("GET", "state", None);
        assert_eq!(answer.status, 200);
        answer.body
    }

    pub fn set_faults(&self, faults: Value) -> Answer {
        self.control("PUT", "faults", Some(faults))
    }

    /// Creates a run in DEMO and returns its id.
    pub fn create_run(&self) -> u64 {
        let answer = self.api("POST", "/v1/run/DEMO", Some(json!({"title": "Run"})));
        assert_eq!(answer.status, 200, "{:?}", answer.body);
        answer.body["result"]["id"].as_u64().expect("a run id")
    }

    /// Uploads results into a DEMO run.
    pub fn upload(&self, run: u64, results: Vec<Value>) -> Answer {
        let path = format!("/v2/DEMO/run/{run}/results");
        self.api("POST", &path, Some(json!({ "results": results })))
    }

    /// Closes the server's stdin (it exits if started with `--exit-on-stdin-close`).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits for the process to exit and returns its exit code.
    pub fn wait(&mut self) -> Option<i32> {
        self.child.wait().expect("wait for the server").code()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn with_token<B>(request: ureq::RequestBuilder<B>, token: Option<&str>) -> ureq::RequestBuilder<B> {
    match token {
        Some(token) => request.header("Token", token),
        None => request,
    }
}

/// A client for the local server: statuses are answers, not errors; never through a proxy
/// from the environment. `max_idle` 0 opens a connection per request.
pub fn agent(max_idle: usize) -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .max_idle_connections(max_idle)
        .build()
        .into()
}

/// A minimal valid v2 result with an idempotency id.
pub fn result(id: &str, status: &str) -> Value {
    json!({"id": id, "title": format!("test {id}"), "execution": {"status": status}})
}

/// One field of every logged request of one endpoint, in order.
pub fn logged(state: &Value, endpoint: &str, field: &str) -> Vec<Value> {
    state["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .filter(|r| r["endpoint"] == endpoint)
        .map(|r| r[field].clone())
        .collect()
}

/// The `status` of every logged request of one endpoint, in order (`null` = dropped).
pub fn statuses(state: &Value, endpoint: &str) -> Vec<Value> {
    logged(state, endpoint, "status")
}

/// The ids of the results stored in the `index`-th run.
pub fn stored_ids(state: &Value, index: usize) -> Vec<Value> {
    state["runs"][index]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["id"].clone())
        .collect()
}
