//! Transcript tests of the session against a server that hangs, drips, rate-limits for long or
//! redirects: every request has a total deadline the session keeps by itself, retries are
//! counted in time, the run must open within the start bound, redirects are followed only to
//! the API's own origin, and an interrupted run is never completed.

mod session_support;

use serde_json::{Value, json};
use session_support::*;
use testrelay::session::{Action, Event};
use testrelay::*;

const T0: u64 = 1_795_320_406_000;

fn ok_run(s: &mut Session, now: u64, id: u64) {
    s.handle_http_response(
        now,
        id,
        200,
        r#"{"status":true,"result":{"id":7}}"#.into(),
        None,
    )
    .unwrap();
}

fn redirect(s: &mut Session, now: u64, id: u64, status: u16, location: &str) {
    let event: Event = serde_json::from_value(json!({
        "event": "http_response", "request_id": id, "status": status, "body": "", "location": location
    }))
    .unwrap();
    s.handle(now, event).unwrap();
}

fn ids_of(action: &Action) -> Vec<String> {
    let Action::Http(r) = action else {
        panic!("not an upload: {action:?}")
    };
    let body: Value = serde_json::from_str(&r.body).unwrap();
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_hanging_upload_is_given_up_at_its_timeout_and_retried_with_the_same_ids() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    drain(&mut s, T0);
    ok_run(&mut s, T0, 1);
    s.add_results(T0, vec![passed("a"), passed("b")]).unwrap();
    let first = drain(&mut s, T0);
    assert_eq!(
        render_all(&first),
        [
            "log info: created run 7",
            "upload_results #2 POST /v2/DEMO/run/7/results count=2",
            "wait 1795320436000"
        ],
        "the wait ends at the upload's timeout (30 s)"
    );
    let Action::Http(r) = &first[1] else {
        unreachable!()
    };
    assert_eq!(r.timeout_ms, 30_000);
    let sent = ids_of(&first[1]);
    // No answer by the timeout: the session gives up by itself and backs off 1 s.
    assert_eq!(
        render_all(&drain(&mut s, T0 + 30_000)),
        ["wait 1795320437000"]
    );
    let retry = drain(&mut s, T0 + 31_000);
    assert_eq!(
        render_all(&retry),
        [
            "upload_results #3 POST /v2/DEMO/run/7/results count=2",
            "wait 1795320467000"
        ]
    );
    assert_eq!(
        ids_of(&retry[0]),
        sent,
        "a retry carries the same idempotency ids"
    );
    // The first request's late answer is ignored, not an error, and acknowledges nothing.
    s.handle_http_response(T0 + 31_500, 2, 200, "{}".into(), None)
        .unwrap();
    s.handle_http_response(T0 + 32_000, 3, 200, "{}".into(), None)
        .unwrap();
    s.handle_all_tests_done(T0 + 32_000).unwrap();
    let end = render_all(&drain(&mut s, T0 + 32_000));
    assert_eq!(
        end,
        [
            "complete_run #4 POST /v1/run/DEMO/7/complete",
            "wait 1795320468000"
        ]
    );
    s.handle_http_response(T0 + 32_001, 4, 200, "{}".into(), None)
        .unwrap();
    let r = receipt(&drain(&mut s, T0 + 32_001));
    assert_eq!((r.acknowledged, r.in_fallback, r.completed), (2, 0, true));
}

