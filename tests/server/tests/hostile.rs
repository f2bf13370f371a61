//! The server as a hostile peer, over real sockets: it hangs, drips its answers, redirects,
//! and still logs every request (with whether it carried a token) and stops at once.
//!
//! Requests here go over a raw TCP socket, so the test sees exactly what the server sent
//! and when, with no client library following redirects or buffering on its behalf.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

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

/// Whether the server sent nothing at all within `wait`.
fn silent_for(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut byte = [0u8; 1];
    let silent = match stream.read(&mut byte) {
        Err(e) => matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        Ok(_) => false,
    };
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    silent
}

/// Whether the server closed the connection (end of stream or reset) before `PATIENCE`.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(e) => e.kind() == ErrorKind::ConnectionReset,
    }
}

/// Polls the state until `ready` holds for it.
fn state_when(server: &Server, ready: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let state = server.state();
        if ready(&state) {
            return state;
        }
        assert!(start.elapsed() < PATIENCE, "state never got there: {state}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn upload_path(run: u64) -> String {
    format!("/v2/DEMO/run/{run}/results")
}

#[test]
fn a_hanging_request_gets_no_answer_and_is_logged_on_arrival() {
    let server = Server::start();
    server.set_faults(json!({"project": {"hang": {"requests": [1]}}}));
    // A real client with a short deadline: it gives up, the server never answered.
    let hung = common::agent(0)
        .get(&format!("{}/v1/project/DEMO", server.url))
        .header("Token", TOKEN)
        .config()
        .timeout_global(Some(Duration::from_millis(300)))
        .build()
        .call();
    assert!(
        matches!(hung, Err(ureq::Error::Timeout(_))),
        "expected a timeout, got {hung:?}"
    );
    // The next request is not hit and answers.
    assert_eq!(server.api("GET", "/v1/project/DEMO", None).status, 200);

    // While a second hang is still open, the log already shows it.
    server.set_faults(json!({"project": {"hang": {"requests": [1]}}}));
    let mut open = send(&server, "GET", "/v1/project/DEMO", Some(TOKEN), None);
    let state = state_when(&server, |s| s["totals"]["requests"] == 3);
    let logged = &state["requests"][2];
    assert_eq!(
        (
            &logged["endpoint"],
            &logged["status"],
            &logged["faults"],
            &logged["token"]
        ),
        (
            &json!("project"),
            &Value::Null,
            &json!(["hang"]),
            &json!(true)
        )
    );
    assert_eq!(state["requests"][0]["faults"], json!(["hang"]));
    assert!(silent_for(&mut open, Duration::from_millis(200)));
}

#[test]
fn hang_after_store_stores_the_request_then_never_answers() {
    let server = Server::start();
    let id = server.create_run();
    server.set_faults(json!({"upload": {"hang": {"requests": [1], "after_store": true}}}));
    let body = json!({"results": [result("a", "passed")]});
    let mut open = send(&server, "POST", &upload_path(id), Some(TOKEN), Some(body));
    let state = state_when(&server, |s| s["totals"]["results"] == 1);
    let logged = &state["requests"][1];
    assert_eq!(
        (&logged["status"], &logged["faults"], &logged["results"]),
        (&Value::Null, &json!(["hang_after_store"]), &json!(1))
    );
    assert!(silent_for(&mut open, Duration::from_millis(200)));
    drop(open);
    // The client gives up and retries: stored once, counted as a duplicate.
    assert_eq!(server.upload(id, vec![result("a", "passed")]).status, 202);
    let run = &server.state()["runs"][0];
    assert_eq!(
        (
            &run["results"].as_array().unwrap().len(),
            &run["duplicates"]
        ),
        (&1, &json!(1))
    );
}

#[test]
fn a_dripped_answer_sends_its_head_at_once_and_its_body_byte_by_byte() {
    let server = Server::start();
    let id = server.create_run();
    let interval = Duration::from_millis(30);
    server.set_faults(
        json!({"upload": {"drip": {"requests": [1], "interval_ms": 30, "after_store": true}}}),
    );
    let sent = Instant::now();
    let body = json!({"results": [result("a", "passed")]});
    let mut stream = send(&server, "POST", &upload_path(id), Some(TOKEN), Some(body));
    let head = read_head(&mut stream);
    assert_eq!(head.status, 202);
    let length = head.content_length();
    assert!(
        head.body_start.len() < length,
        "the body came with the head"
    );
    let mut body = head.body_start.clone();
    let mut reads = 0;
    while body.len() < length {
        let mut chunk = [0u8; 64];
        let read = stream.read(&mut chunk).expect("the next byte arrives");
        assert!(read > 0, "closed after {} of {length} bytes", body.len());
        body.extend_from_slice(&chunk[..read]);
        reads += 1;
    }
    // The server waits one interval before each byte: the whole body cannot come sooner.
    assert!(
        sent.elapsed() >= interval * length as u32,
        "{:?}",
        sent.elapsed()
    );
    assert!(reads > 1);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap(),
        json!({"status": true})
    );
    let state = server.state();
    assert_eq!(state["runs"][0]["results"].as_array().unwrap().len(), 1);
    let logged = &state["requests"][1];
    assert_eq!(
        (&logged["status"], &logged["faults"]),
        (&json!(202), &json!(["drip_after_store"]))
    );
}

