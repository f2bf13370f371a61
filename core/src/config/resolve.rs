//! Resolution of [`Config`] from its sources (SPEC §4).
//!
//! Every source is flattened to leaves keyed by dotted path (`testops.batch.size`), each
//! remembering where it came from (`layers.rs`). Sources are laid over each other in order — reporter
//! options < `qase.config.json` < `QASE_*` env < binding CLI flags — so objects merge key by
//! key while a leaf (scalar or array) replaces whole. Then each known key is read with its
//! validator; a bad value is a warning naming the key, the value and what was expected, and
//! the default stays. Nothing here can fail.

use super::layers::{Layers, Leaf};
use super::{Config, ConfigurationValue, Mode, Secret};
use crate::batch::clamp_batch_size;
use crate::mapping::{StatusFilter, StatusMapping};
use crate::warning::{Warning, WarningCode};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The raw configuration sources a host hands over, lowest precedence first.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Sources {
    /// Reporter options given in code (`qase.config.json` shape).
    pub options: Option<Value>,
    /// The text of `qase.config.json`, if the host found one.
    pub file: Option<String>,
    /// The file the host could not read, when one of the candidates
    /// ([`crate::host::config_file_candidates`]) exists but failed to read: `{path, message}`.
    /// It becomes one warning; the run goes on without the file.
    pub file_error: Option<FileError>,
    /// The process environment (only `QASE_*` names are read).
    pub env: Option<BTreeMap<String, String>>,
    /// Binding-specific command-line flags (`qase.config.json` shape), above env.
    pub cli: Option<Value>,
}

/// A configuration file that exists but could not be read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct FileError {
    /// Its path.
    pub path: String,
    /// What the host was told (`EACCES`, `Is a directory`, …).
    pub message: String,
}

/// Keys of the official reporters that testrelay does not implement: one warning each (SPEC
/// §4), never silent acceptance. `report.driver` and `report.connection.local.format` are
/// read instead: testrelay writes only what they name by default.
const UNSUPPORTED: &[&str] = &[
    "captureLogs",
    "frameworks",
    "logging",
    "profilers",
    "testops.showPublicReportLink",
    "testops.run.externalLink",
];

/// The token path: its value never appears in a warning.
const TOKEN: &str = "testops.api.token";

/// Reads typed values out of the layered leaves, collecting warnings.
struct Reader {
    leaves: BTreeMap<String, Leaf>,
    warnings: Vec<Warning>,
}

impl Reader {
    /// Takes the leaf at `path` (so leftovers are unknown keys).
    fn take(&mut self, path: &str) -> Option<Leaf> {
        self.leaves.remove(path)
    }

    fn bad(&mut self, leaf: &Leaf, expected: &str, default: &str) {
        let shown = if leaf.key.ends_with("TOKEN") || leaf.key == TOKEN {
            "***".to_owned()
        } else {
            shown_value(&leaf.value)
        };
        self.warnings.push(Warning::new(
            WarningCode::InvalidConfigValue,
            leaf.key.as_str(),
            format!(
                "{} ({}) = {shown} is invalid: expected {expected}; using {default}",
                leaf.key, leaf.source
            ),
        ));
    }

    fn read<T>(
        &mut self,
        path: &str,
        expected: &str,
        default_shown: &str,
        parse: impl Fn(&Value) -> Option<T>,
    ) -> Option<T> {
        let leaf = self.take(path)?;
        if leaf.value.is_null() {
            return None;
        }
        let parsed = parse(&leaf.value);
        if parsed.is_none() {
            self.bad(&leaf, expected, default_shown);
        }
        parsed
    }

    fn bool(&mut self, path: &str, default: bool) -> bool {
        let shown = default.to_string();
        self.read(path, "true/false/1/0/yes/no/on/off", &shown, parse_bool)
            .unwrap_or(default)
    }

