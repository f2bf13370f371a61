//! Drives a session with arbitrary operation sequences: it never panics, every error has a
//! documented code (misuse only), and after `all_tests_done` it finishes by the deadline
//! with nothing lost when the host writes every file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use testrelay::config::TestopsConfig;
use testrelay::session::{Action, Event};
use testrelay::*;

const STATUSES: [u16; 12] = [200, 201, 400, 401, 404, 408, 413, 422, 429, 500, 503, 504];

struct Fuzz<'a> {
    data: &'a [u8],
}

impl Fuzz<'_> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self
            .data
            .split_first()
            .map_or((0, &[][..]), |(f, r)| (*f, r));
        self.data = rest;
        first
    }
}

fn drain(s: &mut Session, now: u64, http: &mut BTreeSet<u64>, files: &mut BTreeSet<u64>) -> Action {
    for _ in 0..100_000 {
        let action = s.poll(now);
        if let Some(r) = action.http_request() {
            http.insert(r.request_id);
            continue;
        }
        match &action {
            Action::WriteFiles(w) => {
                files.insert(w.request_id);
            }
            Action::Wait { .. } | Action::Finished { .. } => return action,
            _ => {} // log lines; HTTP actions were counted above
        }
    }
    panic!("drain never ended");
}

fn check(result: Result<(), Error>) {
    if let Err(e) = result {
        assert!(
            matches!(e.code(), ErrorCode::WrongState | ErrorCode::UnknownRequest),
            "undocumented error {e:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let mut f = Fuzz { data };
    let flags = f.byte();
    let mode = match flags % 3 {
        0 => Mode::Testops,
        1 => Mode::Report,
        _ => Mode::Off,
    };
    let deadline = 1_000 + u64::from(f.byte()) * 100;
    let config = Config {
        mode,
        debug: flags & 8 != 0,
        root_suite: (flags & 16 != 0).then(|| "Root".to_owned()),
        testops: TestopsConfig {
            api_token: Some(Secret::new("t")),
            project: Some("P".into()),
            run_id: (flags & 32 != 0).then_some(5),
            batch_size: usize::from(f.byte() % 5) + 1,
            uploads_in_flight: usize::from(f.byte() % 3) + 1,
            upload_retries: Some(u32::from(f.byte() % 4)),
            upload_deadline_ms: deadline,
            batch_bytes: 200 + usize::from(f.byte()) * 20,
            ..TestopsConfig::default()
        },
        ..Config::default()
    };
    let mut now = 10_000u64;
    let Ok(mut s) = Session::new(
        config,
        SessionOptions {
            // Whether another step completes the run: the fuzzer picks the job kind too.
            receipts: f.byte() % 2 == 1,
            worker: f.byte() % 3 == 1,
            ..SessionOptions::new("fuzz")
        },
        now,
    ) else {
        return;
    };
    let (mut http, mut files) = (BTreeSet::new(), BTreeSet::new());
    drain(&mut s, now, &mut http, &mut files);
    let mut done_at = None;
    while !f.data.is_empty() {
        let op = f.byte();
        let arg = f.byte();
        let result = match op % 8 {
            0 => {
                let title = format!("t{arg} (Qase ID: {}, {})", arg % 3, i16::from(arg) - 100);
                let result = TestResult {
                    title,
                    node_id: (arg & 1 == 1).then(|| format!("tests/a.py::t{arg}")),
                    outcome: Outcome {
                        runner_status: Some(
                            ["passed", "failed", "skipped", "timedOut"][usize::from(arg % 4)]
                                .into(),
                        ),
                        ..Outcome::default()
                    },
                    attempt: u32::from(arg % 2),
                    ..TestResult::default()
                };
                s.add_results(now, vec![result])
            }
            1 => {
                now += u64::from(arg) * 50;
                Ok(())
            }
            2 => match http.pop_first() {
                Some(id) => s.handle_http_response(
                    now,
                    id,
                    STATUSES[usize::from(arg) % STATUSES.len()],
                    r#"{"result":{"id":5}}"#.into(),
                    Some((arg % 3).to_string()),
                ),
                None => Ok(()),
            },
            3 => match http.pop_first() {
                Some(id) => s.handle_http_failed(now, id, "x".into()),
                None => Ok(()),
            },
            4 => match files.pop_first() {
                Some(id) if arg & 1 == 0 => s.handle_report_written(now, id),
                Some(id) => s.handle_report_failed(now, id, "disk full".into()),
                None => Ok(()),
            },
            5 => {
                let r = s.handle_all_tests_done(now);
                if r.is_ok() {
                    done_at = Some(now);
                }
                r
            }
            6 => s.handle(
                now,
                Event::HttpResponse {
                    request_id: u64::from(arg),
                    status: u16::from(arg) * 3,
                    body: String::from_utf8_lossy(f.data).into_owned(),
                    retry_after: None,
                    // A 3xx with a location the fuzzer writes: redirects are judged by the core.
                    location: (arg % 2 == 0).then(|| String::from_utf8_lossy(f.data).into_owned()),
                },
            ),
            _ => s.handle_complete_run_requested(now),
        };
        check(result);
        drain(&mut s, now, &mut http, &mut files);
    }
    // The end: the host stops answering HTTP and writes every file at once.
    if done_at.is_none() && s.handle_all_tests_done(now).is_ok() {
        done_at = Some(now);
    }
    let Some(done_at) = done_at else { return };
    // The ops may have jumped past the deadline without polling; the first poll after it ends.
    let limit = (done_at + deadline).max(now);
    for _ in 0..10_000 {
        while let Some(id) = files.pop_first() {
            check(s.handle_report_written(now, id));
        }
        match drain(&mut s, now, &mut http, &mut files) {
            Action::Finished { .. } => {
                assert!(now <= limit, "finished after the deadline");
                return;
            }
            Action::Wait { until: Some(t) } => now = now.max(t),
            Action::Wait { until: None } if !files.is_empty() => {}
            other => panic!("stuck after all_tests_done: {other:?}"),
        }
    }
    panic!("never finished");
});
