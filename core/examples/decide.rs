//! Prints what the core decides for a list of finished tests: the verdict (status, rule,
//! evidence), then mapping and filter, under the configuration found in `QASE_*` env.
//!
//! `cargo run -p testrelay --example decide -- examples/sample-outcomes.json`

use std::collections::BTreeMap;
use testrelay::{Config, Sources, classify, map_and_filter_traced};

#[derive(serde::Deserialize)]
struct Sample {
    title: String,
    outcome: testrelay::Outcome,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/sample-outcomes.json".into());
    let samples: Vec<Sample> = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    let env: BTreeMap<String, String> = std::env::vars().collect();
    let (config, warnings) = Config::resolve(&Sources {
        env: Some(env),
        ..Sources::default()
    });
    for w in &warnings {
        println!("warning [{:?}] {}", w.code, w.message);
    }
    for sample in samples {
        let verdict = classify(&sample.outcome, &config.classification);
        let mut trace = Vec::new();
        let reported = map_and_filter_traced(
            verdict.status,
            &config.status_mapping,
            &config.testops.status_filter,
            &mut trace,
        );
        let shown = reported.map_or("(filtered)".to_owned(), |s| s.to_string());
        println!(
            "{:<28} {:<8} -> {:<10} rule {:<32} {}",
            sample.title, verdict.status, shown, verdict.rule, verdict.evidence
        );
    }
    Ok(())
}
