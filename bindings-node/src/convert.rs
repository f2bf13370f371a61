//! Values in and out: JS values are read straight into the core's serde types (object key
//! order kept, so parameters stay in insertion order) and written back the same way.

use crate::error::{Result, invalid_input};
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
    serde_json::from_str(&replace_lone_surrogates(&text)).map_err(|e| invalid_input(what, e))
}

/// JS strings may hold lone surrogates, which `JSON.stringify` writes as `\udXXX` escapes and
/// serde_json refuses; they become U+FFFD, as napi's own string conversion does, so a test
/// with such a title is still reported.
fn replace_lone_surrogates(text: &str) -> std::borrow::Cow<'_, str> {
    let surrogate = |hex: &str| {
        u16::from_str_radix(hex, 16)
            .ok()
            .filter(|u| (0xD800..0xE000).contains(u))
    };
    if !text.contains("\\u") {
        return text.into();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let escape = text
            .get(i + 2..i + 6)
            .filter(|_| bytes.get(i + 1) == Some(&b'u'));
        match escape.and_then(surrogate) {
            Some(0xD800..=0xDBFF) => {
                let low = text
                    .get(i + 8..i + 12)
                    .filter(|_| text.get(i + 6..i + 8) == Some("\\u"))
                    .and_then(surrogate)
                    .filter(|low| *low >= 0xDC00);
                if low.is_some() {
                    i += 12; // a valid pair: keep it
                } else {
                    out.push_str(&text[copied..i]);
                    out.push_str("\\ufffd");
                    i += 6;
                    copied = i;
                }
            }
            Some(_) => {
                out.push_str(&text[copied..i]);
                out.push_str("\\ufffd");
                i += 6;
                copied = i;
            }
            None => i += 2, // any other escape, incl. `\\`
        }
    }
    out.push_str(&text[copied..]);
    out.into()
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

/// `new Session(sources, {instance}, now)` options.
#[derive(serde::Deserialize)]
pub struct SessionOptionsInput {
    pub instance: String,
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

#[cfg(test)]
mod tests {
    use super::replace_lone_surrogates;

    #[test]
    fn lone_surrogates_become_replacement_characters_and_pairs_stay() {
        let cases = [
            (r#""a\ud800b""#, "a\u{fffd}b"),
            (r#""\udc00""#, "\u{fffd}"),
            (r#""\ud83d\ude00""#, "😀"),
            (r#""\\ud800""#, "\\ud800"),
            (r#""\ud800\ud800""#, "\u{fffd}\u{fffd}"),
            (r#""plain ü""#, "plain ü"),
        ];
        for (json, want) in cases {
            let got: String = serde_json::from_str(&replace_lone_surrogates(json)).unwrap();
            assert_eq!(got, want, "{json}");
        }
    }
}
