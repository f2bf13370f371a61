//! What a host reports about one finished test: the [`Outcome`] that classification reads
//! and the metadata ([`TestResult`]) that the session turns into an upload payload.
//!
//! One serde shape for every language: snake_case keys, `null` for absent values.

use crate::status::Status;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The test framework that produced an outcome; it selects the language rules of §2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    /// Playwright Test.
    Playwright,
    /// Jest.
    Jest,
    /// Vitest.
    Vitest,
    /// node:test / node:assert.
    Node,
    /// Mocha.
    Mocha,
    /// Cypress.
    Cypress,
    /// pytest.
    Pytest,
    /// Python unittest.
    Unittest,
    /// Java (JUnit, TestNG).
    Java,
    /// PHPUnit.
    Phpunit,
    /// Robot Framework: a failure is Robot's message, read by the rules of
    /// [`Language::Robot`].
    Robot,
    /// A JUnit XML report (status from its elements, SPEC §2.1).
    JunitXml,
    /// Any other framework: only language-independent rules apply.
    #[default]
    #[serde(other)]
    Other,
}

/// The language a framework's errors come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// JavaScript / TypeScript.
    Js,
    /// Python.
    Python,
    /// Java and other JVM languages.
    Java,
    /// PHP.
    Php,
    /// Robot Framework's failure messages: its own errors about the test data, a library
    /// keyword's exception by name, a keyword's failed check.
    Robot,
    /// Unknown: only language-independent rules apply.
    Unknown,
}

impl Framework {
    /// The language whose assertion rules apply.
    pub fn language(self) -> Language {
        match self {
            Framework::Playwright
            | Framework::Jest
            | Framework::Vitest
            | Framework::Node
            | Framework::Mocha
            | Framework::Cypress => Language::Js,
            Framework::Pytest | Framework::Unittest => Language::Python,
            Framework::Java => Language::Java,
            Framework::Phpunit => Language::Php,
            Framework::Robot => Language::Robot,
            Framework::JunitXml | Framework::Other => Language::Unknown,
        }
    }
}

/// Where an error was raised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Fixtures, `beforeEach`, `beforeAll`.
    Setup,
    /// The test body.
    #[default]
    Call,
    /// Fixture finalisers, `afterEach`, `afterAll`.
    Teardown,
}

/// The JUnit XML element that decided a `<testcase>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JunitElement {
    /// `<failure>`.
    Failure,
    /// `<error>`.
    Error,
    /// `<skipped>`.
    Skipped,
}

/// One error as the runner saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ErrorInfo {
    /// Type (class) name, e.g. `AssertionError`, `org.opentest4j.AssertionFailedError`.
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// The type and its ancestors, most specific first, where the language knows them.
    pub chain: Vec<String>,
    /// Module or package of the type.
    pub module: Option<String>,
    /// The error message.
    pub message: Option<String>,
    /// The stack trace, kept for display only; never used for classification.
    pub stack: Option<String>,
    /// True when the error carries a matcher result (jest/vitest/Playwright `expect`).
    pub matcher: bool,
}

/// Everything classification reads about one finished test (SPEC §2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Outcome {
    /// The framework that ran the test.
    pub framework: Framework,
    /// The runner's own status word (`passed`, `failed`, `timedOut`, `interrupted`, `skipped`, …).
    pub runner_status: Option<String>,
    /// The phase the error came from.
    pub phase: Phase,
    /// The expected status: `failed` for `test.fail()` / xfail.
    pub expected_status: Option<Status>,
    /// Strict expected failure: an unexpected pass is a failure.
    pub strict: bool,
    /// The error that decided the test, if any.
    pub error: Option<ErrorInfo>,
    /// Further errors of the same test (soft assertions), if any.
    pub errors: Vec<ErrorInfo>,
    /// For JUnit XML input: the deciding element, or `null` for none.
    pub element: Option<JunitElement>,
}

/// One step of a test, possibly nested.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Step {
    /// What the step does.
    pub title: String,
    /// Its status, if known.
    pub status: Option<Status>,
    /// Start, in milliseconds since the Unix epoch.
    pub started_at: Option<f64>,
    /// Duration in milliseconds.
    pub duration: Option<f64>,
    /// Expected result text.
    pub expected: Option<String>,
    /// Input data text.
    pub data: Option<String>,
    /// Attachments made during the step. The session sends them with the result (beside
    /// the result's own), so none is lost: the v2 step model takes only hashes uploaded
    /// beforehand, which the session does not map to steps yet.
    pub attachments: Vec<Attachment>,
    /// Nested steps.
    pub steps: Vec<Step>,
}

