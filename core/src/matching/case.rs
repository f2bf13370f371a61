//! The two sides of a match: a case of the repository snapshot ([`RepoCase`]) and what a
//! finished result says about its case ([`ResultFacts`]), read field by field through
//! [`CaseField`].

use crate::result::{Step, TestResult};
use crate::status::Status;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A field of a case that a created case may take from a result, or an update may
/// overwrite. Snake_case on the wire (`"preconditions"`, `"type"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseField {
    /// The case title (always taken on creation; updatable).
    Title,
    /// Free text description.
    Description,
    /// Preconditions text.
    Preconditions,
    /// Postconditions text.
    Postconditions,
    /// The suite path.
    Suite,
    /// The steps.
    Steps,
    /// Parameters and their values.
    Parameters,
    /// Severity.
    Severity,
    /// Priority.
    Priority,
    /// Layer (e2e, api, unit).
    Layer,
    /// Case type (functional, smoke, regression, …).
    Type,
    /// Behavior (positive, negative, destructive).
    Behavior,
    /// The muted flag.
    Muted,
    /// The flaky flag.
    Flaky,
    /// Tags.
    Tags,
}

impl CaseField {
    /// Every field, in wire order.
    pub const ALL: [CaseField; 15] = [
        CaseField::Title,
        CaseField::Description,
        CaseField::Preconditions,
        CaseField::Postconditions,
        CaseField::Suite,
        CaseField::Steps,
        CaseField::Parameters,
        CaseField::Severity,
        CaseField::Priority,
        CaseField::Layer,
        CaseField::Type,
        CaseField::Behavior,
        CaseField::Muted,
        CaseField::Flaky,
        CaseField::Tags,
    ];

    /// The key of a text field in the `fields` maps, `None` for structured fields.
    pub fn text_key(self) -> Option<&'static str> {
        Some(match self {
            CaseField::Description => "description",
            CaseField::Preconditions => "preconditions",
            CaseField::Postconditions => "postconditions",
            CaseField::Severity => "severity",
            CaseField::Priority => "priority",
            CaseField::Layer => "layer",
            CaseField::Type => "type",
            CaseField::Behavior => "behavior",
            _ => return None,
        })
    }
}

/// One step of a repository case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CaseStep {
    /// What to do.
    pub action: String,
    /// What should happen.
    pub expected_result: Option<String>,
    /// Input data.
    pub data: Option<String>,
}

/// One case of the repository snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RepoCase {
    /// The case id (positive).
    pub id: u64,
    /// The title.
    pub title: String,
    /// Suite path, outermost first.
    pub suite: Vec<String>,
    /// Automated (true) or manual (false).
    pub automated: bool,
    /// Text fields by key: description, preconditions, postconditions, severity, priority,
    /// layer, type, behavior.
    pub fields: BTreeMap<String, String>,
    /// Steps.
    pub steps: Vec<CaseStep>,
    /// Parameters: name → the values the case knows.
    pub params: IndexMap<String, Vec<String>>,
    /// Tags.
    pub tags: Vec<String>,
    /// Muted flag.
    pub muted: bool,
    /// Flaky flag.
    pub flaky: bool,
}

impl RepoCase {
    /// The value of one field as JSON (`null` for an absent text field).
    pub fn value(&self, field: CaseField) -> Value {
        if let Some(key) = field.text_key() {
            return self
                .fields
                .get(key)
                .map_or(Value::Null, |v| v.clone().into());
        }
        match field {
            CaseField::Title => self.title.clone().into(),
            CaseField::Suite => to_json(&self.suite),
            CaseField::Steps => to_json(&self.steps),
            CaseField::Parameters => to_json(&self.params),
            CaseField::Muted => self.muted.into(),
            CaseField::Flaky => self.flaky.into(),
            CaseField::Tags => to_json(&self.tags),
            _ => Value::Null,
        }
    }
}

