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

from testrelay import _host, cli
from testrelay._host import FINISH_MARGIN_S
from testrelay.pytest_plugin import start_host


def sources(**env: str) -> dict[str, Any]:
    return {"options": None, "file": None, "env": {"QASE_MODE": "report", **env}, "cli": None}


@pytest.mark.parametrize("deadline_ms, waits_s", [
    (None, 30 + FINISH_MARGIN_S),  # the core's default deadline, 30 s
    ("300000", 300 + FINISH_MARGIN_S),
    ("1000", 1 + FINISH_MARGIN_S),
])
def test_the_end_waits_longer_than_the_cores_own_upload_deadline(deadline_ms: Optional[str], waits_s: float) -> None:
    said: list[str] = []
    env = {} if deadline_ms is None else {"QASE_TESTOPS_UPLOADS_DEADLINE_MS": deadline_ms}
    host = start_host(None, sources(**env), lambda level, message: said.append(message))  # type: ignore[arg-type]
    assert host is not None, said
    assert host.finish_timeout_s == waits_s
    assert said == []


@pytest.mark.parametrize("deadline_ms, waits_s", [(None, 30 + FINISH_MARGIN_S), ("600000", 600 + FINISH_MARGIN_S)])
def test_complete_run_waits_longer_than_the_cores_own_upload_deadline(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, deadline_ms: Optional[str], waits_s: float) -> None:
    waited: list[float] = []
    monkeypatch.chdir(tmp_path)  # no qase.config.json: the env alone

    class Recorder:
        def __init__(self, src: dict[str, Any], log: Any, *, finish_timeout_s: float) -> None:
            waited.append(finish_timeout_s)

        def send(self, event: dict[str, Any]) -> None:
            assert event == {"event": "complete_run_requested"}

        def start(self) -> None:
            pass

        def finish(self) -> dict[str, Any]:
            return {"completed": True}

    monkeypatch.setattr(_host, "Host", Recorder)
    for key in [k for k in os.environ if k.startswith("QASE_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("QASE_MODE", "testops")
    monkeypatch.setenv("QASE_TESTOPS_PROJECT", "DEMO")
    monkeypatch.setenv("QASE_TESTOPS_API_TOKEN", "t")
    if deadline_ms is not None:
        monkeypatch.setenv("QASE_TESTOPS_UPLOADS_DEADLINE_MS", deadline_ms)
    assert cli.complete_run(7, None, []) == cli.EXIT_COMPLETED
    assert waited == [waits_s]
