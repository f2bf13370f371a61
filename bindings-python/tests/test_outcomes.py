"""Every pytest outcome kind → the result the plugin builds → the core's verdict. Runs a real
pytest session in-process (pytester) with the plugin, its host replaced by a recorder so no
session or server is involved; the end-to-end tests go through the real session."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pytest

import testrelay
from testrelay import pytest_plugin

SUITE = Path(__file__).with_name("outcome_suite.py")

EXPECTED = {
    "test_passes": "passed",
    "test_assertion_fails": "failed",
    "test_assertion_subclass_fails": "failed",
    "test_pytest_fail": "failed",
    "test_type_error_is_invalid": "invalid",
    "test_fixture_error_is_invalid": "invalid",
    "test_teardown_error_is_invalid": "invalid",
    "test_failed_call_stays_failed_despite_teardown_error": "failed",
    "test_skip_marker": "skipped",
    "test_skipif_marker": "skipped",
    "test_imperative_skip": "skipped",
    "test_xfail_fails": "skipped",
    "test_xpass_not_strict": "passed",
    "test_xpass_strict": "failed",
    "test_imperative_xfail": "skipped",
    "test_params_and_ids": "passed",
    "Login works": "passed",
    "test_bad_case_id_is_a_warning": "passed",
    "test_unit_passes": "passed",
    "test_unit_fails": "failed",
    "test_unit_error": "invalid",
    "test_unit_skipped": "skipped",
}


# 23 tests are reported (test_ignored is not); the two test_params_and_ids ones carry case
# ids 7 and 8, and a result with several case ids is one payload per id: 25 payloads.
PAYLOADS = 25


class RecordingHost:
    """Stands in for the host kit's ReporterSession: records what the plugin hands over."""

    def __init__(self) -> None:
        self.results: list[dict[str, Any]] = []
        self.receipt: Optional[dict[str, Any]] = None
        self.job = "recorded"

    def start(self) -> None:
        pass

    def add(self, result: dict[str, Any]) -> None:
        # As the session reads it: the core folds the pytest phases the plugin hands over.
        self.results.append(testrelay.read_result(result))

    def interrupted(self) -> None:
        pass

    def end(self, **counts: Any) -> None:
        return None