    fn string(&mut self, path: &str) -> Option<String> {
        self.read(path, "a text", "none", |v| match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .filter(|s| !s.is_empty())
    }

    /// The API token: surrounding whitespace trimmed; one with a control or non-ASCII
    /// character cannot go into an HTTP header, so it is refused (never shown).
    fn token(&mut self) -> Option<Secret> {
        self.read(
            TOKEN,
            "printable ASCII characters only (no line break, no control or non-ASCII character)",
            "no token",
            |v| {
                let text = v.as_str()?.trim();
                text.bytes()
                    .all(|b| b.is_ascii_graphic() || b == b' ')
                    .then(|| Secret::new(text))
            },
        )
        .filter(|t| !t.expose().is_empty())
    }

    /// The project code, as the API names projects: letters and digits only, at most 10
    /// (it goes into every request's path).
    fn project(&mut self) -> Option<String> {
        self.read(
            "testops.project",
            "a project code of 1 to 10 letters or digits",
            "none",
            |v| {
                let text = v.as_str().map(str::trim)?;
                let ok = (1..=10).contains(&text.len())
                    && text.bytes().all(|b| b.is_ascii_alphanumeric());
                ok.then(|| text.to_owned())
            },
        )
    }

    /// The API host: a host name (`qase.io`, an enterprise host) or a full `http(s)://` base
    /// that parses as a URL.
    fn api_host(&mut self, default: String) -> String {
        self.read(
            "testops.api.host",
            "a host name or an http(s):// URL",
            &default,
            |v| {
                let text = v.as_str()?.trim();
                crate::url::valid_api_host(text).then(|| text.to_owned())
            },
        )
        .unwrap_or(default)
    }

    fn id(&mut self, path: &str) -> Option<u64> {
        self.read(path, "a positive integer", "none", |v| {
            parse_u64(v).filter(|&n| n >= 1)
        })
    }

    fn number(&mut self, path: &str, range: std::ops::RangeInclusive<u64>, default: u64) -> u64 {
        let expected = format!("an integer in {}..={}", range.start(), range.end());
        self.read(path, &expected, &default.to_string(), |v| {
            parse_u64(v).filter(|n| range.contains(n))
        })
        .unwrap_or(default)
    }

    fn list(&mut self, path: &str) -> Option<Vec<String>> {
        self.read(
            path,
            "a list of texts or a comma-separated text",
            "none",
            |v| match v {
                Value::String(s) => Some(split_list(s)),
                Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map(|s| s.trim().to_owned()))
                    .collect::<Option<Vec<_>>>()
                    .map(|l| l.into_iter().filter(|s| !s.is_empty()).collect()),
                _ => None,
            },
        )
    }

    fn mode(&mut self, path: &str) -> Option<Mode> {
        self.read(path, "testops, report or off", "the default", |v| {
            match v.as_str()?.trim().to_ascii_lowercase().as_str() {
                "testops" => Some(Mode::Testops),
                "report" => Some(Mode::Report),
                "off" => Some(Mode::Off),
                _ => None,
            }
        })
    }

    fn mapping(&mut self) -> StatusMapping {
        // An object form may have been merged key by key: gather `statusMapping.*` too.
        let children: Vec<String> = self
            .leaves
            .keys()
            .filter(|k| k.starts_with("statusMapping."))
            .cloned()
            .collect();
        let mut entries = Map::new();
        for path in children {
            let leaf = self.leaves.remove(&path).expect("key listed above");
            entries.insert(path["statusMapping.".len()..].to_owned(), leaf.value);
        }
        let (mapping, warnings) = match self.take("statusMapping") {
            Some(Leaf {
                value: Value::String(text),
                key,
                ..
            }) => StatusMapping::parse_env(&text, &key),
            Some(Leaf {
                value: Value::Object(map),
                key,
                ..
            }) => {
                entries.extend(map);
                StatusMapping::parse_json(&Value::Object(entries), &key)
            }
            Some(leaf) => StatusMapping::parse_json(&leaf.value, &leaf.key),
            None => StatusMapping::parse_json(&Value::Object(entries), "statusMapping"),
        };
        self.warnings.extend(warnings);
        mapping
    }

    fn filter(&mut self) -> StatusFilter {
        let (filter, warnings) = match self.take("testops.statusFilter") {
            Some(Leaf {
                value: Value::String(text),
                key,
                ..
            }) => StatusFilter::parse_env(&text, &key),
            Some(leaf) => StatusFilter::parse_json(&leaf.value, &leaf.key),
            None => (StatusFilter::default(), Vec::new()),
        };
        self.warnings.extend(warnings);
        filter
    }

