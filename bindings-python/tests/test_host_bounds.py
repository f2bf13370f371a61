"""How long the end of a pytest session (and the complete-run CLI) waits for the core: always
longer than the core's own upload deadline (`testops.uploads.deadlineMs`), after which the core
saves what is undelivered and finishes by itself. A fixed 120 s wait gave up first under a
longer configured deadline, and the results the core still held died with pytest's process,
neither delivered nor saved; the CLI's fixed 300 s gave up while the session still retried."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

import pytest

from testrelay import cli, host
from testrelay.pytest_plugin import start_host


def sources(**env: str) -> dict[str, Any]:
    return {"options": None, "file": None, "env": {"QASE_MODE": "report", **env}, "cli": None}


@pytest.mark.parametrize("deadline_ms, waits_s", [
    (None, 30 + 10),  # the core's default deadline, 30 s, and its 10 s margin
    ("300000", 300 + 10),
    ("1000", 1 + 10),
])
def test_the_end_waits_longer_than_the_cores_own_upload_deadline(deadline_ms: Optional[str], waits_s: float) -> None:
    said: list[str] = []
    env = {} if deadline_ms is None else {"QASE_TESTOPS_UPLOADS_DEADLINE_MS": deadline_ms}
    session = start_host(None, sources(**env), lambda level, message: said.append(message))  # type: ignore[arg-type]
    assert session is not None and session.host is not None, said
    assert session.host.finish_timeout_s == waits_s
    assert said == []


@pytest.mark.parametrize("deadline_ms, waits_s", [(None, 30 + 10), ("600000", 600 + 10)])
def test_complete_run_waits_longer_than_the_cores_own_upload_deadline(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, deadline_ms: Optional[str], waits_s: float) -> None:
    waited: list[float] = []
    monkeypatch.chdir(tmp_path)  # no qase.config.json: the env alone

    class Recorder:
        def __init__(self, src: dict[str, Any], log: Any, *, finish_timeout_s: float, instance: str,
                     options: dict[str, Any]) -> None:
            waited.append(finish_timeout_s)
            self._thread: Any = None

        def send(self, event: dict[str, Any]) -> None:
            assert event == {"event": "complete_run_requested"}

        def start(self) -> None:
            self._thread = object()

        def finish(self) -> dict[str, Any]:
            return {"completed": True}

    monkeypatch.setattr(host, "Host", Recorder)
    for key in [k for k in os.environ if k.startswith("QASE_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("QASE_MODE", "testops")
    monkeypatch.setenv("QASE_TESTOPS_PROJECT", "DEMO")
    monkeypatch.setenv("QASE_TESTOPS_API_TOKEN", "t")
    if deadline_ms is not None:
        monkeypatch.setenv("QASE_TESTOPS_UPLOADS_DEADLINE_MS", deadline_ms)
    assert cli.complete_run(7, None, []) == cli.EXIT_COMPLETED
    assert waited == [waits_s]
