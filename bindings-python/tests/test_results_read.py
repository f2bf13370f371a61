"""The fast read of ``add_results`` (plain dicts field by field, src/results.rs) gives what the
general read (pythonize) gives: the same report files for the same results, and the same
error code for a wrong shape. A list takes the fast read; a tuple of the same dicts takes the
general one."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

import testrelay


def result(i: int, **extra: Any) -> dict[str, Any]:
    r: dict[str, Any] = {"title": f"test {i}", "suite": ["tests", "test_x.py", "TestX"], "node_id": f"tests/test_x.py::TestX::test_{i}",
                         "outcome": {"framework": "pytest", "runner_status": "passed"}, "started_at": 1_700_000_000_000.5,
                         "duration": 12}
    r.update(extra)
    return r


FAILED = {"framework": "pytest", "runner_status": "failed", "phase": "teardown", "expected_status": None, "strict": False,
          "error": {"type": "mod.MyError", "chain": ["mod.MyError", "AssertionError", "Exception", "BaseException"],
                    "module": "mod", "message": "assert 1 == 2", "stack": None, "matcher": False},
          "errors": [{"type": "ValueError", "message": "soft"}], "element": None}
XFAIL = {"framework": "unittest", "runner_status": "passed", "expected_status": "failed", "strict": True}
# Every key of the shape, each result a different mix; some need the general read (steps,
# attachments, an unknown key, a tuple suite, a str subclass, a non-interned key).
RESULTS = [
    result(0),
    result(1, outcome=FAILED, testops_ids=[3, 4], message="boom", attempt=2, muted=True, thread="gw1"),
    result(2, outcome=XFAIL, params={"n": "1", "user": "alice"}, param_groups=[["n", "user"]],
           fields={"severity": "critical", "layer": "api"}, started_at=None, duration=None),
    result(3, started_at=1_700_000_000_000, duration=0.25, testops_ids=None, node_id=None, steps=[], attachments=[]),
    result(4, steps=[{"title": "open", "status": "passed", "steps": [{"title": "inner"}]}]),
    result(5, attachments=[{"file_name": "log.txt", "content_type": "text/plain", "path": "/tmp/log.txt"}]),
    result(6, unknown_key="ignored"),
    result(7, suite=("tests", "test_x.py")),
    result(8, outcome={"framework": "jest", "runner_status": "timedOut", "phase": "setup"}),
    result(9, duration=math.nan, attempt=0, muted=False),
    {"".join(["ti", "tle"]): "built key", "outcome": {"framework": "pytest", "runner_status": "skipped"}},
    {},
]


def report_files(results: Any) -> dict[str, str]:
    session = testrelay.Session({"options": {"mode": "report", "report": {"connection": {"local": {"path": "/r"}}}},
                                 "file": None, "env": {}, "cli": None}, {"instance": "read"}, 1000)
    session.add_results(1000, results)
    session.handle(1000, {"event": "all_tests_done"})
    files: dict[str, str] = {}
    while True:
        action = session.poll(1000)
        if action["action"] in ("finished", "wait"):
            break
        if action["action"] == "write_files":
            files.update({f["path"]: f["content"] for f in action["files"]})
            session.handle(1000, {"event": "report_written", "request_id": action["request_id"]})
    return {path: content for path, content in files.items() if path.startswith("results/")}


def test_the_fast_read_reports_what_the_general_read_reports() -> None:
    fast, general = report_files(RESULTS), report_files(tuple(RESULTS))
    assert len(fast) == len(RESULTS) + 1  # result 1 carries two case ids: one payload each
    assert fast == general


def outcome_of(results: Any) -> tuple[str, Any]:
    try:
        testrelay.validate_results(results)
        return "files", report_files(results)
    except testrelay.TestrelayError as e:
        with pytest.raises(testrelay.TestrelayError) as info:
            report_files(results)
        assert info.value.code == e.code
        return "error", e.code


# Wrong shapes are INVALID_INPUT on both reads.
@pytest.mark.parametrize("bad", [
    result(0, title=42),
    result(0, outcome=[1, 2]),
    result(0, outcome={"framework": "pytest", "phase": "lunch"}),
    result(0, outcome={"framework": "pytest", "expected_status": "exploded"}),
    result(0, params={"n": 1}),
    result(0, fields={1: "x"}),
    result(0, attempt=-1),
    result(0, started_at="now"),
    {1: "a key that is not a str"},
    "not a dict",
    None,
], ids=repr)
def test_a_wrong_shape_is_invalid_input_on_both_reads(bad: Any) -> None:
    assert outcome_of([result(1), bad]) == outcome_of((result(1), bad)) == ("error", "INVALID_INPUT")


# What Python can hold and JSON cannot is mended, never a reason to lose the result: a lone
# surrogate becomes U+FFFD, a case id outside 64 bits is dropped (with the core's warning).
@pytest.mark.parametrize("extra", [{}, {"steps": [{"title": "s\udc00"}]}], ids=["fast read", "general read"])
def test_a_lone_surrogate_or_a_huge_case_id_is_mended_on_both_reads(extra: dict[str, Any]) -> None:
    odd = result(0, title="a\ud800", testops_ids=[2**70, 5], **extra)
    fast, general = outcome_of([odd]), outcome_of((odd,))
    assert fast == general
    kind, files = fast
    assert kind == "files" and len(files) == 1
    payload = json.loads(next(iter(files.values())))
    assert payload["title"] == "a\ufffd"
    assert payload["testops_ids"] == [5]


# Odd values pythonize takes (a str as a sequence, bool as int, int as bool): the fast read
# declines them, so the answer is pythonize's either way.
@pytest.mark.parametrize("odd", [
    result(0, suite="tests"),
    result(0, testops_ids=[True]),
    result(0, outcome={"framework": "pytest", "error": {"chain": "AssertionError"}}),
    result(0, muted=1),
    result(0, started_at=2**70),
    result(0, param_groups=[("a", "b")]),
], ids=repr)
def test_odd_values_get_the_general_reads_answer(odd: Any) -> None:
    assert outcome_of([result(1), odd]) == outcome_of((result(1), odd))


def test_validate_results_accepts_what_add_results_takes() -> None:
    assert testrelay.validate_results(RESULTS) is None
    assert testrelay.validate_results([]) is None
    with pytest.raises(testrelay.InvalidInputError):
        testrelay.validate_results({"title": "a dict, not a list"})
