"""End to end against a hostile server (tests/server's fake-qase with hang, drip, slow and
redirect faults): real pytest runs through the plugin, with and without xdist. Each scenario
holds the same invariant: every result is either stored by the server or in the fallback
report, never both and never neither; the run is completed exactly when nothing is in the
fallback; pytest's exit code is its own; the token goes nowhere but the API; and the end is
bounded by the upload deadline plus a few seconds (the measured wait is printed)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import clean_env, report_results, run_pytest
from test_e2e_server import TOKEN, FakeQase, server, start_fake_qase

__all__ = ["server"]  # the fake Qase of test_e2e_server, used as a fixture here too

TESTS = 24
DEADLINE_MS = 3_000
# Bounds kept small so a hostile scenario costs seconds; the rules are the defaults' rules.
BOUNDS = {
    "QASE_TESTOPS_BATCH_SIZE": "5",
    "QASE_TESTOPS_UPLOADS_REQUEST_TIMEOUT_MS": "1000",
    "QASE_TESTOPS_UPLOADS_DEADLINE_MS": str(DEADLINE_MS),
    "QASE_TESTOPS_START_TIMEOUT_MS": "1500",
}
# What the end may take beyond the deadline (process exit, writing the fallback).
END_SLACK_S = 8.0

SUITE = f'''
import time
from pathlib import Path

import pytest


@pytest.mark.parametrize("n", range({TESTS}))
def test_step(n):
    # The last test to finish leaves its time: the end wait is counted from there.
    Path(__file__).with_name("last-test-ended").write_text(repr(time.time()))
'''


@pytest.fixture
def elsewhere() -> Iterator[FakeQase]:
    """A second server a hostile redirect points to: it must never see the token."""
    with start_fake_qase(token=TOKEN, projects=["DEMO"]) as s:
        yield s


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    (tmp_path / "test_hostile_suite.py").write_text(SUITE)
    return tmp_path


def run(server_url: str, suite: Path, *args: str, **env: str) -> tuple[str, float, int]:
    """Runs the suite; the output, the end wait (s) after the last test, the exit code."""
    settings = {
        "QASE_TESTOPS_API_TOKEN": TOKEN, "QASE_TESTOPS_PROJECT": "DEMO", "QASE_TESTOPS_API_HOST": server_url,
        "QASE_REPORT_CONNECTION_PATH": str(suite / "fallback"), **BOUNDS, **env,
    }
    out = run_pytest(suite, *args, env=clean_env(**settings))
    ended = time.time()
    wait = ended - float((suite / "last-test-ended").read_text())
    return out.stdout + out.stderr, wait, out.returncode


def ids_stored(server: FakeQase) -> list[str]:
    return [r["id"] for run in server.state()["runs"] for r in run["results"]]


def holds_the_invariant(server: FakeQase, suite: Path, text: str, wait: float, code: int, what: str) -> tuple[set[str], set[str]]:
    """The invariant of every scenario; returns (delivered, fallback) ids."""
    stored = ids_stored(server)
    delivered = set(stored)
    fallback = {r["id"] for r in report_results(suite / "fallback")} if (suite / "fallback").exists() else set()
    print(f"end wait: {wait:.1f} s ({what}); delivered {len(delivered)}, fallback {len(fallback)}")
    assert "INTERNALERROR" not in text
    assert code == 0, text  # every test passes: reporting never changes the exit code
    assert len(stored) == len(delivered), "a result stored twice"
    assert not delivered & fallback, "a result both delivered and in the fallback"
    assert len(delivered | fallback) == TESTS, text
    completed = [r["completed"] for r in server.state()["runs"]]
    assert completed in ([], [False], [True]), completed
    assert (completed == [True]) == (not fallback), text
    assert TOKEN not in text
    for f in (suite / "fallback").rglob("*") if (suite / "fallback").exists() else ():
        if f.is_file():
            assert TOKEN not in f.read_text(errors="replace")
    assert wait < DEADLINE_MS / 1000 + END_SLACK_S, f"the end took {wait:.1f} s"
    return delivered, fallback


XDIST = [pytest.param((), id="one process"), pytest.param(("-n", "2"), id="xdist -n 2")]


@pytest.mark.parametrize("args", XDIST)
def test_every_upload_hangs_everything_is_saved_and_the_end_is_bounded(server: FakeQase, suite: Path,
                                                                        args: tuple[str, ...]) -> None:
    server.set_faults({"upload": {"hang": {"probability": 1.0}}})
    text, wait, code = run(server.url, suite, *args)
    delivered, fallback = holds_the_invariant(server, suite, text, wait, code, f"every upload hangs, {args}")
    assert not delivered and len(fallback) == TESTS


@pytest.mark.parametrize("args", XDIST)
def test_a_hanging_upload_is_retried_and_nothing_is_lost(server: FakeQase, suite: Path, args: tuple[str, ...]) -> None:
    server.set_faults({"upload": {"hang": {"requests": [1]}}})
    text, wait, code = run(server.url, suite, *args)
    delivered, fallback = holds_the_invariant(server, suite, text, wait, code, f"first upload hangs, {args}")
    assert len(delivered) == TESTS and not fallback


def test_a_server_that_drips_its_answer_is_given_up_on(server: FakeQase, suite: Path) -> None:
    # One byte every 400 ms never trips a socket's read timeout; the request's deadline does.
    server.set_faults({"upload": {"drip": {"probability": 1.0, "interval_ms": 400}}})
    text, wait, code = run(server.url, suite)
    delivered, fallback = holds_the_invariant(server, suite, text, wait, code, "every upload drips")
    assert not delivered and len(fallback) == TESTS


def test_a_slow_answer_within_the_timeout_is_delivered(server: FakeQase, suite: Path) -> None:
    server.set_faults({"upload": {"slow": {"probability": 1.0, "delay_ms": 600}}})
    text, wait, code = run(server.url, suite)
    delivered, fallback = holds_the_invariant(server, suite, text, wait, code, "every upload answered after 0.6 s")
    assert len(delivered) == TESTS and not fallback


@pytest.mark.parametrize("args", XDIST)
def test_a_hanging_create_run_costs_only_the_start_bound(server: FakeQase, suite: Path, args: tuple[str, ...]) -> None:
    server.set_faults({"create_run": {"hang": {"probability": 1.0}}})
    text, wait, code = run(server.url, suite, *args)
    delivered, fallback = holds_the_invariant(server, suite, text, wait, code, f"create-run hangs, {args}")
    assert not delivered and len(fallback) == TESTS
    assert server.state()["runs"] == []
    assert text.count("could not open the test run") == 1, text


def test_an_unreachable_host_costs_seconds_not_minutes(suite: Path) -> None:
    # Nothing listens on port 9: connection refused, retried only until the start bound.
    started = time.monotonic()
    text, wait, code = run("http://127.0.0.1:9", suite, QASE_TESTOPS_START_TIMEOUT_MS="5000",
                           QASE_TESTOPS_UPLOADS_DEADLINE_MS="30000")
    total = time.monotonic() - started
    fallback = report_results(suite / "fallback")
    print(f"unreachable host: whole run {total:.1f} s, end wait {wait:.1f} s")
    assert code == 0 and "INTERNALERROR" not in text and TOKEN not in text
    assert len(fallback) == TESTS
    assert wait < 5 + END_SLACK_S


@pytest.mark.parametrize("endpoint, status", [("upload", 307), ("create_run", 302)])
def test_a_redirect_to_another_host_never_carries_the_token(server: FakeQase, elsewhere: FakeQase, suite: Path,
                                                             endpoint: str, status: int) -> None:
    location = f"{elsewhere.url}/v1/run/DEMO" if endpoint == "create_run" else f"{elsewhere.url}/v2/DEMO/run/1/results"
    server.set_faults({endpoint: {"redirect": {"requests": [1], "status": status, "location": location}}})
    text, wait, code = run(server.url, suite)
    delivered, fallback = holds_the_invariant(server, suite, text, wait, code, f"{status} on {endpoint} to another host")
    assert not any(r["token"] for r in elsewhere.state()["requests"]), "the token reached another host"
    assert elsewhere.state()["requests"] == []
    assert text.count("not followed: the token is only sent to") == 1
    assert fallback, "the redirected results are saved, and the run is left open"


def test_a_same_origin_redirect_is_followed(server: FakeQase, suite: Path) -> None:
    server.set_faults({"upload": {"redirect": {"requests": [1], "status": 307}}})
    text, wait, code = run(server.url, suite)
    delivered, fallback = holds_the_invariant(server, suite, text, wait, code, "a same-origin 307")
    assert len(delivered) == TESTS and not fallback


@pytest.mark.parametrize("token", ["tok-SECRET\nX-Evil: 1", "tök-SECRET"])
def test_a_token_that_cannot_be_a_header_is_refused_and_never_printed(server: FakeQase, suite: Path, token: str) -> None:
    text, _, code = run(server.url, suite, QASE_TESTOPS_API_TOKEN=token)
    assert code == 0 and "INTERNALERROR" not in text
    assert "SECRET" not in text
    assert "QASE_TESTOPS_API_TOKEN" in text
    assert server.state()["requests"] == []
    assert len(report_results(suite / "fallback")) == TESTS  # the report path: written locally


def test_a_project_code_cannot_reach_another_endpoint(server: FakeQase, suite: Path) -> None:
    text, _, code = run(server.url, suite, QASE_TESTOPS_PROJECT="../../v1/run/X/1000/complete?")
    assert code == 0 and "INTERNALERROR" not in text
    assert "QASE_TESTOPS_PROJECT" in text
    assert server.state()["requests"] == []


def test_results_python_cannot_spell_in_json_are_still_reported(server: FakeQase, tmp_path: Path) -> None:
    # A lone surrogate in a title and a case id beyond 64 bits: mended (U+FFFD; the id dropped
    # with a warning), never refused.
    (tmp_path / "test_odd.py").write_text(
        "import pytest\n"
        "@pytest.mark.parametrize('word', ['a\\ud800b'])\n"
        "def test_odd(word):\n"
        "    assert word\n"
        "@pytest.mark.testrelay_id(10**30)\n"
        "def test_huge_id():\n"
        "    pass\n"
    )
    out = run_pytest(tmp_path, env=clean_env(QASE_TESTOPS_API_TOKEN=TOKEN, QASE_TESTOPS_PROJECT="DEMO",
                                             QASE_TESTOPS_API_HOST=server.url))
    text = out.stdout + out.stderr
    assert "refused" not in text and "INTERNALERROR" not in text, text
    stored = [r["payload"] for run in server.state()["runs"] for r in run["results"]]
    assert len(stored) == 2, text
    assert server.state()["runs"][0]["completed"]



def test_a_crashed_xdist_worker_is_said_and_the_run_left_open(server: FakeQase, tmp_path: Path) -> None:
    (tmp_path / "test_crash.py").write_text(
        "import os\n"
        "import pytest\n"
        "@pytest.mark.parametrize('n', range(6))\n"
        "def test_before(n):\n"
        "    pass\n"
        "def test_crash():\n"
        "    os._exit(3)\n"
    )
    out = run_pytest(tmp_path, "-n", "2", "-p", "no:randomly",
                     env=clean_env(QASE_TESTOPS_API_TOKEN=TOKEN, QASE_TESTOPS_PROJECT="DEMO",
                                   QASE_TESTOPS_API_HOST=server.url, **BOUNDS))
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text
    assert "ended without its receipt (it crashed running test_crash.py::test_crash, which is not reported)" in text, text
    assert "may be undelivered; the run is left open" in text
    (run,) = server.state()["runs"]
    assert not run["completed"]
