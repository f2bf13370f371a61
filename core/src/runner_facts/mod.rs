//! Runner-native facts read into a result (SPEC §10, §13), so that what a runner reported
//! means the same whichever host reports it and whichever file it comes from. A host hands
//! the facts over as it found them; [`read_result`] (which the session applies to every
//! result) turns them into the plain result.

mod pytest;

pub use pytest::PytestPhase;

use crate::result::TestResult;

/// `result` with its runner-native facts read: a result without any comes back as it is.
/// pytest phases become the outcome (runner status, phase, error, further errors, expected
/// failure) and, unless the host set one, the message (an xfail's reason, a skip's reason, a
/// failure that carried no exception).
pub fn read_result(result: &TestResult) -> TestResult {
    let mut read = result.clone();
    if !result.pytest_phases.is_empty() {
        let message = pytest::fold_pytest_phases(&mut read);
        if read.message.is_none() {
            read.message = message;
        }
        read.pytest_phases = Vec::new();
    }
    read
}

/// True when `result` carries facts [`read_result`] reads (so a host's result needs reading).
pub fn has_facts(result: &TestResult) -> bool {
    !result.pytest_phases.is_empty()
}
