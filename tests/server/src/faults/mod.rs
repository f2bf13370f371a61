//! Fault configuration: the JSON shape of `--faults` and `PUT /__control/faults`, and its
//! checks. What fires on a request is decided in [`decide`].

mod decide;

pub use decide::{Count, Decision, Fault};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The API endpoints the server speaks; faults are configured per endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    Project,
    CreateRun,
    GetRun,
    Upload,
    Complete,
    /// The configuration routes: list, create a group, create a value.
    Configuration,
    /// `POST /v1/attachment/{code}`.
    Attachment,
}

impl Endpoint {
    pub const ALL: [Endpoint; 7] = [
        Endpoint::Project,
        Endpoint::CreateRun,
        Endpoint::GetRun,
        Endpoint::Upload,
        Endpoint::Complete,
        Endpoint::Configuration,
        Endpoint::Attachment,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

/// Everything that can be injected; the JSON shape of `--faults` and `PUT /__control/faults`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultConfig {
    /// Replaces the server's seed when the config is installed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(default)]
    pub project: EndpointFaults,
    #[serde(default)]
    pub create_run: EndpointFaults,
    #[serde(default)]
    pub get_run: EndpointFaults,
    #[serde(default)]
    pub upload: EndpointFaults,
    #[serde(default)]
    pub complete: EndpointFaults,
    #[serde(default)]
    pub configuration: EndpointFaults,
    #[serde(default)]
    pub attachment: EndpointFaults,
    /// Every API request in the window fails, whatever its endpoint (a server restart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outage: Option<Outage>,
    /// Faults of one client only (a name given with `--client NAME=TOKEN`), with request
    /// numbers counted over that client's requests; same shape, without `seed` and `clients`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub clients: BTreeMap<String, FaultConfig>,
}

/// The faults of one endpoint. Each fires on the listed request numbers (1-based, counted
/// per endpoint since the config was installed) or with the given probability.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointFaults {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<DropFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub too_large: Option<TooLargeFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slow: Option<SlowFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hang: Option<HangFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drip: Option<DripFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<RedirectFault>,
}

/// Close the connection without an answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropFault {
    #[serde(default)]
    pub probability: f64,
    #[serde(default)]
    pub requests: Vec<u64>,
    /// Process (store) the request first, then drop: the client cannot know it arrived.
    #[serde(default)]
    pub after_store: bool,
}

/// Answer a 5xx status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorFault {
    #[serde(default)]
    pub probability: f64,
    #[serde(default)]
    pub requests: Vec<u64>,
    #[serde(default = "default_error_status")]
    pub status: u16,
    /// Process (store) the request first, then answer the error instead of the real answer.
    #[serde(default)]
    pub after_store: bool,
}

/// Answer 429 with a `Retry-After` header in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitFault {
    #[serde(default)]
    pub probability: f64,
    #[serde(default)]
    pub requests: Vec<u64>,
    #[serde(default = "default_retry_after")]
    pub retry_after: u64,
}

/// Answer 413 whatever the size of the request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TooLargeFault {
    #[serde(default)]
    pub probability: f64,
    #[serde(default)]
    pub requests: Vec<u64>,
}

/// Delay the answer; combines with any other fault (the delay comes first).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlowFault {
    #[serde(default)]
    pub probability: f64,
    #[serde(default)]
    pub requests: Vec<u64>,
    pub delay_ms: u64,
}

/// Never answer: keep the connection open, send nothing, until the client closes it or the
/// server stops.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HangFault {
    #[serde(default)]
    pub probability: f64,
    #[serde(default)]
    pub requests: Vec<u64>,
    /// Process (store) the request first, then hang.
    #[serde(default)]
    pub after_store: bool,
}

/// Answer the status line and headers at once, then the body one byte per `interval_ms`: a
/// per-read timeout never fires, only a deadline on the whole answer does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DripFault {
    #[serde(default)]
    pub probability: f64,
    #[serde(default)]
    pub requests: Vec<u64>,
    #[serde(default = "default_drip_interval")]
    pub interval_ms: u64,
    /// Process (store) the request and drip its answer; without it the answer is computed
    /// on a copy of the state that is thrown away, so nothing is stored.
    #[serde(default)]
    pub after_store: bool,
}

