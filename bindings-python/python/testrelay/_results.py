"""pytest facts → the core's ``TestResult`` shape (docs/api.md). Conversion only: which status
a test gets is decided by the core from the ``outcome`` built here (phase, exception MRO,
runner status, xfail expectation), never here.

This runs once per test, so it does little: one walk over the item's markers, keys the core
defaults (empty params, no ids, attempt 0, ...) left out, the suite path computed once per
module or class.
"""

from __future__ import annotations

import base64
import os
import sys
import traceback
from typing import Any, Optional

import pytest

ID_MARKERS = ("testrelay_id", "qase_id")
TITLE_MARKERS = ("testrelay_title", "qase_title")
# The markers the plugin reads (found in one walk over the item and its parents).
MARKERS = frozenset({*ID_MARKERS, *TITLE_MARKERS, "testrelay_fields", "testrelay_muted", "testrelay_ignore",
                     "parametrize"})
Marks = dict[str, list[pytest.Mark]]


def error_info(excinfo: pytest.ExceptionInfo[BaseException], report: pytest.TestReport) -> dict[str, Any]:
    """The exception as the core reads it: type, MRO as the type chain, module, message, and
    as its stack the failure as pytest prints it (``longreprtext``: traceback, source lines,
    ``E`` lines; the result's stacktrace, as qase-pytest sends it).

    A doctest's exception is what the failing example did: its output differed
    (``doctest.DocTestFailure``, the message saying what was expected and what came), or it
    raised (``doctest.UnexpectedException``: the error it raised is sent, as pytest shows it).
    With ``--doctest-continue-on-failure`` pytest gathers them; the first one is sent."""
    failure = _doctest_failure(excinfo.value)
    cls, text = failure if failure is not None else (excinfo.type, excinfo.exconly())
    return _error(cls, text, report.longreprtext or None)


def _doctest_failure(value: BaseException) -> Optional[tuple[type, str]]:
    """What a failing doctest example did, as the type and text to send; None for any other
    exception. doctest is looked up in ``sys.modules`` only: pytest imports it where doctests
    run, and importing it here would add 5 ms to every pytest start-up."""
    doctest, pytest_doctest = sys.modules.get("doctest"), sys.modules.get("_pytest.doctest")
    if doctest is None:
        return None
    if pytest_doctest is not None and isinstance(value, pytest_doctest.MultipleDoctestFailures) and value.failures:
        value = value.failures[0]
    if isinstance(value, doctest.UnexpectedException):
        cls, inner = value.exc_info[0], value.exc_info[1]
        return cls, "".join(traceback.format_exception_only(cls, inner))
    if isinstance(value, doctest.DocTestFailure):
        example = value.example
        return type(value), (f"{_squeeze(example.source)}: expected {_squeeze(example.want) or 'nothing'}, "
                             f"got {_squeeze(value.got) or 'nothing'}")
    return None


def _error(cls: type, text: str, stack: Optional[str]) -> dict[str, Any]:
    chain = [_qualified(c) for c in cls.__mro__ if c is not object]
    return {
        "type": chain[0],
        "chain": chain,
        # pytest declares its outcome classes (Failed, Skipped) in "builtins" for display;
        # the module says nothing there, so builtins is sent as unknown.
        "module": None if cls.__module__ == "builtins" else cls.__module__,
        "message": _first_line(text),
        "stack": stack,
        "matcher": False,
    }


def _squeeze(text: str) -> str:
    """A doctest's source or output on one line."""
    return " ".join(text.split())


def _qualified(cls: type) -> str:
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:2000]


class Attempt:
    """The phase reports of one attempt of one test that did not simply pass, gathered until
    its teardown as the facts the core folds (``pytest_phases``, docs/api.md): which phase
    decides, what a later error is, what an xfail or a strict xpass means is the core's (the
    same as its JUnit reader's). Passing reports change nothing: only the others go to
    :meth:`add`; a test whose phases all passed has no ``Attempt`` at all (``None``)."""

    __slots__ = ("phases",)

    def __init__(self) -> None:
        self.phases: list[dict[str, Any]] = []

    def add(self, report: pytest.TestReport, error: Optional[dict[str, Any]]) -> None:
        phase: dict[str, Any] = {"when": report.when, "outcome": report.outcome}
        if error is not None:
            phase["error"] = error
        if hasattr(report, "wasxfail"):
            phase["wasxfail"] = report.wasxfail
        if report.failed:
            phase["longrepr"] = _first_line(report.longreprtext)
        elif report.skipped:
            reason = _skip_reason(report)
            if reason is not None:
                phase["skip_reason"] = reason
        self.phases.append(phase)


def _skip_reason(report: pytest.TestReport) -> Optional[str]:
    if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return None


def marks(item: pytest.Item) -> Marks:
    """The plugin's markers on the item and its parents, closest first per name (the order of
    ``iter_markers``), in one walk up the tree."""
    found: Marks = {}
    node: Optional[Any] = item
    while node is not None:
        for mark in node.own_markers:
            if mark.name in MARKERS:
                found.setdefault(mark.name, []).append(mark)
        node = node.parent
    return found


def case_ids(found: Marks) -> tuple[Optional[list[int]], list[Any]]:
    """Case ids from ``@pytest.mark.testrelay_id(1, 2)`` or ``@pytest.mark.qase_id(1)``, and
    the values that are not integers (the core judges the integers: ≤ 0 is dropped there)."""
    raw: list[Any] = []
    for name in ID_MARKERS:
        for mark in found.get(name, ()):
            raw.extend(mark.args)
            if "id" in mark.kwargs:
                raw.append(mark.kwargs["id"])
    if not raw:
        return None, []
    ids: list[int] = []
    bad: list[Any] = []
    for value in raw:
        for one in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(one, int) and not isinstance(one, bool):
                ids.append(one)
            elif isinstance(one, str) and one.strip().lstrip("-").isdigit():
                ids.append(int(one))
            else:
                bad.append(one)
    return ids or None, bad


