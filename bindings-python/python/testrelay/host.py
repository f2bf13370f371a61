"""``testrelay.host``: the host kit for Python plugin authors — the one the pytest plugin, the
Robot Framework listener and the CLI are built on (docs/authoring.md).

A :class:`ReporterSession` reads the configuration the way every testrelay reporter does,
takes finished tests in the core's ``TestResult`` shape (a dict, docs/api.md), performs what
the core asks (requests on their own threads, files, log lines) and ends with the receipt. It
decides nothing: statuses, batching, retries, fallback and completion are the core's::

    from testrelay.host import ReporterSession

    session = ReporterSession(runner="mytool")
    session.add({"title": "works", "suite": ["smoke"], "outcome": {"framework": "other", "runner_status": "passed"}})
    receipt = session.end()          # the summary line was logged; the receipt says what happened
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Callable, Optional

from . import _native
from ._host import Host, finish_bound_s, start_bound_s

__all__ = ["Host", "ReporterSession", "collect_sources", "print_line"]

Log = Callable[[str, str], None]


def print_line(level: str, message: str) -> None:
    """The default log: warnings and errors to stderr, the rest to stdout, each as one line."""
    line = message if message.startswith("testrelay") else f"testrelay: {message}"
    print(line, file=sys.stderr if level in ("warn", "error") else sys.stdout, flush=True)


def collect_sources(options: Optional[Mapping[str, Any]] = None, dirs: Optional[Iterable[os.PathLike[str] | str]] = None,
                    env: Optional[Mapping[str, str]] = None, cli: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
    """The configuration sources as every testrelay reporter reads them (docs/api.md
    ``Sources``): ``qase.config.json`` from the first of the core's candidates for ``dirs``
    (default: the working directory) that exists — one that exists but cannot be read is a
    warning the core gives, never an error —, the ``QASE_*`` environment, and CLI flags."""
    folders = [str(d) for d in (dirs if dirs is not None else [Path.cwd()])]
    file: Optional[str] = None
    file_error: Optional[dict[str, str]] = None
    for candidate in _native.config_file_candidates(folders):
        try:
            file = Path(candidate).read_text(encoding="utf-8", errors="replace")
            break
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as e:
            file_error = {"path": candidate, "message": e.strerror or type(e).__name__}
            break
    environ = os.environ if env is None else env
    qase_env = {k: v for k, v in environ.items() if k.startswith("QASE_")}
    return {"options": dict(options) if options is not None else None, "file": file, "file_error": file_error,
            "env": qase_env, "cli": dict(cli) if cli else None}


class ReporterSession:
    """One reporting session: configuration, finished tests in, the receipt out.

    ``runner`` names the runner in the job's name; ``shard`` is ``{"current": i, "total":
    n}`` for one shard of a split run; ``log`` receives ``(level, message)`` (default:
    :func:`print_line`); ``sources`` replaces ``options``/``dirs``/``env``/``cli`` when the
    host collected them itself; ``worker``: a worker whose controller completes the run. With reporting off (``mode: off``) nothing is sent or written and
    :meth:`end` still gives a receipt. A configuration the core cannot start a session for is
    logged as an error and the session reports nothing — it never raises into the runner."""

    def __init__(self, options: Optional[Mapping[str, Any]] = None, *, dirs: Optional[Iterable[Any]] = None,
                 env: Optional[Mapping[str, str]] = None, cli: Optional[Mapping[str, Any]] = None,
                 runner: str = "", shard: Optional[Mapping[str, int]] = None, log: Optional[Log] = None,
                 sources: Optional[dict[str, Any]] = None, receipts: bool = True, worker: bool = False):
        environ = os.environ if env is None else env
        self.log: Log = log or print_line
        self.instance = uuid.uuid4().hex
        self.job: str = ""
        # ``receipts=False``: a session that is no job of the run (the complete-run step).
        self._receipts_dir = (environ.get("TESTRELAY_RECEIPTS_DIR") or None) if receipts else None
        self.host: Optional[Host] = None
        self.config: dict[str, Any] = {"mode": "off"}
        self.receipt: Optional[dict[str, Any]] = None
        self._ended = False
        self.sources: dict[str, Any] = sources or {}
        try:
            self.job = _native.job_name({"env_job": environ.get("TESTRELAY_JOB"), "shard": dict(shard) if shard else None,
                                         "runner": runner, "instance": self.instance})
            if sources is None:
                self.sources = collect_sources(options, dirs, environ, cli)
            self.config = _native.resolve_config(self.sources)["config"]
            # Facts the core decides from which run this job completes (SPEC §5).
            job = {"shard": dict(shard) if shard else None, "receipts": self._receipts_dir is not None,
                   "worker": worker}
            self.host = Host(self.sources, self.log, finish_timeout_s=finish_bound_s(self.config), instance=self.instance,
                             options=job)
        except _native.TestrelayError as e:
            self.log("error", f"testrelay: reporting disabled: {e} ({e.code})")
        except (Exception, _native.PanicException) as e:  # a reporter must never abort the test run
            self.log("error", f"testrelay: reporting disabled: {type(e).__name__}: {e}")

    @property
    def mode(self) -> str:
        """The resolved mode (``testops``, ``report``, ``off``; ``off`` when reporting could not start)."""
        return str(self.config["mode"]) if self.host is not None else "off"

    @property
    def run_id(self) -> Optional[int]:
        """The run id, once the run is created or checked."""
        return self.host.run_id if self.host is not None else None

    def start(self) -> None:
        """Starts performing the session's actions in the background (from here on, tests run
        while the run opens). :meth:`add` starts it by itself."""
        if self.host is not None and self.host._thread is None:
            self.host.start()

    def wait_for_run(self) -> Optional[int]:
        """Blocks until the run id is known or the session gave up opening it (at most
        ``testops.startTimeoutMs``), for runners whose workers need the id before they start.
        Call before :meth:`start`."""
        if self.host is None:
            return None
        return self.host.drive_until_run_known(start_bound_s(self.config))

    def add(self, result: dict[str, Any]) -> None:
        """One finished test (the core's ``TestResult``); never waits for the network."""
        if self.host is None:
            return
        self.start()
        self.host.add_result(result)

    def send(self, event: dict[str, Any]) -> None:
        """Another event for the session (e.g. ``complete_run_requested``)."""
        if self.host is not None:
            self.host.send(event)

    def interrupted(self) -> None:
        """The test run was interrupted: the run will be left open."""
        self.send({"event": "run_interrupted"})

    def end(self, expected_tests: Optional[int] = None, tests_reported: Optional[int] = None,
            ignored: int = 0) -> Optional[dict[str, Any]]:
        """Ends the session: waits for the uploads (bounded by the core) and writes the job's
        receipt when ``$TESTRELAY_RECEIPTS_DIR`` is set. The receipt, or ``None`` when the
        session could not finish (said loudly)."""
        if self.host is None or self._ended:
            return self.receipt
        self._ended = True
        self.start()
        self.receipt = self.host.finish()
        if self.receipt is not None and self._receipts_dir is not None:
            try:
                self._write_receipt(expected_tests, tests_reported, ignored)
            except OSError as e:
                self.log("error", f"testrelay: could not write the receipt into {self._receipts_dir}: {e}")
        return self.receipt

    def _write_receipt(self, expected_tests: Optional[int], tests_reported: Optional[int], ignored: int) -> None:
        assert self._receipts_dir is not None and self.receipt is not None
        file = _native.receipt_file({"job": self.job, "instance": self.instance, "receipt": self.receipt,
                                     "expected_tests": expected_tests, "tests_reported": tests_reported,
                                     "ignored": ignored})
        folder = Path(self._receipts_dir)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (file["name"] + ".tmp")
        tmp.write_text(file["body"], encoding="utf-8")
        os.replace(tmp, folder / file["name"])
