//! Report import: test reports written by other tools (JUnit XML, Playwright's JSON report)
//! read into the same [`TestResult`]s a live reporter produces, so they feed the same
//! pipeline (classify → map → filter → match → batch).
//!
//! Readers are pure and streaming: one pass over the text, no document tree, bounded by
//! [`Limits`]. Bad input is an [`Error`] (`MALFORMED_REPORT` with a 1-based line, or
//! `LIMIT_EXCEEDED`); a part that is wrong but skippable (an unreadable `time`, a bad case id)
//! is a [`Warning`] and the rest is kept. No input panics.

pub mod junit;

use crate::error::Error;
use crate::result::TestResult;
use crate::warning::{Warning, WarningCode};

pub use junit::{import_junit, import_junit_with};

/// What a reader returns: the results in report order, and the warnings.
pub type Imported = (Vec<TestResult>, Vec<Warning>);

/// Bounds on what a reader accepts; exceeding one is [`Error::LimitExceeded`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input, in bytes.
    pub max_bytes: usize,
    /// Deepest element (XML) or suite (JSON) nesting.
    pub max_depth: usize,
    /// Most results one report may produce.
    pub max_results: usize,
}

impl Default for Limits {
    /// 256 MiB, depth 64, one million results.
    fn default() -> Self {
        Limits {
            max_bytes: 256 * 1024 * 1024,
            max_depth: 64,
            max_results: 1_000_000,
        }
    }
}

impl Limits {
    pub(crate) fn check_size(&self, len: usize) -> Result<(), Error> {
        if len > self.max_bytes {
            return Err(Error::LimitExceeded {
                detail: format!(
                    "report is {len} bytes, more than the limit of {}",
                    self.max_bytes
                ),
            });
        }
        Ok(())
    }

    pub(crate) fn check_results(&self, count: usize) -> Result<(), Error> {
        if count > self.max_results {
            return Err(Error::LimitExceeded {
                detail: format!("report has more than {} results", self.max_results),
            });
        }
        Ok(())
    }

    pub(crate) fn check_depth(&self, depth: usize, line: u64) -> Result<(), Error> {
        if depth > self.max_depth {
            return Err(Error::LimitExceeded {
                detail: format!(
                    "nesting deeper than {} levels at line {line}",
                    self.max_depth
                ),
            });
        }
        Ok(())
    }
}

/// True for names that carry case ids: `qase_id`, `QaseID`, `qase.id`, `testops_id`,
/// `testops-ids`, … (case, `_`, `-`, `.` and spaces ignored).
pub(crate) fn is_case_id_key(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        folded.as_str(),
        "qaseid" | "qaseids" | "testopsid" | "testopsids"
    )
}

/// Reads a case-id list (`"1"`, `"1,2"`, `"1, 2"`) into `ids`; each item that is not a
/// positive integer is dropped with an `INVALID_CASE_ID` warning naming `key`.
pub(crate) fn parse_case_ids(
    value: &str,
    key: &str,
    ids: &mut Vec<i64>,
    warnings: &mut Vec<Warning>,
) {
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match item.parse::<i64>() {
            Ok(id) if id > 0 => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            _ => warnings.push(Warning::new(
                WarningCode::InvalidCaseId,
                key,
                format!("case id `{item}` is not a positive integer; dropped"),
            )),
        }
    }
}

/// Converts a byte offset of `text` to a 1-based line number.
pub(crate) fn line_at(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}
