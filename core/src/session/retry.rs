//! Retry classes of SPEC §9 and capped exponential backoff on host time.

/// The first retry waits this long.
pub const BACKOFF_BASE_MS: u64 = 1_000;
/// No backoff is longer than this (a `Retry-After` may ask for longer; it is honoured).
pub const BACKOFF_CAP_MS: u64 = 30_000;
/// A `Retry-After` longer than this is read as this (a server cannot park a run for hours).
pub const RETRY_AFTER_CAP_MS: u64 = 300_000;

/// What an HTTP outcome means for the request that got it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: done.
    Success,
    /// No response, 408, 429, 500, 502, 503, 504: try again, after `after_ms` if the server
    /// said so.
    Retry {
        /// The server's `Retry-After`, in milliseconds, when given in seconds.
        after_ms: Option<u64>,
    },
    /// 413: the body was too large; split it.
    TooLarge,
    /// Any other status: the server refused; do not try again.
    Rejected,
}

/// Classifies an HTTP status (`None` = no response).
pub fn classify(status: Option<u16>, retry_after: Option<&str>) -> Outcome {
    match status {
        None | Some(408 | 500 | 502 | 503 | 504) => Outcome::Retry { after_ms: None },
        Some(429) => Outcome::Retry {
            after_ms: retry_after
                .and_then(|text| text.trim().parse::<u64>().ok())
                .map(|secs| secs.saturating_mul(1_000).min(RETRY_AFTER_CAP_MS)),
        },
        Some(200..=299) => Outcome::Success,
        Some(413) => Outcome::TooLarge,
        Some(_) => Outcome::Rejected,
    }
}

/// How long to wait before try number `tries + 1`, after `tries` failed tries (1 → base).
pub fn backoff_ms(tries: u32) -> u64 {
    let doublings = tries.saturating_sub(1).min(20);
    (BACKOFF_BASE_MS << doublings).min(BACKOFF_CAP_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_classes_of_spec_9() {
        for status in [None, Some(408), Some(500), Some(502), Some(503), Some(504)] {
            assert_eq!(classify(status, None), Outcome::Retry { after_ms: None });
        }
        for status in [400, 401, 403, 404, 422, 409] {
            assert_eq!(classify(Some(status), None), Outcome::Rejected);
        }
        assert_eq!(classify(Some(413), None), Outcome::TooLarge);
        assert_eq!(classify(Some(201), None), Outcome::Success);
        assert_eq!(
            classify(Some(429), Some(" 7 ")),
            Outcome::Retry {
                after_ms: Some(7_000)
            }
        );
        assert_eq!(
            classify(Some(429), Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            Outcome::Retry { after_ms: None }
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let waits: Vec<u64> = (1..=7).map(backoff_ms).collect();
        assert_eq!(waits, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
        assert_eq!(backoff_ms(u32::MAX), BACKOFF_CAP_MS);
    }
}
