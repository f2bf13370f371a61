//! The fake host shared by the session bench and the `stream_results` example: a testops
//! session whose host acknowledges every request at once.

use std::hint::black_box;
use testrelay::config::TestopsConfig;
use testrelay::session::{Action, Event};
use testrelay::*;

/// A testops session (token and project set, defaults otherwise).
pub fn session(instance: &str) -> Session {
    let config = Config {
        mode: Mode::Testops,
        testops: TestopsConfig {
            api_token: Some(Secret::new("t")),
            project: Some("DEMO".into()),
            ..TestopsConfig::default()
        },
        ..Config::default()
    };
    let options = SessionOptions::new(instance);
    Session::new(config, options, 0).expect("a valid configuration")
}

/// One Playwright-like result; every tenth fails with a matcher error.
pub fn result(i: usize) -> TestResult {
    let failed = i % 10 == 0;
    TestResult {
        title: format!("logs in with account {i} (Qase ID: {})", i % 500 + 1),
        suite: vec![
            "chromium".into(),
            "e2e/login.spec.ts".into(),
            "Login".into(),
        ],
        params: [("browser".to_owned(), "chromium".to_owned())]
            .into_iter()
            .collect(),
        outcome: Outcome {
            framework: Framework::Playwright,
            runner_status: Some(if failed { "failed" } else { "passed" }.into()),
            error: failed.then(|| ErrorInfo {
                type_name: Some("Error".into()),
                matcher: true,
                message: Some("expect(received).toBe(expected)".into()),
                ..ErrorInfo::default()
            }),
            ..Outcome::default()
        },
        started_at: Some(1.7e12 + i as f64),
        duration: Some(35.0),
        thread: Some("worker-0".into()),
        ..TestResult::default()
    }
}

/// Drains, acknowledging every request; the receipt once finished.
pub fn drain(s: &mut Session) -> Option<Receipt> {
    loop {
        match s.poll(0) {
            Action::Http(r) if r.purpose == "create_run" => s
                .handle_http_response(0, r.request_id, 200, r#"{"result":{"id":1}}"#.into(), None)
                .unwrap(),
            Action::Http(r) => {
                black_box(&r.body);
                s.handle_http_response(0, r.request_id, 200, String::new(), None)
                    .unwrap()
            }
            Action::Finished { receipt } => return Some(receipt),
            Action::Wait { .. } => return None,
            _ => {}
        }
    }
}

/// Streams results `0..n` in chunks of 1,000 (`add_results`), then ends the session. `clock`
/// reads a CPU clock in seconds (or always 0): the second value returned is the time spent
/// making the results, the host's part, so the session's own part can be told apart.
pub fn stream(
    s: &mut Session,
    n: usize,
    mut make: impl FnMut(usize) -> TestResult,
    clock: impl Fn() -> f64,
) -> (Receipt, f64) {
    drain(s);
    let mut making = 0.0;
    let mut i = 0;
    while i < n {
        let end = (i + 1_000).min(n);
        let start = clock();
        let results = (i..end).map(&mut make).collect();
        making += clock() - start;
        s.add_results(0, results).unwrap();
        drain(s);
        i = end;
    }
    s.handle(0, Event::AllTestsDone {}).unwrap();
    (drain(s).expect("finished"), making)
}
