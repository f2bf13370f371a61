"""docs/authoring.md's Python reporter (examples/authoring/unittest_reporter.py), run as a user
would, in report mode; the report files say what the core decided."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import clean_env

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "authoring" / "unittest_reporter.py"

SUITE = '''
import unittest


class Math(unittest.TestCase):
    def test_adds(self):
        self.assertEqual(1 + 1, 2)

    def test_compares(self):
        self.assertEqual(1 + 1, 3)

    def test_throws(self):
        None.x

    @unittest.skip("not yet")
    def test_later(self):
        pass

    @unittest.expectedFailure
    def test_known_bug(self):
        self.assertTrue(False)
'''


def test_the_unittest_reporter_of_the_guide_reports_through_the_kit(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "unittest_reporter.py")
    (tmp_path / "test_math.py").write_text(SUITE)
    report = tmp_path / "report"
    run = subprocess.run([sys.executable, "unittest_reporter.py", "."], cwd=tmp_path, capture_output=True, text=True,
                         env=clean_env(QASE_MODE="report", QASE_REPORT_CONNECTION_PATH=str(report)), timeout=120)
    assert "testrelay: 5 results written to" in run.stdout, run.stdout + run.stderr
    results = [json.loads(p.read_text()) for p in (report / "results").glob("*.json")]
    assert {r["title"]: r["execution"]["status"] for r in results} == {
        "test_adds": "passed", "test_compares": "failed", "test_throws": "invalid", "test_later": "skipped",
        "test_known_bug": "skipped",
    }
    assert [s["title"] for s in results[0]["relations"]["suite"]["data"]] == ["test_math", "Math"]


def test_the_guide_shows_the_reporter_that_runs() -> None:
    guide = (EXAMPLE.parents[2] / "docs" / "authoring.md").read_text()
    block = guide.split("```python\n", 1)[1].split("```", 1)[0]
    assert block == EXAMPLE.read_text()
