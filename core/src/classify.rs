//! Classification (SPEC §2): a finished test's [`Outcome`] → a [`Verdict`] naming the status,
//! the rule that fired and the evidence. Rules go by type chain, phase, matcher marker and
//! runner status, first match wins — never by substrings of stack paths.

use crate::result::{ErrorInfo, Framework, JunitElement, Language, Outcome, Phase};
use crate::status::Status;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The classification policy. It is data: hosts may add assertion types or switch the phase
/// rule off, and every binding gets the same verdict for the same policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Rule 5: errors raised in setup/teardown are `invalid`.
    pub phase_rule: bool,
    /// Extra assertion types (exact names, matched against the whole type chain), e.g.
    /// `org.hamcrest.AssertionError`-style classes of a team's own library.
    pub assertion_types: Vec<String>,
    /// Extra assertion packages (prefixes of qualified type names, e.g. `org.hamcrest.`).
    pub assertion_packages: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            phase_rule: true,
            assertion_types: Vec::new(),
            assertion_packages: Vec::new(),
        }
    }
}

/// The decision for one test: status, rule id and evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The status the test gets before mapping.
    pub status: Status,
    /// The id of the rule that fired, e.g. `python.assertion_subclass`.
    pub rule: &'static str,
    /// What the rule saw, e.g. `MyAssert → AssertionError` (borrowed when it is fixed text:
    /// classification runs once per result and should not allocate for the common cases).
    pub evidence: Cow<'static, str>,
}

impl Verdict {
    fn new(status: Status, rule: &'static str, evidence: impl Into<Cow<'static, str>>) -> Self {
        Verdict {
            status,
            rule,
            evidence: evidence.into(),
        }
    }
}

/// Java packages whose classes (or whose subclasses) are assertion failures.
const JAVA_ASSERTION_PACKAGES: [&str; 4] = [
    "org.junit.",
    "org.assertj.",
    "org.opentest4j.",
    "junit.framework.",
];
const JAVA_ASSERTION_TYPES: [&str; 1] = ["java.lang.AssertionError"];
const PHP_ASSERTION_TYPES: [&str; 2] =
    ["PHPUnit\\Framework\\AssertionFailedError", "AssertionError"];

/// Classifies one finished test (SPEC §2). Total: any outcome gets a verdict.
pub fn classify(outcome: &Outcome, policy: &Policy) -> Verdict {
    match outcome.framework {
        Framework::JunitXml => return classify_junit(outcome.element),
        Framework::Robot => return classify_robot(outcome, policy),
        _ => {}
    }
    let runner = outcome.runner_status.as_deref();
    let first_error = outcome.error.as_ref().or(outcome.errors.first());
    let failed =
        first_error.is_some() || matches!(runner, Some(r) if runner_word(r) == RunnerWord::Failed);

    if outcome.expected_status == Some(Status::Failed) && !is_skip(runner) {
        return if failed {
            Verdict::new(
                Status::Skipped,
                "expected_failure.failed",
                "expected to fail, and failed",
            )
        } else if outcome.strict {
            Verdict::new(
                Status::Failed,
                "expected_failure.strict_pass",
                "expected to fail (strict), but passed",
            )
        } else {
            Verdict::new(
                Status::Passed,
                "expected_failure.unexpected_pass",
                "expected to fail, but passed",
            )
        };
    }

    let Some(first_error) = first_error else {
        return classify_runner_status(runner);
    };

    if let Some(r @ ("timedOut" | "interrupted")) = runner {
        return Verdict::new(
            Status::Failed,
            "runner.timed_out_or_interrupted",
            format!("runner status {r}"),
        );
    }

    if policy.phase_rule && outcome.phase != Phase::Call {
        let phase = match outcome.phase {
            Phase::Setup => "setup",
            _ => "teardown",
        };
        return Verdict::new(
            Status::Invalid,
            "phase.setup_teardown",
            format!("{} raised in {phase}", type_name(first_error)),
        );
    }

    let language = outcome.framework.language();
    let all_errors = outcome.error.iter().chain(outcome.errors.iter());
    for error in all_errors {
        if let Some(verdict) = assertion(error, language, policy) {
            return verdict;
        }
    }
    Verdict::new(
        Status::Invalid,
        "error.not_assertion",
        format!("{} is not an assertion error", type_name(first_error)),
    )
}

