//! The JUnit XML reader on arbitrary input: it may refuse, never panic; what it accepts has
//! sane attempt numbers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok((results, _)) = testrelay::import_junit(&text) {
        for r in &results {
            assert!(r.duration.is_none_or(|d| d.is_finite() && d >= 0.0));
            let _ = testrelay::classify(&r.outcome, &testrelay::Policy::default());
        }
    }
});
