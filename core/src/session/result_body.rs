//! The v2 `ResultCreate` object of one result (checked against the official
//! `qase-api-v2-client` models: `result_create.py`, `result_execution.py`, `result_step*.py`,
//! `result_relations.py`, `relation_suite*.py`). It is built once per result, so it is
//! written with the small writer of `json.rs` into one buffer of about the right size; a
//! property test checks that the bytes are exactly those of the serde-derived model it
//! replaced (kept in the tests as the reference).

use super::json::{Object, array, float, integer, string};
use crate::result::{Step, TestResult};
use crate::status::Status;

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

/// Milliseconds → the API's "seconds with milliseconds as the fraction".
fn seconds(ms: f64) -> f64 {
    (ms / 1000.0 * 1000.0).round() / 1000.0
}

/// A duration in whole milliseconds; negative or non-finite durations are dropped.
pub(crate) fn whole_ms(ms: Option<f64>) -> Option<u64> {
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

/// `start_time`, `end_time` and `duration` of an execution, each only when known.
fn write_times(object: &mut Object<'_>, started: Option<f64>, duration: Option<f64>) {
    let (start_time, end_time) = times(started, duration);
    if let Some(start) = start_time {
        float(object.key("start_time"), start);
    }
    if let Some(end) = end_time {
        float(object.key("end_time"), end);
    }
    if let Some(ms) = whole_ms(duration) {
        integer(object.key("duration"), ms);
    }
}

fn write_step(out: &mut String, step: &Step) {
    let mut body = Object::open(out);
    let mut data = Object::open(body.key("data"));
    data.str(
        "action",
        if step.title.is_empty() {
            "step"
        } else {
            &step.title
        },
    );
    if let Some(expected) = &step.expected {
        data.str("expected_result", expected);
    }
    if let Some(input) = &step.data {
        data.str("input_data", input);
    }
    data.close();
    if let Some(status) = step.status {
        let mut execution = Object::open(body.key("execution"));
        // The step model knows passed/failed/blocked/skipped/in_progress only: invalid → failed.
        execution.str(
            "status",
            match status {
                Status::Invalid => "failed",
                other => other.as_str(),
            },
        );
        write_times(&mut execution, step.started_at, step.duration);
        execution.close();
    }
    if !step.steps.is_empty() {
        array(body.key("steps"), &step.steps, write_step);
    }
    body.close();
}

/// Custom fields in key order, with the two marks the session adds (no allocation when
/// there are none, the common case). A sorted list, not a map: the result's own fields are a
/// `BTreeMap` already (sorted, unique), so the marks are merged in by binary search, and no
/// `BTreeMap<&str, &str>` code is instantiated (size of the WASM module).
fn custom_fields<'a>(decided: &Decided<'a>) -> Vec<(&'a str, &'a str)> {
    let result = decided.result;
    let mut fields: Vec<(&str, &str)> = result
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for (on, key) in [(result.muted, "muted"), (decided.flaky, "is_flaky")] {
        if on {
            match fields.binary_search_by(|&(k, _)| k.cmp(key)) {
                Ok(i) => fields[i].1 = "true",
                Err(i) => fields.insert(i, (key, "true")),
            }
        }
    }
    fields
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
    let message = result
        .message
        .as_deref()
        .or(error.and_then(|e| e.message.as_deref()));
    let stacktrace = error.and_then(|e| e.stack.as_deref());
    // One allocation of about the right size instead of growing from a small buffer.
    let guess = 320
        + 2 * (decided.title.len() + decided.signature.len())
        + message.map_or(0, str::len)
        + stacktrace.map_or(0, str::len)
        + decided.suite.iter().map(|s| s.len() + 32).sum::<usize>();
    let mut out = String::with_capacity(guess);
    let mut body = Object::open(&mut out);
    body.str("id", id);
    body.str("title", decided.title);
    body.str("signature", decided.signature);
    if let Some(case_id) = case_id {
        array(body.key("testops_ids"), [case_id], integer);
    }

    let mut execution = Object::open(body.key("execution"));
    execution.str("status", decided.status.as_str());
    write_times(&mut execution, result.started_at, result.duration);
    if let Some(stack) = stacktrace {
        execution.str("stacktrace", stack);
    }
    if let Some(thread) = &result.thread {
        execution.str("thread", thread);
    }
    execution.close();

    let fields = custom_fields(decided);
    if !fields.is_empty() {
        let mut object = Object::open(body.key("fields"));
        for (key, value) in fields {
            string(object.user_key(key), value);
        }
        object.close();
    }
    if !result.steps.is_empty() {
        array(body.key("steps"), &result.steps, write_step);
    }
    if !result.params.is_empty() {
        let mut params = Object::open(body.key("params"));
        for (key, value) in &result.params {
            string(params.user_key(key), value);
        }
        params.close();
    }
    if !result.param_groups.is_empty() {
        array(
            body.key("param_groups"),
            &result.param_groups,
            |out, group| {
                array(out, group, |out, name| string(out, name));
            },
        );
    }

    let mut relations = Object::open(body.key("relations"));
    let mut suite = Object::open(relations.key("suite"));
    let titles = root_suite
        .into_iter()
        .chain(decided.suite.iter().map(String::as_str));
    array(suite.key("data"), titles, |out, title| {
        let mut item = Object::open(out);
        item.str("title", title);
        item.key("public_id").push_str("null");
        item.close();
    });
    suite.close();
    relations.close();

    match (result.attempt, message) {
        (0, None) => {}
        (0, Some(text)) => body.str("message", text),
        (n, Some(text)) => body.str("message", &format!("Attempt {} (retry {n})\n{text}", n + 1)),
        (n, None) => body.str("message", &format!("Attempt {} (retry {n})", n + 1)),
    }
    if decided.defect {
        body.key("defect").push_str("true");
    }
    body.close();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{ErrorInfo, Outcome};
    use proptest::prelude::*;

    /// The serde-derived model this writer replaced, verbatim: the reference for its bytes.
    mod reference {
        use super::super::{Decided, times, whole_ms};
        use crate::result::Step;
        use crate::status::Status;
        use indexmap::IndexMap;
        use serde::Serialize;
        use std::collections::BTreeMap;

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

        /// The same object through the serde model.
        pub(super) fn serde_body(
            decided: &Decided<'_>,
            id: &str,
            case_id: Option<u64>,
            root_suite: Option<&str>,
        ) -> String {
            let result = decided.result;
            let error = result.outcome.error.as_ref();
            let fields: BTreeMap<&str, &str> =
                super::super::custom_fields(decided).into_iter().collect();
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
    }

    fn text() -> impl Strategy<Value = String> {
        "(\\PC|[\x00-\x1f\"\\\\]){0,12}"
    }

    fn step(depth: u32) -> BoxedStrategy<Step> {
        let leaf = (
            text(),
            proptest::option::of(prop_oneof![
                Just(Status::Passed),
                Just(Status::Invalid),
                Just(Status::Skipped)
            ]),
            proptest::option::of(-5.0e12f64..5.0e12),
            proptest::option::of(prop_oneof![Just(f64::NAN), -10.0f64..1.0e6]),
            proptest::option::of(text()),
            proptest::option::of(text()),
        );
        let nested = if depth == 0 {
            Just(Vec::new()).boxed()
        } else {
            proptest::collection::vec(step(depth - 1), 0..3).boxed()
        };
        (leaf, nested)
            .prop_map(
                |((title, status, started_at, duration, expected, data), steps)| Step {
                    title,
                    status,
                    started_at,
                    duration,
                    expected,
                    data,
                    steps,
                    ..Step::default()
                },
            )
            .boxed()
    }

    prop_compose! {
        fn any_result()(
            title in text(),
            suite in proptest::collection::vec(text(), 0..4),
            params in proptest::collection::vec((text(), text()), 0..3),
            groups in proptest::collection::vec(proptest::collection::vec(text(), 0..3), 0..2),
            fields in proptest::collection::vec((prop_oneof![text(), Just("muted".to_owned()), Just("is_flaky".to_owned())], text()), 0..4),
            steps in proptest::collection::vec(step(2), 0..3),
            message in proptest::option::of(text()),
            error_message in proptest::option::of(text()),
            stack in proptest::option::of(text()),
            started_at in proptest::option::of(prop_oneof![Just(f64::INFINITY), -1.0f64..2.0e12]),
            duration in proptest::option::of(-1.0f64..1.0e7),
            attempt in 0u32..3,
            muted in any::<bool>(),
            thread in proptest::option::of(text()),
        ) -> TestResult {
            TestResult {
                title,
                suite,
                params: params.into_iter().collect(),
                param_groups: groups,
                fields: fields.into_iter().collect(),
                steps,
                message,
                outcome: Outcome {
                    error: (error_message.is_some() || stack.is_some()).then(|| ErrorInfo {
                        message: error_message,
                        stack,
                        ..ErrorInfo::default()
                    }),
                    ..Outcome::default()
                },
                started_at,
                duration,
                attempt,
                muted,
                thread,
                ..TestResult::default()
            }
        }
    }

    proptest! {
        #[test]
        fn bytes_equal_the_serde_model(
            result in any_result(),
            signature in text(),
            case_id in proptest::option::of(1u64..u64::MAX),
            root in proptest::option::of(text()),
            flaky in any::<bool>(),
            defect in any::<bool>(),
        ) {
            let decided = Decided {
                result: &result,
                title: &result.title,
                status: Status::Failed,
                signature: &signature,
                suite: &result.suite,
                flaky,
                defect,
            };
            let id = "8f0e-id";
            prop_assert_eq!(
                result_json(&decided, id, case_id, root.as_deref()),
                reference::serde_body(&decided, id, case_id, root.as_deref())
            );
        }
    }
}
