//! Fault configuration and the seeded, deterministic decision of which fault hits a request.
//!
//! A decision is a pure function of (seed, endpoint, request number): every probability draw
//! comes from a ChaCha8 stream seeded with the seed, one stream per endpoint, at a word
//! position fixed by the request number and the fault kind. So the same seed and the same
//! sequence of requests per endpoint give the same faults, however the endpoints interleave,
//! and adding one fault kind does not shift the draws of the others.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
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
}

impl Endpoint {
    pub const ALL: [Endpoint; 5] = [
        Endpoint::Project,
        Endpoint::CreateRun,
        Endpoint::GetRun,
        Endpoint::Upload,
        Endpoint::Complete,
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
    /// Every API request in the window fails, whatever its endpoint (a server restart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outage: Option<Outage>,
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

fn default_retry_after() -> u64 {
    1
}

fn default_outage_start() -> u64 {
    1
}

/// What a request gets instead of (or after) normal processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Outage { status: Option<u16> },
    Drop { after_store: bool },
    Error { status: u16, after_store: bool },
    RateLimit { retry_after: u64 },
    TooLarge,
}

impl Fault {
    /// The label recorded in the request log.
    pub fn label(self) -> &'static str {
        match self {
            Fault::Outage { .. } => "outage",
            Fault::Drop { after_store: false } => "drop",
            Fault::Drop { after_store: true } => "drop_after_store",
            Fault::Error {
                after_store: false, ..
            } => "error",
            Fault::Error {
                after_store: true, ..
            } => "error_after_store",
            Fault::RateLimit { .. } => "rate_limit",
            Fault::TooLarge => "too_large",
        }
    }

    /// Whether the request is processed before the fault is applied.
    pub fn after_store(self) -> bool {
        matches!(
            self,
            Fault::Drop { after_store: true }
                | Fault::Error {
                    after_store: true,
                    ..
                }
        )
    }
}

/// The decision for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decision {
    pub delay_ms: Option<u64>,
    pub fault: Option<Fault>,
}

impl Decision {
    /// The labels recorded in the request log, delay first.
    pub fn labels(&self) -> Vec<&'static str> {
        let slow = self.delay_ms.map(|_| "slow");
        slow.into_iter()
            .chain(self.fault.map(Fault::label))
            .collect()
    }
}

/// Positions of the independent draws of one request, one per fault kind.
const DRAW_DROP: u128 = 0;
const DRAW_ERROR: u128 = 1;
const DRAW_RATE_LIMIT: u128 = 2;
const DRAW_TOO_LARGE: u128 = 3;
const DRAW_SLOW: u128 = 4;
const DRAWS_PER_REQUEST: u128 = 8;