fn classify_junit(element: Option<JunitElement>) -> Verdict {
    match element {
        Some(JunitElement::Failure) => Verdict::new(Status::Failed, "junit.failure", "<failure>"),
        Some(JunitElement::Error) => Verdict::new(Status::Invalid, "junit.error", "<error>"),
        Some(JunitElement::Skipped) => Verdict::new(Status::Skipped, "junit.skipped", "<skipped>"),
        None => Verdict::new(
            Status::Passed,
            "junit.passed",
            "no failure, error or skipped element",
        ),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RunnerWord {
    Passed,
    Skipped,
    Failed,
    Blocked,
    Unknown,
}

fn runner_word(word: &str) -> RunnerWord {
    match word {
        "passed" | "pass" | "ok" | "success" | "expected" => RunnerWord::Passed,
        "skipped" | "skip" | "pending" | "fixme" | "todo" | "disabled" | "ignored" => {
            RunnerWord::Skipped
        }
        "failed" | "fail" | "failure" | "unexpected" | "timedOut" | "interrupted" | "error" => {
            RunnerWord::Failed
        }
        "blocked" => RunnerWord::Blocked,
        _ => RunnerWord::Unknown,
    }
}

fn is_skip(runner: Option<&str>) -> bool {
    matches!(runner, Some(r) if runner_word(r) == RunnerWord::Skipped)
}

fn classify_runner_status(runner: Option<&str>) -> Verdict {
    let Some(word) = runner else {
        return Verdict::new(
            Status::Passed,
            "runner.passed",
            "no error and no runner status",
        );
    };
    let evidence: Cow<'static, str> = match word {
        "passed" => "runner status passed".into(),
        "failed" => "runner status failed".into(),
        "skipped" => "runner status skipped".into(),
        _ => format!("runner status {word}").into(),
    };
    match runner_word(word) {
        RunnerWord::Passed => Verdict::new(Status::Passed, "runner.passed", evidence),
        RunnerWord::Skipped => Verdict::new(Status::Skipped, "runner.skipped", evidence),
        RunnerWord::Blocked => Verdict::new(Status::Blocked, "runner.blocked", evidence),
        RunnerWord::Failed if matches!(word, "timedOut" | "interrupted") => {
            Verdict::new(Status::Failed, "runner.timed_out_or_interrupted", evidence)
        }
        RunnerWord::Failed => Verdict::new(Status::Failed, "runner.failed_without_error", evidence),
        RunnerWord::Unknown => Verdict::new(Status::Invalid, "runner.unknown_status", evidence),
    }
}

fn type_name(error: &ErrorInfo) -> &str {
    error
        .type_name
        .as_deref()
        .or(error.chain.first().map(String::as_str))
        .unwrap_or("error")
}

/// The type and its ancestors, most specific first, without duplicates of the type.
fn chain(error: &ErrorInfo) -> impl Iterator<Item = &str> {
    let head = error.type_name.as_deref();
    head.into_iter().chain(
        error
            .chain
            .iter()
            .map(String::as_str)
            .filter(move |t| Some(*t) != head),
    )
}

/// Finds the first type of the chain accepted by `accepts`; evidence is `Type → Ancestor`.
fn find_in_chain(error: &ErrorInfo, accepts: impl Fn(&str) -> bool) -> Option<(bool, String)> {
    let own = type_name(error);
    chain(error).find(|t| accepts(t)).map(|found| {
        let direct = found == own;
        let evidence = if direct {
            found.to_owned()
        } else {
            format!("{own} → {found}")
        };
        (direct, evidence)
    })
}

fn assertion(error: &ErrorInfo, language: Language, policy: &Policy) -> Option<Verdict> {
    let extra = |t: &str| {
        policy.assertion_types.iter().any(|a| a == t)
            || policy
                .assertion_packages
                .iter()
                .any(|p| t.starts_with(p.as_str()))
    };
    if let Some((_, evidence)) = find_in_chain(error, extra) {
        return Some(Verdict::new(
            Status::Failed,
            "policy.assertion_type",
            evidence,
        ));
    }
    let by_language = match language {
        Language::Js => js_assertion(error),
        Language::Python => python_assertion(error),
        Language::Java => java_assertion(error),
        Language::Php => php_assertion(error),
        // Robot's messages are read by `classify_robot`, which never comes here.
        Language::Robot | Language::Unknown => None,
    };
    by_language.or_else(|| {
        // Language-independent: every language above calls its assertion base `AssertionError`.
        (language == Language::Unknown)
            .then(|| find_in_chain(error, |t| unqualified(t) == "AssertionError"))
            .flatten()
            .map(|(_, e)| Verdict::new(Status::Failed, "any.assertion_error", e))
    })
}

fn unqualified(name: &str) -> &str {
    name.rsplit(['.', '\\']).next().unwrap_or(name)
}

fn java_assertion(error: &ErrorInfo) -> Option<Verdict> {
    find_in_chain(error, |t| {
        JAVA_ASSERTION_TYPES.contains(&t)
            || JAVA_ASSERTION_PACKAGES.iter().any(|p| t.starts_with(p))
    })
    .map(|(_, e)| Verdict::new(Status::Failed, "java.assertion_type", e))
}

fn php_assertion(error: &ErrorInfo) -> Option<Verdict> {
    find_in_chain(error, |t| {
        PHP_ASSERTION_TYPES.contains(&t.trim_start_matches('\\'))
    })
    .map(|(_, e)| Verdict::new(Status::Failed, "php.assertion_type", e))
}

fn python_assertion(error: &ErrorInfo) -> Option<Verdict> {
    let builtin = |t: &str| t.strip_prefix("builtins.").unwrap_or(t) == "AssertionError";
    if let Some((direct, evidence)) = find_in_chain(error, builtin) {
        let rule = if direct {
            "python.assertion_error"
        } else {
            "python.assertion_subclass"
        };
        return Some(Verdict::new(Status::Failed, rule, evidence));
    }
    let from_pytest = error
        .module
        .as_deref()
        .is_none_or(|m| m.starts_with("_pytest") || m.starts_with("pytest"));
    let pytest_fail = |t: &str| {
        matches!(t, "_pytest.outcomes.Failed" | "pytest.fail.Exception")
            || (t == "Failed" && from_pytest)
    };
    if let Some((_, evidence)) = find_in_chain(error, pytest_fail) {
        return Some(Verdict::new(Status::Failed, "python.pytest_fail", evidence));
    }
    // A doctest example whose output is not the one written: the doctest's own comparison of
    // expected and actual, an assertion by meaning (pytest reports it as a failure). An
    // example that raises is `doctest.UnexpectedException`, which hosts unwrap to the error
    // the example raised (that error decides).
    find_in_chain(error, |t| t == "doctest.DocTestFailure")
        .map(|(_, e)| Verdict::new(Status::Failed, "python.doctest_failure", e))
}

fn js_assertion(error: &ErrorInfo) -> Option<Verdict> {
    if let Some((_, evidence)) = find_in_chain(error, |t| t == "AssertionError") {
        return Some(Verdict::new(Status::Failed, "js.assertion_error", evidence));
    }
    if error.matcher {
        return Some(Verdict::new(
            Status::Failed,
            "js.matcher_result",
            "error carries a matcher result",
        ));
    }
    let message = error.message.as_deref()?;
    let first_line = strip_ansi(message.lines().find(|l| !l.trim().is_empty()).unwrap_or(""));
    is_expect_failure(&first_line).then(|| {
        Verdict::new(
            Status::Failed,
            "js.expect_message",
            truncate(first_line.trim(), 120),
        )
    })
}

/// True when a message's first line is an `expect(…)` matcher failure (jest, vitest,
/// Playwright incl. `expect.soft`, `expect.poll` and web-first assertion time-outs).
fn is_expect_failure(line: &str) -> bool {
    let mut text = line.trim();
    // "Error: expect(…)" / "AssertionError: expect(…)": drop one leading `Name:` label.
    if let Some((label, rest)) = text.split_once(": ")
        && !label.is_empty()
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        text = rest.trim_start();
    }
    if let Some(rest) = text.strip_prefix("Timed out ") {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        return rest[digits..].starts_with("ms waiting for expect")
            && is_expect_call(&rest[digits + "ms waiting for ".len()..]);
    }
    is_expect_call(text)
}

