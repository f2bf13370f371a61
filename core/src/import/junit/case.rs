//! From one finished `<testcase>` to its results: the template every attempt starts from
//! (suite path, ids, node id, attachments), Surefire's rerun attempts, and pytest's
//! teardown double entry folded into the entry of the same test (see `junit.rs`).

use super::{Case, Found, KEY_SEPARATOR, Kind, State, TITLE_PATH_SEPARATOR, attr};
use crate::error::Error;
use crate::import::{is_case_id_key, parse_case_ids};
use crate::result::{Attachment, Framework, JunitElement, Outcome, Phase, TestResult};
use crate::warning::{Warning, WarningCode};

impl State<'_> {
    pub(super) fn new_case(&mut self, attrs: &[(String, String)], line: u64) -> Case {
        let duration = self.duration(attrs, line);
        Case {
            name: attr(attrs, "name").unwrap_or_default().to_owned(),
            classname: attr(attrs, "classname").unwrap_or_default().to_owned(),
            file: attr(attrs, "file").map(str::to_owned),
            line,
            duration,
            ..Case::default()
        }
    }

    pub(super) fn property(&mut self, attrs: &[(String, String)], line: u64) {
        let (Some(name), Some(case)) = (attr(attrs, "name"), self.case.as_mut()) else {
            return;
        };
        if is_case_id_key(name) {
            let key = format!("line {line}: property {name}");
            parse_case_ids(
                attr(attrs, "value").unwrap_or_default(),
                &key,
                &mut case.ids,
                &mut self.warnings,
            );
        }
    }

    /// Reads a `time` attribute (seconds) as milliseconds; unreadable → a warning.
    pub(super) fn duration(&mut self, attrs: &[(String, String)], line: u64) -> Option<f64> {
        let raw = attr(attrs, "time")?;
        let cleaned: String = raw
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        match crate::import::parse_decimal(&cleaned) {
            Some(seconds) if seconds.is_finite() && seconds >= 0.0 => {
                Some((seconds * 1_000_000.0).round() / 1_000.0)
            }
            _ => {
                self.warnings.push(Warning::new(
                    WarningCode::InvalidInput,
                    format!("line {line}: time"),
                    format!("time `{raw}` is not a number of seconds; the duration is left empty"),
                ));
                None
            }
        }
    }

    pub(super) fn finish_case(&mut self, case: Case) -> Result<(), Error> {
        let key = self.key(&case);
        let primary = case
            .found
            .iter()
            .position(|f| matches!(f.kind, Kind::Failure | Kind::Error | Kind::Skipped));
        // pytest's second entry for a teardown error after a passed (or failed) call.
        if let Some(p) = primary
            && case.found[p].kind == Kind::Error
            && case.found[p].pytest_phase() == Phase::Teardown
            && let Some(&index) = self.seen.get(&key)
        {
            merge_teardown(&mut self.results[index], &case.found[p], case.duration);
            return Ok(());
        }

        let template = self.template(&case);
        let flaky: Vec<&Found> = case
            .found
            .iter()
            .filter(|f| matches!(f.kind, Kind::FlakyFailure | Kind::FlakyError))
            .collect();
        let reruns = case
            .found
            .iter()
            .filter(|f| matches!(f.kind, Kind::RerunFailure | Kind::RerunError));
        let mut attempt = 0;
        let mut push = |results: &mut Vec<TestResult>, mut r: TestResult| {
            r.attempt = attempt;
            attempt += 1;
            results.push(r);
        };
        for found in &flaky {
            push(&mut self.results, attempt_result(&template, found));
        }
        let mut main = template.clone();
        main.duration = case.duration;
        main.attachments = attachments(&case.system_out);
        if let Some(p) = primary {
            let found = &case.found[p];
            main.outcome.element = Some(found.kind.element());
            if found.kind == Kind::Skipped {
                main.message = found.error_info().message;
            } else {
                main.outcome.error = Some(found.error_info());
                main.outcome.phase = found.pytest_phase();
            }
            main.outcome.errors = case
                .found
                .iter()
                .enumerate()
                .filter(|(i, f)| *i != p && matches!(f.kind, Kind::Failure | Kind::Error))
                .map(|(_, f)| f.error_info())
                .collect();
        }
        self.seen.insert(key, self.results.len());
        push(&mut self.results, main);
        for found in reruns {
            push(&mut self.results, attempt_result(&template, found));
        }
        self.limits.check_results(self.results.len())
    }

    /// A result with everything the attempts of `case` share.
    fn template(&mut self, case: &Case) -> TestResult {
        let mut suite: Vec<String> = self
            .suites
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect();
        let classname = case.classname.trim();
        if !classname.is_empty()
            && suite.last().map(String::as_str) != Some(classname)
            && classname != case.name.trim()
        {
            suite.push(classname.to_owned());
        }
        let mut title = case.name.trim().to_owned();
        if title.contains(TITLE_PATH_SEPARATOR) {
            let mut parts: Vec<&str> = title.split(TITLE_PATH_SEPARATOR).collect();
            let last = parts.pop().unwrap_or_default().to_owned();
            suite.extend(
                parts
                    .iter()
                    .filter(|p| !p.is_empty())
                    .map(|p| (*p).to_owned()),
            );
            title = last;
        }
        if title.is_empty() {
            title = format!("(unnamed test case, line {})", case.line);
            self.warnings.push(Warning::new(
                WarningCode::InvalidInput,
                format!("line {}: name", case.line),
                "a <testcase> has no name; it was given one from its line",
            ));
        }
        let mut fields = std::collections::BTreeMap::new();
        if case
            .found
            .iter()
            .any(|f| matches!(f.kind, Kind::FlakyFailure | Kind::FlakyError))
        {
            fields.insert("flaky".to_owned(), "true".to_owned());
        }
        TestResult {
            node_id: pytest_node_id(case),
            title,
            suite,
            testops_ids: (!case.ids.is_empty()).then(|| case.ids.clone()),
            outcome: Outcome {
                framework: Framework::JunitXml,
                ..Outcome::default()
            },
            fields,
            ..TestResult::default()
        }
    }

    fn key(&self, case: &Case) -> String {
        let mut key = self.suites.join(&KEY_SEPARATOR.to_string());
        for part in [&case.classname, &case.name] {
            key.push(KEY_SEPARATOR);
            key.push_str(part);
        }
        key
    }
}

