//! Case ids from test titles: `Login works (Qase ID: 1,2)` or `(Qase ID: 1, 2)` gives the
//! ids `[1, 2]` and the title `Login works`. Ids that are not positive are dropped with a
//! warning; nothing here fails.

use crate::warning::{Warning, WarningCode};

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
    let mut out = CaseIds::default();
    let mut raw: Vec<String> = explicit
        .unwrap_or_default()
        .iter()
        .map(i64::to_string)
        .collect();
    out.title = match find_marker(title) {
        Some((start, end)) => {
            raw.extend(
                title[start + MARKER.len()..end - 1]
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty()),
            );
            format!(
                "{} {}",
                title[..start].trim_end(),
                title[end..].trim_start()
            )
            .trim()
            .to_owned()
        }
        None => title.trim().to_owned(),
    };
    for item in raw {
        match item.parse::<i64>() {
            Ok(id) if id > 0 => {
                if !out.ids.contains(&(id as u64)) {
                    out.ids.push(id as u64);
                }
            }
            _ => out.warnings.push(Warning::new(
                WarningCode::InvalidCaseId,
                "testops_ids",
                format!(
                    "case id `{item}` of `{}` ignored: expected a positive integer",
                    out.title
                ),
            )),
        }
    }
    out
}

/// The byte range of a well-formed `(Qase ID: 1, 2)` marker: digits, `-`, commas and spaces
/// up to the closing parenthesis.
fn find_marker(title: &str) -> Option<(usize, usize)> {
    let start = title.find(MARKER)?;
    let rest = &title[start + MARKER.len()..];
    let close = rest.find(')')?;
    let inner = &rest[..close];
    let well_formed = inner.chars().any(|c| c.is_ascii_digit())
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | ' ' | '-'));
    well_formed.then_some((start, start + MARKER.len() + close + 1))
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
    fn a_malformed_marker_stays_in_the_title() {
        let got = case_ids("t (Qase ID: abc)", None);
        assert!(got.ids.is_empty());
        assert_eq!(got.title, "t (Qase ID: abc)");
    }
}
