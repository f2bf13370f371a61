//! The steps reported from Playwright's step tree, as playwright-qase-reporter reports them.

use super::attachments::step_attach;
use super::{PlaywrightStep, is_js_space, js_trim};
use crate::result::Step;
use crate::status::Status;

/// The markers `qase.step` puts in a step title for its expected result and its data.
const EXPECTED_MARKER: &str = "QaseExpRes:";
const DATA_MARKER: &str = "QaseData:";

/// Playwright's wrappers of a test's hooks: steps only when a step or hook ran inside.
const HOOK_WRAPPERS: [&str; 3] = ["Before Hooks", "After Hooks", "Worker Cleanup"];

fn is_step_or_hook(step: &PlaywrightStep) -> bool {
    step.category == "test.step" || step.category == "hook"
}

/// The steps reported, nested, as playwright-qase-reporter reports them: `test.step`s and
/// hooks (so a `test.step` inside `beforeEach` is one), a hook wrapper only when a step or
/// hook ran inside it (directly), never the official `qase.attach` carrier steps.
pub(super) fn steps(list: &[PlaywrightStep]) -> Vec<Step> {
    list.iter()
        .filter(|s| is_step_or_hook(s) && step_attach(&s.title).is_none())
        .filter(|s| {
            !HOOK_WRAPPERS.contains(&s.title.as_str()) || s.steps.iter().any(is_step_or_hook)
        })
        .map(|s| {
            let (title, expected, data) = step_parts(&s.title);
            Step {
                title,
                status: Some(if s.error.is_some() {
                    Status::Failed
                } else {
                    Status::Passed
                }),
                started_at: s.start_time,
                duration: s.duration,
                expected,
                data,
                attachments: Vec::new(),
                steps: steps(&s.steps),
            }
        })
        .collect()
}

/// A step title's parts: the action, and the expected result and data `qase.step` marked in
/// it (`Click QaseExpRes:: clicked QaseData:: button`; an empty value is none). Each value
/// runs to the other marker, or to the end; `::` and `:` both introduce it.
fn step_parts(title: &str) -> (String, Option<String>, Option<String>) {
    let expected_at = title.find(EXPECTED_MARKER);
    let data_at = title.find(DATA_MARKER);
    let cut = match (expected_at, data_at) {
        (None, None) => return (title.to_owned(), None, None),
        (Some(at), None) | (None, Some(at)) => at,
        (Some(a), Some(b)) => a.min(b),
    };
    let value = |at: Option<usize>, marker: &str, other: Option<usize>| {
        let start = at? + marker.len();
        let end = other.filter(|&o| o >= start).unwrap_or(title.len());
        let text = title[start..end].trim_start_matches(is_js_space);
        let text = js_trim(text.strip_prefix(':').unwrap_or(text));
        (!text.is_empty()).then(|| text.to_owned())
    };
    (
        js_trim(&title[..cut]).to_owned(),
        value(expected_at, EXPECTED_MARKER, data_at),
        value(data_at, DATA_MARKER, expected_at),
    )
}