/// `expect(`, `expect.soft(`, `expect.poll(`, followed by `).matcher` on the same line.
fn is_expect_call(text: &str) -> bool {
    let rest = ["expect(", "expect.soft(", "expect.poll("]
        .iter()
        .find_map(|p| text.strip_prefix(p));
    rest.is_some_and(|r| r.contains(")."))
}

pub(crate) fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            // CSI: parameters and intermediates, then one final byte in @..~
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

// Robot Framework reports a failure as one message, never as an exception object: a library
// keyword's exception becomes `Name: message` (`ZeroDivisionError: division by zero`), except
// for the generic names Robot leaves out (its `robot.utils.error`), and Robot's own errors
// about the test data are fixed sentences (`No keyword with name 'X' found.`). So these rules
// read the message — hosts send it as Robot gave it, `type` null, with the phase it came from.

/// Exception names Robot leaves out of a failure message: a message that starts with one was
/// written by the test (`Fail    Error: …`), not by an exception.
const ROBOT_GENERIC_EXCEPTIONS: [&str; 4] =
    ["AssertionError", "Error", "Exception", "RuntimeError"];

/// Exception names without one of the usual endings (Error, Exception, …).
const ROBOT_BARE_EXCEPTIONS: [&str; 3] = ["StopIteration", "StopAsyncIteration", "GeneratorExit"];

