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
from pathlib import Path
from typing import Any, Optional, Sequence

from . import _native
from ._receipts import RECEIPTS_ENV, read_receipts

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


def sources(run_id: Optional[int]) -> dict[str, Any]:
    """docs/api.md ``Sources``: ./qase.config.json, the QASE_* env, ``--run-id`` as CLI flag."""
    try:
        file: Optional[str] = Path("qase.config.json").read_text(encoding="utf-8", errors="replace")
    except OSError:  # absent or unreadable: no file source
        file = None
    env = {k: v for k, v in os.environ.items() if k.startswith("QASE_")}
    cli = {"testops": {"run": {"id": run_id}}} if run_id is not None else None
    return {"options": None, "file": file, "env": env, "cli": cli}


def complete_run(run_id: Optional[int], receipts: Optional[str], expected_jobs: list[str]) -> int:
    """Decides (core) and, when it says so, completes the run through a core session."""
    from ._host import Host, finish_bound_s

    src = sources(run_id)
    config = _native.resolve_config(src)["config"]
    run = config["testops"].get("runId")
    if run is None:
        _say("ERROR: no run id (--run-id or QASE_TESTOPS_RUN_ID)")
        return EXIT_USAGE
    if receipts is not None:
        decision = _native.decide_completion(
            {"run_id": run, "receipts": read_receipts(receipts), "expected_jobs": expected_jobs})
        for line in decision["lines"]:
            _say(line)
        if not decision["complete"]:
            return EXIT_LEFT_OPEN
    # Past the session's own upload deadline (+ a margin), as the plugin's end: a fixed bound
    # gave up while the session was still retrying under a longer configured deadline.
    host = Host(src, lambda _level, message: _say(message), finish_timeout_s=finish_bound_s(config))
    host.send({"event": "complete_run_requested"})
    host.start()
    receipt = host.finish()
    return EXIT_COMPLETED if receipt is not None and receipt["completed"] else EXIT_LEFT_OPEN


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
