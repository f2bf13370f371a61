//! Values in and out: Python dicts/lists ↔ the core's serde shapes (pythonize). A value of the
//! wrong shape is `INVALID_INPUT`, naming what was being read.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use testrelay::Error;

/// How deep plain data may nest (serde_json's limit): deeper input is refused before
/// pythonize's recursion could overflow the stack.
pub const MAX_DEPTH: usize = 128;

/// Reads a Python value into `T`; a wrong shape, or nesting deeper than 128 levels, is
/// `InvalidInputError` naming `what`.
pub fn from_py<T: DeserializeOwned>(value: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    from_py_within(value, what, MAX_DEPTH)
}

/// [`from_py`] for a value nested `MAX_DEPTH - levels` deep in the argument: it may nest
/// `levels` more.
pub fn from_py_within<T: DeserializeOwned>(
    value: &Bound<'_, PyAny>,
    what: &str,
    levels: usize,
) -> PyResult<T> {
    if !within_depth(value, levels) {
        let detail = format!("nested deeper than {MAX_DEPTH} levels");
        return Err(crate::error::to_py(Error::invalid(what, detail)));
    }
    pythonize::depythonize(value)
        .map_err(|e| crate::error::to_py(Error::invalid(what, e.to_string())))
}

/// True when dicts, lists and tuples nest at most `levels` deep (stops at the first too deep).
pub fn within_depth(value: &Bound<'_, PyAny>, levels: usize) -> bool {
    let children: Vec<Bound<'_, PyAny>> = if let Ok(dict) = value.cast::<PyDict>() {
        dict.values().iter().collect()
    } else if let Ok(list) = value.cast::<PyList>() {
        list.iter().collect()
    } else if let Ok(tuple) = value.cast::<PyTuple>() {
        tuple.iter().collect()
    } else {
        return true;
    };
    levels > 0 && children.iter().all(|c| within_depth(c, levels - 1))
}

/// Reads a text argument: anything but `str` is `InvalidInputError`; lone surrogates (which
/// UTF-8 cannot hold) become U+FFFD rather than failing the call.
pub fn text_arg(value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let text = value.cast::<PyString>().map_err(|_| {
        let kind = value
            .get_type()
            .name()
            .map_or_else(|_| "?".to_owned(), |n| n.to_string());
        crate::error::to_py(Error::invalid(what, format!("expected str, got {kind}")))
    })?;
    Ok(lossy(text))
}

/// A `str` as UTF-8 with each lone surrogate (which UTF-8 cannot hold) replaced by one U+FFFD,
/// as JavaScript's strings are read; the common, valid case is a borrow and one copy.
pub fn lossy(text: &Bound<'_, PyString>) -> String {
    if let Ok(valid) = text.to_str() {
        return valid.to_owned();
    }
    // UTF-16 keeps a lone surrogate as one unit, which `from_utf16_lossy` turns into one
    // U+FFFD (pyo3's `to_string_lossy` goes through UTF-8 and gives three).
    let units: Option<Vec<u16>> = text
        .call_method1("encode", ("utf-16-le", "surrogatepass"))
        .ok()
        .and_then(|b| b.extract::<Vec<u8>>().ok())
        .map(|b| {
            b.chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect()
        });
    match units {
        Some(units) => String::from_utf16_lossy(&units),
        None => text.to_string_lossy().into_owned(),
    }
}

/// Writes `value` as plain Python data (dicts, lists, str, int, float, bool, None).
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value)
        .map_err(|e| crate::error::to_py(Error::invalid("output", e.to_string())))
}
