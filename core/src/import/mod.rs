//! Report import: test reports written by other tools (JUnit XML, Playwright's JSON report)
//! read into the same [`TestResult`]s a live reporter produces, so they feed the same
//! pipeline (classify → map → filter → match → batch).
//!
//! Readers are pure and streaming: one pass over the text, no document tree, bounded by
//! [`Limits`]. Bad input is an [`Error`] (`MALFORMED_REPORT` with a 1-based line, or
//! `LIMIT_EXCEEDED`); a part that is wrong but skippable (an unreadable `time`, a bad case id)
//! is a [`Warning`] and the rest is kept. No input panics.

pub mod junit;
pub mod playwright_json;

use crate::error::Error;
use crate::result::TestResult;
use crate::warning::{Warning, WarningCode};

pub use junit::{import_junit, import_junit_with};
pub use playwright_json::{import_playwright_json, import_playwright_json_with};

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

/// Reads an RFC 3339 / ISO 8601 UTC-or-offset time (`2026-11-22T04:10:18.272Z`,
/// `2026-11-22T04:10:18+02:00`) as milliseconds since the Unix epoch.
pub(crate) fn parse_timestamp_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: i64 = date_parts.next()?.parse().ok()?;
    let day: i64 = date_parts.next()?.parse().ok()?;
    let (time, offset_minutes) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => {
            let (time, zone) = rest.split_at(i);
            (time, zone_offset_minutes(zone)?)
        }
        None => return None,
    };
    let mut time_parts = time.splitn(3, ':');
    let hour: i64 = time_parts.next()?.parse().ok()?;
    let minute: i64 = time_parts.next()?.parse().ok()?;
    let seconds = parse_decimal(time_parts.next()?)?;
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..24).contains(&hour)
        && (0..60).contains(&minute)
        && (0.0..61.0).contains(&seconds);
    if !valid {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let whole = days * 86_400 + hour * 3_600 + minute * 60 - offset_minutes * 60;
    Some(((whole as f64 + seconds) * 1_000.0).round())
}

fn zone_offset_minutes(zone: &str) -> Option<i64> {
    if zone.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let (hours, minutes) = zone.get(1..)?.split_once(':')?;
    Some(sign * (hours.parse::<i64>().ok()? * 60 + minutes.parse::<i64>().ok()?))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A decimal number as `str::parse::<f64>` reads one — `[+-]digits[.digits][(e|E)[+-]digits]`,
/// either side of the point may be empty but not both — except `inf` and `NaN`, which no
/// caller keeps. Read by serde_json's number parser once the text is in JSON's grammar (one
/// leading zero, digits on both sides of a point, no `+`): the module has that parser anyway,
/// while std's exact algorithm and its tables would weigh on the WASM page module.
/// serde_json's default is best effort, within a unit in the last place: far below the
/// microsecond the importers keep of a time.
pub(crate) fn parse_decimal(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    let exponent_digits = exponent.map(|e| e.strip_prefix(['+', '-']).unwrap_or(e));
    if exponent_digits.is_some_and(|e| e.is_empty() || !digits(e)) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let mut json = String::with_capacity(text.len() + 2);
    if negative {
        json.push('-');
    }
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    if let Some(exponent) = exponent {
        json.push('e');
        json.push_str(exponent);
    }
    crate::json::from_str(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimals_as_std_reads_them() {
        for (text, value) in [
            ("0.005", 0.005),
            ("1", 1.0),
            ("+1.5", 1.5),
            ("-2.25", -2.25),
            (".5", 0.5),
            ("5.", 5.0),
            ("007.25", 7.25),
            ("00", 0.0),
            ("1e3", 1000.0),
            ("1.5E-3", 0.0015),
            ("2e+2", 200.0),
            ("18.272", 18.272),
        ] {
            assert_eq!(parse_decimal(text), Some(value), "{text}");
        }
        for text in [
            "", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "0x10", "inf", "NaN",
            "1_000", "١",
        ] {
            assert_eq!(parse_decimal(text), None, "{text:?}");
        }
    }

    proptest! {
        /// Same reading as std wherever std reads a finite number, and nothing read where std
        /// reads nothing.
        #[test]
        fn agrees_with_std(text in "[+-]?[0-9]{0,22}(\\.[0-9]{0,22})?([eE][+-]?[0-9]{1,3})?") {
            match text.parse::<f64>() {
                Ok(expected) if expected.is_finite() => {
                    let got = parse_decimal(&text);
                    prop_assert!(got.is_some(), "{text}: std read {expected}, we read nothing");
                    let got = got.unwrap();
                    let tolerance = (expected.abs() * 1e-15).max(1e-300);
                    prop_assert!((got - expected).abs() <= tolerance, "{text}: {got} vs std {expected}");
                }
                Ok(_) => prop_assert!(parse_decimal(&text).is_none_or(|v| !v.is_finite() || v == 0.0)),
                Err(_) => prop_assert_eq!(parse_decimal(&text), None, "{}", text),
            }
        }

        #[test]
        fn reads_nothing_std_does_not(text in "\\PC{0,12}") {
            if text.parse::<f64>().is_err() {
                prop_assert_eq!(parse_decimal(&text), None, "{:?}", text);
            }
        }
    }
}
