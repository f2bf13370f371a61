"""The host of one testrelay session: a background thread feeds the session what happened
and performs what it asks; every HTTP request runs on a thread of its own, so the session
hears about tests, answers and its own timers while requests are in flight, and a server
that hangs or drips holds no one up. The test loop only hands finished results over
(:meth:`Host.add_result`, a deque append, no lock); it never waits for the network. The
session, not this file, decides retries, timeouts, batching, fallback and completion.

Drain invariant (docs/api.md): after every ``handle``/``add_results`` the host calls
``step(now)`` (``poll`` that performs the report-file actions natively, see
``Session.step``) until it answers ``wait`` or ``finished``, performing each other action in
between. An action is one of six cases whatever the endpoint or the target (``http``,
``multipart``, ``write_files``, ``log``, ``wait``, ``finished``), so a new request needs no
change here.
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

# The test loop wakes the background thread only every WAKE_EVERY results (a batch crossing,
# no context switch per test; a wake hands the GIL over and back, so fewer is cheaper: the
# core's default batch, 200); the thread also looks every IDLE_POLL_S by itself, so a
# smaller batch waits at most that long.
WAKE_EVERY = 200
IDLE_POLL_S = 0.2
# What a bug can raise here: any Exception, and pyo3's PanicException when the native code
# panics, which is a BaseException that ``except Exception`` would let through (the thread
# would die unnoticed, and the results it had taken from the test loop with it).
BUG = (Exception, _native.PanicException)

# How long the rescue waits for a stuck background thread to let go of the session.
RESCUE_LOCK_S = 5.0


def finish_bound_s(config: dict[str, Any]) -> float:
    """The wait of :meth:`Host.finish` for a resolved configuration: the core's bound (the
    upload deadline, by which the session has given up on every request and saved what is
    undelivered, plus a margin for those files). Past it the background thread is taken to be
    stuck and :meth:`Host.finish` saves the results itself."""
    return _native.end_wait_bound_ms(int(config["testops"]["uploadDeadlineMs"])) / 1000


def start_bound_s(config: dict[str, Any]) -> float:
    """How long :meth:`Host.drive_until_run_known` may wait: the session gives up opening the
    run at ``testops.startTimeoutMs`` by itself."""
    return float(config["testops"]["startTimeoutMs"]) / 1000 + 1.0


def now_ms() -> int:
    return int(time.time() * 1000)


class Host:
    """Runs one session on a background thread. ``log`` receives ``(level, message)``."""

    def __init__(self, sources: dict[str, Any], log: Callable[[str, str], None], *, finish_timeout_s: float,
                 instance: Optional[str] = None, pool: Any = None, options: Optional[dict[str, Any]] = None):
        # ``options``: docs/api.md ``SessionOptions`` beside the instance (shard, receipts,
        # worker): the facts the core decides from which run this job completes.
        self._session = _native.Session(sources, {**(options or {}), "instance": instance or uuid.uuid4().hex},
                                        now_ms())
        # How long :meth:`finish` waits: longer than the session's own upload deadline, after
        # which the session saves what is undelivered and finishes by itself.
        self.finish_timeout_s = finish_timeout_s
        self._log = log
        # The HTTP client: a urllib3.PoolManager made on the first request, unless the caller
        # gave one of the same interface (its own proxy or TLS settings; a fake in tests).
        self._pool: Any = pool
        # Read once: request threads never call into the session.
        self._token: Optional[str] = self._session.token()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        # Held by whoever calls into the session: the background thread, or the rescue.
        self._session_lock = threading.Lock()
        # Appended by the test loop, emptied by the background thread (deque: both without a lock).
        self._pending: deque[dict[str, Any]] = deque()
        self._added = 0
        # Events for the session: answers from request threads, and the test loop's own.
        self._events: list[dict[str, Any]] = []
        self._requests = 0  # requests whose answer has not been fed back yet
        self._until: Optional[int] = None
        self.receipt: Optional[dict[str, Any]] = None
        self._finished = threading.Event()
        self._thread: Optional[threading.Thread] = None
        # Set when a bug stopped the reporting: the network part is over, every request is
        # answered as failed without being sent, so the session's own rules save what it holds.
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
        for its receipt. If a bug stopped the background thread, or it is stuck, the results
        are saved here instead (:meth:`_rescue`)."""
        end = time.monotonic() + self.finish_timeout_s
        self.send({"event": "all_tests_done"})
        if self._thread is not None:
            self._finished.wait(self.finish_timeout_s)
        if self.receipt is None:
            if not self._stopped:
                self._stopped = True
                self._log("error", "testrelay: the reporting thread did not finish in time; "
                                   "the results it holds are saved locally instead")
            self._rescue(max(end, time.monotonic() + RESCUE_LOCK_S))
        return self.receipt

    def drive_until_run_known(self, deadline_s: float) -> Optional[int]:
        """Drives the session on the calling thread until the run id is known, the session
        gave up opening it, or ``deadline_s`` passed (the xdist controller, before its
        workers start)."""
        end = time.monotonic() + deadline_s
        while self._session.run_id is None and self.receipt is None and time.monotonic() < end:
            self._drain()
            if self._session.run_id is not None or (self._requests == 0 and self._until is None):
                break
            self._wait_for_events(min(end, self._timer_s()))
        return self._session.run_id

    # -- background side ------------------------------------------------------------------

    def _loop(self) -> None:
        try:
            while self.receipt is None and not self._stopped:
                with self._lock:
                    if len(self._pending) < WAKE_EVERY and not self._events:
                        timeout = IDLE_POLL_S
                        if self._until is not None:
                            timeout = min(timeout, max(0.0, (self._until - now_ms()) / 1000.0))
                        self._wake.wait(timeout)
                self._drain()
        except BUG as e:  # a bug here must end the wait, not hang pytest
            self._stop(e)

    def _stop(self, e: BaseException) -> None:
        if not self._stopped:
            self._stopped = True
            self._log("error", f"testrelay: reporting stopped: {type(e).__name__}: {e}; "
                               "the results are saved locally at the end instead")
        self._finished.set()  # wakes :meth:`finish`, which rescues

    def _timer_s(self) -> float:
        """The monotonic time of the session's next timer (or a short idle poll)."""
        wait = IDLE_POLL_S if self._until is None else max(0.0, (self._until - now_ms()) / 1000.0)
        return time.monotonic() + wait

    def _wait_for_events(self, until: float) -> None:
        with self._lock:
            if not self._events:
                self._wake.wait(max(0.0, until - time.monotonic()))

    def _rescue(self, end: float) -> None:
        """After a bug stopped the reporting, or the background thread got stuck. The session
        still holds every result it was given, and the test loop kept appending to
        ``_pending``: feed those, answer every new request as failed (no more network), write
        the files it asks for, until it finishes. Requests still out are given up by the
        session at their timeout. Its own rules then put every undelivered result in the
        fallback report and leave the run open; nothing is decided here."""
        if not self._session_lock.acquire(timeout=max(0.0, end - time.monotonic())):
            self._log("error", "testrelay: the reporting thread is stuck inside the session; "
                               "the results it holds could not be saved")
            return
        try:
            cut, self._performing = self._performing, None
            if cut is not None and cut["action"] == "write_files":
                try:  # a file action a bug cut short: written now
                    self._session.handle(now_ms(), _native.write_files(cut))
                except _native.TestrelayError:
                    pass  # it had been answered before the bug
            while self.receipt is None and time.monotonic() < end:
                self._drain_locked()
                if self.receipt is None:
                    self._wait_for_events(min(end, self._timer_s()))
        except BUG as e:  # never an error out of pytest's teardown
            self._log("error", f"testrelay: the results could not be saved: {type(e).__name__}: {e}")
        finally:
            self._session_lock.release()

    def _drain(self) -> None:
        with self._session_lock:
            self._drain_locked()

    def _drain_locked(self) -> None:
        """Feeds pending results and events, then polls until wait/finished."""
        pending = self._pending
        results = [pending.popleft() for _ in range(len(pending))]
        with self._lock:
            events, self._events = self._events, []
        if results:
            self._add(results)
        for event in events:
            if event["event"] in ("http_response", "http_failed", "attachment_unreadable"):
                self._requests -= 1
            self._handle(event)
        while True:
            action = self._session.step(now_ms())
            kind = action["action"]
            if kind == "wait":
                self._until = action["until"]
                return
            if kind == "finished":
                self.receipt = action["receipt"]
                self._finished.set()
                return
            self._performing = action
            self._perform(action)
            self._performing = None

    def _handle(self, event: dict[str, Any]) -> None:
        try:
            self._session.handle(now_ms(), event)
        except _native.UnknownRequestError:
            pass  # the answer to a request the rescue already answered as failed

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

    def _perform(self, action: dict[str, Any]) -> None:
        kind = action["action"]
        if kind == "log":
            self._log(action["level"], action["message"])
        elif kind == "write_files":
            # Only an action cut short by a bug comes here (``step`` performs the others):
            # native, a whole action with the GIL released once.
            self._session.handle(now_ms(), _native.write_files(action))
        elif kind in ("http", "multipart"):
            self._requests += 1
            if self._stopped:
                self._answer({"event": "http_failed", "request_id": action["request_id"],
                              "message": "reporting stopped"})
            else:
                threading.Thread(target=self._exchange, args=(action,), name="testrelay-request",
                                 daemon=True).start()
        else:
            # A core newer than this host: a bug to stop on, never an action to skip.
            raise RuntimeError(f"unknown action {kind!r}")

    def _answer(self, event: dict[str, Any]) -> None:
        """Queues the event that answers a request; the background thread feeds it."""
        with self._lock:
            self._events.append(event)
            self._wake.notify()

    def _exchange(self, action: dict[str, Any]) -> None:
        """One request, on its own daemon thread (a hung one never delays the exit); its
        answer is queued when it comes, and the session's clock says when it is late."""
        try:
            event = self._multipart(action) if action["action"] == "multipart" else self._http(action)
        except BUG as e:
            self._stop(e)
            event = {"event": "http_failed", "request_id": action["request_id"], "message": "reporting stopped"}
        self._answer(event)

    def _http(self, action: dict[str, Any]) -> dict[str, Any]:
        return self._request(action, body=action["body"] or None)

    def _multipart(self, action: dict[str, Any]) -> dict[str, Any]:
        """A multipart upload (part ``field``); the host reads the file, the core never does."""
        try:
            if action["file_path"] is not None:
                data = Path(action["file_path"]).read_bytes()
            else:
                data = base64.b64decode(action["content"] or "", validate=True)
        except (OSError, ValueError) as e:
            return {"event": "attachment_unreadable", "request_id": action["request_id"], "message": str(e)}
        part = (action["name"], data, action["content_type"] or "application/octet-stream")
        return self._request(action, fields={action["field"]: part})

    def _request(self, action: dict[str, Any], **send: Any) -> dict[str, Any]:
        import urllib3  # only testops mode pays for the import

        with self._lock:
            if self._pool is None:
                self._pool = urllib3.PoolManager(retries=False, maxsize=8)
        token = self._token or ""
        headers = {name: value.replace(_native.TOKEN_PLACEHOLDER, token) for name, value in action["headers"]}
        request_id = action["request_id"]
        seconds = action["timeout_ms"] / 1000
        try:
            # The total bounds connecting; reads past it are the session's to give up on
            # (a server sending a byte now and then resets a socket's read timeout).
            response = self._pool.request(action["method"], action["url"], headers=headers, redirect=False,
                                          timeout=urllib3.Timeout(total=seconds), **send)
        except urllib3.exceptions.HTTPError as e:
            # The exception text names host and path only; the token is a header, never in it.
            return {"event": "http_failed", "request_id": request_id, "message": type(e).__name__}
        return {
            "event": "http_response",
            "request_id": request_id,
            "status": response.status,
            "body": response.data.decode("utf-8", "replace"),
            "retry_after": response.headers.get("Retry-After"),
            "location": response.headers.get("Location"),
        }
