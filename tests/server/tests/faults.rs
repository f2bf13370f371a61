//! Fault injection over real HTTP: each fault kind, its place in the request log, the
//! outage window, faults after storing, and determinism of seeded faults.

mod common;

use common::{Server, TOKEN, logged, result, statuses, stored_ids};
use serde_json::{Value, json};

#[test]
fn listed_requests_get_5xx_429_and_413() {
    let server = Server::start();
    let id = server.create_run();
    let set = server.set_faults(json!({"upload": {
        "error": {"requests": [1], "status": 502},
        "rate_limit": {"requests": [2], "retry_after": 7},
        "too_large": {"requests": [3]},
    }}));
    assert_eq!(set.status, 200);
    let answers: Vec<(u16, Option<String>)> = (0..4)
        .map(|i| {
            let a = server.upload(id, vec![result(&format!("r{i}"), "passed")]);
            (a.status, a.retry_after)
        })
        .collect();
    assert_eq!(
        answers,
        [
            (502, None),
            (429, Some("7".to_owned())),
            (413, None),
            (202, None)
        ]
    );
    let state = server.state();
    assert_eq!(
        logged(&state, "upload", "faults"),
        [
            json!(["error"]),
            json!(["rate_limit"]),
            json!(["too_large"]),
            json!([])
        ]
    );
    // Faulted requests were not processed: only the last result arrived.
    assert_eq!(stored_ids(&state, 0), [json!("r3")]);
}

#[test]
fn a_dropped_connection_gets_no_answer_and_nothing_is_stored() {
    let server = Server::start();
    let id = server.create_run();
    server.set_faults(json!({"upload": {"drop": {"requests": [1]}}}));
    let path = format!("/v2/DEMO/run/{id}/results");
    let body = json!({"results": [result("a", "passed")]});
    let dropped = server.request("POST", &path, Some(TOKEN), Some(body.clone()));
    assert!(dropped.is_err(), "expected no answer, got {dropped:?}");
    let retried = server.request("POST", &path, Some(TOKEN), Some(body));
    assert_eq!(retried.expect("an answer").status, 202);
    let state = server.state();
    assert_eq!(statuses(&state, "upload"), [Value::Null, json!(202)]);
    assert_eq!(state["requests"][1]["faults"], json!(["drop"]));
    assert_eq!(state["runs"][0]["results"].as_array().unwrap().len(), 1);
    assert_eq!(state["runs"][0]["duplicates"], 0);
}