/// What a finished result says about its case: the input of matching. Built by the host,
/// or from a [`TestResult`] and its final status with [`ResultFacts::from_test_result`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultFacts {
    /// Case ids given by the test; `null` for none. Ids ≤ 0 are ignored.
    #[serde(default)]
    pub testops_ids: Option<Vec<i64>>,
    /// The title, case-id markers already removed.
    pub title: String,
    /// Suite path, outermost first.
    #[serde(default)]
    pub suite: Vec<String>,
    /// The final status (after classification, mapping and filter).
    pub status: Status,
    /// Text fields the test declares (description, severity, …).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Steps the test declares.
    #[serde(default)]
    pub steps: Vec<CaseStep>,
    /// Parameters of this result: name → value.
    #[serde(default)]
    pub params: IndexMap<String, String>,
    /// Tags the test declares.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Muted flag, `null` when the test does not say.
    #[serde(default)]
    pub muted: Option<bool>,
    /// Flaky flag, `null` when the test does not say.
    #[serde(default)]
    pub flaky: Option<bool>,
}

impl ResultFacts {
    /// The facts of a reported result with its final status. Top-level steps become case
    /// steps (title → action); a muted result says `muted: true`, otherwise nothing.
    pub fn from_test_result(result: &TestResult, status: Status) -> Self {
        ResultFacts {
            testops_ids: result.testops_ids.clone(),
            title: result.title.clone(),
            suite: result.suite.clone(),
            status,
            fields: result.fields.clone(),
            steps: result.steps.iter().map(case_step).collect(),
            params: result.params.clone(),
            tags: Vec::new(),
            muted: result.muted.then_some(true),
            flaky: None,
        }
    }

    /// The positive case ids, in order, duplicates removed.
    pub fn positive_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = Vec::new();
        for &id in self.testops_ids.iter().flatten() {
            match u64::try_from(id) {
                Ok(id) if id > 0 && !ids.contains(&id) => ids.push(id),
                _ => {}
            }
        }
        ids
    }

    /// The value this result gives a field, `None` when it says nothing about it (an empty
    /// text, no steps, no parameters, no tags, an unset flag).
    pub fn value(&self, field: CaseField) -> Option<Value> {
        if let Some(key) = field.text_key() {
            return self
                .fields
                .get(key)
                .filter(|v| !v.is_empty())
                .map(|v| v.clone().into());
        }
        match field {
            CaseField::Title => Some(self.title.clone().into()),
            CaseField::Suite => (!self.suite.is_empty()).then(|| to_json(&self.suite)),
            CaseField::Steps => (!self.steps.is_empty()).then(|| to_json(&self.steps)),
            CaseField::Parameters => (!self.params.is_empty()).then(|| {
                let params: IndexMap<&String, [&String; 1]> =
                    self.params.iter().map(|(k, v)| (k, [v])).collect();
                to_json(&params)
            }),
            CaseField::Muted => self.muted.map(Value::Bool),
            CaseField::Flaky => self.flaky.map(Value::Bool),
            CaseField::Tags => (!self.tags.is_empty()).then(|| to_json(&self.tags)),
            _ => None,
        }
    }
}

fn case_step(step: &Step) -> CaseStep {
    CaseStep {
        action: step.title.clone(),
        expected_result: step.expected.clone(),
        data: step.data.clone(),
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Value {
    // Plain strings, lists and maps of strings always serialize.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::TestResult;

    #[test]
    fn facts_from_a_reported_result() {
        let result = TestResult {
            title: "Login".into(),
            suite: vec!["Auth".into()],
            testops_ids: Some(vec![0, 4, 4, -1, 7]),
            muted: true,
            steps: vec![Step {
                title: "open".into(),
                expected: Some("opened".into()),
                ..Step::default()
            }],
            ..TestResult::default()
        };
        let facts = ResultFacts::from_test_result(&result, Status::Failed);
        assert_eq!(facts.positive_ids(), [4, 7]);
        assert_eq!(facts.status, Status::Failed);
        assert_eq!(facts.muted, Some(true));
        assert_eq!(facts.steps[0].action, "open");
        assert_eq!(facts.value(CaseField::Flaky), None);
        let unmuted = ResultFacts::from_test_result(&TestResult::default(), Status::Passed);
        assert_eq!(unmuted.muted, None);
    }
}
