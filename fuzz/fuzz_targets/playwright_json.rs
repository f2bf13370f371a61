//! The Playwright JSON reader on arbitrary input: it may refuse, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok((results, _)) = testrelay::import_playwright_json(&text) {
        for r in &results {
            let _ = testrelay::classify(&r.outcome, &testrelay::Policy::default());
        }
    }
});
