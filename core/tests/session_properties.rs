//! Property tests of the session (proptest): for ANY sequence of host answers and times,
//! every result ends acknowledged exactly once or in the fallback (never both, never
//! neither), no result is in two in-flight uploads, `complete_run` is in flight at most once, never
//! after a successful one, and only after every result was acknowledged, and the session finishes by the deadline.

mod session_support;

use proptest::prelude::*;
use serde_json::Value;
use session_support::*;
use std::collections::{BTreeMap, BTreeSet};
use testrelay::session::{Action, Event};
use testrelay::*;

#[derive(Clone, Copy, Debug)]
enum Answer {
    Ok,
    ServerError,
    TooMany(u8),
    TooLarge,
    BadRequest,
    NoResponse,
    Never,
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        4 => Just(Answer::Ok),
        1 => Just(Answer::ServerError),
        1 => (0u8..4).prop_map(Answer::TooMany),
        1 => Just(Answer::TooLarge),
        1 => Just(Answer::BadRequest),
        1 => Just(Answer::NoResponse),
        1 => Just(Answer::Never),
    ]
}

#[derive(Clone, Debug)]
enum Op {
    Add(usize),
    Advance(u64),
    Answer,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1usize..6).prop_map(Op::Add),
        (0u64..5_000).prop_map(Op::Advance),
        Just(Op::Answer),
    ]
}

