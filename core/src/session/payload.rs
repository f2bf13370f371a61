//! Request bodies of the Qase API: the v1 create-run body and the v2 `ResultCreate` objects
//! (checked against the official `qase-api-v2-client` models: `result_create.py`,
//! `result_execution.py`, `result_step*.py`, `result_relations.py`, `relation_suite*.py`).

use crate::config::Config;
use crate::result::{Step, TestResult};
use crate::status::Status;
use indexmap::IndexMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the session decided about one result, ready to become one payload object per case.
#[derive(Debug)]
pub(crate) struct Decided<'a> {
    pub result: &'a TestResult,
    pub title: &'a str,
    pub status: Status,
    pub signature: &'a str,
    pub suite: &'a [String],
    pub flaky: bool,
    pub defect: bool,
}

#[derive(Serialize)]
struct ResultCreate<'a> {
    id: &'a str,
    title: &'a str,
    signature: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    testops_ids: Option<[u64; 1]>,
    execution: Execution<'a>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    fields: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    steps: Vec<StepBody<'a>>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    params: &'a IndexMap<String, String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    param_groups: &'a [Vec<String>],
    relations: Relations<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    defect: bool,
}

#[derive(Serialize)]
struct Execution<'a> {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_time: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stacktrace: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thread: Option<&'a str>,
}

#[derive(Serialize)]
struct Relations<'a> {
    suite: SuiteData<'a>,
}

#[derive(Serialize)]
struct SuiteData<'a> {
    data: Vec<SuiteItem<'a>>,
}

#[derive(Serialize)]
struct SuiteItem<'a> {
    title: &'a str,
    public_id: Option<u64>,
}

#[derive(Serialize)]
struct StepBody<'a> {
    data: StepData<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    execution: Option<StepExecution>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    steps: Vec<StepBody<'a>>,
}

#[derive(Serialize)]
struct StepData<'a> {
    action: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected_result: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_data: Option<&'a str>,
}

#[derive(Serialize)]
struct StepExecution {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_time: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<u64>,
}

/// Milliseconds → the API's "seconds with milliseconds as the fraction".
fn seconds(ms: f64) -> f64 {
    (ms / 1000.0 * 1000.0).round() / 1000.0
}

/// A duration in whole milliseconds; negative or non-finite durations are dropped.
fn whole_ms(ms: Option<f64>) -> Option<u64> {
    ms.filter(|d| d.is_finite() && *d >= 0.0)
        .map(|d| d.round() as u64)
}

fn times(started: Option<f64>, duration: Option<f64>) -> (Option<f64>, Option<f64>) {
    let started = started.filter(|s| s.is_finite() && *s >= 0.0);
    let end = match (started, whole_ms(duration)) {
        (Some(s), Some(d)) => Some(seconds(s + d as f64)),
        _ => None,
    };
    (started.map(seconds), end)
}

fn step_body(step: &Step) -> StepBody<'_> {
    // The step model knows passed/failed/blocked/skipped/in_progress only: invalid → failed.
    let execution = step.status.map(|status| {
        let (start_time, end_time) = times(step.started_at, step.duration);
        StepExecution {
            status: match status {
                Status::Invalid => "failed",
                other => other.as_str(),
            },
            start_time,
            end_time,
            duration: whole_ms(step.duration),
        }
    });
    StepBody {
        data: StepData {
            action: if step.title.is_empty() {
                "step"
            } else {
                &step.title
            },
            expected_result: step.expected.as_deref(),
            input_data: step.data.as_deref(),
        },
        execution,
        steps: step.steps.iter().map(step_body).collect(),
    }
}