/// A file or blob attached to a result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Attachment {
    /// File name shown to people.
    pub name: String,
    /// MIME type.
    pub content_type: Option<String>,
    /// Path on the host's disk.
    pub path: Option<String>,
    /// The content itself, base64-encoded, for an attachment that is not a file (a
    /// screenshot buffer, a text); used when `path` is absent.
    pub content: Option<String>,
}

/// One finished test as a host reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TestResult {
    /// The test title, as written (case-id markers may still be in it).
    pub title: String,
    /// Suite path, outermost first (describe blocks, file, class).
    pub suite: Vec<String>,
    /// Case ids given by the test (annotations, markers); `null` for none. A number that is
    /// not an integer of 64 bits reads as `0`, which the pipeline drops with a warning: one
    /// bad id never costs the result.
    #[serde(deserialize_with = "lenient_ids")]
    pub testops_ids: Option<Vec<i64>>,
    /// The pytest node id, when the host is pytest (Python-flavour signature).
    pub node_id: Option<String>,
    /// What happened.
    pub outcome: Outcome,
    /// Start, in milliseconds since the Unix epoch.
    pub started_at: Option<f64>,
    /// Duration in milliseconds.
    pub duration: Option<f64>,
    /// Parameters, in insertion order.
    pub params: IndexMap<String, String>,
    /// Groups of parameter names that belong together.
    pub param_groups: Vec<Vec<String>>,
    /// Custom fields (description, severity, layer, …).
    pub fields: BTreeMap<String, String>,
    /// Steps.
    pub steps: Vec<Step>,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// Free message (stdout excerpt, comment).
    pub message: Option<String>,
    /// Attempt number, 0 for the first run, 1 for the first retry, ….
    pub attempt: u32,
    /// Muted results do not decide the run status.
    pub muted: bool,
    /// Worker / thread name.
    pub thread: Option<String>,
    /// The path a JS-flavour signature is built from (suites, then the test's own title),
    /// when it is not `suite` + `title`: a Playwright test whose reported title or suite was
    /// changed (`qase.title`, `qase.suite`) keeps the signature the official reporter gives it.
    /// Absent (the default), and left out of the serialized result, otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_path: Option<Vec<String>>,
    /// pytest's reports of the phases that did not simply pass, for the core to fold into
    /// `outcome` and `message` ([`crate::runner_facts::read_result`]); empty otherwise, and
    /// left out of the serialized result.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pytest_phases: Vec<crate::runner_facts::PytestPhase>,
    /// Playwright's facts about the test (what a reporter reads off its `TestCase` and
    /// `TestResult`), for the core to read into the other fields
    /// ([`crate::runner_facts::read_result`]); absent otherwise, and left out of the
    /// serialized result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub playwright: Option<Box<crate::runner_facts::PlaywrightFacts>>,
}

/// `testops_ids` from any JSON numbers: out-of-range or fractional ones become `0`.
fn lenient_ids<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<Vec<i64>>, D::Error> {
    struct Id(i64);
    impl<'de> Deserialize<'de> for Id {
        fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Id, D::Error> {
            struct Visit;
            impl serde::de::Visitor<'_> for Visit {
                type Value = Id;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a case id (an integer)")
                }
                fn visit_i64<E>(self, v: i64) -> Result<Id, E> {
                    Ok(Id(v))
                }
                fn visit_u64<E>(self, v: u64) -> Result<Id, E> {
                    Ok(Id(i64::try_from(v).unwrap_or(0)))
                }
                fn visit_i128<E>(self, v: i128) -> Result<Id, E> {
                    Ok(Id(i64::try_from(v).unwrap_or(0)))
                }
                fn visit_u128<E>(self, v: u128) -> Result<Id, E> {
                    Ok(Id(i64::try_from(v).unwrap_or(0)))
                }
                fn visit_f64<E>(self, v: f64) -> Result<Id, E> {
                    let whole = v.fract() == 0.0 && v.abs() < 9.0e15;
                    Ok(Id(if whole { v as i64 } else { 0 }))
                }
            }
            de.deserialize_any(Visit)
        }
    }
    let ids: Option<Vec<Id>> = Option::deserialize(de)?;
    Ok(ids.map(|ids| ids.into_iter().map(|Id(id)| id).collect()))
}
