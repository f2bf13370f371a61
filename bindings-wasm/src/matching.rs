//! Case matching (SPEC §6), signatures (§8) and case ids from titles: `CaseIndex` built once
//! from a repository snapshot, then asked per result or for a whole plan.

use crate::JsResult;
use crate::convert::{CaseIdsOut, from_js, text_arg, to_js};
use indexmap::IndexMap;
use testrelay::{Decision, MatchSettings, RepoCase, ResultFacts};
use wasm_bindgen::prelude::*;

/// An index over a repository snapshot (a list of cases).
#[wasm_bindgen]
#[derive(Debug)]
pub struct CaseIndex {
    inner: testrelay::CaseIndex,
}

#[wasm_bindgen]
impl CaseIndex {
    /// Builds the index from `cases` (`[{id, title, suite, …}]`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "RepoCase[]")] cases: JsValue,
    ) -> Result<CaseIndex, JsValue> {
        let cases: Vec<RepoCase> = from_js("cases", cases)?;
        Ok(CaseIndex {
            inner: testrelay::CaseIndex::build(cases),
        })
    }

    /// Links one result: `{decision: "linked"|"create"|"caseless", …}`.
    #[wasm_bindgen(js_name = matchResult, unchecked_return_type = "Record<string, any>")]
    pub fn match_result(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResultFacts")] result: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MatchSettings | null | undefined")]
        settings: JsValue,
    ) -> JsResult {
        let result: ResultFacts = from_js("result", result)?;
        let settings: Option<MatchSettings> = from_js("settings", settings)?;
        to_js(
            &self
                .inner
                .match_result(&result, &settings.unwrap_or_default()),
        )
    }

    /// The title the result displays under that decision.
    #[wasm_bindgen(js_name = displayTitle)]
    pub fn display_title(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResultFacts")] result: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Record<string, any>")] decision: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MatchSettings | null | undefined")]
        settings: JsValue,
    ) -> Result<String, JsValue> {
        let result: ResultFacts = from_js("result", result)?;
        let decision: Decision = from_js("decision", decision)?;
        let settings: Option<MatchSettings> = from_js("settings", settings)?;
        let settings = settings.unwrap_or_default();
        Ok(self
            .inner
            .display_title(&result, &decision, &settings)
            .to_owned())
    }

    /// The plan for a whole run: decisions, new cases, updates, totals, warnings.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn plan(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResultFacts[]")] results: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MatchSettings | null | undefined")]
        settings: JsValue,
    ) -> JsResult {
        let results: Vec<ResultFacts> = from_js("results", results)?;
        let settings: Option<MatchSettings> = from_js("settings", settings)?;
        to_js(&self.inner.plan(&results, &settings.unwrap_or_default()))
    }
}

/// Warnings about contradicting match settings.
#[wasm_bindgen(js_name = matchSettingsWarnings, unchecked_return_type = "Warning[]")]
pub fn match_settings_warnings(
    #[wasm_bindgen(unchecked_param_type = "MatchSettings")] settings: JsValue,
) -> JsResult {
    let settings: MatchSettings = from_js("settings", settings)?;
    to_js(&settings.warnings())
}

/// The JS-flavour signature (Playwright), as the official reporter computes it.
#[wasm_bindgen(js_name = jsSignature)]
pub fn js_signature(
    #[wasm_bindgen(unchecked_param_type = "number[]")] ids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] suites: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] params: JsValue,
) -> Result<String, JsValue> {
    let ids: Vec<u64> = from_js("ids", ids)?;
    let suites: Vec<String> = from_js("suites", suites)?;
    let params: IndexMap<String, String> = from_js("params", params)?;
    Ok(testrelay::js_signature(&ids, &suites, &params))
}

/// The Python-flavour signature (pytest), as the official reporter computes it.
#[wasm_bindgen(js_name = pythonSignature)]
pub fn python_signature(
    #[wasm_bindgen(unchecked_param_type = "number[]")] ids: JsValue,
    #[wasm_bindgen(js_name = nodeId, unchecked_param_type = "string")] node_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] params: JsValue,
) -> Result<String, JsValue> {
    let ids: Vec<u64> = from_js("ids", ids)?;
    let params: IndexMap<String, String> = from_js("params", params)?;
    let node_id = text_arg("nodeId", &node_id)?;
    Ok(testrelay::python_signature(&ids, &node_id, &params))
}

/// Case ids from a title (and explicit ids): `{ids, title, warnings}`.
#[wasm_bindgen(js_name = caseIds, unchecked_return_type = "{ ids: number[]; title: string; warnings: Warning[] }")]
pub fn case_ids(
    #[wasm_bindgen(unchecked_param_type = "string")] title: JsValue,
    #[wasm_bindgen(js_name = testopsIds, unchecked_param_type = "number[] | null | undefined")]
    testops_ids: JsValue,
) -> JsResult {
    let explicit: Option<Vec<i64>> = from_js("testopsIds", testops_ids)?;
    let got = testrelay::case_ids(&text_arg("title", &title)?, explicit.as_deref());
    to_js(&CaseIdsOut {
        ids: got.ids,
        title: got.title,
        warnings: got.warnings,
    })
}
