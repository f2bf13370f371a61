//! The one error mapping: every error crosses as a JS `Error` with a stable `code`, the same
//! shape as the Node binding (`err.code === "INVALID_INPUT"`).

use testrelay::{Error, ErrorCode};
use wasm_bindgen::JsValue;

/// A JS `Error` carrying `message` and `code`.
pub fn js_error(code: ErrorCode, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    // Setting a plain data property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &"code".into(), &code.as_str().into());
    error.into()
}

/// A core error as a JS `Error`.
pub fn core_error(error: Error) -> JsValue {
    js_error(error.code(), &error.to_string())
}

/// A value of the wrong shape (serde could not read or write it) as `INVALID_INPUT`.
pub fn shape_error(what: &str, error: impl std::fmt::Display) -> JsValue {
    core_error(Error::invalid(what, error.to_string()))
}
