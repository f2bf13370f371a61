//! Values in and out: one serde shape (snake_case keys, `null` for absent values, plain
//! objects), read and written with serde-wasm-bindgen's JSON-compatible serializer.

use crate::error::{core_error, shape_error};
use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use testrelay::{Status, StatusFilter, StatusMapping, Warning};
use wasm_bindgen::JsValue;

/// Reads a JS value into `T`; a wrong shape is `INVALID_INPUT` naming `what`.
pub fn from_js<T: DeserializeOwned>(what: &str, value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| shape_error(what, e))
}

/// Writes `T` as plain JS objects and arrays (maps as objects, `None` as `null`).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| shape_error("output", e))
}

/// [`to_js`] for values with integer map keys (case ids): JSON objects have string keys, so
/// the value goes through `serde_json::Value`, which writes `{"42": …}` as JSON does.
pub fn to_js_keyed<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    to_js(&serde_json::to_value(value).map_err(|e| shape_error("output", e))?)
}

/// `{mapping, warnings}` of `parseStatusMapping*`.
#[derive(Serialize)]
pub struct MappingParsed {
    pub mapping: StatusMapping,
    pub warnings: Vec<Warning>,
}

/// `{filter, warnings}` of `parseStatusFilter*`.
#[derive(Serialize)]
pub struct FilterParsed {
    pub filter: StatusFilter,
    pub warnings: Vec<Warning>,
}

/// The input of `pipeline`.
#[derive(Deserialize)]
pub struct PipelineInput {
    #[serde(default)]
    pub mapping: Value,
    #[serde(default)]
    pub filter: Value,
    pub statuses: Vec<Status>,
}

/// The output of `pipeline`: one status or `null` per input, the trace, the warnings.
#[derive(Serialize)]
pub struct PipelineOutput {
    pub statuses: Vec<Option<Status>>,
    pub trace: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// The output of `planBatches`.
#[derive(Serialize)]
pub struct BatchPlan {
    pub batches: Vec<usize>,
    pub warnings: Vec<Warning>,
}

/// The result part of `failureLinks` input.
#[derive(Deserialize)]
pub struct LinkResult {
    #[serde(default)]
    pub testops_ids: Option<Vec<u64>>,
    #[serde(default)]
    pub title: String,
    pub status: Option<Status>,
}

/// The input of `failureLinks`.
#[derive(Deserialize)]
pub struct LinksInput {
    pub app: String,
    pub project: String,
    pub run_id: u64,
    pub result: LinkResult,
}

/// Configuration groups `{name: [value]}` in the caller's key order.
pub fn groups_in(groups: IndexMap<String, Vec<String>>) -> Vec<(String, Vec<String>)> {
    groups.into_iter().collect()
}

/// Combinations as `[{group: value}]`, keys in group order.
pub fn combinations_out(product: Vec<Vec<(String, String)>>) -> Vec<IndexMap<String, String>> {
    product
        .into_iter()
        .map(|combination| combination.into_iter().collect())
        .collect()
}

/// `{config, warnings}` of `resolveConfig` (the token shown as `***`).
#[derive(Serialize)]
pub struct ConfigResolved {
    pub config: testrelay::Config,
    pub warnings: Vec<Warning>,
}

/// Maps keyed by case id arrive with string keys (`{"42": …}`); a key that is not an id is
/// `INVALID_INPUT`.
pub fn id_keys<V>(what: &str, map: BTreeMap<String, V>) -> Result<BTreeMap<u64, V>, JsValue> {
    map.into_iter()
        .map(|(k, v)| match k.parse() {
            Ok(id) => Ok((id, v)),
            Err(_) => Err(core_error(testrelay::Error::invalid(
                what,
                format!("`{k}` is not a case id"),
            ))),
        })
        .collect()
}

/// A host time in milliseconds (a JS number) as the core's `u64`.
pub fn millis(now: f64) -> Result<u64, JsValue> {
    from_js("now", JsValue::from_f64(now))
}

/// `{instance}`: the session options a host passes.
#[derive(Deserialize)]
pub struct SessionOptionsInput {
    pub instance: String,
}

/// `{ids, title, warnings}` of `caseIds`.
#[derive(Serialize)]
pub struct CaseIdsOut {
    pub ids: Vec<u64>,
    pub title: String,
    pub warnings: Vec<Warning>,
}

/// The input of `decideCompletion`.
#[derive(Deserialize)]
pub struct CompletionInput {
    pub run_id: u64,
    pub receipts: Vec<testrelay::JobReceipt>,
    #[serde(default)]
    pub expected_jobs: Vec<String>,
}

/// `{results, warnings}` of the report readers.
#[derive(Serialize)]
pub struct ImportedOut {
    pub results: Vec<testrelay::TestResult>,
    pub warnings: Vec<Warning>,
}
