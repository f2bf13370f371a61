//! Playwright's facts about one finished test — what a reporter reads off its `TestCase` and
//! `TestResult`, unread — turned into the plain result the way playwright-qase-reporter 2.x
//! reads them, so that every JavaScript host sends the same result for the same test:
//! - case ids: `QaseID` annotations (also `qase_id`, `qase-id`, in any case), else
//!   `qase.id(…)`, else, when `qase.title(…)` renamed the test, its own title's marker;
//! - the `qase.*` messages ([`metadata`]): parameters (group values override them), fields,
//!   the comment (before the error message), the title, the suite, `qase.ignore()`;
//! - suite: project, spec file, describe blocks; under `qase.suite(s)` just `s`, and the
//!   signature is then built from `s` alone, as the official reporter builds it; under
//!   `qase.title(t)` the signature stays that of Playwright's title path;
//! - steps: `test.step`s and hooks, nested; a hook wrapper only when a step or hook ran in it;
//!   never the official `qase.attach` carriers; `QaseExpRes:` / `QaseData:` in a title are
//!   the step's expected result and data;
//! - attachments: Playwright's own, ours, and the official `step_attach_body_/file_<uuid>_`
//!   ones (their name URI-decoded);
//! - errors: the type from Playwright's `Name: message` prefix, matcher when a failed `expect`
//!   step carries the same message, setup or teardown when a hook step does.

mod attachments;
mod metadata;
mod steps;

use super::ReadResult;
use crate::case_ids::read_case_ids;
use crate::result::{ErrorInfo, Framework, Outcome, Phase, TestResult};
use crate::status::Status;
use crate::warning::{Warning, WarningCode};
use indexmap::IndexMap;
use metadata::{Metadata, js_order};
use serde::{Deserialize, Serialize};

/// What a Playwright reporter reads off one finished test, as Playwright gives it: nothing
/// here is decided by the host. Bodies of attachments cross base64-encoded, and only for
/// attachments that are not files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaywrightFacts {
    /// `test.titlePath()`: `['', project, spec file, …describe blocks, title]`.
    pub title_path: Vec<String>,
    /// `test.title`.
    pub title: String,
    /// The spec file (`test.location.file`) relative to the configuration's root directory,
    /// `/`-separated; `null` for a test without a location (the title path's file is used).
    pub file: Option<String>,
    /// `test.annotations`.
    pub annotations: Vec<PlaywrightAnnotation>,
    /// `test.expectedStatus`: `failed` for `test.fail()`.
    pub expected_status: Option<String>,
    /// `result.status` (`passed`, `failed`, `timedOut`, `skipped`, `interrupted`).
    pub status: Option<String>,
    /// `result.retry`.
    pub retry: u32,
    /// `result.parallelIndex`.
    pub parallel_index: Option<i64>,
    /// `result.startTime`, in milliseconds since the Unix epoch.
    pub start_time: Option<f64>,
    /// `result.duration`, in milliseconds.
    pub duration: Option<f64>,
    /// `result.errors`.
    pub errors: Vec<PlaywrightError>,
    /// `result.steps`, the whole tree.
    pub steps: Vec<PlaywrightStep>,
    /// `result.attachments`.
    pub attachments: Vec<PlaywrightAttachment>,
}

/// One of `test.annotations` (hosts send a value that is not a string as JavaScript's
/// `String()` writes it: Playwright does not check what a test pushes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaywrightAnnotation {
    /// `type`, e.g. `QaseID`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `description`, e.g. `12,13`.
    pub description: Option<String>,
}

/// One of `result.errors` (Playwright's `TestError`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaywrightError {
    /// `message`, colours and all.
    pub message: Option<String>,
    /// `stack`.
    pub stack: Option<String>,
    /// `value`: what was thrown when it was not an `Error`.
    pub value: Option<String>,
}

/// One of `result.steps` (Playwright's `TestStep`), with its own steps. Of the steps
/// Playwright records for API calls, fixtures and assertions (categories `pw:api`, `fixture`,
/// `expect`) the reader reads only the category, the error and the inner steps, so hosts MAY
/// leave out their title and times (a test has many).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaywrightStep {
    /// `title`.
    pub title: String,
    /// `category`: `test.step`, `hook`, `expect`, `fixture`, `pw:api`, ….
    pub category: String,
    /// `error`, when the step failed (its `message` is read).
    pub error: Option<PlaywrightError>,
    /// `startTime`, in milliseconds since the Unix epoch.
    pub start_time: Option<f64>,
    /// `duration`, in milliseconds.
    pub duration: Option<f64>,
    /// `steps`.
    pub steps: Vec<PlaywrightStep>,
}

