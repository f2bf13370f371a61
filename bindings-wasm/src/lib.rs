//! testrelay-wasm: the testrelay core for JavaScript through WebAssembly (wasm-bindgen),
//! conversion only. Names and shapes follow `docs/api.md`: camelCase functions, snake_case
//! data, `null` for absent values; errors are JS `Error`s with a stable `code`, as in the
//! Node binding. Each export is a short delegation to the core.

mod convert;
mod error;
mod matching;
mod runs;
mod session;

use convert::*;
use std::collections::BTreeMap;
use testrelay::{Outcome, Polarity, Policy, RunResult, StatusFilter, StatusMapping, TestResult};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// What every export returns: a JS value, or a JS `Error` with a `code`.
pub(crate) type JsResult = Result<JsValue, JsValue>;

/// Classifies one finished test (SPEC §2).
#[wasm_bindgen(unchecked_return_type = "Verdict")]
pub fn classify(
    #[wasm_bindgen(unchecked_param_type = "Outcome")] outcome: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Policy | null | undefined")] policy: JsValue,
) -> JsResult {
    let outcome: Outcome = from_js("outcome", outcome)?;
    let policy: Option<Policy> = from_js("policy", policy)?;
    to_js(&testrelay::classify(&outcome, &policy.unwrap_or_default()))
}

/// Classifies many finished tests in one crossing.
#[wasm_bindgen(js_name = classifyMany, unchecked_return_type = "Verdict[]")]
pub fn classify_many(
    #[wasm_bindgen(unchecked_param_type = "Outcome[]")] outcomes: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Policy | null | undefined")] policy: JsValue,
) -> JsResult {
    let outcomes: Vec<Outcome> = from_js("outcomes", outcomes)?;
    let policy: Option<Policy> = from_js("policy", policy)?;
    let policy = policy.unwrap_or_default();
    let verdicts: Vec<_> = outcomes
        .iter()
        .map(|o| testrelay::classify(o, &policy))
        .collect();
    to_js(&verdicts)
}

/// Parses `QASE_STATUS_MAPPING` text (`invalid=failed,blocked=skipped`).
#[wasm_bindgen(js_name = parseStatusMappingEnv, unchecked_return_type = "MappingParsed")]
pub fn parse_status_mapping_env(text: &str) -> JsResult {
    let (mapping, warnings) = StatusMapping::parse_env(text, "QASE_STATUS_MAPPING");
    to_js(&MappingParsed { mapping, warnings })
}

/// Parses a `statusMapping` JSON object.
#[wasm_bindgen(js_name = parseStatusMappingJson, unchecked_return_type = "MappingParsed")]
pub fn parse_status_mapping_json(
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] value: JsValue,
) -> JsResult {
    let value: serde_json::Value = from_js("statusMapping", value)?;
    let (mapping, warnings) = StatusMapping::parse_json(&value, "statusMapping");
    to_js(&MappingParsed { mapping, warnings })
}

/// Parses `QASE_TESTOPS_STATUS_FILTER` text (`skipped,blocked`).
#[wasm_bindgen(js_name = parseStatusFilterEnv, unchecked_return_type = "FilterParsed")]
pub fn parse_status_filter_env(text: &str) -> JsResult {
    let (filter, warnings) = StatusFilter::parse_env(text, "QASE_TESTOPS_STATUS_FILTER");
    to_js(&FilterParsed { filter, warnings })
}

/// Parses a `testops.statusFilter` JSON list.
#[wasm_bindgen(js_name = parseStatusFilterJson, unchecked_return_type = "FilterParsed")]
pub fn parse_status_filter_json(
    #[wasm_bindgen(unchecked_param_type = "string[]")] value: JsValue,
) -> JsResult {
    let value: serde_json::Value = from_js("testops.statusFilter", value)?;
    let (filter, warnings) = StatusFilter::parse_json(&value, "testops.statusFilter");
    to_js(&FilterParsed { filter, warnings })
}

/// Maps then filters a list of statuses (SPEC §3), with the debug trace.
#[wasm_bindgen(unchecked_return_type = "PipelineOutput")]
pub fn pipeline(
    #[wasm_bindgen(unchecked_param_type = "PipelineInput")] input: JsValue,
) -> JsResult {
    let input: PipelineInput = from_js("pipeline input", input)?;
    let (mapping, mut warnings) = StatusMapping::parse_json(&input.mapping, "statusMapping");
    let (filter, filter_warnings) = StatusFilter::parse_json(&input.filter, "testops.statusFilter");
    warnings.extend(filter_warnings);
    let mut trace = Vec::new();
    let statuses = input
        .statuses
        .iter()
        .map(|&s| testrelay::map_and_filter_traced(s, &mapping, &filter, &mut trace))
        .collect();
    to_js(&PipelineOutput {
        statuses,
        trace,
        warnings,
    })
}

