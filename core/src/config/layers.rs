//! The first half of resolving a [`Config`](super::Config) (SPEC §4): every source flattened
//! to leaves keyed by dotted path (`testops.batch.size`), each remembering where it came
//! from, and laid over the ones below it — objects merge key by key, a leaf (scalar or array)
//! replaces whole. `resolve.rs` then reads the known keys out of the layers.

use crate::mapping::json_kind;
use crate::warning::{Warning, WarningCode};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Environment variables and the dotted path each one sets.
pub(super) const ENV_KEYS: &[(&str, &str)] = &[
    ("QASE_MODE", "mode"),
    ("QASE_FALLBACK", "fallback"),
    ("QASE_DEBUG", "debug"),
    ("QASE_ENVIRONMENT", "environment"),
    ("QASE_ROOT_SUITE", "rootSuite"),
    ("QASE_STATUS_MAPPING", "statusMapping"),
    ("QASE_REPORT_DRIVER", "report.driver"),
    (
        "QASE_REPORT_CONNECTION_PATH",
        "report.connection.local.path",
    ),
    (
        "QASE_REPORT_CONNECTION_FORMAT",
        "report.connection.local.format",
    ),
    ("QASE_TESTOPS_API_TOKEN", "testops.api.token"),
    ("QASE_TESTOPS_API_HOST", "testops.api.host"),
    ("QASE_TESTOPS_PROJECT", "testops.project"),
    ("QASE_TESTOPS_RUN_ID", "testops.run.id"),
    ("QASE_TESTOPS_RUN_TITLE", "testops.run.title"),
    ("QASE_TESTOPS_RUN_DESCRIPTION", "testops.run.description"),
    ("QASE_TESTOPS_RUN_COMPLETE", "testops.run.complete"),
    ("QASE_TESTOPS_RUN_TAGS", "testops.run.tags"),
    ("QASE_TESTOPS_PLAN_ID", "testops.plan.id"),
    ("QASE_TESTOPS_BATCH_SIZE", "testops.batch.size"),
    ("QASE_TESTOPS_BATCH_BYTES", "testops.batch.bytes"),
    ("QASE_TESTOPS_DEFECT", "testops.defect"),
    (
        "QASE_TESTOPS_UPLOAD_ATTACHMENTS",
        "testops.uploadAttachments",
    ),
    ("QASE_CAPTURE_LOGS", "captureLogs"),
    (
        "QASE_TESTOPS_SHOW_PUBLIC_REPORT_LINK",
        "testops.showPublicReportLink",
    ),
    ("QASE_TESTOPS_STATUS_FILTER", "testops.statusFilter"),
    (
        "QASE_TESTOPS_CONFIGURATIONS_VALUES",
        "testops.configurations.values",
    ),
    (
        "QASE_TESTOPS_CONFIGURATIONS_CREATE_IF_NOT_EXISTS",
        "testops.configurations.createIfNotExists",
    ),
    ("QASE_TESTOPS_UPLOADS_IN_FLIGHT", "testops.uploads.inFlight"),
    ("QASE_TESTOPS_UPLOADS_RETRIES", "testops.uploads.retries"),
    (
        "QASE_TESTOPS_UPLOADS_RETRY_BUDGET_MS",
        "testops.uploads.retryBudgetMs",
    ),
    (
        "QASE_TESTOPS_UPLOADS_REQUEST_TIMEOUT_MS",
        "testops.uploads.requestTimeoutMs",
    ),
    ("QASE_TESTOPS_START_TIMEOUT_MS", "testops.startTimeoutMs"),
    (
        "QASE_TESTOPS_UPLOADS_DEADLINE_MS",
        "testops.uploads.deadlineMs",
    ),
    ("QASE_CLASSIFICATION_PHASE_RULE", "classification.phaseRule"),
    (
        "QASE_CLASSIFICATION_ASSERTION_TYPES",
        "classification.assertionTypes",
    ),
    (
        "QASE_CLASSIFICATION_ASSERTION_PACKAGES",
        "classification.assertionPackages",
    ),
];

/// Keys whose object value is one setting, replaced whole rather than merged by key.
const OBJECT_KEYS: &[&str] = &["testops.configurations.values"];

/// One leaf of a flattened source: its value and the name to show in warnings.
#[derive(Clone, Debug)]
pub(super) struct Leaf {
    pub value: Value,
    /// The key as the user wrote it: the env name, or the dotted path.
    pub key: String,
    /// Which source it came from, for messages.
    pub source: &'static str,
}

/// The sources laid over each other, as leaves by dotted path.
#[derive(Default)]
pub(super) struct Layers {
    pub leaves: BTreeMap<String, Leaf>,
}

impl Layers {
    /// Sets a leaf, removing what it shadows (its children, or a scalar ancestor).
    fn set(&mut self, path: String, leaf: Leaf) {
        let prefix = format!("{path}.");
        self.leaves.retain(|k, _| !k.starts_with(&prefix));
        let mut ancestor = path.as_str();
        while let Some((parent, _)) = ancestor.rsplit_once('.') {
            self.leaves.remove(parent);
            ancestor = parent;
        }
        self.leaves.insert(path, leaf);
    }

    pub(super) fn add_json(
        &mut self,
        value: &Value,
        source: &'static str,
        warnings: &mut Vec<Warning>,
    ) {
        match value {
            Value::Object(map) => self.add_object(map, "", source),
            Value::Null => {}
            other => warnings.push(Warning::new(
                WarningCode::InvalidConfigValue,
                source,
                format!(
                    "{source} must be an object, got {}; ignored",
                    json_kind(other)
                ),
            )),
        }
    }

    pub(super) fn add_object(
        &mut self,
        map: &Map<String, Value>,
        prefix: &str,
        source: &'static str,
    ) {
        for (key, value) in map {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                Value::Object(inner) if !OBJECT_KEYS.contains(&path.as_str()) => {
                    self.add_object(inner, &path, source);
                }
                _ => self.set(
                    path.clone(),
                    Leaf {
                        value: value.clone(),
                        key: path,
                        source,
                    },
                ),
            }
        }
    }

    pub(super) fn add_env(&mut self, env: &BTreeMap<String, String>, warnings: &mut Vec<Warning>) {
        for (name, value) in env.iter().filter(|(n, _)| n.starts_with("QASE_")) {
            match ENV_KEYS.iter().find(|(env_name, _)| env_name == name) {
                Some((_, path)) => self.set(
                    (*path).to_owned(),
                    Leaf {
                        value: Value::String(value.clone()),
                        key: name.clone(),
                        source: "env",
                    },
                ),
                None => warnings.push(Warning::note(
                    WarningCode::UnknownConfigKey,
                    name.as_str(),
                    format!("environment variable {name} is not used by testrelay; ignored"),
                )),
            }
        }
    }
}
