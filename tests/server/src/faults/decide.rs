//! The seeded, deterministic decision of which fault hits a request.
//!
//! A decision is a pure function of (seed, endpoint, request number): every probability draw
//! comes from a ChaCha8 stream seeded with the seed, one stream per endpoint (and per client
//! endpoint for client-scoped faults), at a word
//! position fixed by the request number and the fault kind. So the same seed and the same
//! sequence of requests per endpoint give the same faults, however the endpoints interleave,
//! and adding one fault kind does not shift the draws of the others.

use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Endpoint, FaultConfig};

/// What a request gets instead of (or after) normal processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    Outage {
        status: Option<u16>,
    },
    Drop {
        after_store: bool,
    },
    Hang {
        after_store: bool,
    },
    Error {
        status: u16,
        after_store: bool,
    },
    RateLimit {
        retry_after: u64,
    },
    TooLarge,
    Redirect {
        status: u16,
        location: Option<Arc<str>>,
    },
    Drip {
        interval_ms: u64,
        after_store: bool,
    },
}

impl Fault {
    /// The label recorded in the request log.
    pub fn label(&self) -> &'static str {
        match self {
            Fault::Outage { .. } => "outage",
            Fault::Drop { after_store: false } => "drop",
            Fault::Drop { after_store: true } => "drop_after_store",
            Fault::Hang { after_store: false } => "hang",
            Fault::Hang { after_store: true } => "hang_after_store",
            Fault::Error {
                after_store: false, ..
            } => "error",
            Fault::Error {
                after_store: true, ..
            } => "error_after_store",
            Fault::RateLimit { .. } => "rate_limit",
            Fault::TooLarge => "too_large",
            Fault::Redirect { .. } => "redirect",
            Fault::Drip {
                after_store: false, ..
            } => "drip",
            Fault::Drip {
                after_store: true, ..
            } => "drip_after_store",
        }
    }

    /// Whether the request is processed before the fault is applied.
    pub fn after_store(&self) -> bool {
        match self {
            Fault::Drop { after_store }
            | Fault::Hang { after_store }
            | Fault::Error { after_store, .. }
            | Fault::Drip { after_store, .. } => *after_store,
            Fault::Outage { .. }
            | Fault::RateLimit { .. }
            | Fault::TooLarge
            | Fault::Redirect { .. } => false,
        }
    }
}

/// The decision for one request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    pub delay_ms: Option<u64>,
    pub fault: Option<Fault>,
}

impl Decision {
    /// The labels recorded in the request log, delay first.
    pub fn labels(&self) -> Vec<&'static str> {
        let slow = self.delay_ms.map(|_| "slow");
        slow.into_iter()
            .chain(self.fault.as_ref().map(Fault::label))
            .collect()
    }
}

/// Positions of the independent draws of one request, one per fault kind.
const DRAW_DROP: u128 = 0;
const DRAW_ERROR: u128 = 1;
const DRAW_RATE_LIMIT: u128 = 2;
const DRAW_TOO_LARGE: u128 = 3;
const DRAW_SLOW: u128 = 4;
const DRAW_HANG: u128 = 5;
const DRAW_DRIP: u128 = 6;
const DRAW_REDIRECT: u128 = 7;
const DRAWS_PER_REQUEST: u128 = 8;

impl FaultConfig {
    /// Decides the fault of a request: the faults of its client first (if it has any), then
    /// the server-wide ones; the first that fires wins, and a client delay replaces a
    /// server-wide one.
    pub fn decide(
        &self,
        seed: u64,
        endpoint: Endpoint,
        server: Count,
        client: Option<(&str, Count)>,
    ) -> Decision {
        let own = client.and_then(|(name, count)| {
            let faults = self.clients.get(name)?;
            Some(faults.decide_set(seed, client_stream(name), endpoint, count))
        });
        let shared = self.decide_set(seed, 0, endpoint, server);
        match own {
            Some(own) => Decision {
                delay_ms: own.delay_ms.or(shared.delay_ms),
                fault: own.fault.or(shared.fault),
            },
            None => shared,
        }
    }

    /// Decides with this set's faults only, drawing from the streams after `stream`.
    fn decide_set(&self, seed: u64, stream: u64, endpoint: Endpoint, count: Count) -> Decision {
        let Count { n, total } = count;
        if let Some(outage) = &self.outage {
            if total >= outage.start && total - outage.start < outage.length {
                let status = (!outage.drop).then_some(outage.status);
                return Decision {
                    delay_ms: None,
                    fault: Some(Fault::Outage { status }),
                };
            }
        }
        let mut draws = Draws::new(seed, stream + endpoint.index() as u64, n);
        let faults = self.for_endpoint(endpoint);
        let delay_ms = faults
            .slow
            .as_ref()
            .filter(|f| draws.fires(DRAW_SLOW, f.probability, &f.requests))
            .map(|f| f.delay_ms);
        // In order of precedence: the first kind that fires wins.
        let fault = None
            .or_else(|| {
                let f = faults.drop.as_ref()?;
                draws
                    .fires(DRAW_DROP, f.probability, &f.requests)
                    .then_some(Fault::Drop {
                        after_store: f.after_store,
                    })
            })
            .or_else(|| {
                let f = faults.hang.as_ref()?;
                draws
                    .fires(DRAW_HANG, f.probability, &f.requests)
                    .then_some(Fault::Hang {
                        after_store: f.after_store,
                    })
            })
            .or_else(|| {
                let f = faults.error.as_ref()?;
                draws
                    .fires(DRAW_ERROR, f.probability, &f.requests)
                    .then_some(Fault::Error {
                        status: f.status,
                        after_store: f.after_store,
                    })
            })
            .or_else(|| {
                let f = faults.rate_limit.as_ref()?;
                draws
                    .fires(DRAW_RATE_LIMIT, f.probability, &f.requests)
                    .then_some(Fault::RateLimit {
                        retry_after: f.retry_after,
                    })
            })
            .or_else(|| {
                let f = faults.too_large.as_ref()?;
                draws
                    .fires(DRAW_TOO_LARGE, f.probability, &f.requests)
                    .then_some(Fault::TooLarge)
            })
            .or_else(|| {
                let f = faults.redirect.as_ref()?;
                draws
                    .fires(DRAW_REDIRECT, f.probability, &f.requests)
                    .then(|| Fault::Redirect {
                        status: f.status,
                        location: f.location.as_deref().map(Arc::from),
                    })
            })
            .or_else(|| {
                let f = faults.drip.as_ref()?;
                draws
                    .fires(DRAW_DRIP, f.probability, &f.requests)
                    .then_some(Fault::Drip {
                        interval_ms: f.interval_ms,
                        after_store: f.after_store,
                    })
            });
        Decision { delay_ms, fault }
    }
}

