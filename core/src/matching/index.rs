//! The [`CaseIndex`]: a snapshot of cases, looked up by id and by title + suite path.
//!
//! Title + suite lookups go through a 64-bit fingerprint of (suite, title) mapped to the
//! cases that share it; candidates are compared in full, so a fingerprint collision can
//! never link the wrong case, and a lookup allocates nothing.

use super::case::RepoCase;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::Hasher;

/// A repository snapshot indexed for matching. Build it once per run.
#[derive(Clone, Debug, Default)]
pub struct CaseIndex {
    cases: Vec<RepoCase>,
    by_id: FxHashMap<u64, u32>,
    by_title: FxHashMap<u64, Slot>,
}

/// The cases of one fingerprint: almost always one.
#[derive(Clone, Debug)]
enum Slot {
    One(u32),
    Many(Vec<u32>),
}

impl CaseIndex {
    /// Indexes a snapshot. With duplicate ids the first case wins; with several cases of
    /// the same title in the same suite, the lowest id wins.
    pub fn build(cases: Vec<RepoCase>) -> Self {
        let mut by_id = FxHashMap::with_capacity_and_hasher(cases.len(), Default::default());
        let mut by_title: FxHashMap<u64, Slot> =
            FxHashMap::with_capacity_and_hasher(cases.len(), Default::default());
        for (i, case) in cases.iter().enumerate() {
            // Snapshots beyond u32::MAX cases are not a thing a reporter meets.
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            by_id.entry(case.id).or_insert(i);
            let key = fingerprint(&case.title, &case.suite);
            match by_title.get_mut(&key) {
                None => {
                    by_title.insert(key, Slot::One(i));
                }
                Some(slot) => slot.push(i),
            }
        }
        CaseIndex {
            cases,
            by_id,
            by_title,
        }
    }

    /// The number of indexed cases.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// True when the snapshot has no cases.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// The indexed cases, in snapshot order.
    pub fn cases(&self) -> &[RepoCase] {
        &self.cases
    }

    /// The case with this id.
    pub fn by_id(&self, id: u64) -> Option<&RepoCase> {
        self.by_id.get(&id).map(|&i| &self.cases[i as usize])
    }

    /// The case with exactly this title in exactly this suite path (both compared as
    /// written: case-sensitive, no trimming); the lowest id when there are several.
    pub fn by_title_suite<S: AsRef<str>>(&self, title: &str, suite: &[S]) -> Option<&RepoCase> {
        let candidates: &[u32] = match self.by_title.get(&fingerprint(title, suite))? {
            Slot::One(i) => std::slice::from_ref(i),
            Slot::Many(all) => all,
        };
        candidates
            .iter()
            .map(|&i| &self.cases[i as usize])
            .filter(|c| {
                c.title == title
                    && c.suite.len() == suite.len()
                    && c.suite.iter().zip(suite).all(|(a, b)| a == b.as_ref())
            })
            .min_by_key(|c| c.id)
    }
}

impl Slot {
    fn push(&mut self, i: u32) {
        match self {
            Slot::One(first) => *self = Slot::Many(vec![*first, i]),
            Slot::Many(all) => all.push(i),
        }
    }
}

/// A deterministic fingerprint of (suite, title); lengths are hashed so that
/// `["a b"]` and `["a", "b"]` differ.
fn fingerprint<S: AsRef<str>>(title: &str, suite: &[S]) -> u64 {
    let mut h = FxHasher::default();
    h.write_usize(suite.len());
    for part in suite {
        let part = part.as_ref();
        h.write_usize(part.len());
        h.write(part.as_bytes());
    }
    h.write_usize(title.len());
    h.write(title.as_bytes());
    h.finish()
}
