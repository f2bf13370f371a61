//! The run session (SPEC §5), sans-IO: the host feeds facts in and drains actions with
//! `poll(now)` until `wait` or `finished` (see docs/api.md for the loop).

use crate::JsResult;
use crate::convert::{from_js, millis, to_js};
use crate::error::core_error;
use testrelay::{Config, Event, SessionOptions, Sources, TestResult};
use wasm_bindgen::prelude::*;

/// One reporter's run lifecycle.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Session {
    inner: testrelay::Session,
}

#[wasm_bindgen]
impl Session {
    /// Starts a session from configuration sources at host time `now` (ms).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Sources")] sources: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SessionOptions")] options: JsValue,
        now: f64,
    ) -> Result<Session, JsValue> {
        let sources: Sources = from_js("sources", sources)?;
        let options: SessionOptions = from_js("options", options)?;
        let (config, warnings) = Config::resolve(&sources);
        testrelay::Session::with_warnings(config, warnings, options, millis(now)?)
            .map(|inner| Session { inner })
            .map_err(core_error)
    }

    /// Feeds one fact (`{event: "http_response", …}`).
    pub fn handle(
        &mut self,
        now: f64,
        #[wasm_bindgen(unchecked_param_type = "Record<string, any>")] event: JsValue,
    ) -> Result<(), JsValue> {
        let event: Event = from_js("event", event)?;
        self.inner.handle(millis(now)?, event).map_err(core_error)
    }

    /// Feeds many finished tests in one crossing.
    #[wasm_bindgen(js_name = addResults)]
    pub fn add_results(
        &mut self,
        now: f64,
        #[wasm_bindgen(unchecked_param_type = "TestResult[]")] results: JsValue,
    ) -> Result<(), JsValue> {
        let results: Vec<TestResult> = from_js("results", results)?;
        self.inner
            .add_results(millis(now)?, results)
            .map_err(core_error)
    }

    /// The next action; drain until `wait` or `finished`.
    #[wasm_bindgen(unchecked_return_type = "Record<string, any>")]
    pub fn poll(&mut self, now: f64) -> JsResult {
        let now = millis(now)?;
        to_js(&self.inner.poll(now))
    }

    /// The run id, `null` until known.
    #[wasm_bindgen(getter = runId)]
    pub fn run_id(&self) -> Option<f64> {
        // Run ids are far below 2^53: exact as a JS number.
        self.inner.run_id().map(|id| id as f64)
    }

    /// The API token, for the `Token` header only; never log it.
    pub fn token(&self) -> Option<String> {
        self.inner.token().map(str::to_owned)
    }
}
