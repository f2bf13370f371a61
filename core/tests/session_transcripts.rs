//! Transcript tests (rustls style): a scripted fake host answers the session's actions,
//! virtual time jumps, and the list of actions is compared with a golden list.

mod session_support;

use serde_json::{Value, json};
use session_support::*;
use testrelay::config::ConfigurationValue;
use testrelay::session::{Action, Event, result_uuid};
use testrelay::*;

const T0: u64 = 1_795_320_406_000;

fn created(session: &mut Session, now: u64) -> Vec<String> {
    let mut lines = render_all(&drain(session, now));
    session
        .handle_http_response(
            now,
            1,
            200,
            r#"{"status":true,"result":{"id":7}}"#.into(),
            None,
        )
        .unwrap();
    lines.extend(render_all(&drain(session, now)));
    lines
}

fn upload_body(action: &Action) -> Value {
    match action {
        Action::Http(r) if r.purpose == "upload_results" => serde_json::from_str(&r.body).unwrap(),
        other => panic!("not an upload: {other:?}"),
    }
}

#[test]
fn happy_path_creates_uploads_in_batches_and_completes() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    let first = drain(&mut s, T0);
    match &first[0] {
        Action::Http(r) if r.purpose == "create_run" => {
            let body: Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(
                body,
                json!({"title": "Automated run 2026-11-22T04:06:46.000Z", "is_autotest": true,
                       "start_time": "2026-11-22 04:06:46"})
            );
            assert_eq!(r.url, "https://api.qase.io/v1/run/DEMO");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        render_all(&first),
        ["create_run #1 POST /v1/run/DEMO", "wait 1795320411000"]
    );
    s.handle_http_response(
        T0 + 5,
        1,
        200,
        r#"{"status":true,"result":{"id":7}}"#.into(),
        None,
    )
    .unwrap();
    assert_eq!(s.run_id(), Some(7));
    s.add_results(T0 + 10, vec![passed("a"), passed("b"), passed("c")])
        .unwrap();
    let actions = drain(&mut s, T0 + 10);
    assert_eq!(
        render_all(&actions),
        [
            "log info: created run 7",
            "upload_results #2 POST /v2/DEMO/run/7/results count=2",
            "wait 1795320436010"
        ]
    );
    let body = upload_body(&actions[1]);
    assert_eq!(body["results"].as_array().unwrap().len(), 2);
    s.handle_http_response(T0 + 20, 2, 200, "{}".into(), None)
        .unwrap();
    s.handle_all_tests_done(T0 + 30).unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0 + 30)),
        [
            "upload_results #3 POST /v2/DEMO/run/7/results count=1",
            "wait 1795320436030"
        ]
    );
    s.handle_http_response(T0 + 40, 3, 200, "{}".into(), None)
        .unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0 + 40)),
        [
            "complete_run #4 POST /v1/run/DEMO/7/complete",
            "wait 1795320436030"
        ]
    );
    s.handle_http_response(T0 + 50, 4, 200, "{}".into(), None)
        .unwrap();
    let end = drain(&mut s, T0 + 50);
    assert_eq!(
        render_all(&end),
        [
            "log info: testrelay: 3 results delivered to run 7; run completed",
            "finished"
        ]
    );
    let r = receipt(&end);
    assert_eq!(
        (
            r.run_id,
            r.run_created,
            r.results_seen,
            r.sent,
            r.acknowledged,
            r.in_fallback,
            r.lost,
            r.completed
        ),
        (Some(7), true, 3, 3, 3, 0, 0, true)
    );
    // Finished is sticky and further calls are refused without a change.
    assert_eq!(render_all(&drain(&mut s, T0 + 60)), ["finished"]);
    let err = s.handle_all_tests_done(T0 + 60).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongState);
}

#[test]
fn retryable_answers_back_off_on_host_time_and_honour_retry_after() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    created(&mut s, T0);
    s.add_results(T0, vec![passed("a"), passed("b")]).unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0)),
        [
            "upload_results #2 POST /v2/DEMO/run/7/results count=2",
            "wait 1795320436000"
        ]
    );
    s.handle_http_response(T0 + 100, 2, 503, String::new(), None)
        .unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0 + 100)),
        [format!("wait {}", T0 + 1_100)]
    );
    // Not yet: polling early changes nothing.
    assert_eq!(
        render_all(&drain(&mut s, T0 + 1_099)),
        [format!("wait {}", T0 + 1_100)]
    );
    assert_eq!(
        render_all(&drain(&mut s, T0 + 1_100)),
        [
            "upload_results #3 POST /v2/DEMO/run/7/results count=2",
            "wait 1795320437100"
        ]
    );
    s.handle_http_response(T0 + 1_200, 3, 429, String::new(), Some("7".into()))
        .unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0 + 1_200)),
        [format!("wait {}", T0 + 8_200)]
    );
    assert_eq!(
        render_all(&drain(&mut s, T0 + 8_200)),
        [
            "upload_results #4 POST /v2/DEMO/run/7/results count=2",
            "wait 1795320444200"
        ]
    );
    s.handle_http_failed(T0 + 8_300, 4, "connection reset".into())
        .unwrap();
    // Third failed try: backoff 4 s.
    assert_eq!(
        render_all(&drain(&mut s, T0 + 8_300)),
        [format!("wait {}", T0 + 12_300)]
    );
    let resent = drain(&mut s, T0 + 12_300);
    let first = upload_body(&resent[0]);
    s.handle_http_response(T0 + 12_400, 5, 201, "{}".into(), None)
        .unwrap();
    s.handle_all_tests_done(T0 + 12_500).unwrap();
    let rest = drain(&mut s, T0 + 12_500);
    assert_eq!(
        render_all(&rest)[0],
        "complete_run #6 POST /v1/run/DEMO/7/complete"
    );
    s.handle_http_response(T0 + 12_600, 6, 200, "{}".into(), None)
        .unwrap();
    let r = receipt(&drain(&mut s, T0 + 12_600));
    assert_eq!(
        (r.sent, r.retried, r.acknowledged, r.completed),
        (2, 6, 2, true)
    );
    // The same idempotency ids on every try.
    assert_eq!(
        first["results"][0]["id"].as_str().unwrap(),
        result_uuid("worker-1", 1)
    );
}

