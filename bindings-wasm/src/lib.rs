//! testrelay-wasm: the testrelay core for JavaScript through WebAssembly (wasm-bindgen),
//! conversion only. Names and shapes follow `docs/api.md`: camelCase functions, snake_case
//! data, `null` for absent values; errors are JS `Error`s with a stable `code`, as in the
//! Node binding. Each export is a short delegation to the core.

// Without `full` only the preview page's export is built (see Cargo.toml).
#![cfg_attr(not(feature = "full"), allow(unused_imports))]

mod convert;
mod error;
#[cfg(feature = "full")]
mod host;
#[cfg(feature = "full")]
mod matching;
#[cfg(feature = "full")]
mod runs;
#[cfg(feature = "full")]
mod session;

use convert::*;
use std::collections::BTreeMap;
use testrelay::{Outcome, Polarity, Policy, RunResult, TestResult, api};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// What every export returns: a JS value, or a JS `Error` with a `code`.
pub(crate) type JsResult = Result<JsValue, JsValue>;

/// Classifies one finished test (SPEC §2).
#[cfg(feature = "full")]
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
#[cfg(feature = "full")]
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
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = parseStatusMappingEnv, unchecked_return_type = "MappingParsed")]
pub fn parse_status_mapping_env(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> JsResult {
    to_js(&api::parse_status_mapping_env(&text_arg("text", &text)?))
}

/// Parses a `statusMapping` JSON object.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = parseStatusMappingJson, unchecked_return_type = "MappingParsed")]
pub fn parse_status_mapping_json(
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] value: JsValue,
) -> JsResult {
    let value: serde_json::Value = from_js("statusMapping", value)?;
    to_js(&api::parse_status_mapping_json(&value))
}

/// Parses `QASE_TESTOPS_STATUS_FILTER` text (`skipped,blocked`).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = parseStatusFilterEnv, unchecked_return_type = "FilterParsed")]
pub fn parse_status_filter_env(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> JsResult {
    to_js(&api::parse_status_filter_env(&text_arg("text", &text)?))
}

/// Parses a `testops.statusFilter` JSON list.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = parseStatusFilterJson, unchecked_return_type = "FilterParsed")]
pub fn parse_status_filter_json(
    #[wasm_bindgen(unchecked_param_type = "string[]")] value: JsValue,
) -> JsResult {
    let value: serde_json::Value = from_js("testops.statusFilter", value)?;
    to_js(&api::parse_status_filter_json(&value))
}

/// Maps then filters a list of statuses (SPEC §3), with the debug trace.
#[cfg(feature = "full")]
#[wasm_bindgen(unchecked_return_type = "PipelineOutput")]
pub fn pipeline(
    #[wasm_bindgen(unchecked_param_type = "PipelineInput")] input: JsValue,
) -> JsResult {
    let input: api::PipelineInput = from_js("pipeline input", input)?;
    to_js(&api::pipeline(&input))
}

/// How many results each upload carries when `results` arrive and the run ends.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = planBatches, unchecked_return_type = "BatchPlan")]
pub fn plan_batches(
    #[wasm_bindgen(js_name = batchSize, unchecked_param_type = "number")] batch_size: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] results: JsValue,
) -> JsResult {
    let requested: i64 = from_js("batchSize", batch_size)?;
    let results: usize = from_js("results", results)?;
    to_js(&api::batch_plan(requested, results))
}

/// The failure links printed for one result (SPEC §5).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = failureLinks, unchecked_return_type = "string[]")]
pub fn failure_links(
    #[wasm_bindgen(unchecked_param_type = "LinksInput")] input: JsValue,
) -> JsResult {
    let input: api::FailureLinksInput = from_js("failureLinks input", input)?;
    to_js(&api::links(&input))
}

/// The run status at completion (SPEC §7): `"passed"` or `"failed"`.
#[cfg(feature = "full")]
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
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = configurationProduct, unchecked_return_type = "Record<string, string>[]")]
pub fn configuration_product(
    #[wasm_bindgen(unchecked_param_type = "Record<string, string[]>")] groups: JsValue,
) -> JsResult {
    to_js(&api::configurations(from_js("groups", groups)?))
}

/// What a reporter would decide for a list of results, before anything is sent.
#[cfg(feature = "full")]
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
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = resolveConfig, unchecked_return_type = "ConfigResolved")]
pub fn resolve_config(
    #[wasm_bindgen(unchecked_param_type = "Sources")] sources: JsValue,
) -> JsResult {
    let sources: testrelay::Sources = from_js("sources", sources)?;
    to_js(&api::resolve_config(&sources))
}

/// Reads a JUnit XML report: `{results, warnings}`; refused with `MALFORMED_REPORT` (with the
/// line) or `LIMIT_EXCEEDED`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = importJunit, unchecked_return_type = "Imported")]
pub fn import_junit(#[wasm_bindgen(unchecked_param_type = "string")] xml: JsValue) -> JsResult {
    to_js(&api::junit(&text_arg("xml", &xml)?).map_err(error::core_error)?)
}

/// Reads a Playwright JSON report (`--reporter=json`): `{results, warnings}`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = importPlaywrightJson, unchecked_return_type = "Imported")]
pub fn import_playwright_json(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> JsResult {
    let text = text_arg("text", &text)?;
    to_js(&api::playwright_json(&text).map_err(error::core_error)?)
}

/// Reads a report (JUnit XML, Playwright JSON or a results list) and previews it in one
/// crossing: only the answer comes back to JavaScript. Built without the `session-plan`
/// feature (the page's first module), the preview's `session` is always `null`.
#[wasm_bindgen(js_name = previewReport, unchecked_return_type = "Preview")]
pub fn preview_report(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PreviewSettings | null | undefined")] settings: JsValue,
) -> JsResult {
    let settings: Option<testrelay::PreviewSettings> = from_js("settings", settings)?;
    let text = text_arg("text", &text)?;
    #[cfg(feature = "session-plan")]
    let preview = testrelay::preview_report(&text, &settings.unwrap_or_default());
    #[cfg(not(feature = "session-plan"))]
    let preview = testrelay::preview_report_without_session(&text, &settings.unwrap_or_default());
    to_js(&preview.map_err(error::core_error)?)
}

/// The allocator: talc instead of std's dlmalloc, a smaller page module at the same speed
/// (`bindings-wasm/build.sh` prints the size). Single-threaded WASM only.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
