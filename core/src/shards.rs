//! One run across shards and workers (SPEC §5, issue "one run across shards"): the final CI
//! step reads the receipts every job wrote and decides whether the shared run may be
//! completed — only when every expected job reported and delivered everything — and
//! otherwise says which job is short by how many results.

use crate::config::Mode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the final step needs from one job's receipt file (a session [`Receipt`] written by
/// a reporter, plus the job's name and, optionally, how many tests it expected).
///
/// [`Receipt`]: crate::session::Receipt
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobReceipt {
    /// The job's name (the session's `instance` unless the host set another).
    pub job: String,
    /// The run the job reported into.
    pub run_id: Option<u64>,
    /// The mode the job ran in.
    pub mode: Option<Mode>,
    /// Test attempts the job saw.
    pub results_seen: u64,
    /// Of those, dropped by the status filter (not owed to the run).
    pub filtered: u64,
    /// Payload results the server acknowledged.
    pub acknowledged: u64,
    /// Payload results saved to the fallback instead.
    pub in_fallback: u64,
    /// Payload results written only to a local report.
    pub reported: u64,
    /// Payload results neither delivered nor saved.
    pub lost: u64,
    /// Tests the job expected to run (Playwright `--list`, pytest collection), if declared.
    pub expected_tests: Option<u64>,
    /// Distinct tests the job reported, if the host counted them.
    pub tests_reported: Option<u64>,
}

/// The verdict on one job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JobVerdict {
    /// The job's name.
    pub job: String,
    /// True when it delivered everything it owed.
    pub delivered: bool,
    /// Results it owed but did not deliver (fallback, local only, lost).
    pub short_by: u64,
    /// Tests it expected but never reported (to record as blocked, if wanted).
    pub never_reported: u64,
    /// Why it is short, when it is.
    pub reason: Option<String>,
}

/// The decision of the final step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CompletionDecision {
    /// The shared run.
    pub run_id: u64,
    /// True when the run may be completed now.
    pub complete: bool,
    /// One verdict per receipt, in job order.
    pub jobs: Vec<JobVerdict>,
    /// Jobs expected but without a receipt.
    pub missing_jobs: Vec<String>,
    /// The lines to print, the last one the summary.
    pub lines: Vec<String>,
}

/// Decides whether the run `run_id` may be completed from the jobs' receipts.
/// `expected_jobs`: the names of every job that must have reported (empty: whoever wrote a
/// receipt). Receipts of the same job are summed (a retried CI job writes a second one).
pub fn decide_completion(
    run_id: u64,
    receipts: &[JobReceipt],
    expected_jobs: &[String],
) -> CompletionDecision {
    let mut by_job: BTreeMap<&str, Vec<&JobReceipt>> = BTreeMap::new();
    for receipt in receipts {
        by_job
            .entry(receipt.job.as_str())
            .or_default()
            .push(receipt);
    }
    let jobs: Vec<JobVerdict> = by_job
        .iter()
        .map(|(job, receipts)| judge(run_id, job, receipts))
        .collect();
    let missing_jobs: Vec<String> = expected_jobs
        .iter()
        .filter(|j| !by_job.contains_key(j.as_str()))
        .cloned()
        .collect();
    let complete = !jobs.is_empty() && missing_jobs.is_empty() && jobs.iter().all(|j| j.delivered);

    let mut lines: Vec<String> = jobs
        .iter()
        .filter_map(|j| {
            j.reason
                .as_ref()
                .map(|r| format!("job {}: short by {} result(s): {r}", j.job, j.short_by))
        })
        .collect();
    lines.extend(missing_jobs.iter().map(|j| {
        format!("job {j}: no receipt (the job did not finish or its receipt was not collected)")
    }));
    let acknowledged: u64 = receipts.iter().map(|r| r.acknowledged).sum();
    lines.push(if complete {
        format!(
            "testrelay: all {} job(s) delivered {acknowledged} result(s); completing run {run_id}",
            jobs.len()
        )
    } else if jobs.is_empty() {
        format!("testrelay: no receipts; run {run_id} left open")
    } else {
        let short: u64 = jobs.iter().map(|j| j.short_by).sum();
        format!(
            "testrelay: run {run_id} left open: {short} result(s) not delivered, {} job(s) short, {} job(s) missing{}",
            jobs.iter().filter(|j| !j.delivered).count(),
            missing_jobs.len(),
            if missing_jobs.is_empty() {
                ""
            } else {
                " (their results are not counted: no receipt says what they delivered)"
            }
        )
    });
    CompletionDecision {
        run_id,
        complete,
        jobs,
        missing_jobs,
        lines,
    }
}

