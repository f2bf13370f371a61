//! testrelay-node: the Node.js binding of the testrelay core. Conversion only: each export is
//! a short delegation to the core; values cross as the core's serde shapes (snake_case keys,
//! `null` for absent values); errors are JS `Error`s with a stable `code` (see `error.rs`).
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod convert;
mod error;
mod matching;
mod runs;
mod session;

pub use matching::{CaseIndex, case_ids, js_signature, match_settings_warnings, python_signature};
pub use runs::{
    assign, clone_run, decide_completion, estimate, qs_create_run, qs_membership, qs_resolve,
    qs_status_counts, qs_validate, retest, run_stats,
};
pub use session::Session;

use convert::{FailureLinksInput, PipelineInput, from_js, from_js_opt, to_js, to_js_ordered};
use error::{Result, from_core};
use indexmap::IndexMap;
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use testrelay::{Config, Outcome, Policy, RunResult, Sources, StatusFilter, StatusMapping};

/// Classifies one finished test: `{status, rule, evidence}` (SPEC §2).
#[napi(
    ts_args_type = "outcome: Outcome, policy?: Policy | null",
    ts_return_type = "Verdict"
)]
pub fn classify(env: &Env, outcome: Unknown<'_>, policy: Option<Unknown<'_>>) -> Result<Value> {
    let outcome: Outcome = from_js(env, "outcome", outcome)?;
    let policy: Policy = from_js_opt(env, "policy", policy)?.unwrap_or_default();
    to_js(&testrelay::classify(&outcome, &policy))
}

/// Parses `QASE_STATUS_MAPPING` text: `{mapping, warnings}`.
#[napi(ts_return_type = "{ mapping: Record<string, Status>; warnings: Warning[] }")]
pub fn parse_status_mapping_env(text: String) -> Value {
    let (mapping, warnings) = StatusMapping::parse_env(&text, "QASE_STATUS_MAPPING");
    json!({ "mapping": mapping, "warnings": warnings })
}

/// Parses a `statusMapping` JSON object: `{mapping, warnings}`.
#[napi(ts_return_type = "{ mapping: Record<string, Status>; warnings: Warning[] }")]
pub fn parse_status_mapping_json(value: Value) -> Value {
    let (mapping, warnings) = StatusMapping::parse_json(&value, "statusMapping");
    json!({ "mapping": mapping, "warnings": warnings })
}

/// Parses `QASE_TESTOPS_STATUS_FILTER` text: `{filter, warnings}`.
#[napi(ts_return_type = "{ filter: Status[]; warnings: Warning[] }")]
pub fn parse_status_filter_env(text: String) -> Value {
    let (filter, warnings) = StatusFilter::parse_env(&text, "QASE_TESTOPS_STATUS_FILTER");
    json!({ "filter": filter, "warnings": warnings })
}

/// Parses a `testops.statusFilter` JSON list: `{filter, warnings}`.
#[napi(ts_return_type = "{ filter: Status[]; warnings: Warning[] }")]
pub fn parse_status_filter_json(value: Value) -> Value {
    let (filter, warnings) = StatusFilter::parse_json(&value, "testops.statusFilter");
    json!({ "filter": filter, "warnings": warnings })
}

/// Maps then filters a list of statuses: `{statuses: [status | null], trace, warnings}`.
#[napi(
    ts_args_type = "input: { mapping?: Record<string, string> | null; filter?: string[] | null; statuses: Status[] }",
    ts_return_type = "{ statuses: (Status | null)[]; trace: string[]; warnings: Warning[] }"
)]
pub fn pipeline(env: &Env, input: Unknown<'_>) -> Result<Value> {
    let input: PipelineInput = from_js(env, "pipeline input", input)?;
    let (mapping, mut warnings) = StatusMapping::parse_json(&input.mapping, "statusMapping");
    let (filter, filter_warnings) = StatusFilter::parse_json(&input.filter, "testops.statusFilter");
    warnings.extend(filter_warnings);
    let mut trace = Vec::new();
    let statuses: Vec<_> = input
        .statuses
        .iter()
        .map(|&s| testrelay::map_and_filter_traced(s, &mapping, &filter, &mut trace))
        .collect();
    Ok(json!({ "statuses": statuses, "trace": trace, "warnings": warnings }))
}