/// One `ResultCreate` JSON object: `id` is the idempotency key, `case_id` the one case this
/// copy reports to (a result with several case ids becomes several objects, same signature).
pub(crate) fn result_json(
    decided: &Decided<'_>,
    id: &str,
    case_id: Option<u64>,
    root_suite: Option<&str>,
) -> String {
    let result = decided.result;
    let error = result.outcome.error.as_ref();
    let mut fields: BTreeMap<&str, &str> = result
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if result.muted {
        fields.insert("muted", "true");
    }
    if decided.flaky {
        fields.insert("is_flaky", "true");
    }
    let message = match (
        result.attempt,
        result
            .message
            .as_deref()
            .or(error.and_then(|e| e.message.as_deref())),
    ) {
        (0, text) => text.map(str::to_owned),
        (n, Some(text)) => Some(format!("Attempt {} (retry {n})\n{text}", n + 1)),
        (n, None) => Some(format!("Attempt {} (retry {n})", n + 1)),
    };
    let (start_time, end_time) = times(result.started_at, result.duration);
    let data = root_suite
        .into_iter()
        .chain(decided.suite.iter().map(String::as_str))
        .map(|title| SuiteItem {
            title,
            public_id: None,
        })
        .collect();
    let body = ResultCreate {
        id,
        title: decided.title,
        signature: decided.signature,
        testops_ids: case_id.map(|c| [c]),
        execution: Execution {
            status: decided.status.as_str(),
            start_time,
            end_time,
            duration: whole_ms(result.duration),
            stacktrace: error.and_then(|e| e.stack.as_deref()),
            thread: result.thread.as_deref(),
        },
        fields,
        steps: result.steps.iter().map(step_body).collect(),
        params: &result.params,
        param_groups: &result.param_groups,
        relations: Relations {
            suite: SuiteData { data },
        },
        message,
        defect: decided.defect,
    };
    serde_json::to_string(&body).expect("a ResultCreate always serializes")
}

#[derive(Serialize)]
struct RunCreate<'a> {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    is_autotest: bool,
    start_time: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    environment_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    environment_slug: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan_id: Option<u64>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    configurations: &'a [u64],
}

/// The `POST /v1/run/{code}` body (SPEC §5, §9). An environment that is a number is sent as
/// `environment_id`, otherwise as `environment_slug`; `configurations` are the ids the
/// session resolved from the picked names (`configurations.rs`).
pub(crate) fn create_run_json(config: &Config, now_ms: u64, configurations: &[u64]) -> String {
    let testops = &config.testops;
    let environment = config.environment.as_deref();
    let body = RunCreate {
        title: match &testops.run_title {
            Some(title) => title.clone(),
            None => format!("Automated run {}", iso8601(now_ms)),
        },
        description: testops.run_description.as_deref(),
        is_autotest: true,
        start_time: api_time(now_ms),
        tags: &testops.run_tags,
        environment_id: environment
            .and_then(|e| e.parse().ok())
            .filter(|&id| id > 0),
        environment_slug: environment.filter(|e| !e.parse::<u64>().is_ok_and(|id| id > 0)),
        plan_id: testops.plan_id,
        configurations,
    };
    serde_json::to_string(&body).expect("a RunCreate always serializes")
}

/// Civil date and time (UTC) of a Unix time in milliseconds.
fn civil(ms: u64) -> (i64, u32, u32, u64, u64, u64, u64) {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-from-civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000,
    )
}

/// `2026-11-22T04:06:46.000Z`, like JavaScript's `Date.toISOString`.
pub fn iso8601(ms: u64) -> String {
    let (y, mo, d, h, mi, s, milli) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// `2026-11-22 04:06:46`, the API's `start_time` format (UTC).
pub fn api_time(ms: u64) -> String {
    let (y, mo, d, h, mi, s, _) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// A UUID-shaped idempotency id (RFC 9562 version 8, i.e. custom), derived from the host's
/// `instance` and a counter: the same inputs give the same id, and different instances
/// (shards, workers sharing a run) give different ids.
pub fn result_uuid(instance: &str, counter: u64) -> String {
    let hi = fnv1a(0xcbf2_9ce4_8422_2325, instance, counter);
    let lo = fnv1a(
        0x6c62_272e_07bb_0142,
        instance,
        counter ^ 0x9e37_79b9_7f4a_7c15,
    );
    let hi = (hi & !0xf000) | 0x8000; // version 8
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62); // RFC variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

fn fnv1a(seed: u64, text: &str, counter: u64) -> u64 {
    let mut hash = seed;
    for byte in text.bytes().chain([0xff]).chain(counter.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // A final avalanche so neighbouring counters differ in every nibble.
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_795_320_406_123), "2026-11-22T04:06:46.123Z");
        assert_eq!(api_time(951_827_696_000), "2000-02-29 12:34:56");
    }

    #[test]
    fn uuids_are_shaped_deterministic_and_distinct() {
        let a = result_uuid("worker-1", 1);
        assert_eq!(a, result_uuid("worker-1", 1));
        assert_ne!(a, result_uuid("worker-1", 2));
        assert_ne!(a, result_uuid("worker-2", 1));
        let bytes = a.as_bytes();
        assert_eq!(a.len(), 36);
        assert_eq!(bytes[14], b'8');
        assert!(matches!(bytes[19], b'8' | b'9' | b'a' | b'b'));
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