@pytest.fixture
def recorded(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    host = RecordingHost()
    monkeypatch.setattr(pytest_plugin, "start_host", lambda config, src, lines: host)
    pytester.makepyfile(test_suite=SUITE.read_text())
    pytester.inline_run("-p", "no:cacheprovider")
    return {r["node_id"].split("::")[-1]: r for r in host.results}


def test_every_outcome_kind_gets_its_status(recorded: dict[str, dict[str, Any]]) -> None:
    verdicts = {r["title"]: testrelay.classify(r["outcome"])["status"] for r in recorded.values()}
    assert verdicts == EXPECTED


def test_the_exception_mro_is_the_type_chain(recorded: dict[str, dict[str, Any]]) -> None:
    error = recorded["test_assertion_subclass_fails"]["outcome"]["error"]
    assert error["chain"] == ["test_suite.MyAssert", "AssertionError", "Exception", "BaseException"]
    assert testrelay.classify(recorded["test_pytest_fail"]["outcome"])["rule"] == "python.pytest_fail"


def test_the_stack_is_the_failure_as_pytest_prints_it(recorded: dict[str, dict[str, Any]]) -> None:
    stack = recorded["test_assertion_fails"]["outcome"]["error"]["stack"]
    # The test's source line and pytest's "E" lines (assertion rewriting), as in the terminal.
    assert "def test_assertion_fails():" in stack and "\nE       assert (1 + 1) == 3" in stack
    assert "RuntimeError: fixture exploded" in recorded["test_fixture_error_is_invalid"]["outcome"]["error"]["stack"]
    assert recorded["test_passes"]["outcome"]["error"] is None


def test_phases_come_from_the_failing_report(recorded: dict[str, dict[str, Any]]) -> None:
    assert recorded["test_fixture_error_is_invalid"]["outcome"]["phase"] == "setup"
    assert recorded["test_teardown_error_is_invalid"]["outcome"]["phase"] == "teardown"
    assert recorded["test_failed_call_stays_failed_despite_teardown_error"]["outcome"]["phase"] == "call"


def test_markers_params_suite_and_ignore(recorded: dict[str, dict[str, Any]]) -> None:
    r = recorded["test_params_and_ids[one-two-alice]"]
    assert r["testops_ids"] == [7, 8]
    assert r["title"] == "test_params_and_ids"
    # As qase-pytest: the id "one-two-alice" has one piece per parameter, so the pieces are the values.
    assert r["params"] == {"n": "one", "m": "two", "user": "alice"}
    assert r["param_groups"] == [["n", "m"]]
    assert r["suite"] == ["test_suite.py"]
    assert r["node_id"] == "test_suite.py::test_params_and_ids[one-two-alice]"
    assert recorded["test_qase_compatible_id"]["testops_ids"] == [42]
    assert recorded["test_qase_compatible_id"]["title"] == "Login works"
    assert recorded["test_unit_passes"]["suite"] == ["test_suite.py", "TestUnit"]
    assert recorded["test_unit_passes"]["outcome"]["framework"] == "unittest"
    assert "test_ignored" not in recorded
    assert recorded["test_skip_marker"]["message"] == "not today"
    # An xfail's message is its reason, as qase-pytest's (the failure itself is the stack).
    assert recorded["test_xfail_fails"]["message"] == "known bug"
    assert "assert False" in recorded["test_xfail_fails"]["outcome"]["error"]["stack"]
    assert recorded["test_imperative_xfail"]["message"] == "imperative xfail"
    assert recorded["test_xpass_strict"]["message"] == "[XPASS(strict)] must fail"
    assert recorded["test_xpass_not_strict"]["message"] is None
    assert recorded["test_bad_case_id_is_a_warning"]["testops_ids"] == [5]


# Reading the item (markers, params) or the exception failing — a bug, or an odd item — is
# said, and the result still goes without what could not be read.
@pytest.mark.parametrize("broken", ["build", "error_info"])
def test_a_failure_to_read_the_test_still_reports_the_result(pytester: pytest.Pytester,
                                                             monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    host = RecordingHost()
    lines: list[tuple[str, str]] = []
    monkeypatch.setattr(pytest_plugin, "start_host", lambda config, src, log: host)
    monkeypatch.setattr(pytest_plugin.Lines, "__call__", lambda self, level, message: lines.append((level, message)))

    def bug(*args: Any) -> dict[str, Any]:
        raise RuntimeError("odd test")

    monkeypatch.setattr(pytest_plugin, broken, bug)
    pytester.makepyfile(test_odd="import pytest\n\n@pytest.mark.testrelay_id(3)\ndef test_fails():\n    assert 1 == 2\n")
    outcome = pytester.inline_run("-p", "no:cacheprovider")
    outcome.assertoutcome(failed=1)  # the test's own outcome: the reporter aborted nothing
    [result] = host.results
    assert result["node_id"] == "test_odd.py::test_fails" and result["title"] == "test_fails"
    assert testrelay.classify(result["outcome"])["status"] == "failed"
    assert any(level == "error" and "test_odd.py::test_fails" in message and "odd test" in message
               for level, message in lines)


DOCTESTS = '''
import pytest


def wrong_output():
    """
    >>> 1 + 1
    3
    """


def raises_type_error():
    """
    >>> None.upper()
    """


def raises_assertion():
    """
    >>> assert 1 == 2
    """


def passes():
    """
    >>> 2 * 2
    4
    """


@pytest.mark.parametrize("where", ["a/b::c[d]", "plain"])
def test_free_text_ids(where):
    pass


class TestGroup:
    @pytest.mark.parametrize("n", [1])
    def test_in_class(self, n):
        pass
'''


@pytest.mark.parametrize("continue_on_failure", [False, True])
def test_doctests_and_free_text_parameter_ids(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                              continue_on_failure: bool) -> None:
    host = RecordingHost()
    monkeypatch.setattr(pytest_plugin, "start_host", lambda config, src, lines: host)
    pytester.makepyfile(test_docs=DOCTESTS)
    extra = ["--doctest-continue-on-failure"] if continue_on_failure else []
    pytester.inline_run("-p", "no:cacheprovider", "--doctest-modules", *extra)
    by_id = {r["node_id"]: r for r in host.results}
    verdicts = {node: testrelay.classify(r["outcome"]) for node, r in by_id.items()}

    # Output not the one written: the doctest's own comparison failed → failed, saying what.
    wrong = "test_docs.py::test_docs.wrong_output"
    assert (verdicts[wrong]["status"], verdicts[wrong]["rule"]) == ("failed", "python.doctest_failure")
    assert by_id[wrong]["outcome"]["error"]["message"] == "1 + 1: expected 3, got 2"
    assert "Expected:\n    3\nGot:\n    2" in by_id[wrong]["outcome"]["error"]["stack"]
    # The example raised: the error it raised decides, as in a test function.
    raised = by_id["test_docs.py::test_docs.raises_type_error"]["outcome"]["error"]
    assert raised["chain"][:2] == ["AttributeError", "Exception"]
    assert raised["message"] == "AttributeError: 'NoneType' object has no attribute 'upper'"
    assert verdicts["test_docs.py::test_docs.raises_type_error"]["status"] == "invalid"
    assert verdicts["test_docs.py::test_docs.raises_assertion"]["rule"] == "python.assertion_error"
    assert verdicts["test_docs.py::test_docs.passes"]["status"] == "passed"
    assert by_id[wrong]["suite"] == ["test_docs.py"]

    # A parametrize id is free text: its "::" and "/" are not suite levels.
    odd = by_id["test_docs.py::test_free_text_ids[a/b::c[d]]"]
    assert (odd["suite"], odd["title"], odd["params"]) == (["test_docs.py"], "test_free_text_ids",
                                                            {"where": "a/b::c[d]"})
    assert by_id["test_docs.py::test_free_text_ids[plain]"]["suite"] == ["test_docs.py"]
    assert by_id["test_docs.py::TestGroup::test_in_class[1]"]["suite"] == ["test_docs.py", "TestGroup"]
