//! Status mapping and filter (SPEC §3): parsed from env strings or JSON, invalid entries
//! ignored with one warning each; applied as one lookup (never chained), then the filter.

use crate::status::{Parsed, Status};
use crate::warning::{Warning, WarningCode};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// A status mapping: at most one target per source status. One lookup, never chained.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusMapping {
    targets: [Option<Status>; 5],
}

/// A status filter: results whose (mapped) status is listed are dropped from reporting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusFilter {
    statuses: Vec<Status>,
    mask: u8,
}

impl StatusMapping {
    /// Parses `QASE_STATUS_MAPPING`-style text: `from=to` items separated by commas;
    /// whitespace trimmed, empty items skipped. `key` names the source in warnings.
    pub fn parse_env(text: &str, key: &str) -> (StatusMapping, Vec<Warning>) {
        let mut mapping = StatusMapping::default();
        let mut warnings = Vec::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let mut parts = item.split('=');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(from), Some(to), None) => {
                    mapping.insert(from.trim(), to.trim(), item, key, &mut warnings)
                }
                _ => warnings.push(invalid_entry(key, item, "expected `from=to`")),
            }
        }
        (mapping, warnings)
    }

    /// Parses a JSON object `{"invalid": "failed"}`. Anything else is one warning.
    pub fn parse_json(value: &Value, key: &str) -> (StatusMapping, Vec<Warning>) {
        let mut mapping = StatusMapping::default();
        let mut warnings = Vec::new();
        match value {
            Value::Object(entries) => {
                for (from, to) in entries {
                    match to {
                        Value::String(to) => {
                            mapping.insert(from, to, &format!("{from}={to}"), key, &mut warnings)
                        }
                        other => warnings.push(invalid_entry(
                            key,
                            &format!(
                                "{from}={}",
                                serde_json::to_string(other).unwrap_or_default()
                            ),
                            "the target must be a status name",
                        )),
                    }
                }
            }
            Value::Null => {}
            other => warnings.push(Warning::new(
                WarningCode::InvalidMappingEntry,
                key,
                format!(
                    "status mapping must be an object like {{\"invalid\": \"failed\"}}, got {}",
                    json_kind(other)
                ),
            )),
        }
        (mapping, warnings)
    }

    fn insert(&mut self, from: &str, to: &str, item: &str, key: &str, warnings: &mut Vec<Warning>) {
        let (Some(from_s), Some(to_s)) = (
            read_status(from, key, warnings),
            read_status(to, key, warnings),
        ) else {
            let expected =
                "both sides must be one of passed, failed, invalid, skipped, blocked (lowercase)";
            warnings.push(invalid_entry(key, item, expected));
            return;
        };
        if from_s == to_s {
            warnings.push(Warning::note(
                WarningCode::SelfMapping,
                key,
                format!("status mapping entry `{item}` maps a status to itself; ignored"),
            ));
            return;
        }
        if self.targets[from_s.index()].replace(to_s).is_some() {
            warnings.push(Warning::new(
                WarningCode::DuplicateMapping,
                key,
                format!("status mapping names `{from_s}` more than once; `{item}` wins"),
            ));
        }
    }

    /// The mapped status (one lookup), or the status itself when unmapped.
    #[inline]
    pub fn apply(&self, status: Status) -> Status {
        self.targets[status.index()].unwrap_or(status)
    }

    /// The entries, in the canonical status order.
    pub fn entries(&self) -> impl Iterator<Item = (Status, Status)> + '_ {
        Status::ALL
            .into_iter()
            .filter_map(|from| self.targets[from.index()].map(|to| (from, to)))
    }

    /// True when nothing is mapped.
    pub fn is_empty(&self) -> bool {
        self.targets.iter().all(Option::is_none)
    }
}

impl FromIterator<(Status, Status)> for StatusMapping {
    fn from_iter<I: IntoIterator<Item = (Status, Status)>>(iter: I) -> Self {
        let mut mapping = StatusMapping::default();
        for (from, to) in iter.into_iter().filter(|(f, t)| f != t) {
            mapping.targets[from.index()] = Some(to);
        }
        mapping
    }
}

impl Serialize for StatusMapping {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (from, to) in self.entries() {
            map.serialize_entry(from.as_str(), to.as_str())?;
        }
        map.end()
    }
}

impl StatusFilter {
    /// Parses `QASE_TESTOPS_STATUS_FILTER`-style text: comma-separated statuses, trimmed,
    /// empty items skipped, order kept, duplicates removed.
    pub fn parse_env(text: &str, key: &str) -> (StatusFilter, Vec<Warning>) {
        let mut filter = StatusFilter::default();
        let mut warnings = Vec::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            filter.push_name(item, key, &mut warnings);
        }
        (filter, warnings)
    }

    /// Parses a JSON array of status names. Anything else is one warning.
    pub fn parse_json(value: &Value, key: &str) -> (StatusFilter, Vec<Warning>) {
        let mut filter = StatusFilter::default();
        let mut warnings = Vec::new();
        match value {
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::String(name) => filter.push_name(name, key, &mut warnings),
                        other => warnings.push(unknown_filter(
                            key,
                            &serde_json::to_string(other).unwrap_or_default(),
                        )),
                    }
                }
            }
            Value::Null => {}
            // A single string is read like the env form, as users write it both ways.
            Value::String(text) => return StatusFilter::parse_env(text, key),
            other => warnings.push(Warning::new(
                WarningCode::UnknownFilterStatus,
                key,
                format!(
                    "status filter must be a list like [\"skipped\"], got {}",
                    json_kind(other)
                ),
            )),
        }
        (filter, warnings)
    }

    fn push_name(&mut self, name: &str, key: &str, warnings: &mut Vec<Warning>) {
        match read_status(name, key, warnings) {
            Some(status) => self.push(status),
            None => warnings.push(unknown_filter(key, name)),
        }
    }

    fn push(&mut self, status: Status) {
        let bit = 1u8 << status.index();
        if self.mask & bit == 0 {
            self.mask |= bit;
            self.statuses.push(status);
        }
    }

    /// True when results of this status are dropped.
    #[inline]
    pub fn drops(&self, status: Status) -> bool {
        self.mask & (1u8 << status.index()) != 0
    }

    /// The listed statuses, in the order given.
    pub fn statuses(&self) -> &[Status] {
        &self.statuses
    }
}

