//! The data-in, data-out facade the bindings call (docs/api.md): one function per exported
//! name, taking and returning the serde shapes every language shares. It holds the glue a
//! binding would otherwise write three times (which key names a parse warning carries, how a
//! pipeline walks a list, what an answer object looks like), so each binding export is a
//! conversion and one call.

use crate::batch::{clamp_batch_size, plan_batches};
use crate::config::{Config, Sources};
use crate::error::Error;
use crate::import::{import_junit, import_playwright_json};
use crate::links::failure_links;
use crate::mapping::{StatusFilter, StatusMapping, map_and_filter_traced};
use crate::result::TestResult;
use crate::runs::configuration_product;
use crate::shards::{CompletionDecision, JobReceipt, decide_completion};
use crate::status::Status;
use crate::warning::Warning;
use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The key warnings name for a mapping read from env.
pub const MAPPING_ENV: &str = "QASE_STATUS_MAPPING";
/// The key warnings name for a mapping read from JSON.
pub const MAPPING_KEY: &str = "statusMapping";
/// The key warnings name for a filter read from env.
pub const FILTER_ENV: &str = "QASE_TESTOPS_STATUS_FILTER";
/// The key warnings name for a filter read from JSON.
pub const FILTER_KEY: &str = "testops.statusFilter";

/// `{mapping, warnings}`.
#[derive(Debug, Serialize)]
pub struct MappingParse {
    /// The entries that were valid.
    pub mapping: StatusMapping,
    /// One per ignored entry (and notes).
    pub warnings: Vec<Warning>,
}

/// `{filter, warnings}`.
#[derive(Debug, Serialize)]
pub struct FilterParse {
    /// The statuses that were valid, in order, without duplicates.
    pub filter: StatusFilter,
    /// One per ignored entry.
    pub warnings: Vec<Warning>,
}

/// Parses `QASE_STATUS_MAPPING` text.
pub fn parse_status_mapping_env(text: &str) -> MappingParse {
    let (mapping, warnings) = StatusMapping::parse_env(text, MAPPING_ENV);
    MappingParse { mapping, warnings }
}

/// Parses a `statusMapping` JSON object.
pub fn parse_status_mapping_json(value: &Value) -> MappingParse {
    let (mapping, warnings) = StatusMapping::parse_json(value, MAPPING_KEY);
    MappingParse { mapping, warnings }
}

/// Parses `QASE_TESTOPS_STATUS_FILTER` text.
pub fn parse_status_filter_env(text: &str) -> FilterParse {
    let (filter, warnings) = StatusFilter::parse_env(text, FILTER_ENV);
    FilterParse { filter, warnings }
}

/// Parses a `testops.statusFilter` JSON list.
pub fn parse_status_filter_json(value: &Value) -> FilterParse {
    let (filter, warnings) = StatusFilter::parse_json(value, FILTER_KEY);
    FilterParse { filter, warnings }
}

/// `pipeline` input: a mapping (JSON object), a filter (JSON list) and statuses.
#[derive(Debug, Deserialize)]
pub struct PipelineInput {
    /// `{from: to}`; absent or null is no mapping.
    #[serde(default)]
    pub mapping: Value,
    /// `[status]`; absent or null is no filter.
    #[serde(default)]
    pub filter: Value,
    /// The statuses to map and filter.
    pub statuses: Vec<Status>,
}

/// `{statuses, trace, warnings}`.
#[derive(Debug, Serialize)]
pub struct PipelineOutput {
    /// Per input status: the status reported, or `null` when filtered out.
    pub statuses: Vec<Option<Status>>,
    /// The debug trace lines of SPEC §3, verbatim, for every status in order.
    pub trace: Vec<String>,
    /// Warnings of the mapping and filter.
    pub warnings: Vec<Warning>,
}

/// Maps then filters a list of statuses (SPEC §3), with the trace.
pub fn pipeline(input: &PipelineInput) -> PipelineOutput {
    let MappingParse {
        mapping,
        mut warnings,
    } = parse_status_mapping_json(&input.mapping);
    let filter = parse_status_filter_json(&input.filter);
    warnings.extend(filter.warnings);
    let mut trace = Vec::new();
    let statuses = input
        .statuses
        .iter()
        .map(|&s| map_and_filter_traced(s, &mapping, &filter.filter, &mut trace))
        .collect();
    PipelineOutput {
        statuses,
        trace,
        warnings,
    }
}

