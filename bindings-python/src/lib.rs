//! testrelay-python: the Python binding of the testrelay core (module `testrelay._native`).
//! Conversion only: every function reads plain Python data into the core's serde shapes,
//! calls the core, and writes the answer back as plain data (see `docs/api.md`). Errors are
//! `TestrelayError` subclasses per core code (`error.rs`).

mod convert;
mod error;
mod files;
mod matching;
mod results;
mod session;

use convert::{from_py, text_arg, to_py};
use indexmap::IndexMap;
use pyo3::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use testrelay::api;
use testrelay::{
    AssignMode, Outcome, Polarity, Policy, QsRun, QsRunRequest, QsRunType, QsSnapshot, QsStatus,
    QueryPlan, RunCase, RunResult,
};

type Obj<'py> = Bound<'py, PyAny>;

/// Classifies one finished test: `{status, rule, evidence}`.
#[pyfunction]
#[pyo3(signature = (outcome, policy=None))]
fn classify<'py>(
    py: Python<'py>,
    outcome: &Obj<'py>,
    policy: Option<&Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let policy: Policy = policy.map_or_else(|| Ok(Policy::default()), |p| from_py(p, "policy"))?;
    let verdict = testrelay::classify(&from_py::<Outcome>(outcome, "outcome")?, &policy);
    to_py(py, &verdict)
}

/// Parses `QASE_STATUS_MAPPING` text: `{mapping, warnings}`.
#[pyfunction]
fn parse_status_mapping_env<'py>(py: Python<'py>, text: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(py, &api::parse_status_mapping_env(&text_arg(text, "text")?))
}

/// Parses a `statusMapping` JSON value: `{mapping, warnings}`.
#[pyfunction]
fn parse_status_mapping_json<'py>(py: Python<'py>, value: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(
        py,
        &api::parse_status_mapping_json(&from_py(value, "statusMapping")?),
    )
}

/// Parses `QASE_TESTOPS_STATUS_FILTER` text: `{filter, warnings}`.
#[pyfunction]
fn parse_status_filter_env<'py>(py: Python<'py>, text: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(py, &api::parse_status_filter_env(&text_arg(text, "text")?))
}

/// Parses a `testops.statusFilter` JSON value: `{filter, warnings}`.
#[pyfunction]
fn parse_status_filter_json<'py>(py: Python<'py>, value: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(
        py,
        &api::parse_status_filter_json(&from_py(value, "testops.statusFilter")?),
    )
}

/// Maps then filters a list of statuses: `{statuses: [status | None], trace, warnings}`.
#[pyfunction]
fn pipeline<'py>(py: Python<'py>, input: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(py, &api::pipeline(&from_py(input, "pipeline input")?))
}

/// How many results each upload carries: `{batches: [n], warnings}`.
#[pyfunction]
fn plan_batches<'py>(
    py: Python<'py>,
    batch_size: &Obj<'py>,
    results: &Obj<'py>,
) -> PyResult<Obj<'py>> {
    let batch_size: i64 = from_py(batch_size, "batch_size")?;
    to_py(
        py,
        &api::batch_plan(batch_size, from_py(results, "results")?),
    )
}

/// The failure links of one result: `[link]`.
#[pyfunction]
fn failure_links<'py>(py: Python<'py>, input: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(py, &api::links(&from_py(input, "failure_links input")?))
}

/// A run's status at completion: `"passed"` or `"failed"`.
#[pyfunction]
#[pyo3(signature = (results, custom=None))]
fn run_status<'py>(
    py: Python<'py>,
    results: &Obj<'py>,
    custom: Option<&Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let results: Vec<RunResult> = from_py(results, "results")?;
    let custom: BTreeMap<String, Polarity> =
        custom.map_or_else(|| Ok(BTreeMap::new()), |c| from_py(c, "custom"))?;
    to_py(py, &testrelay::run_status(&results, &custom))
}

/// The cross-product of picked configuration values: `[{group: value}]`.
#[pyfunction]
fn configuration_product<'py>(py: Python<'py>, groups: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(py, &api::configurations(from_py(groups, "groups")?))
}

/// Resolves the configuration from its sources: `{config, warnings}` (the token as `***`).
#[pyfunction]
fn resolve_config<'py>(py: Python<'py>, sources: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(py, &api::resolve_config(&from_py(sources, "sources")?))
}

/// The Python-flavour signature (qase-pytest's): ids, the node id's pieces, the params.
#[pyfunction]
fn python_signature(ids: Vec<u64>, node_id: &str, params: &Obj<'_>) -> PyResult<String> {
    let params: IndexMap<String, String> = from_py(params, "params")?;
    Ok(testrelay::python_signature(&ids, node_id, &params))
}

