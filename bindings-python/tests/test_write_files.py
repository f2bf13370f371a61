"""``write_files``: the host's file IO of a ``write_files`` action (native,
with the GIL released). Every entry kind is written, an existing file is replaced whole, no
temporary file is left behind, and a failure is the ``report_failed`` event naming the file.
``Session.step`` performs those actions itself and hands over only the others."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from testrelay import _native


def action(folder: Path, *files: dict[str, object], request_id: int = 7) -> dict[str, object]:
    return {"action": "write_files", "purpose": "write_report", "request_id": request_id, "dir": str(folder),
            "files": list(files)}


def test_every_entry_kind_is_written(tmp_path: Path) -> None:
    source = tmp_path / "log.txt"
    source.write_bytes(b"copied \xff")
    report = tmp_path / "report"
    event = _native.write_files(action(
        report,
        {"path": "results/a.json", "content": '{"title":"ü"}'},
        {"path": "attachments/a/raw.bin", "content": base64.b64encode(b"\x00\x01").decode(), "encoding": "base64"},
        {"path": "attachments/a/log.txt", "content": "", "source": str(source)},
        {"path": "run.json", "content": "{}"},
    ))
    assert event == {"event": "report_written", "request_id": 7}
    assert (report / "results" / "a.json").read_text(encoding="utf-8") == '{"title":"ü"}'
    assert (report / "attachments" / "a" / "raw.bin").read_bytes() == b"\x00\x01"
    assert (report / "attachments" / "a" / "log.txt").read_bytes() == b"copied \xff"
    assert (report / "run.json").read_text() == "{}"
    assert not [p for p in report.rglob("*") if p.name.endswith(".tmp")]


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "a.json").write_text("an older and longer content")
    event = _native.write_files(action(tmp_path, {"path": "results/a.json", "content": "new"}))
    assert event["event"] == "report_written"
    assert (tmp_path / "results" / "a.json").read_text() == "new"
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["a.json"]


@pytest.mark.parametrize("entry", [
    {"path": "results/b.json", "content": "not base64!", "encoding": "base64"},
    {"path": "results/c.bin", "content": "", "source": "/no/such/file"},
])
def test_a_failure_is_report_failed_naming_the_file(tmp_path: Path, entry: dict[str, object]) -> None:
    event = _native.write_files(action(tmp_path, entry, request_id=9))
    assert event["event"] == "report_failed" and event["request_id"] == 9
    assert str(entry["path"]).rpartition("/")[2] in event["message"]


def test_a_folder_that_cannot_be_made_is_report_failed(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    event = _native.write_files(action(tmp_path / "file", {"path": "results/a.json", "content": "{}"}))
    assert event["event"] == "report_failed" and "file" in event["message"]


def test_a_wrong_shape_is_invalid_input() -> None:
    with pytest.raises(_native.InvalidInputError):
        _native.write_files({"request_id": 1, "files": []})


def report_session(folder: Path) -> _native.Session:
    sources = {"options": {"mode": "report", "report": {"connection": {"local": {"path": str(folder)}}}},
               "file": None, "env": {}, "cli": None}
    return _native.Session(sources, {"instance": "step-test"}, 1_000)


def drain(session: _native.Session) -> list[dict[str, object]]:
    """``step`` until ``finished``: the actions it handed over (none is a file action)."""
    seen = []
    while True:
        action = session.step(2_000)
        seen.append(action)
        if action["action"] == "finished":
            return seen
        assert action["action"] in ("log", "wait"), action


def test_step_writes_the_report_files_itself(tmp_path: Path) -> None:
    session = report_session(tmp_path / "report")
    session.add_results(1_500, [{"title": f"t{i}", "node_id": f"test_a.py::t{i}",
                                 "outcome": {"framework": "pytest", "runner_status": "passed"}} for i in range(3)])
    session.handle(1_600, {"event": "all_tests_done"})
    seen = drain(session)
    assert not any(a["action"] == "write_files" for a in seen)
    assert seen[-1]["receipt"]["reported"] == 3
    assert len(list((tmp_path / "report" / "results").glob("*.json"))) == 3
    assert (tmp_path / "report" / "run.json").is_file()


def test_step_answers_a_failed_write_and_the_session_says_so(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    session = report_session(tmp_path / "file")
    session.add_results(1_500, [{"title": "t", "outcome": {"framework": "pytest", "runner_status": "passed"}}])
    session.handle(1_600, {"event": "all_tests_done"})
    seen = drain(session)
    # The write failed (the report folder is a file): answered, so the session counts the
    # result as not written and says why, naming the folder.
    receipt = seen[-1]["receipt"]
    assert receipt["reported"] == 0 and receipt["lost"] == 1
    assert any(a["action"] == "log" and "could not write 1 results" in str(a["message"])
               and str(tmp_path / "file") in str(a["message"]) for a in seen)
