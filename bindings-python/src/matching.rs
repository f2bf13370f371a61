//! `CaseIndex`: case matching against a repository snapshot (SPEC §6). Built once from the
//! cases, then asked per result or for a whole plan; data crosses as dicts.

use crate::convert::{from_py, to_py};
use pyo3::prelude::*;
use testrelay::{CaseIndex as Core, Decision, MatchSettings, RepoCase, ResultFacts};

type Obj<'py> = Bound<'py, PyAny>;

fn settings(settings: Option<&Obj<'_>>) -> PyResult<MatchSettings> {
    settings.map_or_else(|| Ok(MatchSettings::default()), |s| from_py(s, "settings"))
}

/// An index of the repository's cases (id, title, suite path, fields, steps, automated).
#[pyclass(module = "testrelay", frozen)]
#[derive(Debug)]
pub struct CaseIndex(Core);

#[pymethods]
impl CaseIndex {
    /// Builds the index from a list of case dicts.
    #[new]
    fn new(cases: &Obj<'_>) -> PyResult<Self> {
        Ok(CaseIndex(Core::build(from_py::<Vec<RepoCase>>(
            cases, "cases",
        )?)))
    }

    /// The decision for one result: `{decision: "linked"|"create"|"caseless", ...}`.
    #[pyo3(signature = (result, settings=None))]
    fn match_result<'py>(
        &self,
        py: Python<'py>,
        result: &Obj<'py>,
        settings: Option<&Obj<'py>>,
    ) -> PyResult<Obj<'py>> {
        let result: ResultFacts = from_py(result, "result")?;
        to_py(
            py,
            &self.0.match_result(&result, &self::settings(settings)?),
        )
    }

    /// The title a result displays (the repository title when `use_repository_titles`).
    #[pyo3(signature = (result, decision, settings=None))]
    fn display_title(
        &self,
        result: &Obj<'_>,
        decision: &Obj<'_>,
        settings: Option<&Obj<'_>>,
    ) -> PyResult<String> {
        let result: ResultFacts = from_py(result, "result")?;
        let decision: Decision = from_py(decision, "decision")?;
        let settings = self::settings(settings)?;
        Ok(self
            .0
            .display_title(&result, &decision, &settings)
            .to_owned())
    }

    /// The sync plan for many results: per result a decision, per case updates, totals.
    #[pyo3(signature = (results, settings=None))]
    fn plan<'py>(
        &self,
        py: Python<'py>,
        results: &Obj<'py>,
        settings: Option<&Obj<'py>>,
    ) -> PyResult<Obj<'py>> {
        let results: Vec<ResultFacts> = from_py(results, "results")?;
        to_py(py, &self.0.plan(&results, &self::settings(settings)?))
    }
}

/// Warnings about contradicting match settings.
#[pyfunction]
pub fn match_settings_warnings<'py>(py: Python<'py>, settings: &Obj<'py>) -> PyResult<Obj<'py>> {
    to_py(py, &self::settings(Some(settings))?.warnings())
}