/// The JS-flavour signature (qase-javascript-commons'): ids, suite path, params.
#[pyfunction]
fn js_signature(ids: Vec<u64>, suites: Vec<String>, params: &Obj<'_>) -> PyResult<String> {
    let params: IndexMap<String, String> = from_py(params, "params")?;
    Ok(testrelay::js_signature(&ids, &suites, &params))
}

/// Case ids of a result from explicit ids and the title's marker: `{ids, title, warnings}`.
#[pyfunction]
#[pyo3(signature = (title, testops_ids=None))]
fn case_ids<'py>(
    py: Python<'py>,
    title: &str,
    testops_ids: Option<Vec<i64>>,
) -> PyResult<Obj<'py>> {
    let got = testrelay::case_ids(title, testops_ids.as_deref());
    to_py(
        py,
        &json!({ "ids": got.ids, "title": got.title, "warnings": got.warnings }),
    )
}

/// Counts and times of a run's cases: `{counts, completion, total_time, elapsed, ...}`.
#[pyfunction]
#[pyo3(signature = (cases, custom=None))]
fn run_stats<'py>(
    py: Python<'py>,
    cases: &Obj<'py>,
    custom: Option<&Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let cases: Vec<RunCase> = from_py(cases, "cases")?;
    let custom: BTreeMap<String, Polarity> =
        custom.map_or_else(|| Ok(BTreeMap::new()), |c| from_py(c, "custom"))?;
    to_py(py, &testrelay::run_stats(&cases, &custom))
}

/// A run's estimated time from the cases' past durations.
#[pyfunction]
#[pyo3(signature = (case_ids, history=None))]
fn estimate<'py>(
    py: Python<'py>,
    case_ids: Vec<u64>,
    history: Option<&Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let history: BTreeMap<u64, Vec<f64>> =
        history.map_or_else(|| Ok(BTreeMap::new()), |h| from_py(h, "history"))?;
    to_py(py, &testrelay::estimate(&case_ids, &history))
}

/// Assigns cases to members, even or load-balanced: `[{member, case_ids}]`.
#[pyfunction]
#[pyo3(signature = (case_ids, members, mode=None, estimates=None))]
fn assign<'py>(
    py: Python<'py>,
    case_ids: Vec<u64>,
    members: Vec<String>,
    mode: Option<&Obj<'py>>,
    estimates: Option<&Obj<'py>>,
) -> PyResult<Obj<'py>> {
    let mode: AssignMode =
        mode.map_or_else(|| Ok(AssignMode::default()), |m| from_py(m, "mode"))?;
    let estimates: BTreeMap<u64, f64> =
        estimates.map_or_else(|| Ok(BTreeMap::new()), |e| from_py(e, "estimates"))?;
    let assignments =
        testrelay::assign(&case_ids, &members, mode, &estimates).map_err(error::to_py)?;
    to_py(py, &assignments)
}

/// A clone of a run keeping only the results whose status is in `keep`.
#[pyfunction]
fn clone_run<'py>(py: Python<'py>, cases: &Obj<'py>, keep: Vec<String>) -> PyResult<Obj<'py>> {
    let cases: Vec<RunCase> = from_py(cases, "cases")?;
    to_py(py, &testrelay::clone_run(&cases, &keep))
}

/// A retest of the cases whose status is in `statuses` (old results kept in history).
#[pyfunction]
fn retest<'py>(py: Python<'py>, cases: &Obj<'py>, statuses: Vec<String>) -> PyResult<Obj<'py>> {
    let cases: Vec<RunCase> = from_py(cases, "cases")?;
    to_py(py, &testrelay::retest(&cases, &statuses))
}

/// QA Sphere: the case ids a list of query plans selects from a snapshot.
#[pyfunction]
fn qs_resolve<'py>(snapshot: &Obj<'py>, query_plans: &Obj<'py>) -> PyResult<Vec<u64>> {
    let snapshot: QsSnapshot = from_py(snapshot, "snapshot")?;
    Ok(snapshot.resolve(&from_py::<Vec<QueryPlan>>(query_plans, "query_plans")?))
}

