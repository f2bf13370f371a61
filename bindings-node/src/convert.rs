//! Values in and out: JS values are read straight into the core's serde types (object key
//! order kept, so parameters stay in insertion order) and written back the same way.

use crate::error::{Result, from_core, invalid_input};
use napi::Env;
use napi::JSON;
use napi::bindgen_prelude::{JsObjectValue, Unknown};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;

/// Reads a JS value into `T` through one `JSON.stringify` and serde_json: far fewer N-API
/// calls than walking every property, object key order kept, `undefined` members absent, and
/// serde_json's nesting limit (128) turns a hostile, deeply nested value into
/// `INVALID_INPUT` instead of a stack overflow. A wrong shape is `INVALID_INPUT` naming `what`.
pub fn from_js<T: DeserializeOwned>(env: &Env, what: &str, value: Unknown<'_>) -> Result<T> {
    let json: JSON<'_> = env
        .get_global()
        .and_then(|global| global.get_named_property_unchecked("JSON"))
        .map_err(|e| invalid_input(what, e.reason))?;
    let text = json
        .stringify(value)
        .map_err(|e| invalid_input(what, e.reason))?;
    testrelay::api::from_js_json(what, &text).map_err(from_core)
}

/// Reads an optional JS value (`undefined`/`null` → `None`).
pub fn from_js_opt<T: DeserializeOwned>(
    env: &Env,
    what: &str,
    value: Option<Unknown<'_>>,
) -> Result<Option<T>> {
    match value {
        None => Ok(None),
        Some(v) => from_js(env, what, v),
    }
}

/// Writes a core value to JS through `serde_json::Value`, so every integer up to 2^53 (times
/// in ms, run ids) becomes a plain number (napi's own serializer refuses u64 above u32).
pub fn to_js<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| invalid_input("output", e))
}

/// Writes a value of strings to JS keeping the key order of its maps.
pub fn to_js_ordered<'env, T: Serialize>(env: &'env Env, value: &T) -> Result<Unknown<'env>> {
    env.to_js_value(value)
        .map_err(|e| invalid_input("output", e.reason))
}

/// A JS object keyed by case id (`{"12": …}`) → a map keyed by number.
pub fn id_keys<V>(what: &str, map: BTreeMap<String, V>) -> Result<BTreeMap<u64, V>> {
    map.into_iter()
        .map(|(k, v)| {
            Ok((
                k.parse()
                    .map_err(|_| invalid_input(what, format!("`{k}` is not a case id")))?,
                v,
            ))
        })
        .collect()
}