#[test]
fn a_413_splits_the_batch_in_two() {
    let mut config = testops_config();
    config.testops.batch_size = 4;
    let mut s = Session::new(config, options(), T0).unwrap();
    created(&mut s, T0);
    s.add_results(T0, (0..4).map(|i| passed(&format!("t{i}"))).collect())
        .unwrap();
    let sent = drain(&mut s, T0);
    let ids: Vec<Value> = upload_body(&sent[0])["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    s.handle_http_response(T0 + 1, 2, 413, String::new(), None)
        .unwrap();
    let halves = drain(&mut s, T0 + 1);
    assert_eq!(
        render_all(&halves),
        [
            "log info: upload of 4 results was too large (HTTP 413); sending it in two halves",
            "upload_results #3 POST /v2/DEMO/run/7/results count=2",
            "upload_results #4 POST /v2/DEMO/run/7/results count=2",
            "wait 1795320436001"
        ]
    );
    let mut again: Vec<Value> = Vec::new();
    for action in &halves[1..3] {
        again.extend(
            upload_body(action)["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].clone()),
        );
    }
    assert_eq!(ids, again, "the halves carry the same results, in order");
}

#[test]
fn a_rejected_batch_goes_to_the_fallback_and_the_run_stays_open() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    created(&mut s, T0);
    s.add_results(T0, vec![passed("a"), passed("b"), passed("c")])
        .unwrap();
    drain(&mut s, T0);
    s.handle_http_response(T0 + 1, 2, 400, r#"{"status":false}"#.into(), None)
        .unwrap();
    let fallback = drain(&mut s, T0 + 1);
    assert_eq!(
        render_all(&fallback),
        [
            "log warn: 2 results not accepted (HTTP 400, after 1 try); saving them to build/qase-report",
            "save_fallback #3 build/qase-report results=2",
            "wait -"
        ]
    );
    s.handle_report_written(T0 + 2, 3).unwrap();
    s.handle_all_tests_done(T0 + 3).unwrap();
    drain(&mut s, T0 + 3);
    s.handle_http_response(T0 + 4, 4, 200, "{}".into(), None)
        .unwrap();
    let end = drain(&mut s, T0 + 4);
    assert_eq!(
        render_all(&end),
        [
            "save_fallback #5 build/qase-report results=0 run.json",
            "wait -"
        ]
    );
    s.handle_report_written(T0 + 5, 5).unwrap();
    let end = drain(&mut s, T0 + 5);
    assert_eq!(
        render_all(&end),
        [
            "log warn: testrelay: 2 of 3 results were NOT delivered to run 7; 2 saved to build/qase-report; run left open",
            "finished"
        ]
    );
    let r = receipt(&end);
    assert_eq!(
        (r.acknowledged, r.in_fallback, r.lost, r.completed),
        (1, 2, 0, false)
    );
    assert_eq!(r.fallback_dir.as_deref(), Some("build/qase-report"));
}

#[test]
fn when_the_run_cannot_be_created_everything_goes_to_the_fallback() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    drain(&mut s, T0);
    s.add_results(T0, vec![passed("a"), passed("b"), passed("c")])
        .unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0)),
        ["wait 1795320411000"],
        "results queue while the run opens (until the start deadline)"
    );
    s.handle_http_response(T0 + 1, 1, 401, String::new(), None)
        .unwrap();
    let lines = render_all(&drain(&mut s, T0 + 1));
    assert_eq!(
        lines,
        [
            "log error: could not open the test run (HTTP 401); results are saved to build/qase-report",
            "save_fallback #2 build/qase-report results=3",
            "wait -"
        ]
    );
    s.handle_report_written(T0 + 1, 2).unwrap();
    s.add_results(T0 + 2, vec![passed("d")]).unwrap();
    s.handle_all_tests_done(T0 + 3).unwrap();
    let end = drain(&mut s, T0 + 3);
    assert_eq!(
        render_all(&end),
        [
            "save_fallback #3 build/qase-report results=1",
            "save_fallback #4 build/qase-report results=0 run.json",
            "wait -"
        ]
    );
    s.handle_report_written(T0 + 4, 3).unwrap();
    s.handle_report_written(T0 + 4, 4).unwrap();
    let r = receipt(&drain(&mut s, T0 + 4));
    assert_eq!(
        (r.run_id, r.in_fallback, r.lost, r.completed),
        (None, 4, 0, false)
    );
    assert_eq!(
        r.summary,
        "testrelay: 4 of 4 results were NOT delivered to the run; 4 saved to build/qase-report; run left open"
    );
}

