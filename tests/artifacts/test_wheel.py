"""The PyPI wheel as a user meets it: a fresh virtual environment in the temp folder installs
testrelay from the wheel files alone (TESTRELAY_ARTIFACTS: the folder of the built wheels, pip
picks the one for this machine), then its dependencies and pytest from the registry; a small
suite runs through the plugin in report mode. Nothing of this repository is on the path.
Run on every platform the release supports (.github/workflows/release.yml) and here by
scripts/test.d/85-artifacts.sh, with `-p no:testrelay` so the outer pytest does not load the
plugin itself."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ARTIFACTS = os.environ.get("TESTRELAY_ARTIFACTS")
PYTEST = "pytest==9.2.0"
HERE = Path(__file__).parent


def user_env() -> dict[str, str]:
    """A user's shell: no Qase settings, no Python path or venv of this repository."""
    drop = ("QASE_", "TESTRELAY_", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def run(args: list[str | Path], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=user_env(), capture_output=True,
                          text=True, timeout=600)


def scripts(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert ARTIFACTS, "TESTRELAY_ARTIFACTS must name the folder of the built wheels"
    root = tmp_path_factory.mktemp("venv")
    made = run([sys.executable, "-m", "venv", root])
    assert made.returncode == 0, made.stderr
    python = scripts(root) / "python"
    # The wheel from the folder alone, then what it depends on (and pytest) from the registry.
    for args in (["--no-index", "--find-links", ARTIFACTS, "--only-binary", ":all:", "--no-deps", "testrelay"],
                 ["--find-links", ARTIFACTS, "--only-binary", "testrelay", "testrelay", PYTEST]):
        done = run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *args])
        assert done.returncode == 0, done.stdout + done.stderr
    return root


def expected_platform_tag() -> str | None:
    """The platform part of the wheel tag the release builds for this machine (Linux only)."""
    if sys.platform != "linux":
        return None
    arch = platform.machine()
    glibc = platform.libc_ver()[0] == "glibc"
    return f"manylinux_2_17_{arch}" if glibc else f"musllinux_1_2_{arch}"


def test_installed_from_the_wheel_an_abi3_build(venv: Path) -> None:
    probe = run([scripts(venv) / "python", "-c", (
        "import json, importlib.metadata as m, testrelay._native as n;"
        "print(json.dumps({'module': n.__file__, 'wheel': m.distribution('testrelay').read_text('WHEEL')}))")])
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert Path(found["module"]).resolve().is_relative_to(venv.resolve())
    tags = [line.split(": ", 1)[1] for line in found["wheel"].splitlines() if line.startswith("Tag: ")]
    assert tags and all(t.startswith("cp310-abi3-") for t in tags), tags
    expected = expected_platform_tag()
    if expected:
        assert any(t.endswith(expected) for t in tags), (tags, expected)


def test_a_pytest_suite_through_the_plugin_in_report_mode_writes_the_local_report(
        venv: Path, tmp_path: Path) -> None:
    shutil.copy(HERE / "pytest" / "test_statuses.py", tmp_path)
    done = run([scripts(venv) / "python", "-m", "pytest", "-p", "no:cacheprovider", "-q"], cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output  # two tests fail on purpose
    assert "testrelay: 4 results written to build/qase-report" in output, output
    report = tmp_path / "build" / "qase-report"
    assert (report / "run.json").is_file()
    results = [json.loads(f.read_text(encoding="utf-8")) for f in (report / "results").glob("*.json")]
    assert {r["title"]: r["execution"]["status"] for r in results} == {
        "test_passes": "passed",
        "test_fails_an_assertion": "failed",
        "test_breaks_with_an_attribute_error": "invalid",
        "test_is_skipped": "skipped",
    }
    passes = next(r for r in results if r["title"] == "test_passes")
    assert passes["testops_ids"] == [1]


def test_the_testrelay_command_starts(venv: Path) -> None:
    done = run([scripts(venv) / "testrelay"])
    assert done.returncode == 2, done.stdout + done.stderr  # bad usage: no command
    assert "usage: testrelay" in done.stderr
