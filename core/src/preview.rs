//! The preview: what a reporter would decide for a list of finished tests, before
//! anything is sent — per test the verdict (status, rule, evidence), what mapping and filter
//! did and the failure links; for the whole list the counts, the run status and the batch
//! plan; with a repository snapshot, the matching plan. One call for the whole list (or the
//! whole report text), so a host (the in-browser page) crosses once. With a project, the
//! preview also runs the real session over the results ([`SessionPlan`]), unless the host
//! asks for the preview without it ([`preview_report_without_session`]): the session is most
//! of the code, and a host that loads it only on request (the page) is smaller without it.

mod session_plan;

pub use session_plan::{PLACEHOLDER_RUN_ID, PlannedLog, PlannedStep, SIMULATED_NOW, SessionPlan};

use crate::batch::{DEFAULT_BATCH_SIZE, clamp_batch_size, plan_batches};
use crate::case_ids::case_ids;
use crate::classify::{Policy, classify};
use crate::config::{BATCH_BYTES_RANGE, Config, TestopsConfig};
use crate::error::Error;
use crate::import::{Imported, import_junit, import_playwright_json};
use crate::links::failure_links;
use crate::mapping::{StatusFilter, StatusMapping};
use crate::matching::{
    CaseDraft, CaseIndex, CaseUpdate, MatchSettings, PlanTotals, RepoCase, ResultFacts, ResultPlan,
};
use crate::result::TestResult;
use crate::runs::{RunResult, run_status};
use crate::status::Status;
use crate::warning::{Warning, WarningCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
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
    pub batch_size: Option<i64>,
    /// The Qase app base for failure links, e.g. `https://app.qase.io`.
    pub app: Option<String>,
    /// The project code for failure links.
    pub project: Option<String>,
    /// `testops.run.id`: the run to report to. Absent: the session creates a run, and the
    /// failure links use [`PLACEHOLDER_RUN_ID`].
    pub run_id: Option<u64>,
    /// `testops.run.complete`: complete the run at the end (default true).
    pub run_complete: Option<bool>,
    /// `testops.batch.bytes`: the byte budget of one upload body (default 8 MiB).
    pub batch_bytes: Option<u64>,
    /// The classification policy.
    pub policy: Policy,
    /// A repository snapshot; when given, the preview includes the matching plan.
    pub cases: Option<Vec<RepoCase>>,
    /// How results are matched to cases (auto-create, creation statuses, auto-update).
    pub matching: MatchSettings,
}

/// What the reporter would decide for one test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreviewTest {
    /// The test title, case-id markers removed (as the reporter sends it).
    pub title: String,
    /// Its suite path.
    pub suite: Vec<String>,
    /// Case ids: the test's own, then those of its title's `(Qase ID: …)` marker.
    pub case_ids: Vec<u64>,
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
    /// With a snapshot, for a reported test: linked / create / caseless, and the title shown.
    pub matching: Option<ResultPlan>,
}

/// The matching plan over the reported tests (their decisions are on each test).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatchingPreview {
    /// The cases to create, in order of first appearance.
    pub new_cases: Vec<CaseDraft>,
    /// The updates of linked cases.
    pub updates: Vec<CaseUpdate>,
    /// Link / create / update / caseless totals.
    pub totals: PlanTotals,
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
    /// The matching plan, when a snapshot was given.
    pub matching: Option<MatchingPreview>,
    /// What the run session would do with these results (testops mode, every request
    /// answered with success); `null` without a project.
    pub session: Option<SessionPlan>,
    /// Warnings and notes from the report and the settings.
    pub warnings: Vec<Warning>,
}

/// Reads a report in any format the core knows, by its first non-blank character: `<` JUnit
/// XML, `{` a Playwright JSON report, `[` a JSON list of [`TestResult`]s.
pub fn read_report(text: &str) -> Result<Imported, Error> {
    match text.trim_start().chars().next() {
        Some('<') => import_junit(text),
        Some('{') => import_playwright_json(text),
        Some('[') => Ok((Error::parse_json("results list", text)?, Vec::new())),
        _ => Err(Error::MalformedReport {
            line: 1,
            detail: "not JUnit XML, a Playwright JSON report or a JSON list of results".into(),
        }),
    }
}

/// Runs the session over the previewed results: [`session_plan::plan_session`], or nothing.
type Planner = Option<fn(Config, Vec<TestResult>) -> SessionPlan>;

/// [`read_report`] then [`preview`]; the report's warnings come first.
pub fn preview_report(text: &str, settings: &PreviewSettings) -> Result<Preview, Error> {
    preview_report_with(text, settings, Some(session_plan::plan_session))
}

/// [`preview_report`] without the session plan: `session` is `null` whatever the settings.
/// A build that calls only this has none of the session's code (the page's first WASM
/// module; it loads the module with the session when the person asks for the plan).
pub fn preview_report_without_session(
    text: &str,
    settings: &PreviewSettings,
) -> Result<Preview, Error> {
    preview_report_with(text, settings, None)
}

