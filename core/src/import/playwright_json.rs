//! Playwright JSON report reader (`--reporter=json`): `{config, suites, errors, stats}`.
//!
//! Every entry of a test's `results` (one per retry) becomes one [`TestResult`] with
//! `attempt = retry`; the runner's status and errors go into `outcome` (framework
//! `playwright`) and `classify` decides, exactly as for a live Playwright reporter.
//! - Suite path: the project name, then the titles of the enclosing suites (the spec file
//!   relative to the test dir, then describe blocks); the title is the spec's title.
//! - Case ids: annotations whose type is `QaseID` (also `qase_id`, `testops_id`, …), with the
//!   ids in the description; ids written in titles stay in the title for the pipeline.
//! - `expectedStatus: "failed"` (`test.fail()`) → `outcome.expected_status = failed`.
//! - Error type: the `Name:` label of the message's first line when it is an error class
//!   name (`TypeError: …` → `TypeError`); messages and stacks lose their ANSI colours.
//! - A flaky test's attempts carry `fields.flaky = "true"`; a test that never ran (no
//!   results) becomes one result with runner status `skipped`.
//! - Errors outside any test (`errors` at the top: global setup, a file that failed to load)
//!   are `RUNNER_ERROR` warnings.
//!
//! The text is deserialised straight into the types below (no `Value` tree); serde_json's
//! own recursion limit and [`Limits::max_depth`] bound the nesting.

use super::{Imported, Limits, is_case_id_key, parse_case_ids, parse_timestamp_ms};
use crate::classify::strip_ansi;
use crate::error::Error;
use crate::result::{Attachment, ErrorInfo, Framework, Outcome, Step, TestResult};
use crate::status::Status;
use crate::warning::{Warning, WarningCode};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Reads a Playwright JSON report with the default [`Limits`].
pub fn import_playwright_json(text: &str) -> Result<Imported, Error> {
    import_playwright_json_with(text, &Limits::default())
}

/// Reads a Playwright JSON report within `limits`.
pub fn import_playwright_json_with(text: &str, limits: &Limits) -> Result<Imported, Error> {
    limits.check_size(text.len())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let report: Report = crate::json::from_str(text).map_err(|e| {
        // serde_json bounds nesting itself (128 levels) and says so only in its message.
        if e.to_string().starts_with("recursion limit exceeded") {
            Error::LimitExceeded {
                detail: format!("JSON nested too deeply at line {}", e.line()),
            }
        } else {
            Error::MalformedReport {
                line: e.line() as u64,
                detail: format!("not a Playwright JSON report: {e}"),
            }
        }
    })?;
    let Some(suites) = report.suites else {
        return Err(Error::MalformedReport {
            line: 1,
            detail: "not a Playwright JSON report: no `suites` list".to_owned(),
        });
    };
    let mut reader = Reader {
        limits: *limits,
        results: Vec::new(),
        warnings: Vec::new(),
    };
    for error in &report.errors {
        let message = error_info(error).message.unwrap_or_default();
        reader.warnings.push(Warning::new(
            WarningCode::RunnerError,
            "errors",
            format!("the run reported an error outside any test: {message}"),
        ));
    }
    let mut path = Vec::new();
    for suite in &suites {
        reader.suite(suite, &mut path)?;
    }
    Ok((reader.results, reader.warnings))
}

