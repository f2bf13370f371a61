"""The conformance vectors through the Python binding.

Reads, in order, ``tests/vectors/``, ``../shared/vectors/`` (when it exists) and every folder
of ``TESTRELAY_VECTORS`` (colon-separated), as /work/shared/vectors/README.md says. A case
fails unless every key of ``expected`` equals the output; an unknown op fails its case.
Run with ``pytest bindings-python/tests/test_vectors.py -s`` to see the count per op.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import pytest

import testrelay

ROOT = Path(__file__).resolve().parents[2]


def vector_dirs() -> list[Path]:
    dirs = [ROOT / "tests" / "vectors"]
    shared = ROOT.parent / "shared" / "vectors"
    if shared.is_dir():
        dirs.append(shared)
    dirs += [Path(d) for d in os.environ.get("TESTRELAY_VECTORS", "").split(":") if d]
    return dirs


def load_cases() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    cases = []
    for folder in vector_dirs():
        if not folder.is_dir():
            # The project's own folder may not exist yet; named folders must.
            if folder != ROOT / "tests" / "vectors":
                cases.append((f"{folder}", "missing_folder", {}, {}))
            continue
        for path in sorted(folder.glob("*.json")):
            data = json.loads(path.read_text())
            for case in data["cases"]:
                cases.append((f"{path.name}/{case['name']}", data["op"], case["input"], case["expected"]))
    return cases


def warnings_count(warnings: list[dict[str, Any]]) -> int:
    return sum(1 for w in warnings if w["level"] == "warning")


def op_classify(i: dict[str, Any]) -> dict[str, Any]:
    return dict(testrelay.classify(i, i.get("policy")))


def op_status_mapping(i: dict[str, Any]) -> dict[str, Any]:
    out = (
        testrelay.parse_status_mapping_env(i["env"])
        if isinstance(i.get("env"), str)
        else testrelay.parse_status_mapping_json(i["json"])
    )
    w = out["warnings"]
    return {"mapping": out["mapping"], "warnings": warnings_count(w), "notes": len(w) - warnings_count(w)}


def op_status_filter(i: dict[str, Any]) -> dict[str, Any]:
    out = (
        testrelay.parse_status_filter_env(i["env"])
        if isinstance(i.get("env"), str)
        else testrelay.parse_status_filter_json(i["json"])
    )
    return {"filter": out["filter"], "warnings": warnings_count(out["warnings"])}


def op_pipeline(i: dict[str, Any]) -> dict[str, Any]:
    out = testrelay.pipeline(i)
    assert warnings_count(out["warnings"]) == 0, f"pipeline vector has an invalid mapping/filter: {out['warnings']}"
    return {"statuses": out["statuses"], "trace": out["trace"]}


def op_batches(i: dict[str, Any]) -> dict[str, Any]:
    out = testrelay.plan_batches(i["batch_size"], i["results"])
    return {"batches": out["batches"], "warnings": warnings_count(out["warnings"])}


def op_failure_links(i: dict[str, Any]) -> dict[str, Any]:
    return {"links": testrelay.failure_links(i)}


def op_run_status(i: dict[str, Any]) -> dict[str, Any]:
    return {"status": testrelay.run_status(i["results"], i.get("custom"))}


def op_configurations(i: dict[str, Any]) -> dict[str, Any]:
    product = testrelay.configuration_product(i["groups"])
    return {"count": len(product), "combinations": product}


def flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and prefix != "statusMapping":
        for k, v in value.items():
            flatten(f"{prefix}.{k}" if prefix else k, v, out)
    else:
        out[prefix] = value


def op_config(i: dict[str, Any]) -> dict[str, Any]:
    resolved = testrelay.resolve_config(i)
    out: dict[str, Any] = {}
    flatten("", resolved["config"], out)
    w = resolved["warnings"]
    out["warnings"] = warnings_count(w)
    out["warning_keys"] = [x["key"] for x in w if x["level"] == "warning"]
    out["codes"] = [x["code"] for x in w]
    return out


def op_signature(i: dict[str, Any]) -> dict[str, Any]:
    # Params as pairs: not every JSON reader keeps the order of object keys.
    params = dict(i.get("params") or [])
    ids = i.get("ids") or []
    if i["flavour"] == "python":
        return {"signature": testrelay.python_signature(ids, i["node_id"], params)}
    assert i["flavour"] == "js", f"unknown flavour {i['flavour']!r}"
    return {"signature": testrelay.js_signature(ids, i["suites"], params)}


def op_case_ids(i: dict[str, Any]) -> dict[str, Any]:
    got = testrelay.case_ids(i["title"], i.get("testops_ids"))
    return {"ids": got["ids"], "title": got["title"], "warnings": warnings_count(got["warnings"])}


def op_match(i: dict[str, Any]) -> dict[str, Any]:
    index = testrelay.CaseIndex(i["cases"])
    settings = i.get("settings")
    decision = index.match_result(i["result"], settings)
    out = dict(decision)
    out["display_title"] = index.display_title(i["result"], decision, settings)
    out["warnings"] = len(testrelay.match_settings_warnings(settings or {}))
    return out


def op_match_plan(i: dict[str, Any]) -> dict[str, Any]:
    return dict(testrelay.CaseIndex(i["cases"]).plan(i["results"], i.get("settings")))


def int_keys(mapping: Any) -> Any:
    """JSON object keys are text; case-id keyed maps take ints in Python."""
    return None if mapping is None else {int(k): v for k, v in mapping.items()}


def op_assign(i: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"assignments": testrelay.assign(
            i["case_ids"], i["members"], i.get("mode"), int_keys(i.get("estimates"))
        )}
    except testrelay.TestrelayError as e:
        return {"error": e.code}


def op_qs_validate(i: dict[str, Any]) -> dict[str, Any]:
    errors = testrelay.qs_validate_run(i["request"], i.get("existing_titles"))
    return {"codes": [e["code"] for e in errors], "plans": [e["plan"] for e in errors]}


def op_qs_membership(i: dict[str, Any]) -> dict[str, Any]:
    run = testrelay.qs_create_run(i["type"], i["query_plans"], i["created_from"])
    out = dict(testrelay.qs_membership(run, i["current"]))
    out["created"] = run["case_ids"]
    return out


def op_completion(i: dict[str, Any]) -> dict[str, Any]:
    d = testrelay.decide_completion(i)
    return {
        "complete": d["complete"],
        "short": {j["job"]: j["short_by"] for j in d["jobs"]},
        "never_reported": {j["job"]: j["never_reported"] for j in d["jobs"]},
        "missing_jobs": d["missing_jobs"],
        "lines": d["lines"],
    }


def imported(run: Callable[[], Any]) -> dict[str, Any]:
    """Each imported result projected to the keys vectors pin (status by classify)."""
    try:
        out = run()
    except testrelay.TestrelayError as e:
        return {"error": e.code}
    results = []
    for r in out["results"]:
        error = r["outcome"]["error"] or {}
        results.append({
            "title": r["title"], "suite": r["suite"], "status": testrelay.classify(r["outcome"])["status"],
            "attempt": r["attempt"], "duration": r["duration"], "testops_ids": r["testops_ids"],
            "phase": r["outcome"]["phase"], "error_type": error.get("type"), "error_message": error.get("message"),
            "errors": len(r["outcome"]["errors"]), "fields": r["fields"],
        })
    return {"results": results, "count": len(results), "warnings": warnings_count(out["warnings"])}


def op_import_playwright_json(i: dict[str, Any]) -> dict[str, Any]:
    text = i["text"] if isinstance(i.get("text"), str) else json.dumps(i["report"])
    return imported(lambda: testrelay.import_playwright_json(text))


def op_read_result(i: dict[str, Any]) -> dict[str, Any]:
    read = testrelay.read_result(i["result"])
    outcome = read["outcome"]
    return {"runner_status": outcome["runner_status"], "phase": outcome["phase"],
            "expected_status": outcome["expected_status"], "strict": outcome["strict"],
            "error_type": (outcome["error"] or {}).get("type"), "errors": len(outcome["errors"]),
            "message": read["message"], "status": testrelay.classify(outcome)["status"]}


OPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "classify": op_classify,
    "status_mapping": op_status_mapping,
    "status_filter": op_status_filter,
    "pipeline": op_pipeline,
    "batches": op_batches,
    "failure_links": op_failure_links,
    "run_status": op_run_status,
    "configurations": op_configurations,
    "config": op_config,
    "signature": op_signature,
    "case_ids": op_case_ids,
    "match": op_match,
    "match_plan": op_match_plan,
    "run_stats": lambda i: dict(testrelay.run_stats(i["cases"], i.get("custom"))),
    "estimate": lambda i: dict(testrelay.estimate(i["case_ids"], int_keys(i.get("history")))),
    "assign": op_assign,
    "clone_run": lambda i: {"cases": testrelay.clone_run(i["cases"], i["keep"])},
    "retest": lambda i: {"cases": testrelay.retest(i["cases"], i["statuses"])},
    "qs_resolve": lambda i: {"case_ids": testrelay.qs_resolve(i["snapshot"], i["query_plans"])},
    "qs_validate": op_qs_validate,
    "qs_membership": op_qs_membership,
    "completion": op_completion,
    "read_result": op_read_result,
    "read_playwright": lambda i: (lambda r: {
        **r, "params": [list(p) for p in r["params"].items()], "signature_path": r.get("signature_path"),
        "ignored": r.get("ignored", False), "warnings": [f"{w['key']}: {w['message']}" for w in r.get("warnings", [])],
        "status": testrelay.classify(r["outcome"])["status"]})(testrelay.read_result(i["result"])),
    "config_files": lambda i: {"candidates": testrelay.config_file_candidates(i["dirs"])},
    "job_name": lambda i: {"name": testrelay.job_name(i)},
    "receipt_file": lambda i: (lambda f: {"name": f["name"], "body": json.loads(f["body"])})(testrelay.receipt_file(i)),
    "complete_run_plan": lambda i: dict(testrelay.complete_run_plan(i)),
    "complete_run_exit": lambda i: {"exit_code": testrelay.complete_run_exit(i["receipt"])},
    "end_wait_bound": lambda i: {"bound_ms": testrelay.end_wait_bound_ms(i["upload_deadline_ms"])},
    "import_junit": lambda i: imported(lambda: testrelay.import_junit(i["xml"])),
    "import_playwright_json": op_import_playwright_json,
    "qs_status_counts": lambda i: dict(testrelay.qs_status_counts(i["statuses"])),
}

CASES = load_cases()


def test_vector_folders_hold_cases() -> None:
    counts = Counter(op for _, op, _, _ in CASES)
    for op, n in sorted(counts.items()):
        print(f"vectors: {op}: {n} cases")
    assert CASES, "no vector files found"


@pytest.mark.parametrize(("name", "op", "input", "expected"), CASES, ids=[c[0] for c in CASES])
def test_vector(name: str, op: str, input: dict[str, Any], expected: dict[str, Any]) -> None:
    assert op != "missing_folder", f"vector folder {name} is not a readable folder"
    assert op in OPS, f"unknown op `{op}` in {name}"
    # Compared as JSON: a dict keyed by case id (ints in Python) has text keys in a vector.
    actual = json.loads(json.dumps(OPS[op](input)))
    for key, want in expected.items():
        assert actual.get(key) == want, f"{name}: `{key}` expected {want!r}, got {actual.get(key)!r}"
