//! Matching and sync settings (SPEC §6), one flat serde shape with every default filled.

use super::case::CaseField;
use crate::status::Status;
use crate::warning::{Warning, WarningCode};
use serde::{Deserialize, Serialize};

/// Which result statuses a rule applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StatusScope {
    /// Only `passed` results.
    #[default]
    Passed,
    /// Every status.
    All,
}

impl StatusScope {
    /// True when a result with `status` is in scope.
    pub fn admits(self, status: Status) -> bool {
        self == StatusScope::All || status == Status::Passed
    }
}

/// Which cases auto-update may touch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CaseTypes {
    /// Manual and automated cases.
    #[default]
    All,
    /// Only manual cases.
    Manual,
    /// Only automated cases.
    Automated,
}

impl CaseTypes {
    /// True when a case with this automated flag may be updated.
    pub fn admits(self, automated: bool) -> bool {
        match self {
            CaseTypes::All => true,
            CaseTypes::Manual => !automated,
            CaseTypes::Automated => automated,
        }
    }
}

/// How results are matched to cases and what may change in the repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchSettings {
    /// Create a case for an unlinked result (default on).
    pub auto_create: bool,
    /// Which statuses may create a case (default passed only).
    pub create_from: StatusScope,
    /// Fields a created case takes from the result besides the title (default all).
    pub create_fields: Vec<CaseField>,
    /// Overwrite fields of linked cases from results (default off).
    pub auto_update: bool,
    /// Which statuses may update a case (default passed only).
    pub update_from: StatusScope,
    /// Fields auto-update may overwrite (default all).
    pub update_fields: Vec<CaseField>,
    /// Which case types auto-update may touch (default all).
    pub update_case_types: CaseTypes,
    /// Results display the repository title of their linked case (default off).
    pub use_repository_titles: bool,
}

impl Default for MatchSettings {
    fn default() -> Self {
        MatchSettings {
            auto_create: true,
            create_from: StatusScope::Passed,
            create_fields: CaseField::ALL.to_vec(),
            auto_update: false,
            update_from: StatusScope::Passed,
            update_fields: CaseField::ALL.to_vec(),
            update_case_types: CaseTypes::All,
            use_repository_titles: false,
        }
    }
}

impl MatchSettings {
    /// True when auto-update may write the title: on, with `title` among its fields, and
    /// not overridden by repository titles (the repository is then the title's source).
    pub fn updates_titles(&self) -> bool {
        self.auto_update
            && self.update_fields.contains(&CaseField::Title)
            && !self.use_repository_titles
    }

    /// Warnings about contradicting settings: repository titles together with auto-update
    /// of the title. The repository title wins; title diffs are left out of the plan.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        if self.use_repository_titles
            && self.auto_update
            && self.update_fields.contains(&CaseField::Title)
        {
            warnings.push(Warning::new(
                WarningCode::ConflictingSettings,
                "use_repository_titles",
                "results display repository titles, so auto-update of the title field \
                 contradicts it; titles are not updated",
            ));
        }
        warnings
    }
}
