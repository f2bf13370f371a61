//! pytest's per-phase reports, folded exactly as the JUnit reader folds pytest's JUnit entries
//! (a teardown error after a failed call is kept as a further error, never dropped).

use crate::result::{ErrorInfo, Phase, TestResult};
use crate::status::Status;
use serde::{Deserialize, Serialize};

/// pytest's report of one phase (setup, call, teardown) of one test that did not simply pass.
/// Hosts send the phases that did not pass (and xfail/xpass ones); a test whose phases all
/// passed needs none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PytestPhase {
    /// `setup`, `call` or `teardown`.
    pub when: Phase,
    /// pytest's outcome of the phase: `passed`, `failed` or `skipped`.
    pub outcome: String,
    /// The exception, as the host read it (type, MRO, module, message, stack).
    pub error: Option<ErrorInfo>,
    /// The report's `wasxfail` (the reason, possibly empty) when it has one.
    pub wasxfail: Option<String>,
    /// The first line of the report's `longrepr` text.
    pub longrepr: Option<String>,
    /// A skip's reason (`longrepr[2]` of a skipped report, without `Skipped: `).
    pub skip_reason: Option<String>,
}

/// The phases folded into `result.outcome` (the framework stays); returns the message they
/// imply. The first failing phase decides; a later one's error is kept in `errors`.
pub(super) fn fold_pytest_phases(result: &mut TestResult) -> Option<String> {
    let outcome = &mut result.outcome;
    outcome.runner_status = Some("passed".to_owned());
    outcome.phase = Phase::Call;
    outcome.error = None;
    outcome.errors.clear();
    let mut message = None;
    let mut expected_failure = false;
    let mut failed = false;
    for report in &result.pytest_phases {
        let skipped = report.outcome == "skipped";
        let failure = report.outcome == "failed";
        if let Some(reason) = &report.wasxfail {
            // xfail: failed as expected (a skipped report), or passed unexpectedly (non-strict).
            expected_failure = true;
            outcome.runner_status = Some(if skipped { "failed" } else { "passed" }.to_owned());
            if outcome.error.is_none() {
                outcome.error = report.error.clone();
            }
            if skipped && !reason.is_empty() {
                message = Some(reason.clone());
            }
            continue;
        }
        let strict_xpass = report
            .longrepr
            .as_deref()
            .is_some_and(|l| l.starts_with("[XPASS(strict)]"));
        if failure && strict_xpass {
            expected_failure = true;
            outcome.strict = true;
            outcome.runner_status = Some("passed".to_owned());
            message = report.longrepr.clone();
            continue;
        }
        if skipped && !failed && outcome.runner_status.as_deref() == Some("passed") {
            outcome.runner_status = Some("skipped".to_owned());
            message = report.skip_reason.clone();
        } else if failure && !failed {
            failed = true;
            outcome.runner_status = Some("failed".to_owned());
            outcome.phase = report.when;
            outcome.error = report.error.clone();
            if report.error.is_none() {
                message = report.longrepr.clone();
            }
        } else if failure {
            outcome.errors.extend(report.error.clone());
        }
    }
    if expected_failure {
        outcome.expected_status = Some(Status::Failed);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{Framework, Outcome};
    use crate::runner_facts::read_result;

    fn phase(when: Phase, outcome: &str, error: Option<&str>) -> PytestPhase {
        PytestPhase {
            when,
            outcome: outcome.into(),
            error: error.map(|t| ErrorInfo {
                type_name: Some(t.into()),
                chain: vec![t.into()],
                ..ErrorInfo::default()
            }),
            ..PytestPhase::default()
        }
    }

    #[test]
    fn a_teardown_error_after_a_failed_call_is_kept_as_the_junit_reader_keeps_it() {
        let result = TestResult {
            outcome: Outcome {
                framework: Framework::Pytest,
                ..Outcome::default()
            },
            pytest_phases: vec![
                phase(Phase::Call, "failed", Some("AssertionError")),
                phase(Phase::Teardown, "failed", Some("RuntimeError")),
            ],
            ..TestResult::default()
        };
        let read = read_result(&result).result;
        assert_eq!(read.outcome.phase, Phase::Call);
        assert_eq!(
            read.outcome.error.unwrap().type_name.as_deref(),
            Some("AssertionError")
        );
        assert_eq!(read.outcome.errors.len(), 1);
        assert!(read.pytest_phases.is_empty());
    }

    #[test]
    fn a_result_without_phases_comes_back_as_it_is() {
        let result = TestResult {
            title: "t".into(),
            message: Some("m".into()),
            ..TestResult::default()
        };
        assert_eq!(read_result(&result).result, result);
    }
}
