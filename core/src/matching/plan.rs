//! The whole-run plan: every result's decision, the cases to create (once each), the
//! updates per case, and the totals — ready for a preview or a dry run.

use super::case::ResultFacts;
use super::decide::{CaseDraft, Decision};
use super::index::CaseIndex;
use super::settings::MatchSettings;
use super::update::{CaseUpdate, PlannedFields};
use crate::warning::Warning;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The plan for one result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultPlan {
    /// The decision (flattened: `decision`, `case_id`, `by`, …).
    #[serde(flatten)]
    pub decision: Decision,
    /// The title the result displays.
    pub display_title: String,
    /// For `create`: the index of its case in [`SyncPlan::new_cases`] (results with the
    /// same title and suite share one new case).
    pub new_case: Option<usize>,
}

/// Totals of a plan. `link + create + caseless` is the number of results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlanTotals {
    /// Results linked to existing cases.
    pub link: usize,
    /// Results that create a case.
    pub create: usize,
    /// Cases with field diffs.
    pub update: usize,
    /// Results stored without a case.
    pub caseless: usize,
    /// Distinct cases to create.
    pub new_cases: usize,
}

/// The plan for a whole run. Nothing has been written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncPlan {
    /// One entry per result, in input order.
    pub results: Vec<ResultPlan>,
    /// The cases to create, in order of first appearance.
    pub new_cases: Vec<CaseDraft>,
    /// The updates, by case id.
    pub updates: Vec<CaseUpdate>,
    /// The totals.
    pub totals: PlanTotals,
    /// Warnings about the settings.
    pub warnings: Vec<Warning>,
}

impl CaseIndex {
    /// Plans a whole run: decisions, new cases (one per title + suite path), updates merged
    /// per case (the first result to change a field decides it; parameter values
    /// accumulate), totals and settings warnings.
    pub fn plan(&self, results: &[ResultFacts], settings: &MatchSettings) -> SyncPlan {
        let mut plans = Vec::with_capacity(results.len());
        let mut new_cases: Vec<CaseDraft> = Vec::new();
        let mut new_case_of: FxHashMap<(&[String], &str), usize> = FxHashMap::default();
        let mut planned: BTreeMap<u64, PlannedFields> = BTreeMap::new();
        let mut totals = PlanTotals::default();
        for result in results {
            let decision = self.match_result(result, settings);
            let mut new_case = None;
            match &decision {
                Decision::Linked { case_ids, .. } => {
                    totals.link += 1;
                    for &id in case_ids {
                        if let Some(case) = self.by_id(id) {
                            planned.entry(id).or_default().add(case, result, settings);
                        }
                    }
                }
                Decision::Create { draft, .. } => {
                    totals.create += 1;
                    let key = (result.suite.as_slice(), result.title.as_str());
                    let index = *new_case_of.entry(key).or_insert_with(|| {
                        new_cases.push(draft.clone());
                        new_cases.len() - 1
                    });
                    new_case = Some(index);
                }
                Decision::Caseless { .. } => totals.caseless += 1,
            }
            plans.push(ResultPlan {
                display_title: self.display_title(result, &decision, settings).to_owned(),
                decision,
                new_case,
            });
        }
        let updates: Vec<CaseUpdate> = planned
            .into_iter()
            .filter_map(|(id, fields)| fields.into_update(self.by_id(id)?))
            .collect();
        totals.update = updates.len();
        totals.new_cases = new_cases.len();
        SyncPlan {
            results: plans,
            new_cases,
            updates,
            totals,
            warnings: settings.warnings(),
        }
    }
}
