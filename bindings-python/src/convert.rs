//! Values in and out: Python dicts/lists ↔ the core's serde shapes (pythonize). A value of the
//! wrong shape is `INVALID_INPUT`, naming what was being read.

use pyo3::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use testrelay::{Error, Status};

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

/// Input of `pipeline`: `{mapping, filter, statuses}`.
#[derive(serde::Deserialize)]
pub struct PipelineInput {
    #[serde(default)]
    pub mapping: serde_json::Value,
    #[serde(default)]
    pub filter: serde_json::Value,
    pub statuses: Vec<Status>,
}

/// Input of `failure_links`: `{app, project, run_id, result: {testops_ids, title, status}}`.
#[derive(serde::Deserialize)]
pub struct FailureLinksInput {
    pub app: String,
    pub project: String,
    pub run_id: u64,
    pub result: LinkedResult,
}

/// The part of a result that failure links read.
#[derive(serde::Deserialize)]
pub struct LinkedResult {
    #[serde(default)]
    pub testops_ids: Option<Vec<u64>>,
    #[serde(default)]
    pub title: String,
    pub status: Option<Status>,
}

/// Input of `decide_completion`: `{run_id, receipts, expected_jobs}`.
#[derive(serde::Deserialize)]
pub struct CompletionInput {
    pub run_id: u64,
    pub receipts: Vec<testrelay::JobReceipt>,
    #[serde(default)]
    pub expected_jobs: Vec<String>,
}