impl FaultConfig {
    /// Checks probabilities, statuses and windows; the message names the bad field.
    pub fn validate(&self) -> Result<(), String> {
        for endpoint in Endpoint::ALL {
            let faults = self.for_endpoint(endpoint);
            let name = serde_json::to_value(endpoint).unwrap_or_default();
            let name = name.as_str().unwrap_or_default();
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
        }
        if let Some(outage) = &self.outage {
            if outage.start == 0 {
                return Err("outage.start counts from 1".to_owned());
            }
            if !(400..=599).contains(&outage.status) {
                return Err(format!(
                    "outage.status must be a 4xx or 5xx status, got {}",
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
        }
    }

    /// Decides the fault of the `n`-th request of `endpoint`, the `total`-th API request
    /// overall (both 1-based, since the config was installed).
    pub fn decide(&self, seed: u64, endpoint: Endpoint, n: u64, total: u64) -> Decision {
        if let Some(outage) = &self.outage {
            if total >= outage.start && total - outage.start < outage.length {
                let status = (!outage.drop).then_some(outage.status);
                return Decision {
                    delay_ms: None,
                    fault: Some(Fault::Outage { status }),
                };
            }
        }
        let mut draws = Draws::new(seed, endpoint, n);
        let faults = self.for_endpoint(endpoint);
        let delay_ms = faults
            .slow
            .as_ref()
            .filter(|f| draws.fires(DRAW_SLOW, f.probability, &f.requests))
            .map(|f| f.delay_ms);
        let fault = if let Some(f) = faults
            .drop
            .as_ref()
            .filter(|f| draws.fires(DRAW_DROP, f.probability, &f.requests))
        {
            Some(Fault::Drop {
                after_store: f.after_store,
            })
        } else if let Some(f) = faults
            .error
            .as_ref()
            .filter(|f| draws.fires(DRAW_ERROR, f.probability, &f.requests))
        {
            Some(Fault::Error {
                status: f.status,
                after_store: f.after_store,
            })
        } else if let Some(f) = faults
            .rate_limit
            .as_ref()
            .filter(|f| draws.fires(DRAW_RATE_LIMIT, f.probability, &f.requests))
        {
            Some(Fault::RateLimit {
                retry_after: f.retry_after,
            })
        } else {
            faults
                .too_large
                .as_ref()
                .filter(|f| draws.fires(DRAW_TOO_LARGE, f.probability, &f.requests))
                .map(|_| Fault::TooLarge)
        };
        Decision { delay_ms, fault }
    }
}

/// The random draws of one request.
struct Draws {
    rng: ChaCha8Rng,
    n: u64,
}

impl Draws {
    fn new(seed: u64, endpoint: Endpoint, n: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(endpoint.index() as u64);
        Draws { rng, n }
    }

    /// Whether a fault fires: listed explicitly, or drawn with its probability.
    fn fires(&mut self, draw: u128, probability: f64, requests: &[u64]) -> bool {
        if requests.contains(&self.n) {
            return true;
        }
        if probability <= 0.0 {
            return false;
        }
        // Each draw is a u64, two 32-bit words of the stream.
        self.rng
            .set_word_pos((u128::from(self.n) * DRAWS_PER_REQUEST + draw) * 2);
        self.rng.random_bool(probability)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload_errors(probability: f64) -> FaultConfig {
        FaultConfig {
            upload: EndpointFaults {
                error: Some(ErrorFault {
                    probability,
                    requests: vec![],
                    status: 502,
                    after_store: false,
                }),
                ..EndpointFaults::default()
            },
            ..FaultConfig::default()
        }
    }

    fn hits(config: &FaultConfig, seed: u64) -> Vec<u64> {
        (1..=200)
            .filter(|&n| config.decide(seed, Endpoint::Upload, n, n).fault.is_some())
            .collect()
    }

    #[test]
    fn same_seed_same_faults_other_seed_other_faults() {
        let config = upload_errors(0.3);
        let first = hits(&config, 7);
        assert_eq!(first, hits(&config, 7));
        assert_ne!(first, hits(&config, 8));
        // 200 draws at 0.3: far from none and far from all.
        assert!(first.len() > 20 && first.len() < 120, "{}", first.len());
    }

    #[test]
    fn adding_a_fault_kind_keeps_the_other_draws() {
        let config = upload_errors(0.3);
        let mut with_slow = config.clone();
        with_slow.upload.slow = Some(SlowFault {
            probability: 0.5,
            requests: vec![],
            delay_ms: 10,
        });
        assert_eq!(hits(&config, 3), hits(&with_slow, 3));
    }

    #[test]
    fn outage_window_covers_exactly_its_requests() {
        let config = FaultConfig {
            outage: Some(Outage {
                start: 3,
                length: 2,
                status: 503,
                drop: false,
            }),
            ..FaultConfig::default()
        };
        let failing: Vec<u64> = (1..=6)
            .filter(|&t| config.decide(0, Endpoint::GetRun, 1, t).fault.is_some())
            .collect();
        assert_eq!(failing, vec![3, 4]);
    }

    #[test]
    fn invalid_probability_is_rejected_with_the_field_name() {
        let err = upload_errors(1.5).validate().unwrap_err();
        assert!(err.contains("upload.error.probability"), "{err}");
    }
}
