"""Runs real pytest sessions through the installed plugin (subprocesses: the plugin loads from
its entry point, as for a user) and reads what they reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QASE_", "PYTEST_"))}
    env.update(extra)
    return env


def run_pytest(folder: Path, *args: str, env: Optional[dict[str, str]] = None,
               timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rN", *args],
        cwd=folder, env=env if env is not None else clean_env(), capture_output=True, text=True, timeout=timeout,
    )


def report_results(report_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((report_dir / "results").glob("*.json"))]


def validate_results(results: list[dict[str, Any]]) -> None:
    """Every result loads into the official Qase API v2 client's model (drift from the real
    API shows here)."""
    from qase.api_client_v2.models.create_results_request_v2 import CreateResultsRequestV2
    from qase.api_client_v2.models.result_create import ResultCreate

    for result in results:
        ResultCreate.from_dict(result)
    CreateResultsRequestV2.from_dict({"results": results})


def statuses_by_title(results: list[dict[str, Any]]) -> dict[str, str]:
    return {r["title"]: r["execution"]["status"] for r in results}
