"""The sdist builds from source where no wheel fits: pip installs it into a fresh virtual
environment in the temp folder, building it with maturin from the registry (the sdist's
build-system) and the Rust toolchain on the PATH, from the core's sources inside the sdist
(TESTRELAY_ARTIFACTS: the folder holding testrelay-<version>.tar.gz). Run by
scripts/test.d/85-artifacts.sh and the release workflow, with `-p no:testrelay`."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

ARTIFACTS = os.environ.get("TESTRELAY_ARTIFACTS")


def test_the_sdist_holds_the_core_and_builds_from_source(tmp_path: Path) -> None:
    assert ARTIFACTS, "TESTRELAY_ARTIFACTS must name the folder of the sdist"
    (sdist,) = Path(ARTIFACTS).glob("testrelay-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for needed in ("pyproject.toml", "Cargo.toml", "Cargo.lock", "core/src/lib.rs",
                   "bindings-python/src/lib.rs", "python/testrelay/pytest_plugin.py"):
        assert needed in names, f"{sdist.name} lacks {needed}"

    # Its own target folder, as on a user's machine: the sdist's files all carry one fixed mtime,
    # so a shared, warm target folder would take changed sources for unchanged ones.
    drop = ("PYTHONPATH", "VIRTUAL_ENV", "CARGO_TARGET_DIR")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    subprocess.run([sys.executable, "-m", "venv", tmp_path / "venv"], check=True)
    python = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    built = subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                            "--no-cache-dir", "--no-binary", "testrelay", sdist],
                           env=env, capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    answer = subprocess.run([python, "-c", (
        "import testrelay; print(testrelay.classify({'framework': 'pytest', 'phase': 'call',"
        " 'error': {'type': 'AssertionError', 'chain': ['AssertionError']}}, None)['status'])")],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "failed"