/// One of `result.attachments`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaywrightAttachment {
    /// `name`.
    pub name: String,
    /// `contentType`.
    pub content_type: Option<String>,
    /// `path`, for a file.
    pub path: Option<String>,
    /// `body`, base64-encoded, for an attachment that is not a file.
    pub body: Option<String>,
}

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The facts of `result` read into the plain result; `muted` is the host's own.
pub(super) fn read(result: &TestResult, facts: &PlaywrightFacts) -> ReadResult {
    let mut warnings = Vec::new();
    let meta = Metadata::read(&facts.attachments, &mut warnings);
    let outcome = Outcome {
        framework: Framework::Playwright,
        ..Outcome::default()
    };
    if meta.ignore {
        // Not reported at all, as in the official reporter: nothing more is read.
        let result = TestResult {
            title: facts.title.clone(),
            outcome,
            ..TestResult::default()
        };
        return ReadResult {
            result,
            ignored: true,
            warnings,
        };
    }
    let mut ids = case_ids(facts, &meta, &mut warnings);
    let own_suite = own_suite(facts);
    let (suite, signature_path) = match (&meta.suite, &meta.title) {
        // `qase.suite()`: the suite is signed alone; one equal to the title is no relation.
        (Some(suite), _) if *suite == facts.title => (Vec::new(), Some(vec![suite.clone()])),
        (Some(suite), _) => (vec![suite.clone()], Some(vec![suite.clone()])),
        // `qase.title()`: the signature stays that of Playwright's title path.
        (None, Some(_)) => {
            let mut path = own_suite.clone();
            path.push(facts.title.clone());
            (own_suite, Some(path))
        }
        (None, None) => (own_suite, None),
    };
    if meta.title.is_some() && ids.is_none() {
        // Case ids in the test's own title (`qase(12, 'logs in')`) count under another title.
        let found = read_case_ids(&facts.title, None);
        warnings.extend(found.warnings);
        ids = (!found.ids.is_empty()).then(|| found.ids.iter().map(|&id| id as i64).collect());
    }
    let mut matchers = Vec::new();
    if !facts.errors.is_empty() {
        expect_messages(&facts.steps, &mut matchers);
    }
    let mut errors = facts.errors.iter().map(|e| error_info(e, &matchers));
    let error = errors.next();
    // A comment goes first, the error message after it (the official layout); without one,
    // the session takes the error message itself.
    let message = meta.comment.clone().map(|comment| {
        match error.as_ref().and_then(|e| e.message.as_deref()) {
            Some(error) => format!("{comment}\n\n{error}"),
            None => comment,
        }
    });
    let expected_failure = facts.expected_status.as_deref() == Some("failed");
    let (params, param_groups) = parameters(&meta);
    let result = TestResult {
        title: meta.title.unwrap_or_else(|| facts.title.clone()),
        suite,
        testops_ids: ids,
        outcome: Outcome {
            runner_status: facts.status.clone(),
            phase: phase(facts),
            expected_status: expected_failure.then_some(Status::Failed),
            // test.fail() that passes is a failure in Playwright: strict.
            strict: expected_failure,
            error,
            errors: errors.collect(),
            ..outcome
        },
        started_at: facts.start_time,
        duration: facts.duration,
        params,
        param_groups,
        fields: meta.fields,
        steps: steps::steps(&facts.steps),
        attachments: attachments::attachments(&facts.attachments),
        message,
        attempt: facts.retry,
        muted: result.muted,
        thread: facts.parallel_index.map(|i| format!("worker-{i}")),
        signature_path,
        ..TestResult::default()
    };
    ReadResult {
        result,
        ignored: false,
        warnings,
    }
}

/// Project (when named), spec file, describe blocks.
fn own_suite(facts: &PlaywrightFacts) -> Vec<String> {
    let path = &facts.title_path;
    let describes = path
        .get(3..path.len().saturating_sub(1))
        .unwrap_or_default();
    let mut suite = Vec::with_capacity(describes.len() + 2);
    if let Some(project) = path.get(1).filter(|p| !p.is_empty()) {
        suite.push(project.clone());
    }
    suite.push(
        facts
            .file
            .as_ref()
            .or(path.get(2))
            .cloned()
            .unwrap_or_default(),
    );
    suite.extend(describes.iter().cloned());
    suite
}

