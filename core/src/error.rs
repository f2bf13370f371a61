//! The one error type of the core. Misuse by the caller is an `Err` at once with the state
//! unchanged; failures of the remote are events, not errors; bugs panic.

use serde::{Deserialize, Serialize};

/// Errors returned to the caller. Match on [`Error::code`], never on the message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value had the wrong shape or an out-of-range value.
    #[error("invalid {what}: {detail}")]
    InvalidInput {
        /// What was being read.
        what: String,
        /// What was wrong.
        detail: String,
    },
    /// A JSON text did not parse.
    #[error("invalid JSON in {what}: {detail}")]
    InvalidJson {
        /// What was being read.
        what: String,
        /// The parser's message (line and column).
        detail: String,
    },
    /// A session call was made in a state that does not allow it; nothing changed.
    #[error("{call} is not allowed while the session is {state}")]
    WrongState {
        /// The call that was refused.
        call: &'static str,
        /// The session's state.
        state: &'static str,
    },
    /// An event named a request id the session is not waiting for; nothing changed.
    #[error("no pending request has id {0}")]
    UnknownRequest(u64),
    /// A report (JUnit XML, Playwright JSON) is malformed.
    #[error("malformed report at line {line}: {detail}")]
    MalformedReport {
        /// 1-based line of the problem.
        line: u64,
        /// What was wrong.
        detail: String,
    },
    /// An input exceeded a size or depth limit.
    #[error("limit exceeded: {detail}")]
    LimitExceeded {
        /// Which limit and by how much.
        detail: String,
    },
}

/// Stable, language-independent error codes (`err.code` in JS, `.code` in Python).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ErrorCode {
    /// See [`Error::InvalidInput`].
    InvalidInput,
    /// See [`Error::InvalidJson`].
    InvalidJson,
    /// See [`Error::WrongState`].
    WrongState,
    /// See [`Error::UnknownRequest`].
    UnknownRequest,
    /// See [`Error::MalformedReport`].
    MalformedReport,
    /// See [`Error::LimitExceeded`].
    LimitExceeded,
}

impl ErrorCode {
    /// Every code, for bindings that generate one exception class per code.
    pub const ALL: [ErrorCode; 6] = [
        ErrorCode::InvalidInput,
        ErrorCode::InvalidJson,
        ErrorCode::WrongState,
        ErrorCode::UnknownRequest,
        ErrorCode::MalformedReport,
        ErrorCode::LimitExceeded,
    ];

    /// The wire form, e.g. `"WRONG_STATE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "INVALID_INPUT",
            ErrorCode::InvalidJson => "INVALID_JSON",
            ErrorCode::WrongState => "WRONG_STATE",
            ErrorCode::UnknownRequest => "UNKNOWN_REQUEST",
            ErrorCode::MalformedReport => "MALFORMED_REPORT",
            ErrorCode::LimitExceeded => "LIMIT_EXCEEDED",
        }
    }

    /// True for codes that mean the caller misused the API (Python also raises `ValueError`).
    pub fn is_misuse(self) -> bool {
        matches!(
            self,
            ErrorCode::InvalidInput
                | ErrorCode::InvalidJson
                | ErrorCode::WrongState
                | ErrorCode::UnknownRequest
        )
    }
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::InvalidJson { .. } => ErrorCode::InvalidJson,
            Error::WrongState { .. } => ErrorCode::WrongState,
            Error::UnknownRequest(_) => ErrorCode::UnknownRequest,
            Error::MalformedReport { .. } => ErrorCode::MalformedReport,
            Error::LimitExceeded { .. } => ErrorCode::LimitExceeded,
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(what: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::InvalidInput {
            what: what.into(),
            detail: detail.into(),
        }
    }

    /// Reads a JSON text into `T`, naming `what` in the error.
    pub fn parse_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, Error> {
        crate::json::from_str(text).map_err(|e| Error::InvalidJson {
            what: what.to_owned(),
            detail: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_wire_form() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
