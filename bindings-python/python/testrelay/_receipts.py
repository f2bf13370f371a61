"""Job receipts for one run across CI jobs (docs/api.md ``JobReceipt``): each reporting
process writes its session's receipt into ``$TESTRELAY_RECEIPTS_DIR`` (the host kit, with the
core's file name and body); ``testrelay complete-run`` reads them all here and the core decides
whether the shared run may be completed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RECEIPTS_ENV = "TESTRELAY_RECEIPTS_DIR"


def read_receipts(folder: str) -> list[dict[str, Any]]:
    """Every receipt (``*.json``) in ``folder``, in file-name order; a missing folder is an
    error (a receipt artifact that was not collected), not "no receipts"."""
    if not Path(folder).is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.json"))]