/// Case ids: `QaseID` annotations win over `qase.id()`. Only integers are read here (a piece
/// that is none is a warning); which are valid case ids is the session's to say.
fn case_ids(
    facts: &PlaywrightFacts,
    meta: &Metadata,
    warnings: &mut Vec<Warning>,
) -> Option<Vec<i64>> {
    let mut ids = Vec::new();
    for annotation in &facts.annotations {
        if ["qaseid", "qase_id", "qase-id"]
            .iter()
            .any(|kind| annotation.kind.eq_ignore_ascii_case(kind))
        {
            let text = annotation.description.as_deref().unwrap_or_default();
            read_ids(&annotation.kind, text, &mut ids, warnings);
        }
    }
    if ids.is_empty()
        && let Some(list) = &meta.ids
    {
        // As the official reporter does: the list as the text of a `QaseID` annotation.
        let mut text = String::new();
        metadata::join(list, &mut text);
        read_ids("QaseID", &text, &mut ids, warnings);
    }
    (!ids.is_empty()).then_some(ids)
}

/// The integers of a comma-separated annotation text (`"12, 13"`).
fn read_ids(kind: &str, text: &str, ids: &mut Vec<i64>, warnings: &mut Vec<Warning>) {
    for piece in text.split(',').map(js_trim) {
        match integer(piece) {
            Some(id) => ids.push(id),
            None if piece.is_empty() => {}
            None => warnings.push(Warning::new(
                WarningCode::InvalidCaseId,
                format!("{kind} annotation"),
                format!("\"{piece}\" is not a case id; ignored"),
            )),
        }
    }
}

/// `-?[0-9]+` that a JavaScript number holds exactly.
fn integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    let n: i64 = match significant.len() {
        0 => 0,
        1..=16 => significant.parse().ok()?,
        _ => return None,
    };
    (n <= MAX_SAFE_INTEGER).then_some(if negative { -n } else { n })
}

/// JavaScript's `trim()`: its white space is Unicode's but U+0085, and U+FEFF.
fn js_trim(text: &str) -> &str {
    text.trim_matches(is_js_space)
}

fn is_js_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

/// `params` and `param_groups` as the official reporter uploads them: the parameters, then
/// the group's values (a group value overrides a parameter of the same name; an empty one
/// does not), in JavaScript's order; the group's names as one parameter group.
fn parameters(meta: &Metadata) -> (IndexMap<String, String>, Vec<Vec<String>>) {
    let mut params: IndexMap<String, String> = meta.parameters.iter().cloned().collect();
    for (name, value) in &meta.group_params {
        if !value.is_empty() {
            params.insert(name.clone(), value.clone());
        }
    }
    let params = js_order(params.into_iter().collect()).into_iter().collect();
    let names: Vec<String> = meta.group_params.iter().map(|(n, _)| n.clone()).collect();
    let groups = if names.is_empty() {
        Vec::new()
    } else {
        vec![names]
    };
    (params, groups)
}

/// Messages of failed `expect` steps, anywhere in the tree. A matcher error carries
/// `matcherResult` in the worker, which does not cross to the reporter; its trace there is
/// the failed step of category `expect` that Playwright records for it.
fn expect_messages<'a>(steps: &'a [PlaywrightStep], out: &mut Vec<&'a str>) {
    for step in steps {
        let message = step.error.as_ref().and_then(|e| e.message.as_deref());
        if step.category == "expect"
            && let Some(message) = message.filter(|m| !m.is_empty())
        {
            out.push(message);
        }
        expect_messages(&step.steps, out);
    }
}

/// One of Playwright's errors.
fn error_info(error: &PlaywrightError, matchers: &[&str]) -> ErrorInfo {
    let message = error
        .message
        .as_deref()
        .or(error.value.as_deref())
        .map(without_colours);
    let named = error.message.as_deref().is_some_and(|m| !m.is_empty());
    let type_name = message
        .as_deref()
        .filter(|_| named)
        .and_then(type_prefix)
        .map(str::to_owned);
    ErrorInfo {
        chain: type_name.iter().cloned().collect(),
        type_name,
        module: None,
        message,
        stack: error.stack.as_deref().map(without_colours),
        matcher: error
            .message
            .as_deref()
            .is_some_and(|m| matchers.contains(&m)),
    }
}

/// The type name Playwright put in front of a serialized error's message (`TypeError: …`).
fn type_prefix(message: &str) -> Option<&str> {
    let (name, _) = message.split_once(": ")?;
    let mut chars = name.chars();
    let first = chars.next()?;
    let identifier = (first.is_ascii_alphabetic() || first == '_' || first == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    identifier.then_some(name)
}

/// `text` without the terminal colour codes (`ESC [ digits and ; m`) Playwright puts in
/// matcher messages.
fn without_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(code) = after.strip_prefix('[') {
            let len = code
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b';')
                .count();
            if code[len..].starts_with('m') {
                rest = &code[len + 1..];
                continue;
            }
        }
        out.push('\u{1b}');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Where the deciding error came from. Playwright records hooks and fixtures as top-level
