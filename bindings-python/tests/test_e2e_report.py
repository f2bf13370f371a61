"""End to end in report mode (no token, no server): real pytest runs through the plugin, the
local report read back and every result validated against the official API v2 models."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import HERE, clean_env, report_results, run_pytest, statuses_by_title, validate_results
from test_outcomes import EXPECTED, PAYLOADS


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    shutil.copy(HERE / "outcome_suite.py", tmp_path / "test_suite.py")
    return tmp_path


def report_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return clean_env(QASE_REPORT_CONNECTION_PATH=str(tmp_path / "report"), **extra)


def test_report_mode_by_default_records_every_outcome(suite: Path) -> None:
    out = run_pytest(suite, env=report_env(suite))
    assert "INTERNALERROR" not in out.stdout + out.stderr
    results = report_results(suite / "report")
    validate_results(results)
    assert statuses_by_title(results) == EXPECTED
    assert (suite / "report" / "run.json").is_file()
    assert len([line for line in out.stdout.splitlines() if "'not-a-number'" in line]) == 1


def test_bad_configuration_is_a_warning_never_an_internal_error(suite: Path) -> None:
    (suite / "qase.config.json").write_text('{"testops": {"batch": {"size": "many"}}, "mode": "report"')
    env = report_env(suite, QASE_STATUS_MAPPING="invalid=nonsense, failed:skipped", QASE_TESTOPS_BATCH_SIZE="abc",
                     QASE_DEBUG="perhaps")
    out = run_pytest(suite, "--testrelay-mode=sideways", "--testrelay-run-id=x", env=env)
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text
    assert out.returncode == 1  # the suite's own failures, nothing else
    assert "QASE_TESTOPS_BATCH_SIZE" in text and "sideways" in text
    # Each warning once, and one summary line.
    assert len([line for line in text.splitlines() if "QASE_TESTOPS_BATCH_SIZE" in line]) == 1
    assert len([line for line in text.splitlines() if "results written to" in line]) == 1
    assert statuses_by_title(report_results(suite / "report")) == EXPECTED


def test_cli_options_win_over_env_which_wins_over_the_file(suite: Path) -> None:
    (suite / "qase.config.json").write_text(json.dumps({"statusMapping": {"invalid": "skipped"}}))
    env = report_env(suite, QASE_STATUS_MAPPING="invalid=blocked")
    run_pytest(suite, env=env)
    assert statuses_by_title(report_results(suite / "report"))["test_type_error_is_invalid"] == "blocked"
    shutil.rmtree(suite / "report")
    run_pytest(suite, "--testrelay-status-mapping=invalid=failed", env=env)
    assert statuses_by_title(report_results(suite / "report"))["test_type_error_is_invalid"] == "failed"


def test_status_filter_drops_results(suite: Path) -> None:
    run_pytest(suite, env=report_env(suite, QASE_TESTOPS_STATUS_FILTER="skipped"))
    statuses = statuses_by_title(report_results(suite / "report"))
    assert "skipped" not in statuses.values()
    assert statuses == {t: s for t, s in EXPECTED.items() if s != "skipped"}


def test_mode_off_reports_nothing(suite: Path) -> None:
    out = run_pytest(suite, env=report_env(suite, QASE_MODE="off"))
    assert not (suite / "report").exists()
    assert "INTERNALERROR" not in out.stdout


@pytest.mark.parametrize("workers", ["2", "4"])
def test_xdist_workers_each_report_their_results(suite: Path, workers: str) -> None:
    out = run_pytest(suite, "-n", workers, env=report_env(suite))
    assert "INTERNALERROR" not in out.stdout + out.stderr
    results = report_results(suite / "report")
    validate_results(results)
    assert statuses_by_title(results) == EXPECTED
    assert len(results) == PAYLOADS
    assert len({r["id"] for r in results}) == len(results)


def test_reruns_are_numbered_attempts_and_a_late_pass_is_flaky(tmp_path: Path) -> None:
    (tmp_path / "test_flaky.py").write_text(
        "from pathlib import Path\n"
        "def test_flaky():\n"
        "    marker = Path(__file__).with_name('ran')\n"
        "    first = not marker.exists()\n"
        "    marker.write_text('x')\n"
        "    assert not first\n"
    )
    run_pytest(tmp_path, "--reruns", "2", env=report_env(tmp_path))
    results = report_results(tmp_path / "report")
    validate_results(results)
    assert sorted(r["execution"]["status"] for r in results) == ["failed", "passed"]


def test_keyboard_interrupt_keeps_the_results_so_far(tmp_path: Path) -> None:
    (tmp_path / "test_stop.py").write_text(
        "def test_a():\n    pass\n\n"
        "def test_b():\n    assert False\n\n"
        "def test_stop():\n    raise KeyboardInterrupt\n\n"
        "def test_never():\n    pass\n"
    )
    out = run_pytest(tmp_path, env=report_env(tmp_path))
    assert "INTERNALERROR" not in out.stdout
    assert statuses_by_title(report_results(tmp_path / "report")) == {"test_a": "passed", "test_b": "failed"}
