//! Values in and out: one serde shape (snake_case keys, `null` for absent values, plain
//! objects), read through `JSON.stringify` and written through `JSON.parse`, with serde_json.

// Without `full` most shapes have no export using them.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))]

use crate::error::{core_error, shape_error};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use testrelay::Warning;
use wasm_bindgen::JsValue;

/// Reads a JS value into `T` through `JSON.stringify` and the core's JSON reader, so a
/// hostile, deeply nested value is `INVALID_INPUT` (nesting limit 128) instead of a stack
/// overflow trap, and lone surrogates become U+FFFD. `undefined` reads as `null`; a wrong
/// shape is `INVALID_INPUT` naming `what`.
pub fn from_js<T: DeserializeOwned>(what: &str, value: JsValue) -> Result<T, JsValue> {
    let text = js_sys::JSON::stringify(&value).map_err(|e| {
        let reason = js_sys::Error::from(e).message();
        shape_error(what, String::from(reason))
    })?;
    let text = text.as_string().unwrap_or_else(|| "null".to_owned());
    testrelay::api::from_js_json(what, &text).map_err(core_error)
}

/// Reads a text argument: anything but a string is `INVALID_INPUT` naming `what`.
pub fn text_arg(what: &str, value: &JsValue) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| shape_error(what, "expected a string"))
}

/// Writes `T` as plain JS objects and arrays (maps as objects, `None` as `null`): serde_json
/// text read by `JSON.parse`. One serializer (serde_json's, which the core needs anyway) instead
/// of a second one per type that calls into JS per property: a smaller module, and one
/// crossing for the whole value.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| shape_error("output", e))?;
    js_sys::JSON::parse(&text).map_err(|e| shape_error("output", js_sys::Error::from(e).message()))
}

/// [`to_js`] for values with integer map keys (case ids): JSON objects have string keys, so
/// the value goes through `serde_json::Value`, which writes `{"42": …}` as JSON does.
pub fn to_js_keyed<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    to_js(&serde_json::to_value(value).map_err(|e| shape_error("output", e))?)
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

/// `{ids, title, warnings}` of `caseIds`.
#[derive(Serialize)]
pub struct CaseIdsOut {
    pub ids: Vec<u64>,
    pub title: String,
    pub warnings: Vec<Warning>,
}