/// QA Sphere: the rule violations of a run request: `[{code, plan, ...}]`.
#[pyfunction]
#[pyo3(signature = (request, existing_titles=None))]
fn qs_validate_run<'py>(
    py: Python<'py>,
    request: &Obj<'py>,
    existing_titles: Option<Vec<String>>,
) -> PyResult<Obj<'py>> {
    let request: QsRunRequest = from_py(request, "request")?;
    to_py(
        py,
        &testrelay::validate_run(&request, &existing_titles.unwrap_or_default()),
    )
}

/// QA Sphere: a run of `run_type` created from `query_plans` over `snapshot`.
#[pyfunction]
fn qs_create_run<'py>(
    py: Python<'py>,
    run_type: &Obj<'py>,
    query_plans: &Obj<'py>,
    snapshot: &Obj<'py>,
) -> PyResult<Obj<'py>> {
    let run_type: QsRunType = from_py(run_type, "type")?;
    let plans: Vec<QueryPlan> = from_py(query_plans, "query_plans")?;
    let snapshot: QsSnapshot = from_py(snapshot, "snapshot")?;
    to_py(py, &QsRun::create(run_type, plans, &snapshot))
}

/// QA Sphere: a created run's membership against the current snapshot.
#[pyfunction]
fn qs_membership<'py>(py: Python<'py>, run: &Obj<'py>, current: &Obj<'py>) -> PyResult<Obj<'py>> {
    let run: QsRun = from_py(run, "run")?;
    to_py(py, &run.membership(&from_py(current, "current")?))
}

/// QA Sphere: status counts of a run's results.
#[pyfunction]
fn qs_status_counts<'py>(py: Python<'py>, statuses: &Obj<'py>) -> PyResult<Obj<'py>> {
    let statuses: Vec<QsStatus> = from_py(statuses, "statuses")?;
    to_py(py, &testrelay::status_counts(&statuses))
}

/// May a shared run be completed, from the jobs' receipts: `{run_id, complete, jobs,
/// missing_jobs, lines}` (input `{run_id, receipts, expected_jobs}`).
#[pyfunction]
fn decide_completion<'py>(py: Python<'py>, input: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(
        py,
        &api::completion(&from_py(input, "decide_completion input")?),
    )
}

/// A result (a `TestResult` dict) with its runner-native facts (pytest phases) read, as the
/// session reads it.
#[pyfunction]
fn read_result<'py>(py: Python<'py>, result: &Obj<'py>) -> PyResult<Obj<'py>> {
    let result: testrelay::TestResult = from_py(result, "result")?;
    to_py(py, &api::read_result(&result))
}

/// The `qase.config.json` paths to try, in order, for the directories the host knows.
#[pyfunction]
fn config_file_candidates(dirs: &Obj<'_>) -> PyResult<Vec<String>> {
    Ok(api::config_files(&from_py::<Vec<String>>(dirs, "dirs")?))
}

/// A job's name in its receipt (`{env_job, shard, runner, instance}`).
#[pyfunction]
fn job_name(facts: &Obj<'_>) -> PyResult<String> {
    Ok(api::job(&from_py(facts, "job_name facts")?))
}

/// The name and text of one process's receipt file: `{name, body}`.
#[pyfunction]
fn receipt_file<'py>(py: Python<'py>, input: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(
        py,
        &api::receipt_file(&from_py(input, "receipt_file input")?),
    )
}

/// How long a host's end may wait for `finished` after `all_tests_done` (ms).
#[pyfunction]
fn end_wait_bound_ms(upload_deadline_ms: &Obj<'_>) -> PyResult<u64> {
    Ok(api::end_wait_bound(from_py(
        upload_deadline_ms,
        "upload_deadline_ms",
    )?))
}

/// The first step of `testrelay complete-run`: `{run_id, proceed, exit_code, lines, decision}`.
#[pyfunction]
fn complete_run_plan<'py>(py: Python<'py>, input: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(
        py,
        &api::complete_run_plan(&from_py(input, "complete_run_plan input")?),
    )
}

/// The exit status of `testrelay complete-run` from its session's receipt (`None`: none).
#[pyfunction]
fn complete_run_exit(receipt: &Obj<'_>) -> PyResult<u8> {
    let receipt: Option<testrelay::session::Receipt> = from_py(receipt, "receipt")?;
    Ok(api::complete_run_exit(receipt.as_ref()))
}

/// A JUnit XML report → `{results: [TestResult], warnings}`; malformed → `MalformedReportError`.
#[pyfunction]
fn import_junit<'py>(py: Python<'py>, xml: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(
        py,
        &api::junit(&text_arg(xml, "xml")?).map_err(error::to_py)?,
    )
}