#[test]
fn the_end_waits_for_uploads_only_until_the_deadline() {
    let mut config = testops_config();
    config.testops.upload_deadline_ms = 5_000;
    let mut s = Session::new(config, options(), T0).unwrap();
    created(&mut s, T0);
    s.add_results(T0, vec![passed("a")]).unwrap();
    s.handle_all_tests_done(T0 + 10).unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0 + 10)),
        [
            "upload_results #2 POST /v2/DEMO/run/7/results count=1",
            format!("wait {}", T0 + 5_010).as_str()
        ]
    );
    let end = drain(&mut s, T0 + 5_010);
    assert_eq!(
        render_all(&end),
        [
            "log warn: 1 results were not acknowledged before the deadline; saving them to build/qase-report",
            "save_fallback #3 build/qase-report results=1",
            "save_fallback #4 build/qase-report results=0 run.json",
            "wait -"
        ]
    );
    // A late answer to the abandoned upload is ignored, not an error.
    s.handle_http_response(T0 + 5_020, 2, 200, "{}".into(), None)
        .unwrap();
    s.handle_report_written(T0 + 5_030, 3).unwrap();
    s.handle_report_written(T0 + 5_030, 4).unwrap();
    let r = receipt(&drain(&mut s, T0 + 5_030));
    assert_eq!((r.acknowledged, r.in_fallback, r.completed), (0, 1, false));
    // Even once finished, a late answer to an abandoned request is no error; an unknown
    // id still is.
    let mut config = testops_config();
    config.testops.upload_deadline_ms = 5;
    let mut s = Session::new(config, options(), T0).unwrap();
    s.add_results(T0, vec![passed("a")]).unwrap();
    s.handle_all_tests_done(T0).unwrap();
    drain(&mut s, T0);
    let end = drain(&mut s, T0 + 5);
    assert_eq!(
        render_all(&end)[1..],
        [
            "save_fallback #2 build/qase-report results=1",
            "save_fallback #3 build/qase-report results=0 run.json",
            "wait -"
        ]
    );
    for action in &end[1..3] {
        s.handle_report_written(T0 + 5, request_id(action)).unwrap();
    }
    assert!(s.is_finished());
    s.handle_http_failed(T0 + 6, 1, "late".into()).unwrap();
    let err = s.handle_http_failed(T0 + 6, 1, "twice".into()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongState);
}

#[test]
fn a_joined_run_is_completed_by_a_single_job_and_left_to_the_complete_run_step_otherwise() {
    // (job, told to complete) → the summary's end, or None when the run is completed.
    let jobs: [(SessionOptions, bool, Option<&str>); 5] = [
        (options(), false, None),
        (
            SessionOptions {
                shard: Some(host::Shard {
                    current: 2,
                    total: 3,
                }),
                ..options()
            },
            false,
            Some("run left open (one shard of several: the complete-run step completes the run)"),
        ),
        (
            SessionOptions {
                receipts: true,
                ..options()
            },
            false,
            Some(
                "run left open (the job's receipt goes to the complete-run step, which completes the run)",
            ),
        ),
        (
            SessionOptions {
                worker: true,
                ..options()
            },
            false,
            Some("run left open (a worker: the run is completed by its controller)"),
        ),
        // The complete-run step itself: told to, it completes a joined run.
        (
            SessionOptions {
                receipts: true,
                ..options()
            },
            true,
            None,
        ),
    ];
    for (job, told, left_open) in jobs {
        let mut config = testops_config();
        config.testops.run_id = Some(55);
        let mut s = Session::new(config, job, T0).unwrap();
        assert_eq!(
            render_all(&drain(&mut s, T0)),
            ["check_run #1 GET /v1/run/DEMO/55", "wait 1795320411000"]
        );
        assert_eq!(s.run_id(), Some(55));
        s.handle_http_response(
            T0,
            1,
            200,
            r#"{"status":true,"result":{"id":55}}"#.into(),
            None,
        )
        .unwrap();
        if told {
            s.handle_complete_run_requested(T0).unwrap();
        }
        s.add_results(T0, vec![passed("a")]).unwrap();
        s.handle_all_tests_done(T0).unwrap();
        let lines = render_all(&drain(&mut s, T0));
        assert_eq!(
            lines[1],
            "upload_results #2 POST /v2/DEMO/run/55/results count=1"
        );
        s.handle_http_response(T0, 2, 200, "{}".into(), None)
            .unwrap();
        let end = drain(&mut s, T0);
        match left_open {
            None => {
                assert_eq!(
                    render_all(&end)[0],
                    "complete_run #3 POST /v1/run/DEMO/55/complete"
                );
                s.handle_http_response(T0, 3, 200, "{}".into(), None)
                    .unwrap();
                assert!(receipt(&drain(&mut s, T0)).completed);
            }
            Some(why) => {
                let r = receipt(&end);
                assert_eq!((r.run_created, r.completed), (false, false));
                assert_eq!(
                    r.summary,
                    format!("testrelay: 1 results delivered to run 55; {why}")
                );
            }
        }
    }
}

