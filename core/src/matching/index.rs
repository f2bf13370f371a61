//! The [`CaseIndex`]: a snapshot of cases, looked up by id and by title + suite path.
//!
//! Title + suite lookups go through a 64-bit fingerprint of (suite, title) mapped to the
//! cases that share it; candidates are compared in full against a compact copy of their
//! key (one contiguous arena, so a check touches one or two cache lines instead of five
//! strings), so a fingerprint collision can never link the wrong case, and a lookup
//! allocates nothing.

use super::case::RepoCase;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::Hasher;

/// A repository snapshot indexed for matching. Build it once per run.
#[derive(Clone, Debug, Default)]
pub struct CaseIndex {
    cases: Vec<RepoCase>,
    by_id: FxHashMap<u64, u32>,
    by_title: FxHashMap<u64, Slot>,
    /// Every case's encoded (suite, title) key, back to back; case i ends at `key_ends[i]`.
    keys: Vec<u8>,
    key_ends: Vec<usize>,
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
        let mut keys = Vec::new();
        let mut key_ends = Vec::with_capacity(cases.len());
        for (i, case) in cases.iter().enumerate() {
            encode_key(&mut keys, &case.title, &case.suite);
            key_ends.push(keys.len());
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
        keys.shrink_to_fit();
        CaseIndex {
            cases,
            by_id,
            by_title,
            keys,
            key_ends,
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
            .filter(|&&i| key_matches(self.key(i as usize), title, suite))
            .map(|&i| &self.cases[i as usize])
            .min_by_key(|c| c.id)
    }

    fn key(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.key_ends[i - 1] };
        &self.keys[start..self.key_ends[i]]
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

/// Appends the unambiguous key of (suite, title): each suite part length-prefixed, then
/// the title.
fn encode_key(out: &mut Vec<u8>, title: &str, suite: &[String]) {
    out.extend_from_slice(&(suite.len() as u64).to_le_bytes());
    for part in suite {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out.extend_from_slice(title.as_bytes());
}

/// True when `key` is the encoding of (suite, title), compared piece by piece.
fn key_matches<S: AsRef<str>>(key: &[u8], title: &str, suite: &[S]) -> bool {
    let mut rest = key;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    if take(8) != Some(&(suite.len() as u64).to_le_bytes()[..]) {
        return false;
    }
    for part in suite {
        let part = part.as_ref().as_bytes();
        if take(8) != Some(&(part.len() as u64).to_le_bytes()[..]) || take(part.len()) != Some(part)
        {
            return false;
        }
    }
    rest == title.as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(title: &str, suite: &[&str]) -> Vec<u8> {
        let suite: Vec<String> = suite.iter().map(|s| (*s).to_owned()).collect();
        let mut out = Vec::new();
        encode_key(&mut out, title, &suite);
        out
    }

    #[test]
    fn keys_keep_piece_boundaries() {
        let k = key("bc", &["a"]);
        assert!(key_matches(&k, "bc", &["a"]));
        assert!(!key_matches(&k, "c", &["ab"]));
        assert!(!key_matches(&k, "abc", &[] as &[&str]));
        assert!(!key_matches(&k, "bc", &["a", ""]));
        assert!(!key_matches(&key("t", &["a", "b"]), "t", &["ab"]));
        assert!(!key_matches(&k, "b", &["a"]));
    }

    #[test]
    fn candidates_sharing_a_fingerprint_are_told_apart() {
        // Force every case into one slot: the full-key check alone must decide.
        let cases = vec![
            RepoCase {
                id: 5,
                title: "x".into(),
                suite: vec!["s".into()],
                ..RepoCase::default()
            },
            RepoCase {
                id: 6,
                title: "y".into(),
                suite: vec!["s".into()],
                ..RepoCase::default()
            },
        ];
        let mut index = CaseIndex::build(cases);
        index.by_title = [(fingerprint("y", &["s"]), Slot::Many(vec![0, 1]))]
            .into_iter()
            .collect();
        assert_eq!(index.by_title_suite("y", &["s"]).map(|c| c.id), Some(6));
    }
}
