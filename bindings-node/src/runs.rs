//! Test runs (SPEC §7) and QA Sphere runs: statistics, estimates, assignment, clone/retest,
//! query plans, validation and status counts.

use crate::convert::{from_js, from_js_opt, id_keys, to_js};
use crate::error::{Result, from_core};
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;
use serde_json::Value;
use std::collections::BTreeMap;
use testrelay::{
    AssignMode, QsRun, QsRunRequest, QsRunType, QsSnapshot, QsStatus, QueryPlan, RunCase,
};

/// Statistics of a run's cases (counts per status, pass rate, …).
#[napi(
    catch_unwind,
    ts_args_type = "cases: object[], custom?: Record<string, 'positive' | 'negative'> | null",
    ts_return_type = "Record<string, any>"
)]
pub fn run_stats(env: &Env, cases: Unknown<'_>, custom: Option<Unknown<'_>>) -> Result<Value> {
    let cases: Vec<RunCase> = from_js(env, "cases", cases)?;
    let custom: BTreeMap<String, testrelay::Polarity> =
        from_js_opt(env, "custom", custom)?.unwrap_or_default();
    to_js(&testrelay::run_stats(&cases, &custom))
}

/// A run's duration estimate from past durations per case id (`{"12": [ms, …]}`).
#[napi(
    catch_unwind,
    ts_args_type = "caseIds: number[], history?: Record<string, number[]> | null",
    ts_return_type = "Record<string, any>"
)]
pub fn estimate(env: &Env, case_ids: Unknown<'_>, history: Option<Unknown<'_>>) -> Result<Value> {
    let case_ids: Vec<u64> = from_js(env, "caseIds", case_ids)?;
    let history: BTreeMap<u64, Vec<f64>> = id_keys(
        "history",
        from_js_opt(env, "history", history)?.unwrap_or_default(),
    )?;
    to_js(&testrelay::estimate(&case_ids, &history))
}

/// Assigns cases to members (`INVALID_INPUT` when there are cases but no member).
#[napi(
    catch_unwind,
    ts_args_type = "caseIds: number[], members: string[], mode?: string | null, estimates?: Record<string, number> | null",
    ts_return_type = "Record<string, any>[]"
)]
pub fn assign(
    env: &Env,
    case_ids: Unknown<'_>,
    members: Vec<String>,
    mode: Option<Unknown<'_>>,
    estimates: Option<Unknown<'_>>,
) -> Result<Value> {
    let case_ids: Vec<u64> = from_js(env, "caseIds", case_ids)?;
    let mode: AssignMode = from_js_opt(env, "mode", mode)?.unwrap_or_default();
    let estimates: BTreeMap<u64, f64> = id_keys(
        "estimates",
        from_js_opt(env, "estimates", estimates)?.unwrap_or_default(),
    )?;
    let assignments =
        testrelay::assign(&case_ids, &members, mode, &estimates).map_err(from_core)?;
    to_js(&assignments)
}

/// A new run with the same cases, keeping the listed fields.
#[napi(
    catch_unwind,
    ts_args_type = "cases: object[], keep: string[]",
    ts_return_type = "Record<string, any>[]"
)]
pub fn clone_run(env: &Env, cases: Unknown<'_>, keep: Vec<String>) -> Result<Value> {
    let cases: Vec<RunCase> = from_js(env, "cases", cases)?;
    to_js(&testrelay::clone_run(&cases, &keep))
}

/// A retest run: the cases whose status is listed.
#[napi(
    catch_unwind,
    ts_args_type = "cases: object[], statuses: string[]",
    ts_return_type = "Record<string, any>[]"
)]
pub fn retest(env: &Env, cases: Unknown<'_>, statuses: Vec<String>) -> Result<Value> {
    let cases: Vec<RunCase> = from_js(env, "cases", cases)?;
    to_js(&testrelay::retest(&cases, &statuses))
}

/// QA Sphere: the case ids the query plans select in a snapshot, ascending.
#[napi(catch_unwind, ts_args_type = "snapshot: object, queryPlans: object[]")]
pub fn qs_resolve(env: &Env, snapshot: Unknown<'_>, query_plans: Unknown<'_>) -> Result<Vec<i64>> {
    let snapshot: QsSnapshot = from_js(env, "snapshot", snapshot)?;
    let plans: Vec<QueryPlan> = from_js(env, "queryPlans", query_plans)?;
    Ok(snapshot
        .resolve(&plans)
        .into_iter()
        .map(|id| id as i64)
        .collect())
}

/// QA Sphere: the rule violations of a run request, as data (`[{code, plan, message}]`).
#[napi(
    catch_unwind,
    ts_args_type = "request: object, existingTitles?: string[] | null",
    ts_return_type = "Record<string, any>[]"
)]
pub fn qs_validate(
    env: &Env,
    request: Unknown<'_>,
    existing_titles: Option<Vec<String>>,
) -> Result<Value> {
    let request: QsRunRequest = from_js(env, "request", request)?;
    to_js(&testrelay::validate_run(
        &request,
        &existing_titles.unwrap_or_default(),
    ))
}

/// QA Sphere: a run created from plans over a snapshot (`{type, query_plans, case_ids}`).
#[napi(
    catch_unwind,
    ts_args_type = "runType: string, queryPlans: object[], snapshot: object",
    ts_return_type = "Record<string, any>"
)]
pub fn qs_create_run(
    env: &Env,
    run_type: Unknown<'_>,
    query_plans: Unknown<'_>,
    snapshot: Unknown<'_>,
) -> Result<Value> {
    let run_type: QsRunType = from_js(env, "runType", run_type)?;
    let plans: Vec<QueryPlan> = from_js(env, "queryPlans", query_plans)?;
    let snapshot: QsSnapshot = from_js(env, "snapshot", snapshot)?;
    to_js(&QsRun::create(run_type, plans, &snapshot))
}

/// QA Sphere: a run's cases now, against the current snapshot.
#[napi(
    catch_unwind,
    ts_args_type = "run: object, current: object",
    ts_return_type = "{ case_ids: number[] }"
)]
pub fn qs_membership(env: &Env, run: Unknown<'_>, current: Unknown<'_>) -> Result<Value> {
    let run: QsRun = from_js(env, "run", run)?;
    let current: QsSnapshot = from_js(env, "current", current)?;
    to_js(&run.membership(&current))
}

/// QA Sphere: counts per status.
#[napi(
    catch_unwind,
    ts_args_type = "statuses: string[]",
    ts_return_type = "Record<string, any>"
)]
pub fn qs_status_counts(env: &Env, statuses: Unknown<'_>) -> Result<Value> {
    let statuses: Vec<QsStatus> = from_js(env, "statuses", statuses)?;
    to_js(&testrelay::status_counts(&statuses))
}

/// The final step of a shared run: may run `run_id` be completed, given every job's receipt?
/// `{run_id, complete, jobs, missing_jobs, lines}`.
#[napi(
    catch_unwind,
    ts_args_type = "input: { run_id: number; receipts: object[]; expected_jobs?: string[] | null }",
    ts_return_type = "{ run_id: number; complete: boolean; jobs: { job: string; delivered: boolean; short_by: number; never_reported: number; reason: string | null }[]; missing_jobs: string[]; lines: string[] }"
)]
pub fn decide_completion(env: &Env, input: Unknown<'_>) -> Result<Value> {
    to_js(&testrelay::api::completion(&from_js(
        env,
        "decideCompletion input",
        input,
    )?))
}