#[test]
fn report_mode_writes_the_qase_report_layout() {
    let mut config = testops_config();
    config.mode = Mode::Report;
    config.environment = Some("staging".into());
    let mut s = Session::new(config, options(), T0).unwrap();
    s.add_results(
        T0 + 1,
        vec![passed("a"), outcome("b", "failed"), passed("c")],
    )
    .unwrap();
    let first = drain(&mut s, T0 + 1);
    assert_eq!(
        render_all(&first),
        ["write_report #1 build/qase-report results=2", "wait -"]
    );
    s.handle_report_written(T0 + 2, 1).unwrap();
    s.handle_all_tests_done(T0 + 100).unwrap();
    let end = drain(&mut s, T0 + 100);
    assert_eq!(
        render_all(&end),
        [
            "write_report #2 build/qase-report results=1",
            "write_report #3 build/qase-report results=0 run.json",
            "wait -"
        ]
    );
    let Action::WriteFiles(run) = &end[1] else {
        unreachable!()
    };
    let run: Value = serde_json::from_str(&run.files[0].content).unwrap();
    assert_eq!(run["title"], "Test run");
    assert_eq!(run["environment"], "staging");
    assert_eq!(
        run["execution"],
        // Seconds, as the result files and the official reports give them; durations in ms.
        json!({"start_time": 1_795_320_406.0, "end_time": 1_795_320_406.1, "duration": 100, "cumulative_duration": 36})
    );
    assert_eq!(
        run["stats"],
        json!({"total": 3, "passed": 2, "failed": 1, "skipped": 0, "blocked": 0, "invalid": 0, "muted": 0})
    );
    assert_eq!(run["results"][1]["title"], "b");
    assert_eq!(run["results"][1]["status"], "failed");
    let Action::WriteFiles(w) = &first[0] else {
        unreachable!()
    };
    let id = run["results"][0]["id"].as_str().unwrap();
    assert_eq!(w.files[0].path, format!("results/{id}.json"));
    let result: Value = serde_json::from_str(&w.files[0].content).unwrap();
    assert_eq!(result["id"], id);
    assert_eq!(result["execution"]["status"], "passed");
    s.handle_report_written(T0 + 101, 2).unwrap();
    s.handle_report_written(T0 + 101, 3).unwrap();
    let r = receipt(&drain(&mut s, T0 + 101));
    assert_eq!((r.reported, r.sent, r.lost), (3, 0, 0));
}

#[test]
fn mode_off_emits_nothing_but_a_receipt() {
    let mut config = testops_config();
    config.mode = Mode::Off;
    let mut s = Session::new(config, options(), T0).unwrap();
    assert_eq!(render_all(&drain(&mut s, T0)), ["wait -"]);
    s.add_results(T0, vec![passed("a"), passed("b")]).unwrap();
    s.handle_all_tests_done(T0).unwrap();
    let end = drain(&mut s, T0);
    assert_eq!(render_all(&end), ["finished"]);
    let r = receipt(&end);
    assert_eq!((r.results_seen, r.sent, r.reported), (2, 0, 0));
    assert_eq!(r.summary, "testrelay: mode off; 2 results not reported");
}

#[test]
fn misuse_is_an_error_and_changes_nothing() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    drain(&mut s, T0);
    let err = s
        .handle_http_response(T0, 99, 200, "{}".into(), None)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownRequest);
    let err = s.handle_report_written(T0, 1).unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::UnknownRequest,
        "request 1 is HTTP, not a file write"
    );
    s.handle_all_tests_done(T0).unwrap();
    let err = s.add_results(T0, vec![passed("late")]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongState);
    assert_eq!(
        s.handle_all_tests_done(T0).unwrap_err().code(),
        ErrorCode::WrongState
    );
    // The create-run request is still the one pending.
    s.handle_http_response(T0, 1, 200, r#"{"result":{"id":3}}"#.into(), None)
        .unwrap();
    let end = drain(&mut s, T0);
    assert_eq!(
        render_all(&end)[1],
        "complete_run #2 POST /v1/run/DEMO/3/complete"
    );

    let bad = SessionOptions::new(" ");
    assert_eq!(
        Session::new(testops_config(), bad, T0).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    let mut no_token = testops_config();
    no_token.testops.api_token = None;
    assert_eq!(
        Session::new(no_token, options(), T0).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
}

#[test]
fn payload_results_one_per_case_id_with_links_trace_flaky_and_root_suite() {
    let mut config = testops_config();
    config.debug = true;
    config.root_suite = Some("Root".into());
    config.testops.batch_size = 10;
    config.status_mapping = [(Status::Invalid, Status::Failed)].into_iter().collect();
    config.testops.status_filter = [Status::Skipped].into_iter().collect();
    let warnings = vec![Warning::new(
        WarningCode::InvalidConfigValue,
        "testops.batch.size",
        "`abc` is not a number; using 200",
    )];
    let mut s = Session::with_warnings(config, warnings, options(), T0).unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0)),
        [
            "log warn: testops.batch.size: `abc` is not a number; using 200",
            "create_run #1 POST /v1/run/DEMO",
            "wait 1795320411000"
        ]
    );
    let mut login = outcome("Login works (Qase ID: 1, 2)", "failed");
    login.params.insert("Browser".into(), "Chrome".into());
    let mut retry = login.clone();
    retry.outcome = passed("x").outcome;
    retry.attempt = 1;
    let mut broken = outcome("Broken", "failed");
    broken.outcome.error.as_mut().unwrap().type_name = Some("TypeError".into());
    let skipped = outcome("Skipped", "skipped");
    // Before the run is known: the failure links wait for the run id.
    s.add_results(T0, vec![login, broken]).unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0)),
        [
            "log debug: Checking filter: status=\"failed\", filter=[\"skipped\"]",
            "log debug: Filter result: NOT FILTERED",
            "log debug: Status mapping applied: invalid -> failed",
            "log debug: Checking filter: status=\"failed\", filter=[\"skipped\"]",
            "log debug: Filter result: NOT FILTERED",
            "wait 1795320411000"
        ]
    );
    s.handle_http_response(T0, 1, 200, r#"{"result":{"id":7}}"#.into(), None)
        .unwrap();
    s.add_results(T0, vec![skipped, retry]).unwrap();
    s.handle_all_tests_done(T0).unwrap();
    let actions = drain(&mut s, T0);
    let link = "log info: See why this test failed: https://app.qase.io/run/DEMO/dashboard/7?source=logs&search=";
    assert_eq!(
        render_all(&actions),
        [
            "log info: created run 7".to_owned(),
            format!("{link}DEMO-1"),
            format!("{link}DEMO-2"),
            format!("{link}Broken"),
            "log debug: Checking filter: status=\"skipped\", filter=[\"skipped\"]".to_owned(),
            "log debug: Filter result: FILTERED".to_owned(),
            "log debug: Checking filter: status=\"passed\", filter=[\"skipped\"]".to_owned(),
            "log debug: Filter result: NOT FILTERED".to_owned(),
            "upload_results #2 POST /v2/DEMO/run/7/results count=5".to_owned(),
            format!("wait {}", T0 + 30_000),
        ]
    );
    let body = upload_body(&actions[8]);
    let results = body["results"].as_array().unwrap();
    let signature = "1-2::auth::login_works_(qase_id:_1,_2)::{'browser':'chrome'}";
    assert_eq!(
        results[0],
        json!({
            "id": result_uuid("worker-1", 1),
            "title": "Login works",
            "signature": signature,
            "testops_ids": [1],
            "execution": {"status": "failed", "start_time": 1_795_320_406.0,
                          "end_time": 1_795_320_406.012, "duration": 12},
            "params": {"Browser": "Chrome"},
            "relations": {"suite": {"data": [{"title": "Root", "public_id": null},
                                             {"title": "Auth", "public_id": null}]}},
            "message": "expected 1 to be 2"
        })
    );
    assert_eq!(results[1]["testops_ids"], json!([2]));
    assert_eq!(results[1]["signature"], signature);
    assert_eq!(results[1]["id"], result_uuid("worker-1", 2));
    assert_eq!(
        results[2]["execution"]["status"], "failed",
        "invalid mapped to failed"
    );
    // The passing retry: attempt numbered, flaky, one result per case id.
    for flaky in &results[3..5] {
        assert_eq!(flaky["execution"]["status"], "passed");
        assert_eq!(flaky["fields"], json!({"is_flaky": "true"}));
        assert_eq!(flaky["message"], "Attempt 2 (retry 1)");
        assert_eq!(flaky["signature"], signature);
    }
    let text = serde_json::to_string(&actions).unwrap();
    assert!(
        !text.contains(TOKEN),
        "the token never appears in an action"
    );
    s.handle_http_response(T0, 2, 200, "{}".into(), None)
        .unwrap();
    drain(&mut s, T0);
    s.handle_http_response(T0, 3, 200, "{}".into(), None)
        .unwrap();
    let r = receipt(&drain(&mut s, T0));
    assert_eq!(
        (
            r.results_seen,
            r.filtered,
            r.sent,
            r.acknowledged,
            r.completed
        ),
        (4, 1, 5, 5, true)
    );
}

