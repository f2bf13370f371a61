//! Clone and retest (SPEC §7): a clone keeps only the results of chosen statuses; a
//! retest reopens cases and keeps their old result in history.

use super::case::{PastResult, RunCase};

/// The cases of a new run cloned from `cases`: results whose status is in `keep` are
/// kept, every other case starts open. History does not travel to the new run.
pub fn clone_run(cases: &[RunCase], keep: &[String]) -> Vec<RunCase> {
    cases
        .iter()
        .map(|case| {
            let kept = case.status.as_ref().is_some_and(|s| keep.contains(s));
            let base = if kept { case.clone() } else { case.reopened() };
            RunCase {
                history: Vec::new(),
                ..base
            }
        })
        .collect()
}

/// Reopens the cases whose current status is in `statuses`; each one's result moves to the
/// end of its history. Other cases are unchanged.
pub fn retest(cases: &[RunCase], statuses: &[String]) -> Vec<RunCase> {
    cases
        .iter()
        .map(|case| match &case.status {
            Some(status) if statuses.contains(status) => {
                let mut next = case.reopened();
                next.history.push(PastResult {
                    status: status.clone(),
                    started_at: case.started_at,
                    duration: case.duration,
                });
                next
            }
            _ => case.clone(),
        })
        .collect()
}