/// `{batches, warnings}`.
#[derive(Debug, Serialize)]
pub struct BatchPlan {
    /// Results per upload, in order.
    pub batches: Vec<usize>,
    /// A warning when the batch size had to be clamped.
    pub warnings: Vec<Warning>,
}

/// The uploads for `results` results at `batch_size` (clamped to 1..=200 with a warning).
pub fn batch_plan(batch_size: i64, results: usize) -> BatchPlan {
    let (size, warning) = clamp_batch_size(batch_size, "testops.batch.size");
    BatchPlan {
        batches: plan_batches(size, results),
        warnings: warning.into_iter().collect(),
    }
}

/// `failureLinks` input: `{app, project, run_id, result: {testops_ids, title, status}}`.
#[derive(Debug, Deserialize)]
pub struct FailureLinksInput {
    /// The web app base (`https://app.qase.io`).
    pub app: String,
    /// The project code.
    pub project: String,
    /// The run.
    pub run_id: u64,
    /// The result.
    pub result: LinkedResult,
}

/// The part of a result failure links read.
#[derive(Debug, Deserialize)]
pub struct LinkedResult {
    /// Case ids, if any.
    #[serde(default)]
    pub testops_ids: Option<Vec<u64>>,
    /// The title (searched when there is no id).
    #[serde(default)]
    pub title: String,
    /// The status after mapping and filter; `null` when filtered out.
    #[serde(default)]
    pub status: Option<Status>,
}

/// The failure links of one result (SPEC §5).
pub fn links(input: &FailureLinksInput) -> Vec<String> {
    let r = &input.result;
    failure_links(
        &input.app,
        &input.project,
        input.run_id,
        r.testops_ids.as_deref().unwrap_or_default(),
        &r.title,
        r.status,
    )
}

/// The cross-product of picked values, as `[{group: value}]` in group then value order.
pub fn configurations(groups: IndexMap<String, Vec<String>>) -> Vec<IndexMap<String, String>> {
    let groups: Vec<(String, Vec<String>)> = groups.into_iter().collect();
    configuration_product(&groups)
        .into_iter()
        .map(|combination| combination.into_iter().collect())
        .collect()
}

/// `{config, warnings}`; the token shows as `***`.
#[derive(Debug, Serialize)]
pub struct ConfigResolution {
    /// The resolved configuration.
    pub config: Config,
    /// Every bad value, unknown key and note.
    pub warnings: Vec<Warning>,
}

/// Resolves the configuration from its sources (SPEC §4).
pub fn resolve_config(sources: &Sources) -> ConfigResolution {
    let (config, warnings) = Config::resolve(sources);
    ConfigResolution { config, warnings }
}

/// `{results, warnings}` of a report import.
#[derive(Debug, Serialize)]
pub struct ImportOutput {
    /// One result per attempt.
    pub results: Vec<TestResult>,
    /// What was skipped or odd.
    pub warnings: Vec<Warning>,
}

/// Reads a JUnit XML report.
pub fn junit(xml: &str) -> Result<ImportOutput, Error> {
    import_junit(xml).map(|(results, warnings)| ImportOutput { results, warnings })
}

/// Reads a Playwright JSON report.
pub fn playwright_json(text: &str) -> Result<ImportOutput, Error> {
    import_playwright_json(text).map(|(results, warnings)| ImportOutput { results, warnings })
}

/// `decideCompletion` input.
#[derive(Debug, Deserialize)]
pub struct CompletionInput {
    /// The shared run.
    pub run_id: u64,
    /// Every receipt collected.
    pub receipts: Vec<JobReceipt>,
    /// Jobs that must have reported (empty: whoever wrote a receipt).
    #[serde(default)]
    pub expected_jobs: Vec<String>,
}

/// May the shared run be completed? (issue "one run across shards").
pub fn completion(input: &CompletionInput) -> CompletionDecision {
    decide_completion(input.run_id, &input.receipts, &input.expected_jobs)
}

