"""``testrelay complete-run``: the final CI step of a run shared by several jobs (the same
command as the npm package's). The core decides from the jobs' receipts whether the run may be
completed; the completion itself is a core session (testops mode, joined to the run, asked to
complete it, no results), so retries and answers are handled as in every reporter.

Exit status: 0 the run was completed; 1 it was left open (a job short, a receipt missing, an
error, or the completion failed); 2 bad usage (arguments, no run id).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Optional, Sequence

from . import _native
from ._receipts import RECEIPTS_ENV, read_receipts
from .host import ReporterSession, collect_sources

EXIT_COMPLETED, EXIT_LEFT_OPEN, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="testrelay",
        description="Completes a test run once every job has reported into it. Configuration "
        "comes from ./qase.config.json and QASE_* variables (QASE_TESTOPS_API_TOKEN, "
        "QASE_TESTOPS_PROJECT, QASE_TESTOPS_RUN_ID, ...).",
        epilog="exit status: 0 completed, 1 left open, 2 bad usage (arguments, no run id)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    complete = commands.add_parser("complete-run", help="complete the shared run if every job delivered")
    complete.add_argument("--run-id", type=int, default=None, help="the run (default: QASE_TESTOPS_RUN_ID)")
    complete.add_argument("--receipts", default=os.environ.get(RECEIPTS_ENV),
                          help=f"folder of the jobs' receipts (default: ${RECEIPTS_ENV})")
    complete.add_argument("--expect-jobs", default="",
                          help="comma-separated job names that must all have a receipt")
    return parser


def _say(line: str) -> None:
    print(line if line.startswith("testrelay") else f"testrelay: {line}", flush=True)


def complete_run(run_id: Optional[int], receipts: Optional[str], expected_jobs: list[str]) -> int:
    """The core decides (a run id; with receipts, whether every job delivered everything)
    and, when it says so, a core session joined to the run completes it."""
    cli = {"testops": {"run": {"id": run_id}}} if run_id is not None else None
    src = collect_sources(None, None, os.environ, cli)
    # A run id is asked first: without one, the receipts are not read.
    plan = _native.complete_run_plan({"sources": src, "receipts": None, "expected_jobs": expected_jobs})
    if plan["proceed"] and receipts:
        plan = _native.complete_run_plan({"sources": src, "receipts": read_receipts(receipts),
                                          "expected_jobs": expected_jobs})
    for line in plan["lines"]:
        _say(line)
    if not plan["proceed"]:
        return int(plan["exit_code"])
    # Not a job of the run: this session writes no receipt of its own.
    session = ReporterSession(sources=src, runner="complete-run", log=lambda _level, message: _say(message),
                              receipts=False)
    session.send({"event": "complete_run_requested"})
    return _native.complete_run_exit(session.end())


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    expected = [j for j in args.expect_jobs.split(",") if j]
    try:
        return complete_run(args.run_id, args.receipts, expected)
    except _native.TestrelayError as e:
        _say(f"ERROR [{e.code}]: {e}")
        return EXIT_LEFT_OPEN
    except (OSError, ValueError) as e:
        _say(f"ERROR: cannot read the receipts: {e}")
        return EXIT_LEFT_OPEN


if __name__ == "__main__":
    sys.exit(main())