/// Where a request stands: the `n`-th of its endpoint and the `total`-th API request (both
/// 1-based, since the config was installed), counted server-wide or per client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub n: u64,
    pub total: u64,
}

/// The first of a client's draw streams (one per endpoint after it): FNV-1a of its name, so
/// a client's faults do not depend on which other clients exist. Stream 0.. are server-wide.
fn client_stream(name: &str) -> u64 {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash | 1) << 3
}

/// The random draws of one request.
struct Draws {
    rng: ChaCha8Rng,
    n: u64,
}

impl Draws {
    fn new(seed: u64, stream: u64, n: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
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
    use crate::faults::{EndpointFaults, ErrorFault, Outage, SlowFault};

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
            .filter(|&n| {
                let count = Count { n, total: n };
                config
                    .decide(seed, Endpoint::Upload, count, None)
                    .fault
                    .is_some()
            })
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
            .filter(|&total| {
                let count = Count { n: 1, total };
                config
                    .decide(0, Endpoint::GetRun, count, None)
                    .fault
                    .is_some()
            })
            .collect();
        assert_eq!(failing, vec![3, 4]);
    }

    #[test]
    fn client_faults_hit_only_that_client_and_count_its_own_requests() {
        let config: FaultConfig = serde_json::from_value(serde_json::json!({
            "clients": {"job3": {"upload": {"error": {"requests": [2]}}}},
        }))
        .unwrap();
        let count = |n| Count { n, total: n };
        let fault = |client| config.decide(0, Endpoint::Upload, count(9), client).fault;
        assert_eq!(
            fault(Some(("job3", count(2)))),
            Some(Fault::Error {
                status: 503,
                after_store: false
            })
        );
        assert_eq!(fault(Some(("job3", count(1)))), None);
        assert_eq!(fault(Some(("job1", count(2)))), None);
        assert_eq!(fault(None), None);
    }

    #[test]
    fn a_clients_draws_do_not_depend_on_other_clients() {
        let one: FaultConfig = serde_json::from_value(serde_json::json!({
            "clients": {"a": {"upload": {"error": {"probability": 0.4}}}},
        }))
        .unwrap();
        let mut two = one.clone();
        two.clients.insert("b".into(), one.clients["a"].clone());
        let hits = |config: &FaultConfig, client: &str| -> Vec<u64> {
            (1..=100)
                .filter(|&n| {
                    let own = Some((client, Count { n, total: n }));
                    let server = Count { n, total: n };
                    config
                        .decide(5, Endpoint::Upload, server, own)
                        .fault
                        .is_some()
                })
                .collect()
        };
        assert_eq!(hits(&one, "a"), hits(&two, "a"));
        assert_ne!(hits(&two, "a"), hits(&two, "b"));
    }

    #[test]
    fn a_redirect_fires_on_its_requests_with_its_location() {
        let config: FaultConfig = serde_json::from_value(serde_json::json!({"upload": {
            "redirect": {"requests": [1, 2], "status": 308, "location": "/elsewhere"},
            "too_large": {"requests": [2]},
        }}))
        .unwrap();
        let decide = |n| config.decide(0, Endpoint::Upload, Count { n, total: n }, None);
        let redirect = Fault::Redirect {
            status: 308,
            location: Some(Arc::from("/elsewhere")),
        };
        assert_eq!(decide(1).fault, Some(redirect));
        assert_eq!(decide(1).labels(), ["redirect"]);
        // too_large comes first.
        assert_eq!(decide(2).fault, Some(Fault::TooLarge));
        assert_eq!(decide(3).fault, None);
    }

    #[test]
    fn hang_drip_and_redirect_fire_on_their_requests_with_their_labels() {
        let config: FaultConfig = serde_json::from_value(serde_json::json!({"upload": {
            "hang": {"requests": [1, 4]},
            "drip": {"requests": [2, 4, 5], "interval_ms": 20, "after_store": true},
            "redirect": {"requests": [3, 5], "status": 308, "location": "/elsewhere"},
            "error": {"requests": [4]},
        }}))
        .unwrap();
        let labels: Vec<Vec<&str>> = (1..=6)
            .map(|n| {
                let count = Count { n, total: n };
                config.decide(0, Endpoint::Upload, count, None).labels()
            })
            .collect();
        // Hang comes before error, redirect before drip.
        let expected: [&[&str]; 6] = [
            &["hang"],
            &["drip_after_store"],
            &["redirect"],
            &["hang"],
            &["redirect"],
            &[],
        ];
        assert_eq!(labels, expected);
    }
}
