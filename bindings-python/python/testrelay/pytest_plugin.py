"""The testrelay pytest plugin (entry point ``pytest11``): reports every test to Qase TestOps
or to a local report, through the testrelay core's session.

Configuration, later wins: ``qase.config.json`` < ``QASE_*`` env < ``--testrelay-*`` options
(resolved by the core; a bad value is a warning, never an error). Without a token the mode is
``report``. Markers::

    @pytest.mark.testrelay_id(1, 2)          # case ids (also @pytest.mark.qase_id(1))
    @pytest.mark.testrelay_title("Login works")
    @pytest.mark.testrelay_fields(severity="critical", layer="api")
    @pytest.mark.testrelay_muted             # does not decide the run status
    @pytest.mark.testrelay_ignore            # not reported

Without xdist, the one session creates the run while the tests run (no wait before the first
test) and completes it when everything was delivered and the run was not interrupted. With
pytest-xdist the controller creates (or joins) the run before the workers start, waiting at
most ``testops.startTimeoutMs``, and hands its id to the workers in ``workerinput`` (without a
run they save their results locally, and the controller says so once); workers upload their
own results and send their receipt back in ``workeroutput``; the controller completes the run
only when every worker delivered all.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Optional

import pytest

from . import _native
from .host import ReporterSession, collect_sources
from ._results import Attempt, build, case_ids, error_info, essentials, marks

RUN_ID_KEY = "testrelay_run_id"
NO_RUN_KEY = "testrelay_no_run"
RECEIPT_KEY = "testrelay_receipt"
LINES_KEY = "testrelay_lines"
JOB_KEY = "testrelay_job"
# The framework of an item, by its class name (any other class is pytest's).
FRAMEWORKS = {"TestCaseFunction": "unittest"}

# --testrelay-<name> → dotted key of the qase.config.json shape.
OPTIONS = {
    "mode": ("mode", "testops / report / off"),
    "project": ("testops.project", "project code"),
    "host": ("testops.api.host", "API host, or a full http(s):// base"),
    "run-id": ("testops.run.id", "report into this existing run"),
    "run-title": ("testops.run.title", "title of the created run"),
    "run-description": ("testops.run.description", "description of the created run"),
    "run-complete": ("testops.run.complete", "complete the run at the end (true/false)"),
    "plan-id": ("testops.plan.id", "test plan id"),
    "environment": ("environment", "environment slug"),
    "batch-size": ("testops.batch.size", "results per upload (1..200)"),
    "report-path": ("report.connection.local.path", "folder of the local report"),
    "fallback": ("fallback", "where undelivered results go (report / off)"),
    "debug": ("debug", "debug trace (true/false)"),
    "status-mapping": ("statusMapping", "status mapping, e.g. invalid=failed,blocked=skipped"),
    "status-filter": ("testops.statusFilter", "statuses not reported, e.g. skipped,blocked"),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("testrelay", "testrelay reporting (Qase TestOps)")
    for name, (key, help_) in OPTIONS.items():
        group.addoption(f"--testrelay-{name}", dest=f"testrelay_{name.replace('-', '_')}", default=None,
                        help=f"{help_} [{key}]")


def pytest_configure(config: pytest.Config) -> None:
    for line in (
        "testrelay_id(*ids): Qase case ids of this test",
        "qase_id(id): Qase case id (qase-pytest compatible)",
        "qase_title(title): the title reported for this test (qase-pytest compatible)",
        "testrelay_title(title): the title reported for this test",
        "testrelay_fields(**fields): custom fields (severity, layer, description, ...)",
        "testrelay_muted: the result does not decide the run status",
        "testrelay_ignore: the test is not reported",
    ):
        config.addinivalue_line("markers", line)
    if not hasattr(config, "workerinput") and config.pluginmanager.hasplugin("xdist") and _xdist_active(config):
        config.pluginmanager.register(Controller(config), "testrelay-controller")
    else:
        config.pluginmanager.register(Reporter(config), "testrelay-reporter")


def _xdist_active(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "numprocesses", None) or getattr(config.option, "tx", None)) and \
        getattr(config.option, "dist", "no") != "no"


def sources(config: pytest.Config, run_id: Any = None, no_run: bool = False) -> dict[str, Any]:
    """The four configuration sources of the core (docs/api.md ``Sources``); the core
    resolves and judges them, and says where ``qase.config.json`` is looked for (the working
    directory, then pytest's rootdir). ``run_id``: the run this process joins; ``no_run``: the
    run could not be opened, so results go to the local report."""
    cli: dict[str, Any] = {}
    for name, (key, _) in OPTIONS.items():
        value = config.getoption(f"testrelay_{name.replace('-', '_')}")
        if value is not None:
            _set(cli, key, value)
    if run_id is not None:
        _set(cli, "testops.run.id", run_id)
    if no_run:
        _set(cli, "mode", "report")
    return collect_sources(None, [Path.cwd(), config.rootpath], os.environ, cli)


def _set(tree: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[leaf] = value


class Lines:
    """Log lines of the sessions, kept for the terminal summary. A line one session says
    again is kept once with how often it was said (two batches refused for the same reason
    are two lines' worth); lines several sessions say alike (workers' configuration
    warnings) are merged, with the highest count any one of them said it."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str, int]] = []
        self._index: dict[str, int] = {}

    def __call__(self, level: str, message: str, times: int = 1) -> None:
        at = self._index.get(message)
        if at is None:
            self._index[message] = len(self.lines)
            self.lines.append((level, message, times))
        else:
            kept_level, _, count = self.lines[at]
            self.lines[at] = (kept_level, message, count + times)

    def merge(self, other: list[tuple[str, str, int]]) -> None:
        """Another session's lines (an xdist worker's), merged as the class says."""
        for level, message, times in other:
            at = self._index.get(message)
            if at is None:
                self(level, message, times)
            else:
                kept_level, _, count = self.lines[at]
                self.lines[at] = (kept_level, message, max(count, times))

    def shown(self, hidden: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """``(level, text)`` to print: a repeated line says how often."""
        return [(level, message if times == 1 else f"{message} ({times} times)")
                for level, message, times in self.lines if message not in hidden]


def start_host(config: pytest.Config, src: dict[str, Any], lines: Lines) -> Optional[ReporterSession]:
    """A reporting session (the host kit's), or None when reporting is off or cannot start
    (said, never an error that would abort pytest). An xdist worker's session never
    completes the run: its controller does."""
    session = ReporterSession(sources=src, runner="pytest", log=lines, worker=hasattr(config, "workerinput"))
    if session.mode == "off":
        return None
    return session


class RunOwner:
    """In testops mode, the session that creates the run and nothing else. The sessions that
    carry results join that run (they never complete it); the owner completes it at the end
    only when every result session delivered everything and the run was not interrupted —
    otherwise it is left open (its session is dropped unfinished, holding no results)."""

    def __init__(self, config: pytest.Config, lines: Lines):
        self.host = None
        self.run_id: Optional[int] = None
        src = sources(config)
        try:
            resolved = _native.resolve_config(src)["config"]
        except Exception:  # noqa: BLE001 - reported by the result session's own start
            return
        if resolved["mode"] != "testops" or resolved["testops"].get("runId") is not None:
            return
        self.host = start_host(config, src, lines)
        if self.host is not None:
            self.run_id = self.host.wait_for_run()

    @property
    def failed(self) -> bool:
        """True when this owner was to open the run and could not."""
        return self.host is not None and self.run_id is None

    def end(self, receipts: dict[str, Optional[dict[str, Any]]], interrupted: bool, lines: Lines) -> None:
        """Completes the run if the core says every job (``receipts``: job → receipt, None
        for a job that sent none) delivered everything; else leaves it open."""
        if self.host is None or self.run_id is None:
            return
        decision = _native.decide_completion({
            "run_id": self.run_id,
            "receipts": [{**r, "job": job} for job, r in receipts.items() if r is not None],
            "expected_jobs": list(receipts),
        })
        for line in decision["lines"]:
            lines("info", line)
        if interrupted:
            lines("warn", f"testrelay: run {self.run_id} left open: the test session was interrupted")
        elif decision["complete"]:
            receipt = self.host.end()
            if receipt is not None and receipt["completed"]:
                lines("info", f"testrelay: run {self.run_id} completed")

    def hidden(self, *receipts: Optional[dict[str, Any]]) -> frozenset[str]:
        """Summary lines of the sessions behind the decision (the owner's own, the joined
        ones'): the decision's lines say what happened to the run."""
        mine = self.host.receipt if self.host is not None else None
        return frozenset(r["summary"] for r in (mine, *receipts) if r is not None)


class Reporter:
    """One pytest process that runs tests (no xdist, or an xdist worker)."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.lines = Lines()
        workerinput = getattr(config, "workerinput", None)
        self.thread = workerinput["workerid"] if workerinput else None
        run_id = workerinput.get(RUN_ID_KEY) if workerinput else None
        no_run = bool(workerinput and workerinput.get(NO_RUN_KEY))
        self.tests_done: set[str] = set()
        # The test whose phases are being reported, when it started (ms) and its attempt so
        # far (None while every phase passed).
        self.item: Optional[pytest.Item] = None
        self.started_ms = 0.0
        self.attempt: Optional[Attempt] = None
        self.host = start_host(config, sources(config, run_id, no_run), self.lines)
        self.interrupted = False
        if self.host is not None:
            # The receipt's job (one run across CI jobs): the xdist controller's name for the
            # whole pytest job, else the kit's ($TESTRELAY_JOB, else unique to this process).
            if workerinput and workerinput.get(JOB_KEY):
                self.host.job = workerinput[JOB_KEY]
            self.host.start()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        # Runs three times per test: a passing phase costs a few attribute reads and tests.
        report = yield
        when = call.when
        if self.host is None:
            if when == "teardown":
                self.tests_done.add(item.nodeid)
            return report
        # pytest runs the phases of one test one after the other, never interleaved.
        if when == "setup" or self.item is not item:
            self.item, self.started_ms, self.attempt = item, report.start * 1000.0, None
        if report.outcome != "passed" or hasattr(report, "wasxfail"):
            excinfo = call.excinfo
            error = None
            if excinfo is not None and not excinfo.errisinstance(pytest.skip.Exception):
                try:
                    error = error_info(excinfo, report)
                except (Exception, _native.PanicException) as e:  # never raised into pytest
                    self.lines("error", f"testrelay: {item.nodeid}: its error is reported without details: "
                                        f"{type(e).__name__}: {e}")
            attempt = self.attempt
            if attempt is None:
                attempt = self.attempt = Attempt()
            attempt.add(report, error)
        if when == "teardown":
            # Ignored tests count as accounted for: only tests that never ran are missing.
            nodeid = item.nodeid  # a property computed on each read
            self.tests_done.add(nodeid)
            attempt, self.item, self.attempt = self.attempt, None, None
            self.report(item, nodeid, attempt, self.started_ms, report.stop * 1000.0)
        return report

    def report(self, item: pytest.Item, nodeid: str, attempt: Optional[Attempt], started_ms: float,
               stop_ms: float) -> None:
        """Hands one finished attempt to the host (a list append). Reading the item failing
        (a bug, or an odd item) is said and the result still goes, without what the item would
        have added: never raised into pytest (that would abort the run), never lost."""
        if self.host is None:
            return
        framework = FRAMEWORKS.get(type(item).__name__, "pytest")
        try:
            found = marks(item)
            ids = None
            if found:  # most tests have none of the plugin's markers
                if "testrelay_ignore" in found:
                    return
                ids, bad = case_ids(found)
                if bad:
                    self.lines("warn", f"testrelay: {nodeid}: case ids {bad!r} are not integers; ignored")
            result = build(item, nodeid, found, attempt, started_ms, stop_ms, framework, self.thread, ids)
        except (Exception, _native.PanicException) as e:  # a reporter must never abort the test run
            self.lines("error", f"testrelay: {nodeid}: reported without its markers and params: "
                                f"{type(e).__name__}: {e}")
            result = essentials(nodeid, attempt, started_ms, stop_ms, framework, self.thread,
                                nodeid.rpartition("::")[2])
        self.host.add(result)

    def pytest_keyboard_interrupt(self) -> None:
        self.interrupted = True

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.host is None:
            return
        if self.interrupted:
            self.host.interrupted()
        # The kit writes the job receipt for `testrelay complete-run` ($TESTRELAY_RECEIPTS_DIR).
        receipt = self.host.end(expected_tests=session.testscollected, tests_reported=len(self.tests_done))
        if receipt is None:
            self.lines("error", "testrelay: the session did not finish in time; results may be undelivered")
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None:
            # The controller prints the workers' lines (failure links, warnings) once.
            workeroutput[RECEIPT_KEY] = receipt
            workeroutput[LINES_KEY] = self.lines.lines

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        write_summary(terminalreporter, self.lines, self.host.receipt if self.host is not None else None)


def write_summary(terminalreporter: Any, lines: Lines, receipt: Optional[dict[str, Any]],
                  hidden: frozenset[str] = frozenset()) -> None:
    """The testrelay section: warnings (once), failure links, decisions, one summary line."""
    shown = lines.shown(hidden)
    if not shown and receipt is None:
        return
    terminalreporter.section("testrelay", sep="-")
    for level, message in shown:
        terminalreporter.write_line(message, yellow=level == "warn", red=level == "error")
    if receipt is not None and all(receipt["summary"] != message for _, message in shown):
        terminalreporter.write_line(receipt["summary"])


class Controller:
    """The xdist controller: creates the run (testops mode), hands its id to the workers in
    ``workerinput``, gathers their receipts from ``workeroutput``, and completes the run only
    if every worker delivered everything."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.lines = Lines()
        self.receipts: dict[str, Optional[dict[str, Any]]] = {}
        self.owner = RunOwner(config, self.lines)
        self.interrupted = False
        # One name for the whole pytest job: every worker's receipt carries it.
        self.job: str = _native.job_name({"env_job": os.environ.get("TESTRELAY_JOB"), "runner": "pytest",
                                          "instance": uuid.uuid4().hex})
        self.finished: dict[str, int] = {}
        self.crashed_in: dict[str, str] = {}

    def pytest_configure_node(self, node: Any) -> None:
        self.receipts[node.gateway.id] = None
        node.workerinput[JOB_KEY] = self.job
        if self.owner.run_id is not None:
            node.workerinput[RUN_ID_KEY] = self.owner.run_id
        elif self.owner.failed:
            node.workerinput[NO_RUN_KEY] = True

    def pytest_keyboard_interrupt(self) -> None:
        self.interrupted = True

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        # Said here, not when the worker goes down: xdist reports the crashed test after that.
        for worker, receipt in self.receipts.items():
            if receipt is None and worker in self.finished.keys() | self.crashed_in.keys():
                crashed = self.crashed_in.get(worker)
                self.lines("warn", f"testrelay: worker {worker} ended without its receipt"
                                   + (f" (it crashed running {crashed}, which is not reported)" if crashed else "")
                                   + f": the results of the {self.finished.get(worker, 0)} test(s) it finished "
                                   "may be undelivered; the run is left open")
        self.owner.end(self.receipts, self.interrupted, self.lines)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # Counts each worker's finished tests (xdist forwards every report, and reports the
        # test a worker crashed in with the phase "???"), so a worker that dies before its
        # receipt is said with what it leaves unaccounted for.
        node = getattr(report, "node", None)
        if node is None:
            return
        worker = node.gateway.id
        when: str = report.when or ""  # typed as the three phases; xdist's crash report says "???"
        if when == "teardown":
            self.finished[worker] = self.finished.get(worker, 0) + 1
        elif when == "???":
            self.crashed_in[worker] = report.nodeid

    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        worker = node.gateway.id
        output = getattr(node, "workeroutput", None) or {}
        self.receipts[worker] = None if error else output.get(RECEIPT_KEY)
        self.lines.merge([tuple(line) for line in output.get(LINES_KEY, ())])

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        write_summary(terminalreporter, self.lines, None, self.owner.hidden(*self.receipts.values()))
