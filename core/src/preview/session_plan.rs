//! The session plan: what the real run [`Session`] (testops mode) would do with the previewed
//! results. A simulated host drives it: every request succeeds at one fixed simulated time,
//! a created run gets [`PLACEHOLDER_RUN_ID`], a configured run is found open, every upload is
//! acknowledged, every file write succeeds. The plan lists the requests the session sent
//! (with results and body bytes per upload: the byte budget may close a batch before the
//! batch size does), the log lines it printed, why the run was left open when it was, and
//! the receipt. Nothing here re-decides what the session decides.

use crate::config::{Config, Mode, Secret, TestopsConfig};
use crate::result::TestResult;
use crate::session::{Action, LogLevel, Receipt, Session, SessionOptions};
use serde::Serialize;

/// The id the simulated host gives a created run (the real one comes from Qase).
pub const PLACEHOLDER_RUN_ID: u64 = 1;

/// The simulated time of every answer: 2026-01-01T00:00:00Z, in ms since the Unix epoch.
pub const SIMULATED_NOW: u64 = 1_767_225_600_000;

/// A stand-in token: the session refuses testops mode without one. It is never sent and
/// never shown (the session keeps it for the `Token` header, which the simulation has not).
const SIMULATED_TOKEN: &str = "preview-token-never-sent";

/// One thing the session asked the host to do (a request or a file write).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedStep {
    /// What the action is for (its `purpose`): `create_run`, `check_run`,
    /// `upload_attachment`, `upload_results`, `complete_run`, `save_fallback`, `write_report`.
    pub action: String,
    /// `GET` / `POST`; empty for a file write.
    pub method: String,
    /// The request path (`/v2/DEMO/run/1/results`), or the folder of a file write.
    pub path: String,
    /// For an upload: the results it carries; for a file write: the files.
    pub results: Option<usize>,
    /// The request body's size in bytes (for a file write: the files' text).
    pub bytes: usize,
}

/// One line the session printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedLog {
    /// How loud.
    pub level: LogLevel,
    /// The line (never the token).
    pub message: String,
}

/// What the run session would do with the previewed results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SessionPlan {
    /// The simulated time of every answer (ms since the Unix epoch).
    pub now: u64,
    /// Every request and file write, in the order the session asked for them.
    pub steps: Vec<PlannedStep>,
    /// The uploads of results: how many results each carries (the steps', in order).
    pub uploads: Vec<usize>,
    /// Why the run was left open, or `null` when it was completed.
    pub left_open: Option<&'static str>,
    /// Every log line, in order (failure links, warnings, the summary).
    pub log: Vec<PlannedLog>,
    /// The receipt that ended the session.
    pub receipt: Receipt,
}