/// steps of category `hook`: the first step runs before the body (setup), later ones after it
/// (teardown). An error of the body itself is `call`.
fn phase(facts: &PlaywrightFacts) -> Phase {
    let Some(message) = facts
        .errors
        .first()
        .and_then(|e| e.message.as_deref())
        .filter(|m| !m.is_empty())
    else {
        return Phase::Call;
    };
    let from = facts
        .steps
        .iter()
        .position(|s| s.error.as_ref().and_then(|e| e.message.as_deref()) == Some(message));
    match from {
        Some(index) if facts.steps[index].category == "hook" => {
            if index == 0 {
                Phase::Setup
            } else {
                Phase::Teardown
            }
        }
        _ => Phase::Call,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner_facts::read_result;

    fn metadata(message: &str) -> PlaywrightAttachment {
        PlaywrightAttachment {
            name: "qase-metadata.json".into(),
            content_type: Some(metadata::METADATA_CONTENT_TYPE.into()),
            body: Some(base64(message.as_bytes())),
            ..PlaywrightAttachment::default()
        }
    }

    pub(super) fn base64(bytes: &[u8]) -> String {
        const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
            for i in 0..4 {
                out.push(if i <= chunk.len() {
                    DIGITS[(n >> (18 - 6 * i) & 63) as usize] as char
                } else {
                    '='
                });
            }
        }
        out
    }

    fn facts(attachments: Vec<PlaywrightAttachment>) -> TestResult {
        TestResult {
            playwright: Some(Box::new(PlaywrightFacts {
                title_path: ["", "unit", "math.spec.ts", "math", "adds"]
                    .map(String::from)
                    .into(),
                title: "adds".into(),
                file: Some("tests/math.spec.ts".into()),
                attachments,
                ..PlaywrightFacts::default()
            })),
            ..TestResult::default()
        }
    }

    #[test]
    fn only_the_colour_codes_leave_a_message() {
        assert_eq!(
            without_colours("\u{1b}[31mred\u{1b}[39m \u{1b}[2K \u{1b}x"),
            "red \u{1b}[2K \u{1b}x"
        );
    }

    #[test]
    fn a_parameter_named_like_an_object_member_stays_a_parameter() {
        let read = read_result(&facts(vec![metadata(
            r#"{"parameters": {"__proto__": "p", "constructor": "c", "2": "two"}}"#,
        )]));
        let params: Vec<_> = read.result.params.iter().collect();
        assert_eq!(
            params,
            [
                (&"2".into(), &"two".into()),
                (&"__proto__".into(), &"p".into()),
                (&"constructor".into(), &"c".into())
            ]
        );
    }

    #[test]
    fn an_ignored_test_says_the_warnings_of_its_messages_only() {
        let mut result = facts(vec![metadata("{not json"), metadata(r#"{"ignore": true}"#)]);
        if let Some(facts) = result.playwright.as_mut() {
            facts.annotations.push(PlaywrightAnnotation {
                kind: "QaseID".into(),
                description: Some("x".into()),
            });
        }
        let read = read_result(&result);
        assert!(read.ignored);
        let said: Vec<_> = read.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(said, ["an attachment is not JSON; ignored"]);
    }

    #[test]
    fn the_session_drops_an_ignored_result_counts_it_and_says_each_warning_once() {
        let bad = facts(vec![metadata("{not json")]);
        let ignored = facts(vec![metadata(r#"{"ignore": true}"#)]);
        let settings = crate::preview::PreviewSettings {
            app: Some("https://app.qase.io".into()),
            project: Some("DEMO".into()),
            ..Default::default()
        };
        let preview = crate::preview::preview(&[bad.clone(), ignored, bad], &settings);
        let plan = preview.session.expect("a session plan");
        assert_eq!(plan.uploads, [2]);
        assert_eq!((plan.receipt.results_seen, plan.receipt.ignored), (2, 1));
        let lines: Vec<_> = plan.log.iter().map(|l| l.message.as_str()).collect();
        let said = "qase metadata: an attachment is not JSON; ignored";
        assert_eq!(lines.iter().filter(|l| **l == said).count(), 1, "{lines:?}");
        let [.., ignore, summary] = lines.as_slice() else {
            panic!("{lines:?}");
        };
        assert_eq!(*ignore, "1 result(s) not reported: qase.ignore()");
        assert!(summary.contains("2 results delivered"), "{summary}");
    }
}
