//! Case matching and repository sync (SPEC §6, seed 002), as pure functions over a snapshot
//! of the repository's cases.
//!
//! Build a [`CaseIndex`] once from the snapshot, then ask it about each result:
//! [`CaseIndex::match_result`] says linked (by id or by title + suite), create (with the
//! case draft) or caseless, with the reason; [`CaseIndex::plan`] does it for a whole run
//! and adds the auto-update diffs and the totals. Nothing is written anywhere: the output is
//! a plan for a preview, a dry run, or a host that performs it.

mod case;
mod decide;
mod index;
mod plan;
mod settings;
mod update;

pub use case::{CaseField, CaseStep, RepoCase, ResultFacts};
pub use decide::{CaseDraft, CaselessReason, Decision, LinkedBy, UnlinkedReason};
pub use index::CaseIndex;
pub use plan::{PlanTotals, ResultPlan, SyncPlan};
pub use settings::{CaseTypes, MatchSettings, StatusScope};
pub use update::{CaseUpdate, FieldDiff, update_diffs};
