//! Status mapping and filter env parsing: never panics, at most one warning (notes aside)
//! per item, and no self-mapping is kept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use testrelay::{StatusFilter, StatusMapping};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let items = text.split(',').count();
    let (mapping, warnings) = StatusMapping::parse_env(text, "QASE_STATUS_MAPPING");
    assert!(warnings.iter().filter(|w| w.is_warning()).count() <= items);
    for (from, to) in mapping.entries() {
        assert_ne!(from, to, "self-mappings are never kept");
    }
    let (filter, warnings) = StatusFilter::parse_env(text, "QASE_TESTOPS_STATUS_FILTER");
    assert!(warnings.iter().filter(|w| w.is_warning()).count() <= items);
    assert!(filter.statuses().len() <= 5);
});