/// A Playwright JSON report (text) → `{results: [TestResult], warnings}`.
#[pyfunction]
fn import_playwright_json<'py>(py: Python<'py>, text: &Obj<'py>) -> PyResult<Obj<'py>> {
    let text = text_arg(text, "text")?;
    to_py(py, &api::playwright_json(&text).map_err(error::to_py)?)
}

/// Checks `results` (a list of `TestResult` dicts) as `Session.add_results` reads them,
/// without a session: `None`, or `InvalidInputError`.
#[pyfunction]
fn validate_results(results: &Obj<'_>) -> PyResult<()> {
    results::read(results).map(drop)
}

/// Performs a `write_files` action (host IO, with the GIL released):
/// the event to feed back, `report_written` or `report_failed`.
#[pyfunction]
fn write_files<'py>(py: Python<'py>, action: &Obj<'py>) -> PyResult<Obj<'py>> {
    let write: testrelay::session::FileWrite = from_py(action, "write_files action")?;
    let event = py.detach(|| files::perform(&write));
    to_py(py, &event)
}

/// The native module: every function of the core's pure API, and the error classes.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    error::register(m)?;
    // A panic in the native code (a testrelay bug) raises pyo3's `PanicException`, a
    // `BaseException` (as `SystemExit` is) that `except Exception` lets through: exported so
    // hosts can catch it by name at their top level (docs/api.md, first paragraph).
    m.add(
        "PanicException",
        m.py().get_type::<pyo3::panic::PanicException>(),
    )?;
    // Where a header value of an `http` / `multipart` action takes the API token.
    m.add("TOKEN_PLACEHOLDER", testrelay::session::TOKEN_PLACEHOLDER)?;
    m.add_function(wrap_pyfunction!(classify, m)?)?;
    m.add_function(wrap_pyfunction!(parse_status_mapping_env, m)?)?;
    m.add_function(wrap_pyfunction!(parse_status_mapping_json, m)?)?;
    m.add_function(wrap_pyfunction!(parse_status_filter_env, m)?)?;
    m.add_function(wrap_pyfunction!(parse_status_filter_json, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline, m)?)?;
    m.add_function(wrap_pyfunction!(plan_batches, m)?)?;
    m.add_function(wrap_pyfunction!(failure_links, m)?)?;
    m.add_function(wrap_pyfunction!(run_status, m)?)?;
    m.add_function(wrap_pyfunction!(configuration_product, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_config, m)?)?;
    m.add_function(wrap_pyfunction!(python_signature, m)?)?;
    m.add_function(wrap_pyfunction!(js_signature, m)?)?;
    m.add_function(wrap_pyfunction!(case_ids, m)?)?;
    m.add_function(wrap_pyfunction!(validate_results, m)?)?;
    m.add_function(wrap_pyfunction!(write_files, m)?)?;
    m.add_class::<session::Session>()?;
    m.add_class::<matching::CaseIndex>()?;
    m.add_function(wrap_pyfunction!(matching::match_settings_warnings, m)?)?;
    m.add_function(wrap_pyfunction!(run_stats, m)?)?;
    m.add_function(wrap_pyfunction!(estimate, m)?)?;
    m.add_function(wrap_pyfunction!(assign, m)?)?;
    m.add_function(wrap_pyfunction!(clone_run, m)?)?;
    m.add_function(wrap_pyfunction!(retest, m)?)?;
    m.add_function(wrap_pyfunction!(qs_resolve, m)?)?;
    m.add_function(wrap_pyfunction!(qs_validate_run, m)?)?;
    m.add_function(wrap_pyfunction!(qs_create_run, m)?)?;
    m.add_function(wrap_pyfunction!(qs_membership, m)?)?;
    m.add_function(wrap_pyfunction!(qs_status_counts, m)?)?;
    m.add_function(wrap_pyfunction!(decide_completion, m)?)?;
    m.add_function(wrap_pyfunction!(config_file_candidates, m)?)?;
    m.add_function(wrap_pyfunction!(read_result, m)?)?;
    m.add_function(wrap_pyfunction!(job_name, m)?)?;
    m.add_function(wrap_pyfunction!(receipt_file, m)?)?;
    m.add_function(wrap_pyfunction!(end_wait_bound_ms, m)?)?;
    m.add_function(wrap_pyfunction!(complete_run_plan, m)?)?;
    m.add_function(wrap_pyfunction!(complete_run_exit, m)?)?;
    m.add_function(wrap_pyfunction!(import_junit, m)?)?;
    m.add_function(wrap_pyfunction!(import_playwright_json, m)?)?;
    Ok(())
}