/// What a test that Robot never started says, when the execution was stopping (a fatal
/// error, `--exitonfailure`, `--exitonerror`, a signal).
const ROBOT_STOPPED: [&str; 3] = [
    "Test execution stopped due to a fatal error.",
    "Failure occurred and exit-on-failure mode is in use.",
    "Error occurred and exit-on-error mode is in use.",
];

/// The failure of the keyword that was running when Robot got SIGINT or SIGTERM.
const ROBOT_SIGNAL: &str = "Execution terminated by signal";

/// Robot's own errors about the test data, as its sources word them: the start of the
/// message and a part that must follow (empty: the start alone is Robot's).
const ROBOT_DATA_ERRORS: [(&str, &str); 28] = [
    ("No keyword with name '", "' found."),
    ("Multiple keywords with name '", "' found."),
    ("Variable '", "' not found."),
    ("Environment variable '", "' not found."),
    ("Resolving variable '", "' failed: "),
    ("Setting variable '", "' failed: "),
    ("Keyword '", "' missing value for argument '"),
    ("Keyword '", "' missing named-only argument"),
    ("Keyword '", "' got multiple values for argument '"),
    ("Keyword '", "' got unexpected named argument"),
    (
        "Keyword '",
        "' got positional argument after named arguments.",
    ),
    ("Non-existing setting '", "'."),
    ("Setting '", "' is not allowed"),
    ("Setting '", "' is allowed only once."),
    ("Setting '", "' accepts only one value"),
    ("Invalid syntax", ""),
    ("Invalid argument specification: ", ""),
    ("Invalid variable name '", ""),
    ("Invalid embedded argument '", ""),
    ("Invalid dictionary item '", ""),
    ("Invalid 'Run Keyword If' usage.", ""),
    ("Support for the old FOR loop syntax has been removed.", ""),
    (
        "Maximum limit of started keywords and control structures exceeded.",
        "",
    ),
    ("Test cannot be empty.", ""),
    ("Task cannot be empty.", ""),
    ("Test name cannot be empty.", ""),
    ("Task name cannot be empty.", ""),
    ("User keyword cannot be empty.", ""),
];

