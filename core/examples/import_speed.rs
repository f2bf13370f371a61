//! How fast report import is: a JUnit XML report and a Playwright JSON report of 10,000 tests
//! each (a tenth failing with a stack trace, a tenth skipped), read and classified. The preview
//! page has to show 10,000 tests in under a second.
//!
//! `cargo run --release -p testrelay --example import_speed [tests] [rounds]`

use std::fmt::Write as _;
use std::time::Instant;
use testrelay::{Policy, classify, import_junit, import_playwright_json};

fn junit_report(tests: usize) -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"all\">\n");
    for suite in 0..tests.div_ceil(100) {
        writeln!(
            xml,
            "<testsuite name=\"com.example.Suite{suite}\" tests=\"100\">"
        )
        .unwrap();
        for case in 0..100.min(tests - suite * 100) {
            let name = format!("checks case {case} (Qase ID: {})", suite * 100 + case + 1);
            write!(xml, "<testcase name=\"{name}\" classname=\"com.example.Suite{suite}\" time=\"0.{case:03}\">").unwrap();
            match case % 10 {
                0 => xml.push_str("<failure message=\"expected: &lt;1&gt; but was: &lt;2&gt;\" type=\"org.opentest4j.AssertionFailedError\"><![CDATA[org.opentest4j.AssertionFailedError: expected: <1> but was: <2>\n\tat com.example.Suite.check(Suite.java:42)\n\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)\n]]></failure>"),
                5 => xml.push_str("<skipped message=\"not today\"/>"),
                _ => {}
            }
            xml.push_str("</testcase>\n");
        }
        xml.push_str("</testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn playwright_report(tests: usize) -> String {
    let specs: Vec<serde_json::Value> = (0..tests)
        .map(|i| {
            let (status, error) = match i % 10 {
                0 => ("failed", serde_json::json!({"message": "Error: expect(received).toBe(expected)\n\nExpected: 1\nReceived: 2", "stack": "Error: expect(received).toBe(expected)\n    at /app/tests/a.spec.ts:9:19"})),
                5 => ("skipped", serde_json::Value::Null),
                _ => ("passed", serde_json::Value::Null),
            };
            let mut result = serde_json::json!({"workerIndex": 0, "status": status, "duration": 12, "retry": 0, "startTime": "2026-11-22T04:10:18.272Z", "errors": [], "attachments": [], "annotations": []});
            if !error.is_null() {
                result["error"] = error.clone();
                result["errors"] = serde_json::json!([error]);
            }
            serde_json::json!({"title": format!("checks case {i}"), "ok": true, "tags": [], "tests": [{"annotations": [{"type": "QaseID", "description": (i + 1).to_string()}], "expectedStatus": "passed", "projectName": "chromium", "results": [result], "status": "expected"}]})
        })
        .collect();
    serde_json::json!({"config": {}, "suites": [{"title": "a.spec.ts", "specs": specs, "suites": []}], "errors": [], "stats": {}}).to_string()
}

fn measure(label: &str, text: &str, rounds: u32, read: impl Fn(&str) -> usize) {
    let mut best = f64::INFINITY;
    let mut count = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        count = read(text);
        best = best.min(start.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "{label}: {count} results from {:.1} MB in {best:.1} ms (best of {rounds}), {:.0} results/s",
        text.len() as f64 / 1_000_000.0,
        count as f64 / (best / 1000.0)
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let tests: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let rounds: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let policy = Policy::default();
    let classify_all = |results: &[testrelay::TestResult]| {
        results
            .iter()
            .filter(|r| classify(&r.outcome, &policy).status == testrelay::Status::Failed)
            .count()
    };
    measure("junit xml        ", &junit_report(tests), rounds, |text| {
        let (results, _) = import_junit(text).expect("generated report is valid");
        classify_all(&results);
        results.len()
    });
    measure(
        "playwright json  ",
        &playwright_report(tests),
        rounds,
        |text| {
            let (results, _) = import_playwright_json(text).expect("generated report is valid");
            classify_all(&results);
            results.len()
        },
    );
}