/// Answer a 3xx with a `Location` header, without processing the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectFault {
    #[serde(default)]
    pub probability: f64,
    #[serde(default)]
    pub requests: Vec<u64>,
    #[serde(default = "default_redirect_status")]
    pub status: u16,
    /// An absolute `http(s)://` URL, or a path sent as is (the client resolves it against
    /// the URL it asked); without it, the request's own path and query (same origin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// The redirect statuses clients follow.
const REDIRECT_STATUSES: [u16; 5] = [301, 302, 303, 307, 308];

/// A window of API requests (1-based, counted over all endpoints since the config was
/// installed) that all fail: with `status`, or by dropping the connection when `drop`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    #[serde(default = "default_outage_start")]
    pub start: u64,
    pub length: u64,
    #[serde(default = "default_error_status")]
    pub status: u16,
    #[serde(default)]
    pub drop: bool,
}

fn default_error_status() -> u16 {
    503
}

fn default_drip_interval() -> u64 {
    1000
}

fn default_redirect_status() -> u16 {
    307
}

fn default_retry_after() -> u64 {
    1
}

fn default_outage_start() -> u64 {
    1
}

impl FaultConfig {
    /// Checks probabilities, statuses and windows; the message names the bad field.
    pub fn validate(&self) -> Result<(), String> {
        self.validate_set("")?;
        for (client, faults) in &self.clients {
            let prefix = format!("clients.{client}.");
            if faults.seed.is_some() || !faults.clients.is_empty() {
                return Err(format!("{prefix}seed and {prefix}clients are not allowed"));
            }
            faults.validate_set(&prefix)?;
        }
        Ok(())
    }

    fn validate_set(&self, prefix: &str) -> Result<(), String> {
        for endpoint in Endpoint::ALL {
            let faults = self.for_endpoint(endpoint);
            let name = serde_json::to_value(endpoint).unwrap_or_default();
            let name = format!("{prefix}{}", name.as_str().unwrap_or_default());
            let probabilities = [
                ("drop", faults.drop.as_ref().map(|f| f.probability)),
                ("error", faults.error.as_ref().map(|f| f.probability)),
                (
                    "rate_limit",
                    faults.rate_limit.as_ref().map(|f| f.probability),
                ),
                (
                    "too_large",
                    faults.too_large.as_ref().map(|f| f.probability),
                ),
                ("slow", faults.slow.as_ref().map(|f| f.probability)),
                ("hang", faults.hang.as_ref().map(|f| f.probability)),
                ("drip", faults.drip.as_ref().map(|f| f.probability)),
                ("redirect", faults.redirect.as_ref().map(|f| f.probability)),
            ];
            for (kind, probability) in probabilities {
                if let Some(p) = probability {
                    if !(0.0..=1.0).contains(&p) {
                        return Err(format!(
                            "{name}.{kind}.probability must be between 0 and 1, got {p}"
                        ));
                    }
                }
            }
            if let Some(error) = &faults.error {
                if !(500..=599).contains(&error.status) {
                    return Err(format!(
                        "{name}.error.status must be a 5xx status, got {}",
                        error.status
                    ));
                }
            }
            if faults.drip.as_ref().is_some_and(|f| f.interval_ms == 0) {
                return Err(format!("{name}.drip.interval_ms must be at least 1"));
            }
            if let Some(redirect) = &faults.redirect {
                validate_redirect(&name, redirect)?;
            }
        }
        if let Some(outage) = &self.outage {
            if outage.start == 0 {
                return Err(format!("{prefix}outage.start counts from 1"));
            }
            if !(400..=599).contains(&outage.status) {
                return Err(format!(
                    "{prefix}outage.status must be a 4xx or 5xx status, got {}",
                    outage.status
                ));
            }
        }
        Ok(())
    }

