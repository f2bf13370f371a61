//! One case of a run with its current result and its history.

use serde::{Deserialize, Serialize};

/// A result the case had before (kept by retest).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PastResult {
    /// Its status name.
    pub status: String,
    /// Start, ms since the Unix epoch.
    #[serde(default)]
    pub started_at: Option<f64>,
    /// Duration in ms.
    #[serde(default)]
    pub duration: Option<f64>,
}

/// One case in a run: its current result (`status: null` = open, untested) and history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RunCase {
    /// The case id.
    pub case_id: u64,
    /// The current status name (built-in or custom); `null` while open.
    pub status: Option<String>,
    /// Muted cases do not decide the run status.
    pub muted: bool,
    /// Start of the current result, ms since the Unix epoch.
    pub started_at: Option<f64>,
    /// Duration of the current result in ms.
    pub duration: Option<f64>,
    /// Earlier results, oldest first.
    pub history: Vec<PastResult>,
}

impl RunCase {
    /// The case with its current result cleared (open again).
    pub(super) fn reopened(&self) -> RunCase {
        RunCase {
            status: None,
            started_at: None,
            duration: None,
            ..self.clone()
        }
    }
}

/// A usable duration: finite and not negative (anything else is ignored).
pub(super) fn valid_duration(d: Option<f64>) -> Option<f64> {
    d.filter(|d| d.is_finite() && *d >= 0.0)
}
