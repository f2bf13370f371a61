//! The status model (SPEC §1): five built-in result statuses and custom statuses with a
//! polarity.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the five built-in result statuses. Lowercase and case-sensitive on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Ran, and every assertion held.
    Passed,
    /// An assertion did not hold: look at the product.
    Failed,
    /// Could not complete because of a non-assertion error: look at the test or environment.
    Invalid,
    /// Intentionally not run.
    Skipped,
    /// Prevented from running.
    Blocked,
}

/// Whether a status counts for (positive) or against (negative) a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// Behaves like `passed` for the run status.
    Positive,
    /// Behaves like `failed` for the run status.
    Negative,
}

/// How a status name was read by [`Status::parse_input`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// The name was the status itself.
    Exact(Status),
    /// The name was an accepted alias (`disabled` → `skipped`); callers add a note.
    Alias(Status),
}

impl Parsed {
    /// The status, whichever way it was read.
    pub fn status(self) -> Status {
        match self {
            Parsed::Exact(s) | Parsed::Alias(s) => s,
        }
    }
}

impl Status {
    /// All built-in statuses, in their canonical order.
    pub const ALL: [Status; 5] = [
        Status::Passed,
        Status::Failed,
        Status::Invalid,
        Status::Skipped,
        Status::Blocked,
    ];

    /// The wire name (`"passed"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Invalid => "invalid",
            Status::Skipped => "skipped",
            Status::Blocked => "blocked",
        }
    }

    /// Position in [`Status::ALL`], for table lookups.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses an exact, lowercase built-in status name. No aliases.
    pub fn parse(name: &str) -> Option<Status> {
        Some(match name {
            "passed" => Status::Passed,
            "failed" => Status::Failed,
            "invalid" => Status::Invalid,
            "skipped" => Status::Skipped,
            "blocked" => Status::Blocked,
            _ => return None,
        })
    }

    /// Parses a status given as input, accepting `disabled` as an alias of `skipped`
    /// (the anchor's quirk; testrelay never emits `disabled`).
    pub fn parse_input(name: &str) -> Option<Parsed> {
        match name {
            "disabled" => Some(Parsed::Alias(Status::Skipped)),
            other => Status::parse(other).map(Parsed::Exact),
        }
    }

    /// The polarity of a built-in status for the run status: `passed` and `skipped` are
    /// positive (a skip is a decision, not a defect); `failed`, `invalid` and `blocked` are
    /// negative.
    pub fn polarity(self) -> Polarity {
        match self {
            Status::Passed | Status::Skipped => Polarity::Positive,
            Status::Failed | Status::Invalid | Status::Blocked => Polarity::Negative,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_case_sensitive() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(Status::parse(&s.as_str().to_uppercase()), None);
            assert_eq!(Status::ALL[s.index()], s);
        }
    }

    #[test]
    fn disabled_is_only_an_input_alias() {
        assert_eq!(Status::parse("disabled"), None);
        assert_eq!(
            Status::parse_input("disabled"),
            Some(Parsed::Alias(Status::Skipped))
        );
        assert!(Status::ALL.iter().all(|s| s.as_str() != "disabled"));
    }
}
