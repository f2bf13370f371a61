//! The result's attachments from Playwright's: its own, ours, and the official `qase.attach`
//! carriers (`step_attach_body_/file_<uuid>_<name>`), as playwright-qase-reporter reads them.

use super::PlaywrightAttachment;
use super::metadata::METADATA_CONTENT_TYPE;
use crate::result::Attachment;

/// An official `qase.attach` carrier, `step_attach_(body|file)_<8-4-4-4-12 word chars>_`
/// (any case): whether it carries a file path, and the length of that prefix.
pub(super) fn step_attach(name: &str) -> Option<(bool, usize)> {
    const PREFIX: &[u8] = b"step_attach_";
    let bytes = name.as_bytes();
    let head = bytes.get(..PREFIX.len() + 5)?;
    if !head[..PREFIX.len()].eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let kind = &head[PREFIX.len()..];
    let file = kind.eq_ignore_ascii_case(b"file_");
    if !file && !kind.eq_ignore_ascii_case(b"body_") {
        return None;
    }
    let mut at = head.len();
    for (i, len) in [8, 4, 4, 4, 12].into_iter().enumerate() {
        let group = bytes.get(at..at + len)?;
        if !group
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            return None;
        }
        at += len;
        let separator = if i == 4 { b'_' } else { b'-' };
        if bytes.get(at) != Some(&separator) {
            return None;
        }
        at += 1;
    }
    Some((file, at))
}

/// The result's attachments: Playwright's own and `qase.attach`'s (ours: plain attachments;
/// the official helper's: `step_attach_*`, named after the prefix, URI-decoded). The `qase.*`
/// messages are read, never sent.
pub(super) fn attachments(list: &[PlaywrightAttachment]) -> Vec<Attachment> {
    let mut out = Vec::new();
    for a in list {
        if a.content_type.as_deref() == Some(METADATA_CONTENT_TYPE) {
            continue;
        }
        if let Some((file, prefix)) = step_attach(&a.name) {
            let Some(body) = &a.body else {
                continue;
            };
            let raw = &a.name[prefix..];
            let name = decode_uri_component(raw).unwrap_or_else(|| raw.to_owned());
            let (path, content) = if file {
                let Some(path) = base64_decode(body) else {
                    continue;
                };
                (Some(String::from_utf8_lossy(&path).into_owned()), None)
            } else {
                (None, Some(body.clone()))
            };
            out.push(Attachment {
                name,
                content_type: a.content_type.clone(),
                path,
                content,
            });
            continue;
        }
        let path = a.path.as_ref().filter(|p| !p.is_empty());
        if path.is_none() && a.body.is_none() {
            continue;
        }
        out.push(Attachment {
            name: a.name.clone(),
            content_type: a.content_type.clone(),
            path: path.cloned(),
            content: if path.is_some() { None } else { a.body.clone() },
        });
    }
    out
}

/// JavaScript's `decodeURIComponent`: `None` where it throws (a `%` not followed by two hex
/// digits, escapes that are not UTF-8).
fn decode_uri_component(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let digit = |b: u8| (b as char).to_digit(16);
            out.push((digit(hex[0])? * 16 + digit(hex[1])?) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Standard base64 (what Node's `toString('base64')` writes); `None` for any other text.
pub(super) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let digits = text.trim_end_matches('=');
    if text.len() - digits.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() / 4 * 3 + 2);
    let (mut bits, mut held) = (0u32, 0u32);
    for b in digits.bytes() {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
            bits &= (1 << held) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_reads_what_node_writes() {
        for text in ["", "a", "ab", "abc", "abcd", "\u{0}\u{ff}é€"] {
            assert_eq!(
                base64_decode(&super::super::tests::base64(text.as_bytes())).unwrap(),
                text.as_bytes()
            );
        }
        assert_eq!(base64_decode("a*=="), None);
    }

    #[test]
    fn uri_decoding_fails_where_javascript_throws() {
        assert_eq!(decode_uri_component("a%20b%2Fc").as_deref(), Some("a b/c"));
        assert_eq!(decode_uri_component("%E2%82%AC").as_deref(), Some("€"));
        for bad in ["100%.txt", "%+f", "%E2%82", "%C0%80", "%ED%A0%80"] {
            assert_eq!(decode_uri_component(bad), None, "{bad}");
        }
    }
}
