//! What every host (a reporter, the CLI) would otherwise decide for itself, decided once (SPEC
//! §13): where `qase.config.json` is looked for, a job's name, its receipt file, how long a
//! host's end may wait for the session, and the flow of `testrelay complete-run`. Pure
//! functions over plain data; the hosts do the IO around them.

use crate::config::Sources;
use crate::session::Receipt;
use crate::shards::{CompletionDecision, JobReceipt, decide_completion};
use serde::{Deserialize, Serialize};

/// The configuration file's name, looked for in each directory a host knows.
pub const CONFIG_FILE: &str = "qase.config.json";

/// How long a host's end waits beyond the upload deadline for the session to finish by
/// itself: by then the session has given up on every request and only the fallback files are
/// left to write. Past it the host takes the session to be stuck and saves what it holds.
pub const END_MARGIN_MS: u64 = 10_000;

/// The `qase.config.json` paths a host tries, in order: one per directory it knows (the
/// working directory first, then e.g. pytest's rootdir or Playwright's config folder),
/// duplicates dropped. The host reads the first that exists; any other error reading it is
/// reported through [`Sources::file_error`], never a reason to stop.
pub fn config_file_candidates(dirs: &[String]) -> Vec<String> {
    let mut candidates: Vec<String> = Vec::with_capacity(dirs.len());
    for dir in dirs {
        let dir = dir.trim_end_matches(['/', '\\']);
        let path = if dir.is_empty() {
            CONFIG_FILE.to_owned()
        } else {
            format!("{dir}/{CONFIG_FILE}")
        };
        if !candidates.contains(&path) {
            candidates.push(path);
        }
    }
    candidates
}

/// What a host knows about the job it reports for (docs/api.md `JobFacts`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct JobFacts {
    /// `$TESTRELAY_JOB`, when set.
    pub env_job: Option<String>,
    /// The runner's shard, when the run is split (`--shard i/N`).
    pub shard: Option<Shard>,
    /// The runner (`playwright`, `pytest`, `vitest`, `robot`, …).
    pub runner: String,
    /// This process's unique id (the session's `instance`).
    pub instance: String,
}

/// One shard of a split run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct Shard {
    /// 1-based.
    pub current: u32,
    /// How many shards.
    pub total: u32,
}

/// The job's name in its receipt: `$TESTRELAY_JOB` (the CI job's own name), else
/// `shard-<i>-of-<n>` for one shard of several, else `<runner>-<instance>` (unique to the
/// process, so jobs never collide).
pub fn job_name(facts: &JobFacts) -> String {
    if let Some(job) = facts
        .env_job
        .as_deref()
        .map(str::trim)
        .filter(|j| !j.is_empty())
    {
        return job.to_owned();
    }
    match facts.shard {
        Some(Shard { current, total }) if total > 1 => format!("shard-{current}-of-{total}"),
        _ if facts.runner.is_empty() => facts.instance.clone(),
        _ => format!("{}-{}", facts.runner, facts.instance),
    }
}

/// What goes into a job's receipt file beside the session's receipt.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ReceiptFileInput {
    /// The job's name ([`job_name`]).
    pub job: String,
    /// This process's unique id: several processes of one job write one file each.
    pub instance: String,
    /// The session's receipt.
    pub receipt: Receipt,
    /// Tests the job expected to run, if the runner says.
    pub expected_tests: Option<u64>,
    /// Distinct tests the job reported.
    pub tests_reported: Option<u64>,
    /// Results the tests asked to leave out (`qase.ignore()`), not owed to the run.
    pub ignored: u64,
}

/// A receipt file: its name in the receipts directory and its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReceiptFile {
    /// `<job>-<instance>.json`, every character but letters, digits, `.`, `_` and `-` made
    /// `_` (a job name is free text; a file name must stay in the directory).
    pub name: String,
    /// The JSON text (a [`JobReceipt`] with the session's whole receipt).
    pub body: String,
}

/// The receipt file of one process of a job. The host writes `body` to `name` in the
/// receipts directory atomically (a temporary file, then a rename).
pub fn receipt_file(input: &ReceiptFileInput) -> ReceiptFile {
    let safe = |text: &str| -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let mut body = match serde_json::to_value(&input.receipt) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    body.insert("job".into(), input.job.clone().into());
    body.insert("expected_tests".into(), input.expected_tests.into());
    body.insert("tests_reported".into(), input.tests_reported.into());
    // The host's own count (tests it never handed over) and the session's (results whose
    // runner facts asked not to be reported).
    let ignored = input.ignored + input.receipt.ignored;
    body.insert("ignored".into(), ignored.into());
    ReceiptFile {
        name: format!("{}-{}.json", safe(&input.job), safe(&input.instance)),
        body: serde_json::to_string_pretty(&body).unwrap_or_default(),
    }
}

