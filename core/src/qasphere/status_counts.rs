//! statusCounts of a QA Sphere run.

use serde::{Deserialize, Serialize};

/// A QA Sphere result status; `open` for a case without a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QsStatus {
    /// No result yet.
    Open,
    /// Passed.
    Passed,
    /// Failed.
    Failed,
    /// Blocked.
    Blocked,
    /// Skipped.
    Skipped,
    /// Custom status 1.
    Custom1,
    /// Custom status 2.
    Custom2,
    /// Custom status 3.
    Custom3,
    /// Custom status 4.
    Custom4,
}

/// Counts per status; `all` is the number of cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StatusCounts {
    /// Every case.
    pub all: usize,
    /// Without a result.
    pub open: usize,
    /// Passed.
    pub passed: usize,
    /// Failed.
    pub failed: usize,
    /// Blocked.
    pub blocked: usize,
    /// Skipped.
    pub skipped: usize,
    /// Custom status 1.
    pub custom1: usize,
    /// Custom status 2.
    pub custom2: usize,
    /// Custom status 3.
    pub custom3: usize,
    /// Custom status 4.
    pub custom4: usize,
}

/// Counts the current statuses of a run's cases.
pub fn status_counts(statuses: &[QsStatus]) -> StatusCounts {
    let mut c = StatusCounts {
        all: statuses.len(),
        ..StatusCounts::default()
    };
    for status in statuses {
        *match status {
            QsStatus::Open => &mut c.open,
            QsStatus::Passed => &mut c.passed,
            QsStatus::Failed => &mut c.failed,
            QsStatus::Blocked => &mut c.blocked,
            QsStatus::Skipped => &mut c.skipped,
            QsStatus::Custom1 => &mut c.custom1,
            QsStatus::Custom2 => &mut c.custom2,
            QsStatus::Custom3 => &mut c.custom3,
            QsStatus::Custom4 => &mut c.custom4,
        } += 1;
    }
    c
}