/// Control structures: a message that starts with one of these words (`FOR loop must have
/// closing END.`), or with `Invalid` and one (`Invalid IF condition: …`), is Robot's about
/// the structure's syntax or its condition.
const ROBOT_CONTROL_WORDS: [&str; 13] = [
    "FOR", "WHILE", "IF", "ELSE", "TRY", "EXCEPT", "FINALLY", "GROUP", "RETURN", "BREAK",
    "CONTINUE", "VAR", "END",
];

/// What one failure message of a Robot test is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RobotFailure<'a> {
    /// A keyword's check did not hold (`1 != 2`, `Fail`, an `AssertionError`).
    Check,
    /// A test or keyword timeout.
    Timeout,
    /// Robot's own error about the test data.
    DataError,
    /// A library keyword raised this (non-generic) exception.
    Exception(&'a str),
}

/// Robot Framework (framework `robot`). First match wins: no error → the runner status
/// (PASS/FAIL/SKIP read as passed/failed/skipped); the run was interrupted → failed (as
/// rule 4 for an interrupted Playwright test); a test Robot never started because the
/// execution was stopping → blocked; a failure in setup or teardown (the test's, or a
/// parent suite's setup) → invalid by the phase rule; then each failure of the message
/// (`Several failures occurred:` lists them): a keyword's check or a timeout → failed (any one
/// is enough, like soft assertions); otherwise Robot's error about the test data or a library
/// keyword's exception → invalid.
fn classify_robot(outcome: &Outcome, policy: &Policy) -> Verdict {
    let runner = outcome.runner_status.as_deref();
    let mut messages = outcome
        .error
        .iter()
        .chain(&outcome.errors)
        .map(|e| robot_text(e.message.as_deref().unwrap_or("")))
        .peekable();
    let Some(&first) = messages.peek() else {
        return classify_runner_status(runner);
    };
    if is_skip(runner) {
        return classify_runner_status(runner);
    }
    let failures: Vec<&str> = messages.flat_map(robot_failures).collect();
    if failures.contains(&ROBOT_SIGNAL) {
        return Verdict::new(Status::Failed, "robot.interrupted", ROBOT_SIGNAL);
    }
    if let Some(stopped) = ROBOT_STOPPED.iter().find(|m| **m == first) {
        return Verdict::new(Status::Blocked, "robot.execution_stopped", *stopped);
    }
    if policy.phase_rule && outcome.phase != Phase::Call {
        let phase = match outcome.phase {
            Phase::Setup => "setup",
            _ => "teardown",
        };
        return Verdict::new(
            Status::Invalid,
            "phase.setup_teardown",
            format!("{phase} failed: {}", robot_line(first)),
        );
    }
    let mut invalid = None;
    for failure in &failures {
        match robot_failure(failure) {
            RobotFailure::Check => {
                return Verdict::new(Status::Failed, "robot.keyword_failure", robot_line(failure));
            }
            RobotFailure::Timeout => {
                return Verdict::new(Status::Failed, "robot.timeout", robot_line(failure));
            }
            RobotFailure::DataError => {
                invalid.get_or_insert_with(|| {
                    Verdict::new(Status::Invalid, "robot.data_error", robot_line(failure))
                });
            }
            RobotFailure::Exception(name) => {
                invalid.get_or_insert_with(|| {
                    Verdict::new(
                        Status::Invalid,
                        "robot.python_exception",
                        format!("{name} is not an assertion error"),
                    )
                });
            }
        }
    }
    // A message that lists no failure (`Several failures occurred:` and nothing after it).
    invalid
        .unwrap_or_else(|| Verdict::new(Status::Failed, "robot.keyword_failure", robot_line(first)))
}

