//! One result → linked / create / caseless, with the reason (SPEC §6 steps 1–3).

use super::case::{CaseField, ResultFacts};
use super::index::CaseIndex;
use super::settings::MatchSettings;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// How a result found its case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkedBy {
    /// By a case id the test gave.
    Id,
    /// By title and suite path together.
    TitleSuite,
}

/// Why a result is not linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnlinkedReason {
    /// The test gave case ids and none exists (titles are then not looked up).
    UnknownId,
    /// No case has this title in this suite path.
    NoTitleSuiteMatch,
}

/// Why an unlinked result creates no case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaselessReason {
    /// Auto-create is off.
    AutoCreateOff,
    /// The result's status is outside the creation status filter.
    StatusNotCreated,
}

/// A case to create from a result: the title, always automated, and the switchable fields
/// the result gave (keys are [`CaseField`] names, values as in [`super::RepoCase`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDraft {
    /// The title.
    pub title: String,
    /// Created cases are automated.
    pub automated: bool,
    /// The other fields taken from the result, by field name.
    pub fields: BTreeMap<CaseField, Value>,
}

/// The decision for one result. Tagged by `decision` on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Linked to existing case(s).
    Linked {
        /// The first linked case.
        case_id: u64,
        /// Every linked case (a test may name several ids).
        case_ids: Vec<u64>,
        /// How they were found.
        by: LinkedBy,
        /// Ids the test gave that the repository lacks.
        unknown_ids: Vec<u64>,
    },
    /// Unlinked; a case will be created from the result.
    Create {
        /// Why it is unlinked.
        unlinked: UnlinkedReason,
        /// The case to create.
        draft: CaseDraft,
    },
    /// Unlinked; the result is stored without a case.
    Caseless {
        /// Why it is unlinked.
        unlinked: UnlinkedReason,
        /// Why no case is created.
        reason: CaselessReason,
    },
}

impl Decision {
    /// The linked case ids (empty unless linked).
    pub fn case_ids(&self) -> &[u64] {
        match self {
            Decision::Linked { case_ids, .. } => case_ids,
            _ => &[],
        }
    }
}

impl CaseIndex {
    /// Decides one result: ids first (a result with ids is looked up by id only), else
    /// title + suite path; an unlinked result is created or stays caseless by the settings.
    pub fn match_result(&self, result: &ResultFacts, settings: &MatchSettings) -> Decision {
        let ids = result.positive_ids();
        let unlinked = if ids.is_empty() {
            if let Some(case) = self.by_title_suite(&result.title, &result.suite) {
                return Decision::Linked {
                    case_id: case.id,
                    case_ids: vec![case.id],
                    by: LinkedBy::TitleSuite,
                    unknown_ids: Vec::new(),
                };
            }
            UnlinkedReason::NoTitleSuiteMatch
        } else {
            let (found, unknown): (Vec<u64>, Vec<u64>) =
                ids.into_iter().partition(|&id| self.by_id(id).is_some());
            if let Some(&case_id) = found.first() {
                return Decision::Linked {
                    case_id,
                    case_ids: found,
                    by: LinkedBy::Id,
                    unknown_ids: unknown,
                };
            }
            UnlinkedReason::UnknownId
        };
        if !settings.auto_create {
            Decision::Caseless {
                unlinked,
                reason: CaselessReason::AutoCreateOff,
            }
        } else if !settings.create_from.admits(result.status) {
            Decision::Caseless {
                unlinked,
                reason: CaselessReason::StatusNotCreated,
            }
        } else {
            Decision::Create {
                unlinked,
                draft: draft(result, settings),
            }
        }
    }

    /// The title a result displays: the linked case's repository title when
    /// `use_repository_titles` is on, else the result's own title.
    pub fn display_title<'a>(
        &'a self,
        result: &'a ResultFacts,
        decision: &Decision,
        settings: &MatchSettings,
    ) -> &'a str {
        match decision {
            Decision::Linked { case_id, .. } if settings.use_repository_titles => self
                .by_id(*case_id)
                .map_or(result.title.as_str(), |c| c.title.as_str()),
            _ => &result.title,
        }
    }
}

/// The case a result would create: its title, and each enabled field it gives.
fn draft(result: &ResultFacts, settings: &MatchSettings) -> CaseDraft {
    // Inserted one by one, not collected: `collect` into a BTreeMap sorts first, a stable
    // sort instantiated for this one map (size of the WASM module).
    let mut fields = BTreeMap::new();
    for &f in &settings.create_fields {
        if f == CaseField::Title {
            continue;
        }
        if let Some(v) = result.value(f) {
            fields.insert(f, v);
        }
    }
    CaseDraft {
        title: result.title.clone(),
        automated: true,
        fields,
    }
}
