//! The real run session (crate `testrelay`) driven by a minimal host that performs its HTTP
//! actions against the real server, with faults: the server accepts every body the session
//! builds, and what the receipt says was acknowledged is exactly what the server stored.
//! (The reporters' own end-to-end tests do the same through Playwright and pytest.)

mod common;

use common::{Server, TOKEN};
use serde_json::{Value, json};
use testrelay::session::Action;
use testrelay::{
    Config, ErrorInfo, Framework, Mode, Outcome, Receipt, Secret, Session, SessionOptions,
    TestResult, TestopsConfig,
};

fn config(server: &Server, run_id: Option<u64>, retries: u32) -> Config {
    Config {
        mode: Mode::Testops,
        testops: TestopsConfig {
            api_token: Some(Secret::new(TOKEN)),
            api_host: server.url.clone(),
            project: Some("DEMO".into()),
            run_id,
            batch_size: 7,
            upload_retries: Some(retries),
            ..TestopsConfig::default()
        },
        ..Config::default()
    }
}

fn test_result(i: usize) -> TestResult {
    let status = ["passed", "failed", "skipped"][i % 3];
    TestResult {
        title: format!("test {i}"),
        suite: vec!["E2E".into(), format!("group {}", i % 4)],
        outcome: Outcome {
            framework: Framework::Playwright,
            runner_status: Some(status.into()),
            error: (status == "failed").then(|| ErrorInfo {
                type_name: Some("AssertionError".into()),
                message: Some("expected 1 to be 2".into()),
                ..ErrorInfo::default()
            }),
            ..Outcome::default()
        },
        started_at: Some(1_795_320_406_000.0 + i as f64),
        duration: Some(12.0),
        ..TestResult::default()
    }
}

/// Runs one session to its receipt: every request action is sent at once and answered
/// before the next poll; waits jump virtual time; local files are acknowledged unwritten.
fn run_session(config: Config, instance: &str, results: usize) -> Receipt {
    run_job(config, SessionOptions::new(instance), results)
}

/// One job of a run, as its host describes itself (a shard, a worker, …).
fn run_job(config: Config, options: SessionOptions, results: usize) -> Receipt {
    let agent = common::agent(10);
    let mut now = 1_795_320_400_000;
    let mut session = Session::new(config, options, now).expect("a valid session");
    let results = (0..results).map(test_result).collect();
    session.add_results(now, results).expect("results accepted");
    session.handle_all_tests_done(now).expect("done accepted");
    for _ in 0..100_000 {
        let action = session.poll(now);
        if let Some(request) = action.http_request() {
            let sent = match request.method.as_str() {
                "GET" => agent.get(&request.url).header("Token", TOKEN).call(),
                _ => agent
                    .post(&request.url)
                    .header("Token", TOKEN)
                    .header("Content-Type", "application/json")
                    .send(&request.body),
            };
            let event = match sent {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    let body = response.body_mut().read_to_string().unwrap_or_default();
                    session.handle_http_response(now, request.request_id, status, body, retry_after)
                }
                Err(e) => session.handle_http_failed(now, request.request_id, e.to_string()),
            };
            event.expect("the answer is accepted");
            continue;
        }
        match action {
            Action::WriteFiles(write) => session
                .handle_report_written(now, write.request_id)
                .expect("write acknowledged"),
            Action::Wait { until } => {
                now = until
                    .expect("nothing is in flight, so a wait has a time")
                    .max(now + 1);
            }
            Action::Finished { receipt } => return receipt,
            _ => {} // log lines; HTTP actions were sent above
        }
    }
    panic!("the session never finished");
}

fn stored(state: &Value, run: u64) -> (usize, u64, u64) {
    let run = state["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == run)
        .expect("the run exists");
    (
        run["results"].as_array().unwrap().len(),
        run["duplicates"].as_u64().unwrap(),
        run["complete_calls"].as_u64().unwrap(),
    )
}

#[test]
fn a_clean_session_creates_uploads_and_completes_once() {
    let server = Server::start();
    let receipt = run_session(config(&server, None, 5), "w1", 30);
    assert!(receipt.run_created && receipt.completed, "{receipt:?}");
    assert_eq!(
        (receipt.acknowledged, receipt.lost, receipt.in_fallback),
        (30, 0, 0)
    );
    let state = server.state();
    let run = receipt.run_id.unwrap();
    assert_eq!(stored(&state, run), (30, 0, 1));
    assert!(
        state["requests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] != 400)
    );
}

#[test]
fn faults_are_retried_or_split_and_nothing_is_lost_or_stored_twice() {
    let server = Server::start_with(&["--seed", "99"]);
    server.set_faults(json!({
        "create_run": {"error": {"requests": [1], "status": 502}},
        "upload": {
            "drop": {"probability": 0.15, "after_store": true},
            "error": {"probability": 0.15, "status": 503},
            "rate_limit": {"probability": 0.1, "retry_after": 1},
            "too_large": {"requests": [2]},
        },
        "complete": {"drop": {"requests": [1], "after_store": true}},
    }));
    let receipt = run_session(config(&server, None, 20), "w1", 60);
    assert_eq!(
        (receipt.acknowledged, receipt.lost, receipt.in_fallback),
        (60, 0, 0)
    );
    assert!(receipt.completed, "{receipt:?}");
    let state = server.state();
    let (unique, duplicates, complete_calls) = stored(&state, receipt.run_id.unwrap());
    assert_eq!(unique, 60);
    assert!(
        duplicates > 0,
        "an upload stored and then dropped was sent again"
    );
    // The first complete was stored and its answer dropped: the retry is the second call.
    assert_eq!(complete_calls, 2);
    assert_eq!(
        state["totals"]["runs"], 1,
        "a failed create is not a second run"
    );
}

#[test]
fn shards_report_into_one_named_run_and_leave_it_open() {
    let server = Server::start();
    let created = server.control(
        "POST",
        "runs",
        Some(json!({"project": "DEMO", "run": {"title": "CI"}})),
    );
    let run = created.body["id"].as_u64().unwrap();
    for current in 1..=3 {
        // Each a shard of three: the complete-run step completes the run, not a shard.
        let job = SessionOptions {
            shard: Some(testrelay::host::Shard { current, total: 3 }),
            ..SessionOptions::new(format!("shard-{current}"))
        };
        let receipt = run_job(config(&server, Some(run), 5), job, 10);
        assert_eq!((receipt.run_id, receipt.acknowledged), (Some(run), 10));
        assert!(!receipt.run_created && !receipt.completed, "{receipt:?}");
    }
    let state = server.state();
    assert_eq!(stored(&state, run), (30, 0, 0), "ids differ per instance");
}

#[test]
fn an_outage_longer_than_the_retry_budget_leaves_the_run_open_and_loses_nothing() {
    let server = Server::start();
    // Requests 1 (create) and 2 (first upload) pass; then the server is down for good.
    server.set_faults(json!({"outage": {"start": 3, "length": 100000, "drop": true}}));
    let receipt = run_session(config(&server, None, 2), "w1", 20);
    assert!(!receipt.completed, "{receipt:?}");
    assert_eq!(receipt.lost, 0);
    assert_eq!(receipt.acknowledged + receipt.in_fallback, 20);
    let state = server.state();
    let (unique, _, complete_calls) = stored(&state, receipt.run_id.unwrap());
    assert_eq!(unique as u64, receipt.acknowledged);
    assert_eq!(complete_calls, 0);
}
