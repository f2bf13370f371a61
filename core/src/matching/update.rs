//! Auto-update (SPEC §6, off by default): the field diffs results would write to the cases
//! they link to, limited by allowed fields, statuses and case types.

use super::case::{CaseField, RepoCase, ResultFacts};
use super::settings::MatchSettings;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One field that would change: from the repository value to the result's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDiff {
    /// The field.
    pub field: CaseField,
    /// The repository value (`null` when absent).
    pub from: Value,
    /// The value that would be written.
    pub to: Value,
}

/// The writes planned for one case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseUpdate {
    /// The case.
    pub case_id: u64,
    /// Its changed fields, in field order.
    pub diffs: Vec<FieldDiff>,
}

/// The fields planned so far for one case, merged over the results that link to it.
#[derive(Debug, Default)]
pub(super) struct PlannedFields(BTreeMap<CaseField, Value>);

impl PlannedFields {
    /// Folds in what one result would write. The first result to change a field decides
    /// it, except parameters, whose values accumulate over results.
    pub(super) fn add(&mut self, case: &RepoCase, result: &ResultFacts, settings: &MatchSettings) {
        if !updates(case, result, settings) {
            return;
        }
        for &field in &settings.update_fields {
            if field == CaseField::Title && !settings.updates_titles() {
                continue;
            }
            if field != CaseField::Parameters && self.0.contains_key(&field) {
                continue;
            }
            let current = self
                .0
                .get(&field)
                .cloned()
                .unwrap_or_else(|| case.value(field));
            let Some(proposed) = proposal(field, &current, result) else {
                continue;
            };
            if proposed != current {
                self.0.insert(field, proposed);
            }
        }
    }

    /// The diffs against the repository case, `None` when nothing changes.
    pub(super) fn into_update(self, case: &RepoCase) -> Option<CaseUpdate> {
        let diffs: Vec<FieldDiff> = self
            .0
            .into_iter()
            .map(|(field, to)| FieldDiff {
                field,
                from: case.value(field),
                to,
            })
            .filter(|d| d.from != d.to)
            .collect();
        (!diffs.is_empty()).then_some(CaseUpdate {
            case_id: case.id,
            diffs,
        })
    }
}

/// The diffs one result alone would write to one case.
pub fn update_diffs(
    case: &RepoCase,
    result: &ResultFacts,
    settings: &MatchSettings,
) -> Vec<FieldDiff> {
    let mut planned = PlannedFields::default();
    planned.add(case, result, settings);
    planned
        .into_update(case)
        .map(|u| u.diffs)
        .unwrap_or_default()
}

/// Auto-update on, the result's status in scope, the case's type in scope.
fn updates(case: &RepoCase, result: &ResultFacts, settings: &MatchSettings) -> bool {
    settings.auto_update
        && settings.update_from.admits(result.status)
        && settings.update_case_types.admits(case.automated)
}

/// What the result would make of a field whose value is `current`; `None` when the result
/// says nothing about it (a result never erases repository data).
fn proposal(field: CaseField, current: &Value, result: &ResultFacts) -> Option<Value> {
    if field != CaseField::Parameters {
        return result.value(field);
    }
    if result.params.is_empty() {
        return None;
    }
    let mut merged = match current {
        Value::Object(map) => map.clone(),
        _ => serde_json::Map::new(),
    };
    for (name, value) in &result.params {
        let values = merged
            .entry(name.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = values {
            if !list.iter().any(|v| v.as_str() == Some(value)) {
                list.push(value.clone().into());
            }
        }
    }
    Some(Value::Object(merged))
}
