//! Reading JSON text into the core's types: serde_json, with one difference — a struct is read
//! from a JSON object only.
//!
//! serde_json also accepts a struct written as an array of its fields in order (`[7, "Login"]`
//! for `{id, title}`), so every derived `Deserialize` of a struct carries a second reader for
//! that form. No input of testrelay is written that way (the shapes are objects in every
//! language, SPEC and vectors), and that second reader of each input shape weighs on the
//! WASM page module (`bindings-wasm/build.sh` prints its size). [`from_str`] asks serde_json for a map wherever a
//! struct is wanted, so the array form is an `invalid type: sequence, expected struct …`
//! error, and its reader is never compiled. Everything else is serde_json's own behaviour:
//! its parser, its errors with line and column, its nesting limit (128).

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde::de::{Deserialize, VariantAccess};
use std::fmt;

/// `serde_json::from_str`, with structs read from objects only (see the module).
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> serde_json::Result<T> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Objects(&mut reader))?;
    reader.end()?;
    Ok(value)
}

/// A deserializer that forwards to `D`, asking for a map where a struct is wanted, and wraps
/// every nested deserializer the same way.
struct Objects<D>(D);

/// A visitor that hands `V` the wrapped form of every nested deserializer and access.
struct Wrap<V>(V);

/// A seed whose value is read through [`Objects`].
struct Seed<S>(S);

/// A struct variant's fields: read as a map (the variant's own content, through [`Objects`]).
struct StructVariant<V>(V);

macro_rules! forward_deserialize {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Wrap(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Objects<D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Wrap(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Wrap(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Wrap(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Wrap(visitor))
    }

    /// The one change: a struct is read as a map.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Wrap(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Wrap(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident: $ty:ty)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(formatter)
    }

    forward_visit! {
        visit_bool: bool visit_i8: i8 visit_i16: i16 visit_i32: i32 visit_i64: i64
        visit_i128: i128 visit_u8: u8 visit_u16: u16 visit_u32: u32 visit_u64: u64
        visit_u128: u128 visit_f32: f32 visit_f64: f64 visit_char: char visit_str: &str
        visit_borrowed_str: &'de str visit_string: String visit_bytes: &[u8]
        visit_borrowed_bytes: &'de [u8] visit_byte_buf: Vec<u8>
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Objects(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Objects(d))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Wrap(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Wrap(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Wrap(data))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<A> {
    type Error = A::Error;
    type Variant = Wrap<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(Seed(seed))?;
        Ok((value, Wrap(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }

    /// serde_json reads a struct variant's content with `deserialize_struct` on itself, out of
    /// [`Objects`]' reach; as a newtype's content it comes through [`Objects`], as a map.
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.newtype_variant_seed(StructVariant(visitor))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Objects(d))
    }
}

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for StructVariant<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_map(Wrap(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::{Value, json};
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Case {
        id: u64,
        title: String,
        #[serde(default)]
        tags: Vec<String>,
        parent: Option<Box<Case>>,
        kind: Kind,
        extra: Option<Value>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Wrapped(u32),
        Pair(u8, u8),
        Shaped { size: u8 },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Tagged {
        Link { case_id: u64 },
        Skip,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Wrapper(u64);

    /// Every shape the core reads comes out as serde_json reads it.
    #[test]
    fn reads_what_serde_json_reads_from_objects() {
        let texts = [
            r#"{"id": 1, "title": "a", "kind": "plain", "parent": null, "extra": null}"#,
            r#"{"id": 2, "title": "b", "tags": ["x", "y"], "kind": {"wrapped": 7},
                "parent": {"id": 3, "title": "c", "kind": {"pair": [1, 2]}, "parent": null,
                           "extra": {"deep": [1, {"n": 2.5}, "s", true, null]}},
                "extra": [1, 2]}"#,
            r#"{"title": "d", "id": 4, "kind": {"shaped": {"size": 9}}, "unknown": [1, {"x": 2}],
                "parent": null}"#,
        ];
        for text in texts {
            let ours: Case = from_str(text).unwrap();
            let theirs: Case = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
        let tagged = r#"[{"kind": "link", "case_id": 5}, {"kind": "skip"}]"#;
        let ours: Vec<Tagged> = from_str(tagged).unwrap();
        assert_eq!(ours, vec![Tagged::Link { case_id: 5 }, Tagged::Skip]);
        let map: BTreeMap<String, Wrapper> = from_str(r#"{"a": 1, "b": 2}"#).unwrap();
        assert_eq!(map["b"], Wrapper(2));
        let value: Value =
            from_str(r#"{"a": [1, -2, 3.5, "x", {"b": null}], "c": false}"#).unwrap();
        assert_eq!(
            value,
            json!({"a": [1, -2, 3.5, "x", {"b": null}], "c": false})
        );
    }

    /// The one difference: a struct written as an array of its fields is refused, naming the
    /// struct; serde_json alone would accept it.
    #[test]
    fn refuses_a_struct_written_as_an_array() {
        let text = r#"[1, "a", [], null, "plain", null]"#;
        assert!(serde_json::from_str::<Case>(text).is_ok());
        let err = from_str::<Case>(text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid type: sequence, expected struct Case at line 1 column 0"
        );
        let err = from_str::<Kind>(r#"{"shaped": [9]}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("invalid type: sequence"),
            "{err}"
        );
    }

    /// serde_json's errors keep their text, line and column; trailing text is refused.
    #[test]
    fn keeps_serde_json_errors() {
        for text in [
            "{\"id\": 1,\n \"title\": 2}",
            "{\"id\": 1, \"title\": \"a\", \"kind\": \"none\"}",
            "{\"id\": 1",
            "{\"id\": 1, \"title\": \"a\", \"kind\": \"plain\", \"parent\": null} x",
        ] {
            let ours = from_str::<Case>(text).unwrap_err();
            let theirs = serde_json::from_str::<Case>(text).unwrap_err();
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
            assert_eq!(
                (ours.line(), ours.column()),
                (theirs.line(), theirs.column())
            );
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        let err = from_str::<Value>(&deep).unwrap_err();
        assert!(
            err.to_string().starts_with("recursion limit exceeded"),
            "{err}"
        );
    }
}