/// The sizes of the uploads for `results` results at `batchSize` (clamped to 1..=200, with a
/// warning): `{batches, warnings}`.
#[napi(
    ts_args_type = "batchSize: number, results: number",
    ts_return_type = "{ batches: number[]; warnings: Warning[] }"
)]
pub fn plan_batches(env: &Env, batch_size: Unknown<'_>, results: Unknown<'_>) -> Result<Value> {
    let requested: u64 = from_js(env, "batchSize", batch_size)?;
    let results: usize = from_js(env, "results", results)?;
    let (size, warning) = testrelay::clamp_batch_size(requested, "testops.batch.size");
    let warnings: Vec<_> = warning.into_iter().collect();
    Ok(json!({ "batches": testrelay::plan_batches(size, results), "warnings": warnings }))
}

/// The failure links printed for one result (empty unless its status is `failed`).
#[napi(
    ts_args_type = "input: { app: string; project: string; run_id: number; result: { testops_ids?: number[] | null; title: string; status: Status | null } }"
)]
pub fn failure_links(env: &Env, input: Unknown<'_>) -> Result<Vec<String>> {
    let FailureLinksInput {
        app,
        project,
        run_id,
        result,
    } = from_js(env, "failureLinks input", input)?;
    let ids = result.testops_ids.unwrap_or_default();
    Ok(testrelay::failure_links(
        &app,
        &project,
        run_id,
        &ids,
        &result.title,
        result.status,
    ))
}

/// A run's status at completion: `"passed"` or `"failed"` (SPEC §7).
#[napi(
    ts_args_type = "results: { status: string; muted?: boolean }[], custom?: Record<string, 'positive' | 'negative'> | null",
    ts_return_type = "Status"
)]
pub fn run_status(env: &Env, results: Unknown<'_>, custom: Option<Unknown<'_>>) -> Result<String> {
    let results: Vec<RunResult> = from_js(env, "results", results)?;
    let custom: BTreeMap<String, testrelay::Polarity> =
        from_js_opt(env, "custom", custom)?.unwrap_or_default();
    Ok(testrelay::run_status(&results, &custom).as_str().to_owned())
}

/// The cross-product of configuration values: `[{group: value}]`, in group then value order.
#[napi(
    ts_args_type = "groups: Record<string, string[]>",
    ts_return_type = "Record<string, string>[]"
)]
pub fn configuration_product<'env>(env: &'env Env, groups: Unknown<'_>) -> Result<Unknown<'env>> {
    let groups: IndexMap<String, Vec<String>> = from_js(env, "groups", groups)?;
    let groups: Vec<(String, Vec<String>)> = groups.into_iter().collect();
    let product: Vec<IndexMap<String, String>> = testrelay::configuration_product(&groups)
        .into_iter()
        .map(|combination| combination.into_iter().collect())
        .collect();
    to_js_ordered(env, &product)
}

/// Resolves the configuration from reporter options < `qase.config.json` text < `QASE_*` env <
/// CLI flags (SPEC §4): `{config, warnings}`; the token is shown as `***`.
#[napi(
    ts_args_type = "sources: Sources",
    ts_return_type = "{ config: Record<string, any>; warnings: Warning[] }"
)]
pub fn resolve_config(env: &Env, sources: Unknown<'_>) -> Result<Value> {
    let sources: Sources = from_js(env, "sources", sources)?;
    let (config, warnings) = Config::resolve(&sources);
    Ok(json!({ "config": config, "warnings": warnings }))
}

/// Reads a JUnit XML report: `{results: [TestResult], warnings}`; a malformed report is
/// `MALFORMED_REPORT` (with its line), an oversized one `LIMIT_EXCEEDED`.
#[napi(ts_return_type = "{ results: TestResult[]; warnings: Warning[] }")]
pub fn import_junit(xml: String) -> Result<Value> {
    let (results, warnings) = testrelay::import_junit(&xml).map_err(from_core)?;
    Ok(json!({ "results": to_js(&results)?, "warnings": warnings }))
}

/// Reads a Playwright JSON report (`--reporter=json`): `{results: [TestResult], warnings}`.
#[napi(ts_return_type = "{ results: TestResult[]; warnings: Warning[] }")]
pub fn import_playwright_json(text: String) -> Result<Value> {
    let (results, warnings) = testrelay::import_playwright_json(&text).map_err(from_core)?;
    Ok(json!({ "results": to_js(&results)?, "warnings": warnings }))
}
