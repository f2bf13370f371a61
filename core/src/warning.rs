//! Warnings are data: a stable code, the key they concern and a message. The core never
//! prints; hosts decide where warnings go (once each).

use serde::{Deserialize, Serialize};

/// How loud a warning is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Something was wrong and a default or fallback was used.
    #[default]
    Warning,
    /// Informational: the input was accepted but something was ignored or rewritten.
    Note,
}

/// Stable identifiers of warnings, `SCREAMING_SNAKE_CASE` on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum WarningCode {
    /// A status-mapping entry was malformed or named an unknown status; it was ignored.
    InvalidMappingEntry,
    /// A status-mapping entry mapped a status to itself; it was ignored.
    SelfMapping,
    /// A status-mapping source appeared twice; the later entry won.
    DuplicateMapping,
    /// A status filter named an unknown status; it was ignored.
    UnknownFilterStatus,
    /// `disabled` was read as `skipped`.
    StatusAlias,
    /// A configuration value was invalid; the default was used.
    InvalidConfigValue,
    /// A configuration key is unknown; it was ignored.
    UnknownConfigKey,
    /// A key of the official Qase reporters that testrelay does not implement; it was ignored.
    UnsupportedConfigKey,
    /// Two settings contradict each other.
    ConflictingSettings,
    /// The batch size was outside 1..=200 and was clamped.
    BatchSizeClamped,
    /// A case id was not a positive integer; it was dropped.
    InvalidCaseId,
    /// A result or report input was malformed in part; the rest was kept.
    InvalidInput,
    /// An imported report records an error outside any test (global setup, a file that
    /// failed to load); no result carries it.
    RunnerError,
}

/// One warning: a code, the key or entry it concerns, and a human message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Stable code.
    pub code: WarningCode,
    /// How loud it is.
    #[serde(default)]
    pub level: Level,
    /// The configuration key, entry or field it concerns.
    pub key: String,
    /// What was wrong and what was done instead. Never contains a secret.
    pub message: String,
}

impl Warning {
    /// A warning (level `warning`).
    pub fn new(code: WarningCode, key: impl Into<String>, message: impl Into<String>) -> Self {
        Warning {
            code,
            level: Level::Warning,
            key: key.into(),
            message: message.into(),
        }
    }

    /// A note (level `note`): accepted, but something was ignored or rewritten.
    pub fn note(code: WarningCode, key: impl Into<String>, message: impl Into<String>) -> Self {
        Warning {
            level: Level::Note,
            ..Warning::new(code, key, message)
        }
    }

    /// True for level `warning` (notes are not counted as warnings).
    pub fn is_warning(&self) -> bool {
        self.level == Level::Warning
    }
}