/// The message without Robot's `*HTML*` marker and surrounding whitespace.
fn robot_text(message: &str) -> &str {
    let message = message.trim();
    message
        .strip_prefix("*HTML*")
        .map_or(message, str::trim_start)
}

/// The failures of one message: Robot joins those of a test that went on after a failure as
/// `Several failures occurred:\n\n1) …\n\n2) …`.
fn robot_failures(message: &str) -> Vec<&str> {
    let Some(mut rest) = message.strip_prefix("Several failures occurred:") else {
        return vec![message];
    };
    let mut failures = Vec::new();
    let mut marker = String::from("\n\n1) ");
    let mut number = 1;
    while let Some(at) = rest.find(&marker) {
        rest = &rest[at + marker.len()..];
        number += 1;
        marker = format!("\n\n{number}) ");
        let end = rest.find(&marker).unwrap_or(rest.len());
        failures.push(rest[..end].trim());
        rest = &rest[end..];
    }
    failures
}

fn robot_failure(message: &str) -> RobotFailure<'_> {
    if is_robot_timeout(message) {
        return RobotFailure::Timeout;
    }
    if is_robot_data_error(message) {
        return RobotFailure::DataError;
    }
    match robot_exception_name(message) {
        Some(name) => RobotFailure::Exception(name),
        None => RobotFailure::Check,
    }
}

/// `Test timeout 1 minute exceeded.`, `Task timeout …`, `Keyword timeout …`.
fn is_robot_timeout(message: &str) -> bool {
    ["Test timeout ", "Task timeout ", "Keyword timeout "]
        .iter()
        .any(|p| message.starts_with(p))
        && message
            .lines()
            .next()
            .is_some_and(|l| l.ends_with(" exceeded."))
}

fn is_robot_data_error(message: &str) -> bool {
    let data = ROBOT_DATA_ERRORS.iter().any(|(start, then)| {
        message
            .strip_prefix(start)
            .is_some_and(|rest| rest.contains(then))
    });
    data || robot_argument_count(message) || robot_control_structure(message)
}

/// `Keyword 'BuiltIn.Should Be Equal' expected 2 to 10 arguments, got 1.`
fn robot_argument_count(message: &str) -> bool {
    message
        .strip_prefix("Keyword '")
        .and_then(|rest| rest.split_once("' expected "))
        .is_some_and(|(_, rest)| rest.contains(" argument") && rest.contains(", got "))
}

/// `FOR loop must have closing END.`, `Invalid IF condition: …`, `Only one ELSE allowed.`
fn robot_control_structure(message: &str) -> bool {
    let rest = ["Invalid ", "Only one ", "Inline "]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .unwrap_or(message);
    let word = rest.split([' ', '.']).next().unwrap_or("");
    ROBOT_CONTROL_WORDS.contains(&word) && rest.len() > word.len()
}

/// The exception a message names (`ZeroDivisionError: division by zero`, or the bare name of
/// one raised without a message), when it is not one Robot leaves out and its name says it is
/// no assertion (an `AssertionError` subclass is named so by convention: `MyAssertionError`).
fn robot_exception_name(message: &str) -> Option<&str> {
    let line = message.lines().next().unwrap_or("");
    let name = line.split_once(": ").map_or(line, |(name, _)| name);
    let identifier = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let exception = ["Error", "Exception", "Timeout", "Warning", "Interrupt"]
        .iter()
        .any(|end| name.ends_with(end))
        || ROBOT_BARE_EXCEPTIONS.contains(&name);
    (identifier
        && exception
        && !ROBOT_GENERIC_EXCEPTIONS.contains(&name)
        && !name.contains("Assert"))
    .then_some(name)
}

