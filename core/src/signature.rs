//! Result signatures (SPEC §8): the string Qase uses to match results of cases without ids.
//! testrelay computes exactly what the official reporter of each ecosystem computes, so a
//! team that swaps reporters gets no duplicate cases.

use indexmap::IndexMap;

/// JavaScript flavour (qase-javascript-commons, Playwright): ids joined by `-`, then every
/// suite element cleaned and split, then each parameter as `{'key':'value'}` (both
/// lowercased), all joined by `::`. Built in one buffer: it runs once per result.
pub fn js_signature<'a>(
    ids: &[u64],
    suites: impl IntoIterator<Item = &'a String>,
    params: &IndexMap<String, String>,
) -> String {
    let mut out = Vec::with_capacity(128);
    write_js_signature(&mut out, ids, suites, params.iter());
    String::from_utf8(out).expect("built from whole UTF-8 pieces")
}

/// [`js_signature`] into a buffer the caller reuses (once per result: no allocation).
pub(crate) fn write_js_signature<'a, 'p>(
    out: &mut Vec<u8>,
    ids: &[u64],
    suites: impl IntoIterator<Item = &'a String>,
    params: impl IntoIterator<Item = (&'p String, &'p String)>,
) {
    out.clear();
    push_ids(out, ids);
    for suite in suites {
        let bytes = suite.as_bytes();
        if bytes.is_ascii() {
            push_js_ascii(out, bytes);
            continue;
        }
        // Trimming the element first changes nothing: every piece's words are trimmed anyway.
        for piece in pieces(suite) {
            if piece.is_ascii() {
                push_js_ascii(out, piece);
            } else {
                // Unicode whitespace and lowercasing (final sigma is contextual): the whole
                // piece at once, as the official reporter does it.
                let piece = std::str::from_utf8(piece).expect("split at ASCII bytes");
                let words: Vec<&str> = piece.split_whitespace().collect();
                if !words.is_empty() {
                    separate(out);
                    let joined = words.join("_").replace('\\', "/");
                    out.extend_from_slice(joined.to_lowercase().as_bytes());
                }
            }
        }
    }
    for (key, value) in params {
        separate(out);
        out.extend_from_slice(b"{'");
        push_lowercase(out, key);
        out.extend_from_slice(b"':'");
        push_lowercase(out, value);
        out.extend_from_slice(b"'}");
    }
}

/// ASCII whitespace as `char::is_whitespace` sees it (`split_whitespace`): tab, line feed,
/// vertical tab, form feed, carriage return and space.
const fn is_space(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ')
}

/// An ASCII suite element (or piece of one) in one pass: split into pieces at `::` (left to
/// right, like `str::split`) and tab, each piece's words joined by `_`, lowercased, `\\` as
/// `/`, empty pieces left out, each piece after a `::` separator. It runs for every suite
/// element and title of every result, so it writes by index into room made beforehand (one
/// table lookup per byte) instead of pushing byte by byte.
fn push_js_ascii(out: &mut Vec<u8>, ascii: &[u8]) {
    let mut w = out.len();
    // Each byte gives at most one byte (`_` stands for a gap of at least one byte), and each
    // piece at most two more (its `::`, after a separator byte or at the start).
    out.resize(w + 2 * ascii.len() + 2, 0);
    let buf = out.as_mut_slice();
    // In a piece: has a word been written, and did whitespace follow the last one.
    let mut words = false;
    let mut gap = false;
    let mut at = 0;
    while at < ascii.len() {
        let byte = ascii[at];
        at += 1;
        match JS_CLASS[usize::from(byte)] {
            SPACE => gap = words,
            TAB => (words, gap) = (false, false),
            COLON if ascii.get(at) == Some(&b':') => {
                at += 1;
                (words, gap) = (false, false);
            }
            _ => {
                if !words {
                    if w > 0 {
                        buf[w..w + 2].copy_from_slice(b"::");
                        w += 2;
                    }
                    words = true;
                } else if gap {
                    buf[w] = b'_';
                    w += 1;
                    gap = false;
                }
                buf[w] = JS_BYTE[usize::from(byte)];
                w += 1;
            }
        }
    }
    out.truncate(w);
}

