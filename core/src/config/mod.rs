//! Configuration (SPEC §4): one typed [`Config`] resolved from reporter options,
//! `qase.config.json` and `QASE_*` env (later wins), plus warnings. Bad values never abort:
//! each is a warning naming the key, the value and what was expected, and the default stays.
//!
//! The types live here; [`Config::resolve`] (in `resolve.rs`) reads the sources.

mod layers;
mod resolve;

pub use resolve::{FileError, Sources};

use crate::classify::Policy;
use crate::mapping::{StatusFilter, StatusMapping};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// What a reporter does with results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Upload to Qase TestOps.
    Testops,
    /// Write the local report (no server).
    #[default]
    Report,
    /// Do nothing.
    Off,
}

/// `testops.batch.bytes`: the byte budgets a configuration may set (64 KiB ..= 64 MiB).
pub const BATCH_BYTES_RANGE: std::ops::RangeInclusive<u64> = 64 * 1024..=64 * 1024 * 1024;

/// A secret (the API token). Never shown: `Debug`, `Display` and `Serialize` print `***`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the `Token` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("***")
    }
}

/// One picked configuration value (`Browser` = `Chrome`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfigurationValue {
    /// The configuration group.
    pub name: String,
    /// The value picked in that group.
    pub value: String,
}

/// The resolved configuration.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    /// `mode`: testops / report / off. Default: testops when a token is set, else report.
    pub mode: Mode,
    /// `fallback`: where results go when the primary mode cannot deliver. Default: report.
    pub fallback: Mode,
    /// `debug`: emit the debug trace lines.
    pub debug: bool,
    /// `environment`: the TestOps environment slug.
    pub environment: Option<String>,
    /// `rootSuite`: a suite prepended to every result's suite path.
    pub root_suite: Option<String>,
    /// `statusMapping`.
    pub status_mapping: StatusMapping,
    /// `report.connection.local.path`: where the local report is written.
    pub report_path: String,
    /// `testops.*`.
    pub testops: TestopsConfig,
    /// `classification.*` (testrelay extension): the §2 policy.
    pub classification: Policy,
}

/// `testops.*` settings.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestopsConfig {
    /// `testops.api.token`. Redacted everywhere.
    pub api_token: Option<Secret>,
    /// `testops.api.host`: `qase.io` (default), an enterprise host, or a full `http(s)://` base.
    pub api_host: String,
    /// `testops.project`: the project code.
    pub project: Option<String>,
    /// `testops.run.id`: reuse this run instead of creating one.
    pub run_id: Option<u64>,
    /// `testops.run.title`.
    pub run_title: Option<String>,
    /// `testops.run.description`.
    pub run_description: Option<String>,
    /// `testops.run.complete`: complete the run at the end (default true).
    pub run_complete: bool,
    /// `testops.run.tags`.
    pub run_tags: Vec<String>,
    /// `testops.plan.id`.
    pub plan_id: Option<u64>,
    /// `testops.batch.size`, clamped to 1..=200 (default 200).
    pub batch_size: usize,
    /// `testops.statusFilter`.
    pub status_filter: StatusFilter,
    /// `testops.configurations.values`.
    pub configurations: Vec<ConfigurationValue>,
    /// `testops.configurations.createIfNotExists`.
    pub configurations_create: bool,
    /// `testops.defect`: create defects for failed results.
    pub defect: bool,
    /// `testops.uploadAttachments` (default true). False: no attachment is read for upload or
    /// sent — results go without them, and their files stay local (a privacy switch).
    pub upload_attachments: bool,
    /// `testops.uploads.inFlight` (testrelay): uploads in flight at once (default 2, 1..=16).
    pub uploads_in_flight: usize,
    /// `testops.uploads.retries` (testrelay): at most this many tries per request, when set;
    /// by default only the retry budget in time limits them.
    pub upload_retries: Option<u32>,
    /// `testops.uploads.retryBudgetMs` (testrelay): a failed request is tried again while
    /// this long has not passed since its first try (default 60000); then its results go to
    /// the fallback. Counted in time, so a server answering `Retry-After: 1` five times does
    /// not exhaust it in five seconds.
    pub retry_budget_ms: u64,
    /// `testops.uploads.requestTimeoutMs` (testrelay): the whole time one request may take,
    /// connection to last byte (default 30000). The session gives up on a request by itself
    /// at this point (a server that sends one byte a minute never keeps it), and the host
    /// SHOULD abort it then.
    pub request_timeout_ms: u64,
    /// `testops.startTimeoutMs` (testrelay): the run must be created or checked within this
    /// long of the session's start (default 5000); otherwise its results go to the fallback,
    /// so an unreachable host costs seconds, not minutes, and a host that must wait for the
    /// run id before its workers start (xdist) waits at most this long.
    pub start_timeout_ms: u64,
    /// `testops.uploads.deadlineMs` (testrelay): how long the end of the run waits for
    /// uploads in flight (default 30000).
    pub upload_deadline_ms: u64,
    /// `testops.batch.bytes` (testrelay): byte budget of one upload body (default 8 MiB).
    pub batch_bytes: usize,
}

impl Default for TestopsConfig {
    fn default() -> Self {
        TestopsConfig {
            api_token: None,
            api_host: "qase.io".to_owned(),
            project: None,
            run_id: None,
            run_title: None,
            run_description: None,
            run_complete: true,
            run_tags: Vec::new(),
            plan_id: None,
            batch_size: crate::batch::DEFAULT_BATCH_SIZE,
            status_filter: StatusFilter::default(),
            configurations: Vec::new(),
            configurations_create: false,
            defect: false,
            upload_attachments: true,
            uploads_in_flight: 2,
            upload_retries: None,
            retry_budget_ms: 60_000,
            request_timeout_ms: 30_000,
            start_timeout_ms: 5_000,
            upload_deadline_ms: 30_000,
            batch_bytes: 8 * 1024 * 1024,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::Report,
            fallback: Mode::Report,
            debug: false,
            environment: None,
            root_suite: None,
            status_mapping: StatusMapping::default(),
            report_path: "build/qase-report".to_owned(),
            testops: TestopsConfig::default(),
            classification: Policy::default(),
        }
    }
}

impl TestopsConfig {
    /// The API base URL: a full `http(s)://` host is used as is; `qase.io` →
    /// `https://api.qase.io`; another host `h` → `https://api-h`.
    pub fn api_base(&self) -> String {
        let host = self.api_host.trim_end_matches('/');
        if host.starts_with("http://") || host.starts_with("https://") {
            host.to_owned()
        } else if host == "qase.io" {
            "https://api.qase.io".to_owned()
        } else {
            format!("https://api-{host}")
        }
    }

    /// The web app base URL used in failure links: `qase.io` → `https://app.qase.io`;
    /// another host `h` → `https://h`; a full URL base is used as is.
    pub fn app_base(&self) -> String {
        let host = self.api_host.trim_end_matches('/');
        if host.starts_with("http://") || host.starts_with("https://") {
            host.to_owned()
        } else if host == "qase.io" {
            "https://app.qase.io".to_owned()
        } else {
            format!("https://{host}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_shows() {
        let config = Config {
            testops: TestopsConfig {
                api_token: Some(Secret::new("tok-SECRET-123")),
                ..TestopsConfig::default()
            },
            ..Config::default()
        };
        assert!(!format!("{config:?}").contains("SECRET"));
        assert!(!serde_json::to_string(&config).unwrap().contains("SECRET"));
    }
}