fn preview_report_with(
    text: &str,
    settings: &PreviewSettings,
    planner: Planner,
) -> Result<Preview, Error> {
    let (results, mut warnings) = read_report(text)?;
    // The session plan takes the results over: no copy of them.
    let mut preview = preview_of(Cow::Owned(results), settings, planner);
    warnings.append(&mut preview.warnings);
    preview.warnings = warnings;
    Ok(preview)
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
    preview_of(
        Cow::Borrowed(results),
        settings,
        Some(session_plan::plan_session),
    )
}

/// [`preview`] of borrowed or owned results (the session plan needs them owned).
fn preview_of(
    results: Cow<'_, [TestResult]>,
    settings: &PreviewSettings,
    planner: Planner,
) -> Preview {
    let mut warnings = Vec::new();
    let mapping = parse_mapping(settings.mapping.as_ref(), &mut warnings);
    let filter = parse_filter(settings.filter.as_ref(), &mut warnings);
    let (batch_size, clamped) = clamp_batch_size(
        settings.batch_size.unwrap_or(DEFAULT_BATCH_SIZE as i64),
        "testops.batch.size",
    );
    warnings.extend(clamped);
    let run_id = settings.run_id.unwrap_or(PLACEHOLDER_RUN_ID);
    let link_target = match (&settings.app, &settings.project) {
        (Some(app), Some(project)) => Some((app.as_str(), project.as_str(), run_id)),
        _ => {
            warnings.push(Warning::note(
                WarningCode::InvalidConfigValue,
                "testops.project",
                "failure links and the session plan need the app and the project; none are shown",
            ));
            None
        }
    };

    let mut tests: Vec<PreviewTest> = results
        .iter()
        .map(|result| {
            let cases = case_ids(&result.title, result.testops_ids.as_deref());
            warnings.extend(cases.warnings);
            let verdict = classify(&result.outcome, &settings.policy);
            let mapped_status = mapping.apply(verdict.status);
            let filtered = filter.drops(mapped_status);
            let reported = (!filtered).then_some(mapped_status);
            let links = link_target.map_or_else(Vec::new, |(app, project, run_id)| {
                failure_links(app, project, run_id, &cases.ids, &cases.title, reported)
            });
            PreviewTest {
                title: cases.title,
                suite: result.suite.clone(),
                case_ids: cases.ids,
                status: verdict.status,
                rule: verdict.rule,
                evidence: verdict.evidence.into_owned(),
                reported,
                mapped: mapped_status != verdict.status,
                filtered,
                links,
                started_at: result.started_at,
                duration: result.duration,
                matching: None,
            }
        })
        .collect();
    let matching = settings.cases.as_ref().map(|cases| {
        plan_matching(
            cases,
            &results,
            &mut tests,
            &settings.matching,
            &mut warnings,
        )
    });

    // Filled entry by entry, not collected: `collect` into a BTreeMap sorts first, a whole
    // stable sort instantiated for this one map (size of the WASM page module).
    let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
    for status in Status::ALL {
        counts.entry(status).or_insert(0);
    }
    let mut run_results = Vec::with_capacity(tests.len());
    for (test, result) in tests.iter().zip(results.iter()) {
        if let Some(status) = test.reported {
            *counts.entry(status).or_default() += 1;
            run_results.push(RunResult {
                status: status.as_str().to_owned(),
                muted: result.muted,
            });
        }
    }
    let reported = run_results.len();
    let session = match (planner, link_target) {
        (Some(plan), Some(_)) => {
            let config = session_config(settings, mapping, filter, batch_size, &mut warnings);
            Some(plan(config, results.into_owned()))
        }
        _ => None,
    };
    Preview {
        session,
        filtered: tests.len() - reported,
        mapped: tests.iter().filter(|t| t.mapped).count(),
        run_status: run_status(&run_results, &BTreeMap::new()),
        batch_size,
        batches: plan_batches(batch_size, reported),
        counts,
        matching,
        warnings,
        tests,
    }
}

/// The session's configuration from the preview's settings (testops mode and the token are
/// the session plan's to set). An out-of-range byte budget is a warning, as in `Config`.
fn session_config(
    settings: &PreviewSettings,
    status_mapping: StatusMapping,
    status_filter: StatusFilter,
    batch_size: usize,
    warnings: &mut Vec<Warning>,
) -> Config {
    let defaults = TestopsConfig::default();
    let batch_bytes = match settings.batch_bytes {
        None => defaults.batch_bytes,
        Some(bytes) if BATCH_BYTES_RANGE.contains(&bytes) => bytes as usize,
        Some(bytes) => {
            warnings.push(Warning::new(
                WarningCode::InvalidConfigValue,
                "testops.batch.bytes",
                format!(
                    "{bytes} is not an integer in {}..={}; using {}",
                    BATCH_BYTES_RANGE.start(),
                    BATCH_BYTES_RANGE.end(),
                    defaults.batch_bytes
                ),
            ));
            defaults.batch_bytes
        }
    };
    Config {
        status_mapping,
        classification: settings.policy.clone(),
        testops: TestopsConfig {
            api_host: session_plan::api_host(settings.app.as_deref()),
            project: settings.project.clone(),
            run_id: settings.run_id,
            run_complete: settings.run_complete.unwrap_or(defaults.run_complete),
            batch_size,
            batch_bytes,
            status_filter,
            ..defaults
        },
        ..Config::default()
    }
}

