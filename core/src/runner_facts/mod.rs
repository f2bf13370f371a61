//! Runner-native facts read into a result (SPEC §10, §13), so that what a runner reported
//! means the same whichever host reports it and whichever file it comes from. A host hands
//! the facts over as it found them; [`read_result`] (which the session applies to every
//! result) turns them into the plain result.

mod playwright;
mod pytest;

pub use playwright::{
    PlaywrightAnnotation, PlaywrightAttachment, PlaywrightError, PlaywrightFacts, PlaywrightStep,
};
pub use pytest::PytestPhase;

use crate::result::TestResult;
use crate::warning::Warning;
use serde::Serialize;

/// A result with its runner-native facts read. Serialized as the result itself, with
/// `ignored` and `warnings` beside its fields when there are any.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReadResult {
    /// The plain result, without the facts.
    #[serde(flatten)]
    pub result: TestResult,
    /// True when the facts ask for the result not to be reported (Playwright's
    /// `qase.ignore()`): the session neither sends nor writes it, and counts it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignored: bool,
    /// What could not be read (a `qase.*` message that is not JSON, an annotation's case id
    /// that is not an integer); the rest was read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl std::ops::Deref for ReadResult {
    type Target = TestResult;

    fn deref(&self) -> &TestResult {
        &self.result
    }
}

/// `result` with its runner-native facts read: a result without any comes back as it is.
/// pytest phases become the outcome (runner status, phase, error, further errors, expected
/// failure) and, unless the host set one, the message (an xfail's reason, a skip's reason, a
/// failure that carried no exception). Playwright's facts become every field but `muted`
/// (playwright.rs says how).
pub fn read_result(result: &TestResult) -> ReadResult {
    if let Some(facts) = &result.playwright {
        return playwright::read(result, facts);
    }
    let mut read = result.clone();
    if !result.pytest_phases.is_empty() {
        let message = pytest::fold_pytest_phases(&mut read);
        if read.message.is_none() {
            read.message = message;
        }
        read.pytest_phases = Vec::new();
    }
    ReadResult {
        result: read,
        ignored: false,
        warnings: Vec::new(),
    }
}

/// True when `result` carries facts [`read_result`] reads (so a host's result needs reading).
pub fn has_facts(result: &TestResult) -> bool {
    !result.pytest_phases.is_empty() || result.playwright.is_some()
}