#[test]
fn faults_after_store_lose_the_answer_but_keep_the_data() {
    let server = Server::start();
    let id = server.create_run();
    server.set_faults(json!({"upload": {
        "drop": {"requests": [1], "after_store": true},
        "error": {"requests": [2], "status": 500, "after_store": true},
    }}));
    let path = format!("/v2/DEMO/run/{id}/results");
    let body = json!({"results": [result("a", "passed")]});
    assert!(
        server
            .request("POST", &path, Some(TOKEN), Some(body.clone()))
            .is_err()
    );
    assert_eq!(server.upload(id, vec![result("a", "passed")]).status, 500);
    assert_eq!(server.upload(id, vec![result("a", "passed")]).status, 202);
    let state = server.state();
    let run = &state["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 1);
    assert_eq!(run["duplicates"], 2);
    assert_eq!(
        statuses(&state, "upload"),
        [Value::Null, json!(500), json!(202)]
    );
    assert_eq!(state["requests"][1]["faults"], json!(["drop_after_store"]));
    assert_eq!(state["requests"][2]["faults"], json!(["error_after_store"]));
}

#[test]
fn a_slow_response_still_answers_and_is_logged_with_its_delay() {
    let server = Server::start();
    server.set_faults(json!({"project": {"slow": {"requests": [1], "delay_ms": 150}}}));
    assert_eq!(server.api("GET", "/v1/project/DEMO", None).status, 200);
    assert_eq!(server.api("GET", "/v1/project/DEMO", None).status, 200);
    let state = server.state();
    assert_eq!(state["requests"][0]["faults"], json!(["slow"]));
    assert_eq!(state["requests"][0]["delay_ms"], 150);
    assert_eq!(state["requests"][1]["faults"], json!([]));
    assert_eq!(state["requests"][1]["delay_ms"], Value::Null);
}

#[test]
fn an_outage_fails_every_endpoint_in_its_window() {
    let server = Server::start();
    let id = server.create_run();
    server.set_faults(json!({"outage": {"start": 2, "length": 3, "status": 502}}));
    let run_path = format!("/v1/run/DEMO/{id}");
    let got = [
        server.api("GET", "/v1/project/DEMO", None).status,
        server.api("GET", &run_path, None).status,
        server.upload(id, vec![result("a", "passed")]).status,
        server.api("GET", "/v1/project/DEMO", None).status,
        server.upload(id, vec![result("a", "passed")]).status,
    ];
    assert_eq!(got, [200, 502, 502, 502, 202]);
    let state = server.state();
    let outage: Vec<bool> = state["requests"].as_array().unwrap()[1..]
        .iter()
        .map(|r| r["faults"] == json!(["outage"]))
        .collect();
    assert_eq!(outage, [false, true, true, true, false]);
}

#[test]
fn an_outage_can_drop_connections() {
    let server = Server::start();
    server.set_faults(json!({"outage": {"length": 2, "drop": true}}));
    for _ in 0..2 {
        assert!(
            server
                .request("GET", "/v1/project/DEMO", Some(TOKEN), None)
                .is_err()
        );
    }
    assert_eq!(server.api("GET", "/v1/project/DEMO", None).status, 200);
    assert_eq!(
        statuses(&server.state(), "project"),
        [Value::Null, Value::Null, json!(200)]
    );
}

#[test]
fn faults_on_create_run_get_run_and_complete() {
    let server = Server::start();
    server.set_faults(json!({
        "create_run": {"error": {"requests": [1]}},
        "get_run": {"rate_limit": {"requests": [1]}},
        "complete": {"error": {"requests": [1], "status": 504}},
    }));
    let create = server.api("POST", "/v1/run/DEMO", Some(json!({"title": "T"})));
    assert_eq!(create.status, 503, "the default error status");
    let id = server.create_run();
    let get = server.api("GET", &format!("/v1/run/DEMO/{id}"), None);
    assert_eq!((get.status, get.retry_after.as_deref()), (429, Some("1")));
    let complete = format!("/v1/run/DEMO/{id}/complete");
    assert_eq!(server.api("POST", &complete, None).status, 504);
    assert_eq!(server.api("POST", &complete, None).status, 200);
    let state = server.state();
    assert_eq!(state["totals"]["runs"], 1);
    assert_eq!(state["runs"][0]["complete_calls"], 1);
}

/// Sends 40 uploads and returns the status of each.
fn seeded_statuses(server: &Server, seed: u64) -> Vec<u16> {
    let id = server.create_run();
    let set = server.set_faults(json!({"seed": seed, "upload": {
        "error": {"probability": 0.2},
        "rate_limit": {"probability": 0.2, "retry_after": 0},
        "too_large": {"probability": 0.1},
    }}));
    assert_eq!(set.body["seed"], seed);
    (0..40)
        .map(|i| {
            server
                .upload(id, vec![result(&format!("r{i}"), "passed")])
                .status
        })
        .collect()
}

#[test]
fn seeded_faults_repeat_for_the_same_seed_and_differ_for_another() {
    let first = Server::start();
    let a = seeded_statuses(&first, 11);
    let second = Server::start();
    let b = seeded_statuses(&second, 11);
    assert_eq!(a, b);
    // Reinstalling on the same server restarts the request numbers: same faults again.
    assert_eq!(seeded_statuses(&first, 11), a);
    let c = seeded_statuses(&second, 12);
    assert_ne!(a, c);
    for statuses in [&a, &c] {
        for code in [202, 503, 429] {
            assert!(statuses.contains(&code), "{code} missing in {statuses:?}");
        }
    }
}

#[test]
fn the_seed_flag_and_a_fault_file_configure_faults_at_start_up() {
    let dir = std::env::temp_dir().join(format!("fake-qase-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("faults.json");
    let config = json!({"upload": {"error": {"probability": 0.5}}});
    std::fs::write(&file, config.to_string()).unwrap();
    let path = file.to_str().unwrap();
    let run = |seed: &str| {
        let server = Server::start_with(&["--faults", path, "--seed", seed]);
        assert_eq!(server.state()["seed"], seed.parse::<u64>().unwrap());
        let id = server.create_run();
        (0..30)
            .map(|i| {
                server
                    .upload(id, vec![result(&format!("r{i}"), "passed")])
                    .status
            })
            .collect::<Vec<u16>>()
    };
    let five = run("5");
    assert_eq!(run("5"), five);
    assert_ne!(run("6"), five);
    assert!(five.contains(&503) && five.contains(&202), "{five:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_invalid_fault_config_is_refused() {
    let server = Server::start();
    let kept = json!({"upload": {"error": {"requests": [3]}}});
    assert_eq!(server.set_faults(kept.clone()).status, 200);
    for bad in [
        json!({"upload": {"error": {"probability": 2.0}}}),
        json!({"upload": {"error": {"status": 404}}}),
        json!({"uplaod": {}}),
        json!({"upload": {"slow": {"requests": [1]}}}),
        json!({"upload": {"hang": {"requests": [1], "after": true}}}),
        json!({"upload": {"drip": {"interval_ms": 0}}}),
        json!({"upload": {"redirect": {"status": 200}}}),
        json!({"upload": {"redirect": {"location": "elsewhere"}}}),
    ] {
        let answer = server.set_faults(bad.clone());
        assert_eq!(answer.status, 400, "{bad}");
        assert_eq!(answer.body["ok"], false);
    }
    assert_eq!(
        server.state()["faults"]["upload"]["error"]["requests"],
        json!([3])
    );
}

#[test]
fn client_faults_hit_only_the_client_named_by_its_token() {
    let server = Server::start_with(&["--client", "job3=token-of-job-3"]);
    let id = server.create_run();
    server.set_faults(json!({"clients": {"job3": {
        "upload": {"drop": {"requests": [1, 2]}},
    }}}));
    let path = format!("/v2/DEMO/run/{id}/results");
    let body = |i: u32| Some(json!({"results": [result(&format!("r{i}"), "passed")]}));
    let job3 = |i| server.request("POST", &path, Some("token-of-job-3"), body(i));
    let default = |i| server.request("POST", &path, Some(TOKEN), body(i));
    assert_eq!(default(1).unwrap().status, 202);
    assert!(job3(2).is_err());
    assert_eq!(default(3).unwrap().status, 202);
    assert!(job3(4).is_err());
    assert_eq!(job3(5).unwrap().status, 202);
    assert_eq!(
        server
            .request("POST", &path, Some("nobody"), body(6))
            .unwrap()
            .status,
        401
    );
    let state = server.state();
    let log: Vec<(Value, Value, Value)> = state["requests"].as_array().unwrap()[1..]
        .iter()
        .map(|r| {
            (
                r["client"].clone(),
                r["client_n"].clone(),
                r["status"].clone(),
            )
        })
        .collect();
    assert_eq!(
        log,
        [
            (json!("default"), json!(1), json!(202)),
            (json!("job3"), json!(1), Value::Null),
            (json!("default"), json!(2), json!(202)),
            (json!("job3"), json!(2), Value::Null),
            (json!("job3"), json!(3), json!(202)),
            (Value::Null, Value::Null, json!(401)),
        ]
    );
    assert_eq!(
        stored_ids(&state, 0),
        [json!("r1"), json!("r3"), json!("r5")]
    );
    assert!(!state.to_string().contains("token-of-job-3"));
}

#[test]
fn a_client_outage_is_one_job_losing_its_connection_for_good() {
    let server = Server::start_with(&["--client", "job2=t2"]);
    let id = server.create_run();
    server.set_faults(json!({"clients": {"job2": {"outage": {"length": 1000000, "drop": true}}}}));
    let path = format!("/v2/DEMO/run/{id}/results");
    for i in 0..3 {
        let body = Some(json!({"results": [result(&format!("r{i}"), "passed")]}));
        assert!(
            server
                .request("POST", &path, Some("t2"), body.clone())
                .is_err()
        );
        assert_eq!(
            server
                .request("POST", &path, Some(TOKEN), body)
                .unwrap()
                .status,
            202
        );
    }
    let get_run = server.request("GET", &format!("/v1/run/DEMO/{id}"), Some("t2"), None);
    assert!(get_run.is_err());
}

#[test]
fn a_malformed_client_flag_stops_start_up_without_echoing_it() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_fake-qase"))
        .args(["--token", TOKEN, "--client", "secret-token-without-name"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("NAME=TOKEN"), "{stderr}");
    assert!(!stderr.contains("secret-token-without-name"), "{stderr}");
}
