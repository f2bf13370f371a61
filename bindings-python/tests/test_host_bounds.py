"""How long the end of a pytest session waits for the core: always longer than the core's own
upload deadline (`testops.uploads.deadlineMs`), after which the core saves what is undelivered
and finishes by itself. A fixed 120 s wait gave up first under a longer configured deadline,
and the results the core still held died with pytest's process, neither delivered nor saved."""

from __future__ import annotations

from typing import Any, Optional

import pytest

from testrelay.pytest_plugin import FINISH_MARGIN_S, start_host


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
