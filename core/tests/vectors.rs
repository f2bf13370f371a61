//! The conformance runner: every vector file in `tests/vectors/`, then `../shared/vectors/`
//! when present, then each folder of `TESTRELAY_VECTORS` (colon-separated). A case passes when
//! every key of `expected` equals the output; an unknown op fails the run.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use testrelay::*;

fn vector_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut dirs = vec![root.join("tests/vectors")];
    let shared = root.join("../shared/vectors");
    if shared.is_dir() {
        dirs.push(shared);
    }
    if let Ok(extra) = std::env::var("TESTRELAY_VECTORS") {
        dirs.extend(
            extra
                .split(':')
                .filter(|d| !d.is_empty())
                .map(PathBuf::from),
        );
    }
    dirs
}

fn warnings_count(warnings: &[Warning]) -> usize {
    warnings.iter().filter(|w| w.is_warning()).count()
}

fn status_list(input: &Value, key: &str) -> Vec<Status> {
    serde_json::from_value(input[key].clone()).unwrap_or_else(|e| panic!("{key}: {e}"))
}

/// Flattens the resolved config to dotted keys (`testops.batchSize`); `statusMapping`
/// stays an object.
fn flatten(prefix: &str, value: &Value, out: &mut serde_json::Map<String, Value>) {
    match value {
        Value::Object(map) if prefix != "statusMapping" => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        other => {
            out.insert(prefix.to_owned(), other.clone());
        }
    }
}

