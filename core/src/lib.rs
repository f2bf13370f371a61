//! testrelay: the decisions every test-management reporter has to make, made once, in pure
//! Rust — no IO, no clock, no randomness, no threads. Hosts (the Playwright reporter, the
//! pytest plugin, the in-browser preview, a CLI) pass facts and time in and perform the
//! actions that come out.
//!
//! - [`classify()`]: a finished test → a status, the rule that fired and its evidence.
//! - [`StatusMapping`] / [`StatusFilter`]: parse, then [`map_and_filter`].
//! - [`Config`]: configuration from options, `qase.config.json` and `QASE_*` env.
//! - [`plan_batches`], [`failure_links`], [`run_status`], [`configuration_product`].
//! - [`Session`]: the run lifecycle (SPEC §5) as a sans-IO state machine; [`signature`] and
//!   [`case_ids()`] applied to every result.
//! - [`import_junit`] / [`import_playwright_json`]: a finished run's report → `TestResult`s.
//!
//! # The drain loop (host duty)
//!
//! After EVERY `handle*` / `add_results` call, the host MUST call [`Session::poll`] until it
//! answers [`Action::Wait`] or [`Action::Finished`], performing each action in between (send
//! the request, write the files, print the line) and feeding back what happened as an
//! [`Event`]. When `wait.until` (ms) has passed, the host MUST poll again even without an
//! event; `until: null` means nothing happens until the next event. Time is always the first
//! argument after `self`, as milliseconds since the Unix epoch from the host's clock.
//!
//! ```
//! use testrelay::config::TestopsConfig;
//! use testrelay::{Action, Config, Event, Mode, Secret, Session, SessionOptions, TestResult};
//!
//! let config = Config {
//!     mode: Mode::Testops,
//!     testops: TestopsConfig {
//!         api_token: Some(Secret::new("token")),
//!         project: Some("DEMO".into()),
//!         ..TestopsConfig::default()
//!     },
//!     ..Config::default()
//! };
//! let options = SessionOptions::new("host-1");
//! let mut session = Session::new(config, options, 0).unwrap();
//! let mut now = 0;
//! let mut events = vec![
//!     Event::TestFinished { result: Box::new(TestResult { title: "works".into(), ..Default::default() }) },
//!     Event::AllTestsDone {},
//! ];
//! let receipt = loop {
//!     match session.poll(now) {
//!         // A real host sends these as given (the token put in its header); this one says 200.
//!         Action::Http(r) => {
//!             let body = r#"{"status":true,"result":{"id":42}}"#.to_owned();
//!             session.handle_http_response(now, r.request_id, 200, body, None).unwrap();
//!         }
//!         Action::Log { .. } => {} // print it
//!         Action::Finished { receipt } => break receipt,
//!         Action::Wait { until } => match events.is_empty() {
//!             false => session.handle(now, events.remove(0)).unwrap(),
//!             true => now = until.expect("a timer is set while the session ends"),
//!         },
//!         other => unreachable!("{other:?}"),
//!     }
//! };
//! assert_eq!((receipt.run_id, receipt.acknowledged, receipt.completed), (Some(42), 1, true));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// The core never prints: warnings and log lines are data for the host.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod api;
pub mod batch;
pub mod case_ids;
pub mod classify;
pub mod config;
pub mod error;
pub mod host;
pub mod import;
mod json;
pub mod links;
pub mod mapping;
pub mod matching;
pub mod preview;
pub mod qasphere;
pub mod result;
pub mod runner_facts;
pub mod runs;
pub mod session;
pub mod shards;
pub mod signature;
pub mod status;
pub mod url;
pub mod warning;

pub use batch::{MAX_BATCH_SIZE, clamp_batch_size, plan_batches};
pub use case_ids::{CaseIds, case_ids};
pub use classify::{Policy, Verdict, classify};
pub use config::{Config, Mode, Secret, Sources, TestopsConfig};
pub use error::{Error, ErrorCode};
pub use import::{Imported, Limits, import_junit, import_playwright_json};
pub use links::{FAILURE_LINK_PREFIX, encode_uri_component, failure_links};
pub use mapping::{StatusFilter, StatusMapping, map_and_filter, map_and_filter_traced};
pub use matching::{
    CaseDraft, CaseField, CaseIndex, CaseStep, CaseTypes, CaseUpdate, CaselessReason, Decision,
    FieldDiff, LinkedBy, MatchSettings, PlanTotals, RepoCase, ResultFacts, ResultPlan, StatusScope,
    SyncPlan, UnlinkedReason, update_diffs,
};
pub use preview::{
    MatchingPreview, Preview, PreviewSettings, PreviewTest, preview, preview_report,
    preview_report_without_session, read_report,
};
pub use qasphere::{
    QsCase, QsFolder, QsMembership, QsPriority, QsRun, QsRunRequest, QsRunType, QsSnapshot,
    QsStatus, QueryPlan, RunRule, RunRuleError, StatusCounts, status_counts, validate_run,
};
pub use result::{
    Attachment, ErrorInfo, Framework, JunitElement, Outcome, Phase, Step, TestResult,
};
pub use runs::{
    AssignMode, Assignment, Estimate, PastResult, RunCase, RunResult, RunStats, assign, clone_run,
    configuration_product, estimate, mean_duration, retest, run_stats, run_status,
};
pub use session::{Action, Event, Receipt, Session, SessionOptions};
pub use shards::{CompletionDecision, JobReceipt, JobVerdict, decide_completion};
pub use signature::{js_signature, python_signature};
pub use status::{Polarity, Status};
pub use warning::{Level, Warning, WarningCode};
