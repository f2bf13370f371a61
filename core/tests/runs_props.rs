//! Invariants of the run model and QA Sphere runs.

use proptest::prelude::*;
use std::collections::BTreeMap;
use testrelay::*;

fn status_name() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        prop::sample::select(vec![
            "passed", "failed", "skipped", "blocked", "invalid", "custom",
        ])
        .prop_map(str::to_owned),
    )
}

fn run_case() -> impl Strategy<Value = RunCase> {
    (
        1u64..50,
        status_name(),
        any::<bool>(),
        prop::option::of(0.0f64..1e6),
        prop::option::of(0.0f64..1e4),
    )
        .prop_map(|(case_id, status, muted, started_at, duration)| RunCase {
            case_id,
            status,
            muted,
            started_at,
            duration,
            history: Vec::new(),
        })
}

fn members(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("m{i}")).collect()
}

proptest! {
    #[test]
    fn stats_counts_add_up(cases in prop::collection::vec(run_case(), 0..30)) {
        let stats = run_stats(&cases, &BTreeMap::new());
        prop_assert_eq!(stats.counts.values().sum::<usize>(), stats.total);
        prop_assert_eq!(stats.completed + stats.counts[testrelay::runs::OPEN], stats.total);
        prop_assert!((0.0..=1.0).contains(&stats.completion_rate));
        prop_assert!(stats.total_time >= 0.0);
        prop_assert!(stats.elapsed.is_none_or(|e| e >= 0.0));
    }

    #[test]
    fn assignment_is_a_partition(
        ids in prop::collection::vec(0u64..1000, 0..60),
        n in 1usize..7,
        estimates in prop::collection::btree_map(0u64..1000, 0.0f64..1000.0, 0..60),
        balanced in any::<bool>(),
    ) {
        let mode = if balanced { AssignMode::Balanced } else { AssignMode::Even };
        let out = assign(&ids, &members(n), mode, &estimates).unwrap();
        prop_assert_eq!(out.len(), n);
        let mut assigned: Vec<u64> = out.iter().flat_map(|a| a.case_ids.clone()).collect();
        let mut input = ids.clone();
        assigned.sort_unstable();
        input.sort_unstable();
        prop_assert_eq!(assigned, input);
        let counts: Vec<usize> = out.iter().map(|a| a.case_ids.len()).collect();
        let loads: Vec<f64> = out.iter().map(|a| a.estimated).collect();
        if mode == AssignMode::Even {
            prop_assert!(counts.iter().max().unwrap() - counts.iter().min().unwrap() <= 1);
        } else {
            // Greedy onto the least loaded: loads differ by at most the largest case.
            let known: Vec<f64> = ids.iter().filter_map(|id| estimates.get(id).copied()).collect();
            let mean = if known.is_empty() { 0.0 } else { known.iter().sum::<f64>() / known.len() as f64 };
            let largest = ids.iter().map(|id| estimates.get(id).copied().unwrap_or(mean)).fold(0.0, f64::max);
            let spread = loads.iter().cloned().fold(f64::MIN, f64::max) - loads.iter().cloned().fold(f64::MAX, f64::min);
            prop_assert!(spread <= largest + 1e-6, "spread {} > largest {}", spread, largest);
        }
    }

    #[test]
    fn retest_moves_exactly_the_chosen_results_to_history(
        cases in prop::collection::vec(run_case(), 0..30),
        chosen in prop::collection::vec(status_name().prop_filter_map("some", |s| s), 0..3),
    ) {
        let after = retest(&cases, &chosen);
        prop_assert_eq!(after.len(), cases.len());
        for (before, now) in cases.iter().zip(&after) {
            let retested = before.status.as_ref().is_some_and(|s| chosen.contains(s));
            prop_assert_eq!(now.history.len(), before.history.len() + usize::from(retested));
            if retested {
                prop_assert_eq!(now.status.as_ref(), None);
                prop_assert_eq!(now.history.last().map(|h| &h.status), before.status.as_ref());
            } else {
                prop_assert_eq!(now, before);
            }
        }
        let cloned = clone_run(&cases, &chosen);
        prop_assert!(cloned.iter().all(|c| c.status.as_ref().is_none_or(|s| chosen.contains(s))));
    }

    #[test]
    fn plans_resolve_to_a_sorted_union(
        case_folders in prop::collection::vec((1u64..8, prop::sample::select(vec![QsPriority::Low, QsPriority::Medium, QsPriority::High])), 0..30),
        parents in prop::collection::vec(prop::option::of(1u64..8), 7),
        plan_folders in prop::collection::vec(prop::collection::vec(1u64..8, 0..3), 0..4),
    ) {
        let snapshot = QsSnapshot {
            cases: case_folders.iter().enumerate().map(|(i, (folder_id, priority))| QsCase {
                id: i as u64, folder_id: *folder_id, tag_ids: Vec::new(), priority: *priority,
            }).collect(),
            folders: parents.iter().enumerate().map(|(i, p)| QsFolder { id: i as u64 + 1, parent_id: *p }).collect(),
        };
        let plans: Vec<QueryPlan> = plan_folders.iter().map(|f| QueryPlan { folder_ids: f.clone(), ..QueryPlan::default() }).collect();
        let all = snapshot.resolve(&plans);
        prop_assert!(all.windows(2).all(|w| w[0] < w[1]));
        let mut union: Vec<u64> = plans.iter().flat_map(|p| snapshot.resolve(std::slice::from_ref(p))).collect();
        union.sort_unstable();
        union.dedup();
        prop_assert_eq!(all, union);
    }

    #[test]
    fn status_counts_add_up(statuses in prop::collection::vec(prop::sample::select(vec![
        QsStatus::Open, QsStatus::Passed, QsStatus::Failed, QsStatus::Blocked, QsStatus::Skipped,
        QsStatus::Custom1, QsStatus::Custom2, QsStatus::Custom3, QsStatus::Custom4,
    ]), 0..40)) {
        let c = status_counts(&statuses);
        prop_assert_eq!(c.all, statuses.len());
        prop_assert_eq!(c.open + c.passed + c.failed + c.blocked + c.skipped + c.custom1 + c.custom2 + c.custom3 + c.custom4, c.all);
    }
}