#[derive(Debug)]
struct Host {
    answers: Vec<Answer>,
    next_answer: usize,
    /// HTTP requests waiting for an answer: id → (kind, result ids).
    open: BTreeMap<u64, (&'static str, Vec<String>)>,
    /// When the host aborts each open request (its `timeout_ms` after it was sent).
    expires: BTreeMap<u64, u64>,
    /// Requests the server will never answer: still in flight until the host aborts them.
    hanging: BTreeMap<u64, (&'static str, Vec<String>)>,
    in_flight_ids: BTreeSet<String>,
    acked: BTreeSet<String>,
    fallback: BTreeSet<String>,
    complete_open: bool,
    complete_ok: bool,
    added: usize,
    stop_answering_at: Option<u64>,
}

impl Host {
    /// Looks at one action: checks the invariants, answers file writes at once.
    fn see(&mut self, s: &mut Session, now: u64, action: &Action) -> Result<(), TestCaseError> {
        match action {
            Action::Http(r) if !matches!(r.purpose.as_str(), "upload_results" | "complete_run") => {
                self.open.insert(r.request_id, ("run", Vec::new()));
                self.expires.insert(r.request_id, now + r.timeout_ms);
            }
            Action::Http(r) if r.purpose == "upload_results" => {
                let body: Value = serde_json::from_str(&r.body).unwrap();
                let ids: Vec<String> = body["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["id"].as_str().unwrap().to_owned())
                    .collect();
                prop_assert_eq!(Some(ids.len()), r.count);
                for id in &ids {
                    prop_assert!(
                        self.in_flight_ids.insert(id.clone()),
                        "{} in two uploads",
                        id
                    );
                    prop_assert!(!self.acked.contains(id), "{} resent after its ack", id);
                }
                self.open.insert(r.request_id, ("upload", ids));
                self.expires.insert(r.request_id, now + r.timeout_ms);
            }
            Action::Http(r) => {
                // A retry after a failed try is the same command; a second completion is not.
                prop_assert!(!self.complete_open, "two complete_run in flight");
                prop_assert!(
                    !self.complete_ok,
                    "complete_run after the run was completed"
                );
                self.complete_open = true;
                prop_assert_eq!(self.acked.len(), self.added, "complete before every ack");
                prop_assert!(self.fallback.is_empty());
                self.open.insert(r.request_id, ("complete", Vec::new()));
                self.expires.insert(r.request_id, now + r.timeout_ms);
            }
            Action::Multipart(a) => {
                self.open.insert(a.request_id, ("attachment", Vec::new()));
                self.expires.insert(a.request_id, now + a.timeout_ms);
            }
            Action::WriteFiles(w) if w.purpose == "write_report" => {
                prop_assert!(false, "testops mode wrote a report: {:?}", w)
            }
            Action::WriteFiles(w) => {
                for file in &w.files {
                    if let Some(id) = file.path.strip_prefix("results/") {
                        let id = id.trim_end_matches(".json").to_owned();
                        prop_assert!(!self.acked.contains(&id), "{} acked and in fallback", id);
                        prop_assert!(self.fallback.insert(id.clone()), "{} saved twice", id);
                    }
                }
                s.handle_report_written(now, w.request_id).unwrap();
            }
            Action::Log { message, .. } => prop_assert!(!message.contains(TOKEN)),
            Action::Wait { .. } | Action::Finished { .. } => {}
        }
        Ok(())
    }

    /// Answers the oldest open HTTP request with the next scripted answer.
    fn answer_one(&mut self, s: &mut Session, now: u64) {
        if self.stop_answering_at.is_some_and(|t| now >= t) {
            return;
        }
        let Some((&id, _)) = self.open.iter().next() else {
            return;
        };
        let answer = self.answers[self.next_answer % self.answers.len()];
        self.next_answer += 1;
        let (kind, ids) = self.open.remove(&id).unwrap();
        if matches!(answer, Answer::Never) {
            self.hanging.insert(id, (kind, ids));
            return;
        }
        self.expires.remove(&id);
        if kind == "complete" {
            self.complete_open = false;
            self.complete_ok = matches!(answer, Answer::Ok);
        }
        let result = match answer {
            Answer::Never => unreachable!("kept hanging above"),
            Answer::Ok => {
                if kind == "upload" {
                    for id in &ids {
                        assert!(self.acked.insert(id.clone()), "{id} acknowledged twice");
                    }
                }
                let body = if kind == "attachment" {
                    r#"{"status":true,"result":[{"hash":"h9"}]}"#
                } else {
                    r#"{"status":true,"result":{"id":9}}"#
                };
                s.handle_http_response(now, id, 200, body.into(), None)
            }
            Answer::ServerError => s.handle_http_response(now, id, 503, String::new(), None),
            Answer::TooMany(secs) => {
                s.handle_http_response(now, id, 429, String::new(), Some(secs.to_string()))
            }
            Answer::TooLarge => s.handle_http_response(now, id, 413, String::new(), None),
            Answer::BadRequest => s.handle_http_response(now, id, 400, String::new(), None),
            Answer::NoResponse => s.handle_http_failed(now, id, "reset".into()),
        };
        for rid in &ids {
            self.in_flight_ids.remove(rid);
        }
        result.unwrap();
    }

    /// A host aborts a request at its timeout, as the session gives up on it then.
    fn abort_expired(&mut self, now: u64) {
        let expired: Vec<u64> = self
            .expires
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            self.expires.remove(&id);
            if let Some((kind, ids)) = self.open.remove(&id).or_else(|| self.hanging.remove(&id)) {
                if kind == "complete" {
                    self.complete_open = false;
                }
                for rid in &ids {
                    self.in_flight_ids.remove(rid);
                }
            }
        }
    }

    fn drain(&mut self, s: &mut Session, now: u64) -> Result<Action, TestCaseError> {
        self.abort_expired(now);
        for _ in 0..10_000 {
            let action = s.poll(now);
            self.see(s, now, &action)?;
            if action.ends_drain() {
                return Ok(action);
            }
        }
        Err(TestCaseError::fail("drain never ended"))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn nothing_is_lost_or_sent_twice(
        ops in prop::collection::vec(op(), 0..40),
        answers in prop::collection::vec(answer(), 1..12),
        batch_size in 1usize..5,
        in_flight in 1usize..4,
        retries in 1u32..5,
        deadline in 1_000u64..60_000,
        join_run in any::<bool>(),
        told_to_complete in any::<bool>(),
        completed_elsewhere in any::<bool>(),
    ) {
        let mut config = testops_config();
        config.testops.batch_size = batch_size;
        config.testops.uploads_in_flight = in_flight;
        config.testops.upload_retries = Some(retries);
        config.testops.upload_deadline_ms = deadline;
        if join_run {
            config.testops.run_id = Some(9);
        }
        let mut now = 1_000_000u64;
        // A job whose run another step completes (it hands its receipt on) never completes it
        // unless told to.
        let job = SessionOptions { receipts: completed_elsewhere, ..options() };
        let mut s = Session::new(config, job, now).unwrap();
        let mut host = Host {
            answers, next_answer: 0, open: BTreeMap::new(), expires: BTreeMap::new(), hanging: BTreeMap::new(), in_flight_ids: BTreeSet::new(),
            acked: BTreeSet::new(), fallback: BTreeSet::new(), complete_open: false, complete_ok: false, added: 0,
            stop_answering_at: None,
        };
        host.drain(&mut s, now)?;
        if told_to_complete {
            s.handle(now, Event::CompleteRunRequested {}).unwrap();
        }
        for op in ops {
            match op {
                Op::Add(n) => {
                    // Every third test has an attachment: it waits for its upload first.
                    let results = (0..n)
                        .map(|i| {
                            let k = host.added + i;
                            let mut result = passed(&format!("t{k}"));
                            if k % 3 == 0 {
                                result.attachments.push(Attachment {
                                    name: format!("a{k}.txt"),
                                    content: Some("aGk=".into()),
                                    ..Attachment::default()
                                });
                            }
                            result
                        })
                        .collect();
                    s.add_results(now, results).unwrap();
                    host.added += n;
                }
                Op::Advance(ms) => now += ms,
                Op::Answer => host.answer_one(&mut s, now),
            }
            host.drain(&mut s, now)?;
        }
        let done = now;
        s.handle_all_tests_done(now).unwrap();
        host.stop_answering_at = Some(done + deadline);
        let receipt = loop {
            match host.drain(&mut s, now)? {
                Action::Finished { receipt } => break receipt,
                Action::Wait { until } => {
                    if host.open.is_empty() || host.stop_answering_at.is_some_and(|t| now >= t) {
                        let until = until.expect("after all_tests_done there is always a timer");
                        prop_assert!(until <= done + deadline, "waits past the deadline");
                        now = now.max(until);
                    } else {
                        host.answer_one(&mut s, now);
                        // The host's clock moves on, but never past the deadline by itself:
                        // the session can only finish when it is polled.
                        now = (now + 10).min(done + deadline);
                    }
                }
                _ => unreachable!(),
            }
        };
        prop_assert!(now <= done + deadline, "finished at {} after the deadline {}", now, done + deadline);
        prop_assert_eq!(receipt.lost, 0);
        prop_assert_eq!(receipt.results_seen as usize, host.added);
        prop_assert_eq!(receipt.acknowledged as usize, host.acked.len());
        prop_assert_eq!(receipt.in_fallback as usize, host.fallback.len());
        prop_assert_eq!(host.acked.len() + host.fallback.len(), host.added, "every result once");
        prop_assert_eq!(receipt.completed, host.complete_ok);
        if receipt.completed {
            prop_assert!(!completed_elsewhere || told_to_complete);
        }
    }
}
