//! Values in and out: Python dicts/lists ↔ the core's serde shapes (pythonize). A value of the
//! wrong shape is `INVALID_INPUT`, naming what was being read.

use pyo3::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use testrelay::Error;

/// Reads a Python value into `T`; a wrong shape is `InvalidInputError` naming `what`.
pub fn from_py<T: DeserializeOwned>(value: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    pythonize::depythonize(value)
        .map_err(|e| crate::error::to_py(Error::invalid(what, e.to_string())))
}

/// Writes `value` as plain Python data (dicts, lists, str, int, float, bool, None).
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value)
        .map_err(|e| crate::error::to_py(Error::invalid("output", e.to_string())))
}
