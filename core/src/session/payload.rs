//! The v1 create-run body, API times and result ids (the v2 `ResultCreate` objects are
//! written in `result_body.rs`).

use crate::config::Config;
use serde::Serialize;

#[derive(Serialize)]
struct RunCreate<'a> {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    is_autotest: bool,
    start_time: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    environment_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    environment_slug: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan_id: Option<u64>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    configurations: &'a [u64],
}

/// The `POST /v1/run/{code}` body (SPEC §5, §9). An environment that is a number is sent as
/// `environment_id`, otherwise as `environment_slug`; `configurations` are the ids the
/// session resolved from the picked names (`configurations.rs`).
pub(crate) fn create_run_json(config: &Config, now_ms: u64, configurations: &[u64]) -> String {
    let testops = &config.testops;
    let environment = config.environment.as_deref();
    let body = RunCreate {
        title: match &testops.run_title {
            Some(title) => title.clone(),
            None => format!("Automated run {}", iso8601(now_ms)),
        },
        description: testops.run_description.as_deref(),
        is_autotest: true,
        start_time: api_time(now_ms),
        tags: &testops.run_tags,
        environment_id: environment
            .and_then(|e| e.parse().ok())
            .filter(|&id| id > 0),
        environment_slug: environment.filter(|e| !e.parse::<u64>().is_ok_and(|id| id > 0)),
        plan_id: testops.plan_id,
        configurations,
    };
    serde_json::to_string(&body).expect("a RunCreate always serializes")
}

/// Civil date and time (UTC) of a Unix time in milliseconds.
fn civil(ms: u64) -> (i64, u32, u32, u64, u64, u64, u64) {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-from-civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000,
    )
}

/// `2026-11-22T04:06:46.000Z`, like JavaScript's `Date.toISOString`.
pub fn iso8601(ms: u64) -> String {
    let (y, mo, d, h, mi, s, milli) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// `2026-11-22 04:06:46`, the API's `start_time` format (UTC).
pub fn api_time(ms: u64) -> String {
    let (y, mo, d, h, mi, s, _) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// A UUID-shaped idempotency id (RFC 9562 version 8, i.e. custom), derived from the host's
/// `instance` and a counter: the same inputs give the same id, and different instances
/// (shards, workers sharing a run) give different ids.
pub fn result_uuid(instance: &str, counter: u64) -> String {
    let text = ResultIds::new(instance).text(counter);
    String::from_utf8(text.to_vec()).expect("hex digits and dashes")
}

const HI_SEED: u64 = 0xcbf2_9ce4_8422_2325;
const LO_SEED: u64 = 0x6c62_272e_07bb_0142;

/// [`result_uuid`] for one instance, with the instance's part of both hashes done once: an id
/// is made for every result.
#[derive(Clone, Debug)]
pub(crate) struct ResultIds {
    hi: u64,
    lo: u64,
}

impl ResultIds {
    pub fn new(instance: &str) -> Self {
        ResultIds {
            hi: fnv1a(HI_SEED, instance.bytes().chain([0xff])),
            lo: fnv1a(LO_SEED, instance.bytes().chain([0xff])),
        }
    }

    /// The id of result number `counter`, as text without an allocation.
    pub fn text(&self, counter: u64) -> [u8; 36] {
        let hi = avalanche(fnv1a(self.hi, counter.to_le_bytes()));
        let lo = avalanche(fnv1a(
            self.lo,
            (counter ^ 0x9e37_79b9_7f4a_7c15).to_le_bytes(),
        ));
        let hi = (hi & !0xf000) | 0x8000; // version 8
        let lo = (lo & !(0b11 << 62)) | (0b10 << 62); // RFC variant
        // 8-4-4-4-12 hex digits: the 16 of hi, then the 16 of lo, a byte (two digits) at a time.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [b'-'; 36];
        let bytes = hi.to_be_bytes().into_iter().chain(lo.to_be_bytes());
        for (byte, at) in bytes.zip([0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34]) {
            text[at] = HEX[usize::from(byte >> 4)];
            text[at + 1] = HEX[usize::from(byte & 0xf)];
        }
        text
    }
}

/// FNV-1a over `bytes`, continuing from `hash`.
fn fnv1a(mut hash: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A final mix so neighbouring counters differ in every nibble.
fn avalanche(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_795_320_406_123), "2026-11-22T04:06:46.123Z");
        assert_eq!(api_time(951_827_696_000), "2000-02-29 12:34:56");
    }

    #[test]
    fn uuid_digits_are_the_words_in_8_4_4_4_12() {
        for (instance, counter) in [("worker-1", 1), ("", 0), ("shard-3/4", u64::MAX)] {
            // The first version's hash, in one pass: instance bytes, 0xff, counter bytes.
            let hash = |seed, counter: u64| {
                let bytes = instance.bytes().chain([0xff]).chain(counter.to_le_bytes());
                avalanche(fnv1a(seed, bytes))
            };
            let hi = (hash(HI_SEED, counter) & !0xf000) | 0x8000;
            let lo = hash(LO_SEED, counter ^ 0x9e37_79b9_7f4a_7c15);
            let lo = (lo & !(0b11 << 62)) | (0b10 << 62);
            let expected = format!(
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                hi >> 32,
                (hi >> 16) & 0xffff,
                hi & 0xffff,
                lo >> 48,
                lo & 0xffff_ffff_ffff
            );
            assert_eq!(result_uuid(instance, counter), expected);
        }
    }

    #[test]
    fn ids_are_stable_across_versions() {
        // Computed by the first release: a host that resumes must get the same ids.
        assert_eq!(
            result_uuid("worker-1", 1),
            "455dce14-b934-8ee7-8da9-f52f1b5071e6"
        );
    }

    #[test]
    fn uuids_are_shaped_deterministic_and_distinct() {
        let a = result_uuid("worker-1", 1);
        assert_eq!(a, result_uuid("worker-1", 1));
        assert_ne!(a, result_uuid("worker-1", 2));
        assert_ne!(a, result_uuid("worker-2", 1));
        let bytes = a.as_bytes();
        assert_eq!(a.len(), 36);
        assert_eq!(bytes[14], b'8');
        assert!(matches!(bytes[19], b'8' | b'9' | b'a' | b'b'));
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
