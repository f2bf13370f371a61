//! Case ids from test titles: `Login works (Qase ID: 1,2)` or `(Qase ID: 1, 2)` gives the
//! ids `[1, 2]` and the title `Login works`. Ids that are not positive are dropped with a
//! warning; nothing here fails.

use crate::warning::{Warning, WarningCode};
use smallvec::SmallVec;
use std::borrow::Cow;

const MARKER: &str = "(Qase ID:";

/// Case ids and the clean title of one result.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CaseIds {
    /// Positive case ids: the explicit ones first, then those of the title, without repeats.
    pub ids: Vec<u64>,
    /// The title with the marker removed and trimmed.
    pub title: String,
    /// One warning per id that was dropped.
    pub warnings: Vec<Warning>,
}

/// Reads case ids from `explicit` (annotations, `testops_ids`) and from the title's
/// `(Qase ID: …)` marker; the marker is removed from the title.
pub fn case_ids(title: &str, explicit: Option<&[i64]>) -> CaseIds {
    let found = read_case_ids(title, explicit);
    CaseIds {
        ids: found.ids.to_vec(),
        title: found.title.into_owned(),
        warnings: found.warnings,
    }
}

/// [`CaseIds`] borrowing from the title where it can: the session reads them for every
/// result, and most titles need no copy (no marker, or a marker at the end).
#[derive(Debug)]
pub(crate) struct FoundIds<'a> {
    pub ids: SmallVec<[u64; 4]>,
    pub title: Cow<'a, str>,
    pub warnings: Vec<Warning>,
}

/// [`case_ids`] without copying what it need not copy.
pub(crate) fn read_case_ids<'a>(title: &'a str, explicit: Option<&[i64]>) -> FoundIds<'a> {
    let marker = find_marker(title);
    let mut out = FoundIds {
        title: match marker {
            // `before after`, trimmed, with one space where the marker was.
            Some((start, end)) => {
                let before = title[..start].trim();
                let after = title[end..].trim();
                if after.is_empty() {
                    Cow::Borrowed(before)
                } else if before.is_empty() {
                    Cow::Borrowed(after)
                } else {
                    Cow::Owned(format!("{before} {after}"))
                }
            }
            None => Cow::Borrowed(title.trim()),
        },
        ids: SmallVec::new(),
        warnings: Vec::new(),
    };
    for &id in explicit.unwrap_or_default() {
        out.take(id, (id > 0).then_some(id as u64));
    }
    if let Some((start, end)) = marker {
        let items = title[start + MARKER.len()..end - 1]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty());
        for item in items {
            let id = item.parse::<i64>().ok().filter(|&id| id > 0);
            out.take(item, id.map(|id| id as u64));
        }
    }
    out
}

impl FoundIds<'_> {
    /// One id as written: kept once when positive, otherwise dropped with a warning.
    fn take(&mut self, item: impl std::fmt::Display, id: Option<u64>) {
        match id {
            Some(id) => {
                if !self.ids.contains(&id) {
                    self.ids.push(id);
                }
            }
            None => self.warnings.push(Warning::new(
                WarningCode::InvalidCaseId,
                "testops_ids",
                format!(
                    "case id `{item}` of `{}` ignored: expected a positive integer",
                    self.title
                ),
            )),
        }
    }
}

/// The byte range of a well-formed `(Qase ID: 1, 2)` marker: digits, `-`, commas and spaces
/// up to the closing parenthesis.
fn find_marker(title: &str) -> Option<(usize, usize)> {
    // Byte searches: titles are short, and both delimiters are ASCII (never inside a char).
    let bytes = title.as_bytes();
    let find = |from: usize, byte: u8| {
        let at = bytes[from..].iter().position(|&b| b == byte)?;
        Some(from + at)
    };
    // The first `(` that opens a marker.
    let mut from = 0;
    let start = loop {
        let at = find(from, b'(')?;
        if bytes[at..].starts_with(MARKER.as_bytes()) {
            break at;
        }
        from = at + 1;
    };
    let inner_start = start + MARKER.len();
    let close = find(inner_start, b')')?;
    let inner = &bytes[inner_start..close];
    let well_formed = inner.iter().any(u8::is_ascii_digit)
        && inner
            .iter()
            .all(|&b| b.is_ascii_digit() || matches!(b, b',' | b' ' | b'-'));
    well_formed.then_some((start, close + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_marker_spellings() {
        for title in ["Login works (Qase ID: 1,2)", "Login works (Qase ID: 1, 2)"] {
            let got = case_ids(title, None);
            assert_eq!(got.ids, [1, 2]);
            assert_eq!(got.title, "Login works");
            assert!(got.warnings.is_empty());
        }
    }

    #[test]
    fn non_positive_ids_are_dropped_with_a_warning() {
        let got = case_ids("t (Qase ID: 0, -3, 4)", Some(&[-1, 4, 9]));
        assert_eq!(got.ids, [4, 9]);
        assert_eq!(got.warnings.len(), 3);
        assert_eq!(got.title, "t");
    }

    #[test]
    fn the_marker_may_stand_anywhere() {
        let cases = [
            ("(x) Login (Qase ID: 5) works ", "(x) Login works", vec![5]),
            ("  (Qase ID: 7)   Login", "Login", vec![7]),
            ("Login\t(Qase ID: 8)", "Login", vec![8]),
            ("(Qase ID: 9)", "", vec![9]),
            ("((Qase ID: 3)", "(", vec![3]),
        ];
        for (title, clean, ids) in cases {
            let got = case_ids(title, None);
            assert_eq!((got.title.as_str(), got.ids), (clean, ids), "{title:?}");
        }
    }

    #[test]
    fn a_malformed_marker_stays_in_the_title() {
        let got = case_ids("t (Qase ID: abc)", None);
        assert!(got.ids.is_empty());
        assert_eq!(got.title, "t (Qase ID: abc)");
    }
}
