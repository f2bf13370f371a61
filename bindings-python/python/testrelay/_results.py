"""pytest facts → the core's ``TestResult`` shape (docs/api.md). Conversion only: which status
a test gets is decided by the core from the ``outcome`` built here (phase, exception MRO,
runner status, xfail expectation), never here.
"""

from __future__ import annotations

import base64
import dataclasses
import os
from typing import Any, Optional

import pytest

ID_MARKERS = ("testrelay_id", "qase_id")


def error_info(excinfo: pytest.ExceptionInfo[BaseException]) -> dict[str, Any]:
    """The exception as the core reads it: type, MRO as the type chain, module, message."""
    cls = excinfo.type
    chain = [_qualified(c) for c in cls.__mro__ if c is not object]
    return {
        "type": chain[0],
        "chain": chain,
        # pytest declares its outcome classes (Failed, Skipped) in "builtins" for display;
        # the module says nothing there, so builtins is sent as unknown.
        "module": None if cls.__module__ == "builtins" else cls.__module__,
        "message": _first_line(excinfo.exconly()),
        "stack": None,
        "matcher": False,
    }


def _qualified(cls: type) -> str:
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:2000]


@dataclasses.dataclass
class Attempt:
    """The phase reports of one attempt of one test, gathered until its teardown."""

    started_at: Optional[float] = None
    phase: str = "call"
    runner_status: str = "passed"
    error: Optional[dict[str, Any]] = None
    expected_failure: bool = False
    strict: bool = False
    message: Optional[str] = None

    def add(self, report: pytest.TestReport, error: Optional[dict[str, Any]]) -> None:
        if self.started_at is None:
            self.started_at = report.start * 1000.0
        if hasattr(report, "wasxfail"):
            # xfail: failed as expected (skipped report) or passed unexpectedly (non-strict).
            self.expected_failure = True
            self.runner_status = "failed" if report.skipped else "passed"
            self.error = self.error or error
            return
        if report.failed and str(report.longrepr).startswith("[XPASS(strict)]"):
            self.expected_failure = True
            self.strict = True
            self.runner_status = "passed"
            return
        if report.skipped and self.runner_status == "passed":
            self.runner_status = "skipped"
            self.message = _skip_reason(report)
        elif report.failed and self.runner_status != "failed":
            # The first failing phase decides: a failed call is never replaced by a teardown error.
            self.runner_status = "failed"
            self.phase = report.when
            self.error = error
            if error is None:
                self.message = _first_line(str(report.longreprtext))


def _skip_reason(report: pytest.TestReport) -> Optional[str]:
    if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return None


def case_ids(item: pytest.Item) -> tuple[Optional[list[int]], list[Any]]:
    """Case ids from ``@pytest.mark.testrelay_id(1, 2)`` or ``@pytest.mark.qase_id(1)``, and
    the values that are not integers (the core judges the integers: ≤ 0 is dropped there)."""
    raw: list[Any] = []
    for name in ID_MARKERS:
        for mark in item.iter_markers(name):
            raw.extend(mark.args)
            if "id" in mark.kwargs:
                raw.append(mark.kwargs["id"])
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


def params(item: pytest.Item) -> tuple[dict[str, str], list[list[str]]]:
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
    groups = [names for names in (_argnames(m) for m in item.iter_markers("parametrize")) if len(names) > 1]
    return values, groups


def _argnames(mark: pytest.Mark) -> list[str]:
    names = mark.args[0] if mark.args else mark.kwargs.get("argnames", ())
    if isinstance(names, str):
        return [n.strip() for n in names.split(",") if n.strip()]
    return list(names)


def suite_and_title(item: pytest.Item) -> tuple[list[str], str]:
    """Suite path from the node id (folders, file, classes) and the title: the function's
    name without parameters, as qase-pytest reports it (params are sent apart)."""
    path, *rest = item.nodeid.split("::")
    suite = [p for p in path.split("/") if p] + rest[:-1]
    return suite, getattr(item, "originalname", None) or item.name


def build(item: pytest.Item, attempt: Attempt, stop_ms: float, framework: str, thread: Optional[str],
          ids: Optional[list[int]]) -> dict[str, Any]:
    """One finished attempt of one test as the core's ``TestResult``."""
    suite, title = suite_and_title(item)
    for name in ("testrelay_title", "qase_title"):
        mark = item.get_closest_marker(name)
        if mark is not None and (mark.args or "title" in mark.kwargs):
            title = str(mark.args[0] if mark.args else mark.kwargs["title"])
            break
    fields: dict[str, str] = {}
    for mark in item.iter_markers("testrelay_fields"):
        for key, value in mark.kwargs.items():
            fields.setdefault(key, str(value))
    values, groups = params(item)
    started = attempt.started_at
    return {
        "title": title,
        "suite": suite,
        "testops_ids": ids,
        "node_id": item.nodeid,
        "outcome": {
            "framework": framework,
            "runner_status": attempt.runner_status,
            "phase": attempt.phase,
            "expected_status": "failed" if attempt.expected_failure else None,
            "strict": attempt.strict,
            "error": attempt.error,
        },
        "started_at": started,
        "duration": None if started is None else max(0.0, stop_ms - started),
        "params": values,
        "param_groups": groups,
        "fields": fields,
        "attachments": attachments(item),
        "message": attempt.message,
        "attempt": max(0, getattr(item, "execution_count", 1) - 1),
        "muted": item.get_closest_marker("testrelay_muted") is not None,
        "thread": thread,
    }


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
