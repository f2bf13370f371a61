"""The host of one testrelay session: a background thread that feeds the session what
happened and performs what it asks (HTTP with one urllib3 pool, report files). The test loop
only hands finished results over (:meth:`Host.add_result`, a deque append, no lock); it
never waits for the network. The session, not this file, decides retries, batching, fallback
and completion.

Drain invariant (docs/api.md): after every ``handle``/``add_results`` the host calls
``step(now)`` (``poll`` that performs the report-file actions natively, see
``Session.step``) until it answers ``wait`` or ``finished``, performing each other action in
between.
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
from collections import deque
from pathlib import Path
from typing import Any, Callable, Optional

from . import _native

# Connect and read timeouts (s) of every request; the session's retry budget does the rest.
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 60.0
# The test loop wakes the background thread only every WAKE_EVERY results (a batch crossing,
# no context switch per test; a wake hands the GIL over and back, so fewer is cheaper: the
# core's default batch, 200); the thread also looks every IDLE_POLL_S by itself, so a
# smaller batch waits at most that long.
WAKE_EVERY = 200
IDLE_POLL_S = 0.2
HTTP_ACTIONS = (
    "create_run", "check_run", "get_configurations", "create_configuration_group", "create_configuration",
    "upload_results", "complete_run",
)
FILE_ACTIONS = ("write_report", "save_fallback")
# What a bug can raise here: any Exception, and pyo3's PanicException when the native code
# panics, which is a BaseException that ``except Exception`` would let through (the thread
# would die unnoticed, and the results it had taken from the test loop with it).
BUG = (Exception, _native.PanicException)


# How long a host's end waits for the session beyond the session's own upload deadline
# (testops.uploads.deadlineMs), by which the session has saved what is undelivered in the
# fallback and finished by itself. A fixed wait shorter than a configured deadline gave up
# while the session still held results (the pytest plugin) or was still retrying (the CLI).
FINISH_MARGIN_S = 60.0


def finish_bound_s(config: dict[str, Any]) -> float:
    """The wait of :meth:`Host.finish` for a resolved configuration."""
    return float(config["testops"]["uploadDeadlineMs"]) / 1000 + FINISH_MARGIN_S


def now_ms() -> int:
    return int(time.time() * 1000)


class Host:
    """Runs one session on a background thread. ``log`` receives ``(level, message)``."""

    def __init__(self, sources: dict[str, Any], log: Callable[[str, str], None], *, finish_timeout_s: float,
                 instance: Optional[str] = None):
        self._session = _native.Session(sources, {"instance": instance or uuid.uuid4().hex}, now_ms())
        # How long :meth:`finish` waits: longer than the session's own upload deadline, after
        # which the session saves what is undelivered and finishes by itself.
        self.finish_timeout_s = finish_timeout_s
        self._log = log
        self._pool: Any = None  # urllib3.PoolManager, imported on the first request
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        # Appended by the test loop, emptied by the background thread (deque: both without a lock).
        self._pending: deque[dict[str, Any]] = deque()
        self._added = 0
        self._events: list[dict[str, Any]] = []
        self._until: Optional[int] = None
        self.receipt: Optional[dict[str, Any]] = None
        self._thread: Optional[threading.Thread] = None
        # Set when a bug stopped the background thread: the network part is over, and
        # :meth:`finish` saves what the session holds through its own fallback rules.
        self._stopped = False
        # The action being performed (None between actions), so one a bug cut short is
        # answered or written by the rescue.
        self._performing: Optional[dict[str, Any]] = None

    # -- test loop side -------------------------------------------------------------------

    @property
    def run_id(self) -> Optional[int]:
        return self._session.run_id

    def start(self) -> None:
        """Starts the background thread (after :meth:`drive_until_run_known` if wanted)."""
        self._thread = threading.Thread(target=self._loop, name="testrelay-host", daemon=True)
        self._thread.start()

    def add_result(self, result: dict[str, Any]) -> None:
        self._pending.append(result)
        self._added += 1
        if self._added % WAKE_EVERY == 0:
            with self._lock:
                self._wake.notify()

    def send(self, event: dict[str, Any]) -> None:
        with self._lock:
            self._events.append(event)
            self._wake.notify()

    def finish(self) -> Optional[dict[str, Any]]:
        """Tells the session the tests are done and waits (at most :attr:`finish_timeout_s`)
        for its receipt. If a bug stopped the background thread, the results are saved here
        instead (:meth:`_rescue`)."""
        timeout = self.finish_timeout_s
        end = time.monotonic() + timeout
        self.send({"event": "all_tests_done"})
        if self._thread is not None:
            self._thread.join(timeout)
        if self.receipt is None and self._stopped:
            self._rescue(end)
        return self.receipt

    def drive_until_run_known(self, deadline_s: float) -> Optional[int]:
        """Synchronously drains the session until the run id is known (xdist controller)."""
        end = time.monotonic() + deadline_s
        while self._session.run_id is None and self.receipt is None and time.monotonic() < end:
            if not self._drain() and self._until is None:
                break
            self._sleep_until(end)
        return self._session.run_id

    # -- background side ------------------------------------------------------------------

    def _loop(self) -> None:
        try:
            while self.receipt is None:
                with self._lock:
                    if len(self._pending) < WAKE_EVERY and not self._events:
                        timeout = IDLE_POLL_S
                        if self._until is not None:
                            timeout = min(timeout, max(0.0, (self._until - now_ms()) / 1000.0))
                        self._wake.wait(timeout)
                self._drain()
        except BUG as e:  # a bug here must end the wait, not hang pytest
            self._stopped = True
            self._log("error", f"testrelay: reporting stopped: {type(e).__name__}: {e}; "
                               "the results are saved locally at the end instead")

    def _rescue(self, end: float) -> None:
        """After a bug stopped the background thread. The session still holds every result it
        was given, and the test loop kept appending to ``_pending``: feed those, answer every
        request as failed (no more network), write the files it asks for, until it finishes.
        Its own rules then put every undelivered result in the fallback report and leave the
        run open; nothing is decided here."""
        try:
            cut = self._performing
            if cut is not None and cut["action"] != "log":
                try:  # the action the bug cut short: answered as failed, or its files written
                    self._perform(cut["action"], cut, offline=True)
                except _native.TestrelayError:
                    pass  # it had been answered before the bug
            while self.receipt is None and time.monotonic() < end:
                self._drain(offline=True)
                if self.receipt is None and self._until is None:
                    time.sleep(min(IDLE_POLL_S, max(0.0, end - time.monotonic())))
                elif self.receipt is None:
                    self._sleep_until(end)
        except BUG as e:  # never an error out of pytest's teardown
            self._log("error", f"testrelay: the results could not be saved: {type(e).__name__}: {e}")

    def _sleep_until(self, end: float) -> None:
        if self._until is not None:
            time.sleep(min(max(0.0, (self._until - now_ms()) / 1000.0), max(0.0, end - time.monotonic())))

    def _drain(self, offline: bool = False) -> bool:
        """Feeds pending results and events, then polls until wait/finished. True if it did work.
        ``offline``: every request is answered as failed instead of sent."""
        pending = self._pending
        results = [pending.popleft() for _ in range(len(pending))]
        with self._lock:
            events, self._events = self._events, []
        did = bool(results or events)
        if results:
            self._add(results)
        for event in events:
            self._session.handle(now_ms(), event)
        while True:
            action = self._session.step(now_ms())
            kind = action["action"]
            if kind == "wait":
                self._until = action["until"]
                return did
            if kind == "finished":
                self.receipt = action["receipt"]
                return True
            did = True
            self._perform(kind, action, offline)

    def _add(self, results: list[dict[str, Any]]) -> None:
        """One crossing per batch; a result the core refuses (or the read of which fails in
        any other way) is named and the rest kept."""
        try:
            self._session.add_results(now_ms(), results)
        except BUG:  # one bad result must not take the others down
            for result in results:
                try:
                    self._session.add_results(now_ms(), [result])
                except BUG as e:
                    code = getattr(e, "code", type(e).__name__)
                    self._log("error", f"testrelay: result {result.get('node_id')!r} refused: {e} ({code})")

    def _perform(self, kind: str, action: dict[str, Any], offline: bool = False) -> None:
        self._performing = action
        if kind == "log":
            self._log(action["level"], action["message"])
        elif offline and (kind in HTTP_ACTIONS or kind == "upload_attachment"):
            failed = {"event": "http_failed", "request_id": action["request_id"], "message": "reporting stopped"}
            self._session.handle(now_ms(), failed)
        elif kind in HTTP_ACTIONS:
            self._session.handle(now_ms(), self._http(action))
        elif kind == "upload_attachment":
            self._session.handle(now_ms(), self._upload_attachment(action))
        elif kind in FILE_ACTIONS:
            # Only an action cut short by a bug comes here (``step`` performs the others):
            # native, a whole action with the GIL released once.
            self._session.handle(now_ms(), _native.write_files(action))
        else:
            self._log("warn", f"testrelay: unknown action {kind!r} ignored")
        # Done and answered: a later bug must not perform it again (nor keep its files alive).
        self._performing = None

    def _http(self, action: dict[str, Any]) -> dict[str, Any]:
        body = action["body"] or None
        return self._request(action, {"Content-Type": "application/json"}, body=body)

    def _upload_attachment(self, action: dict[str, Any]) -> dict[str, Any]:
        """Multipart upload (part ``file``); the host reads the file, the core never does."""
        try:
            if action["file_path"] is not None:
                data = Path(action["file_path"]).read_bytes()
            else:
                data = base64.b64decode(action["content"] or "", validate=True)
        except (OSError, ValueError) as e:
            return {"event": "attachment_unreadable", "request_id": action["request_id"], "message": str(e)}
        part = (action["name"], data, action["content_type"] or "application/octet-stream")
        return self._request(action, {}, fields={"file": part})

    def _request(self, action: dict[str, Any], headers: dict[str, str], **send: Any) -> dict[str, Any]:
        import urllib3  # only testops mode pays for the import

        if self._pool is None:
            timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S)
            self._pool = urllib3.PoolManager(timeout=timeout, retries=False, maxsize=4)
        headers["Accept"] = "application/json"
        token = self._session.token()
        if token is not None:
            headers["Token"] = token
        request_id = action["request_id"]
        try:
            response = self._pool.request(action["method"], action["url"], headers=headers, redirect=False, **send)
        except urllib3.exceptions.HTTPError as e:
            # The exception text names host and path only; the token is a header, never in it.
            return {"event": "http_failed", "request_id": request_id, "message": type(e).__name__}
        return {
            "event": "http_response",
            "request_id": request_id,
            "status": response.status,
            "body": response.data.decode("utf-8", "replace"),
            "retry_after": response.headers.get("Retry-After"),
        }

