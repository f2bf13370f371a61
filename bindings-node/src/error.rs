//! The one error mapping: every core error becomes a JS `Error` whose `code` property is the
//! core's stable `ErrorCode` string (`INVALID_INPUT`, `WRONG_STATE`, …).

use testrelay::{Error, ErrorCode};

/// The `code` a JS error carries: the core's wire form of an [`ErrorCode`].
#[derive(Clone, Copy, Debug)]
pub struct Code(pub ErrorCode);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

/// What every exported function returns.
pub type Result<T> = napi::Result<T, Code>;

/// A core error as a JS error with its code.
pub fn from_core(error: Error) -> napi::Error<Code> {
    napi::Error::new(Code(error.code()), error.to_string())
}

/// A value JS passed in that does not have the expected shape.
pub fn invalid_input(what: &str, error: impl std::fmt::Display) -> napi::Error<Code> {
    from_core(Error::invalid(what, error.to_string()))
}