const WORD: u8 = 0;
const SPACE: u8 = 1;
const TAB: u8 = 2;
const COLON: u8 = 3;

/// What each ASCII byte is to [`push_js_ascii`]: whitespace as `char::is_whitespace` sees it
/// (tab apart: it separates pieces), `:`, or part of a word.
const JS_CLASS: [u8; 256] = {
    let mut class = [WORD; 256];
    let mut byte = 0;
    while byte < 256 {
        class[byte] = match byte as u8 {
            b'\t' => TAB,
            b':' => COLON,
            b if is_space(b) => SPACE,
            _ => WORD,
        };
        byte += 1;
    }
    class
};

/// A word byte as the signature has it: lowercase, `\\` as `/`.
const JS_BYTE: [u8; 256] = {
    let mut map = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        map[byte] = match byte as u8 {
            b'\\' => b'/',
            b => b.to_ascii_lowercase(),
        };
        byte += 1;
    }
    map
};

/// The pieces of a suite element: split on `::` (left to right, like `str::split`) and on
/// tab, as bytes (both separators are ASCII, so every piece is whole UTF-8).
fn pieces(suite: &str) -> impl Iterator<Item = &[u8]> {
    let bytes = suite.as_bytes();
    let mut start = 0;
    let mut at = 0;
    std::iter::from_fn(move || {
        if start > bytes.len() {
            return None;
        }
        while at < bytes.len() {
            let width = match bytes[at] {
                b'\t' => 1,
                b':' if bytes.get(at + 1) == Some(&b':') => 2,
                _ => 0,
            };
            if width > 0 {
                let piece = &bytes[start..at];
                at += width;
                start = at;
                return Some(piece);
            }
            at += 1;
        }
        let piece = &bytes[start..];
        start = bytes.len() + 1;
        Some(piece)
    })
}

/// Python flavour (qase-python-commons, pytest): ids joined by `-`, then each `/`-separated
/// piece of the node id lowercased with spaces as `_`, then each parameter as `{key:value}`
/// as is, all joined by `::` (empty pieces included, as the official join does).
pub fn python_signature(ids: &[u64], node_id: &str, params: &IndexMap<String, String>) -> String {
    let mut out = Vec::with_capacity(node_id.len() + 32);
    write_python_signature(&mut out, ids, node_id, params);
    String::from_utf8(out).expect("built from whole UTF-8 pieces")
}

/// [`python_signature`] into a buffer the caller reuses.
pub(crate) fn write_python_signature(
    out: &mut Vec<u8>,
    ids: &[u64],
    node_id: &str,
    params: &IndexMap<String, String>,
) {
    out.clear();
    push_ids(out, ids);
    let mut first = out.is_empty();
    for piece in node_id.split('/') {
        if !std::mem::take(&mut first) {
            out.extend_from_slice(b"::");
        }
        if piece.is_ascii() {
            out.extend(piece.bytes().map(|b| match b {
                b' ' => b'_',
                b => b.to_ascii_lowercase(),
            }));
        } else {
            out.extend_from_slice(piece.to_lowercase().replace(' ', "_").as_bytes());
        }
    }
    for (key, value) in params {
        out.extend_from_slice(b"::{");
        out.extend_from_slice(key.as_bytes());
        out.push(b':');
        out.extend_from_slice(value.as_bytes());
        out.push(b'}');
    }
}

/// `::` before every part but the first (no part of the JS flavour is ever empty).
fn separate(out: &mut Vec<u8>) {
    if !out.is_empty() {
        out.extend_from_slice(b"::");
    }
}

