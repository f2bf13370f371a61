//! Report import against real reports (tests/fixtures, made by pytest 9.2.0 and Playwright
//! 1.65.1, and by hand after Surefire's and jest-junit's documented output), limits, error
//! lines, and properties: no input panics, titles survive escaping.

use proptest::prelude::*;
use std::path::Path;
use testrelay::import::{import_junit_with, import_playwright_json_with};
use testrelay::*;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn statuses(results: &[TestResult]) -> Vec<(String, u32, Status)> {
    results
        .iter()
        .map(|r| {
            let status = classify(&r.outcome, &Policy::default()).status;
            (r.title.clone(), r.attempt, status)
        })
        .collect()
}

fn find<'r>(results: &'r [TestResult], title: &str) -> &'r TestResult {
    results
        .iter()
        .find(|r| r.title == title)
        .unwrap_or_else(|| panic!("no result titled {title}"))
}

#[test]
fn pytest_xunit2_and_xunit1_read_alike() {
    let (two, w2) = import_junit(&fixture("junit/pytest-xunit2.xml")).unwrap();
    let (one, w1) = import_junit(&fixture("junit/pytest-xunit1.xml")).unwrap();
    assert!(w1.is_empty() && w2.is_empty(), "{w1:?} {w2:?}");
    // 11 tests in the file; the failed test with a teardown error is written twice.
    assert_eq!(two.len(), 10);
    assert_eq!(statuses(&two), statuses(&one));
    let total = find(&two, "test_total");
    assert_eq!(total.testops_ids, Some(vec![12]));
    assert_eq!(total.suite, ["pytest", "tests.test_shop"]);
    let teardown = find(&two, "test_checkout_teardown");
    assert_eq!(teardown.outcome.phase, Phase::Teardown);
    assert_eq!(
        classify(&teardown.outcome, &Policy::default()).status,
        Status::Invalid
    );
    let merged = find(&two, "test_failing_with_teardown");
    assert_eq!(merged.outcome.element, Some(JunitElement::Failure));
    assert_eq!(merged.outcome.errors.len(), 1, "the teardown error is kept");
    let stack = merged.outcome.error.as_ref().unwrap().stack.as_deref();
    assert!(
        stack
            .unwrap()
            .contains("E       AssertionError: assert 'a' == 'b'")
    );
    assert_eq!(find(&two, "test_setup_error").outcome.phase, Phase::Setup);
    assert_eq!(
        find(&two, "test_refund").message.as_deref(),
        Some("payment provider sandbox is offline")
    );
    assert_eq!(
        find(&two, "test_quantity[2]").suite,
        ["pytest", "tests.test_shop.TestCart"]
    );
    // Only xunit1 writes `file`, from which the node id comes back.
    assert_eq!(find(&two, "test_quantity[2]").node_id, None);
    assert_eq!(
        find(&one, "test_quantity[2]").node_id.as_deref(),
        Some("tests/test_shop.py::TestCart::test_quantity[2]")
    );
    assert_eq!(
        find(&one, "test_total").node_id.as_deref(),
        Some("tests/test_shop.py::test_total")
    );
}

