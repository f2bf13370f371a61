//! Many clients at once on kept-alive connections, with every fault kind drawn at random:
//! the log and the stored results must add up exactly.

mod common;

use std::time::Duration;

use common::{Server, TOKEN, result};
use serde_json::{Value, json};
use ureq::Agent;

const THREADS: usize = 6;
const BATCHES_PER_THREAD: usize = 20;
const RESULTS_PER_BATCH: usize = 10;

/// Uploads one batch until it is accepted, like a reporter would (same ids every time).
fn upload_until_accepted(agent: &Agent, url: &str, batch: &[Value]) -> usize {
    let body = json!({ "results": batch });
    let mut attempts = 0;
    loop {
        attempts += 1;
        let answer = agent
            .post(url)
            .header("Token", TOKEN)
            .send_json(&body)
            .map(|r| r.status().as_u16());
        if matches!(answer, Ok(202)) {
            return attempts;
        }
        assert!(
            attempts < 200,
            "batch never accepted, last answer {answer:?}"
        );
    }
}

#[test]
fn concurrent_uploads_with_random_faults_lose_and_duplicate_nothing() {
    let server = Server::start_with(&["--seed", "2024"]);
    let id = server.create_run();
    server.set_faults(json!({"upload": {
        "drop": {"probability": 0.08},
        "error": {"probability": 0.1, "status": 502, "after_store": true},
        "rate_limit": {"probability": 0.1, "retry_after": 0},
        "too_large": {"probability": 0.05},
        "slow": {"probability": 0.1, "delay_ms": 5},
    }}));
    let url = format!("{}/v2/DEMO/run/{id}/results", server.url);
    let attempts: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|thread| {
                let url = url.clone();
                scope.spawn(move || {
                    let agent = common::agent(10);
                    (0..BATCHES_PER_THREAD)
                        .map(|b| {
                            let batch: Vec<Value> = (0..RESULTS_PER_BATCH)
                                .map(|i| result(&format!("t{thread}-b{b}-r{i}"), "passed"))
                                .collect();
                            upload_until_accepted(&agent, &url, &batch)
                        })
                        .sum::<usize>()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    let batches = THREADS * BATCHES_PER_THREAD;
    let state = server.state();
    let run = &state["runs"][0];
    let requests = state["requests"].as_array().unwrap();
    let uploads: Vec<&Value> = requests
        .iter()
        .filter(|r| r["endpoint"] == "upload")
        .collect();
    assert_eq!(uploads.len(), attempts);
    assert!(attempts > batches, "some faults must have fired");
    // Every result arrived once.
    assert_eq!(
        run["results"].as_array().unwrap().len(),
        batches * RESULTS_PER_BATCH
    );
    // Processed uploads: accepted ones and those faulted after storing. Their results are
    // either stored or counted as duplicates, nothing else.
    let processed = uploads
        .iter()
        .filter(|r| {
            r["status"] == 202
                || r["faults"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("error_after_store"))
        })
        .count();
    assert_eq!(processed, run["uploads"].as_u64().unwrap() as usize);
    assert_eq!(
        run["duplicates"].as_u64().unwrap() as usize,
        (processed - batches) * RESULTS_PER_BATCH
    );
    assert_eq!(run["conflicting_duplicates"], 0);
    for label in [
        "drop",
        "error_after_store",
        "rate_limit",
        "too_large",
        "slow",
    ] {
        let fired = uploads
            .iter()
            .any(|r| r["faults"].as_array().unwrap().contains(&json!(label)));
        assert!(fired, "{label} never fired");
    }
    let dropped = uploads.iter().filter(|r| r["status"].is_null()).count();
    let drop_faults = uploads
        .iter()
        .filter(|r| r["faults"].as_array().unwrap().contains(&json!("drop")))
        .count();
    assert_eq!(dropped, drop_faults);
}

#[test]
fn a_slow_answer_outlasts_a_short_client_timeout() {
    let server = Server::start();
    server.set_faults(json!({"project": {"slow": {"requests": [1], "delay_ms": 3000}}}));
    let agent = common::agent(10);
    let url = format!("{}/v1/project/DEMO", server.url);
    // A delay that did not happen would answer 200 here; the timeout can only fire if the
    // server really waits.
    let slow = agent
        .get(&url)
        .header("Token", TOKEN)
        .config()
        .timeout_global(Some(Duration::from_millis(300)))
        .build()
        .call();
    assert!(
        matches!(slow, Err(ureq::Error::Timeout(_))),
        "expected a timeout, got {slow:?}"
    );
    let next = agent.get(&url).header("Token", TOKEN).call().unwrap();
    assert_eq!(next.status(), 200);
}
