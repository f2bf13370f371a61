//! The control API and the process: state, reset, stop, SIGTERM, stdin close, start-up
//! errors.

mod common;

use std::process::{Command, Stdio};

use common::{Server, TOKEN, result};
use serde_json::{Value, json};

#[test]
fn state_records_every_request_in_order_with_its_answer() {
    let server = Server::start();
    let id = server.create_run();
    server.upload(id, vec![result("a", "passed")]);
    server.api("GET", "/v1/project/DEMO", None);
    let state = server.state();
    let log: Vec<(Value, Value, Value, Value, Value)> = state["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["seq"].clone(),
                r["method"].clone(),
                r["path"].clone(),
                r["endpoint"].clone(),
                r["status"].clone(),
            )
        })
        .collect();
    let upload_path = format!("/v2/DEMO/run/{id}/results");
    assert_eq!(
        log,
        [
            (
                json!(1),
                json!("POST"),
                json!("/v1/run/DEMO"),
                json!("create_run"),
                json!(200)
            ),
            (
                json!(2),
                json!("POST"),
                json!(upload_path),
                json!("upload"),
                json!(202)
            ),
            (
                json!(3),
                json!("GET"),
                json!("/v1/project/DEMO"),
                json!("project"),
                json!(200)
            ),
        ]
    );
    assert_eq!(
        state["totals"],
        json!({"runs": 1, "requests": 3, "results": 1, "duplicates": 0, "complete_calls": 0})
    );
    // Control requests are not part of the log.
    assert_eq!(server.state()["totals"]["requests"], 3);
}

#[test]
fn every_api_request_is_logged_with_whether_it_carried_a_token() {
    let server = Server::start();
    for token in [None, Some(TOKEN), Some("someone-elses-token")] {
        for (method, path) in [
            ("GET", "/v1/project/DEMO"),
            ("GET", "/v1/unknown"),
            // A known path, a method it does not take.
            ("GET", "/v1/run/DEMO"),
        ] {
            server
                .request(method, path, token, None)
                .expect("an answer");
        }
    }
    let state = server.state();
    let log: Vec<(Value, Value, Value, Value)> = state["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let fields = ["endpoint", "client", "status", "token"];
            let [a, b, c, d] = fields.map(|f| r[f].clone());
            (a, b, c, d)
        })
        .collect();
    let (project, default, null) = (json!("project"), json!("default"), Value::Null);
    let unknown =
        |status: u16, token: bool| (null.clone(), null.clone(), json!(status), json!(token));
    assert_eq!(
        log,
        [
            (project.clone(), null.clone(), json!(401), json!(false)),
            unknown(404, false),
            unknown(405, false),
            (project.clone(), default, json!(200), json!(true)),
            unknown(404, true),
            unknown(405, true),
            (project, null.clone(), json!(401), json!(true)),
            unknown(404, true),
            unknown(405, true),
        ]
    );
    let text = state.to_string();
    assert!(!text.contains(TOKEN) && !text.contains("someone-elses-token"));
}

#[test]
fn reset_forgets_everything_and_removes_faults() {
    let server = Server::start_with(&["--seed", "4"]);
    let id = server.create_run();
    server.upload(id, vec![result("a", "passed")]);
    server.set_faults(json!({"project": {"error": {"probability": 1.0}}}));
    let reset = server.control("POST", "reset", None);
    assert_eq!(reset.status, 200);
    let state = server.state();
    assert_eq!(state["runs"], json!([]));
    assert_eq!(state["requests"], json!([]));
    assert_eq!(state["seed"], 4);
    assert_eq!(server.api("GET", "/v1/project/DEMO", None).status, 200);
    // Run ids keep counting, so the old id does not name a new run.
    assert_eq!(
        server
            .api("GET", &format!("/v1/run/DEMO/{id}"), None)
            .status,
        404
    );
    assert_eq!(server.create_run(), id + 1);
}

#[test]
fn get_faults_returns_the_installed_config() {
    let server = Server::start();
    let config =
        json!({"complete": {"drop": {"requests": [1], "probability": 0.0, "after_store": true}}});
    server.set_faults(config.clone());
    let answer = server.control("GET", "faults", None);
    assert_eq!(answer.body["complete"], config["complete"]);
    assert_eq!(answer.body["upload"], json!({}));
}

#[test]
fn control_stop_answers_then_the_process_exits_0() {
    let mut server = Server::start();
    let stop = server.control("POST", "stop", None);
    assert_eq!(stop.status, 200);
    assert_eq!(server.wait(), Some(0));
}

#[cfg(unix)]
#[test]
fn sigterm_exits_0() {
    let mut server = Server::start();
    let status = Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(server.wait(), Some(0));
}

#[test]
fn closing_stdin_exits_when_asked_to() {
    let mut server = Server::start_with(&["--exit-on-stdin-close"]);
    assert_eq!(server.api("GET", "/v1/project/DEMO", None).status, 200);
    server.close_stdin();
    assert_eq!(server.wait(), Some(0));
}

#[test]
fn the_first_line_names_a_local_url_on_the_requested_port() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let server = Server::start_with(&["--port", &port.to_string()]);
    assert_eq!(server.url, format!("http://127.0.0.1:{port}"));
    assert_eq!(server.api("GET", "/v1/project/DEMO", None).status, 200);
}

#[test]
fn a_bad_fault_file_stops_start_up_with_exit_2_and_a_clear_message() {
    let dir = std::env::temp_dir().join(format!("fake-qase-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("faults.json");
    std::fs::write(&file, r#"{"upload": {"error": {"probability": -1}}}"#).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_fake-qase"))
        .args(["--port", "0", "--token", TOKEN, "--faults"])
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("upload.error.probability"), "{stderr}");
    assert!(!stderr.contains(TOKEN));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn control_can_create_a_run_without_token_or_log_line() {
    let server = Server::start();
    let created = server.control(
        "POST",
        "runs",
        Some(json!({"project": "DEMO", "run": {"title": "Shared CI run", "tags": ["ci"]}})),
    );
    assert_eq!(created.status, 200);
    let id = created.body["id"].as_u64().unwrap();
    let run = server.api("GET", &format!("/v1/run/DEMO/{id}"), None);
    assert_eq!(run.body["result"]["title"], "Shared CI run");
    let state = server.state();
    assert_eq!(state["runs"][0]["body"]["tags"], json!(["ci"]));
    assert_eq!(state["totals"]["requests"], 1, "only the GET is logged");
    let bad = server.control(
        "POST",
        "runs",
        Some(json!({"run": {"title": "no project"}})),
    );
    assert_eq!(bad.status, 400);
    let bad_run = server.control(
        "POST",
        "runs",
        Some(json!({"project": "DEMO", "run": {"title": 1}})),
    );
    assert_eq!(
        (bad_run.status, bad_run.body["error"].as_str()),
        (400, Some("run.title must be a string"))
    );
}
