//! Result signatures (SPEC §8): the string Qase uses to match results of cases without ids.
//! testrelay computes exactly what the official reporter of each ecosystem computes, so a
//! team that swaps reporters gets no duplicate cases.

use indexmap::IndexMap;

/// JavaScript flavour (qase-javascript-commons, Playwright): ids joined by `-`, then every
/// suite element cleaned and split, then each parameter as `{'key':'value'}` (both
/// lowercased), all joined by `::`.
pub fn js_signature<'a>(
    ids: &[u64],
    suites: impl IntoIterator<Item = &'a String>,
    params: &IndexMap<String, String>,
) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(8 + params.len());
    push_ids(&mut parts, ids);
    for suite in suites {
        let suite = suite.trim().replace('\\', "/");
        for piece in suite.split("::").flat_map(|p| p.split('\t')) {
            let piece = piece
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("_")
                .to_lowercase();
            if !piece.is_empty() {
                parts.push(piece);
            }
        }
    }
    for (key, value) in params {
        parts.push(format!(
            "{{'{}':'{}'}}",
            key.to_lowercase(),
            value.to_lowercase()
        ));
    }
    parts.join("::")
}

/// Python flavour (qase-python-commons, pytest): ids joined by `-`, then each `/`-separated
/// piece of the node id lowercased with spaces as `_`, then each parameter as `{key:value}`
/// as is, all joined by `::`.
pub fn python_signature(ids: &[u64], node_id: &str, params: &IndexMap<String, String>) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(4 + params.len());
    push_ids(&mut parts, ids);
    parts.extend(
        node_id
            .split('/')
            .map(|piece| piece.to_lowercase().replace(' ', "_")),
    );
    parts.extend(params.iter().map(|(k, v)| format!("{{{k}:{v}}}")));
    parts.join("::")
}

fn push_ids(parts: &mut Vec<String>, ids: &[u64]) {
    if !ids.is_empty() {
        let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
        parts.push(ids.join("-"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> IndexMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn suites(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn spec_examples_js() {
        assert_eq!(
            js_signature(
                &[1, 2, 3],
                &suites(&["Suite1", "Suite2"]),
                &params(&[("Param1", "Value1"), ("Param2", "Value2")])
            ),
            "1-2-3::suite1::suite2::{'param1':'value1'}::{'param2':'value2'}"
        );
        assert_eq!(
            js_signature(
                &[],
                &suites(&["  Suite With Spaces  ", "Suite\tWith\tTabs"]),
                &params(&[])
            ),
            "suite_with_spaces::suite::with::tabs"
        );
        assert_eq!(
            js_signature(&[], &suites(&["e2e\\file.spec.ts", "Suite1"]), &params(&[])),
            "e2e/file.spec.ts::suite1"
        );
    }

    #[test]
    fn spec_examples_python() {
        let node = "tests/test_cls.py::TestKlass::test_method";
        assert_eq!(
            python_signature(&[], node, &params(&[])),
            "tests::test_cls.py::testklass::test_method"
        );
        assert_eq!(
            python_signature(&[6, 7], node, &params(&[])),
            "6-7::tests::test_cls.py::testklass::test_method"
        );
    }
}