fn push_lowercase(out: &mut Vec<u8>, text: &str) {
    if text.is_ascii() {
        let start = out.len();
        out.extend_from_slice(text.as_bytes());
        out[start..].make_ascii_lowercase();
    } else {
        out.extend_from_slice(text.to_lowercase().as_bytes());
    }
}

fn push_ids(out: &mut Vec<u8>, ids: &[u64]) {
    for (i, &id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(b'-');
        }
        out.extend_from_slice(itoa::Buffer::new().format(id).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> IndexMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn suites(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn spec_examples_js() {
        assert_eq!(
            js_signature(
                &[1, 2, 3],
                &suites(&["Suite1", "Suite2"]),
                &params(&[("Param1", "Value1"), ("Param2", "Value2")])
            ),
            "1-2-3::suite1::suite2::{'param1':'value1'}::{'param2':'value2'}"
        );
        assert_eq!(
            js_signature(
                &[],
                &suites(&["  Suite With Spaces  ", "Suite\tWith\tTabs"]),
                &params(&[])
            ),
            "suite_with_spaces::suite::with::tabs"
        );
        assert_eq!(
            js_signature(&[], &suites(&["e2e\\file.spec.ts", "Suite1"]), &params(&[])),
            "e2e/file.spec.ts::suite1"
        );
    }

    /// SPEC §8 transcribed literally (a vector of parts, joined): the one-string builders
    /// must agree with it on any input, Unicode and odd whitespace included.
    fn js_reference(ids: &[u64], suites: &[String], params: &IndexMap<String, String>) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !ids.is_empty() {
            parts.push(ids.iter().map(u64::to_string).collect::<Vec<_>>().join("-"));
        }
        for suite in suites {
            let suite = suite.trim().replace('\\', "/");
            for piece in suite.split("::").flat_map(|p| p.split('\t')) {
                let piece = piece
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join("_")
                    .to_lowercase();
                if !piece.is_empty() {
                    parts.push(piece);
                }
            }
        }
        for (k, v) in params {
            parts.push(format!("{{'{}':'{}'}}", k.to_lowercase(), v.to_lowercase()));
        }
        parts.join("::")
    }

    fn python_reference(ids: &[u64], node_id: &str, params: &IndexMap<String, String>) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !ids.is_empty() {
            parts.push(ids.iter().map(u64::to_string).collect::<Vec<_>>().join("-"));
        }
        parts.extend(
            node_id
                .split('/')
                .map(|p| p.to_lowercase().replace(' ', "_")),
        );
        parts.extend(params.iter().map(|(k, v)| format!("{{{k}:{v}}}")));
        parts.join("::")
    }

    proptest::proptest! {
        #[test]
        fn builders_agree_with_the_spec_transcription(
            ids in proptest::collection::vec(1u64..100_000, 0..4),
            suites in proptest::collection::vec("[ a-zA-Z\t\n\x0b\x0c\r:::\\\\/ΣσςİÄ\u{3000}\u{85}_.-]{0,14}", 0..5),
            node_id in "[ a-zA-Z/:ΣÄ_.\\[\\]-]{0,24}",
            pairs in proptest::collection::vec(("[a-zA-ZΣÄ ]{0,5}", "[a-zA-Z0-9ΣÄ ]{0,5}"), 0..3),
        ) {
            let params: IndexMap<String, String> = pairs.into_iter().collect();
            proptest::prop_assert_eq!(
                js_signature(&ids, &suites, &params),
                js_reference(&ids, &suites, &params)
            );
            proptest::prop_assert_eq!(
                python_signature(&ids, &node_id, &params),
                python_reference(&ids, &node_id, &params)
            );
        }
    }

    #[test]
    fn spec_examples_python() {
        let node = "tests/test_cls.py::TestKlass::test_method";
        assert_eq!(
            python_signature(&[], node, &params(&[])),
            "tests::test_cls.py::testklass::test_method"
        );
        assert_eq!(
            python_signature(&[6, 7], node, &params(&[])),
            "6-7::tests::test_cls.py::testklass::test_method"
        );
    }
}
