//! Failure links (SPEC §5): printed for a result whose status, after mapping and filter, is
//! `failed`.

use crate::status::Status;

/// The lines `See why this test failed: <link>` for one result: one per case id, or one
/// searching the percent-encoded title when there is no id. Empty unless `status` is
/// `failed` (a filtered result has no status and gets none).
pub fn failure_links(
    app: &str,
    project: &str,
    run_id: u64,
    case_ids: &[u64],
    title: &str,
    status: Option<Status>,
) -> Vec<String> {
    if status != Some(Status::Failed) {
        return Vec::new();
    }
    let base = format!(
        "{}/run/{project}/dashboard/{run_id}?source=logs&search=",
        app.trim_end_matches('/')
    );
    if case_ids.is_empty() {
        return vec![format!("{base}{}", encode_uri_component(title))];
    }
    case_ids
        .iter()
        .map(|id| format!("{base}{project}-{id}"))
        .collect()
}

/// The prefix a reporter prints before each link.
pub const FAILURE_LINK_PREFIX: &str = "See why this test failed: ";

/// Percent-encodes like JavaScript's `encodeURIComponent`.
pub fn encode_uri_component(text: &str) -> String {
    const KEEP: &[u8] = b"-_.!~*'()";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || KEEP.contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_search_is_encoded_like_encode_uri_component() {
        let links = failure_links(
            "https://app.qase.io/",
            "DEMO",
            5,
            &[],
            "Log in & out (ü)",
            Some(Status::Failed),
        );
        assert_eq!(
            links,
            [
                "https://app.qase.io/run/DEMO/dashboard/5?source=logs&search=Log%20in%20%26%20out%20(%C3%BC)"
            ]
        );
    }
}
