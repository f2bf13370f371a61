"""The Robot Framework listener end to end: real ``robot`` runs of robot_suite/ through
``--listener testrelay.robot``, in report mode and against the local test server (fake-qase),
checking what was written or stored, field by field, and that Robot's exit code is the one it
gives without the listener."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import HERE, clean_env, report_results, validate_results

sys.path.insert(0, str(HERE.parents[1] / "tests" / "server" / "client"))
from fake_qase import FakeQase, start_fake_qase  # noqa: E402

pytest.importorskip("robot", reason="robotframework is installed by scripts/setup.d/40-python.sh")

SUITE = HERE / "robot_suite"
TOKEN = "tok-ROBOT-7c1e"
CART = ["Robot Suite", "Shop", "Cart"]
# Every test of robot_suite/ but "Ignored" (tag qase.ignore), with the status testrelay gives it.
EXPECTED = {
    "Adds An Item": "passed",
    "Total Is Wrong": "failed",  # Should Be Equal did not hold
    "Setup Fails": "invalid",
    "Teardown Fails": "invalid",  # its body passed
    "Missing Keyword": "invalid",
    "Divides By Zero": "invalid",  # ZeroDivisionError from a Python keyword
    "Skipped": "skipped",
    "With Fields": "passed",
    "Pays By Card": "invalid",  # its parent suite's setup failed
    "Shows The Profile": "invalid",  # its parent suite's teardown failed after it passed
}
# Robot's own verdict on robot_suite/: 7 of its 11 tests fail.
ROBOT_FAILURES = 7


def robot_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in clean_env(**extra).items() if not k.startswith("ROBOT_")}
    return env


def run_robot(cwd: Path, env: dict[str, str], *args: str, suite: Path = SUITE,
              listener: bool = True) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "robot", *(["--listener", "testrelay.robot"] if listener else []),
               "--output", "NONE", "--report", "NONE", "--log", "NONE", *args, str(suite)]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def by_title(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found = {r["title"]: r for r in results}
    assert len(found) == len(results), "a test was reported twice"
    return found


def suite_of(result: dict[str, Any]) -> list[str]:
    return [s["title"] for s in result["relations"]["suite"]["data"]]


def shape(steps: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Steps without their times: (action, input data, status, nested steps)."""
    return [(s["data"]["action"], s["data"].get("input_data"), s["execution"]["status"], shape(s.get("steps", [])))
            for s in steps]


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict[str, dict[str, Any]]]:
    """One run of robot_suite/ in report mode, shared by the tests that read its report."""
    folder = tmp_path_factory.mktemp("robot-report")
    out = run_robot(folder, robot_env(QASE_MODE="report", QASE_REPORT_CONNECTION_PATH=str(folder / "report")))
    results = report_results(folder / "report")
    validate_results(results)
    return out, by_title(results)


def test_robot_exit_code_is_its_own(reported: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
                                    tmp_path: Path) -> None:
    alone = run_robot(tmp_path, robot_env(), listener=False)
    assert alone.returncode == ROBOT_FAILURES
    assert reported[0].returncode == alone.returncode
    assert "testrelay: 10 results written" in reported[0].stdout


