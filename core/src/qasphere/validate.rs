//! Validation of a run request: every broken rule is reported, each once, as data with a
//! stable code (not the core `Error`: a request with errors is a normal outcome to show).

use super::plans::{QsRunType, QueryPlan};
use serde::{Deserialize, Serialize};

/// Longest title, in characters.
pub const MAX_TITLE: usize = 255;
/// Longest description, in characters.
pub const MAX_DESCRIPTION: usize = 512;

/// A request to create a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QsRunRequest {
    /// Title, 1–255 characters, unique in the project.
    pub title: String,
    /// Description, at most 512 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// Run type.
    #[serde(rename = "type")]
    pub run_type: QsRunType,
    /// Query plans: exactly one for non-live runs; each live plan needs a folder id.
    #[serde(default, alias = "queryPlans")]
    pub query_plans: Vec<QueryPlan>,
}

/// The rules of a run request, `SCREAMING_SNAKE_CASE` on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunRule {
    /// The title is empty or only whitespace.
    TitleEmpty,
    /// The title has more than 255 characters.
    TitleTooLong,
    /// Another run of the project has this title.
    TitleNotUnique,
    /// The description has more than 512 characters.
    DescriptionTooLong,
    /// A non-live run needs exactly one plan; a live run at least one.
    PlanCount,
    /// A live run's plan has no folder id (`plan` names it).
    LivePlanWithoutFolder,
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRuleError {
    /// The rule.
    pub code: RunRule,
    /// The field it concerns (`title`, `description`, `query_plans`).
    pub field: String,
    /// The plan's index, for per-plan rules.
    pub plan: Option<usize>,
    /// What is wrong.
    pub message: String,
}

fn broken(code: RunRule, field: &str, plan: Option<usize>, message: String) -> RunRuleError {
    RunRuleError {
        code,
        field: field.to_owned(),
        plan,
        message,
    }
}

/// Checks a request against every rule; empty when it is valid. Lengths are counted in
/// characters; uniqueness compares trimmed titles, case-sensitively, with `existing_titles`.
pub fn validate_run(request: &QsRunRequest, existing_titles: &[String]) -> Vec<RunRuleError> {
    let mut errors = Vec::new();
    let title = request.title.trim();
    let title_len = request.title.chars().count();
    if title.is_empty() {
        errors.push(broken(
            RunRule::TitleEmpty,
            "title",
            None,
            "the title is empty".into(),
        ));
    } else if title_len > MAX_TITLE {
        errors.push(broken(
            RunRule::TitleTooLong,
            "title",
            None,
            format!("the title has {title_len} characters, at most {MAX_TITLE} are allowed"),
        ));
    }
    if !title.is_empty() && existing_titles.iter().any(|t| t.trim() == title) {
        errors.push(broken(
            RunRule::TitleNotUnique,
            "title",
            None,
            "another run of the project has this title".into(),
        ));
    }
    let description_len = request
        .description
        .as_deref()
        .map_or(0, |d| d.chars().count());
    if description_len > MAX_DESCRIPTION {
        errors.push(broken(
            RunRule::DescriptionTooLong,
            "description",
            None,
            format!("the description has {description_len} characters, at most {MAX_DESCRIPTION} are allowed"),
        ));
    }
    let plans = request.query_plans.len();
    match request.run_type {
        QsRunType::Live if plans == 0 => errors.push(broken(
            RunRule::PlanCount,
            "query_plans",
            None,
            "a live run needs at least one query plan".into(),
        )),
        QsRunType::Static | QsRunType::StaticStruct if plans != 1 => errors.push(broken(
            RunRule::PlanCount,
            "query_plans",
            None,
            format!("a non-live run takes exactly one query plan, got {plans}"),
        )),
        _ => {}
    }
    if request.run_type == QsRunType::Live {
        for (i, plan) in request.query_plans.iter().enumerate() {
            if plan.folder_ids.is_empty() {
                errors.push(broken(
                    RunRule::LivePlanWithoutFolder,
                    "query_plans",
                    Some(i),
                    format!("live query plan {i} needs at least one folder id"),
                ));
            }
        }
    }
    errors
}
