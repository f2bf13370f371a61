//! Assignment of a run's cases to a group of people (SPEC §7): evenly by count, or
//! load-balanced by estimated duration (longest first onto the least loaded).

use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How cases are spread over the group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AssignMode {
    /// Equal counts: case i goes to member i mod n.
    #[default]
    Even,
    /// Equal estimated time: longest case first, each onto the least loaded member (ties:
    /// fewer cases, then member order).
    Balanced,
}

/// The cases given to one member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// The member.
    pub member: String,
    /// Their cases, in the order they were assigned.
    pub case_ids: Vec<u64>,
    /// Their estimated time, ms.
    pub estimated: f64,
}

/// Assigns `case_ids` to `members`. `estimates` maps case id → estimated ms; a case without
/// an estimate counts as the mean of the known ones (0 when none is known). Every case goes
/// to exactly one member; members keep their order. No members with cases → `INVALID_INPUT`.
pub fn assign(
    case_ids: &[u64],
    members: &[String],
    mode: AssignMode,
    estimates: &BTreeMap<u64, f64>,
) -> Result<Vec<Assignment>, Error> {
    if members.is_empty() && !case_ids.is_empty() {
        return Err(Error::invalid("members", "no member to assign cases to"));
    }
    let known: Vec<f64> = case_ids
        .iter()
        .filter_map(|id| estimates.get(id).copied())
        .filter(|d| d.is_finite() && *d >= 0.0)
        .collect();
    let fallback = if known.is_empty() {
        0.0
    } else {
        known.iter().sum::<f64>() / known.len() as f64
    };
    let cost = |id: &u64| {
        estimates
            .get(id)
            .copied()
            .filter(|d| d.is_finite() && *d >= 0.0)
            .unwrap_or(fallback)
    };
    let mut out: Vec<Assignment> = members
        .iter()
        .map(|m| Assignment {
            member: m.clone(),
            case_ids: Vec::new(),
            estimated: 0.0,
        })
        .collect();
    match mode {
        AssignMode::Even => {
            for (i, id) in case_ids.iter().enumerate() {
                let slot = &mut out[i % members.len()];
                slot.case_ids.push(*id);
                slot.estimated += cost(id);
            }
        }
        AssignMode::Balanced => {
            let mut order: Vec<(f64, u64)> = case_ids.iter().map(|id| (cost(id), *id)).collect();
            // Stable: equal costs keep input order.
            order.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (c, id) in order {
                let slot = out
                    .iter_mut()
                    .enumerate()
                    .min_by(|(i, a), (j, b)| {
                        a.estimated
                            .total_cmp(&b.estimated)
                            .then(a.case_ids.len().cmp(&b.case_ids.len()))
                            .then(i.cmp(j))
                    })
                    .map(|(_, slot)| slot)
                    .ok_or_else(|| Error::invalid("members", "no member to assign cases to"))?;
                slot.case_ids.push(id);
                slot.estimated += c;
            }
        }
    }
    Ok(out)
}