/// How long a host's end may wait for the session's `finished` after `all_tests_done`: the
/// upload deadline plus [`END_MARGIN_MS`].
pub fn end_wait_bound_ms(upload_deadline_ms: u64) -> u64 {
    upload_deadline_ms.saturating_add(END_MARGIN_MS)
}

/// `testrelay complete-run`: its inputs.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct CompleteRunInput {
    /// The configuration sources (the run id from `--run-id` as a CLI source).
    pub sources: Sources,
    /// The receipts the jobs wrote, when a receipts directory was given.
    pub receipts: Option<Vec<JobReceipt>>,
    /// The jobs that must have reported.
    pub expected_jobs: Vec<String>,
}

/// What `complete-run` does next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CompleteRunPlan {
    /// The run to complete, when known.
    pub run_id: Option<u64>,
    /// True: start a session that joins the run and is told to complete it
    /// (`complete_run_requested`, then `all_tests_done`); its receipt then gives the exit
    /// status ([`complete_run_exit`]). False: exit now with `exit_code`.
    pub proceed: bool,
    /// The exit status when not proceeding: 2 bad usage (no run id), 1 left open.
    pub exit_code: u8,
    /// Lines to print, in order.
    pub lines: Vec<String>,
    /// The decision from the receipts, when there were any.
    pub decision: Option<CompletionDecision>,
}

/// Exit status of `complete-run`: completed.
pub const EXIT_COMPLETED: u8 = 0;
/// Exit status of `complete-run`: the run was left open (a job short, a receipt missing, the
/// completion failed).
pub const EXIT_LEFT_OPEN: u8 = 1;
/// Exit status of `complete-run`: bad usage.
pub const EXIT_USAGE: u8 = 2;

/// The first step of `complete-run`: is there a run, and may it be completed?
pub fn complete_run_plan(input: &CompleteRunInput) -> CompleteRunPlan {
    let (config, _) = crate::config::Config::resolve(&input.sources);
    let Some(run_id) = config.testops.run_id else {
        return CompleteRunPlan {
            run_id: None,
            proceed: false,
            exit_code: EXIT_USAGE,
            lines: vec!["testrelay: no run id (--run-id or QASE_TESTOPS_RUN_ID)".to_owned()],
            decision: None,
        };
    };
    let Some(receipts) = &input.receipts else {
        return CompleteRunPlan {
            run_id: Some(run_id),
            proceed: true,
            exit_code: EXIT_COMPLETED,
            lines: Vec::new(),
            decision: None,
        };
    };
    let decision = decide_completion(run_id, receipts, &input.expected_jobs);
    let lines = decision
        .lines
        .iter()
        .map(|line| {
            if line.starts_with("testrelay: ") {
                line.clone()
            } else {
                format!("testrelay: {line}")
            }
        })
        .collect();
    CompleteRunPlan {
        run_id: Some(run_id),
        proceed: decision.complete,
        exit_code: if decision.complete {
            EXIT_COMPLETED
        } else {
            EXIT_LEFT_OPEN
        },
        lines,
        decision: Some(decision),
    }
}

/// The exit status of `complete-run` once its session finished (`None`: it could not).
pub fn complete_run_exit(receipt: Option<&Receipt>) -> u8 {
    match receipt {
        Some(r) if r.completed => EXIT_COMPLETED,
        _ => EXIT_LEFT_OPEN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_keep_order_and_drop_duplicates() {
        let dirs = [
            "/repo".to_owned(),
            "/repo/".to_owned(),
            "/repo/tests".to_owned(),
            String::new(),
        ];
        assert_eq!(
            config_file_candidates(&dirs),
            [
                "/repo/qase.config.json",
                "/repo/tests/qase.config.json",
                "qase.config.json"
            ]
        );
    }

    #[test]
    fn a_receipt_file_name_stays_in_its_directory() {
        let file = receipt_file(&ReceiptFileInput {
            job: "../../etc/job 1".into(),
            instance: "abc".into(),
            ..ReceiptFileInput::default()
        });
        assert_eq!(file.name, ".._.._etc_job_1-abc.json");
        let body: serde_json::Value = serde_json::from_str(&file.body).unwrap();
        assert_eq!(body["job"], "../../etc/job 1");
        assert_eq!(body["ignored"], 0);
    }
}
