//! QA Sphere runs (SPEC §7, seed 004): run types, query plans resolved against a
//! repository snapshot, validation of a run request (one error per broken rule, as data),
//! membership after case changes, and statusCounts.

mod plans;
mod status_counts;
mod validate;

pub use plans::{
    QsCase, QsFolder, QsMembership, QsPriority, QsRun, QsRunType, QsSnapshot, QueryPlan,
};
pub use status_counts::{QsStatus, StatusCounts, status_counts};
pub use validate::{QsRunRequest, RunRule, RunRuleError, validate_run};