#[test]
fn surefire_reruns_become_attempts() {
    let (results, warnings) = import_junit(&fixture("junit/surefire.xml")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let flaky: Vec<_> = statuses(&results)
        .into_iter()
        .filter(|(t, _, _)| t == "checkoutIsFlaky")
        .collect();
    assert_eq!(
        flaky,
        [
            ("checkoutIsFlaky".to_owned(), 0, Status::Failed),
            ("checkoutIsFlaky".to_owned(), 1, Status::Invalid),
            ("checkoutIsFlaky".to_owned(), 2, Status::Passed),
        ]
    );
    let always: Vec<_> = results
        .iter()
        .filter(|r| r.title == "syncAlwaysFails")
        .collect();
    assert_eq!(always.len(), 3);
    assert!(always.iter().all(|r| !r.fields.contains_key("flaky")));
    assert_eq!(always[2].outcome.element, Some(JunitElement::Error));
    let total = find(&results, "computesTotal");
    // Suite-level properties (here a stray `qase_id`) never give ids to test cases.
    assert_eq!(total.testops_ids, Some(vec![12, 13]));
    assert_eq!(
        total.outcome.error.as_ref().unwrap().type_name.as_deref(),
        Some("org.opentest4j.AssertionFailedError")
    );
    assert_eq!(
        find(&results, "parsesLargeOrder").duration,
        Some(1_002_500.0)
    );
}

#[test]
fn playwright_junit_and_jest_junit() {
    let (pw, _) = import_junit(&fixture("junit/playwright.xml")).unwrap();
    assert_eq!(pw.len(), 7);
    let coupon = find(&pw, "rejects an expired coupon");
    assert_eq!(coupon.suite, ["cart.spec.js", "Cart", "Coupons"]);
    assert_eq!(
        classify(&coupon.outcome, &Policy::default()).status,
        Status::Invalid
    );
    let total = find(&pw, "computes the total");
    assert_eq!(total.testops_ids, Some(vec![12]));
    // Both tries' attachments, listed in <system-out>.
    let paths: Vec<_> = total
        .attachments
        .iter()
        .map(|a| a.path.as_deref())
        .collect();
    assert_eq!(
        paths,
        [
            Some("test-results/cart-Cart-computes-the-total-api/error-context.md"),
            Some("test-results/cart-Cart-computes-the-total-api-retry1/error-context.md"),
        ]
    );
    assert_eq!(total.attachments[0].name, "error-context.md");
    assert!(find(&pw, "is skipped").attachments.is_empty());

    let (jest, _) = import_junit(&fixture("junit/jest-junit.xml")).unwrap();
    assert_eq!(jest.len(), 4);
    assert_eq!(jest[0].title, "Cart adds an item (Qase ID: 3)");
    assert_eq!(jest[0].suite, ["Cart"]);
    assert_eq!(
        jest[1].outcome.error.as_ref().unwrap().message.as_deref(),
        Some("Error: expect(received).toBe(expected) // Object.is equality")
    );
}

#[test]
fn playwright_json_report() {
    let (results, warnings) = import_playwright_json(&fixture("playwright/report.json")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    // 7 tests, 4 of them retried once.
    assert_eq!(results.len(), 11);
    let total: Vec<_> = results
        .iter()
        .filter(|r| r.title == "computes the total")
        .collect();
    assert_eq!(total.len(), 2);
    assert_eq!((total[0].attempt, total[1].attempt), (0, 1));
    assert_eq!(total[0].testops_ids, Some(vec![12]));
    assert_eq!(total[0].suite, ["api", "cart.spec.js", "Cart"]);
    assert_eq!(total[0].started_at, Some(1_795_320_618_272.0));
    assert_eq!(total[0].attachments.len(), 1);
    let message = total[0].outcome.error.as_ref().unwrap().message.as_deref();
    assert!(!message.unwrap().contains('\u{1b}'), "ANSI colours removed");
    let verdicts = statuses(&results);
    assert!(verdicts.contains(&("is flaky".into(), 1, Status::Passed)));
    assert!(verdicts.contains(&("is expected to fail".into(), 0, Status::Skipped)));
    assert!(verdicts.contains(&("times out".into(), 1, Status::Failed)));
    assert!(verdicts.contains(&("rejects an expired coupon".into(), 0, Status::Invalid)));
}

#[test]
fn malformed_reports_name_the_line() {
    let err = import_junit("<testsuite>\n<testcase name=\"a\">\n</testsuite>").unwrap_err();
    assert!(
        matches!(err, Error::MalformedReport { line: 3, .. }),
        "{err:?}"
    );
    let err = import_junit("<testsuite>\n\n<!-- ok -->\n<testcase name=\"a\" time=\"1\"><failure>&bogus;</failure></testcase></testsuite>").unwrap_err();
    assert!(
        matches!(err, Error::MalformedReport { line: 4, .. }),
        "{err:?}"
    );
    let err =
        import_junit("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<testsuite/>")
            .unwrap_err();
    assert!(
        matches!(&err, Error::MalformedReport { line: 2, detail } if detail.contains("DOCTYPE")),
        "{err:?}"
    );
    let err = import_playwright_json("{\n\"suites\": [\n{\"title\": 5}]}").unwrap_err();
    assert!(
        matches!(err, Error::MalformedReport { line: 3, .. }),
        "{err:?}"
    );
}

#[test]
fn limits_are_enforced() {
    let small = Limits {
        max_bytes: 100,
        max_depth: 3,
        max_results: 2,
    };
    let three =
        "<testsuite><testcase name=\"a\"/><testcase name=\"b\"/><testcase name=\"c\"/></testsuite>";
    let err = import_junit_with(three, &small).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LimitExceeded, "{err:?}");
    let err = import_junit_with(&" ".repeat(101), &small).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LimitExceeded);
    let deep =
        "<testsuites><testsuite><testsuite><testsuite/></testsuite></testsuite></testsuites>";
    let err = import_junit_with(deep, &small).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LimitExceeded);
    let nested = r#"{"suites":[{"suites":[{"suites":[{"suites":[{"title":"4"}]}]}]}]}"#;
    let err = import_playwright_json_with(nested, &small).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LimitExceeded);
    let deeper = Limits {
        max_depth: 4,
        ..small
    };
    assert!(
        import_playwright_json_with(nested, &deeper)
            .unwrap()
            .0
            .is_empty()
    );
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// Pieces of JUnit XML that, shuffled, reach every branch of the reader.
const PIECES: [&str; 24] = [
    "<testsuites>",
    "</testsuites>",
    "<testsuite name=\"s\">",
    "</testsuite>",
    "<testcase name=\"t › u\" classname=\"c\" time=\"0.5\">",
    "<testcase name=\"\" time=\"x\"/>",
    "</testcase>",
    "<failure message=\"m\" type=\"T\">",
    "</failure>",
    "<error message=\"failed on teardown with E\"/>",
    "<skipped/>",
    "<flakyFailure>",
    "</flakyFailure>",
    "<rerunError time=\"1\"><stackTrace>s</stackTrace></rerunError>",
    "<properties><property name=\"qase_id\" value=\"1,x,-2\"/></properties>",
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "<![CDATA[<x>]]>",
    "<!DOCTYPE x>",
    "<?xml version=\"1.0\"?>",
    "<!-- c -->",
    "text",
    "\n",
];

