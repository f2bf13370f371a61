//! testrelay-node: the Node.js binding of the testrelay core. Conversion only: each export is
//! a short delegation to the core; values cross as the core's serde shapes (snake_case keys,
//! `null` for absent values); errors are JS `Error`s with a stable `code` (see `error.rs`).
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod convert;
mod error;
mod host;
mod matching;
mod runs;
mod session;

pub use host::{
    complete_run_exit, complete_run_plan, config_file_candidates, end_wait_bound_ms, job_name,
    read_result, receipt_file,
};
pub use matching::{CaseIndex, case_ids, js_signature, match_settings_warnings, python_signature};
pub use runs::{
    assign, clone_run, decide_completion, estimate, qs_create_run, qs_membership, qs_resolve,
    qs_status_counts, qs_validate, retest, run_stats,
};
pub use session::{Session, panic_for_tests, read_results};

use convert::{from_js, from_js_opt, to_js, to_js_ordered};
use error::{Result, from_core};
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;
use serde_json::Value;
use std::collections::BTreeMap;
use testrelay::{Outcome, Policy, RunResult, api};

/// Where a header value of an `http` / `multipart` action takes the API token
/// (`session.token()`); the token itself is never in an action.
#[napi]
pub const TOKEN_PLACEHOLDER: &str = testrelay::session::TOKEN_PLACEHOLDER;

/// Classifies one finished test: `{status, rule, evidence}` (SPEC §2).
#[napi(
    catch_unwind,
    ts_args_type = "outcome: Outcome, policy?: Policy | null",
    ts_return_type = "Verdict"
)]
pub fn classify(env: &Env, outcome: Unknown<'_>, policy: Option<Unknown<'_>>) -> Result<Value> {
    let outcome: Outcome = from_js(env, "outcome", outcome)?;
    let policy: Policy = from_js_opt(env, "policy", policy)?.unwrap_or_default();
    to_js(&testrelay::classify(&outcome, &policy))
}

/// Parses `QASE_STATUS_MAPPING` text: `{mapping, warnings}`.
#[napi(
    catch_unwind,
    ts_args_type = "text: string",
    ts_return_type = "{ mapping: Record<string, Status>; warnings: Warning[] }"
)]
pub fn parse_status_mapping_env(env: &Env, text: Unknown<'_>) -> Result<Value> {
    let text: String = from_js(env, "text", text)?;
    to_js(&api::parse_status_mapping_env(&text))
}

/// Parses a `statusMapping` JSON object: `{mapping, warnings}`.
#[napi(
    catch_unwind,
    ts_args_type = "value: Record<string, string> | null",
    ts_return_type = "{ mapping: Record<string, Status>; warnings: Warning[] }"
)]
pub fn parse_status_mapping_json(env: &Env, value: Unknown<'_>) -> Result<Value> {
    to_js(&api::parse_status_mapping_json(&from_js(
        env, "value", value,
    )?))
}

/// Parses `QASE_TESTOPS_STATUS_FILTER` text: `{filter, warnings}`.
#[napi(
    catch_unwind,
    ts_args_type = "text: string",
    ts_return_type = "{ filter: Status[]; warnings: Warning[] }"
)]
pub fn parse_status_filter_env(env: &Env, text: Unknown<'_>) -> Result<Value> {
    let text: String = from_js(env, "text", text)?;
    to_js(&api::parse_status_filter_env(&text))
}

/// Parses a `testops.statusFilter` JSON list: `{filter, warnings}`.
#[napi(
    catch_unwind,
    ts_args_type = "value: string[] | string | null",
    ts_return_type = "{ filter: Status[]; warnings: Warning[] }"
)]
pub fn parse_status_filter_json(env: &Env, value: Unknown<'_>) -> Result<Value> {
    to_js(&api::parse_status_filter_json(&from_js(
        env, "value", value,
    )?))
}

/// Maps then filters a list of statuses: `{statuses: [status | null], trace, warnings}`.
#[napi(
    catch_unwind,
    ts_args_type = "input: { mapping?: Record<string, string> | null; filter?: string[] | null; statuses: Status[] }",
    ts_return_type = "{ statuses: (Status | null)[]; trace: string[]; warnings: Warning[] }"
)]
pub fn pipeline(env: &Env, input: Unknown<'_>) -> Result<Value> {
    to_js(&api::pipeline(&from_js(env, "pipeline input", input)?))
}

/// The sizes of the uploads for `results` results at `batchSize` (clamped to 1..=200, with a
/// warning): `{batches, warnings}`.
#[napi(
    catch_unwind,
    ts_args_type = "batchSize: number, results: number",
    ts_return_type = "{ batches: number[]; warnings: Warning[] }"
)]
pub fn plan_batches(env: &Env, batch_size: Unknown<'_>, results: Unknown<'_>) -> Result<Value> {
    let requested: i64 = from_js(env, "batchSize", batch_size)?;
    to_js(&api::batch_plan(
        requested,
        from_js(env, "results", results)?,
    ))
}

/// The failure links printed for one result (empty unless its status is `failed`).
#[napi(
    catch_unwind,
    ts_args_type = "input: { app: string; project: string; run_id: number; result: { testops_ids?: number[] | null; title: string; status: Status | null } }"
)]
pub fn failure_links(env: &Env, input: Unknown<'_>) -> Result<Vec<String>> {
    Ok(api::links(&from_js(env, "failureLinks input", input)?))
}

/// A run's status at completion: `"passed"` or `"failed"` (SPEC §7).
#[napi(
    catch_unwind,
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
    catch_unwind,
    ts_args_type = "groups: Record<string, string[]>",
    ts_return_type = "Record<string, string>[]"
)]
pub fn configuration_product<'env>(env: &'env Env, groups: Unknown<'_>) -> Result<Unknown<'env>> {
    to_js_ordered(env, &api::configurations(from_js(env, "groups", groups)?))
}

/// Resolves the configuration from reporter options < `qase.config.json` text < `QASE_*` env <
/// CLI flags (SPEC §4): `{config, warnings}`; the token is shown as `***`.
#[napi(
    catch_unwind,
    ts_args_type = "sources: Sources",
    ts_return_type = "{ config: Record<string, any>; warnings: Warning[] }"
)]
pub fn resolve_config(env: &Env, sources: Unknown<'_>) -> Result<Value> {
    to_js(&api::resolve_config(&from_js(env, "sources", sources)?))
}

/// Reads a JUnit XML report: `{results: [TestResult], warnings}`; a malformed report is
/// `MALFORMED_REPORT` (with its line), an oversized one `LIMIT_EXCEEDED`.
#[napi(
    catch_unwind,
    ts_args_type = "xml: string",
    ts_return_type = "{ results: TestResult[]; warnings: Warning[] }"
)]
pub fn import_junit(env: &Env, xml: Unknown<'_>) -> Result<Value> {
    let xml: String = from_js(env, "xml", xml)?;
    to_js(&api::junit(&xml).map_err(from_core)?)
}

/// Reads a Playwright JSON report (`--reporter=json`): `{results: [TestResult], warnings}`.
#[napi(
    catch_unwind,
    ts_args_type = "text: string",
    ts_return_type = "{ results: TestResult[]; warnings: Warning[] }"
)]
pub fn import_playwright_json(env: &Env, text: Unknown<'_>) -> Result<Value> {
    let text: String = from_js(env, "text", text)?;
    to_js(&api::playwright_json(&text).map_err(from_core)?)
}
