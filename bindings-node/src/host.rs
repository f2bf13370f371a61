//! What a host would otherwise decide for itself (SPEC §13): where `qase.config.json` is
//! looked for, a job's name and receipt file, the bound on the end's wait, and the
//! `complete-run` flow. Conversion only.

use crate::convert::{from_js, to_js, to_js_ordered};
use crate::error::Result;
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;
use serde_json::Value;
use testrelay::api;

/// The `qase.config.json` paths to try, in order, for the directories the host knows.
#[napi(catch_unwind, ts_args_type = "dirs: string[]")]
pub fn config_file_candidates(env: &Env, dirs: Unknown<'_>) -> Result<Vec<String>> {
    let dirs: Vec<String> = from_js(env, "dirs", dirs)?;
    Ok(api::config_files(&dirs))
}

/// A job's name in its receipt.
#[napi(
    catch_unwind,
    ts_args_type = "facts: { env_job?: string | null; shard?: { current: number; total: number } | null; runner: string; instance: string }"
)]
pub fn job_name(env: &Env, facts: Unknown<'_>) -> Result<String> {
    Ok(api::job(&from_js(env, "jobName facts", facts)?))
}

/// The name and text of one process's receipt file.
#[napi(
    catch_unwind,
    ts_args_type = "input: { job: string; instance: string; receipt: Receipt; expected_tests?: number | null; tests_reported?: number | null; ignored?: number }",
    ts_return_type = "{ name: string; body: string }"
)]
pub fn receipt_file(env: &Env, input: Unknown<'_>) -> Result<Value> {
    to_js(&api::receipt_file(&from_js(
        env,
        "receiptFile input",
        input,
    )?))
}

/// How long a host's end may wait for `finished` after `all_tests_done` (ms).
#[napi(catch_unwind, ts_args_type = "uploadDeadlineMs: number")]
pub fn end_wait_bound_ms(env: &Env, upload_deadline_ms: Unknown<'_>) -> Result<f64> {
    let deadline: u64 = from_js(env, "uploadDeadlineMs", upload_deadline_ms)?;
    Ok(api::end_wait_bound(deadline) as f64)
}

/// The first step of `testrelay complete-run`: `{run_id, proceed, exit_code, lines, decision}`.
#[napi(
    catch_unwind,
    ts_args_type = "input: { sources: Sources; receipts?: object[] | null; expected_jobs?: string[] }",
    ts_return_type = "{ run_id: number | null; proceed: boolean; exit_code: number; lines: string[]; decision: object | null }"
)]
pub fn complete_run_plan(env: &Env, input: Unknown<'_>) -> Result<Value> {
    to_js(&api::complete_run_plan(&from_js(
        env,
        "completeRunPlan input",
        input,
    )?))
}

/// The exit status of `testrelay complete-run` from its session's receipt (`null`: none).
#[napi(catch_unwind, ts_args_type = "receipt: Receipt | null")]
pub fn complete_run_exit(env: &Env, receipt: Unknown<'_>) -> Result<u32> {
    let receipt: Option<testrelay::session::Receipt> = from_js(env, "receipt", receipt)?;
    Ok(api::complete_run_exit(receipt.as_ref()).into())
}

/// A result with its runner-native facts (pytest phases, Playwright's facts) read, as the
/// session reads it. Written keeping the parameters' order.
#[napi(
    catch_unwind,
    ts_args_type = "result: TestResult",
    ts_return_type = "ReadResult"
)]
pub fn read_result<'env>(env: &'env Env, result: Unknown<'_>) -> Result<Unknown<'env>> {
    to_js_ordered(env, &api::read_result(&from_js(env, "result", result)?))
}
