//! Batch sizing (SPEC §5): the server takes at most 200 results per request.

use crate::warning::{Warning, WarningCode};

/// The largest batch the Qase API accepts; more is rejected with 413.
pub const MAX_BATCH_SIZE: usize = 200;

/// The default batch size.
pub const DEFAULT_BATCH_SIZE: usize = 200;

/// Clamps a requested batch size to `1..=200`, with a warning when it had to.
pub fn clamp_batch_size(requested: i64, key: &str) -> (usize, Option<Warning>) {
    let max = MAX_BATCH_SIZE as i64;
    let size = requested.clamp(1, max);
    let warning = (size != requested).then(|| {
        Warning::new(
            WarningCode::BatchSizeClamped,
            key,
            format!("batch size {requested} is outside 1..={max}; using {size}"),
        )
    });
    (size as usize, warning)
}

/// How many results each upload carries when `results` arrive and then the run ends.
pub fn plan_batches(batch_size: usize, results: usize) -> Vec<usize> {
    let size = batch_size.clamp(1, MAX_BATCH_SIZE);
    let mut plan = vec![size; results / size];
    if results % size != 0 {
        plan.push(results % size);
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_plan_is_a_partition(size in -1000i64..1000, n in 0usize..5000) {
            let (size, _) = clamp_batch_size(size, "k");
            let plan = plan_batches(size, n);
            prop_assert_eq!(plan.iter().sum::<usize>(), n);
            prop_assert!(plan.iter().all(|&b| (1..=size).contains(&b)));
            // Only the last batch may be short.
            prop_assert!(plan.iter().rev().skip(1).all(|&b| b == size));
        }
    }
}
