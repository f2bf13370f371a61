//! The preview (issue 7): what a reporter would decide for a list of finished tests, before
//! anything is sent — per test the verdict (status, rule, evidence), what mapping and filter
//! did and the failure links; for the whole list the counts, the run status and the batch
//! plan. One call for the whole list, so a host (the in-browser page) crosses once.

use crate::batch::{DEFAULT_BATCH_SIZE, clamp_batch_size, plan_batches};
use crate::classify::{Policy, classify};
use crate::links::failure_links;
use crate::mapping::{StatusFilter, StatusMapping};
use crate::result::TestResult;
use crate::runs::{RunResult, run_status};
use crate::status::Status;
use crate::warning::{Warning, WarningCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The settings a preview applies. Absent values mean "not configured".
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PreviewSettings {
    /// Status mapping: an env text (`"invalid=failed"`) or a JSON object.
    pub mapping: Option<Value>,
    /// Status filter: an env text (`"skipped,blocked"`) or a JSON list.
    pub filter: Option<Value>,
    /// Requested batch size (clamped to 1..=200); the default 200 when absent.
    pub batch_size: Option<u64>,
    /// The Qase app base for failure links, e.g. `https://app.qase.io`.
    pub app: Option<String>,
    /// The project code for failure links.
    pub project: Option<String>,
    /// The run id for failure links.
    pub run_id: Option<u64>,
    /// The classification policy.
    pub policy: Policy,
}

/// What the reporter would decide for one test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreviewTest {
    /// The test title.
    pub title: String,
    /// Its suite path.
    pub suite: Vec<String>,
    /// Case ids given by the test.
    pub testops_ids: Option<Vec<i64>>,
    /// The classified status, before mapping.
    pub status: Status,
    /// The classification rule that fired.
    pub rule: &'static str,
    /// What the rule saw.
    pub evidence: String,
    /// The status after mapping, or `null` when the filter dropped the test.
    pub reported: Option<Status>,
    /// True when the mapping changed the status.
    pub mapped: bool,
    /// True when the filter dropped the test.
    pub filtered: bool,
    /// The failure links printed for it (only for a reported `failed`).
    pub links: Vec<String>,
    /// Start, in milliseconds since the Unix epoch.
    pub started_at: Option<f64>,
    /// Duration in milliseconds.
    pub duration: Option<f64>,
}

/// What the reporter would decide for the whole list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preview {
    /// One entry per input result, in input order.
    pub tests: Vec<PreviewTest>,
    /// Reported tests per status after mapping (every built-in status present, maybe 0).
    pub counts: BTreeMap<Status, usize>,
    /// Tests the filter dropped.
    pub filtered: usize,
    /// Tests whose status the mapping changed.
    pub mapped: usize,
    /// The run status at completion over the reported tests.
    pub run_status: Status,
    /// The batch size in use after clamping.
    pub batch_size: usize,
    /// How many results each upload carries.
    pub batches: Vec<usize>,
    /// Warnings and notes from the settings.
    pub warnings: Vec<Warning>,
}

/// Parses a mapping given as env text or as a JSON object.
fn parse_mapping(value: Option<&Value>, warnings: &mut Vec<Warning>) -> StatusMapping {
    let (mapping, found) = match value {
        None | Some(Value::Null) => return StatusMapping::default(),
        Some(Value::String(text)) => StatusMapping::parse_env(text, "QASE_STATUS_MAPPING"),
        Some(json) => StatusMapping::parse_json(json, "statusMapping"),
    };
    warnings.extend(found);
    mapping
}

/// Parses a filter given as env text or as a JSON list.
fn parse_filter(value: Option<&Value>, warnings: &mut Vec<Warning>) -> StatusFilter {
    let (filter, found) = match value {
        None | Some(Value::Null) => return StatusFilter::default(),
        Some(Value::String(text)) => StatusFilter::parse_env(text, "QASE_TESTOPS_STATUS_FILTER"),
        Some(json) => StatusFilter::parse_json(json, "testops.statusFilter"),
    };
    warnings.extend(found);
    filter
}

