//! Reads test reports (JUnit XML or Playwright JSON, told apart by the first character) and
//! prints, per result, its suite path, title, attempt and what `classify` decides.
//!
//! `cargo run -p testrelay --example import_report -- tests/fixtures/junit/surefire.xml`

use std::collections::BTreeMap;
use testrelay::{Policy, classify, import_junit, import_playwright_json};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path)?;
        let imported = if text.trim_start().starts_with('<') {
            import_junit(&text)
        } else {
            import_playwright_json(&text)
        };
        println!("== {path}");
        let (results, warnings) = match imported {
            Ok(imported) => imported,
            Err(e) => {
                println!("refused [{}] {e}", e.code().as_str());
                continue;
            }
        };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for r in &results {
            let verdict = classify(&r.outcome, &Policy::default());
            *counts.entry(verdict.status.to_string()).or_default() += 1;
            let name = format!("{} › {}", r.suite.join(" › "), r.title);
            println!(
                "  {name:<64} #{} {:<8} {:<30} {}",
                r.attempt, verdict.status, verdict.rule, verdict.evidence
            );
        }
        for w in &warnings {
            println!("  warning [{:?}] {}: {}", w.code, w.key, w.message);
        }
        println!("  {} results: {counts:?}", results.len());
    }
    Ok(())
}
