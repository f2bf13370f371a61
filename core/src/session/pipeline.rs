//! One finished test → payload results: case ids → classify → map → filter (SPEC §3 trace
//! when `debug`) → signature (SPEC §8) → one `ResultCreate` per case id, with the attempt
//! number, the flaky mark and the failure links (SPEC §5). No state transition happens here.

use super::event::{Action, LogLevel};
use super::report::Summary;
use super::result_body::{Decided, result_json, whole_ms};
use super::{Phase, Session};
use crate::case_ids::read_case_ids;
use crate::classify::classify;
use crate::links::{FAILURE_LINK_PREFIX, failure_links};
use crate::mapping::{map_and_filter, map_and_filter_traced};
use crate::result::{Attachment, Step, TestResult};
use crate::signature::{write_js_signature, write_python_signature};
use crate::status::Status;
use std::borrow::Cow;

/// One payload result, serialized once.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub json: String,
    /// The result's attachments, then those of its steps (depth first): uploaded first
    /// (testops) or copied next to the result file (local report); empty for most results.
    pub attachments: Vec<crate::result::Attachment>,
    /// What `run.json` lists about it, made here in report mode (where every result is
    /// written locally) instead of read back from `json`.
    pub summary: Option<Summary>,
}

/// Buffers reused from one result to the next, so preparing a result allocates only what it
/// keeps (its title and its payload).
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// The payload results of the current test.
    pub prepared: Vec<Prepared>,
    signature: Vec<u8>,
}

impl Session {
    /// The payload results of one finished test into `scratch.prepared`; none when the filter
    /// dropped it.
    pub(super) fn prepare(&mut self, result: &TestResult, scratch: &mut Scratch) {
        self.receipt.results_seen += 1;
        let cases = read_case_ids(&result.title, result.testops_ids.as_deref());
        for warning in &cases.warnings {
            self.log(
                LogLevel::Warn,
                format!("{}: {}", warning.key, warning.message),
            );
        }
        let verdict = classify(&result.outcome, &self.config.classification);
        let mapping = &self.config.status_mapping;
        let filter = &self.config.testops.status_filter;
        let status = if self.config.debug {
            let mut trace = Vec::new();
            let status = map_and_filter_traced(verdict.status, mapping, filter, &mut trace);
            for line in trace {
                self.log(LogLevel::Debug, line);
            }
            status
        } else {
            map_and_filter(verdict.status, mapping, filter)
        };
        let Some(status) = status else {
            self.receipt.filtered += 1;
            return;
        };
        let buffer = &mut scratch.signature;
        match result.node_id.as_deref() {
            Some(node_id) => write_python_signature(buffer, &cases.ids, node_id, &result.params),
            None => {
                // The host's signature path when it gave one, else suite + title.
                let (head, title) = match &result.signature_path {
                    Some(path) => (path.as_slice(), None),
                    None => (result.suite.as_slice(), Some(&result.title)),
                };
                let path = head.iter().chain(title);
                // The official JS reporter signs its `params` only; grouped parameters travel
                // apart (`group_params`), so they are left out here too (same signature).
                let grouped = |key: &String| result.param_groups.iter().any(|g| g.contains(key));
                let params = result.params.iter().filter(|&(key, _)| !grouped(key));
                write_js_signature(buffer, &cases.ids, path, params);
            }
        }
        let signature = std::str::from_utf8(buffer).expect("signatures are built from UTF-8");
        let flaky = self.track_attempts(result.attempt, status, signature);
        if status == Status::Failed {
            self.failure_links(&cases.ids, &cases.title);
        }
        let decided = Decided {
            result,
            title: &cases.title,
            status,
            signature,
            suite: &result.suite,
            flaky,
            defect: self.config.testops.defect && status == Status::Failed,
        };
        let root_suite = self.config.root_suite.as_deref();
        let attachments = attachments_of(result);
        // One payload result per case id, or one without a case.
        for copy in 0..cases.ids.len().max(1) {
            let case_id = cases.ids.get(copy).copied();
            self.next_result += 1;
            let id = self.result_ids.text(self.next_result);
            let id = std::str::from_utf8(&id).expect("hex digits and dashes");
            let summary = (self.phase == Phase::Local).then(|| Summary {
                id: id.to_owned(),
                title: decided.title.to_owned(),
                status,
                duration: whole_ms(result.duration).unwrap_or(0),
                thread: result.thread.clone(),
            });
            scratch.prepared.push(Prepared {
                json: result_json(&decided, id, case_id, root_suite),
                attachments: attachments.clone(),
                summary,
            });
        }
    }

    /// `result` with its runner-native facts read (pytest's phases, Playwright's facts): a
    /// copy, made only for results that carry them. Each warning of the reading is said once
    /// per session, as hosts said them; `None` when the facts ask for the result not to be
    /// reported (counted in the receipt, and said at the end).
    pub(super) fn read_facts<'a>(&mut self, result: &'a TestResult) -> Option<Cow<'a, TestResult>> {
        if !crate::runner_facts::has_facts(result) {
            return Some(Cow::Borrowed(result));
        }
        let read = crate::runner_facts::read_result(result);
        for warning in &read.warnings {
            let line = format!("{}: {}", warning.key, warning.message);
            if self.said.insert(signature_key(&line)) {
                self.log(LogLevel::Warn, line);
            }
        }
        if read.ignored {
            self.receipt.ignored += 1;
            return None;
        }
        Some(Cow::Owned(read.result))
    }

    /// A pass after a failed attempt of the same test (same signature) is flaky.
    fn track_attempts(&mut self, attempt: u32, status: Status, signature: &str) -> bool {
        match status {
            Status::Failed | Status::Invalid => {
                self.failed_attempts.insert(signature_key(signature));
                false
            }
            Status::Passed => attempt > 0 && self.failed_attempts.remove(&signature_key(signature)),
            Status::Skipped | Status::Blocked => false,
        }
    }

    /// Failure links need the run id: printed now when known, else when the run opens.
    fn failure_links(&mut self, ids: &[u64], title: &str) {
        if self.config.testops.project.is_none() {
            return;
        }
        // While opening, even a configured run id is not good yet (it may be completed).
        match self.run_id {
            _ if self.phase == Phase::Opening => {
                self.waiting_links.push((ids.to_vec(), title.to_owned()));
            }
            Some(run_id) => self.print_links(run_id, ids, title),
            None => {}
        }
    }

    pub(super) fn print_links(&mut self, run_id: u64, ids: &[u64], title: &str) {
        let Some(project) = self.config.testops.project.as_deref() else {
            return;
        };
        let app = self.config.testops.app_base();
        for link in failure_links(&app, project, run_id, ids, title, Some(Status::Failed)) {
            self.out.push_back(Action::Log {
                level: LogLevel::Info,
                message: format!("{FAILURE_LINK_PREFIX}{link}"),
            });
        }
    }
}

/// The result's attachments and its steps' (depth first); no allocation when there are none.
fn attachments_of(result: &TestResult) -> Vec<Attachment> {
    fn steps(list: &[Step], out: &mut Vec<Attachment>) {
        for step in list {
            out.extend_from_slice(&step.attachments);
            steps(&step.steps, out);
        }
    }
    let mut out = result.attachments.clone();
    steps(&result.steps, &mut out);
    out
}

/// Failed tests are remembered by a 64-bit key of their signature (8 bytes each, not the
/// whole string), so memory stays small however many tests fail.
fn signature_key(signature: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    // DefaultHasher::new() has fixed keys: the same on every run and platform.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    signature.hash(&mut hasher);
    hasher.finish()
}