/// Runs one op on one input; the output is compared with `expected` key by key.
fn run(op: &str, input: &Value) -> Result<Value, String> {
    Ok(match op {
        "classify" => {
            let outcome: Outcome =
                serde_json::from_value(input.clone()).map_err(|e| e.to_string())?;
            let policy: Policy = match input.get("policy") {
                Some(p) => serde_json::from_value(p.clone()).map_err(|e| e.to_string())?,
                None => Policy::default(),
            };
            serde_json::to_value(classify(&outcome, &policy)).unwrap()
        }
        "status_mapping" => {
            let (mapping, warnings) = match (input.get("env"), input.get("json")) {
                (Some(Value::String(env)), _) => {
                    StatusMapping::parse_env(env, "QASE_STATUS_MAPPING")
                }
                (_, Some(json)) => StatusMapping::parse_json(json, "statusMapping"),
                _ => return Err("status_mapping needs `env` or `json`".into()),
            };
            json!({ "mapping": mapping, "warnings": warnings_count(&warnings), "notes": warnings.len() - warnings_count(&warnings) })
        }
        "status_filter" => {
            let (filter, warnings) = match (input.get("env"), input.get("json")) {
                (Some(Value::String(env)), _) => {
                    StatusFilter::parse_env(env, "QASE_TESTOPS_STATUS_FILTER")
                }
                (_, Some(json)) => StatusFilter::parse_json(json, "testops.statusFilter"),
                _ => return Err("status_filter needs `env` or `json`".into()),
            };
            json!({ "filter": filter, "warnings": warnings_count(&warnings) })
        }
        "pipeline" => {
            let (mapping, w1) = StatusMapping::parse_json(&input["mapping"], "statusMapping");
            let (filter, w2) = StatusFilter::parse_json(&input["filter"], "testops.statusFilter");
            if warnings_count(&w1) + warnings_count(&w2) > 0 {
                return Err(format!(
                    "pipeline vector has invalid mapping/filter: {w1:?} {w2:?}"
                ));
            }
            let statuses = status_list(input, "statuses");
            let mut trace = Vec::new();
            let out: Vec<Option<Status>> = statuses
                .iter()
                .map(|&s| map_and_filter_traced(s, &mapping, &filter, &mut trace))
                .collect();
            json!({ "statuses": out, "trace": trace })
        }
        "batches" => {
            let requested = input["batch_size"]
                .as_u64()
                .ok_or("batch_size must be a non-negative integer")?;
            let results = input["results"]
                .as_u64()
                .ok_or("results must be a non-negative integer")?
                as usize;
            let (size, warning) = clamp_batch_size(requested, "testops.batch.size");
            json!({ "batches": plan_batches(size, results), "warnings": usize::from(warning.is_some()) })
        }
        "failure_links" => {
            let result = &input["result"];
            let ids: Vec<u64> =
                serde_json::from_value(result["testops_ids"].clone()).unwrap_or_default();
            let status: Option<Status> =
                serde_json::from_value(result["status"].clone()).map_err(|e| e.to_string())?;
            let links = failure_links(
                input["app"].as_str().ok_or("app")?,
                input["project"].as_str().ok_or("project")?,
                input["run_id"].as_u64().ok_or("run_id")?,
                &ids,
                result["title"].as_str().unwrap_or(""),
                status,
            );
            json!({ "links": links })
        }
        "run_status" => {
            let results: Vec<RunResult> =
                serde_json::from_value(input["results"].clone()).map_err(|e| e.to_string())?;
            let custom: BTreeMap<String, Polarity> = match input.get("custom") {
                Some(c) => serde_json::from_value(c.clone()).map_err(|e| e.to_string())?,
                None => BTreeMap::new(),
            };
            json!({ "status": run_status(&results, &custom) })
        }
        "configurations" => {
            let groups: Vec<(String, Vec<String>)> = input["groups"]
                .as_object()
                .ok_or("groups must be an object")?
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        serde_json::from_value(v.clone()).unwrap_or_default(),
                    )
                })
                .collect();
            let product = configuration_product(&groups);
            let combos: Vec<BTreeMap<&str, &str>> = product
                .iter()
                .map(|c| c.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect())
                .collect();
            json!({ "count": product.len(), "combinations": combos })
        }
        "config" => {
            let sources: Sources =
                serde_json::from_value(input.clone()).map_err(|e| e.to_string())?;
            let (config, warnings) = Config::resolve(&sources);
            let mut out = serde_json::Map::new();
            flatten("", &serde_json::to_value(&config).unwrap(), &mut out);
            out.insert("warnings".into(), json!(warnings_count(&warnings)));
            let keys: Vec<&str> = warnings
                .iter()
                .filter(|w| w.is_warning())
                .map(|w| w.key.as_str())
                .collect();
            out.insert("warning_keys".into(), json!(keys));
            let codes: Vec<Value> = warnings.iter().map(|w| json!(w.code)).collect();
            out.insert("codes".into(), json!(codes));
            Value::Object(out)
        }
        other => return Err(format!("unknown op `{other}`")),
    })
}

#[test]
fn conformance_vectors() {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut files = 0;
    for dir in vector_dirs() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            failures.push(format!("{}: not a readable folder", dir.display()));
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
        paths.sort();
        for path in paths {
            files += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            let file: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let op = file["op"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: no op", path.display()));
            let cases = file["cases"]
                .as_array()
                .unwrap_or_else(|| panic!("{}: no cases", path.display()));
            for case in cases {
                let name = case["name"].as_str().unwrap_or("?");
                *counts.entry(op.to_owned()).or_default() += 1;
                let where_ = format!("{} / {name}", path.display());
                match run(op, &case["input"]) {
                    Err(e) => failures.push(format!("{where_}: {e}")),
                    Ok(actual) => {
                        let expected = case["expected"]
                            .as_object()
                            .expect("expected must be an object");
                        for (key, want) in expected {
                            if actual.get(key) != Some(want) {
                                failures.push(format!(
                                    "{where_}: `{key}` expected {want}, got {}",
                                    actual.get(key).unwrap_or(&Value::Null)
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    for (op, n) in &counts {
        println!("vectors: {op}: {n} cases");
    }
    assert!(files > 0, "no vector files found");
    assert!(
        failures.is_empty(),
        "{} vector failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
