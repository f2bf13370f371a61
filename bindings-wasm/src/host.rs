//! What a host would otherwise decide for itself (SPEC §13), for JavaScript hosts that run
//! on WASM: the same functions as the Node binding's. Conversion only.

use crate::JsResult;
use crate::convert::{from_js, to_js};
use testrelay::api;
use wasm_bindgen::prelude::*;

/// The `qase.config.json` paths to try, in order, for the directories the host knows.
#[wasm_bindgen(js_name = configFileCandidates, unchecked_return_type = "string[]")]
pub fn config_file_candidates(
    #[wasm_bindgen(unchecked_param_type = "string[]")] dirs: JsValue,
) -> JsResult {
    let dirs: Vec<String> = from_js("dirs", dirs)?;
    to_js(&api::config_files(&dirs))
}

/// A job's name in its receipt.
#[wasm_bindgen(js_name = jobName, unchecked_return_type = "string")]
pub fn job_name(#[wasm_bindgen(unchecked_param_type = "JobFacts")] facts: JsValue) -> JsResult {
    to_js(&api::job(&from_js("jobName facts", facts)?))
}

/// The name and text of one process's receipt file.
#[wasm_bindgen(js_name = receiptFile, unchecked_return_type = "{ name: string; body: string }")]
pub fn receipt_file(
    #[wasm_bindgen(unchecked_param_type = "Record<string, any>")] input: JsValue,
) -> JsResult {
    to_js(&api::receipt_file(&from_js("receiptFile input", input)?))
}

/// How long a host's end may wait for `finished` after `all_tests_done` (ms).
#[wasm_bindgen(js_name = endWaitBoundMs, unchecked_return_type = "number")]
pub fn end_wait_bound_ms(
    #[wasm_bindgen(js_name = uploadDeadlineMs, unchecked_param_type = "number")]
    upload_deadline_ms: JsValue,
) -> JsResult {
    let deadline: u64 = from_js("uploadDeadlineMs", upload_deadline_ms)?;
    to_js(&api::end_wait_bound(deadline))
}

/// The first step of `testrelay complete-run`.
#[wasm_bindgen(js_name = completeRunPlan, unchecked_return_type = "Record<string, any>")]
pub fn complete_run_plan(
    #[wasm_bindgen(unchecked_param_type = "Record<string, any>")] input: JsValue,
) -> JsResult {
    to_js(&api::complete_run_plan(&from_js(
        "completeRunPlan input",
        input,
    )?))
}

/// The exit status of `testrelay complete-run` from its session's receipt (`null`: none).
#[wasm_bindgen(js_name = completeRunExit, unchecked_return_type = "number")]
pub fn complete_run_exit(
    #[wasm_bindgen(unchecked_param_type = "Record<string, any> | null")] receipt: JsValue,
) -> JsResult {
    let receipt: Option<testrelay::session::Receipt> = from_js("receipt", receipt)?;
    to_js(&api::complete_run_exit(receipt.as_ref()))
}

/// A result with its runner-native facts (pytest phases) read, as the session reads it.
#[wasm_bindgen(js_name = readResult, unchecked_return_type = "TestResult")]
pub fn read_result(
    #[wasm_bindgen(unchecked_param_type = "TestResult")] result: JsValue,
) -> JsResult {
    let result: testrelay::TestResult = from_js("result", result)?;
    to_js(&api::read_result(&result))
}
