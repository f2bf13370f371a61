//! The server as a hostile peer, over real sockets: it redirects, and still logs every
//! request (with whether it carried a token).
//!
//! Requests here go over a raw TCP socket, so the test sees exactly what the server sent
//! and when, with no client library following redirects or buffering on its behalf.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{Server, TOKEN, result};
use serde_json::{Value, json};

/// No test waits longer than this for anything; reaching it is a failure, not a pass.
const PATIENCE: Duration = Duration::from_secs(10);

/// Sends one request (`Connection: close`) and returns the open socket.
fn send(
    server: &Server,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> TcpStream {
    let address = server.url.strip_prefix("http://").expect("an http URL");
    let mut stream = TcpStream::connect(address).expect("the server accepts");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let token = token.map(|t| format!("Token: {t}\r\n")).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n{token}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    stream
}

/// A parsed status line and headers, and the body bytes that came in the same reads.
struct Head {
    status: u16,
    headers: Vec<(String, String)>,
    body_start: Vec<u8>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map(|(_, value)| value.as_str())
    }

    fn content_length(&self) -> usize {
        self.header("content-length")
            .expect("a Content-Length")
            .parse()
            .unwrap()
    }
}

/// Reads up to the end of the head.
fn read_head(stream: &mut TcpStream) -> Head {
    let mut buffer = Vec::new();
    let end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 1024];
        let read = stream.read(&mut chunk).expect("the head arrives");
        assert!(read > 0, "the connection closed before the head ended");
        buffer.extend_from_slice(&chunk[..read]);
    };
    let text = String::from_utf8(buffer[..end].to_vec()).unwrap();
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_owned(), value.trim().to_owned())
        })
        .collect();
    Head {
        status,
        headers,
        body_start: buffer[end + 4..].to_vec(),
    }
}

/// Reads a whole answer: the head, and the body to its `Content-Length`.
fn read_answer(stream: &mut TcpStream) -> (Head, Value) {
    let head = read_head(stream);
    let mut body = head.body_start.clone();
    let length = head.content_length();
    while body.len() < length {
        let mut chunk = [0u8; 1024];
        let read = stream.read(&mut chunk).expect("the body arrives");
        assert!(read > 0, "the connection closed before the body ended");
        body.extend_from_slice(&chunk[..read]);
    }
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (head, body)
}

fn upload_path(run: u64) -> String {
    format!("/v2/DEMO/run/{run}/results")
}

#[test]
fn a_redirect_answers_its_status_and_location_and_stores_nothing() {
    let server = Server::start();
    let id = server.create_run();
    let elsewhere = format!("http://127.0.0.1:9/v1/run/DEMO/{id}");
    server.set_faults(json!({
        "upload": {"redirect": {"requests": [1]}},
        "project": {"redirect": {"requests": [1], "status": 308, "location": "/v1/project/OTHER"}},
        "get_run": {"redirect": {"requests": [1], "status": 301, "location": elsewhere}},
        "complete": {"redirect": {"requests": [1], "status": 303}},
    }));
    let body = json!({"results": [result("a", "passed")]});
    let redirected = |method: &str, path: &str, body: Option<Value>| {
        let head = read_head(&mut send(&server, method, path, Some(TOKEN), body));
        (head.status, head.header("location").map(str::to_owned))
    };
    // Without a location: the same path and query, on the same server.
    let upload = format!("{}?attempt=1", upload_path(id));
    let complete = format!("/v1/run/DEMO/{id}/complete");
    assert_eq!(
        redirected("POST", &upload, Some(body)),
        (307, Some(upload.clone()))
    );
    assert_eq!(
        redirected("GET", "/v1/project/DEMO?x=1", None),
        (308, Some("/v1/project/OTHER".to_owned()))
    );
    assert_eq!(
        redirected("GET", &format!("/v1/run/DEMO/{id}"), None),
        (301, Some(elsewhere))
    );
    assert_eq!(redirected("POST", &complete, None), (303, Some(complete)));
    let state = server.state();
    let run = &state["runs"][0];
    assert_eq!(
        (&run["uploads"], &run["complete_calls"], &run["completed"]),
        (&json!(0), &json!(0), &json!(false))
    );
    let log: Vec<(Value, Value)> = state["requests"].as_array().unwrap()[1..]
        .iter()
        .map(|r| (r["status"].clone(), r["faults"].clone()))
        .collect();
    let redirect = json!(["redirect"]);
    assert_eq!(
        log,
        [
            (json!(307), redirect.clone()),
            (json!(308), redirect.clone()),
            (json!(301), redirect.clone()),
            (json!(303), redirect)
        ]
    );
}

#[test]
fn a_redirect_target_logs_whether_a_token_reached_it() {
    let origin = Server::start();
    let target = Server::start();
    let path = "/v1/project/DEMO";
    let elsewhere = format!("{}{path}", target.url);
    origin.set_faults(json!({"project": {"redirect": {"requests": [1], "location": elsewhere}}}));
    let head = read_head(&mut send(&origin, "GET", path, Some(TOKEN), None));
    assert_eq!(
        (head.status, head.header("location")),
        (307, Some(elsewhere.as_str()))
    );
    // A client that follows the redirect without the token, then one that carries it along.
    for token in [None, Some(TOKEN)] {
        read_answer(&mut send(&target, "GET", path, token, None));
    }
    let state = target.state();
    let log: Vec<(Value, Value)> = state["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["status"].clone(), r["token"].clone()))
        .collect();
    assert_eq!(log, [(json!(401), json!(false)), (json!(200), json!(true))]);
    assert!(!state.to_string().contains(TOKEN));
}