#[test]
fn actions_and_events_have_the_documented_json_shapes() {
    let event: Event = serde_json::from_value(json!({
        "event": "http_response", "request_id": 3, "status": 429, "body": "", "retry_after": "2"
    }))
    .unwrap();
    assert_eq!(
        event,
        Event::HttpResponse {
            request_id: 3,
            status: 429,
            body: String::new(),
            retry_after: Some("2".into()),
            location: None,
        }
    );
    let done: Event = serde_json::from_value(json!({"event": "all_tests_done"})).unwrap();
    assert_eq!(done, Event::AllTestsDone {});
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    let first = serde_json::to_value(s.poll(T0)).unwrap();
    assert_eq!(first["action"], "http");
    assert_eq!(first["purpose"], "create_run");
    assert_eq!(
        first["headers"],
        json!([
            ["Token", "{{token}}"],
            ["Accept", "application/json"],
            ["Content-Type", "application/json"]
        ]),
        "the token is a placeholder the host fills, never in the action"
    );
    assert_eq!(first["request_id"], 1);
    assert_eq!(first["method"], "POST");
    assert!(first.get("count").is_none());
    assert_eq!(
        first["timeout_ms"], 5_000,
        "a request that opens the run ends by the start deadline"
    );
    assert_eq!(
        serde_json::to_value(s.poll(T0)).unwrap(),
        json!({"action": "wait", "until": T0 + 5_000})
    );
    let redirect: Event = serde_json::from_value(json!({
        "event": "http_response", "request_id": 1, "status": 307, "location": "/v1/run/DEMO"
    }))
    .unwrap();
    assert!(matches!(
        redirect,
        Event::HttpResponse {
            location: Some(_),
            ..
        }
    ));
    let interrupted: Event = serde_json::from_value(json!({"event": "run_interrupted"})).unwrap();
    assert_eq!(interrupted, Event::RunInterrupted {});
}

#[test]
fn a_configured_run_that_is_already_completed_sends_everything_to_the_fallback() {
    let mut config = testops_config();
    config.testops.run_id = Some(55);
    let mut s = Session::new(config, options(), T0).unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0)),
        ["check_run #1 GET /v1/run/DEMO/55", "wait 1795320411000"]
    );
    // Results that arrive before the answer wait for it.
    s.add_results(T0 + 1, vec![passed("a"), outcome("b", "failed")])
        .unwrap();
    s.handle_http_response(
        T0 + 2,
        1,
        200,
        r#"{"status":true,"result":{"id":55,"status":1,"status_text":"complete","end_time":"2026-11-21T10:00:00+00:00"}}"#.into(),
        None,
    )
    .unwrap();
    s.add_results(T0 + 3, vec![passed("c")]).unwrap();
    s.handle_all_tests_done(T0 + 4).unwrap();
    let actions = drain(&mut s, T0 + 4);
    let lines = render_all(&actions);
    assert_eq!(
        lines,
        [
            "log error: could not open the test run (run 55 is already completed and takes no more results; start a new run or unset the run id); results are saved to build/qase-report",
            "save_fallback #2 build/qase-report results=2",
            "save_fallback #3 build/qase-report results=1",
            "save_fallback #4 build/qase-report results=0 run.json",
            "wait -",
        ]
    );
    for action in &actions[1..4] {
        s.handle(
            T0 + 5,
            Event::ReportWritten {
                request_id: request_id(action),
            },
        )
        .unwrap();
    }
    let end = drain(&mut s, T0 + 5);
    let r = receipt(&end);
    assert_eq!(
        (r.sent, r.acknowledged, r.in_fallback, r.lost, r.completed),
        (0, 0, 3, 0, false)
    );
    assert_eq!(r.fallback_dir.as_deref(), Some("build/qase-report"));
    assert!(
        !end.iter()
            .any(|a| matches!(a.purpose(), "upload_results" | "complete_run"))
    );
}