#[test]
fn retries_are_counted_in_time_not_in_tries() {
    let mut config = testops_config();
    config.testops.retry_budget_ms = 20_000;
    let mut s = Session::new(config, options(), T0).unwrap();
    drain(&mut s, T0);
    ok_run(&mut s, T0, 1);
    s.add_results(T0, vec![passed("a"), passed("b")]).unwrap();
    drain(&mut s, T0);
    // Ten `Retry-After: 1` answers in a row: within 20 s, every one is tried again.
    let mut now = T0;
    let mut id = 2;
    for _ in 0..10 {
        s.handle_http_response(now, id, 429, String::new(), Some("1".into()))
            .unwrap();
        drain(&mut s, now);
        now += 1_000;
        let again = drain(&mut s, now);
        assert!(
            again[0].purpose() == "upload_results",
            "{:?}",
            render_all(&again)
        );
        id += 1;
    }
    s.handle_http_response(now, id, 202, "{}".into(), None)
        .unwrap();
    s.handle_all_tests_done(now).unwrap();
    let done = drain(&mut s, now);
    let complete = done.iter().find_map(|a| match a {
        Action::Http(r) if r.purpose == "complete_run" => Some(r.request_id),
        _ => None,
    });
    s.handle_http_response(now, complete.unwrap(), 200, "{}".into(), None)
        .unwrap();
    let r = receipt(&drain(&mut s, now));
    assert_eq!((r.acknowledged, r.in_fallback, r.completed), (2, 0, true));
    // Past the budget the batch goes to the fallback.
    let mut config = testops_config();
    config.testops.retry_budget_ms = 2_500;
    let mut s = Session::new(config, options(), T0).unwrap();
    drain(&mut s, T0);
    ok_run(&mut s, T0, 1);
    s.add_results(T0, vec![passed("a"), passed("b")]).unwrap();
    drain(&mut s, T0);
    s.handle_http_response(T0 + 1_000, 2, 429, String::new(), Some("1".into()))
        .unwrap();
    drain(&mut s, T0 + 1_000);
    drain(&mut s, T0 + 2_000);
    s.handle_http_response(T0 + 2_100, 3, 429, String::new(), Some("1".into()))
        .unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0 + 2_100)),
        [
            "log warn: 2 results not accepted (HTTP 429, after 2 tries); saving them to build/qase-report",
            "save_fallback #4 build/qase-report results=2",
            "wait -"
        ]
    );
}

#[test]
fn a_run_that_does_not_open_within_the_start_bound_sends_everything_to_the_fallback() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    let first = drain(&mut s, T0);
    let Action::Http(r) = &first[0] else {
        unreachable!()
    };
    assert_eq!(r.timeout_ms, 5_000);
    s.add_results(T0 + 100, vec![passed("a"), passed("b")])
        .unwrap();
    drain(&mut s, T0 + 100);
    s.handle_all_tests_done(T0 + 200).unwrap();
    assert_eq!(render_all(&drain(&mut s, T0 + 200)), ["wait 1795320411000"]);
    let end = drain(&mut s, T0 + 5_000);
    assert_eq!(
        render_all(&end)[..2],
        [
            "log error: could not open the test run (no answer within 5 s of the start (testops.startTimeoutMs)); results are saved to build/qase-report",
            "save_fallback #2 build/qase-report results=2"
        ]
    );
    // A create-run answer after the bound is ignored.
    s.handle_http_response(T0 + 6_000, 1, 200, r#"{"result":{"id":7}}"#.into(), None)
        .unwrap();
    let mut actions = end;
    while !matches!(actions.last(), Some(Action::Finished { .. })) {
        for action in &actions {
            if let Action::WriteFiles(w) = action {
                s.handle_report_written(T0 + 6_000, w.request_id).unwrap();
            }
        }
        actions = drain(&mut s, T0 + 6_000);
    }
    let r = receipt(&actions);
    assert_eq!(
        (r.in_fallback, r.acknowledged, r.completed, r.run_id),
        (2, 0, false, None)
    );
}

#[test]
fn an_unreachable_host_is_retried_only_until_the_start_bound() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    drain(&mut s, T0);
    s.handle_http_failed(T0 + 10, 1, "ENOTFOUND".into())
        .unwrap();
    drain(&mut s, T0 + 10);
    let second = drain(&mut s, T0 + 1_010);
    assert_eq!(render_all(&second)[0], "create_run #2 POST /v1/run/DEMO");
    s.handle_http_failed(T0 + 1_020, 2, "ENOTFOUND".into())
        .unwrap();
    drain(&mut s, T0 + 1_020);
    let third = drain(&mut s, T0 + 3_020);
    assert_eq!(render_all(&third)[0], "create_run #3 POST /v1/run/DEMO");
    // The next backoff (4 s) would end past the bound: the run fails now, not in minutes.
    s.handle_http_failed(T0 + 3_030, 3, "ENOTFOUND".into())
        .unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0 + 3_030))[0],
        "log error: could not open the test run (no response (ENOTFOUND)); results are saved to build/qase-report"
    );
}

