//! Case matching (SPEC §6): a `CaseIndex` class built once from a repository snapshot, and
//! signatures and case ids from titles.

use crate::convert::{from_js, from_js_opt, to_js};
use crate::error::Result;
use indexmap::IndexMap;
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;
use serde_json::{Value, json};
use testrelay::{Decision, MatchSettings, RepoCase, ResultFacts};

/// The repository's cases, indexed by id and by title + suite path.
#[napi]
#[derive(Debug)]
pub struct CaseIndex {
    inner: testrelay::CaseIndex,
}

#[napi]
impl CaseIndex {
    /// Builds the index from `[{id, title, suite, …}]`.
    #[napi(catch_unwind, constructor, ts_args_type = "cases: object[]")]
    pub fn new(env: &Env, cases: Unknown<'_>) -> Result<Self> {
        let cases: Vec<RepoCase> = from_js(env, "cases", cases)?;
        Ok(CaseIndex {
            inner: testrelay::CaseIndex::build(cases),
        })
    }

    /// The decision for one result: `{decision: "linked" | "create" | "caseless", …}`.
    #[napi(
        catch_unwind,
        ts_args_type = "result: object, settings?: object | null",
        ts_return_type = "Record<string, any>"
    )]
    pub fn match_result(
        &self,
        env: &Env,
        result: Unknown<'_>,
        settings: Option<Unknown<'_>>,
    ) -> Result<Value> {
        let result: ResultFacts = from_js(env, "result", result)?;
        let settings: MatchSettings = from_js_opt(env, "settings", settings)?.unwrap_or_default();
        to_js(&self.inner.match_result(&result, &settings))
    }

    /// The title a result is shown with, given its decision.
    #[napi(
        catch_unwind,
        ts_args_type = "result: object, decision: object, settings?: object | null"
    )]
    pub fn display_title(
        &self,
        env: &Env,
        result: Unknown<'_>,
        decision: Unknown<'_>,
        settings: Option<Unknown<'_>>,
    ) -> Result<String> {
        let result: ResultFacts = from_js(env, "result", result)?;
        let decision: Decision = from_js(env, "decision", decision)?;
        let settings: MatchSettings = from_js_opt(env, "settings", settings)?.unwrap_or_default();
        Ok(self
            .inner
            .display_title(&result, &decision, &settings)
            .to_owned())
    }

    /// The sync plan for many results: decisions, cases to create and totals.
    #[napi(
        catch_unwind,
        ts_args_type = "results: object[], settings?: object | null",
        ts_return_type = "Record<string, any>"
    )]
    pub fn plan(
        &self,
        env: &Env,
        results: Unknown<'_>,
        settings: Option<Unknown<'_>>,
    ) -> Result<Value> {
        let results: Vec<ResultFacts> = from_js(env, "results", results)?;
        let settings: MatchSettings = from_js_opt(env, "settings", settings)?.unwrap_or_default();
        to_js(&self.inner.plan(&results, &settings))
    }
}

/// The warnings of matching settings (e.g. an unknown `create_from`).
#[napi(
    catch_unwind,
    ts_args_type = "settings: object",
    ts_return_type = "Warning[]"
)]
pub fn match_settings_warnings(env: &Env, settings: Unknown<'_>) -> Result<Value> {
    let settings: MatchSettings = from_js(env, "settings", settings)?;
    to_js(&settings.warnings())
}

/// The JS-flavour signature: case ids, suite path, parameters (insertion order).
#[napi(
    catch_unwind,
    ts_args_type = "ids: number[], suites: string[], params: Record<string, string>"
)]
pub fn js_signature(
    env: &Env,
    ids: Unknown<'_>,
    suites: Unknown<'_>,
    params: Unknown<'_>,
) -> Result<String> {
    let ids: Vec<u64> = from_js(env, "ids", ids)?;
    let suites: Vec<String> = from_js(env, "suites", suites)?;
    let params: IndexMap<String, String> = from_js(env, "params", params)?;
    Ok(testrelay::js_signature(&ids, &suites, &params))
}

/// The Python-flavour signature: case ids, pytest node id, parameters (insertion order).
#[napi(
    catch_unwind,
    ts_args_type = "ids: number[], nodeId: string, params: Record<string, string>"
)]
pub fn python_signature(
    env: &Env,
    ids: Unknown<'_>,
    node_id: String,
    params: Unknown<'_>,
) -> Result<String> {
    let ids: Vec<u64> = from_js(env, "ids", ids)?;
    let params: IndexMap<String, String> = from_js(env, "params", params)?;
    Ok(testrelay::python_signature(&ids, &node_id, &params))
}

/// Case ids from explicit ids and the title's `(Qase ID: 1,2)` marker: `{ids, title, warnings}`.
#[napi(
    catch_unwind,
    ts_args_type = "title: string, testopsIds?: number[] | null",
    ts_return_type = "{ ids: number[]; title: string; warnings: Warning[] }"
)]
pub fn case_ids(env: &Env, title: String, testops_ids: Option<Unknown<'_>>) -> Result<Value> {
    let explicit: Option<Vec<i64>> =
        from_js_opt::<Option<Vec<i64>>>(env, "testopsIds", testops_ids)?.flatten();
    let got = testrelay::case_ids(&title, explicit.as_deref());
    Ok(json!({ "ids": got.ids, "title": got.title, "warnings": got.warnings }))
}