/// pytest xunit1 writes the test file: with it, `classname = <module>.<Class>` and `name`
/// give back the node id (`tests/test_a.py::TestKlass::test_b[1]`).
fn pytest_node_id(case: &Case) -> Option<String> {
    let file = case.file.as_deref()?;
    let module = file.strip_suffix(".py")?.replace(['/', '\\'], ".");
    let class = case.classname.strip_prefix(module.as_str())?;
    if !(class.is_empty() || class.starts_with('.')) {
        return None;
    }
    let mut id = file.replace('\\', "/");
    for part in class.split('.').filter(|p| !p.is_empty()) {
        id.push_str("::");
        id.push_str(part);
    }
    id.push_str("::");
    id.push_str(&case.name);
    Some(id)
}

/// Attachments listed in `<system-out>` as `[[ATTACHMENT|path]]` lines (Playwright's junit
/// reporter, the Jenkins JUnit Attachments convention).
fn attachments(system_out: &str) -> Vec<Attachment> {
    system_out
        .lines()
        .filter_map(|line| {
            line.trim()
                .strip_prefix("[[ATTACHMENT|")?
                .strip_suffix("]]")
        })
        .filter(|path| !path.is_empty())
        .map(|path| Attachment {
            name: path.rsplit(['/', '\\']).next().unwrap_or(path).to_owned(),
            path: Some(path.to_owned()),
            content_type: None,
            content: None,
        })
        .collect()
}

/// A Surefire rerun element as its own attempt.
fn attempt_result(template: &TestResult, found: &Found) -> TestResult {
    let mut r = template.clone();
    r.outcome.element = Some(found.kind.element());
    r.outcome.error = Some(found.error_info());
    r.duration = found.duration;
    r
}

/// Folds pytest's teardown entry into the entry of the same test.
fn merge_teardown(result: &mut TestResult, teardown: &Found, duration: Option<f64>) {
    let info = teardown.error_info();
    if result.outcome.element.is_none() {
        result.outcome.element = Some(JunitElement::Error);
        result.outcome.phase = Phase::Teardown;
        result.outcome.error = Some(info);
    } else {
        result.outcome.errors.push(info);
    }
    result.duration = match (result.duration, duration) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
}
