//! The `Session` class: the core's run session with JS values in and out (docs/api.md).

use crate::convert::{from_js, to_js};
use crate::error::{Result, from_core, invalid_input};
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;
use serde_json::Value;
use testrelay::{Config, Event, SessionOptions, Sources, TestResult};

/// Benchmark aid: reads `results` exactly as `Session.addResults` does (same errors), then
/// drops them; answers how many were read. It lets the benchmark split the bulk call's cost
/// between the JS → Rust conversion and the core session.
#[napi(
    catch_unwind,
    js_name = "_readResults",
    ts_args_type = "results: TestResult[]"
)]
pub fn read_results(env: &Env, results: Unknown<'_>) -> Result<u32> {
    let results: Vec<TestResult> = from_js(env, "results", results)?;
    Ok(u32::try_from(results.len()).unwrap_or(u32::MAX))
}

/// Test aid: panics inside the binding, so the tests can check that a panic in the native
/// code (a testrelay bug) reaches JS as a thrown `Error` (`catch_unwind` on every export), not
/// as an abort of the host process.
#[napi(catch_unwind, js_name = "_panicForTests")]
pub fn panic_for_tests() -> Result<()> {
    panic!("testrelay: a panic the tests asked for")
}

/// The sans-IO run session. After every `handle`/`addResults`, call `poll(now)` until it
/// answers `wait` or `finished`; perform every action and feed back what happened.
#[napi]
#[derive(Debug)]
pub struct Session {
    inner: testrelay::Session,
}

fn ms(now: i64) -> Result<u64> {
    u64::try_from(now).map_err(|e| invalid_input("now", e))
}

#[napi]
impl Session {
    /// A session for the configuration resolved from `sources`; the resolution warnings come
    /// out once each as `log` actions. `options`: `{instance, shard?, receipts?, worker?}`
    /// (docs/api.md `SessionOptions`).
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "sources: Sources, options: SessionOptions, now: number"
    )]
    pub fn new(env: &Env, sources: Unknown<'_>, options: Unknown<'_>, now: i64) -> Result<Self> {
        let sources: Sources = from_js(env, "sources", sources)?;
        let options: SessionOptions = from_js(env, "options", options)?;
        let (config, warnings) = Config::resolve(&sources);
        testrelay::Session::with_warnings(config, warnings, options, ms(now)?)
            .map(|inner| Session { inner })
            .map_err(from_core)
    }

    /// Feeds one event (`{event: "http_response", …}`).
    #[napi(catch_unwind, ts_args_type = "now: number, event: SessionEvent")]
    pub fn handle(&mut self, env: &Env, now: i64, event: Unknown<'_>) -> Result<()> {
        let event: Event = from_js(env, "event", event)?;
        self.inner.handle(ms(now)?, event).map_err(from_core)
    }

    /// Feeds many finished tests in one call (bulk `test_finished`).
    #[napi(catch_unwind, ts_args_type = "now: number, results: TestResult[]")]
    pub fn add_results(&mut self, env: &Env, now: i64, results: Unknown<'_>) -> Result<()> {
        let results: Vec<TestResult> = from_js(env, "results", results)?;
        self.inner.add_results(ms(now)?, results).map_err(from_core)
    }

    /// The next action.
    #[napi(catch_unwind, ts_return_type = "SessionAction")]
    pub fn poll(&mut self, now: i64) -> Result<Value> {
        let action = self.inner.poll(ms(now)?);
        to_js(&action)
    }

    /// The run id, `null` until known; export it for workers and shards.
    #[napi(catch_unwind, getter)]
    pub fn run_id(&self) -> Option<f64> {
        self.inner.run_id().map(|id| id as f64)
    }

    /// The API token, for the `Token` header only. Never log it.
    #[napi(catch_unwind)]
    pub fn token(&self) -> Option<String> {
        self.inner.token().map(str::to_owned)
    }
}
