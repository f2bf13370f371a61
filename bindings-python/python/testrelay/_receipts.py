"""Job receipts for one run across CI jobs (docs/api.md ``JobReceipt``): each pytest process
that reports (a plain run, or every xdist worker) writes its session's receipt, with the job's
name and test counts, into ``$TESTRELAY_RECEIPTS_DIR``; ``testrelay complete-run`` reads them
all and the core decides whether the shared run may be completed.

Every worker of one pytest job writes its own file under the same job name: the core sums the
receipts of a job, takes the largest ``expected_tests`` (each worker collects the whole job)
and counts the tests no worker reported as ``never_reported``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Optional

RECEIPTS_ENV = "TESTRELAY_RECEIPTS_DIR"
JOB_ENV = "TESTRELAY_JOB"


def receipts_dir() -> Optional[str]:
    """The folder receipts go to, or None when the user asked for none."""
    return os.environ.get(RECEIPTS_ENV) or None


def job_name(default: str) -> str:
    """``$TESTRELAY_JOB`` (the CI job's name), else ``default``."""
    return os.environ.get(JOB_ENV) or default


def write_receipt(folder: str, receipt: dict[str, Any], job: str, instance: str,
                  expected_tests: Optional[int], tests_reported: int) -> Path:
    """Writes ``<job>-<instance>.json`` (atomically: a half-written receipt is never read)."""
    path = Path(folder) / f"{re.sub(r'[^A-Za-z0-9._-]', '_', job)}-{instance}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {**receipt, "job": job, "expected_tests": expected_tests, "tests_reported": tests_reported}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(body, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_receipts(folder: str) -> list[dict[str, Any]]:
    """Every receipt (``*.json``) in ``folder``, in file-name order; a missing folder is an
    error (a receipt artifact that was not collected), not "no receipts"."""
    if not Path(folder).is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.json"))]