/// Matches the reported tests against the snapshot; each reported test gets its decision.
fn plan_matching(
    cases: &[RepoCase],
    results: &[TestResult],
    tests: &mut [PreviewTest],
    settings: &MatchSettings,
    warnings: &mut Vec<Warning>,
) -> MatchingPreview {
    let index = CaseIndex::build(cases.to_vec());
    let (reported, facts): (Vec<usize>, Vec<ResultFacts>) = tests
        .iter()
        .zip(results)
        .enumerate()
        .filter_map(|(i, (test, result))| {
            let status = test.reported?;
            let mut facts = ResultFacts::from_test_result(result, status);
            facts.title.clone_from(&test.title);
            facts.testops_ids = (!test.case_ids.is_empty()).then(|| {
                test.case_ids
                    .iter()
                    .filter_map(|&id| i64::try_from(id).ok())
                    .collect()
            });
            Some((i, facts))
        })
        .unzip();
    let plan = index.plan(&facts, settings);
    for (i, decision) in reported.into_iter().zip(plan.results) {
        tests[i].matching = Some(decision);
    }
    warnings.extend(plan.warnings);
    MatchingPreview {
        new_cases: plan.new_cases,
        updates: plan.updates,
        totals: plan.totals,
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
        assert!(p.matching.is_none());
    }

    #[test]
    fn with_a_snapshot_reported_tests_are_matched() {
        let results = vec![
            junit("Login works", None, None),
            junit("New test", None, None),
            junit("Skipped one", Some(JunitElement::Skipped), None),
        ];
        let cases: Vec<RepoCase> =
            serde_json::from_value(json!([{"id": 7, "title": "Login works", "suite": []}]))
                .unwrap();
        let settings = PreviewSettings {
            filter: Some(json!("skipped")),
            cases: Some(cases),
            ..PreviewSettings::default()
        };
        let p = preview(&results, &settings);
        let plan = p.matching.expect("a plan");
        assert_eq!((plan.totals.link, plan.totals.create), (1, 1));
        let first = serde_json::to_value(&p.tests[0].matching).unwrap();
        assert_eq!(first["decision"], "linked");
        assert_eq!(first["case_id"], 7);
        assert!(
            p.tests[2].matching.is_none(),
            "a filtered test is not matched"
        );
    }

    #[test]
    fn reports_are_read_by_their_first_character() {
        let junit_xml = r#"<testsuite name="s"><testcase name="a" classname="c"><failure message="x"/></testcase></testsuite>"#;
        let p = preview_report(junit_xml, &PreviewSettings::default()).unwrap();
        assert_eq!(p.tests[0].status, Status::Failed);
        let list = r#"[{"title": "t", "outcome": {"framework": "junit-xml"}}]"#;
        assert_eq!(
            preview_report(list, &PreviewSettings::default())
                .unwrap()
                .tests
                .len(),
            1
        );
        let err = preview_report("hello", &PreviewSettings::default()).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::MalformedReport);
    }

    #[test]
    fn without_the_session_plan_the_rest_of_the_preview_is_the_same() {
        let xml = r#"<testsuite name="s">
            <testcase name="a (Qase ID: 3)" classname="c"><failure message="x"/></testcase>
            <testcase name="b" classname="c"/></testsuite>"#;
        let mut settings = PreviewSettings {
            app: Some("https://app.qase.io".into()),
            project: Some("DEMO".into()),
            ..PreviewSettings::default()
        };
        let with = preview_report(xml, &settings).unwrap();
        let without = preview_report_without_session(xml, &settings).unwrap();
        let plan = with
            .session
            .as_ref()
            .expect("a project turns the session plan on");
        assert_eq!(plan.receipt.results_seen, 2);
        assert_eq!(without.session, None);
        assert_eq!(
            without.tests[0].links.len(),
            1,
            "failure links need no session"
        );
        assert_eq!(
            Preview {
                session: None,
                ..with
            },
            without
        );

        // The byte budget is the session's setting: only the session plan warns about it.
        settings.batch_bytes = Some(1);
        let with = preview_report(xml, &settings).unwrap();
        let without = preview_report_without_session(xml, &settings).unwrap();
        let key = |p: &Preview| p.warnings.iter().any(|w| w.key == "testops.batch.bytes");
        assert!(key(&with) && !key(&without));
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
