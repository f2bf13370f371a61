//! Estimation from history (SPEC §7): the mean of each case's past durations, summed over
//! the cases of a run; cases never run are left out (and listed).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An estimated run duration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Sum of the per-case means, ms.
    pub total: f64,
    /// Each estimated case's mean, ms.
    pub per_case: BTreeMap<u64, f64>,
    /// Cases without any usable past duration, in input order.
    pub never_run: Vec<u64>,
}

/// The mean past duration of a case; `None` without a usable (finite, ≥ 0) duration.
pub fn mean_duration(past: &[f64]) -> Option<f64> {
    let valid: Vec<f64> = past
        .iter()
        .copied()
        .filter(|d| d.is_finite() && *d >= 0.0)
        .collect();
    (!valid.is_empty()).then(|| valid.iter().sum::<f64>() / valid.len() as f64)
}

/// Estimates a run of `case_ids` from `history` (case id → past durations in ms).
/// A case listed twice counts twice.
pub fn estimate(case_ids: &[u64], history: &BTreeMap<u64, Vec<f64>>) -> Estimate {
    let mut per_case = BTreeMap::new();
    let mut never_run = Vec::new();
    let mut total = 0.0;
    for &id in case_ids {
        match history.get(&id).and_then(|past| mean_duration(past)) {
            Some(mean) => {
                total += mean;
                per_case.insert(id, mean);
            }
            None => never_run.push(id),
        }
    }
    Estimate {
        total,
        per_case,
        never_run,
    }
}
