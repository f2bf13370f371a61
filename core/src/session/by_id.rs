//! Values keyed by one of the session's own counters (request ids, held results), which only
//! grow: kept in key order, which is the order they came in and the order their results reach
//! the fallback in.
//!
//! A `VecDeque` rather than a `BTreeMap`: entries come at the back and leave near the front.
//! Requests in flight are a bounded few; a held result leaves when its attachments are
//! uploaded, and uploads go out oldest first (`attachment_queue`), a bounded number at a time,
//! so the entries that leave are among the oldest, and a removal shifts the shorter side. The
//! B-tree's insertion, removal and rebalancing code, instantiated once per value type, weighs
//! on the WASM page module (`bindings-wasm/build.sh` prints its size).

use std::collections::VecDeque;

#[derive(Debug)]
pub(super) struct ById<V>(VecDeque<(u64, V)>);

impl<V> Default for ById<V> {
    fn default() -> Self {
        ById(VecDeque::new())
    }
}

impl<V> ById<V> {
    pub(super) fn insert(&mut self, id: u64, value: V) {
        match self.0.back() {
            Some((last, _)) if *last >= id => {
                let at = self.0.partition_point(|(k, _)| *k < id);
                if self.0.get(at).is_some_and(|(k, _)| *k == id) {
                    self.0[at].1 = value;
                } else {
                    self.0.insert(at, (id, value));
                }
            }
            _ => self.0.push_back((id, value)),
        }
    }

    fn index(&self, id: u64) -> Option<usize> {
        self.0.binary_search_by_key(&id, |(k, _)| *k).ok()
    }

    pub(super) fn get(&self, id: u64) -> Option<&V> {
        self.index(id).map(|i| &self.0[i].1)
    }

    pub(super) fn get_mut(&mut self, id: u64) -> Option<&mut V> {
        self.index(id).map(|i| &mut self.0[i].1)
    }

    pub(super) fn remove(&mut self, id: u64) -> Option<V> {
        let at = self.index(id)?;
        self.0.remove(at).map(|(_, value)| value)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// In key order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &(u64, V)> {
        self.0.iter()
    }

    /// Every entry, in key order, leaving none.
    pub(super) fn take(&mut self) -> VecDeque<(u64, V)> {
        std::mem::take(&mut self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::ById;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u64, u32),
        Remove(u64),
        Update(u64, u32),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..40u64, any::<u32>()).prop_map(|(k, v)| Op::Insert(k, v)),
            (0..40u64).prop_map(Op::Remove),
            (0..40u64, any::<u32>()).prop_map(|(k, v)| Op::Update(k, v)),
        ]
    }

    proptest! {
        /// The same answers as a `BTreeMap` under any mix of operations, keys in any order.
        #[test]
        fn behaves_as_an_ordered_map(ops in proptest::collection::vec(op(), 0..200)) {
            let mut ours = ById::default();
            let mut model = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => {
                        ours.insert(k, v);
                        model.insert(k, v);
                    }
                    Op::Remove(k) => prop_assert_eq!(ours.remove(k), model.remove(&k)),
                    Op::Update(k, v) => {
                        if let Some(x) = ours.get_mut(k) {
                            *x = v;
                        }
                        if let Some(x) = model.get_mut(&k) {
                            *x = v;
                        }
                    }
                }
                prop_assert_eq!(ours.get(7), model.get(&7));
                prop_assert_eq!(ours.is_empty(), model.is_empty());
                let listed: Vec<(u64, u32)> = ours.iter().copied().collect();
                prop_assert_eq!(listed, model.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>());
            }
            let rest: Vec<(u64, u32)> = ours.take().into_iter().collect();
            prop_assert_eq!(rest, model.into_iter().collect::<Vec<_>>());
            prop_assert!(ours.is_empty());
        }
    }
}