    /// The faults configured for one endpoint.
    pub fn for_endpoint(&self, endpoint: Endpoint) -> &EndpointFaults {
        match endpoint {
            Endpoint::Project => &self.project,
            Endpoint::CreateRun => &self.create_run,
            Endpoint::GetRun => &self.get_run,
            Endpoint::Upload => &self.upload,
            Endpoint::Complete => &self.complete,
            Endpoint::Configuration => &self.configuration,
            Endpoint::Attachment => &self.attachment,
        }
    }
}

/// A redirect status clients follow, and a location that fits in a header and names an
/// absolute `http(s)` URL or a path (not `//…`, which names another host).
fn validate_redirect(name: &str, redirect: &RedirectFault) -> Result<(), String> {
    if !REDIRECT_STATUSES.contains(&redirect.status) {
        return Err(format!(
            "{name}.redirect.status must be one of {REDIRECT_STATUSES:?}, got {}",
            redirect.status
        ));
    }
    let Some(location) = &redirect.location else {
        return Ok(());
    };
    let absolute = ["http://", "https://"]
        .iter()
        .any(|scheme| location.starts_with(scheme) && location.len() > scheme.len());
    let path = location.starts_with('/') && !location.starts_with("//");
    let header_safe = location.bytes().all(|b| b.is_ascii_graphic());
    if !(absolute || path) || !header_safe {
        return Err(format!(
            "{name}.redirect.location must be an http(s):// URL or a path starting with /, \
             without spaces or control characters, got {location:?}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_probability_is_rejected_with_the_field_name() {
        let err = serde_json::from_value::<FaultConfig>(serde_json::json!({
            "upload": {"error": {"probability": 1.5}},
        }))
        .unwrap()
        .validate()
        .unwrap_err();
        assert!(err.contains("upload.error.probability"), "{err}");
    }

    #[test]
    fn a_client_config_may_not_nest_seed_or_clients() {
        let config: FaultConfig = serde_json::from_value(serde_json::json!({
            "clients": {"a": {"seed": 1}},
        }))
        .unwrap();
        assert!(config.validate().unwrap_err().contains("clients.a.seed"));
    }

    fn refusal(config: serde_json::Value) -> String {
        match serde_json::from_value::<FaultConfig>(config) {
            Ok(config) => config.validate().err().unwrap_or_default(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_redirect_takes_only_redirect_statuses_and_urls_or_paths() {
        for status in [301, 302, 303, 307, 308] {
            let config = serde_json::json!({"upload": {"redirect": {"status": status}}});
            assert_eq!(refusal(config), "", "{status}");
        }
        for status in [300, 304, 305, 200, 503] {
            let config = serde_json::json!({"upload": {"redirect": {"status": status}}});
            assert!(
                refusal(config).contains("upload.redirect.status"),
                "{status}"
            );
        }
        for location in [
            "/v2/DEMO/run/1/results",
            "http://127.0.0.1:9/x",
            "https://h/",
        ] {
            let config = serde_json::json!({"get_run": {"redirect": {"location": location}}});
            assert_eq!(refusal(config), "", "{location}");
        }
        for location in [
            "",
            "v1/project",
            "//other.host/x",
            "http://",
            "ftp://h/",
            "/a b",
            "/a\n",
        ] {
            let config = serde_json::json!({"get_run": {"redirect": {"location": location}}});
            assert!(
                refusal(config).contains("get_run.redirect.location"),
                "{location:?}"
            );
        }
    }

    #[test]
    fn hang_and_drip_are_checked_like_the_other_kinds() {
        let refused = [
            serde_json::json!({"upload": {"hang": {"probability": -0.1}}}),
            serde_json::json!({"upload": {"hang": {"after_stored": true}}}),
            serde_json::json!({"upload": {"drip": {"interval_ms": 0}}}),
            serde_json::json!({"upload": {"drip": {"interval": 10}}}),
            serde_json::json!({"upload": {"redirect": {"url": "/x"}}}),
        ];
        for config in refused {
            assert_ne!(refusal(config.clone()), "", "{config}");
        }
        let drip: FaultConfig =
            serde_json::from_value(serde_json::json!({"upload": {"drip": {}}})).unwrap();
        let drip = drip.upload.drip.unwrap();
        assert_eq!((drip.interval_ms, drip.after_store), (1000, false));
    }
}