#[derive(Debug, Deserialize)]
struct Report {
    #[serde(default)]
    suites: Option<Vec<Suite>>,
    #[serde(default)]
    errors: Vec<PwError>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Suite {
    title: String,
    specs: Vec<Spec>,
    suites: Vec<Suite>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Spec {
    title: String,
    tests: Vec<Test>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Test {
    annotations: Vec<Annotation>,
    expected_status: Option<String>,
    project_name: Option<String>,
    results: Vec<RunResult>,
    status: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RunResult {
    status: Option<String>,
    duration: Option<f64>,
    error: Option<PwError>,
    errors: Vec<PwError>,
    retry: u32,
    start_time: Option<String>,
    annotations: Vec<Annotation>,
    attachments: Vec<PwAttachment>,
    steps: Vec<PwStep>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PwError {
    message: Option<String>,
    stack: Option<String>,
    value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Annotation {
    #[serde(rename = "type")]
    kind: String,
    description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct PwAttachment {
    name: String,
    content_type: Option<String>,
    path: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PwStep {
    title: String,
    duration: Option<f64>,
    error: Option<PwError>,
    steps: Vec<PwStep>,
}

#[derive(Debug)]
struct Reader {
    limits: Limits,
    results: Vec<TestResult>,
    warnings: Vec<Warning>,
}

impl Reader {
    fn suite<'s>(&mut self, suite: &'s Suite, path: &mut Vec<&'s str>) -> Result<(), Error> {
        path.push(suite.title.as_str());
        self.limits.check_depth(path.len(), 1)?;
        for spec in &suite.specs {
            for test in &spec.tests {
                self.test(spec, test, path)?;
            }
        }
        for child in &suite.suites {
            self.suite(child, path)?;
        }
        path.pop();
        Ok(())
    }

    fn test(&mut self, spec: &Spec, test: &Test, path: &[&str]) -> Result<(), Error> {
        let project = test.project_name.as_deref().unwrap_or_default();
        let suite: Vec<String> = std::iter::once(project)
            .chain(path.iter().copied())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let mut ids = Vec::new();
        let annotations = test
            .annotations
            .iter()
            .chain(test.results.iter().flat_map(|r| r.annotations.iter()));
        for annotation in annotations.filter(|a| is_case_id_key(&a.kind)) {
            let key = format!("{} › annotation {}", spec.title, annotation.kind);
            let value = annotation.description.as_deref().unwrap_or_default();
            parse_case_ids(value, &key, &mut ids, &mut self.warnings);
        }
        let mut fields = BTreeMap::new();
        if test.status.as_deref() == Some("flaky") {
            fields.insert("flaky".to_owned(), "true".to_owned());
        }
        let template = TestResult {
            title: spec.title.clone(),
            suite,
            testops_ids: (!ids.is_empty()).then_some(ids),
            outcome: Outcome {
                framework: Framework::Playwright,
                expected_status: (test.expected_status.as_deref() == Some("failed"))
                    .then_some(Status::Failed),
                ..Outcome::default()
            },
            fields,
            ..TestResult::default()
        };
        if test.results.is_empty() {
            let mut never_ran = template;
            never_ran.outcome.runner_status = Some("skipped".to_owned());
            return self.push(never_ran);
        }
        for run in &test.results {
            let result = self.attempt(&template, run);
            self.push(result)?;
        }
        Ok(())
    }

    fn attempt(&mut self, template: &TestResult, run: &RunResult) -> TestResult {
        let mut result = template.clone();
        result.attempt = run.retry;
        result.duration = run.duration.filter(|d| d.is_finite() && *d >= 0.0);
        result.started_at = run.start_time.as_deref().and_then(|t| {
            let parsed = parse_timestamp_ms(t);
            if parsed.is_none() {
                self.warnings.push(Warning::new(
                    WarningCode::InvalidInput,
                    format!("{} › startTime", template.title),
                    format!("startTime `{t}` is not an ISO 8601 time; left empty"),
                ));
            }
            parsed
        });
        result.outcome.runner_status = run.status.clone();
        // `errors` repeats the main error first (with a code snippet); the rest are soft ones.
        let mut errors = run.errors.iter();
        let first = errors.next();
        result.outcome.error = run.error.as_ref().or(first).map(error_info);
        result.outcome.errors = errors.map(error_info).collect();
        result.attachments = run
            .attachments
            .iter()
            .map(|a| Attachment {
                name: a.name.clone(),
                content_type: a.content_type.clone(),
                path: a.path.clone(),
                content: None,
            })
            .collect();
        result.steps = run.steps.iter().map(step).collect();
        result
    }

    fn push(&mut self, result: TestResult) -> Result<(), Error> {
        self.results.push(result);
        self.limits.check_results(self.results.len())
    }
}

fn step(s: &PwStep) -> Step {
    Step {
        title: s.title.clone(),
        status: Some(if s.error.is_some() {
            Status::Failed
        } else {
            Status::Passed
        }),
        duration: s.duration,
        steps: s.steps.iter().map(step).collect(),
        ..Step::default()
    }
}

fn error_info(e: &PwError) -> ErrorInfo {
    let message = e.message.as_deref().or(e.value.as_deref()).map(strip_ansi);
    let type_name = message.as_deref().and_then(error_label).map(str::to_owned);
    ErrorInfo {
        type_name,
        message,
        stack: e.stack.as_deref().map(strip_ansi),
        ..ErrorInfo::default()
    }
}

/// The `Name` of a first line `Name: message` when it looks like an error class name.
fn error_label(message: &str) -> Option<&str> {
    let first = message.lines().next()?;
    let (label, _) = first.split_once(": ")?;
    let is_identifier = label
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && label.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    (is_identifier && (label.ends_with("Error") || label.ends_with("Exception"))).then_some(label)
}