proptest! {
    #[test]
    fn junit_never_panics_on_any_text(text in "\\PC*") {
        let _ = import_junit(&text);
    }

    #[test]
    fn junit_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = import_junit(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn junit_never_panics_on_shuffled_pieces(picks in proptest::collection::vec(0..PIECES.len(), 0..40)) {
        let text: String = picks.iter().map(|&i| PIECES[i]).collect();
        if let Ok((results, _)) = import_junit(&text) {
            for r in &results {
                prop_assert_eq!(r.outcome.framework, Framework::JunitXml);
            }
        }
    }

    #[test]
    fn junit_titles_and_suites_survive_escaping(
        suite in "[a-zA-Z0-9<>&\"' é€]{1,16}",
        title in "[a-zA-Z0-9<>&\"' é€]{1,16}",
        seconds in 0u32..100_000,
    ) {
        prop_assume!(!suite.trim().is_empty() && !title.trim().is_empty());
        let xml = format!(
            "<testsuites><testsuite name=\"{}\"><testcase name=\"{}\" time=\"{}.25\"/></testsuite></testsuites>",
            escape(&suite), escape(&title), seconds
        );
        let (results, warnings) = import_junit(&xml).unwrap();
        prop_assert!(warnings.is_empty());
        prop_assert_eq!(results.len(), 1);
        prop_assert_eq!(&results[0].title, title.trim());
        prop_assert_eq!(&results[0].suite, &vec![suite.clone()]);
        prop_assert_eq!(results[0].duration, Some(f64::from(seconds) * 1000.0 + 250.0));
    }

    #[test]
    fn playwright_never_panics_on_any_text(text in "\\PC*") {
        let _ = import_playwright_json(&text);
    }

    #[test]
    fn playwright_every_retry_is_one_result(
        tests in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![Just("passed"), Just("failed"), Just("timedOut"), Just("skipped"), Just("interrupted"), Just("weird")],
                0..4,
            ),
            0..6,
        )
    ) {
        let specs: Vec<serde_json::Value> = tests.iter().enumerate().map(|(i, runs)| {
            let results: Vec<serde_json::Value> = runs.iter().enumerate()
                .map(|(retry, status)| serde_json::json!({"status": status, "retry": retry, "duration": 1}))
                .collect();
            serde_json::json!({"title": format!("t{i}"), "tests": [{"projectName": "p", "results": results}]})
        }).collect();
        let report = serde_json::json!({"suites": [{"title": "f.spec.ts", "specs": specs}]});
        let (results, _) = import_playwright_json(&report.to_string()).unwrap();
        let expected: usize = tests.iter().map(|runs| runs.len().max(1)).sum();
        prop_assert_eq!(results.len(), expected);
        for r in &results {
            let verdict = classify(&r.outcome, &Policy::default());
            prop_assert_eq!(&r.suite, &vec!["p".to_owned(), "f.spec.ts".to_owned()]);
            if r.outcome.runner_status.as_deref() == Some("passed") {
                prop_assert_eq!(verdict.status, Status::Passed);
            }
        }
    }
}