    fn configurations(&mut self) -> Vec<ConfigurationValue> {
        let expected = "a list of {\"name\", \"value\"}, an object {name: value} or `name=value,…`";
        self.read(
            "testops.configurations.values",
            expected,
            "none",
            parse_configurations,
        )
        .unwrap_or_default()
    }

    fn batch_size(&mut self, default: usize) -> usize {
        let Some(leaf) = self.take("testops.batch.size") else {
            return default;
        };
        let integer = match &leaf.value {
            Value::Number(n) => n.as_i64().or_else(|| n.as_u64().map(|_| i64::MAX)),
            Value::String(s) => s
                .trim()
                .parse::<i128>()
                .ok()
                .map(|n| n.clamp(i64::MIN.into(), i64::MAX.into()) as i64),
            _ => None,
        };
        match integer {
            Some(n) => {
                let (size, warning) = clamp_batch_size(n, &leaf.key);
                self.warnings.extend(warning);
                size
            }
            None => {
                self.bad(&leaf, "an integer in 1..=200", &default.to_string());
                default
            }
        }
    }

    /// The local report's driver and format: testrelay writes the `local` driver's `json`
    /// files; another value is a warning, and that is what is written.
    fn report_format(&mut self) {
        for (path, supported) in [
            ("report.driver", "local"),
            ("report.connection.local.format", "json"),
        ] {
            let Some(leaf) = self.take(path) else {
                continue;
            };
            if leaf.value.as_str().map(str::trim) != Some(supported) {
                self.warnings.push(Warning::new(
                    WarningCode::UnsupportedConfigKey,
                    leaf.key.as_str(),
                    format!(
                        "{} ({}) = {} is not supported: testrelay writes `{supported}`; ignored",
                        leaf.key,
                        leaf.source,
                        shown_value(&leaf.value)
                    ),
                ));
            }
        }
    }

    fn unknown_keys(&mut self) {
        for (path, leaf) in std::mem::take(&mut self.leaves) {
            if UNSUPPORTED
                .iter()
                .any(|k| path == *k || path.starts_with(&format!("{k}.")))
            {
                self.warnings.push(Warning::new(
                    WarningCode::UnsupportedConfigKey,
                    leaf.key.as_str(),
                    format!(
                        "{} ({}) is a setting of the official Qase reporters that testrelay does not support; ignored",
                        leaf.key, leaf.source
                    ),
                ));
                continue;
            }
            self.warnings.push(Warning::note(
                WarningCode::UnknownConfigKey,
                leaf.key.as_str(),
                format!(
                    "unknown configuration key {} ({}); ignored",
                    leaf.key, leaf.source
                ),
            ));
        }
    }
}

impl Config {
    /// Resolves the configuration from its sources. Never fails: every bad value is a
    /// warning and its default is used. The mode defaults to `testops` when a token is
    /// set and to `report` otherwise; `testops` without a token or project falls back to
    /// the fallback mode with a warning.
    pub fn resolve(sources: &Sources) -> (Config, Vec<Warning>) {
        let mut warnings = Vec::new();
        let mut layers = Layers::default();
        if let Some(options) = &sources.options {
            layers.add_json(options, "options", &mut warnings);
        }
        if let Some(text) = &sources.file {
            match crate::json::from_str::<Value>(text) {
                Ok(value) => layers.add_json(&value, "qase.config.json", &mut warnings),
                Err(e) => warnings.push(Warning::new(
                    WarningCode::InvalidConfigValue,
                    "qase.config.json",
                    format!("qase.config.json is not valid JSON ({e}); ignored"),
                )),
            }
        }
        if let Some(error) = &sources.file_error {
            warnings.push(Warning::new(
                WarningCode::InvalidConfigValue,
                "qase.config.json",
                format!(
                    "{} could not be read ({}); going on without it",
                    error.path, error.message
                ),
            ));
        }
        if let Some(env) = &sources.env {
            layers.add_env(env, &mut warnings);
        }
        if let Some(cli) = &sources.cli {
            layers.add_json(cli, "cli", &mut warnings);
        }
        let mut r = Reader {
            leaves: layers.leaves,
            warnings,
        };
        let config = read_config(&mut r);
        r.report_format();
        r.unknown_keys();
        (config, r.warnings)
    }
}