#[test]
fn a_configured_run_that_is_open_or_unreadable_is_joined() {
    for body in [
        r#"{"status":true,"result":{"id":55,"status":0,"status_text":"active"}}"#,
        r#"{"status":true,"result":{"id":55,"status":3,"status_text":"in progress"}}"#,
        "",
    ] {
        let mut config = testops_config();
        config.testops.run_id = Some(55);
        let mut s = Session::new(config, options(), T0).unwrap();
        drain(&mut s, T0);
        s.handle_http_response(T0, 1, 200, body.into(), None)
            .unwrap();
        assert_eq!(
            render_all(&drain(&mut s, T0)),
            ["log info: reporting to run 55", "wait -"],
            "{body}"
        );
    }
}

#[test]
fn configuration_names_are_looked_up_and_created_before_the_run() {
    let mut config = testops_config();
    config.testops.configurations = vec![
        ConfigurationValue {
            name: "Browser".into(),
            value: "Chrome".into(),
        },
        ConfigurationValue {
            name: "OS".into(),
            value: "Linux".into(),
        },
        ConfigurationValue {
            name: "OS".into(),
            value: "macOS".into(),
        },
    ];
    config.testops.configurations_create = true;
    let mut s = Session::new(config, options(), T0).unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0)),
        [
            "get_configurations #1 GET /v1/configuration/DEMO",
            "wait 1795320411000"
        ]
    );
    s.add_results(T0, vec![passed("a")]).unwrap();
    s.handle_http_response(
        T0,
        1,
        200,
        r#"{"status":true,"result":{"entities":[{"id":3,"title":"Browser","configurations":[{"id":10,"title":"Chrome"}]}]}}"#.into(),
        None,
    )
    .unwrap();
    let actions = drain(&mut s, T0);
    assert_eq!(
        render_all(&actions),
        [
            "create_configuration_group #2 POST /v1/configuration/DEMO/group",
            "wait 1795320411000"
        ]
    );
    assert_eq!(actions[0].http_request().unwrap().body, r#"{"title":"OS"}"#);
    s.handle_http_response(
        T0,
        2,
        200,
        r#"{"status":true,"result":{"id":4}}"#.into(),
        None,
    )
    .unwrap();
    let actions = drain(&mut s, T0);
    assert_eq!(
        render_all(&actions),
        [
            "create_configuration #3 POST /v1/configuration/DEMO",
            "wait 1795320411000"
        ]
    );
    let body: Value = serde_json::from_str(&actions[0].http_request().unwrap().body).unwrap();
    assert_eq!(body, json!({"title": "Linux", "group_id": 4}));
    // A value that cannot be created is left out; the run is still created.
    s.handle_http_response(
        T0,
        3,
        200,
        r#"{"status":true,"result":{"id":11}}"#.into(),
        None,
    )
    .unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0)),
        [
            "create_configuration #4 POST /v1/configuration/DEMO",
            "wait 1795320411000"
        ]
    );
    s.handle_http_response(T0, 4, 422, "{}".into(), None)
        .unwrap();
    let actions = drain(&mut s, T0);
    assert_eq!(
        render_all(&actions),
        [
            "log warn: configuration OS = macOS left out of the run: it could not be created",
            "create_run #5 POST /v1/run/DEMO",
            "wait 1795320411000"
        ]
    );
    let body: Value = serde_json::from_str(&actions[1].http_request().unwrap().body).unwrap();
    assert_eq!(body["configurations"], json!([10, 11]));
    s.handle_http_response(
        T0,
        5,
        200,
        r#"{"status":true,"result":{"id":7}}"#.into(),
        None,
    )
    .unwrap();
    s.handle_all_tests_done(T0).unwrap();
    let lines = render_all(&drain(&mut s, T0));
    assert_eq!(
        lines[..2],
        [
            "log info: created run 7",
            "upload_results #6 POST /v2/DEMO/run/7/results count=1"
        ]
    );
}

#[test]
fn an_unreachable_configuration_list_creates_the_run_with_the_numeric_ids_only() {
    let mut config = testops_config();
    config.testops.upload_retries = Some(1);
    config.testops.configurations = vec![
        ConfigurationValue {
            name: "Browser".into(),
            value: "Chrome".into(),
        },
        ConfigurationValue {
            name: "Build".into(),
            value: "17".into(),
        },
    ];
    let mut s = Session::new(config, options(), T0).unwrap();
    drain(&mut s, T0);
    s.handle_http_failed(T0, 1, "connection refused".into())
        .unwrap();
    let actions = drain(&mut s, T0);
    assert_eq!(
        render_all(&actions),
        [
            "log warn: could not read the project's configurations (no response (connection refused))",
            "log warn: configuration Browser = Chrome left out of the run: the project's configurations could not be read",
            "create_run #2 POST /v1/run/DEMO",
            "wait 1795320411000"
        ]
    );
    let body: Value = serde_json::from_str(&actions[2].http_request().unwrap().body).unwrap();
    assert_eq!(body["configurations"], json!([17]));
}

