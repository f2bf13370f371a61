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

/// The output of an import op: each result projected to the keys vectors pin (status after
/// `classify` with the default policy), the warning count, or the error code.
fn imported(outcome: Result<Imported, Error>) -> Value {
    match outcome {
        Err(e) => json!({ "error": e.code().as_str() }),
        Ok((results, warnings)) => {
            let results: Vec<Value> = results
                .iter()
                .map(|r| {
                    let error = r.outcome.error.as_ref();
                    json!({
                        "title": r.title,
                        "suite": r.suite,
                        "status": classify(&r.outcome, &Policy::default()).status,
                        "attempt": r.attempt,
                        "duration": r.duration,
                        "testops_ids": r.testops_ids,
                        "phase": r.outcome.phase,
                        "error_type": error.and_then(|e| e.type_name.as_deref()),
                        "error_message": error.and_then(|e| e.message.as_deref()),
                        "errors": r.outcome.errors.len(),
                        "fields": r.fields,
                    })
                })
                .collect();
            json!({ "results": results, "count": results.len(), "warnings": warnings_count(&warnings) })
        }
    }
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

/// Reads `input[key]` into `T`.
fn from_input<T: serde::de::DeserializeOwned>(input: &Value, key: &str) -> Result<T, String> {
    serde_json::from_value(input.get(key).cloned().unwrap_or(Value::Null))
        .map_err(|e| format!("{key}: {e}"))
}

/// Reads `input[key]` into `T`, or `T::default()` when the key is absent.
fn from_input_or_default<T: serde::de::DeserializeOwned + Default>(
    input: &Value,
    key: &str,
) -> Result<T, String> {
    match input.get(key) {
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| format!("{key}: {e}")),
        None => Ok(T::default()),
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
                .as_i64()
                .ok_or("batch_size must be an integer")?;
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
        "import_junit" => {
            let xml = input["xml"]
                .as_str()
                .ok_or("import_junit needs `xml` (a string)")?;
            imported(import_junit(xml))
        }
        "import_playwright_json" => {
            let text = match (input.get("text"), input.get("report")) {
                (Some(Value::String(text)), _) => text.clone(),
                (_, Some(report)) => report.to_string(),
                _ => return Err("import_playwright_json needs `text` or `report`".into()),
            };
            imported(import_playwright_json(&text))
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
        "signature" => {
            let ids: Vec<u64> = serde_json::from_value(input["ids"].clone()).unwrap_or_default();
            // Pairs, not an object: not every JSON reader keeps the order of object keys.
            let params: indexmap::IndexMap<String, String> =
                serde_json::from_value::<Vec<(String, String)>>(input["params"].clone())
                    .map_err(|e| e.to_string())?
                    .into_iter()
                    .collect();
            let signature = match input["flavour"].as_str() {
                Some("js") => {
                    let suites: Vec<String> = serde_json::from_value(input["suites"].clone())
                        .map_err(|e| e.to_string())?;
                    js_signature(&ids, &suites, &params)
                }
                Some("python") => {
                    python_signature(&ids, input["node_id"].as_str().ok_or("node_id")?, &params)
                }
                other => return Err(format!("unknown flavour {other:?}")),
            };
            json!({ "signature": signature })
        }
        "case_ids" => {
            let explicit: Option<Vec<i64>> =
                serde_json::from_value(input["testops_ids"].clone()).map_err(|e| e.to_string())?;
            let got = case_ids(input["title"].as_str().ok_or("title")?, explicit.as_deref());
            json!({ "ids": got.ids, "title": got.title, "warnings": warnings_count(&got.warnings) })
        }
        "match" => {
            let index = CaseIndex::build(from_input(input, "cases")?);
            let settings: MatchSettings = from_input_or_default(input, "settings")?;
            let result: ResultFacts = from_input(input, "result")?;
            let decision = index.match_result(&result, &settings);
            let mut out = serde_json::to_value(&decision).unwrap();
            out["display_title"] = json!(index.display_title(&result, &decision, &settings));
            out["warnings"] = json!(settings.warnings().len());
            out
        }
        "match_plan" => {
            let index = CaseIndex::build(from_input(input, "cases")?);
            let settings: MatchSettings = from_input_or_default(input, "settings")?;
            let results: Vec<ResultFacts> = from_input(input, "results")?;
            serde_json::to_value(index.plan(&results, &settings)).unwrap()
        }
        "run_stats" => {
            let cases: Vec<RunCase> = from_input(input, "cases")?;
            let custom: BTreeMap<String, Polarity> = from_input_or_default(input, "custom")?;
            serde_json::to_value(run_stats(&cases, &custom)).unwrap()
        }
        "estimate" => {
            let case_ids: Vec<u64> = from_input(input, "case_ids")?;
            let history: BTreeMap<u64, Vec<f64>> = from_input_or_default(input, "history")?;
            serde_json::to_value(estimate(&case_ids, &history)).unwrap()
        }
        "assign" => {
            let case_ids: Vec<u64> = from_input(input, "case_ids")?;
            let members: Vec<String> = from_input(input, "members")?;
            let mode: AssignMode = from_input_or_default(input, "mode")?;
            let estimates: BTreeMap<u64, f64> = from_input_or_default(input, "estimates")?;
            match assign(&case_ids, &members, mode, &estimates) {
                Ok(assignments) => json!({ "assignments": assignments }),
                Err(e) => json!({ "error": e.code() }),
            }
        }
        "clone_run" => {
            let cases: Vec<RunCase> = from_input(input, "cases")?;
            let keep: Vec<String> = from_input(input, "keep")?;
            json!({ "cases": clone_run(&cases, &keep) })
        }
        "retest" => {
            let cases: Vec<RunCase> = from_input(input, "cases")?;
            let statuses: Vec<String> = from_input(input, "statuses")?;
            json!({ "cases": retest(&cases, &statuses) })
        }
        "qs_resolve" => {
            let snapshot: QsSnapshot = from_input(input, "snapshot")?;
            let plans: Vec<QueryPlan> = from_input(input, "query_plans")?;
            json!({ "case_ids": snapshot.resolve(&plans) })
        }
        "qs_validate" => {
            let request: QsRunRequest = from_input(input, "request")?;
            let existing: Vec<String> = from_input_or_default(input, "existing_titles")?;
            let errors = validate_run(&request, &existing);
            let codes: Vec<RunRule> = errors.iter().map(|e| e.code).collect();
            let plans: Vec<Option<usize>> = errors.iter().map(|e| e.plan).collect();
            json!({ "codes": codes, "plans": plans })
        }
        "qs_membership" => {
            let run_type: QsRunType = from_input(input, "type")?;
            let plans: Vec<QueryPlan> = from_input(input, "query_plans")?;
            let run = QsRun::create(run_type, plans, &from_input(input, "created_from")?);
            let mut out =
                serde_json::to_value(run.membership(&from_input(input, "current")?)).unwrap();
            out["created"] = json!(run.case_ids);
            out
        }
        "qs_status_counts" => {
            let statuses: Vec<QsStatus> = from_input(input, "statuses")?;
            serde_json::to_value(status_counts(&statuses)).unwrap()
        }
        "completion" => {
            let receipts: Vec<JobReceipt> = from_input(input, "receipts")?;
            let expected_jobs: Vec<String> = from_input_or_default(input, "expected_jobs")?;
            let run_id = input["run_id"].as_u64().ok_or("run_id")?;
            let decision = decide_completion(run_id, &receipts, &expected_jobs);
            let short: BTreeMap<&str, u64> = decision
                .jobs
                .iter()
                .map(|j| (j.job.as_str(), j.short_by))
                .collect();
            let never: BTreeMap<&str, u64> = decision
                .jobs
                .iter()
                .map(|j| (j.job.as_str(), j.never_reported))
                .collect();
            json!({ "complete": decision.complete, "short": short, "never_reported": never,
                    "missing_jobs": decision.missing_jobs, "lines": decision.lines })
        }
        "read_result" => {
            let result: TestResult = from_input(input, "result")?;
            let read = api::read_result(&result);
            let verdict = classify(&read.outcome, &Policy::default());
            json!({
                "runner_status": read.outcome.runner_status,
                "phase": read.outcome.phase,
                "expected_status": read.outcome.expected_status,
                "strict": read.outcome.strict,
                "error_type": read.outcome.error.as_ref().and_then(|e| e.type_name.clone()),
                "errors": read.outcome.errors.len(),
                "message": read.message,
                "status": verdict.status,
            })
        }
        "read_playwright" => {
            let result: TestResult = from_input(input, "result")?;
            let read = api::read_result(&result);
            let mut out = serde_json::to_value(&read.result).map_err(|e| e.to_string())?;
            out["params"] = json!(read.params.iter().collect::<Vec<_>>());
            out["signature_path"] = json!(read.signature_path);
            out["ignored"] = json!(read.ignored);
            let said: Vec<String> = read
                .warnings
                .iter()
                .map(|w| format!("{}: {}", w.key, w.message))
                .collect();
            out["warnings"] = json!(said);
            out["status"] = json!(classify(&read.outcome, &Policy::default()).status);
            out
        }
        "config_files" => {
            let dirs: Vec<String> = from_input(input, "dirs")?;
            json!({ "candidates": api::config_files(&dirs) })
        }
        "job_name" => {
            let facts: host::JobFacts =
                serde_json::from_value(input.clone()).map_err(|e| e.to_string())?;
            json!({ "name": api::job(&facts) })
        }
        "receipt_file" => {
            let file_input: host::ReceiptFileInput =
                serde_json::from_value(input.clone()).map_err(|e| e.to_string())?;
            let file = api::receipt_file(&file_input);
            let body: Value = serde_json::from_str(&file.body).map_err(|e| e.to_string())?;
            json!({ "name": file.name, "body": body })
        }
        "complete_run_plan" => {
            let plan_input: host::CompleteRunInput =
                serde_json::from_value(input.clone()).map_err(|e| e.to_string())?;
            let plan = api::complete_run_plan(&plan_input);
            json!({ "run_id": plan.run_id, "proceed": plan.proceed, "exit_code": plan.exit_code,
                    "lines": plan.lines })
        }
        "complete_run_exit" => {
            let receipt: Option<session::Receipt> =
                serde_json::from_value(input["receipt"].clone()).map_err(|e| e.to_string())?;
            json!({ "exit_code": api::complete_run_exit(receipt.as_ref()) })
        }
        "end_wait_bound" => {
            let deadline = input["upload_deadline_ms"]
                .as_u64()
                .ok_or("upload_deadline_ms")?;
            json!({ "bound_ms": api::end_wait_bound(deadline) })
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