fn read_config(r: &mut Reader) -> Config {
    let d = Config::default();
    let dt = d.testops.clone();
    let mut c = Config {
        mode: Mode::Report,
        fallback: r.mode("fallback").unwrap_or(d.fallback),
        debug: r.bool("debug", d.debug),
        environment: r.string("environment"),
        root_suite: r.string("rootSuite"),
        status_mapping: r.mapping(),
        report_path: r
            .string("report.connection.local.path")
            .unwrap_or(d.report_path),
        testops: super::TestopsConfig {
            api_token: r.token(),
            api_host: r.api_host(dt.api_host),
            project: r.project(),
            run_id: r.id("testops.run.id"),
            run_title: r.string("testops.run.title"),
            run_description: r.string("testops.run.description"),
            run_complete: r.bool("testops.run.complete", dt.run_complete),
            run_tags: r.list("testops.run.tags").unwrap_or_default(),
            plan_id: r.id("testops.plan.id"),
            batch_size: r.batch_size(dt.batch_size),
            status_filter: r.filter(),
            configurations: r.configurations(),
            configurations_create: r.bool(
                "testops.configurations.createIfNotExists",
                dt.configurations_create,
            ),
            defect: r.bool("testops.defect", dt.defect),
            upload_attachments: r.bool("testops.uploadAttachments", dt.upload_attachments),
            uploads_in_flight: r.number(
                "testops.uploads.inFlight",
                1..=16,
                dt.uploads_in_flight as u64,
            ) as usize,
            upload_retries: r
                .read(
                    "testops.uploads.retries",
                    "an integer in 0..=100",
                    "no limit but the retry budget",
                    |v| parse_u64(v).filter(|n| *n <= 100),
                )
                .map(|n| n as u32),
            retry_budget_ms: r.number(
                "testops.uploads.retryBudgetMs",
                0..=3_600_000,
                dt.retry_budget_ms,
            ),
            request_timeout_ms: r.number(
                "testops.uploads.requestTimeoutMs",
                100..=600_000,
                dt.request_timeout_ms,
            ),
            start_timeout_ms: r.number("testops.startTimeoutMs", 0..=600_000, dt.start_timeout_ms),
            upload_deadline_ms: r.number(
                "testops.uploads.deadlineMs",
                0..=3_600_000,
                dt.upload_deadline_ms,
            ),
            batch_bytes: r.number(
                "testops.batch.bytes",
                super::BATCH_BYTES_RANGE,
                dt.batch_bytes as u64,
            ) as usize,
        },
        classification: crate::classify::Policy {
            phase_rule: r.bool("classification.phaseRule", d.classification.phase_rule),
            assertion_types: r.list("classification.assertionTypes").unwrap_or_default(),
            assertion_packages: r
                .list("classification.assertionPackages")
                .unwrap_or_default(),
        },
    };
    let has_token = c.testops.api_token.is_some();
    c.mode = match r.mode("mode") {
        Some(mode) => mode,
        None if has_token => Mode::Testops,
        None => Mode::Report,
    };
    if c.fallback == Mode::Testops {
        r.warnings.push(Warning::new(
            WarningCode::InvalidConfigValue,
            "fallback",
            "fallback = testops cannot take results that testops could not deliver; using report",
        ));
        c.fallback = Mode::Report;
    }
    if c.mode == Mode::Testops {
        let missing: Vec<&str> = [
            (!has_token).then_some("testops.api.token (QASE_TESTOPS_API_TOKEN)"),
            c.testops
                .project
                .is_none()
                .then_some("testops.project (QASE_TESTOPS_PROJECT)"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !missing.is_empty() {
            r.warnings.push(Warning::new(
                WarningCode::InvalidConfigValue,
                "mode",
                format!(
                    "mode testops needs {}; using the fallback mode {}",
                    missing.join(" and "),
                    mode_name(c.fallback)
                ),
            ));
            c.mode = c.fallback;
        }
    }
    c
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Testops => "testops",
        Mode::Report => "report",
        Mode::Off => "off",
    }
}

fn parse_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_u64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn parse_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_configurations(value: &Value) -> Option<Vec<ConfigurationValue>> {
    let pair = |name: &str, value: &str| {
        let (name, value) = (name.trim(), value.trim());
        (!name.is_empty() && !value.is_empty()).then(|| ConfigurationValue {
            name: name.to_owned(),
            value: value.to_owned(),
        })
    };
    match value {
        Value::String(text) => split_list(text)
            .iter()
            .map(|item| item.split_once('=').and_then(|(n, v)| pair(n, v)))
            .collect(),
        Value::Array(items) => items
            .iter()
            .map(|item| pair(item.get("name")?.as_str()?, item.get("value")?.as_str()?))
            .collect(),
        Value::Object(map) => map.iter().map(|(n, v)| pair(n, v.as_str()?)).collect(),
        _ => None,
    }
}

/// A value as shown in a warning: JSON, cut to a readable length.
fn shown_value(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;
    use proptest::prelude::*;
    use serde_json::json;

    fn env(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn later_sources_win_and_objects_merge() {
        let sources = Sources {
            options: Some(json!({"testops": {"project": "OPT", "run": {"title": "from options"}}})),
            file: Some(r#"{"testops": {"project": "FILE", "batch": {"size": 50}}}"#.into()),
            env: env(&[("QASE_TESTOPS_PROJECT", "ENV")]),
            cli: None,
            ..Sources::default()
        };
        let (c, warnings) = Config::resolve(&sources);
        assert_eq!(c.testops.project.as_deref(), Some("ENV"));
        assert_eq!(c.testops.run_title.as_deref(), Some("from options"));
        assert_eq!(c.testops.batch_size, 50);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn arrays_replace_whole() {
        // The anchor merged by index: ["skipped","blocked"] + "passed" → ["passed","blocked"].
        let sources = Sources {
            file: Some(r#"{"testops": {"statusFilter": ["skipped", "blocked"]}}"#.into()),
            env: env(&[("QASE_TESTOPS_STATUS_FILTER", "passed")]),
            ..Sources::default()
        };
        let (c, _) = Config::resolve(&sources);
        assert_eq!(c.testops.status_filter.statuses(), [Status::Passed]);
    }

    #[test]
    fn one_bad_value_does_not_stop_the_others() {
        let sources = Sources {
            env: env(&[
                ("QASE_DEBUG", "maybe"),
                ("QASE_TESTOPS_BATCH_SIZE", "500"),
                ("QASE_TESTOPS_RUN_ID", "-3"),
                ("QASE_TESTOPS_RUN_COMPLETE", "OFF"),
                ("QASE_ROOT_SUITE", "Root"),
            ]),
            ..Sources::default()
        };
        let (c, warnings) = Config::resolve(&sources);
        assert!(!c.debug);
        assert_eq!(c.testops.batch_size, 200);
        assert_eq!(c.testops.run_id, None);
        assert!(!c.testops.run_complete);
        assert_eq!(c.root_suite.as_deref(), Some("Root"));
        let keys: Vec<&str> = warnings.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "QASE_DEBUG",
                "QASE_TESTOPS_RUN_ID",
                "QASE_TESTOPS_BATCH_SIZE"
            ]
        );
        assert!(warnings[0].message.contains("\"maybe\""));
    }

    #[test]
    fn mode_follows_the_token() {
        let (c, _) = Config::resolve(&Sources::default());
        assert_eq!(c.mode, Mode::Report);
        let sources = Sources {
            env: env(&[
                ("QASE_TESTOPS_API_TOKEN", "tok"),
                ("QASE_TESTOPS_PROJECT", "DEMO"),
            ]),
            ..Sources::default()
        };
        let (c, warnings) = Config::resolve(&sources);
        assert_eq!(c.mode, Mode::Testops);
        assert!(warnings.is_empty());
        let sources = Sources {
            env: env(&[("QASE_MODE", "testops")]),
            ..Sources::default()
        };
        let (c, warnings) = Config::resolve(&sources);
        assert_eq!(c.mode, Mode::Report);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn the_token_is_never_in_a_warning() {
        let sources = Sources {
            options: Some(json!({"testops": {"api": {"token": ["s3cr3t-token"]}}})),
            env: env(&[("QASE_TESTOPS_API_TOKEN", "s3cr3t-token")]),
            cli: Some(json!({"testops": {"api": {"token": {"x": "s3cr3t-token"}}}})),
            ..Sources::default()
        };
        let (c, warnings) = Config::resolve(&sources);
        assert!(!warnings.is_empty());
        let all = format!("{warnings:?} {c:?}");
        assert!(!all.contains("s3cr3t"), "{all}");
    }

    #[test]
    fn mapping_from_env_and_merged_objects() {
        let sources = Sources {
            options: Some(json!({"statusMapping": {"invalid": "failed"}})),
            file: Some(r#"{"statusMapping": {"blocked": "skipped"}}"#.into()),
            ..Sources::default()
        };
        let (c, _) = Config::resolve(&sources);
        assert_eq!(c.status_mapping.apply(Status::Invalid), Status::Failed);
        assert_eq!(c.status_mapping.apply(Status::Blocked), Status::Skipped);
        let sources = Sources {
            options: Some(json!({"statusMapping": {"invalid": "failed"}})),
            env: env(&[("QASE_STATUS_MAPPING", "blocked=skipped,Invalid=x")]),
            ..Sources::default()
        };
        let (c, warnings) = Config::resolve(&sources);
        assert_eq!(c.status_mapping.apply(Status::Invalid), Status::Invalid);
        assert_eq!(c.status_mapping.apply(Status::Blocked), Status::Skipped);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].key, "QASE_STATUS_MAPPING");
    }

    #[test]
    fn configurations_in_three_forms() {
        for value in [
            json!("Browser=Chrome, OS = Linux"),
            json!([{"name": "Browser", "value": "Chrome"}, {"name": "OS", "value": "Linux"}]),
            json!({"Browser": "Chrome", "OS": "Linux"}),
        ] {
            let sources = Sources {
                options: Some(json!({"testops": {"configurations": {"values": value}}})),
                ..Sources::default()
            };
            let (c, warnings) = Config::resolve(&sources);
            assert!(warnings.is_empty(), "{warnings:?}");
            let pairs: Vec<(&str, &str)> = c
                .testops
                .configurations
                .iter()
                .map(|v| (v.name.as_str(), v.value.as_str()))
                .collect();
            assert_eq!(pairs, [("Browser", "Chrome"), ("OS", "Linux")]);
        }
    }

    #[test]
    fn unknown_keys_are_notes_and_official_ones_not_supported_are_warnings() {
        let sources = Sources {
            options: Some(json!({"captureLogs": true, "testops": {"projct": "X"},
                                 "report": {"driver": "local", "connection": {"local": {"format": "jsonp"}}}})),
            env: env(&[("QASE_TESTOPS_PROJCT", "X"), ("PATH", "/bin")]),
            ..Sources::default()
        };
        let (_, warnings) = Config::resolve(&sources);
        let said: Vec<(&str, bool)> = warnings
            .iter()
            .map(|w| (w.key.as_str(), w.is_warning()))
            .collect();
        assert_eq!(
            said,
            [
                ("QASE_TESTOPS_PROJCT", false),
                ("report.connection.local.format", true),
                ("captureLogs", true),
                ("testops.projct", false),
            ]
        );
    }

    #[test]
    fn a_broken_file_is_one_warning() {
        let sources = Sources {
            file: Some("{ \"mode\": ".into()),
            env: env(&[("QASE_DEBUG", "yes")]),
            ..Sources::default()
        };
        let (c, warnings) = Config::resolve(&sources);
        assert!(c.debug);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].key, "qase.config.json");
    }

    proptest! {
        #[test]
        fn resolution_never_panics(
            pairs in prop::collection::vec((prop::sample::select(crate::config::layers::ENV_KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>()), ".{0,40}"), 0..12),
            file in ".{0,200}",
        ) {
            let env: BTreeMap<String, String> = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            let sources = Sources { file: Some(file), env: Some(env), ..Sources::default() };
            let (c, _) = Config::resolve(&sources);
            prop_assert!((1..=200).contains(&c.testops.batch_size));
        }
    }
}