/// Reads the text of `JSON.stringify(value)` from a JavaScript host into `T`: a value nested
/// deeper than 128 levels (serde_json's limit) or of the wrong shape is `INVALID_INPUT`
/// naming `what` — never a stack overflow — and lone surrogates become U+FFFD.
pub fn from_js_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, Error> {
    crate::json::from_str(&replace_lone_surrogates(text))
        .map_err(|e| Error::invalid(what, e.to_string()))
}

/// JS strings may hold lone surrogates, which `JSON.stringify` writes as `\udXXX` escapes and
/// serde_json refuses; they become U+FFFD, as the hosts' own string conversions do, so a
/// test with such a title is still reported.
fn replace_lone_surrogates(text: &str) -> std::borrow::Cow<'_, str> {
    let surrogate = |hex: &str| {
        u16::from_str_radix(hex, 16)
            .ok()
            .filter(|u| (0xD800..0xE000).contains(u))
    };
    if !text.contains("\\u") {
        return text.into();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let escape = text
            .get(i + 2..i + 6)
            .filter(|_| bytes.get(i + 1) == Some(&b'u'));
        match escape.and_then(surrogate) {
            Some(0xD800..=0xDBFF) => {
                let low = text
                    .get(i + 8..i + 12)
                    .filter(|_| text.get(i + 6..i + 8) == Some("\\u"))
                    .and_then(surrogate)
                    .filter(|low| *low >= 0xDC00);
                if low.is_some() {
                    i += 12; // a valid pair: keep it
                } else {
                    out.push_str(&text[copied..i]);
                    out.push_str("\\ufffd");
                    i += 6;
                    copied = i;
                }
            }
            Some(_) => {
                out.push_str(&text[copied..i]);
                out.push_str("\\ufffd");
                i += 6;
                copied = i;
            }
            None => i += 2, // any other escape, incl. `\\`
        }
    }
    out.push_str(&text[copied..]);
    out.into()
}

/// `readResult`: a result with its runner-native facts (pytest phases, Playwright's facts)
/// read, as the session reads it: the result, with `ignored` and `warnings` when there are any.
pub fn read_result(result: &TestResult) -> crate::runner_facts::ReadResult {
    crate::runner_facts::read_result(result)
}

/// `configFileCandidates`: the `qase.config.json` paths to try, in order.
pub fn config_files(dirs: &[String]) -> Vec<String> {
    crate::host::config_file_candidates(dirs)
}

/// `jobName`: a job's name in its receipt.
pub fn job(facts: &crate::host::JobFacts) -> String {
    crate::host::job_name(facts)
}

/// `receiptFile`: the name and text of one process's receipt file.
pub fn receipt_file(input: &crate::host::ReceiptFileInput) -> crate::host::ReceiptFile {
    crate::host::receipt_file(input)
}

/// `endWaitBoundMs`: how long a host's end may wait for `finished`.
pub fn end_wait_bound(upload_deadline_ms: u64) -> u64 {
    crate::host::end_wait_bound_ms(upload_deadline_ms)
}

/// `completeRunPlan`: the first step of `testrelay complete-run`.
pub fn complete_run_plan(input: &crate::host::CompleteRunInput) -> crate::host::CompleteRunPlan {
    crate::host::complete_run_plan(input)
}

/// `completeRunExit`: the exit status of `testrelay complete-run` from its session's receipt.
pub fn complete_run_exit(receipt: Option<&crate::session::Receipt>) -> u8 {
    crate::host::complete_run_exit(receipt)
}

#[cfg(test)]
mod tests {
    use super::replace_lone_surrogates;

    #[test]
    fn lone_surrogates_become_replacement_characters_and_pairs_stay() {
        let cases = [
            (r#""a\ud800b""#, "a\u{fffd}b"),
            (r#""\udc00""#, "\u{fffd}"),
            (r#""\ud83d\ude00""#, "😀"),
            (r#""\\ud800""#, "\\ud800"),
            (r#""\ud800\ud800""#, "\u{fffd}\u{fffd}"),
            (r#""plain ü""#, "plain ü"),
        ];
        for (json, want) in cases {
            let got: String = serde_json::from_str(&replace_lone_surrogates(json)).unwrap();
            assert_eq!(got, want, "{json}");
        }
    }
}
