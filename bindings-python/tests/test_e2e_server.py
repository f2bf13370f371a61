"""End to end against the local test server (tests/server, fake-qase): real pytest runs
through the plugin in testops mode — every outcome kind, xdist -n 2 / -n 4, reruns, faults.
Checks what the server stored: nothing lost, nothing duplicated, the run completed only when
everything was delivered, every payload valid for the official API v2 models."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import HERE, clean_env, report_results, run_pytest, validate_results
from test_outcomes import EXPECTED, PAYLOADS

sys.path.insert(0, str(HERE.parents[1] / "tests" / "server" / "client"))
from fake_qase import FakeQase, start_fake_qase  # noqa: E402

TOKEN = "tok-SECRET-9f2c"


@pytest.fixture
def server() -> Iterator[FakeQase]:
    with start_fake_qase(token=TOKEN, projects=["DEMO"]) as s:
        yield s


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    shutil.copy(HERE / "outcome_suite.py", tmp_path / "test_suite.py")
    return tmp_path


def env_for(server: FakeQase, folder: Path, **extra: str) -> dict[str, str]:
    return clean_env(
        QASE_TESTOPS_API_TOKEN=TOKEN, QASE_TESTOPS_PROJECT="DEMO", QASE_TESTOPS_API_HOST=server.url,
        QASE_REPORT_CONNECTION_PATH=str(folder / "fallback"), **extra,
    )


def only_run(server: FakeQase) -> dict[str, Any]:
    state = server.state()
    assert len(state["runs"]) == 1, state["runs"]
    return state["runs"][0]


def stored(run: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["payload"] for r in run["results"]]


def check_delivered(run: dict[str, Any], count: int = PAYLOADS) -> list[dict[str, Any]]:
    payloads = stored(run)
    validate_results(payloads)
    assert len(payloads) == count
    assert run["conflicting_duplicates"] == 0
    return payloads


def test_every_outcome_kind_is_uploaded_and_the_run_completed(server: FakeQase, suite: Path) -> None:
    out = run_pytest(suite, env=env_for(server, suite))
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text and TOKEN not in text
    run = only_run(server)
    payloads = check_delivered(run)
    assert {p["title"]: p["execution"]["status"] for p in payloads} == EXPECTED
    assert run["completed"] and run["complete_calls"] == 1
    assert run["duplicates"] == 0
    assert f"/run/DEMO/dashboard/{run['id']}" in text  # failure links
    assert not (suite / "fallback").exists()


@pytest.mark.parametrize("workers", ["2", "4"])
def test_xdist_workers_share_one_run_completed_by_the_controller(server: FakeQase, suite: Path,
                                                                  workers: str) -> None:
    out = run_pytest(suite, "-n", workers, env=env_for(server, suite))
    assert "INTERNALERROR" not in out.stdout + out.stderr
    run = only_run(server)
    payloads = check_delivered(run)
    assert {p["title"]: p["execution"]["status"] for p in payloads} == EXPECTED
    assert run["completed"] and run["complete_calls"] == 1
    assert run["duplicates"] == 0


def test_reruns_send_each_attempt_and_mark_the_late_pass_flaky(server: FakeQase, tmp_path: Path) -> None:
    (tmp_path / "test_flaky.py").write_text(
        "from pathlib import Path\n"
        "def test_flaky():\n"
        "    marker = Path(__file__).with_name('ran')\n"
        "    first = not marker.exists()\n"
        "    marker.write_text('x')\n"
        "    assert not first\n"
    )
    run_pytest(tmp_path, "--reruns", "2", env=env_for(server, tmp_path))
    payloads = check_delivered(only_run(server), 2)
    by_status = {p["execution"]["status"]: p for p in payloads}
    assert set(by_status) == {"failed", "passed"}
    assert (by_status["passed"].get("fields") or {}).get("is_flaky") == "true"


@pytest.mark.parametrize("fault", [
    {"upload": {"error": {"requests": [1], "status": 503}}},
    {"upload": {"drop": {"requests": [1]}}},
    {"upload": {"error": {"requests": [1], "after_store": True}}},
    {"upload": {"rate_limit": {"requests": [1], "retry_after": 1}}},
    {"upload": {"too_large": {"requests": [1]}}},
    {"create_run": {"error": {"requests": [1]}}},
])
def test_transient_faults_lose_and_duplicate_nothing(server: FakeQase, suite: Path, fault: dict[str, Any]) -> None:
    server.set_faults(fault)
    out = run_pytest(suite, "-n", "2", env=env_for(server, suite))
    assert "INTERNALERROR" not in out.stdout + out.stderr
    run = only_run(server)
    check_delivered(run)
    assert run["completed"]


def test_undelivered_results_go_to_the_fallback_and_the_run_stays_open(server: FakeQase, suite: Path) -> None:
    server.set_faults({"upload": {"error": {"probability": 1.0}}})
    out = run_pytest(suite, "-n", "2", env=env_for(server, suite, QASE_TESTOPS_UPLOADS_RETRIES="2"))
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text and TOKEN not in text
    run = only_run(server)
    assert not run["completed"] and run["complete_calls"] == 0
    assert run["results"] == []
    saved = report_results(suite / "fallback")
    validate_results(saved)
    assert len(saved) == PAYLOADS
    assert all(TOKEN not in f.read_text() for f in (suite / "fallback").rglob("*") if f.is_file())
    assert "left open" in text or "not complet" in text


BUGGY_HOST = """
import testrelay._host as host
from testrelay import PanicException

