//! Test runs (SPEC §7): the run status at completion, configuration cross-products, and the
//! run model of seed 001 — figures, estimation, assignment, clone and retest.

mod assign;
mod case;
mod estimate;
mod lifecycle;
mod stats;

pub use assign::{AssignMode, Assignment, assign};
pub use case::{PastResult, RunCase};
pub use estimate::{Estimate, estimate, mean_duration};
pub use lifecycle::{clone_run, retest};
pub use stats::{OPEN, RunStats, run_stats};

use crate::status::{Polarity, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One result as the run model sees it: a status name (built-in or custom) and muting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunResult {
    /// A built-in status name or a custom status defined by the TMS.
    pub status: String,
    /// Muted results do not decide the run status.
    #[serde(default)]
    pub muted: bool,
}

/// The polarity of a status name: built-ins by [`Status::polarity`], custom ones from
/// `custom`; an unknown name is negative (nobody said it is fine).
pub fn polarity_of(name: &str, custom: &BTreeMap<String, Polarity>) -> Polarity {
    match Status::parse(name) {
        Some(status) => status.polarity(),
        None => custom.get(name).copied().unwrap_or(Polarity::Negative),
    }
}

/// The run status at completion: `passed` when every non-muted result is positive, else
/// `failed`. Computed once, at completion.
pub fn run_status(results: &[RunResult], custom: &BTreeMap<String, Polarity>) -> Status {
    let all_positive = results
        .iter()
        .filter(|r| !r.muted)
        .all(|r| polarity_of(&r.status, custom) == Polarity::Positive);
    if all_positive {
        Status::Passed
    } else {
        Status::Failed
    }
}

/// The cross-product of picked configuration values: one combination per pick of one value
/// from every group, in group order then value order. No groups → no combinations.
pub fn configuration_product(groups: &[(String, Vec<String>)]) -> Vec<Vec<(String, String)>> {
    let groups: Vec<_> = groups
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .collect();
    if groups.is_empty() {
        return Vec::new();
    }
    let mut combinations: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (name, values) in groups {
        combinations = combinations
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |value| {
                    let mut next = prefix.clone();
                    next.push((name.clone(), value.clone()));
                    next
                })
            })
            .collect();
    }
    combinations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_of_two_by_two_is_four_in_order() {
        let groups = vec![
            (
                "Browser".to_owned(),
                vec!["Chrome".to_owned(), "Firefox".to_owned()],
            ),
            (
                "OS".to_owned(),
                vec!["Windows".to_owned(), "macOS".to_owned()],
            ),
        ];
        let product = configuration_product(&groups);
        assert_eq!(product.len(), 4);
        assert_eq!(
            product[1],
            [
                ("Browser".into(), "Chrome".into()),
                ("OS".into(), "macOS".into())
            ]
        );
    }
}
