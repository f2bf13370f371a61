//! The Qase local report layout, as qase-javascript-commons and qase-python-commons write
//! it: `results/<id>.json` (one result object each, the same object the API receives) and a
//! `run.json` summary (title, execution times, stats per status, the results list, threads,
//! environment, host data).

use super::event::FileEntry;
use crate::status::Status;
use serde::{Deserialize, Serialize};

/// What `run.json` lists about one result. Made with the result in report mode; read back
/// from the result's JSON only when an upload ends in the fallback, so that uploads do not
/// pay for it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Summary {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub duration: u64,
    pub thread: Option<String>,
}

#[derive(Deserialize)]
struct Written {
    id: String,
    title: String,
    execution: WrittenExecution,
}

#[derive(Deserialize)]
struct WrittenExecution {
    status: Status,
    #[serde(default)]
    duration: u64,
    #[serde(default)]
    thread: Option<String>,
}

impl Summary {
    /// The summary of a `ResultCreate` JSON text this session made.
    pub(crate) fn of(json: &str) -> Summary {
        let w: Written = crate::json::from_str(json).expect("the session's own result JSON");
        Summary {
            id: w.id,
            title: w.title,
            status: w.execution.status,
            duration: w.execution.duration,
            thread: w.execution.thread,
        }
    }
}

/// One result file. The path is joined by hand: `format!` costs several times as much, once
/// per result of a local report.
pub(crate) fn result_file(id: &str, json: String) -> FileEntry {
    let mut path = String::with_capacity("results/.json".len() + id.len());
    path.push_str("results/");
    path.push_str(id);
    path.push_str(".json");
    FileEntry {
        path,
        content: json,
        source: None,
        encoding: None,
    }
}

#[derive(Serialize)]
struct RunFile<'a> {
    title: &'static str,
    execution: Execution,
    stats: Stats,
    results: &'a [Summary],
    threads: Vec<&'a str>,
    suites: [(); 0],
    environment: &'a str,
    host_data: HostData,
}

/// Times as the result files and the official reports give them: start and end in seconds
/// (a millisecond fraction), durations in milliseconds.
#[derive(Serialize)]
struct Execution {
    start_time: f64,
    end_time: f64,
    duration: u64,
    cumulative_duration: u64,
}

#[derive(Serialize, Default)]
struct Stats {
    total: u64,
    passed: u64,
    failed: u64,
    skipped: u64,
    blocked: u64,
    invalid: u64,
    muted: u64,
}

#[derive(Serialize)]
struct HostData {
    reporter: &'static str,
    reporter_version: &'static str,
}

/// `run.json` for the results written locally by this session.
pub(crate) fn run_file(
    results: &[Summary],
    started: u64,
    ended: u64,
    environment: Option<&str>,
) -> FileEntry {
    let mut stats = Stats::default();
    let mut threads: Vec<&str> = Vec::new();
    for result in results {
        stats.total += 1;
        *match result.status {
            Status::Passed => &mut stats.passed,
            Status::Failed => &mut stats.failed,
            Status::Skipped => &mut stats.skipped,
            Status::Blocked => &mut stats.blocked,
            Status::Invalid => &mut stats.invalid,
        } += 1;
        if let Some(thread) = result.thread.as_deref() {
            if !threads.contains(&thread) {
                threads.push(thread);
            }
        }
    }
    let run = RunFile {
        title: "Test run",
        execution: Execution {
            start_time: started as f64 / 1000.0,
            end_time: ended as f64 / 1000.0,
            duration: ended.saturating_sub(started),
            cumulative_duration: results.iter().map(|r| r.duration).sum(),
        },
        stats,
        results,
        threads,
        suites: [],
        environment: environment.unwrap_or(""),
        host_data: HostData {
            reporter: "testrelay",
            reporter_version: env!("CARGO_PKG_VERSION"),
        },
    };
    FileEntry {
        path: "run.json".to_owned(),
        source: None,
        encoding: None,
        content: serde_json::to_string_pretty(&run).expect("run.json always serializes"),
    }
}
