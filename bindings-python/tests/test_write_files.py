"""``write_files``: the host's file IO of a ``write_report`` / ``save_fallback`` action (native,
with the GIL released). Every entry kind is written, an existing file is replaced whole, no
temporary file is left behind, and a failure is the ``report_failed`` event naming the file."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from testrelay import _native


def action(folder: Path, *files: dict[str, object], request_id: int = 7) -> dict[str, object]:
    return {"request_id": request_id, "dir": str(folder), "files": list(files)}


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
