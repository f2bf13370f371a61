//! Invariants of matching and the whole-run plan, for any snapshot and results.

use proptest::prelude::*;
use testrelay::*;

fn small_text() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "b", "c", "a b", ""]).prop_map(str::to_owned)
}

fn repo_case() -> impl Strategy<Value = RepoCase> {
    (
        1u64..20,
        small_text(),
        prop::collection::vec(small_text(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(id, title, suite, automated)| RepoCase {
            id,
            title,
            suite,
            automated,
            ..RepoCase::default()
        })
}

fn result_facts() -> impl Strategy<Value = ResultFacts> {
    (
        prop::option::of(prop::collection::vec(-3i64..25, 0..3)),
        small_text(),
        prop::collection::vec(small_text(), 0..3),
        prop::sample::select(Status::ALL.to_vec()),
        prop::option::of(small_text()),
    )
        .prop_map(|(ids, title, suite, status, description)| ResultFacts {
            testops_ids: ids,
            title,
            suite,
            status,
            fields: description
                .map(|d| [("description".to_owned(), d)].into())
                .unwrap_or_default(),
            steps: Vec::new(),
            params: Default::default(),
            tags: Vec::new(),
            muted: None,
            flaky: None,
        })
}

fn settings() -> impl Strategy<Value = MatchSettings> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(auto_create, create_all, auto_update, repo_titles)| MatchSettings {
            auto_create,
            create_from: if create_all {
                StatusScope::All
            } else {
                StatusScope::Passed
            },
            auto_update,
            use_repository_titles: repo_titles,
            ..MatchSettings::default()
        },
    )
}

proptest! {
    #[test]
    fn plan_totals_account_for_every_result(
        cases in prop::collection::vec(repo_case(), 0..15),
        results in prop::collection::vec(result_facts(), 0..20),
        settings in settings(),
    ) {
        let index = CaseIndex::build(cases);
        let plan = index.plan(&results, &settings);
        let t = plan.totals;
        prop_assert_eq!(t.link + t.create + t.caseless, results.len());
        prop_assert_eq!(plan.results.len(), results.len());
        prop_assert_eq!(t.update, plan.updates.len());
        prop_assert_eq!(t.new_cases, plan.new_cases.len());
        prop_assert!(t.new_cases <= t.create);
        if !settings.auto_update {
            prop_assert!(plan.updates.is_empty());
        }
        for update in &plan.updates {
            prop_assert!(!update.diffs.is_empty());
            prop_assert!(index.by_id(update.case_id).is_some());
        }
    }

    #[test]
    fn index_agrees_with_a_linear_search(
        cases in prop::collection::vec(repo_case(), 0..15),
        result in result_facts(),
        settings in settings(),
    ) {
        let index = CaseIndex::build(cases.clone());
        let ids = result.positive_ids();
        let decision = index.match_result(&result, &settings);
        let expected: Vec<u64> = if ids.is_empty() {
            cases
                .iter()
                .filter(|c| c.title == result.title && c.suite == result.suite)
                .map(|c| c.id)
                .min()
                .into_iter()
                .collect()
        } else {
            ids.into_iter().filter(|id| cases.iter().any(|c| c.id == *id)).collect()
        };
        prop_assert_eq!(decision.case_ids(), expected.as_slice());
    }

    #[test]
    fn every_indexed_case_is_found_by_id_and_title(cases in prop::collection::vec(repo_case(), 0..30)) {
        let index = CaseIndex::build(cases.clone());
        for case in &cases {
            let first = cases.iter().find(|c| c.id == case.id).unwrap();
            prop_assert_eq!(index.by_id(case.id), Some(first));
            let found = index.by_title_suite(&case.title, &case.suite).unwrap();
            prop_assert_eq!(&found.title, &case.title);
            prop_assert_eq!(&found.suite, &case.suite);
            prop_assert!(found.id <= case.id);
        }
    }
}
