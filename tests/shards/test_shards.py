"""End to end: one run across shards and workers (issue 9), on this machine.

Six CI "jobs" report into one run created up front on fake-qase, each with its own token (a
named client, so a fault can hit one job): 4 Playwright shard processes (``--shard=i/4``) and
2 pytest jobs of ``-n 2`` workers. Every reporter writes its receipt; then ``testrelay
complete-run`` (the npm and the Python package's) decides from them. All delivered: exactly one
complete call. One job's connection lost for good: no complete call, the job named with the
exact number of results it is short by. The counts are compared with the server's record.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "server" / "client"))
from fake_qase import FakeQase, start_fake_qase  # noqa: E402

NODE_PKG = ROOT / "bindings-node"
PW_TESTS, JOB_A_TESTS, JOB_B_TESTS = 16, 10, 12
TOTAL = PW_TESTS + JOB_A_TESTS + JOB_B_TESTS
SHARDS = [f"shard-{i}-of-4" for i in range(1, 5)]  # the reporter's default job names
PY_JOBS = {"pytest-a": "test_job_a.py", "pytest-b": "test_job_b.py"}
JOBS = SHARDS + list(PY_JOBS)
TOKEN = "shards-complete-token-93ab"
TOKENS = {job: f"tok-{job}-7c1d" for job in JOBS}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeQase]:
    with start_fake_qase(token=TOKEN, clients=TOKENS, projects=["DEMO"]) as s:
        yield s


def job_env(server: FakeQase, run_id: int, receipts: Path, token: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QASE_", "TESTRELAY_"))}
    env.update({
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
        "FORCE_COLOR": "0",
        "QASE_MODE": "testops",
        "QASE_TESTOPS_API_TOKEN": token,
        "QASE_TESTOPS_API_HOST": server.url,
        "QASE_TESTOPS_PROJECT": "DEMO",
        "QASE_TESTOPS_RUN_ID": str(run_id),
        "QASE_REPORT_CONNECTION_PATH": str(tmp / "fallback"),
        # A job that lost its connection gives up in seconds, not the default 30 s.
        "QASE_TESTOPS_UPLOADS_RETRIES": "2",
        "QASE_TESTOPS_UPLOADS_DEADLINE_MS": "4000",
        "TESTRELAY_RECEIPTS_DIR": str(receipts),
    })
    return env


def run_jobs(server: FakeQase, run_id: int, receipts: Path, tmp: Path) -> dict[str, str]:
    """All six jobs at once, as CI would; returns each job's output."""
    procs = {}
    for i, job in enumerate(SHARDS, start=1):
        env = job_env(server, run_id, receipts, TOKENS[job], tmp / job)
        env["TESTRELAY_PW_OUTPUT"] = str(tmp / job / "pw")
        procs[job] = subprocess.Popen(
            ["node", "node_modules/@playwright/test/cli.js", "test", "-c",
             "test/fixtures/shards/playwright.config.mjs", f"--shard={i}/4"],
            cwd=NODE_PKG, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for job, file in PY_JOBS.items():
        env = job_env(server, run_id, receipts, TOKENS[job], tmp / job)
        env["TESTRELAY_JOB"] = job
        procs[job] = subprocess.Popen(
            [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "-q", file],
            cwd=ROOT / "tests" / "shards" / "suite", env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return {job: p.communicate(timeout=150)[0] for job, p in procs.items()}


def complete_run(which: str, server: FakeQase, run_id: int, receipts: Path, jobs: list[str]) -> tuple[int, str]:
    cmd = {
        "node": ["node", str(NODE_PKG / "bin" / "testrelay.js")],
        "python": [str(Path(sys.executable).parent / "testrelay")],
    }[which]
    env = job_env(server, run_id, receipts, TOKEN, receipts.parent)
    done = subprocess.run([*cmd, "complete-run", "--receipts", str(receipts), "--expect-jobs", ",".join(jobs)],
                          env=env, capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert TOKEN not in out
    return done.returncode, out


def receipts_of(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def run_state(server: FakeQase, run_id: int) -> dict[str, Any]:
    return next(r for r in server.state()["runs"] if r["id"] == run_id)


def check_receipts_match_server(server: FakeQase, run_id: int, receipts: list[dict[str, Any]], outs: str) -> None:
    """Every job wrote receipts (2 per pytest job: one per worker) and what they say was
    acknowledged is exactly what the run holds, none twice."""
    by_job: dict[str, list[dict[str, Any]]] = {}
    for r in receipts:
        by_job.setdefault(r["job"], []).append(r)
    assert sorted(by_job) == sorted(JOBS), outs
    assert [len(by_job[j]) for j in PY_JOBS] == [2, 2], "one receipt per xdist worker"
    run = run_state(server, run_id)
    assert run["duplicates"] == 0
    assert len(run["results"]) == sum(r["acknowledged"] for r in receipts), outs
    for job in JOBS:
        seen = max(r["expected_tests"] for r in by_job[job])
        assert seen == sum(r["tests_reported"] for r in by_job[job]), f"{job}: every test reported"
    assert sum(max(r["expected_tests"] for r in rs) for rs in by_job.values()) == TOTAL


def test_all_jobs_delivered_one_complete_call(server: FakeQase, tmp_path: Path) -> None:
    run_id = server.create_run("DEMO", {"title": "shards: all delivered"})
    receipts = tmp_path / "receipts"
    outs = "\n".join(run_jobs(server, run_id, receipts, tmp_path).values())
    receipts_list = receipts_of(receipts)
    check_receipts_match_server(server, run_id, receipts_list, outs)
    run = run_state(server, run_id)
    assert len(run["results"]) == TOTAL, outs
    assert run["complete_calls"] == 0, "no job completes a run it did not create"

    # A job the final step expects but that never wrote a receipt: left open, no call.
    code, out = complete_run("node", server, run_id, receipts, [*JOBS, "pytest-c"])
    assert code == 1, out
    assert "job pytest-c: no receipt" in out
    assert run_state(server, run_id)["complete_calls"] == 0

    code, out = complete_run("python", server, run_id, receipts, JOBS)
    assert code == 0, out
    assert f"all {len(JOBS)} job(s) delivered {TOTAL} result(s); completing run {run_id}" in out
    run = run_state(server, run_id)
    assert (run["completed"], run["complete_calls"], run["uploads_after_complete"]) == (True, 1, 0)
    assert len(run["results"]) == TOTAL


@pytest.mark.parametrize("lost", ["pytest-b", "shard-3-of-4"])
def test_a_job_that_lost_its_connection_keeps_the_run_open(server: FakeQase, tmp_path: Path, lost: str) -> None:
    run_id = server.create_run("DEMO", {"title": f"shards: {lost} lost its connection"})
    # The job's connection works while its processes join the run (one request each: 2 xdist
    # workers, 1 shard), then is gone for good.
    joins = 2 if lost in PY_JOBS else 1
    server.set_faults({"clients": {lost: {"outage": {"start": joins + 1, "length": 1_000_000, "drop": True}}}})
    try:
        receipts = tmp_path / "receipts"
        outs = "\n".join(run_jobs(server, run_id, receipts, tmp_path).values())
    finally:
        server.set_faults({})
    receipts_list = receipts_of(receipts)
    check_receipts_match_server(server, run_id, receipts_list, outs)
    short = sum(r["in_fallback"] + r["reported"] + r["lost"] for r in receipts_list if r["job"] == lost)
    assert short > 0, outs
    assert sum(r["in_fallback"] for r in receipts_list if r["job"] != lost) == 0, outs
    stored = len(run_state(server, run_id)["results"])
    assert stored + short == TOTAL, "every result is on the server or in the lost job's fallback"

    for which in ("node", "python"):
        code, out = complete_run(which, server, run_id, receipts, JOBS)
        assert code == 1, out
        assert f"job {lost}: short by {short} result(s)" in out, out
        assert f"run {run_id} left open: {short} result(s) not delivered, 1 job(s) short" in out, out
    run = run_state(server, run_id)
    assert (run["completed"], run["complete_calls"]) == (False, 0)
    assert len(run["results"]) == stored


def test_tests_a_job_never_ran_are_counted(server: FakeQase, tmp_path: Path) -> None:
    """A job that stopped early (``--maxfail=1``) delivered all it ran, yet 6 of its 12
    collected tests never reported: the run stays open and says so."""
    run_id = server.create_run("DEMO", {"title": "shards: a job stopped early"})
    receipts = tmp_path / "receipts"
    env = job_env(server, run_id, receipts, TOKENS["pytest-b"], tmp_path)
    env["TESTRELAY_JOB"] = "pytest-b"
    job = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--maxfail=1",
                          "test_job_b.py"], cwd=ROOT / "tests" / "shards" / "suite", env=env,
                         capture_output=True, text=True, timeout=120)
    (receipt,) = receipts_of(receipts)
    assert (receipt["expected_tests"], receipt["tests_reported"]) == (12, 6), job.stdout
    assert receipt["acknowledged"] == len(run_state(server, run_id)["results"]) == 6
    code, out = complete_run("python", server, run_id, receipts, ["pytest-b"])
    assert code == 1, out
    assert "job pytest-b: short by 0 result(s): 6 expected test(s) never reported" in out, out
    assert run_state(server, run_id)["complete_calls"] == 0


@pytest.mark.parametrize("which", ["node", "python"])
def test_complete_run_refuses_bad_input_without_completing(server: FakeQase, tmp_path: Path, which: str) -> None:
    """No run id: usage error (2). A receipts folder that is missing or holds a broken
    receipt: a clear error and the run left open (1). Nothing is sent."""
    run_id = server.create_run("DEMO", {"title": "shards: bad input"})
    calls = server.state()["totals"]["complete_calls"]
    receipts = tmp_path / "receipts"
    env = job_env(server, run_id, receipts, TOKEN, tmp_path)
    del env["QASE_TESTOPS_RUN_ID"]
    cmd = {"node": ["node", str(NODE_PKG / "bin" / "testrelay.js")],
           "python": [str(Path(sys.executable).parent / "testrelay")]}[which]
    no_id = subprocess.run([*cmd, "complete-run", "--receipts", str(receipts)], env=env,
                           capture_output=True, text=True, timeout=60)
    assert no_id.returncode == 2 and "no run id" in no_id.stdout + no_id.stderr
    code, out = complete_run(which, server, run_id, receipts, [])
    assert code == 1 and str(receipts) in out, out
    receipts.mkdir()
    (receipts / "broken.json").write_text('{"job": "a", ')
    code, out = complete_run(which, server, run_id, receipts, [])
    assert code == 1 and "ERROR" in out, out
    assert server.state()["totals"]["complete_calls"] == calls