def test_every_status_kind(reported: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    results = reported[1]
    assert {title: r["execution"]["status"] for title, r in results.items()} == EXPECTED


def test_case_ids_fields_and_params_from_tags(reported: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    results = reported[1]
    item = results["Adds An Item"]
    assert item["testops_ids"] == [12]
    # Other tags go to the result's tags field; the documentation is the description.
    assert item["fields"] == {"description": "Two items make a total of 5.", "tags": "smoke"}
    # qase-robotframework's signature: ids, then suites and name, lowercased, spaces as "_".
    assert item["signature"] == "12::robot_suite::shop::cart::adds_an_item"
    fields = results["With Fields"]
    assert fields["fields"] == {"severity": "major", "layer": "api"}
    assert fields["params"] == {"plan": "gold"}
    assert fields["signature"] == "robot_suite::shop::cart::with_fields::{plan:gold}"
    assert [t for t, r in results.items() if r.get("testops_ids")] == ["Adds An Item"]


def test_nested_suites_are_the_suite_path(reported: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    results = reported[1]
    assert suite_of(results["Total Is Wrong"]) == CART
    assert suite_of(results["Pays By Card"]) == ["Robot Suite", "Suite Setup", "Checkout"]
    assert suite_of(results["Shows The Profile"]) == ["Robot Suite", "Suite Teardown", "Profile"]


def test_keywords_are_nested_steps(reported: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    results = reported[1]
    assert shape(results["Adds An Item"]["steps"]) == [
        ("${total} = Add Items", "2    3", "passed", [
            ("${sum} = Evaluate", "${a} + ${b}", "passed", []),
            ("RETURN    ${sum}", None, "passed", []),
        ]),
        ("FOR    ${item}    IN    apple    pear", None, "passed", [
            ("${item} = apple", None, "passed", [("Log", "${item}", "passed", [])]),
            ("${item} = pear", None, "passed", [("Log", "${item}", "passed", [])]),
        ]),
        ("Should Be Equal As Integers", "${total}    5", "passed", []),
    ]
    assert shape(results["Total Is Wrong"]["steps"]) == [("Should Be Equal", "${1}    ${2}", "failed", [])]
    assert shape(results["Setup Fails"]["steps"]) == [("[Setup] Fail", "database not reachable", "failed", [])]
    assert shape(results["Teardown Fails"]["steps"]) == [
        ("Log", "body passes", "passed", []),
        ("[Teardown] Fail", "cleanup failed", "failed", []),
    ]
    step = results["Adds An Item"]["steps"][0]["execution"]
    assert step["start_time"] > 0 and step["end_time"] >= step["start_time"] and step["duration"] >= 0


def test_messages_and_times_are_robots(reported: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    results = reported[1]
    assert results["Total Is Wrong"]["message"] == "1 != 2"
    assert results["Setup Fails"]["message"] == "Setup failed:\ndatabase not reachable"
    assert results["Missing Keyword"]["message"] == "No keyword with name 'Open The Shop' found."
    assert results["Divides By Zero"]["message"] == "ZeroDivisionError: division by zero"
    assert results["Skipped"]["message"] == "not today"
    assert results["Pays By Card"]["message"] == "Parent suite setup failed:\nserver did not start"
    assert results["Shows The Profile"]["message"] == "Parent suite teardown failed:\ncould not close the browser"
    assert "message" not in results["Adds An Item"]
    for result in results.values():
        execution = result["execution"]
        assert execution["start_time"] > 0 and execution["end_time"] >= execution["start_time"]


@pytest.fixture
def server() -> Iterator[FakeQase]:
    with start_fake_qase(token=TOKEN, projects=["DEMO"]) as s:
        yield s


def env_for(server: FakeQase, folder: Path, **extra: str) -> dict[str, str]:
    return robot_env(QASE_TESTOPS_API_TOKEN=TOKEN, QASE_TESTOPS_PROJECT="DEMO", QASE_TESTOPS_API_HOST=server.url,
                     QASE_REPORT_CONNECTION_PATH=str(folder / "fallback"), **extra)


def only_run(server: FakeQase) -> dict[str, Any]:
    state = server.state()
    assert len(state["runs"]) == 1, state["runs"]
    return state["runs"][0]


def stored_once(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    payloads = [r["payload"] for r in run["results"]]
    validate_results(payloads)
    assert run["conflicting_duplicates"] == 0
    return by_title(payloads)


@pytest.mark.parametrize("fault", [None, {"upload": {"error": {"requests": [1]}}}], ids=["clean", "first-upload-fails"])
def test_everything_stored_once_and_the_run_completed(server: FakeQase, tmp_path: Path, fault: Any) -> None:
    if fault is not None:
        server.set_faults(fault)
    out = run_robot(tmp_path, env_for(server, tmp_path))
    assert out.returncode == ROBOT_FAILURES
    assert TOKEN not in out.stdout + out.stderr
    run = only_run(server)
    stored = stored_once(run)
    assert {title: p["execution"]["status"] for title, p in stored.items()} == EXPECTED
    assert stored["Adds An Item"]["testops_ids"] == [12]
    assert run["completed"] and run["complete_calls"] == 1
    assert not (tmp_path / "fallback").exists()


def test_undelivered_results_go_to_the_fallback_and_the_run_stays_open(server: FakeQase, tmp_path: Path) -> None:
    server.set_faults({"upload": {"error": {"probability": 1.0}}})
    out = run_robot(tmp_path, env_for(server, tmp_path, QASE_TESTOPS_UPLOADS_RETRIES="1"))
    assert out.returncode == ROBOT_FAILURES
    run = only_run(server)
    assert run["results"] == [] and not run["completed"] and run["complete_calls"] == 0
    saved = report_results(tmp_path / "fallback")
    validate_results(saved)
    assert {r["title"]: r["execution"]["status"] for r in saved} == EXPECTED
    assert all(TOKEN not in f.read_text() for f in (tmp_path / "fallback").rglob("*") if f.is_file())


INTERRUPTED = """\
*** Settings ***
Library    signals.py

*** Test Cases ***
Runs First
    Log    before the signal

Gets The Signal
    Send Ctrl C
    Log    never runs

Never Starts
    Log    never runs
"""


def test_an_interrupted_run_is_left_open_without_the_tests_that_never_started(server: FakeQase, tmp_path: Path) -> None:
    suite = tmp_path / "interrupted"
    suite.mkdir()
    (suite / "run.robot").write_text(INTERRUPTED)
    # Robot stops gracefully on the first SIGINT: the running keyword fails, later tests fail
    # without starting.
    (suite / "signals.py").write_text("import os, signal\n\n\ndef send_ctrl_c():\n"
                                      "    os.kill(os.getpid(), signal.SIGINT)\n")
    alone = run_robot(tmp_path, robot_env(), suite=suite, listener=False)
    out = run_robot(tmp_path, env_for(server, tmp_path), suite=suite)
    assert out.returncode == alone.returncode == 2
    run = only_run(server)
    stored = stored_once(run)
    assert {title: p["execution"]["status"] for title, p in stored.items()} == {
        "Runs First": "passed",
        "Gets The Signal": "failed",  # interrupted, as Playwright's interrupted tests
    }
    assert not run["completed"] and run["complete_calls"] == 0


def test_a_dry_run_reports_nothing(tmp_path: Path) -> None:
    out = run_robot(tmp_path, robot_env(QASE_MODE="report", QASE_REPORT_CONNECTION_PATH=str(tmp_path / "report")),
                    "--dryrun")
    assert out.returncode != 0  # the missing keyword fails a dry run too
    assert "a dry run executes no test; nothing is reported" in out.stdout
    assert not (tmp_path / "report").exists()