fn with_attachment(title: &str) -> TestResult {
    let mut result = passed(title);
    result.attachments.push(Attachment {
        name: "shot.png".into(),
        content_type: Some("image/png".into()),
        path: Some("/tmp/shot.png".into()),
        content: None,
    });
    result
}

#[test]
fn a_result_waits_for_its_attachment_hash_before_its_batch_leaves() {
    let mut config = testops_config();
    config.testops.batch_size = 1;
    let mut s = Session::new(config, options(), T0).unwrap();
    created(&mut s, T0);
    s.add_results(T0, vec![with_attachment("a"), passed("b")])
        .unwrap();
    let actions = drain(&mut s, T0);
    assert_eq!(
        render_all(&actions),
        [
            "upload_attachment #2 POST /v1/attachment/DEMO shot.png",
            "upload_results #3 POST /v2/DEMO/run/7/results count=1",
            "wait 1795320436000"
        ]
    );
    match &actions[0] {
        Action::Multipart(a) => {
            assert_eq!(a.url, "https://api.qase.io/v1/attachment/DEMO");
            assert_eq!(
                (
                    a.file_path.as_deref(),
                    a.content_type.as_deref(),
                    a.content.as_deref()
                ),
                (Some("/tmp/shot.png"), Some("image/png"), None)
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(upload_body(&actions[1])["results"][0]["title"], "b");
    s.handle_http_response(
        T0 + 1,
        2,
        200,
        r#"{"status":true,"result":[{"hash":"6a3f"}]}"#.into(),
        None,
    )
    .unwrap();
    let actions = drain(&mut s, T0 + 1);
    let body = upload_body(&actions[0]);
    assert_eq!(body["results"][0]["title"], "a");
    assert_eq!(body["results"][0]["attachments"], json!(["6a3f"]));
}

#[test]
fn a_failed_attachment_upload_sends_its_result_without_it() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    created(&mut s, T0);
    s.add_results(T0, vec![with_attachment("a")]).unwrap();
    drain(&mut s, T0);
    s.handle_all_tests_done(T0).unwrap();
    s.handle_http_response(T0 + 1, 2, 400, "{}".into(), None)
        .unwrap();
    let actions = drain(&mut s, T0 + 1);
    assert_eq!(
        render_all(&actions),
        [
            "log warn: attachment shot.png could not be uploaded (HTTP 400, after 1 tries); its result is sent without it",
            "upload_results #3 POST /v2/DEMO/run/7/results count=1",
            "wait 1795320436000"
        ]
    );
    assert!(
        upload_body(&actions[1])["results"][0]
            .get("attachments")
            .is_none()
    );
    // The host may also say it could not read the file: no retry, the result goes on.
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    created(&mut s, T0);
    s.add_results(T0, vec![with_attachment("b")]).unwrap();
    drain(&mut s, T0);
    s.handle(
        T0,
        Event::AttachmentUnreadable {
            request_id: 2,
            message: "ENOENT".into(),
        },
    )
    .unwrap();
    s.handle_all_tests_done(T0).unwrap();
    assert_eq!(
        render_all(&drain(&mut s, T0))[..2],
        [
            "log warn: attachment shot.png could not be uploaded (unreadable: ENOENT); its result is sent without it",
            "upload_results #3 POST /v2/DEMO/run/7/results count=1",
        ]
    );
    let err = s
        .handle(
            T0,
            Event::AttachmentUnreadable {
                request_id: 3,
                message: String::new(),
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownRequest);
}

#[test]
fn attachments_still_uploading_at_the_deadline_are_copied_to_the_fallback() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    created(&mut s, T0);
    s.add_results(T0, vec![with_attachment("a")]).unwrap();
    drain(&mut s, T0);
    s.handle_all_tests_done(T0).unwrap();
    let end = drain(&mut s, T0 + 30_000);
    let fallback = end
        .iter()
        .find_map(|a| match a {
            Action::WriteFiles(w) if w.purpose == "save_fallback" && w.files.len() == 2 => Some(w),
            _ => None,
        })
        .expect("the result and its attachment saved");
    let copy = &fallback.files[1];
    assert!(copy.path.starts_with("attachments/") && copy.path.ends_with("-0-shot.png"));
    assert_eq!(copy.source.as_deref(), Some("/tmp/shot.png"));
    let result: Value = serde_json::from_str(&fallback.files[0].content).unwrap();
    assert_eq!(result["attachments"][0]["file_path"], copy.path.as_str());
    // The late answer is ignored.
    s.handle_http_response(T0 + 30_001, 2, 200, "{}".into(), None)
        .unwrap();
}

#[test]
fn report_mode_copies_attachments_next_to_the_results() {
    let mut s = Session::new(Config::default(), options(), T0).unwrap();
    let mut inline = passed("b");
    inline.attachments.push(Attachment {
        name: "../note.txt".into(),
        content: Some("aGk=".into()),
        ..Attachment::default()
    });
    s.add_results(T0, vec![with_attachment("a"), inline])
        .unwrap();
    s.handle_all_tests_done(T0).unwrap();
    let actions = drain(&mut s, T0);
    let write = match &actions[0] {
        Action::WriteFiles(w) => w,
        other => panic!("{other:?}"),
    };
    let paths: Vec<&str> = write.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.len(), 4, "{paths:?}");
    assert!(paths[1].ends_with("-0-shot.png") && paths[3].ends_with("-0-_note.txt"));
    assert_eq!(write.files[3].encoding.as_deref(), Some("base64"));
    assert_eq!(write.files[3].content, "aGk=");
    let result: Value = serde_json::from_str(&write.files[2].content).unwrap();
    assert_eq!(result["attachments"][0]["file_name"], "_note.txt");
}

/// A result whose attachment was made inside a nested step.
fn with_step_attachment(title: &str) -> TestResult {
    let mut result = passed(title);
    let inner = Step {
        title: "take a screenshot".into(),
        attachments: vec![Attachment {
            name: "step.png".into(),
            path: Some("/tmp/step.png".into()),
            ..Attachment::default()
        }],
        ..Step::default()
    };
    result.steps.push(Step {
        title: "open the page".into(),
        steps: vec![inner],
        ..Step::default()
    });
    result
}

#[test]
fn step_attachments_are_uploaded_and_sent_with_their_result() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    created(&mut s, T0);
    s.add_results(T0, vec![with_step_attachment("a")]).unwrap();
    s.handle_all_tests_done(T0).unwrap();
    let actions = drain(&mut s, T0);
    assert_eq!(
        render_all(&actions),
        [
            "upload_attachment #2 POST /v1/attachment/DEMO step.png".to_owned(),
            // Waiting for the upload, until the end-of-run deadline.
            format!("wait {}", T0 + testops_config().testops.upload_deadline_ms),
        ]
    );
    s.handle_http_response(
        T0 + 1,
        2,
        200,
        r#"{"status":true,"result":[{"hash":"b7c1"}]}"#.into(),
        None,
    )
    .unwrap();
    let actions = drain(&mut s, T0 + 1);
    let body = upload_body(&actions[0]);
    assert_eq!(body["results"][0]["attachments"], json!(["b7c1"]));
    assert_eq!(
        body["results"][0]["steps"][0]["steps"][0]["data"]["action"],
        "take a screenshot"
    );
}

