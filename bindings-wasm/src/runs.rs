//! Test runs (SPEC §7): statistics, estimation, assignment, clone and retest; QA Sphere run
//! plans; completion of a run shared by several jobs.

use crate::JsResult;
use crate::convert::{from_js, id_keys, to_js, to_js_keyed};
use crate::error::core_error;
use std::collections::BTreeMap;
use testrelay::{
    AssignMode, Polarity, QsRun, QsRunRequest, QsRunType, QsSnapshot, QsStatus, QueryPlan, RunCase,
};
use wasm_bindgen::prelude::*;

/// Counts per status, completion, total and elapsed time of a run's cases.
#[wasm_bindgen(js_name = runStats, unchecked_return_type = "Record<string, any>")]
pub fn run_stats(
    #[wasm_bindgen(unchecked_param_type = "RunCase[]")] cases: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, Polarity> | null | undefined")]
    custom: JsValue,
) -> JsResult {
    let cases: Vec<RunCase> = from_js("cases", cases)?;
    let custom: Option<BTreeMap<String, Polarity>> = from_js("custom", custom)?;
    to_js(&testrelay::run_stats(&cases, &custom.unwrap_or_default()))
}

/// The estimated duration of `caseIds` from their past durations (`{id: [ms]}`).
#[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
pub fn estimate(
    #[wasm_bindgen(js_name = caseIds, unchecked_param_type = "number[]")] case_ids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, number[]> | null | undefined")]
    history: JsValue,
) -> JsResult {
    let case_ids: Vec<u64> = from_js("caseIds", case_ids)?;
    let history: Option<BTreeMap<String, Vec<f64>>> = from_js("history", history)?;
    let history = id_keys("history", history.unwrap_or_default())?;
    to_js_keyed(&testrelay::estimate(&case_ids, &history))
}

/// Assigns cases to members, evenly or by estimated time.
#[wasm_bindgen(unchecked_return_type = "Record<string, any>[]")]
pub fn assign(
    #[wasm_bindgen(js_name = caseIds, unchecked_param_type = "number[]")] case_ids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] members: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] mode: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, number> | null | undefined")]
    estimates: JsValue,
) -> JsResult {
    let case_ids: Vec<u64> = from_js("caseIds", case_ids)?;
    let members: Vec<String> = from_js("members", members)?;
    let mode: Option<AssignMode> = from_js("mode", mode)?;
    let estimates: Option<BTreeMap<String, f64>> = from_js("estimates", estimates)?;
    let estimates = id_keys("estimates", estimates.unwrap_or_default())?;
    let assignments = testrelay::assign(&case_ids, &members, mode.unwrap_or_default(), &estimates)
        .map_err(core_error)?;
    to_js(&assignments)
}

/// A clone of a run keeping only results whose status is in `keep`.
#[wasm_bindgen(js_name = cloneRun, unchecked_return_type = "Record<string, any>[]")]
pub fn clone_run(
    #[wasm_bindgen(unchecked_param_type = "RunCase[]")] cases: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] keep: JsValue,
) -> JsResult {
    let cases: Vec<RunCase> = from_js("cases", cases)?;
    let keep: Vec<String> = from_js("keep", keep)?;
    to_js(&testrelay::clone_run(&cases, &keep))
}

/// Retest of the cases whose status is in `statuses` (old results kept in history).
#[wasm_bindgen(unchecked_return_type = "Record<string, any>[]")]
pub fn retest(
    #[wasm_bindgen(unchecked_param_type = "RunCase[]")] cases: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] statuses: JsValue,
) -> JsResult {
    let cases: Vec<RunCase> = from_js("cases", cases)?;
    let statuses: Vec<String> = from_js("statuses", statuses)?;
    to_js(&testrelay::retest(&cases, &statuses))
}

/// The case ids a QA Sphere query plan list selects from a snapshot.
#[wasm_bindgen(js_name = qsResolve, unchecked_return_type = "number[]")]
pub fn qs_resolve(
    #[wasm_bindgen(unchecked_param_type = "Record<string, any>")] snapshot: JsValue,
    #[wasm_bindgen(js_name = queryPlans, unchecked_param_type = "Record<string, any>[]")]
    query_plans: JsValue,
) -> JsResult {
    let snapshot: QsSnapshot = from_js("snapshot", snapshot)?;
    let plans: Vec<QueryPlan> = from_js("queryPlans", query_plans)?;
    to_js(&snapshot.resolve(&plans))
}

/// The rules a QA Sphere run request breaks (empty when valid).
#[wasm_bindgen(js_name = qsValidate, unchecked_return_type = "Record<string, any>[]")]
pub fn qs_validate(
    #[wasm_bindgen(unchecked_param_type = "Record<string, any>")] request: JsValue,
    #[wasm_bindgen(js_name = existingTitles, unchecked_param_type = "string[] | null | undefined")]
    existing_titles: JsValue,
) -> JsResult {
    let request: QsRunRequest = from_js("request", request)?;
    let existing: Option<Vec<String>> = from_js("existingTitles", existing_titles)?;
    to_js(&testrelay::validate_run(
        &request,
        &existing.unwrap_or_default(),
    ))
}

/// A QA Sphere run created from query plans over a snapshot.
#[wasm_bindgen(js_name = qsCreateRun, unchecked_return_type = "Record<string, any>")]
pub fn qs_create_run(
    #[wasm_bindgen(js_name = runType, unchecked_param_type = "string")] run_type: JsValue,
    #[wasm_bindgen(js_name = queryPlans, unchecked_param_type = "Record<string, any>[]")]
    query_plans: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, any>")] snapshot: JsValue,
) -> JsResult {
    let run_type: QsRunType = from_js("runType", run_type)?;
    let plans: Vec<QueryPlan> = from_js("queryPlans", query_plans)?;
    let snapshot: QsSnapshot = from_js("snapshot", snapshot)?;
    to_js(&QsRun::create(run_type, plans, &snapshot))
}

/// A QA Sphere run's membership against the current snapshot.
#[wasm_bindgen(js_name = qsMembership, unchecked_return_type = "{ case_ids: number[] }")]
pub fn qs_membership(
    #[wasm_bindgen(unchecked_param_type = "Record<string, any>")] run: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, any>")] current: JsValue,
) -> JsResult {
    let run: QsRun = from_js("run", run)?;
    let current: QsSnapshot = from_js("current", current)?;
    to_js(&run.membership(&current))
}

/// QA Sphere statusCounts of a list of statuses.
#[wasm_bindgen(js_name = qsStatusCounts, unchecked_return_type = "Record<string, any>")]
pub fn qs_status_counts(
    #[wasm_bindgen(unchecked_param_type = "string[]")] statuses: JsValue,
) -> JsResult {
    let statuses: Vec<QsStatus> = from_js("statuses", statuses)?;
    to_js(&testrelay::status_counts(&statuses))
}

/// Whether a run shared by several jobs may be completed, from the jobs' receipts.
#[wasm_bindgen(js_name = decideCompletion, unchecked_return_type = "Record<string, any>")]
pub fn decide_completion(
    #[wasm_bindgen(
        unchecked_param_type = "{ run_id: number; receipts: object[]; expected_jobs?: string[] | null }"
    )]
    input: JsValue,
) -> JsResult {
    let input: crate::convert::CompletionInput = from_js("decideCompletion input", input)?;
    let decision =
        testrelay::decide_completion(input.run_id, &input.receipts, &input.expected_jobs);
    to_js(&decision)
}
