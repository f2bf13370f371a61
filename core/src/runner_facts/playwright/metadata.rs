//! The `qase.*` helpers' messages (ours and playwright-qase-reporter's): attachments of content
//! type [`METADATA_CONTENT_TYPE`], one JSON message each, read as the official reporter reads
//! them in JavaScript — a later message replaces an earlier one of the same kind, an object's
//! members come in JavaScript's order, ids are joined as `Array.prototype.join` joins them.

use super::PlaywrightAttachment;
use crate::warning::{Warning, WarningCode};
use indexmap::IndexMap;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// The content type both reporters write the messages with (playwright-qase-reporter's
/// `ReporterContentType`).
pub const METADATA_CONTENT_TYPE: &str = "application/qase.metadata+json";

/// The key of the warnings about a message.
const KEY: &str = "qase metadata";

/// A JSON value as JavaScript's `JSON.parse` makes it: every number a double; an object's
/// members in the order they came, a repeated name keeping its first place and its last value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Js {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Js>),
    Object(IndexMap<String, Js>),
}

impl<'de> Deserialize<'de> for Js {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Js, D::Error> {
        struct Read;
        impl<'de> Visitor<'de> for Read {
            type Value = Js;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Js, E> {
                Ok(Js::Null)
            }
            fn visit_none<E>(self) -> Result<Js, E> {
                Ok(Js::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Js, D::Error> {
                Js::deserialize(de)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Js, E> {
                Ok(Js::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Js, E> {
                Ok(Js::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Js, E> {
                Ok(Js::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Js, E> {
                Ok(Js::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Js, E> {
                Ok(Js::String(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Js, E> {
                Ok(Js::String(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Js, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Js::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Js, A::Error> {
                let mut members = IndexMap::new();
                while let Some((name, value)) = map.next_entry::<String, Js>()? {
                    members.insert(name, value);
                }
                Ok(Js::Object(members))
            }
        }
        de.deserialize_any(Read)
    }
}

impl Js {
    /// JavaScript's `String(value)`, written to `out`.
    fn write_text(&self, out: &mut String) {
        match self {
            Js::Null => out.push_str("null"),
            Js::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Js::Number(n) => out.push_str(&number_text(*n)),
            Js::String(s) => out.push_str(s),
            Js::Array(items) => join(items, out),
            Js::Object(_) => out.push_str("[object Object]"),
        }
    }
}

/// `items.join(',')`: `null` elements are empty, nested arrays joined the same way.
pub(super) fn join(items: &[Js], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if *item != Js::Null {
            item.write_text(out);
        }
    }
}

/// JavaScript's `Number.prototype.toString()` of a finite double: the shortest digits that
/// read back the same, in plain notation from 1e-6 up to 1e21, exponential outside.
fn number_text(n: f64) -> String {
    if n == 0.0 {
        return "0".to_owned();
    }
    if (1e-6..1e21).contains(&n.abs()) {
        return format!("{n}");
    }
    let text = format!("{n:e}");
    match text.split_once('e') {
        Some((digits, exponent)) if !exponent.starts_with('-') => format!("{digits}e+{exponent}"),
        _ => text,
    }
}

/// What the messages of one test said, the later message of a kind winning.
#[derive(Debug, Default)]
pub(super) struct Metadata {
    /// `qase.id(…)`: the list as sent (its items become the text of a `QaseID` annotation).
    pub ids: Option<Vec<Js>>,
    /// `qase.parameters(…)`, in JavaScript's member order.
    pub parameters: Vec<(String, String)>,
    /// `qase.groupParameters(…)`, in JavaScript's member order.
    pub group_params: Vec<(String, String)>,
    /// `qase.fields(…)`.
    pub fields: BTreeMap<String, String>,
    /// `qase.comment(…)`, when not empty.
    pub comment: Option<String>,
    /// `qase.title(…)`, when not empty.
    pub title: Option<String>,
    /// `qase.suite(…)`, when not empty.
    pub suite: Option<String>,
    /// `qase.ignore()`.
    pub ignore: bool,
}

impl Metadata {
    /// Every message among `attachments`, in order. A message that is not JSON, or a kind
    /// that is not an object of strings, is a warning and changes nothing.
    pub(super) fn read(attachments: &[PlaywrightAttachment], warnings: &mut Vec<Warning>) -> Self {
        let mut meta = Metadata::default();
        for attachment in attachments {
            if attachment.content_type.as_deref() != Some(METADATA_CONTENT_TYPE) {
                continue;
            }
            let Some(body) = &attachment.body else {
                continue;
            };
            // Read as Node reads the bytes (`toString('utf8')`: a bad sequence is U+FFFD).
            let message = super::attachments::base64_decode(body).and_then(|bytes| {
                serde_json::from_str::<Js>(&String::from_utf8_lossy(&bytes)).ok()
            });
            match message {
                Some(Js::Object(message)) => meta.take(&message, warnings),
                // `null`, a number, a string or a list: a message of no kind.
                Some(_) => {}
                None => warnings.push(Warning::new(
                    WarningCode::InvalidInput,
                    KEY,
                    "an attachment is not JSON; ignored",
                )),
            }
        }
        meta
    }

    fn take(&mut self, message: &IndexMap<String, Js>, warnings: &mut Vec<Warning>) {
        if let Some(Js::Array(ids)) = message.get("ids") {
            self.ids = Some(ids.clone());
        }
        for (kind, into) in [
            ("parameters", &mut self.parameters),
            ("groupParams", &mut self.group_params),
        ] {
            if let Some(values) = strings(message, kind, warnings) {
                *into = values;
            }
        }
        if let Some(values) = strings(message, "fields", warnings) {
            self.fields = values.into_iter().collect();
        }
        let text = |kind: &str| match message.get(kind) {
            Some(Js::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        self.comment = text("comment").or(self.comment.take());
        self.title = text("title").or(self.title.take());
        self.suite = text("suite").or(self.suite.take());
        if message.get("ignore") == Some(&Js::Bool(true)) {
            self.ignore = true;
        }
    }
}

/// `message[kind]` when it is an object of strings, its members in JavaScript's order;
/// `None` when absent or `null`, or (with a warning) anything else.
fn strings(
    message: &IndexMap<String, Js>,
    kind: &str,
    warnings: &mut Vec<Warning>,
) -> Option<Vec<(String, String)>> {
    let members = match message.get(kind)? {
        Js::Null => return None,
        Js::Object(members) if members.values().all(|v| matches!(v, Js::String(_))) => members,
        _ => {
            warnings.push(Warning::new(
                WarningCode::InvalidInput,
                KEY,
                format!("\"{kind}\" is not an object of strings; ignored"),
            ));
            return None;
        }
    };
    let pairs = members.iter().filter_map(|(name, value)| match value {
        Js::String(s) => Some((name.clone(), s.clone())),
        _ => None,
    });
    Some(js_order(pairs.collect()))
}

/// Members in the order JavaScript keeps an object's own properties: names that are array
/// indices (`"0"`, `"12"`, below 2³² − 1, no leading zero) first, ascending, then the others
/// in the order they came. The official reporter's parameters go through such objects, so
/// their order (and the signature built from it) is this one.
pub(super) fn js_order<V>(pairs: Vec<(String, V)>) -> Vec<(String, V)> {
    if !pairs.iter().any(|(name, _)| array_index(name).is_some()) {
        return pairs;
    }
    let (mut indices, others): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|(name, _)| array_index(name).is_some());
    indices.sort_by_key(|(name, _)| array_index(name));
    indices.extend(others);
    indices
}

fn array_index(name: &str) -> Option<u32> {
    let index: u32 = name.parse().ok()?;
    (index != u32::MAX && index.to_string() == name).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(text: &str) -> Js {
        serde_json::from_str(text).unwrap()
    }

    /// `String(value)` of the JSON `text`.
    fn string(text: &str) -> String {
        let mut out = String::new();
        js(text).write_text(&mut out);
        out
    }

    #[test]
    fn numbers_read_as_javascript_writes_them() {
        let texts: Vec<String> = [
            "5",
            "5.0",
            "-0",
            "1.5",
            "1e21",
            "1e-6",
            "1e-7",
            "1.5e-8",
            "123456789012",
        ]
        .iter()
        .map(|t| string(t))
        .collect();
        assert_eq!(
            texts,
            [
                "5",
                "5",
                "0",
                "1.5",
                "1e+21",
                "0.000001",
                "1e-7",
                "1.5e-8",
                "123456789012"
            ]
        );
    }

    #[test]
    fn lists_join_as_javascript_joins_them() {
        assert_eq!(
            string(r#"[1, "2,3", null, [4, [5]], true, {"a": 1}]"#),
            "1,2,3,,4,5,true,[object Object]"
        );
    }

    #[test]
    fn a_repeated_member_keeps_its_first_place_and_its_last_value() {
        let Js::Object(members) = js(r#"{"b": 1, "a": 2, "b": 3}"#) else {
            panic!("an object");
        };
        let members: Vec<_> = members.into_iter().collect();
        assert_eq!(
            members,
            [
                ("b".to_owned(), Js::Number(3.0)),
                ("a".into(), Js::Number(2.0))
            ]
        );
    }

    #[test]
    fn array_index_names_come_first_as_in_a_javascript_object() {
        let pairs = |names: &[&str]| names.iter().map(|n| (n.to_string(), ())).collect();
        let names =
            |pairs: Vec<(String, ())>| pairs.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert_eq!(
            names(js_order(pairs(&[
                "b",
                "10",
                "a",
                "2",
                "01",
                "4294967295",
                "4294967294"
            ]))),
            ["2", "10", "4294967294", "b", "a", "01", "4294967295"]
        );
    }
}
