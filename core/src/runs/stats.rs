//! A run's figures (SPEC §7): counts per status, completion rate, total and elapsed time,
//! and the run status at completion.

use super::case::{RunCase, valid_duration};
use super::polarity_of;
use crate::status::{Polarity, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The count key of cases without a result.
pub const OPEN: &str = "open";

/// The figures of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunStats {
    /// Number of cases.
    pub total: usize,
    /// Cases per status: every built-in status and `open` (zero included), plus each
    /// custom status that occurs.
    pub counts: BTreeMap<String, usize>,
    /// Cases with a result.
    pub completed: usize,
    /// `completed / total`, 0 for an empty run.
    pub completion_rate: f64,
    /// Sum of the durations of current results, ms.
    pub total_time: f64,
    /// First result start → last result end, ms; `null` without timed results.
    pub elapsed: Option<f64>,
    /// The status if the run were completed now: passed when every non-muted case has a
    /// positive result (an open case has none).
    pub status: Status,
}

/// Computes a run's figures; custom statuses take their polarity from `custom`.
pub fn run_stats(cases: &[RunCase], custom: &BTreeMap<String, Polarity>) -> RunStats {
    let mut counts: BTreeMap<String, usize> = Status::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .chain([(OPEN.to_owned(), 0)])
        .collect();
    let mut total_time = 0.0;
    let mut first_start: Option<f64> = None;
    let mut last_end: Option<f64> = None;
    let mut all_positive = true;
    for case in cases {
        let key = case.status.as_deref().unwrap_or(OPEN);
        *counts.entry(key.to_owned()).or_default() += 1;
        if !case.muted {
            all_positive &= case
                .status
                .as_deref()
                .is_some_and(|s| polarity_of(s, custom) == Polarity::Positive);
        }
        if case.status.is_none() {
            continue;
        }
        let duration = valid_duration(case.duration);
        total_time += duration.unwrap_or(0.0);
        if let Some(start) = case.started_at.filter(|s| s.is_finite()) {
            let end = start + duration.unwrap_or(0.0);
            first_start = Some(first_start.map_or(start, |f| f.min(start)));
            last_end = Some(last_end.map_or(end, |l| l.max(end)));
        }
    }
    let completed = cases.len() - counts[OPEN];
    RunStats {
        total: cases.len(),
        completion_rate: if cases.is_empty() {
            0.0
        } else {
            completed as f64 / cases.len() as f64
        },
        counts,
        completed,
        total_time,
        elapsed: first_start.zip(last_end).map(|(s, e)| e - s),
        status: if all_positive {
            Status::Passed
        } else {
            Status::Failed
        },
    }
}