def params(item: pytest.Item, found: Marks) -> tuple[dict[str, str], list[list[str]]]:
    """Parameters from parametrize as qase-pytest 9.0.0 reports them (the signature depends on
    it): when the test id has one ``-``-separated piece per parameter, each piece is the
    value; otherwise each value's ``str``. Groups: the names of multi-name parametrize marks."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return {}, []
    ids = callspec.id.split("-")
    by_id = len(ids) == len(callspec.params)
    values = {
        name: ids[i] if by_id else str(value)
        for i, (name, value) in enumerate(callspec.params.items())
        if not name.startswith("__pytest")
    }
    groups = [names for names in (_argnames(m) for m in found.get("parametrize", ())) if len(names) > 1]
    return values, groups


def _argnames(mark: pytest.Mark) -> list[str]:
    names = mark.args[0] if mark.args else mark.kwargs.get("argnames", ())
    if isinstance(names, str):
        return [n.strip() for n in names.split(",") if n.strip()]
    return list(names)


# Node id before its last "::" (the module or class) → suite path.
_SUITES: dict[str, list[str]] = {}


def suite_of(nodeid: str) -> list[str]:
    """Suite path from the node id: folders, file, classes (computed once per module or
    class; the list is shared, never changed). A parametrized test's id is cut off first:
    it is free text (``test_x[a/b::c]``), while the names before it (classes, the function)
    hold no ``[``."""
    at = nodeid.find("::")
    if at >= 0:
        bracket = nodeid.find("[", at)
        if bracket >= 0:
            nodeid = nodeid[:bracket]
    head, sep, _ = nodeid.rpartition("::")
    key = head if sep else nodeid
    suite = _SUITES.get(key)
    if suite is None:
        path, *rest = nodeid.split("::")
        suite = _SUITES[key] = [p for p in path.split("/") if p] + rest[:-1]
    return suite


def title_of(item: pytest.Item, found: Marks) -> str:
    """The title marker's, else the function's name without parameters (as qase-pytest
    reports it: params are sent apart)."""
    for name in TITLE_MARKERS:
        closest = found.get(name)
        if closest and (closest[0].args or "title" in closest[0].kwargs):
            mark = closest[0]
            return str(mark.args[0] if mark.args else mark.kwargs["title"])
    return getattr(item, "originalname", None) or item.name


def essentials(nodeid: str, attempt: Optional[Attempt], started_ms: float, stop_ms: float, framework: str,
               thread: Optional[str], title: str) -> dict[str, Any]:
    """What a result needs from the test's run alone (no markers, no params): the whole
    result of a plain test, and what is still reported when reading the item fails.
    ``attempt``: None when every phase passed."""
    outcome: dict[str, Any] = {"framework": framework, "runner_status": "passed", "phase": "call"}
    duration = stop_ms - started_ms
    result: dict[str, Any] = {
        "title": title,
        "suite": suite_of(nodeid),
        "node_id": nodeid,
        "outcome": outcome,
        "started_at": started_ms,
        "duration": duration if duration > 0.0 else 0.0,
    }
    if attempt is not None:
        result["pytest_phases"] = attempt.phases
    if thread is not None:
        result["thread"] = thread
    return result


def build(item: pytest.Item, nodeid: str, found: Marks, attempt: Optional[Attempt], started_ms: float,
          stop_ms: float, framework: str, thread: Optional[str], ids: Optional[list[int]]) -> dict[str, Any]:
    """One finished attempt of one test as the core's ``TestResult``; keys whose value is the
    core's default are left out."""
    result = essentials(nodeid, attempt, started_ms, stop_ms, framework, thread, title_of(item, found))
    if ids is not None:
        result["testops_ids"] = ids
    if "testrelay_fields" in found:
        fields: dict[str, str] = {}
        for mark in found["testrelay_fields"]:
            for key, value in mark.kwargs.items():
                fields.setdefault(key, str(value))
        result["fields"] = fields
    if hasattr(item, "callspec"):
        result["params"], result["param_groups"] = params(item, found)
    runs = getattr(item, "execution_count", 1)  # pytest-rerunfailures counts the runs
    if runs > 1:
        result["attempt"] = runs - 1
    if "testrelay_muted" in found:
        result["muted"] = True
    if getattr(item, "user_properties", None):
        result["attachments"] = attachments(item)
    return result


def attachments(item: pytest.Item) -> list[dict[str, Any]]:
    """Attachments a test recorded with pytest's own ``record_property("testrelay_attachment",
    {"name", "path" | "content" (str or bytes), "content_type"})``; the session uploads them
    (or copies them into the local report)."""
    found = []
    for key, value in getattr(item, "user_properties", ()):
        if key != "testrelay_attachment" or not isinstance(value, dict):
            continue
        content = value.get("content")
        if isinstance(content, str):
            content = content.encode("utf-8")
        path = value.get("path")
        found.append({
            "name": str(value.get("name") or (os.path.basename(str(path)) if path else "attachment")),
            "content_type": value.get("content_type"),
            "path": None if path is None else str(path),
            "content": None if content is None else base64.b64encode(content).decode("ascii"),
        })
    return found
