//! The Qase API subset over real HTTP: every endpoint, auth, validation, 413 over 200
//! results, idempotency by result id.

mod common;

use common::{Server, logged, result, stored_ids};
use serde_json::{Value, json};

#[test]
fn project_exists_for_any_code_by_default() {
    let server = Server::start();
    let answer = server.api("GET", "/v1/project/DEMO", None);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["status"], true);
    assert_eq!(answer.body["result"]["code"], "DEMO");
}

#[test]
fn only_listed_projects_exist_when_projects_are_given() {
    let server = Server::start_with(&["--project", "DEMO"]);
    assert_eq!(server.api("GET", "/v1/project/DEMO", None).status, 200);
    let other = server.api("GET", "/v1/project/OTHER", None);
    assert_eq!(other.status, 404);
    assert_eq!(other.body["status"], false);
    let create = server.api("POST", "/v1/run/OTHER", Some(json!({"title": "T"})));
    assert_eq!(create.status, 404);
}

#[test]
fn a_missing_or_wrong_token_is_401_and_changes_nothing() {
    let server = Server::start();
    for token in [None, Some("wrong")] {
        let answer = server
            .request("POST", "/v1/run/DEMO", token, Some(json!({"title": "T"})))
            .expect("an answer");
        assert_eq!(answer.status, 401);
        assert_eq!(answer.body["status"], false);
    }
    let state = server.state();
    assert_eq!(state["runs"], json!([]));
    let logged: Vec<&Value> = state["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(logged, [&json!(401), &json!(401)]);
}

#[test]
fn run_lifecycle_create_get_upload_complete() {
    let server = Server::start();
    let body = json!({
        "title": "Automated run 2026-11-22T04:00:00Z",
        "description": "from CI",
        "is_autotest": true,
        "start_time": "2026-11-22 04:00:00",
        "tags": ["ci", "nightly"],
        "plan_id": 3,
        "configurations": [1, 2],
    });
    let created = server.api("POST", "/v1/run/DEMO", Some(body.clone()));
    assert_eq!(created.status, 200);
    assert_eq!(created.body["status"], true);
    let id = created.body["result"]["id"].as_u64().expect("a numeric id");

    let path = format!("/v1/run/DEMO/{id}");
    let run = server.api("GET", &path, None);
    assert_eq!(run.status, 200);
    assert_eq!(run.body["result"]["id"], id);
    assert_eq!(run.body["result"]["title"], body["title"]);
    assert_eq!(run.body["result"]["status_text"], "active");
    assert_eq!(
        run.body["result"]["start_time"],
        "2026-11-22T04:00:00+00:00"
    );
    assert_eq!(run.body["result"]["tags"][1]["title"], "nightly");

    let uploaded = server.upload(id, vec![result("a", "passed"), result("b", "failed")]);
    assert_eq!(uploaded.status, 202);
    assert_eq!(uploaded.body, json!({"status": true}));

    let complete = server.api("POST", &format!("/v1/run/DEMO/{id}/complete"), None);
    assert_eq!(complete.status, 200);
    assert_eq!(complete.body, json!({"status": true}));

    let run = server.api("GET", &path, None);
    assert_eq!(run.body["result"]["status"], 1);
    assert_eq!(run.body["result"]["stats"]["total"], 2);
    assert_eq!(run.body["result"]["stats"]["failed"], 1);

    let state = server.state();
    let stored = &state["runs"][0];
    assert_eq!(stored["id"], id);
    assert_eq!(stored["project"], "DEMO");
    assert_eq!(stored["body"], body);
    assert_eq!(stored["completed"], true);
    assert_eq!(stored["complete_calls"], 1);
    assert_eq!(stored["results"][1]["payload"], result("b", "failed"));
}

#[test]
fn unknown_runs_are_404_and_run_ids_are_per_project() {
    let server = Server::start();
    let id = server.create_run();
    for path in [
        format!("/v1/run/DEMO/{}", id + 1),
        format!("/v1/run/OTHER/{id}"),
        "/v1/run/DEMO/not-a-number".to_owned(),
    ] {
        assert_eq!(server.api("GET", &path, None).status, 404, "{path}");
    }
    let upload = server.api(
        "POST",
        &format!("/v2/OTHER/run/{id}/results"),
        Some(json!({"results": [result("a", "passed")]})),
    );
    assert_eq!(upload.status, 404);
    let complete = server.api("POST", &format!("/v1/run/DEMO/{}/complete", id + 1), None);
    assert_eq!(complete.status, 404);
    assert_eq!(server.api("GET", "/v1/nothing/here", None).status, 404);
    let state = server.state();
    assert_eq!(
        state["requests"].as_array().unwrap().last().unwrap()["endpoint"],
        Value::Null
    );
}

#[test]
fn two_hundred_results_pass_and_201_are_413() {
    let server = Server::start();
    let id = server.create_run();
    let batch = |from: usize, count: usize| -> Vec<Value> {
        (from..from + count)
            .map(|i| result(&format!("r{i}"), "passed"))
            .collect()
    };
    assert_eq!(server.upload(id, batch(0, 200)).status, 202);
    let too_many = server.upload(id, batch(200, 201));
    assert_eq!(too_many.status, 413);
    assert_eq!(too_many.body["status"], false);
    let state = server.state();
    assert_eq!(state["runs"][0]["results"].as_array().unwrap().len(), 200);
    assert_eq!(
        logged(&state, "upload", "results"),
        [json!(200), json!(201)]
    );
}

#[test]
fn a_result_id_seen_before_is_not_stored_twice() {
    let server = Server::start();
    let id = server.create_run();
    let changed = json!({"id": "a", "title": "other", "execution": {"status": "failed"}});
    let anonymous = json!({"title": "no id", "execution": {"status": "passed"}});
    assert_eq!(
        server
            .upload(id, vec![result("a", "passed"), anonymous.clone()])
            .status,
        202
    );
    assert_eq!(
        server
            .upload(id, vec![result("a", "passed"), result("b", "passed")])
            .status,
        202
    );
    assert_eq!(server.upload(id, vec![changed, anonymous]).status, 202);
    let state = server.state();
    assert_eq!(
        stored_ids(&state, 0),
        [json!("a"), Value::Null, json!("b"), Value::Null]
    );
    let run = &state["runs"][0];
    assert_eq!(run["results"][0]["payload"], result("a", "passed"));
    assert_eq!(run["duplicates"], 2);
    assert_eq!(run["conflicting_duplicates"], 1);
    assert_eq!(run["uploads"], 3);
}

#[test]
fn the_same_result_id_in_two_runs_is_two_results() {
    let server = Server::start();
    let first = server.create_run();
    let second = server.create_run();
    assert_ne!(first, second);
    server.upload(first, vec![result("a", "passed")]);
    server.upload(second, vec![result("a", "passed")]);
    let state = server.state();
    assert_eq!(state["totals"]["results"], 2);
    assert_eq!(state["totals"]["duplicates"], 0);
}

#[test]
fn malformed_bodies_are_400_and_store_nothing() {
    let server = Server::start();
    let id = server.create_run();
    let path = format!("/v2/DEMO/run/{id}/results");
    for body in ["not json", "[]", "{}", r#"{"results": {}}"#] {
        let answer = server.post_raw(&path, body);
        assert_eq!(answer.status, 400, "{body}");
        assert_eq!(answer.body["status"], false, "{body}");
    }
    let invalid = server.upload(
        id,
        vec![
            result("ok", "passed"),
            json!({"id": "x", "title": "T", "execution": {"status": "passed", "duration": "5"}}),
            json!({"id": "y", "title": "T", "testops_id": 1, "testops_ids": [1], "execution": {"status": "passed"}}),
        ],
    );
    assert_eq!(invalid.status, 400);
    let fields: Vec<&Value> = invalid.body["errorFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["field"])
        .collect();
    assert_eq!(
        fields,
        [
            &json!("results.1.execution.duration"),
            &json!("results.2.testops_ids")
        ]
    );
    let run = server.post_raw("/v1/run/DEMO", r#"{"title": 5}"#);
    assert_eq!(run.status, 400);
    assert_eq!(run.body["errorFields"][0]["field"], "title");
    let state = server.state();
    assert_eq!(state["totals"]["results"], 0);
    assert_eq!(state["totals"]["runs"], 1);
}

#[test]
fn uploads_into_a_completed_run_are_refused_and_counted() {
    let server = Server::start();
    let id = server.create_run();
    let complete = format!("/v1/run/DEMO/{id}/complete");
    assert_eq!(server.api("POST", &complete, None).status, 200);
    assert_eq!(server.api("POST", &complete, None).status, 200);
    assert_eq!(
        server.upload(id, vec![result("late", "passed")]).status,
        400
    );
    let run = &server.state()["runs"][0];
    assert_eq!(run["complete_calls"], 2);
    assert_eq!(run["uploads_after_complete"], 1);
    assert_eq!(run["results"], json!([]));
}