#[test]
fn report_mode_copies_step_attachments_next_to_their_result() {
    let mut s = Session::new(Config::default(), options(), T0).unwrap();
    s.add_results(T0, vec![with_step_attachment("a")]).unwrap();
    s.handle_all_tests_done(T0).unwrap();
    let actions = drain(&mut s, T0);
    let write = match &actions[0] {
        Action::WriteFiles(w) => w,
        other => panic!("{other:?}"),
    };
    let copy = write
        .files
        .iter()
        .find(|f| f.path.ends_with("-0-step.png"))
        .expect("the step's attachment copied");
    assert_eq!(copy.source.as_deref(), Some("/tmp/step.png"));
    let result: Value = serde_json::from_str(&write.files[0].content).unwrap();
    assert_eq!(result["attachments"][0]["file_path"], copy.path.as_str());
}

#[test]
fn grouped_parameters_are_sent_but_left_out_of_the_js_signature() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    created(&mut s, T0);
    let mut result = passed("Resizes");
    result.suite = vec!["ui".into()];
    result.params.insert("browser".into(), "Firefox".into());
    result.params.insert("width".into(), "1280".into());
    result.params.insert("height".into(), "720".into());
    result.param_groups = vec![vec!["width".into(), "height".into()]];
    s.add_results(T0, vec![result]).unwrap();
    s.handle(T0, Event::AllTestsDone {}).unwrap();
    let upload = drain(&mut s, T0)
        .into_iter()
        .find(|a| a.purpose() == "upload_results")
        .expect("an upload");
    let sent = &upload_body(&upload)["results"][0];
    // What the official JS reporter signs: its `params`, not its `group_params`.
    assert_eq!(sent["signature"], "ui::resizes::{'browser':'firefox'}");
    assert_eq!(
        sent["params"],
        json!({"browser": "Firefox", "width": "1280", "height": "720"})
    );
    assert_eq!(sent["param_groups"], json!([["width", "height"]]));
}

#[test]
fn a_host_signature_path_replaces_suite_and_title_in_the_js_signature() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    created(&mut s, T0);
    // `qase.title('Logs in with SSO')` on Playwright test `logs in` (file auth.spec.ts):
    // the reported title changes, the signature stays the one of Playwright's title path.
    let mut titled = passed("Logs in with SSO");
    titled.suite = vec!["auth.spec.ts".into()];
    titled.signature_path = Some(vec!["auth.spec.ts".into(), "logs in".into()]);
    // `qase.suite('Auth\tSSO')`: the official reporter signs the given suite only.
    let mut suited = passed("logs out");
    suited.suite = vec!["Auth\tSSO".into()];
    suited.signature_path = Some(vec!["Auth\tSSO".into()]);
    suited.params.insert("browser".into(), "Firefox".into());
    // Without one, the signature is built from suite + title, as before.
    let mut plain = passed("logs in");
    plain.suite = vec!["auth.spec.ts".into()];
    s.add_results(T0, vec![titled, suited, plain]).unwrap();
    s.handle(T0, Event::AllTestsDone {}).unwrap();
    let sent: Vec<Value> = drain(&mut s, T0)
        .iter()
        .filter(|a| a.purpose() == "upload_results")
        .flat_map(|a| upload_body(a)["results"].as_array().unwrap().clone())
        .collect();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0]["title"], "Logs in with SSO");
    assert_eq!(sent[0]["signature"], "auth.spec.ts::logs_in");
    assert_eq!(sent[0]["signature"], sent[2]["signature"]);
    assert_eq!(sent[1]["signature"], "auth::sso::{'browser':'firefox'}");
    assert_eq!(
        sent[1]["relations"]["suite"]["data"][0]["title"],
        "Auth\tSSO"
    );
    // The field is optional in the JSON shape and not written when absent.
    let json = serde_json::to_value(passed("x")).unwrap();
    assert!(json.get("signature_path").is_none());
    let read: TestResult =
        serde_json::from_value(json!({"title": "x", "signature_path": ["a", "b"]})).unwrap();
    assert_eq!(
        read.signature_path,
        Some(vec!["a".to_string(), "b".to_string()])
    );
}
