//! Query plans and run membership.
//!
//! A plan selects a case when every filter it sets holds: `tcase_ids` contains the case,
//! `folder_ids` contains its folder or an ancestor folder, `tag_ids` shares a tag with it,
//! `priorities` contains its priority. An unset (empty) filter holds for every case. A run
//! takes the union of its plans.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// How a run follows repository changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QsRunType {
    /// Fixed cases; later case edits are not reflected.
    Static,
    /// Fixed cases; case edits are reflected while the run is open.
    StaticStruct,
    /// Membership follows the plans' filters.
    Live,
}

/// Case priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QsPriority {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// One query plan. Accepts QA Sphere's camelCase keys too (`tcaseIds`, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct QueryPlan {
    /// Cases by id.
    #[serde(alias = "tcaseIds")]
    pub tcase_ids: Vec<u64>,
    /// Folders (and their subfolders).
    #[serde(alias = "folderIds")]
    pub folder_ids: Vec<u64>,
    /// Tags (any of them).
    #[serde(alias = "tagIds")]
    pub tag_ids: Vec<u64>,
    /// Priorities (any of them).
    pub priorities: Vec<QsPriority>,
}

/// A case of the QA Sphere repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QsCase {
    /// Case id.
    pub id: u64,
    /// Its folder.
    #[serde(alias = "folderId")]
    pub folder_id: u64,
    /// Its tags.
    #[serde(default, alias = "tagIds")]
    pub tag_ids: Vec<u64>,
    /// Its priority.
    pub priority: QsPriority,
}

/// A folder; `parent_id` null for a top folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QsFolder {
    /// Folder id.
    pub id: u64,
    /// Parent folder id.
    #[serde(default, alias = "parentId")]
    pub parent_id: Option<u64>,
}

/// A snapshot of the repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct QsSnapshot {
    /// Cases.
    pub cases: Vec<QsCase>,
    /// Folders.
    pub folders: Vec<QsFolder>,
}

impl QsSnapshot {
    /// The ids of the cases the plans select, ascending, each once.
    pub fn resolve(&self, plans: &[QueryPlan]) -> Vec<u64> {
        let parents: HashMap<u64, Option<u64>> =
            self.folders.iter().map(|f| (f.id, f.parent_id)).collect();
        let selected: BTreeSet<u64> = self
            .cases
            .iter()
            .filter(|case| plans.iter().any(|p| selects(p, case, &parents)))
            .map(|case| case.id)
            .collect();
        selected.into_iter().collect()
    }
}

fn selects(plan: &QueryPlan, case: &QsCase, parents: &HashMap<u64, Option<u64>>) -> bool {
    (plan.tcase_ids.is_empty() || plan.tcase_ids.contains(&case.id))
        && (plan.folder_ids.is_empty() || in_folders(case.folder_id, &plan.folder_ids, parents))
        && (plan.tag_ids.is_empty() || case.tag_ids.iter().any(|t| plan.tag_ids.contains(t)))
        && (plan.priorities.is_empty() || plan.priorities.contains(&case.priority))
}

/// True when `folder` or one of its ancestors is listed. A cycle in the snapshot's
/// parents ends the walk after every folder was seen once.
fn in_folders(folder: u64, listed: &[u64], parents: &HashMap<u64, Option<u64>>) -> bool {
    let mut current = Some(folder);
    for _ in 0..=parents.len() {
        let Some(id) = current else { return false };
        if listed.contains(&id) {
            return true;
        }
        current = parents.get(&id).copied().flatten();
    }
    false
}

/// A created run: its type, plans and the cases it took at creation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QsRun {
    /// Run type.
    #[serde(rename = "type")]
    pub run_type: QsRunType,
    /// Its query plans.
    #[serde(alias = "queryPlans")]
    pub query_plans: Vec<QueryPlan>,
    /// The cases at creation, ascending.
    pub case_ids: Vec<u64>,
}

/// A run's cases now, against the snapshot they were created from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QsMembership {
    /// The cases in the run now, ascending.
    pub case_ids: Vec<u64>,
    /// Cases that joined since creation.
    pub added: Vec<u64>,
    /// Cases that left since creation.
    pub removed: Vec<u64>,
    /// True when the run shows the current case data (`static_struct`, `live`), false
    /// when it shows the data as at creation (`static`).
    pub reflects_updates: bool,
}

impl QsRun {
    /// Creates a run from plans: the cases they select in `snapshot`.
    pub fn create(run_type: QsRunType, query_plans: Vec<QueryPlan>, snapshot: &QsSnapshot) -> Self {
        let case_ids = snapshot.resolve(&query_plans);
        QsRun {
            run_type,
            query_plans,
            case_ids,
        }
    }

    /// The run's cases after the repository changed to `current`: fixed for `static` and
    /// `static_struct` (even for deleted cases), re-resolved for `live`.
    pub fn membership(&self, current: &QsSnapshot) -> QsMembership {
        let case_ids = match self.run_type {
            QsRunType::Live => current.resolve(&self.query_plans),
            QsRunType::Static | QsRunType::StaticStruct => self.case_ids.clone(),
        };
        let before: BTreeSet<u64> = self.case_ids.iter().copied().collect();
        let after: BTreeSet<u64> = case_ids.iter().copied().collect();
        QsMembership {
            added: after.difference(&before).copied().collect(),
            removed: before.difference(&after).copied().collect(),
            case_ids,
            reflects_updates: self.run_type != QsRunType::Static,
        }
    }
}
