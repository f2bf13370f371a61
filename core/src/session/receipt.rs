//! The receipt that ends every session (SPEC §5).

use crate::config::Mode;
use serde::{Deserialize, Serialize};

/// What a session did. Counts of host results (`results_seen`, `filtered`) are per test
/// attempt; the others are per payload result (one per case id), so
/// `acknowledged + in_fallback + reported + lost` = payload results made.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Receipt {
    /// The run, once known.
    pub run_id: Option<u64>,
    /// True when this session created the run.
    pub run_created: bool,
    /// The mode the session ran in.
    pub mode: Mode,
    /// Test attempts the host reported.
    pub results_seen: u64,
    /// Of those, dropped by the status filter.
    pub filtered: u64,
    /// Test attempts whose runner facts asked not to report them (Playwright's
    /// `qase.ignore()`): neither sent nor written, and not in `results_seen`. Left out of the
    /// serialized receipt when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub ignored: u64,
    /// Payload results sent at least once.
    pub sent: u64,
    /// Payload results the server acknowledged.
    pub acknowledged: u64,
    /// Payload results sent again (retry or 413 split).
    pub retried: u64,
    /// Payload results saved to the fallback report.
    pub in_fallback: u64,
    /// Payload results written to the local report (report mode).
    pub reported: u64,
    /// Payload results neither delivered nor saved (only when the host failed to write
    /// files; the session itself never drops one).
    pub lost: u64,
    /// True when the run was completed.
    pub completed: bool,
    /// Where undelivered results were saved, when any were.
    pub fallback_dir: Option<String>,
    /// The one line to print at the end.
    pub summary: String,
}

fn is_zero(count: &u64) -> bool {
    *count == 0
}