/// The answer body of a created or checked run: an open run with that id.
fn run_body(id: u64) -> String {
    format!(r#"{{"status":true,"result":{{"id":{id},"status":0,"status_text":"active"}}}}"#)
}

/// The `testops.api.host` whose web app is `app` (the inverse of
/// [`TestopsConfig::app_base`]): `https://app.qase.io` (or none) → `qase.io`, `https://h` →
/// `h`, any other URL as is.
pub(crate) fn api_host(app: Option<&str>) -> String {
    let app = app.map_or("https://app.qase.io", |a| a.trim_end_matches('/'));
    match app.strip_prefix("https://") {
        Some("app.qase.io") => "qase.io".to_owned(),
        Some(host) => host.to_owned(),
        None => app.to_owned(),
    }
}

/// Runs the session over `results` under `config` (whose project MUST be set) with the
/// simulated host.
pub(crate) fn plan_session(mut config: Config, results: Vec<TestResult>) -> SessionPlan {
    let now = SIMULATED_NOW;
    config.mode = Mode::Testops;
    config.testops = TestopsConfig {
        api_token: Some(Secret::new(SIMULATED_TOKEN)),
        ..config.testops
    };
    let complete = config.testops.run_complete;
    let options = SessionOptions::new("preview".to_owned());
    let mut session = Session::new(config, options, now).unwrap_or_else(refused);
    let mut host = Host::default();
    // As a reporter: the run opens at start, tests finish, then the runner ends.
    host.drain(&mut session, now);
    session.add_results(now, results).unwrap_or_else(refused);
    host.drain(&mut session, now);
    session.handle_all_tests_done(now).unwrap_or_else(refused);
    let receipt = host.drain(&mut session, now).unwrap_or_else(|| {
        unreachable!("bug: the session did not finish with every request answered")
    });
    let left_open = (!receipt.completed).then(|| {
        if !complete {
            "completion is off (testops.run.complete: false)"
        } else if receipt.in_fallback + receipt.lost > 0 {
            "not every result was acknowledged"
        } else {
            "the session did not complete it"
        }
    });
    SessionPlan {
        now,
        uploads: host
            .steps
            .iter()
            .filter(|s| s.action == "upload_results")
            .filter_map(|s| s.results)
            .collect(),
        steps: host.steps,
        left_open,
        log: host.log,
        receipt,
    }
}

/// The simulated host: records each action and answers it with success at once.
#[derive(Debug, Default)]
struct Host {
    steps: Vec<PlannedStep>,
    log: Vec<PlannedLog>,
    attachments: u64,
}

impl Host {
    /// Polls until the session waits with nothing due, or finishes (its receipt).
    fn drain(&mut self, session: &mut Session, now: u64) -> Option<Receipt> {
        loop {
            let action = session.poll(now);
            // The simulated server answers by what the request is for.
            let answer = match &action {
                Action::Http(r) => match r.purpose.as_str() {
                    "create_run" | "create_configuration_group" | "create_configuration" => {
                        Some((200, run_body(PLACEHOLDER_RUN_ID)))
                    }
                    "check_run" => Some((200, run_body(session.run_id().unwrap_or_default()))),
                    // No configuration values are configured: never asked; answered empty.
                    "get_configurations" => Some((
                        200,
                        r#"{"status":true,"result":{"entities":[]}}"#.to_owned(),
                    )),
                    _ => Some((200, r#"{"status":true}"#.to_owned())),
                },
                Action::Multipart(_) => {
                    self.attachments += 1;
                    let hash = format!("preview-attachment-{}", self.attachments);
                    Some((
                        200,
                        format!(r#"{{"status":true,"result":[{{"hash":"{hash}"}}]}}"#),
                    ))
                }
                Action::WriteFiles(_) | Action::Log { .. } => None,
                Action::Wait { until: Some(until) } if *until <= now => continue,
                Action::Wait { .. } => return None,
                Action::Finished { receipt } => return Some(receipt.clone()),
            };
            self.record(&action);
            let answered = match (answer, action.request_id()) {
                (Some((status, body)), Some(id)) => {
                    session.handle_http_response(now, id, status, body, None)
                }
                (None, Some(id)) => session.handle_report_written(now, id),
                (_, None) => Ok(()),
            };
            answered.unwrap_or_else(refused);
        }
    }

    fn record(&mut self, action: &Action) {
        let step = |method: &str, path: &str, results, bytes| PlannedStep {
            action: action.purpose().to_owned(),
            method: method.to_owned(),
            path: path.to_owned(),
            results,
            bytes,
        };
        let planned = match action {
            Action::Log { level, message } => {
                self.log.push(PlannedLog {
                    level: *level,
                    message: message.clone(),
                });
                return;
            }
            Action::Multipart(a) => {
                let bytes = a.content.as_ref().map_or(0, String::len);
                step(&a.method, &a.path, None, bytes)
            }
            Action::WriteFiles(w) => {
                let bytes = w.files.iter().map(|f| f.content.len()).sum();
                step("", &w.dir, Some(w.files.len()), bytes)
            }
            Action::Http(r) => step(&r.method, &r.path, r.count, r.body.len()),
            Action::Wait { .. } | Action::Finished { .. } => return,
        };
        self.steps.push(planned);
    }
}

/// The session refused a call the simulated host made as the drain loop says: a bug.
fn refused<T>(e: crate::Error) -> T {
    unreachable!("bug: the session refused the preview's call: {e}")
}

#[cfg(test)]
mod tests {
    use crate::preview::{PreviewSettings, preview};
    use crate::result::{JunitElement, Outcome, TestResult};
    use serde_json::{Value, json};

    fn junit(title: &str, element: Option<JunitElement>) -> TestResult {
        TestResult {
            title: title.to_owned(),
            outcome: Outcome {
                framework: crate::result::Framework::JunitXml,
                element,
                ..Outcome::default()
            },
            ..TestResult::default()
        }
    }

    fn settings() -> PreviewSettings {
        PreviewSettings {
            app: Some("https://app.qase.io".into()),
            project: Some("DEMO".into()),
            ..PreviewSettings::default()
        }
    }

    /// The plan as JSON, with each step's body size apart (the payload's exact bytes are the
    /// session's business; the tests check them against the budget instead).
    fn plan_json(results: &[TestResult], settings: &PreviewSettings) -> (Value, Vec<u64>) {
        let plan = preview(results, settings).session.expect("a session plan");
        let mut value = serde_json::to_value(&plan).unwrap();
        let bytes = value["steps"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .map(|step| step.as_object_mut().unwrap().remove("bytes").unwrap())
            .map(|b| b.as_u64().unwrap())
            .collect();
        (value, bytes)
    }

    #[test]
    fn a_created_run_gets_batches_links_completion_and_a_receipt() {
        let results = vec![
            junit("one (Qase ID: 5)", None),
            junit("two (Qase ID: 6)", Some(JunitElement::Failure)),
            junit("three", None),
            junit("four", Some(JunitElement::Skipped)),
            junit("five", None),
        ];
        let settings = PreviewSettings {
            batch_size: Some(2),
            filter: Some(json!("skipped")),
            ..settings()
        };
        let (plan, bytes) = plan_json(&results, &settings);
        let step = |action: &str, method: &str, path: &str, results: Option<u64>| json!({"action": action, "method": method, "path": path, "results": results});
        let uploads = "/v2/DEMO/run/1/results";
        assert_eq!(
            plan,
            json!({
                "now": super::SIMULATED_NOW,
                "steps": [
                    step("create_run", "POST", "/v1/run/DEMO", None),
                    step("upload_results", "POST", uploads, Some(2)),
                    step("upload_results", "POST", uploads, Some(2)),
                    step("complete_run", "POST", "/v1/run/DEMO/1/complete", None),
                ],
                "uploads": [2, 2],
                "left_open": null,
                "log": [
                    {"level": "info", "message": "created run 1"},
                    {"level": "info", "message": "See why this test failed: https://app.qase.io/run/DEMO/dashboard/1?source=logs&search=DEMO-6"},
                    {"level": "info", "message": "testrelay: 4 results delivered to run 1; run completed"},
                ],
                "receipt": {
                    "run_id": 1, "run_created": true, "mode": "testops", "results_seen": 5,
                    "filtered": 1, "sent": 4, "acknowledged": 4, "retried": 0,
                    "in_fallback": 0, "reported": 0, "lost": 0, "completed": true,
                    "fallback_dir": null,
                    "summary": "testrelay: 4 results delivered to run 1; run completed",
                },
            })
        );
        assert!(
            bytes[1] > 0 && bytes[2] > 0,
            "uploads carry bodies: {bytes:?}"
        );
    }

    #[test]
    fn the_byte_budget_closes_a_batch_before_the_batch_size() {
        let big = |title: &str| TestResult {
            message: Some("x".repeat(30_000)),
            ..junit(title, None)
        };
        let results: Vec<_> = (0..5).map(|i| big(&format!("big {i}"))).collect();
        let budget = 64 * 1024;
        let settings = PreviewSettings {
            batch_size: Some(200),
            batch_bytes: Some(budget),
            ..settings()
        };
        let (plan, bytes) = plan_json(&results, &settings);
        // Two 30 KB results fit in 64 KiB, a third does not.
        assert_eq!(plan["uploads"], json!([2, 2, 1]));
        let uploads: Vec<u64> = plan["steps"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&bytes)
            .filter(|(step, _)| step["action"] == "upload_results")
            .map(|(_, &b)| b)
            .collect();
        assert_eq!(uploads.len(), 3);
        assert!(uploads.iter().all(|&b| b <= budget), "{uploads:?}");
        assert!(uploads[0] > 60_000, "two results each: {uploads:?}");
        assert_eq!(plan["receipt"]["acknowledged"], 5);
        assert_eq!(plan["left_open"], Value::Null);
    }

    #[test]
    fn with_completion_off_the_run_is_left_open_and_says_why() {
        let settings = PreviewSettings {
            run_complete: Some(false),
            ..settings()
        };
        let (plan, _) = plan_json(&[junit("one", None)], &settings);
        let actions: Vec<&str> = plan["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["create_run", "upload_results"]);
        assert_eq!(
            plan["left_open"],
            "completion is off (testops.run.complete: false)"
        );
        assert_eq!(plan["receipt"]["completed"], false);
        assert_eq!(
            plan["receipt"]["summary"],
            "testrelay: 1 results delivered to run 1; run left open (testops.run.complete is false)"
        );
    }

    #[test]
    fn a_configured_run_is_checked_reused_and_completed() {
        let settings = PreviewSettings {
            run_id: Some(77),
            ..settings()
        };
        let (plan, _) = plan_json(
            &[junit("two (Qase ID: 6)", Some(JunitElement::Failure))],
            &settings,
        );
        assert_eq!(plan["steps"][0]["action"], "check_run");
        assert_eq!(plan["steps"][0]["path"], "/v1/run/DEMO/77");
        assert_eq!(plan["steps"][1]["path"], "/v2/DEMO/run/77/results");
        // A single job given a run by id completes it (SPEC §5).
        assert_eq!(plan["steps"][2]["path"], "/v1/run/DEMO/77/complete");
        assert_eq!(plan["steps"].as_array().unwrap().len(), 3);
        assert_eq!(plan["log"][0]["message"], "reporting to run 77");
        assert!(
            plan["log"][1]["message"]
                .as_str()
                .unwrap()
                .ends_with("/run/DEMO/dashboard/77?source=logs&search=DEMO-6")
        );
        assert_eq!(plan["left_open"], Value::Null);
        assert_eq!(plan["receipt"]["run_created"], false);
        assert_eq!(plan["receipt"]["completed"], true);
    }

    #[test]
    fn no_project_no_plan_and_the_token_never_shows() {
        let without = PreviewSettings {
            project: None,
            ..settings()
        };
        assert!(preview(&[junit("one", None)], &without).session.is_none());
        let p = preview(&[junit("one", Some(JunitElement::Failure))], &settings());
        let text = serde_json::to_string(&p).unwrap();
        assert!(!text.contains(super::SIMULATED_TOKEN));
        assert!(!text.to_lowercase().contains("token"), "{text}");
    }

    #[test]
    fn the_api_host_is_the_one_whose_app_is_given() {
        use crate::config::TestopsConfig;
        for app in [
            "https://app.qase.io",
            "https://qase.example.com",
            "http://127.0.0.1:8080",
        ] {
            let testops = TestopsConfig {
                api_host: super::api_host(Some(app)),
                ..TestopsConfig::default()
            };
            assert_eq!(testops.app_base(), app);
        }
        assert_eq!(super::api_host(None), "qase.io");
    }
}
