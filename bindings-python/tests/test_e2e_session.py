"""End to end of the session's run-opening decisions against the local test server
(tests/server, fake-qase), through the real pytest plugin: a configured run that is already
completed, and configuration values looked up (and created) by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import clean_env, report_results, run_pytest, validate_results
from test_e2e_server import TOKEN, FakeQase, env_for, server  # noqa: F401 - `server` is a fixture

SUITE = "def test_a():\n    pass\n\ndef test_b():\n    assert 1 == 2\n"


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    (tmp_path / "test_suite.py").write_text(SUITE)
    return tmp_path


def test_a_configured_run_that_is_already_completed_keeps_every_result_in_the_fallback(
        server: FakeQase, suite: Path) -> None:
    run_id = server.create_run("DEMO", completed=True)
    out = run_pytest(suite, env=env_for(server, suite, QASE_TESTOPS_RUN_ID=str(run_id)))
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text and TOKEN not in text
    assert f"run {run_id} is already completed" in text
    state = server.state()
    run = state["runs"][0]
    assert run["results"] == [] and run["uploads"] == 0 and run["uploads_after_complete"] == 0
    assert [r["endpoint"] for r in state["requests"]] == ["get_run"]
    saved = report_results(suite / "fallback")
    validate_results(saved)
    assert sorted(r["title"] for r in saved) == ["test_a", "test_b"]
    # No failure link points into a run that took no results.
    assert "See why this test failed" not in text


def created_run(server: FakeQase) -> dict:
    state = server.state()
    assert len(state["runs"]) == 1, state["runs"]
    return state["runs"][0]


def test_configuration_values_are_looked_up_by_name(server: FakeQase, suite: Path) -> None:
    ids = server.add_configurations("DEMO", {"Browser": ["Chrome", "Firefox"], "OS": ["Linux"]})
    out = run_pytest(suite, env=env_for(server, suite, QASE_TESTOPS_CONFIGURATIONS_VALUES="OS=Linux,Browser=Firefox,Browser=Safari"))
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text and TOKEN not in text
    run = created_run(server)
    assert run["body"]["configurations"] == [ids["OS"]["values"]["Linux"], ids["Browser"]["values"]["Firefox"]]
    assert "configuration Browser = Safari left out of the run" in text
    assert len(run["results"]) == 2 and run["completed"]
    # Nothing was created without createIfNotExists.
    assert [len(g["configurations"]) for g in server.state()["configurations"]["DEMO"]] == [2, 1]


def test_missing_configurations_are_created_when_asked(server: FakeQase, suite: Path) -> None:
    ids = server.add_configurations("DEMO", {"Browser": ["Chrome"]})
    out = run_pytest(suite, env=env_for(
        server, suite, QASE_TESTOPS_CONFIGURATIONS_VALUES="Browser=Chrome,Browser=Safari,OS=Linux",
        QASE_TESTOPS_CONFIGURATIONS_CREATE_IF_NOT_EXISTS="true"))
    assert "INTERNALERROR" not in out.stdout + out.stderr
    groups = {g["title"]: g for g in server.state()["configurations"]["DEMO"]}
    assert sorted(groups) == ["Browser", "OS"]
    by_title = {v["title"]: v["id"] for g in groups.values() for v in g["configurations"]}
    assert sorted(by_title) == ["Chrome", "Linux", "Safari"]
    run = created_run(server)
    assert run["body"]["configurations"] == [ids["Browser"]["values"]["Chrome"], by_title["Safari"], by_title["Linux"]]
    endpoints = [(r["method"], r["path"]) for r in server.state()["requests"]][:4]
    assert endpoints == [("GET", "/v1/configuration/DEMO"), ("POST", "/v1/configuration/DEMO"),
                         ("POST", "/v1/configuration/DEMO/group"), ("POST", "/v1/configuration/DEMO")]


def test_a_failed_configuration_lookup_still_creates_the_run_and_delivers(server: FakeQase, suite: Path) -> None:
    server.set_faults({"configuration": {"error": {"probability": 1.0, "status": 500}}})
    out = run_pytest(suite, env=env_for(
        server, suite, QASE_TESTOPS_CONFIGURATIONS_VALUES="Browser=Chrome", QASE_TESTOPS_UPLOADS_RETRIES="2"))
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text and TOKEN not in text
    assert "could not read the project's configurations" in text
    run = created_run(server)
    assert "configurations" not in run["body"]
    assert len(run["results"]) == 2 and run["completed"]
    assert not (suite / "fallback").exists()


ATTACHING = (
    "def test_attaches(record_property, tmp_path):\n"
    "    log = tmp_path / 'run.log'\n"
    "    log.write_text('log line\\n')\n"
    "    record_property('testrelay_attachment', {'name': 'run.log', 'path': str(log), 'content_type': 'text/plain'})\n"
    "    record_property('testrelay_attachment', {'name': 'raw.bin', 'content': b'\\x00\\x01'})\n"
    "\n"
    "def test_plain():\n"
    "    pass\n"
)


def test_recorded_attachments_are_uploaded_and_referenced(server: FakeQase, tmp_path: Path) -> None:
    (tmp_path / "test_attach.py").write_text(ATTACHING)
    out = run_pytest(tmp_path, env=env_for(server, tmp_path))
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text and TOKEN not in text
    state = server.state()
    uploaded = sorted((a["filename"], a["mime"], a["size"]) for a in state["attachments"])
    assert uploaded == [("raw.bin", "application/octet-stream", 2), ("run.log", "text/plain", 9)]
    run = created_run(server)
    by_title = {r["payload"]["title"]: r["payload"] for r in run["results"]}
    assert sorted(by_title["test_attaches"]["attachments"]) == sorted(a["hash"] for a in state["attachments"])
    assert "attachments" not in by_title["test_plain"]
    assert run["unknown_attachments"] == 0 and run["completed"]
    validate_results(list(by_title.values()))


def test_with_upload_attachments_off_no_attachment_reaches_the_server(server: FakeQase, tmp_path: Path) -> None:
    (tmp_path / "test_attach.py").write_text(ATTACHING)
    out = run_pytest(tmp_path, env=env_for(server, tmp_path, QASE_TESTOPS_UPLOAD_ATTACHMENTS="false"))
    text = out.stdout + out.stderr
    assert "INTERNALERROR" not in text
    assert "attachments stay local: testops.uploadAttachments is false" in text
    state = server.state()
    assert [r for r in state["requests"] if r["endpoint"] == "attachment"] == []
    assert state["attachments"] == []
    run = created_run(server)
    assert len(run["results"]) == 2 and run["completed"]
    assert all("attachments" not in r["payload"] for r in run["results"])


def test_report_mode_copies_recorded_attachments(tmp_path: Path) -> None:
    (tmp_path / "test_attach.py").write_text(ATTACHING)
    report = tmp_path / "report"
    out = run_pytest(tmp_path, env=clean_env(QASE_MODE="report", QASE_REPORT_CONNECTION_PATH=str(report)))
    assert "INTERNALERROR" not in out.stdout + out.stderr
    results = {r["title"]: r for r in report_results(report)}
    listed = results["test_attaches"]["attachments"]
    copied = sorted((a["file_name"], (report / a["file_path"]).read_bytes()) for a in listed)
    assert copied == [("raw.bin", b"\x00\x01"), ("run.log", b"log line\n")]
