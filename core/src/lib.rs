//! testrelay: the decisions every test-management reporter has to make, made once, in pure
//! Rust — no IO, no clock, no randomness, no threads. Hosts (the Playwright reporter, the
//! pytest plugin, the in-browser preview, a CLI) pass facts and time in and perform the
//! actions that come out.
//!
//! - [`classify()`]: a finished test → a status, the rule that fired and its evidence.
//! - [`StatusMapping`] / [`StatusFilter`]: parse, then [`map_and_filter`].
//! - [`Config`]: configuration from options, `qase.config.json` and `QASE_*` env.
//! - [`plan_batches`], [`failure_links`], [`run_status`], [`configuration_product`].
//! - [`import_junit`] / [`import_playwright_json`]: a finished run's report → `TestResult`s.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// The core never prints: warnings and log lines are data for the host.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod batch;
pub mod case_ids;
pub mod classify;
pub mod config;
pub mod error;
pub mod import;
pub mod links;
pub mod mapping;
pub mod matching;
pub mod preview;
pub mod qasphere;
pub mod result;
pub mod runs;
pub mod session;
pub mod shards;
pub mod signature;
pub mod status;
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
    MatchingPreview, Preview, PreviewSettings, PreviewTest, preview, preview_report, read_report,
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