/// Previews `results` under `settings` (classify → map → filter → links → batches).
pub fn preview(results: &[TestResult], settings: &PreviewSettings) -> Preview {
    let mut warnings = Vec::new();
    let mapping = parse_mapping(settings.mapping.as_ref(), &mut warnings);
    let filter = parse_filter(settings.filter.as_ref(), &mut warnings);
    let (batch_size, clamped) = clamp_batch_size(
        settings.batch_size.unwrap_or(DEFAULT_BATCH_SIZE as u64),
        "testops.batch.size",
    );
    warnings.extend(clamped);
    let link_target = match (&settings.app, &settings.project, settings.run_id) {
        (Some(app), Some(project), Some(run_id)) => Some((app.as_str(), project.as_str(), run_id)),
        _ => {
            warnings.push(Warning::note(
                WarningCode::InvalidConfigValue,
                "testops.project",
                "failure links need the app, the project and a run id; none are shown",
            ));
            None
        }
    };

    let tests: Vec<PreviewTest> = results
        .iter()
        .map(|result| {
            let verdict = classify(&result.outcome, &settings.policy);
            let mapped_status = mapping.apply(verdict.status);
            let filtered = filter.drops(mapped_status);
            let reported = (!filtered).then_some(mapped_status);
            let links = link_target.map_or_else(Vec::new, |(app, project, run_id)| {
                let ids: Vec<u64> = result
                    .testops_ids
                    .iter()
                    .flatten()
                    .filter_map(|&id| u64::try_from(id).ok())
                    .collect();
                failure_links(app, project, run_id, &ids, &result.title, reported)
            });
            PreviewTest {
                title: result.title.clone(),
                suite: result.suite.clone(),
                testops_ids: result.testops_ids.clone(),
                status: verdict.status,
                rule: verdict.rule,
                evidence: verdict.evidence,
                reported,
                mapped: mapped_status != verdict.status,
                filtered,
                links,
                started_at: result.started_at,
                duration: result.duration,
            }
        })
        .collect();

    let mut counts: BTreeMap<Status, usize> = Status::ALL.iter().map(|&s| (s, 0)).collect();
    let mut run_results = Vec::with_capacity(tests.len());
    for (test, result) in tests.iter().zip(results) {
        if let Some(status) = test.reported {
            *counts.entry(status).or_default() += 1;
            run_results.push(RunResult {
                status: status.as_str().to_owned(),
                muted: result.muted,
            });
        }
    }
    let reported = run_results.len();
    Preview {
        filtered: tests.len() - reported,
        mapped: tests.iter().filter(|t| t.mapped).count(),
        run_status: run_status(&run_results, &BTreeMap::new()),
        batch_size,
        batches: plan_batches(batch_size, reported),
        counts,
        warnings,
        tests,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{JunitElement, Outcome};
    use serde_json::json;

    fn junit(title: &str, element: Option<JunitElement>, ids: Option<Vec<i64>>) -> TestResult {
        TestResult {
            title: title.to_owned(),
            testops_ids: ids,
            outcome: Outcome {
                framework: crate::result::Framework::JunitXml,
                element,
                ..Outcome::default()
            },
            ..TestResult::default()
        }
    }

    #[test]
    fn maps_filters_links_and_plans_batches() {
        let results = vec![
            junit("ok", None, None),
            junit("broken", Some(JunitElement::Error), Some(vec![42])),
            junit("later", Some(JunitElement::Skipped), None),
        ];
        let settings = PreviewSettings {
            mapping: Some(json!("invalid=failed")),
            filter: Some(json!(["skipped"])),
            batch_size: Some(1),
            app: Some("https://app.qase.io".into()),
            project: Some("DEMO".into()),
            run_id: Some(7),
            ..PreviewSettings::default()
        };
        let p = preview(&results, &settings);
        assert_eq!(p.tests[1].status, Status::Invalid);
        assert_eq!(p.tests[1].reported, Some(Status::Failed));
        assert!(p.tests[1].mapped);
        assert_eq!(
            p.tests[1].links,
            ["https://app.qase.io/run/DEMO/dashboard/7?source=logs&search=DEMO-42"]
        );
        assert!(p.tests[2].filtered && p.tests[2].reported.is_none());
        assert_eq!((p.filtered, p.mapped), (1, 1));
        assert_eq!(p.counts[&Status::Failed], 1);
        assert_eq!(p.batches, [1, 1]);
        assert_eq!(p.run_status, Status::Failed);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn bad_settings_are_warnings_not_errors() {
        let settings = PreviewSettings {
            mapping: Some(json!("invalid:failed")),
            batch_size: Some(500),
            ..PreviewSettings::default()
        };
        let p = preview(&[junit("ok", None, None)], &settings);
        let codes: Vec<_> = p.warnings.iter().map(|w| w.code).collect();
        assert!(codes.contains(&WarningCode::InvalidMappingEntry));
        assert!(codes.contains(&WarningCode::BatchSizeClamped));
        assert_eq!(p.batch_size, 200);
        assert!(p.tests[0].links.is_empty());
    }
}
