"""The host transcripts (tests/host-transcripts/, SPEC §13) through the Python host loop: the
real ``Host`` of ``testrelay.host`` (its background thread, a thread per request) with a fake
HTTP client that answers from the script. The Node host runs the same file
(bindings-node/test/host-transcripts.test.mjs); both must give the exact requests, files and
lines the file states."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import urllib3

from testrelay.host import Host

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "host-transcripts" / "transcripts.json").read_text())["cases"]
TOKEN = "tok-TRANSCRIPT-31f"
BASE = "http://qase.test"


def purpose_of(method: str, path: str) -> str:
    """What the fake server knows: which purpose a request has, by method and path."""
    if re.fullmatch(r"/v2/[^/]+/run/\d+/results", path):
        return "upload_results"
    if re.fullmatch(r"/v1/run/[^/]+/\d+/complete", path):
        return "complete_run"
    if method == "GET" and re.fullmatch(r"/v1/run/[^/]+/\d+", path):
        return "check_run"
    if method == "POST" and re.fullmatch(r"/v1/run/[^/]+", path):
        return "create_run"
    if path.startswith("/v1/attachment/"):
        return "upload_attachment"
    return "unknown"


class Response:
    def __init__(self, status: int, body: str, headers: dict[str, str]):
        self.status = status
        self.data = body.encode()
        self.headers = urllib3.HTTPHeaderDict(headers)


class FakePool:
    """urllib3.PoolManager's ``request`` as the host calls it, answering from the script."""

    def __init__(self, answers: dict[str, list[dict[str, Any]]]):
        self.queues = {k: list(v) for k, v in answers.items()}
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.closed = threading.Event()

    def request(self, method: str, url: str, headers: dict[str, str], redirect: bool, timeout: Any,
                **send: Any) -> Response:
        path = urlsplit(url).path
        purpose = purpose_of(method, path)
        assert headers["Token"] == TOKEN, "the token is put in for its placeholder"
        assert redirect is False
        with self.lock:
            self.requests.append(f"{method} {path} {purpose}")
            queue = self.queues.get(purpose) or []
            answer = queue.pop(0) if queue else {"status": 500, "body": "no scripted answer"}
        if answer.get("fail"):
            raise urllib3.exceptions.ProtocolError(answer["fail"])
        if answer.get("hang"):
            # No answer: the session gives up at the request's timeout; this thread is a daemon.
            self.closed.wait(timeout.total + 5)
            raise urllib3.exceptions.ReadTimeoutError(None, url, "read timed out")  # type: ignore[arg-type]
        return Response(answer["status"], answer.get("body", ""), answer.get("headers", {}))


def files_under(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_host_transcript(case: dict[str, Any], tmp_path: Path) -> None:
    report = tmp_path / "report"
    env = {"QASE_TESTOPS_API_TOKEN": TOKEN, "QASE_TESTOPS_PROJECT": "DEMO", "QASE_TESTOPS_API_HOST": BASE,
           "QASE_REPORT_CONNECTION_PATH": str(report), **case["env"]}
    pool = FakePool(case["answers"])
    lines: list[str] = []
    host = Host({"options": None, "file": None, "env": env, "cli": None}, lambda level, message: lines.append(message),
                finish_timeout_s=30, instance="transcript", pool=pool)
    host.start()
    for title in case["results"]:
        host.add_result({"title": title, "suite": ["transcript"], "outcome": {"framework": "other", "runner_status": "passed"},
                         "started_at": 1_795_320_406_000, "duration": 1})
    if case.get("interrupted"):
        host.send({"event": "run_interrupted"})
    receipt = host.finish()
    pool.closed.set()
    assert receipt is not None
    expected = case["expected"]
    assert pool.requests == expected["requests"]
    assert files_under(report) == expected["files"]
    assert [line.replace(str(report), "{report}") for line in lines] == expected["lines"]
    for key, want in expected["receipt"].items():
        assert receipt[key] == want, key
    assert TOKEN not in json.dumps([lines, receipt, files_under(report)])