/// A failure as evidence: its first line, at most 120 characters.
fn robot_line(message: &str) -> String {
    truncate(message.lines().next().unwrap_or("").trim(), 120)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(message: &str) -> Outcome {
        Outcome {
            framework: Framework::Playwright,
            runner_status: Some("failed".into()),
            error: Some(ErrorInfo {
                type_name: Some("Error".into()),
                message: Some(message.into()),
                ..ErrorInfo::default()
            }),
            ..Outcome::default()
        }
    }

    #[test]
    fn expect_messages_are_assertions() {
        for m in [
            "expect(received).toBe(expected) // Object.is equality",
            "Error: expect(locator).toBeVisible() failed",
            "\u{1b}[2mexpect(\u{1b}[22m\u{1b}[31mreceived\u{1b}[39m\u{1b}[2m).\u{1b}[22mtoBe\u{1b}[2m(\u{1b}[22m",
            "Timed out 5000ms waiting for expect(locator).toHaveText(expected)",
            "expect.soft(received).toEqual(expected)",
            "expect.poll(received).toBe(expected)",
        ] {
            assert_eq!(
                classify(&js(m), &Policy::default()).status,
                Status::Failed,
                "{m}"
            );
        }
    }

    #[test]
    fn near_misses_are_not_assertions() {
        for m in [
            "Error: boom",
            "expected 1 to be 2 in expect(x)",
            "Timed out waiting for expect(locator).toBe",
            "Timed out 500ms waiting for page.goto",
            "expect(",
            "",
        ] {
            assert_eq!(
                classify(&js(m), &Policy::default()).status,
                Status::Invalid,
                "{m:?}"
            );
        }
    }

    #[test]
    fn teardown_error_is_invalid_unless_the_phase_rule_is_off() {
        let mut outcome = Outcome {
            framework: Framework::Pytest,
            phase: Phase::Teardown,
            error: Some(ErrorInfo {
                type_name: Some("AssertionError".into()),
                ..ErrorInfo::default()
            }),
            ..Outcome::default()
        };
        assert_eq!(
            classify(&outcome, &Policy::default()).rule,
            "phase.setup_teardown"
        );
        let off = Policy {
            phase_rule: false,
            ..Policy::default()
        };
        assert_eq!(classify(&outcome, &off).status, Status::Failed);
        outcome.phase = Phase::Call;
        assert_eq!(
            classify(&outcome, &Policy::default()).rule,
            "python.assertion_error"
        );
    }

    #[test]
    fn evidence_names_the_ancestor() {
        let outcome = Outcome {
            framework: Framework::Pytest,
            error: Some(ErrorInfo {
                type_name: Some("MyAssert".into()),
                chain: vec![
                    "MyAssert".into(),
                    "AssertionError".into(),
                    "Exception".into(),
                ],
                ..ErrorInfo::default()
            }),
            ..Outcome::default()
        };
        let v = classify(&outcome, &Policy::default());
        assert_eq!(
            (v.rule, v.evidence.as_ref()),
            ("python.assertion_subclass", "MyAssert → AssertionError")
        );
    }

    #[test]
    fn extra_assertion_types_from_policy() {
        let outcome = Outcome {
            framework: Framework::Java,
            error: Some(ErrorInfo {
                type_name: Some("com.acme.CheckFailed".into()),
                chain: vec![
                    "com.acme.CheckFailed".into(),
                    "java.lang.RuntimeException".into(),
                ],
                ..ErrorInfo::default()
            }),
            ..Outcome::default()
        };
        assert_eq!(
            classify(&outcome, &Policy::default()).status,
            Status::Invalid
        );
        let policy = Policy {
            assertion_packages: vec!["com.acme.".into()],
            ..Policy::default()
        };
        assert_eq!(classify(&outcome, &policy).rule, "policy.assertion_type");
    }
}