impl FromIterator<Status> for StatusFilter {
    fn from_iter<I: IntoIterator<Item = Status>>(iter: I) -> Self {
        let mut filter = StatusFilter::default();
        for status in iter {
            filter.push(status);
        }
        filter
    }
}

impl Serialize for StatusFilter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.statuses.serialize(serializer)
    }
}

/// Map, then filter (SPEC §3 order): the status to report, or `None` when filtered out.
#[inline]
pub fn map_and_filter(
    status: Status,
    mapping: &StatusMapping,
    filter: &StatusFilter,
) -> Option<Status> {
    let mapped = mapping.apply(status);
    (!filter.drops(mapped)).then_some(mapped)
}

/// [`map_and_filter`] with the debug trace lines of SPEC §3, verbatim.
pub fn map_and_filter_traced(
    status: Status,
    mapping: &StatusMapping,
    filter: &StatusFilter,
    trace: &mut Vec<String>,
) -> Option<Status> {
    let mapped = mapping.apply(status);
    if mapped != status {
        trace.push(format!("Status mapping applied: {status} -> {mapped}"));
    }
    let list: Vec<String> = filter
        .statuses()
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect();
    trace.push(format!(
        "Checking filter: status=\"{mapped}\", filter=[{}]",
        list.join(",")
    ));
    let dropped = filter.drops(mapped);
    trace.push(format!(
        "Filter result: {}",
        if dropped { "FILTERED" } else { "NOT FILTERED" }
    ));
    (!dropped).then_some(mapped)
}

fn read_status(name: &str, key: &str, warnings: &mut Vec<Warning>) -> Option<Status> {
    match Status::parse_input(name)? {
        Parsed::Exact(s) => Some(s),
        Parsed::Alias(s) => {
            warnings.push(Warning::note(
                WarningCode::StatusAlias,
                key,
                format!("`{name}` is read as `{s}`"),
            ));
            Some(s)
        }
    }
}

fn invalid_entry(key: &str, item: &str, expected: &str) -> Warning {
    Warning::new(
        WarningCode::InvalidMappingEntry,
        key,
        format!("status mapping entry `{item}` ignored: {expected}"),
    )
}

fn unknown_filter(key: &str, item: &str) -> Warning {
    Warning::new(
        WarningCode::UnknownFilterStatus,
        key,
        format!(
            "status filter entry `{item}` ignored: expected one of passed, failed, invalid, skipped, blocked (lowercase)"
        ),
    )
}

/// A short name of a JSON value's kind, for messages.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_status() -> impl Strategy<Value = Status> {
        prop::sample::select(Status::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_warns_at_most_once_per_item(text in ".{0,200}") {
            let (_, warnings) = StatusMapping::parse_env(&text, "k");
            let items = text.split(',').filter(|i| !i.trim().is_empty()).count();
            prop_assert!(warnings.iter().filter(|w| w.is_warning()).count() <= items);
            let (_, warnings) = StatusFilter::parse_env(&text, "k");
            prop_assert!(warnings.iter().filter(|w| w.is_warning()).count() <= items);
        }

        #[test]
        fn mapping_is_total_and_one_step(pairs in prop::collection::vec((any_status(), any_status()), 0..8), s in any_status()) {
            let mapping: StatusMapping = pairs.iter().copied().collect();
            let mapped = mapping.apply(s);
            // One lookup: either unmapped, or the last pair given for `s`.
            let expected = pairs.iter().rev().find(|(f, t)| *f == s && f != t).map_or(s, |(_, t)| *t);
            prop_assert_eq!(mapped, expected);
        }

        #[test]
        fn env_round_trip(pairs in prop::collection::vec((any_status(), any_status()), 0..8)) {
            let text: Vec<String> = pairs.iter().map(|(f, t)| format!(" {f} = {t} ")).collect();
            let (parsed, _) = StatusMapping::parse_env(&text.join(","), "k");
            let built: StatusMapping = pairs.iter().copied().collect();
            prop_assert_eq!(parsed, built);
        }
    }

    #[test]
    fn trace_lists_the_whole_filter() {
        let filter: StatusFilter = [Status::Skipped, Status::Blocked].into_iter().collect();
        let mut trace = Vec::new();
        let out = map_and_filter_traced(
            Status::Blocked,
            &StatusMapping::default(),
            &filter,
            &mut trace,
        );
        assert_eq!(out, None);
        assert_eq!(
            trace,
            [
                "Checking filter: status=\"blocked\", filter=[\"skipped\",\"blocked\"]",
                "Filter result: FILTERED"
            ]
        );
    }
}
