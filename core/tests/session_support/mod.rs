//! A scripted fake host for session tests: drains actions, renders them as short golden
//! lines, and builds configurations and results.
#![allow(dead_code)]

use testrelay::config::TestopsConfig;
use testrelay::session::{Action, LogLevel};
use testrelay::*;

pub const TOKEN: &str = "tok-SECRET-4711";

pub fn testops_config() -> Config {
    Config {
        mode: Mode::Testops,
        testops: TestopsConfig {
            api_token: Some(Secret::new(TOKEN)),
            project: Some("DEMO".into()),
            batch_size: 2,
            ..TestopsConfig::default()
        },
        ..Config::default()
    }
}

pub fn options() -> SessionOptions {
    SessionOptions::new("worker-1")
}

pub fn passed(title: &str) -> TestResult {
    outcome(title, "passed")
}

pub fn outcome(title: &str, runner_status: &str) -> TestResult {
    TestResult {
        title: title.into(),
        suite: vec!["Auth".into()],
        outcome: Outcome {
            framework: Framework::Playwright,
            runner_status: Some(runner_status.into()),
            error: (runner_status == "failed").then(|| ErrorInfo {
                type_name: Some("AssertionError".into()),
                message: Some("expected 1 to be 2".into()),
                ..ErrorInfo::default()
            }),
            ..Outcome::default()
        },
        started_at: Some(1_795_320_406_000.0),
        duration: Some(12.0),
        ..TestResult::default()
    }
}

/// Polls until `wait` or `finished`; returns every action, the last included.
pub fn drain(session: &mut Session, now: u64) -> Vec<Action> {
    let mut actions = Vec::new();
    loop {
        let action = session.poll(now);
        let end = action.ends_drain();
        actions.push(action);
        if end {
            return actions;
        }
        assert!(actions.len() < 100_000, "drain never ends");
    }
}

/// One short line per action, for golden lists.
pub fn render(action: &Action) -> String {
    let kind = action.purpose();
    if let Some(r) = action.http_request() {
        let count = r.count.map(|c| format!(" count={c}")).unwrap_or_default();
        return format!("{kind} #{} {} {}{count}", r.request_id, r.method, r.path);
    }
    match action {
        Action::Multipart(a) => {
            format!(
                "{kind} #{} {} {} {}",
                a.request_id, a.method, a.path, a.name
            )
        }
        Action::WriteFiles(w) => {
            let results = w
                .files
                .iter()
                .filter(|f| f.path.starts_with("results/"))
                .count();
            let run = w.files.iter().any(|f| f.path == "run.json");
            format!(
                "{kind} #{} {} results={results}{}",
                w.request_id,
                w.dir,
                if run { " run.json" } else { "" }
            )
        }
        Action::Log { level, message } => {
            let level = match level {
                LogLevel::Debug => "debug",
                LogLevel::Info => "info",
                LogLevel::Warn => "warn",
                LogLevel::Error => "error",
            };
            format!("log {level}: {message}")
        }
        Action::Wait { until } => match until {
            Some(t) => format!("wait {t}"),
            None => "wait -".into(),
        },
        Action::Finished { .. } => kind.to_owned(),
        _ => unreachable!("HTTP actions are rendered above"),
    }
}

pub fn render_all(actions: &[Action]) -> Vec<String> {
    actions.iter().map(render).collect()
}

pub fn request_id(action: &Action) -> u64 {
    action
        .request_id()
        .unwrap_or_else(|| panic!("no request id in {action:?}"))
}

pub fn receipt(actions: &[Action]) -> Receipt {
    match actions.last() {
        Some(Action::Finished { receipt }) => receipt.clone(),
        other => panic!("not finished: {other:?}"),
    }
}