fn judge(run_id: u64, job: &str, receipts: &[&JobReceipt]) -> JobVerdict {
    let sum = |f: fn(&JobReceipt) -> u64| receipts.iter().map(|r| f(r)).sum::<u64>();
    let short_by = sum(|r| r.in_fallback + r.reported + r.lost);
    let expected = receipts.iter().filter_map(|r| r.expected_tests).max();
    let reported = receipts
        .iter()
        .filter_map(|r| r.tests_reported)
        .sum::<u64>();
    let never_reported = expected.map_or(0, |e| e.saturating_sub(reported));
    let other_run = receipts
        .iter()
        .find(|r| r.run_id != Some(run_id))
        .map(|r| r.run_id);
    let wrong_mode = receipts
        .iter()
        .any(|r| r.mode.is_some_and(|m| m != Mode::Testops));
    let reason = if let Some(other) = other_run {
        Some(match other {
            Some(other) => format!("it reported into run {other}, not {run_id}"),
            None => "it never joined a run".to_owned(),
        })
    } else if wrong_mode {
        Some("it did not run in testops mode".to_owned())
    } else if short_by > 0 {
        Some(format!(
            "{} in the fallback, {} only in a local report, {} lost",
            sum(|r| r.in_fallback),
            sum(|r| r.reported),
            sum(|r| r.lost)
        ))
    } else if never_reported > 0 {
        Some(format!("{never_reported} expected test(s) never reported"))
    } else {
        None
    };
    JobVerdict {
        job: job.to_owned(),
        delivered: reason.is_none(),
        short_by,
        never_reported,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(job: &str, acknowledged: u64, in_fallback: u64) -> JobReceipt {
        JobReceipt {
            job: job.into(),
            run_id: Some(7),
            mode: Some(Mode::Testops),
            results_seen: acknowledged + in_fallback,
            acknowledged,
            in_fallback,
            ..JobReceipt::default()
        }
    }

    #[test]
    fn completes_only_when_every_expected_job_delivered() {
        let jobs = ["a".to_owned(), "b".to_owned()];
        let all = [receipt("a", 10, 0), receipt("b", 5, 0)];
        let d = decide_completion(7, &all, &jobs);
        assert!(d.complete, "{d:?}");
        let d = decide_completion(7, &all[..1], &jobs);
        assert!(!d.complete);
        assert_eq!(d.missing_jobs, ["b"]);
        let short = [receipt("a", 10, 0), receipt("b", 3, 2)];
        let d = decide_completion(7, &short, &jobs);
        assert!(!d.complete);
        assert_eq!((d.jobs[1].job.as_str(), d.jobs[1].short_by), ("b", 2));
        assert!(d.lines[0].starts_with("job b: short by 2 result(s)"));
    }

    #[test]
    fn a_job_in_another_run_or_mode_is_short() {
        let mut other = receipt("a", 1, 0);
        other.run_id = Some(8);
        assert!(!decide_completion(7, &[other], &[]).complete);
        let mut report = receipt("a", 0, 0);
        report.mode = Some(Mode::Report);
        report.reported = 4;
        let d = decide_completion(7, &[report], &[]);
        assert_eq!(d.jobs[0].short_by, 4);
        assert!(!d.complete);
    }

    #[test]
    fn expected_tests_never_reported_are_counted() {
        let mut r = receipt("a", 8, 0);
        r.expected_tests = Some(10);
        r.tests_reported = Some(8);
        let d = decide_completion(7, &[r], &[]);
        assert_eq!(d.jobs[0].never_reported, 2);
        assert!(!d.complete);
    }

    #[test]
    fn no_receipts_never_completes() {
        assert!(!decide_completion(7, &[], &[]).complete);
    }
}