/// How many results each upload carries when `results` arrive and the run ends.
#[wasm_bindgen(js_name = planBatches, unchecked_return_type = "BatchPlan")]
pub fn plan_batches(
    #[wasm_bindgen(js_name = batchSize, unchecked_param_type = "number")] batch_size: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] results: JsValue,
) -> JsResult {
    let requested: u64 = from_js("batchSize", batch_size)?;
    let results: usize = from_js("results", results)?;
    let (size, warning) = testrelay::clamp_batch_size(requested, "testops.batch.size");
    let batches = testrelay::plan_batches(size, results);
    to_js(&BatchPlan {
        batches,
        warnings: warning.into_iter().collect(),
    })
}

/// The failure links printed for one result (SPEC §5).
#[wasm_bindgen(js_name = failureLinks, unchecked_return_type = "string[]")]
pub fn failure_links(
    #[wasm_bindgen(unchecked_param_type = "LinksInput")] input: JsValue,
) -> JsResult {
    let input: LinksInput = from_js("failureLinks input", input)?;
    let r = &input.result;
    let ids = r.testops_ids.as_deref().unwrap_or_default();
    to_js(&testrelay::failure_links(
        &input.app,
        &input.project,
        input.run_id,
        ids,
        &r.title,
        r.status,
    ))
}

/// The run status at completion (SPEC §7): `"passed"` or `"failed"`.
#[wasm_bindgen(js_name = runStatus, unchecked_return_type = "Status")]
pub fn run_status(
    #[wasm_bindgen(unchecked_param_type = "RunResult[]")] results: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, Polarity> | null | undefined")]
    custom: JsValue,
) -> JsResult {
    let results: Vec<RunResult> = from_js("results", results)?;
    let custom: Option<BTreeMap<String, Polarity>> = from_js("custom", custom)?;
    to_js(&testrelay::run_status(
        &results,
        &custom.unwrap_or_default(),
    ))
}

/// The cross-product of picked configuration values, `[{group: value}]`.
#[wasm_bindgen(js_name = configurationProduct, unchecked_return_type = "Record<string, string>[]")]
pub fn configuration_product(
    #[wasm_bindgen(unchecked_param_type = "Record<string, string[]>")] groups: JsValue,
) -> JsResult {
    let groups = groups_in(from_js("groups", groups)?);
    to_js(&combinations_out(testrelay::configuration_product(&groups)))
}

/// What a reporter would decide for a list of results, before anything is sent.
#[wasm_bindgen(unchecked_return_type = "Preview")]
pub fn preview(
    #[wasm_bindgen(unchecked_param_type = "TestResult[]")] results: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PreviewSettings | null | undefined")] settings: JsValue,
) -> JsResult {
    let results: Vec<TestResult> = from_js("results", results)?;
    let settings: Option<testrelay::PreviewSettings> = from_js("settings", settings)?;
    to_js(&testrelay::preview(&results, &settings.unwrap_or_default()))
}

/// Resolves the configuration (SPEC §4): options < `qase.config.json` < `QASE_*` env < CLI.
#[wasm_bindgen(js_name = resolveConfig, unchecked_return_type = "ConfigResolved")]
pub fn resolve_config(
    #[wasm_bindgen(unchecked_param_type = "Sources")] sources: JsValue,
) -> JsResult {
    let sources: testrelay::Sources = from_js("sources", sources)?;
    let (config, warnings) = testrelay::Config::resolve(&sources);
    to_js(&ConfigResolved { config, warnings })
}

/// Reads a JUnit XML report: `{results, warnings}`; refused with `MALFORMED_REPORT` (with the
/// line) or `LIMIT_EXCEEDED`.
#[wasm_bindgen(js_name = importJunit, unchecked_return_type = "Imported")]
pub fn import_junit(xml: &str) -> JsResult {
    let (results, warnings) = testrelay::import_junit(xml).map_err(error::core_error)?;
    to_js(&ImportedOut { results, warnings })
}

/// Reads a Playwright JSON report (`--reporter=json`): `{results, warnings}`.
#[wasm_bindgen(js_name = importPlaywrightJson, unchecked_return_type = "Imported")]
pub fn import_playwright_json(text: &str) -> JsResult {
    let (results, warnings) = testrelay::import_playwright_json(text).map_err(error::core_error)?;
    to_js(&ImportedOut { results, warnings })
}

/// Reads a report (JUnit XML, Playwright JSON or a results list) and previews it in one
/// crossing: only the answer comes back to JavaScript.
#[wasm_bindgen(js_name = previewReport, unchecked_return_type = "Preview")]
pub fn preview_report(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "PreviewSettings | null | undefined")] settings: JsValue,
) -> JsResult {
    let settings: Option<testrelay::PreviewSettings> = from_js("settings", settings)?;
    let preview = testrelay::preview_report(text, &settings.unwrap_or_default());
    to_js(&preview.map_err(error::core_error)?)
}