_http = host.Host._http


def _buggy_http(self, action):
    if action["purpose"] == "upload_results":
        raise {bug}("a bug in the host")
    return _http(self, action)


host.Host._http = _buggy_http
"""


# RuntimeError: a bug in the plugin's Python. PanicException: what pyo3 raises when the native
# code panics, a BaseException that `except Exception` lets through.
@pytest.mark.parametrize("bug", ["RuntimeError", "PanicException"])
def test_a_bug_in_the_host_loses_no_result(server: FakeQase, suite: Path, bug: str) -> None:
    # The background thread dies on its first upload; the tests go on, and at the end every
    # result (the ones the session held and the ones that came later) is in the fallback.
    (suite / "conftest.py").write_text(BUGGY_HOST.format(bug=bug))
    out = run_pytest(suite, env=env_for(server, suite, QASE_TESTOPS_BATCH_SIZE="2", QASE_TESTOPS_UPLOADS_RETRIES="1"))
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text and TOKEN not in text
    assert f"reporting stopped: {bug}: a bug in the host" in text
    run = only_run(server)
    assert run["results"] == [] and not run["completed"]
    saved = report_results(suite / "fallback")
    validate_results(saved)
    assert len(saved) == PAYLOADS
    assert {p["title"]: p["execution"]["status"] for p in saved} == EXPECTED
    assert "could not be saved" not in text


PANICKY_SESSION = """
import testrelay._host as host
from testrelay import PanicException

_init = host.Host.__init__


class Panicky:
    # The native session, except that a result titled test_passes panics its bulk call.
    def __init__(self, session):
        self._session = session

    def __getattr__(self, name):
        return getattr(self._session, name)

    def add_results(self, now, results):
        if any(r["title"] == "test_passes" for r in results):
            raise PanicException("a panic in the core")
        return self._session.add_results(now, results)


def _init_panicky(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self._session = Panicky(self._session)


host.Host.__init__ = _init_panicky
"""


def test_a_result_that_panics_the_core_costs_only_itself(server: FakeQase, suite: Path) -> None:
    # The bulk call panics; the results are then added one by one, the one that panics is
    # named, and every other one is delivered.
    (suite / "conftest.py").write_text(PANICKY_SESSION)
    out = run_pytest(suite, env=env_for(server, suite))
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text and "reporting stopped" not in text
    assert "'test_suite.py::test_passes' refused: a panic in the core (PanicException)" in text
    payloads = check_delivered(only_run(server), PAYLOADS - 1)
    assert {p["title"]: p["execution"]["status"] for p in payloads} == {
        title: status for title, status in EXPECTED.items() if title != "test_passes"
    }


def test_an_interrupted_session_keeps_its_results_and_leaves_the_run_open(server: FakeQase, tmp_path: Path) -> None:
    (tmp_path / "test_stop.py").write_text(
        "def test_a():\n    pass\n\n"
        "def test_b():\n    assert False\n\n"
        "def test_stop():\n    raise KeyboardInterrupt\n\n"
        "def test_never():\n    pass\n"
    )
    out = run_pytest(tmp_path, env=env_for(server, tmp_path))
    assert "INTERNALERROR" not in out.stdout
    run = only_run(server)
    assert {p["title"]: p["execution"]["status"] for p in check_delivered(run, 2)} == \
        {"test_a": "passed", "test_b": "failed"}
    assert not run["completed"]