#[test]
fn a_same_origin_redirect_is_followed_as_a_new_try() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    drain(&mut s, T0);
    redirect(&mut s, T0 + 1, 1, 307, "/v1/run/DEMO?moved=1");
    let again = drain(&mut s, T0 + 1);
    let Action::Http(r) = &again[0] else {
        panic!("{again:?}")
    };
    assert_eq!(r.url, "https://api.qase.io/v1/run/DEMO?moved=1");
    assert_eq!(r.request_id, 2);
    ok_run(&mut s, T0 + 2, 2);
    assert_eq!(
        render_all(&drain(&mut s, T0 + 2)),
        ["log info: created run 7", "wait -"]
    );
}

#[test]
fn a_redirect_to_another_host_is_refused_with_one_warning_and_the_results_kept() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    drain(&mut s, T0);
    ok_run(&mut s, T0, 1);
    s.add_results(T0, vec![passed("a"), passed("b"), passed("c"), passed("d")])
        .unwrap();
    let uploads = drain(&mut s, T0);
    let ids: Vec<u64> = uploads
        .iter()
        .filter_map(|a| a.http_request().map(|r| r.request_id))
        .collect();
    assert_eq!(ids, [2, 3]);
    redirect(
        &mut s,
        T0 + 1,
        2,
        307,
        "https://evil.example/v2/DEMO/run/7/results",
    );
    redirect(
        &mut s,
        T0 + 2,
        3,
        302,
        "https://api.qase.io/v2/DEMO/run/7/results",
    );
    let lines = render_all(&drain(&mut s, T0 + 2));
    assert_eq!(
        lines,
        [
            "log warn: the server redirected a request (HTTP 307) to https://evil.example:443; not followed: the token is only sent to https://api.qase.io:443",
            "log warn: 2 results not accepted (HTTP 307 redirect, not followed, after 1 try); saving them to build/qase-report",
            "save_fallback #4 build/qase-report results=2",
            // A 302 may turn a POST into a GET: not followed even to the same origin.
            "log warn: 2 results not accepted (HTTP 302 redirect, not followed, after 1 try); saving them to build/qase-report",
            "save_fallback #5 build/qase-report results=2",
            "wait -"
        ]
    );
    s.handle_report_written(T0 + 3, 4).unwrap();
    s.handle_report_written(T0 + 3, 5).unwrap();
    s.handle_all_tests_done(T0 + 3).unwrap();
    let end = drain(&mut s, T0 + 3);
    assert!(
        !end.iter().any(|a| a.purpose() == "complete_run"),
        "a run missing results is never completed: {:?}",
        render_all(&end)
    );
}

#[test]
fn an_interrupted_run_is_left_open() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    drain(&mut s, T0);
    ok_run(&mut s, T0, 1);
    s.add_results(T0, vec![passed("a"), passed("b")]).unwrap();
    drain(&mut s, T0);
    s.handle(T0 + 1, Event::RunInterrupted {}).unwrap();
    s.handle_http_response(T0 + 2, 2, 202, "{}".into(), None)
        .unwrap();
    s.handle_all_tests_done(T0 + 3).unwrap();
    let end = drain(&mut s, T0 + 3);
    let r = receipt(&end);
    assert_eq!(
        (r.acknowledged, r.completed),
        (2, false),
        "{:?}",
        render_all(&end)
    );
    assert_eq!(
        r.summary,
        "testrelay: 2 results delivered to run 7; run left open (the test run was interrupted)"
    );
}

#[test]
fn a_host_that_aborts_at_the_deadline_gets_the_sessions_own_outcome() {
    // The host's abort and the session's timer fall on the same millisecond: whichever the
    // session hears first, the run fails for the start bound, said the same way.
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    drain(&mut s, T0);
    s.handle_http_failed(T0 + 5_000, 1, "TimeoutError".into())
        .unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0 + 5_000))[0],
        "log error: could not open the test run (no answer within 5 s of the start (testops.startTimeoutMs)); results are saved to build/qase-report"
    );
}
