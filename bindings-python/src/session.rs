//! `Session`: the sans-IO run lifecycle. Events and actions cross as plain dicts in the
//! serde shapes of docs/api.md; `add_results` takes a list so a batch crosses once.

use crate::convert::{from_py, to_py};
use crate::error::to_py as err;
use pyo3::prelude::*;
use testrelay::session::Action;
use testrelay::{Config, Sources};
use testrelay::{Event, Session as Core, SessionOptions};

/// A run session. After every `handle`/`add_results`, drain `poll(now)` until it answers
/// `wait` or `finished`, performing every action and feeding back what happened.
#[pyclass(module = "testrelay")]
#[derive(Debug)]
pub struct Session(Core);

#[pymethods]
impl Session {
    /// A session for configuration `sources` (`{options, file, env, cli}`); the resolution
    /// warnings come out once as `log` actions.
    #[new]
    fn new(sources: &Bound<'_, PyAny>, options: &Bound<'_, PyAny>, now_ms: u64) -> PyResult<Self> {
        let (config, warnings) = Config::resolve(&from_py::<Sources>(sources, "sources")?);
        let options: SessionOptions = from_py(options, "options")?;
        Core::with_warnings(config, warnings, options, now_ms)
            .map(Session)
            .map_err(err)
    }

    /// Feeds one fact (`{"event": name, ...}`).
    fn handle(&mut self, now_ms: u64, event: &Bound<'_, PyAny>) -> PyResult<()> {
        let event: Event = from_py(event, "event")?;
        self.0.handle(now_ms, event).map_err(err)
    }

    /// Many finished tests at once (each a `TestResult` dict).
    fn add_results(&mut self, now_ms: u64, results: &Bound<'_, PyAny>) -> PyResult<()> {
        self.0
            .add_results(now_ms, crate::results::read(results)?)
            .map_err(err)
    }

    /// The next action (`{"action": name, ...}`).
    fn poll<'py>(&mut self, py: Python<'py>, now_ms: u64) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.poll(now_ms))
    }

    /// `poll` until an action the host performs in Python (a request, an upload, a log line),
    /// `wait` or `finished`, which it answers. Every `write_files` action on the
    /// way is performed here and answered (`report_written` / `report_failed`) without
    /// crossing into Python as a dict, with the GIL released for the files only (once per
    /// action: the test loop runs meanwhile; a step with no files keeps it). The whole step
    /// happens at `now_ms`: the binding reads no clock (a write's few milliseconds only
    /// delay the session's next timer by as much).
    fn step<'py>(&mut self, py: Python<'py>, now_ms: u64) -> PyResult<Bound<'py, PyAny>> {
        loop {
            match self.0.poll(now_ms) {
                Action::WriteFiles(write) => {
                    let event = py.detach(|| crate::files::perform(&write));
                    self.0.handle(now_ms, event).map_err(err)?;
                }
                other => return to_py(py, &other),
            }
        }
    }

    /// The run id once known (configured or created), else `None`.
    #[getter]
    fn run_id(&self) -> Option<u64> {
        self.0.run_id()
    }

    /// The API token, for the `Token` header only. Never log it.
    fn token(&self) -> Option<String> {
        self.0.token().map(str::to_owned)
    }

    /// Hides the token from `repr`.
    fn __repr__(&self) -> String {
        format!("Session(run_id={:?})", self.0.run_id())
    }
}