#[test]
fn a_dripped_answer_without_store_is_the_normal_answer_but_nothing_is_kept() {
    let server = Server::start();
    let id = server.create_run();
    server.set_faults(json!({
        "create_run": {"drip": {"requests": [1], "interval_ms": 2}},
        "upload": {"drip": {"requests": [1, 2], "interval_ms": 2}},
    }));
    let mut create = send(
        &server,
        "POST",
        "/v1/run/DEMO",
        Some(TOKEN),
        Some(json!({"title": "T"})),
    );
    let (head, answer) = read_answer(&mut create);
    // The id the run would have had; it was not kept, so the next run gets it again.
    assert_eq!(
        (head.status, &answer["result"]["id"]),
        (200, &json!(id + 1))
    );
    assert_eq!(server.create_run(), id + 1);

    let good = json!({"results": [result("a", "passed"), result("b", "failed")]});
    let (head, answer) = read_answer(&mut send(
        &server,
        "POST",
        &upload_path(id),
        Some(TOKEN),
        Some(good),
    ));
    assert_eq!((head.status, answer), (202, json!({"status": true})));
    // Validation still answers as it would.
    let bad = json!({"results": [{"title": "no execution"}]});
    let (head, answer) = read_answer(&mut send(
        &server,
        "POST",
        &upload_path(id),
        Some(TOKEN),
        Some(bad),
    ));
    assert_eq!(
        (head.status, &answer["errorFields"][0]["field"]),
        (400, &json!("results.0.execution"))
    );

    let state = server.state();
    assert_eq!(state["totals"]["results"], 0);
    assert_eq!(state["runs"][0]["uploads"], 0);
    let log: Vec<(Value, Value, Value)> = state["requests"].as_array().unwrap()[1..]
        .iter()
        .map(|r| {
            (
                r["status"].clone(),
                r["faults"].clone(),
                r["results"].clone(),
            )
        })
        .collect();
    assert_eq!(
        log,
        [
            (json!(200), json!(["drip"]), Value::Null),
            (json!(200), json!([]), Value::Null),
            (json!(202), json!(["drip"]), json!(2)),
            (json!(400), json!(["drip"]), Value::Null),
        ]
    );
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

#[test]
fn stop_closes_hanging_and_dripping_connections_and_exits_at_once() {
    let mut server = Server::start();
    let id = server.create_run();
    server.set_faults(json!({
        "project": {"hang": {"requests": [1]}},
        "upload": {"drip": {"requests": [1], "interval_ms": 60000, "after_store": true}},
    }));
    let mut hanging = send(&server, "GET", "/v1/project/DEMO", Some(TOKEN), None);
    let body = json!({"results": [result("a", "passed")]});
    let mut dripping = send(&server, "POST", &upload_path(id), Some(TOKEN), Some(body));
    let head = read_head(&mut dripping);
    assert_eq!(head.status, 202);
    state_when(&server, |s| s["totals"]["requests"] == 3);

    // Reset and fault changes answer with both connections open.
    assert_eq!(server.control("POST", "reset", None).status, 200);
    assert_eq!(server.set_faults(json!({})).status, 200);
    assert_eq!(server.api("GET", "/v1/project/DEMO", None).status, 200);

    let stopping = Instant::now();
    assert_eq!(server.control("POST", "stop", None).status, 200);
    assert!(closed_by_server(&mut hanging));
    assert!(closed_by_server(&mut dripping));
    assert_eq!(server.wait(), Some(0));
    // Open connections otherwise get two seconds to finish; these were cut at once.
    assert!(
        stopping.elapsed() < Duration::from_millis(1500),
        "{:?}",
        stopping.elapsed()
    );
}
