//! A small JSON writer for the one payload built once per result (`ResultCreate`). The keys
//! are fixed ASCII, so they are written verbatim; values are escaped exactly as serde_json
//! escapes them (a test checks that on arbitrary strings), with a word-at-a-time scan that
//! copies runs that need no escape in one go. Numbers are written by the two crates
//! serde_json itself uses (`itoa`, `zmij`), so their text is serde_json's. It writes into a
//! `String` from `&str` pieces, so the payload needs no UTF-8 check afterwards. Everything
//! else in the crate serializes with serde.

/// An object being written: `{`, then `"key":value` pairs separated by commas, then `}`.
pub(crate) struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    pub fn open(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, empty: true }
    }

    /// Writes `"key":` (a fixed ASCII key: no escaping) and hands back the buffer for the value.
    pub fn key(&mut self, key: &str) -> &mut String {
        self.comma();
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    /// Writes `"key":` for a key that comes from the user (escaped).
    pub fn user_key(&mut self, key: &str) -> &mut String {
        self.comma();
        string(self.out, key);
        self.out.push(':');
        self.out
    }

    pub fn str(&mut self, key: &str, value: &str) {
        string(self.key(key), value);
    }

    pub fn close(self) {
        self.out.push('}');
    }

    fn comma(&mut self) {
        if !std::mem::take(&mut self.empty) {
            self.out.push(',');
        }
    }
}

/// `[` items `]`, each written by `item`.
pub(crate) fn array<T>(
    out: &mut String,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut String, T),
) {
    out.push('[');
    for (i, value) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item(out, value);
    }
    out.push(']');
}

/// An integer, as serde_json writes it (through the same `itoa`).
pub(crate) fn integer(out: &mut String, value: u64) {
    out.push_str(itoa::Buffer::new().format(value));
}

/// A float as serde_json writes it: its shortest round-trip text (through the same `zmij`),
/// `null` when it is not finite.
pub(crate) fn float(out: &mut String, value: f64) {
    if value.is_finite() {
        out.push_str(zmij::Buffer::new().format_finite(value));
    } else {
        out.push_str("null");
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// True when one of the 8 bytes is a control character, `"` or `\`: the bytes serde_json
/// escapes. (The `x - LO*n & !x & HI` test is exact for "some byte < n" with n ≤ 128.)
fn needs_escape(word: u64) -> bool {
    let control = word.wrapping_sub(LO * 0x20) & !word & HI;
    let quote = word ^ (LO * u64::from(b'"'));
    let backslash = word ^ (LO * u64::from(b'\\'));
    let zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    (control | zero(quote) | zero(backslash)) != 0
}

/// True when no byte of `bytes` needs an escape: eight bytes at a time.
fn plain(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    let clean = words
        .by_ref()
        .all(|w| !needs_escape(u64::from_le_bytes(w.try_into().expect("8 bytes"))));
    clean
        && words
            .remainder()
            .iter()
            .all(|&b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// A JSON string, escaped exactly as serde_json escapes it.
pub(crate) fn string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    if plain(text.as_bytes()) {
        // The common case: nothing to escape, one copy.
        out.push_str(text);
    } else {
        escape(out, text);
    }
    out.push('"');
}

/// Escapes byte by byte; every byte escaped is ASCII, so the slices between are whole UTF-8.
fn escape(out: &mut String, text: &str) {
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&text[start..at]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = at + 1;
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        string(&mut out, text);
        out
    }

    #[test]
    fn escapes_like_serde_json() {
        for text in [
            "",
            "plain",
            "a \"quoted\" \\ path",
            "tab\there\nnew\rline\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "exactly8",
            "ünïcødé ✓ 𝄞 and more than eight bytes \" at the end\\",
        ] {
            assert_eq!(
                escaped(text),
                serde_json::to_string(text).unwrap(),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_escapes_like_serde_json(text in "(\\PC|[\\x00-\\x20\"\\\\\\x7f])*") {
            proptest::prop_assert_eq!(escaped(&text), serde_json::to_string(&text).unwrap());
        }
    }

    #[test]
    fn objects_and_arrays() {
        let mut out = String::new();
        let mut object = Object::open(&mut out);
        object.str("a", "x");
        array(object.key("b"), [1u64, u64::MAX], integer);
        float(object.user_key("k\"ey"), 1.5);
        float(object.key("nan"), f64::NAN);
        object.close();
        assert_eq!(
            out,
            r#"{"a":"x","b":[1,18446744073709551615],"k\"ey":1.5,"nan":null}"#
        );
    }

    proptest::proptest! {
        #[test]
        fn numbers_are_serde_json_text(value in proptest::num::f64::ANY, int in proptest::num::u64::ANY) {
            let mut out = String::new();
            float(&mut out, value);
            proptest::prop_assert_eq!(out, serde_json::to_string(&value).unwrap());
            let mut out = String::new();
            integer(&mut out, int);
            proptest::prop_assert_eq!(out, int.to_string());
        }
    }
}
