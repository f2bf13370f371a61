"""The testrelay Robot Framework listener: ``robot --listener testrelay.robot tests/``.

It reports every test to Qase TestOps, or to a local report, through one testrelay session
per ``robot`` run, built on the public host kit (:class:`testrelay.host.ReporterSession`) as
any other reporter would be. Configuration: ``qase.config.json`` (the working directory, then
the folder of the suite) < ``QASE_*`` env, resolved by the core. Tags (as qase-robotframework
reads them): ``Q-12`` a case id, ``qase.ignore`` not reported, ``qase.fields:{"severity":
"major"}`` fields, ``qase.params:[user, plan]`` parameters from variables; other tags go to
the result's ``tags`` field. docs/robot.md is the guide.

The listener hands Robot's facts over and decides nothing: PASS/FAIL/SKIP, the phase a failure
came from and Robot's message go to the core, which classifies them (rules ``robot.*``).
It never raises into Robot and never changes Robot's results: the exit code is Robot's own.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from . import PanicException, classify
from .host import ReporterSession

F = TypeVar("F", bound=Callable[..., None])

STATUSES = {"PASS": "passed", "FAIL": "failed", "SKIP": "skipped"}
# A keyword that never ran (after a failure, or in a branch not taken) is a skipped step.
STEP_STATUSES = {**STATUSES, "NOT RUN": "skipped"}
CASE_ID = re.compile(r"Q-(\d+)", re.IGNORECASE)
# What Robot puts after a test's own failure when its teardown failed too (robot.running.status).
ALSO_TEARDOWN = "\n\nAlso teardown failed:\n"
# Body items that only group their branches: the branches become the steps.
ROOTS = ("IF/ELSE ROOT", "TRY/EXCEPT ROOT")
KEYWORDS = ("KEYWORD", "SETUP", "TEARDOWN")


class Lines:
    """The session's log lines, printed once at the end of the run (a line printed while Robot
    writes a test's status line would cut it in two); a repeated line says how often."""

    def __init__(self) -> None:
        self.lines: dict[str, list[Any]] = {}

    def __call__(self, level: str, message: str) -> None:
        line = self.lines.setdefault(message, [level, 0])
        line[1] += 1

    def print(self, summary: Optional[str]) -> None:
        if summary is not None and summary not in self.lines:
            self("info", summary)
        for message, (level, times) in self.lines.items():
            text = message if message.startswith("testrelay") else f"testrelay: {message}"
            print(text if times == 1 else f"{text} ({times} times)",
                  file=sys.stderr if level in ("warn", "error") else sys.stdout, flush=True)
        self.lines.clear()


def guarded(method: F) -> F:
    """A listener method that never raises into Robot (a listener error is an ERROR in Robot's
    log, and with ``--exitonerror`` it would stop the run): a bug is said, the run goes on."""

    @functools.wraps(method)
    def call(self: Listener, *args: Any) -> None:
        try:
            method(self, *args)
        except (Exception, PanicException) as e:  # noqa: BLE001 - the reason this wrapper exists
            self.lines("error", f"testrelay: {method.__name__}: {type(e).__name__}: {e} (reporting goes on)")

    return call  # type: ignore[return-value]


class Listener:
    """One ``robot`` run, one session: created when the top suite starts, ended when it ends.

    A test's result goes to the session when it ends, unless a suite above it has a teardown:
    Robot fails every test of a suite whose teardown fails, after those tests ended, so their
    results wait for that suite's end and carry its verdict."""

    ROBOT_LISTENER_API_VERSION = 3

    def __init__(self) -> None:
        self.lines = Lines()
        self.session: Optional[ReporterSession] = None
        self.expected = 0
        self.reported = 0
        self.interrupted = False
        # Per running suite, outermost first: its suite path, and whether it or a suite above
        # it has a teardown (its tests' results wait).
        self.paths: list[list[str]] = []
        self.holding: list[bool] = []
        # Results waiting for their suites' teardowns: (Robot's test result, the TestResult).
        self.held: list[tuple[Any, dict[str, Any]]] = []
        self.receipt: Optional[dict[str, Any]] = None

    @guarded
    def start_suite(self, data: Any, result: Any) -> None:
        self.paths.append([*self.paths[-1], result.name] if self.paths else [result.name])
        self.holding.append(bool(data.has_teardown) or bool(self.holding and self.holding[-1]))
        if result.parent is None:
            self._start(data)

    def _start(self, data: Any) -> None:
        from robot.running.context import EXECUTION_CONTEXTS  # type: ignore[import-untyped]

        context = EXECUTION_CONTEXTS.current
        if context is not None and context.dry_run:
            self.lines("info", "testrelay: a dry run executes no test; nothing is reported")
            return
        source = Path(data.source) if data.source else None
        folders = [Path.cwd()] + ([source if source.is_dir() else source.parent] if source else [])
        self.expected = data.test_count
        self.session = ReporterSession(runner="robot", dirs=folders, log=self.lines)
        self.session.start()  # the run opens while the first tests run

    @guarded
    def end_test(self, data: Any, result: Any) -> None:
        if self.session is None:
            return
        outcome = outcome_of(data, result)
        if outcome["runner_status"] == "failed":
            if classify(outcome)["rule"] == "robot.interrupted":
                self.interrupted = True
            # After Ctrl-C Robot fails every test it did not start (tag robot:exit): they did
            # not run, so they are not reported, as a runner that stops reports none.
            if self.interrupted and result.tags.robot("exit"):
                return
        self.reported += 1
        built = essentials(result, outcome, self.paths[-1])
        try:
            if not add_metadata(built, result, self.lines):
                return  # qase.ignore
        except (Exception, PanicException) as e:  # noqa: BLE001 - the test is still reported
            self.lines("error", f"testrelay: {result.name}: reported without its steps and tags: "
                                f"{type(e).__name__}: {e}")
        if self.holding[-1]:
            self.held.append((result, built))
        else:
            self.session.add(built)

    @guarded
    def end_suite(self, data: Any, result: Any) -> None:
        self.paths.pop()
        holding = self.holding.pop()
        if self.session is None:
            return
        if holding and result.has_teardown and (result.teardown.failed or result.teardown.skipped):
            for test, built in self.held:
                if is_under(test, result):
                    apply_suite_teardown(built, test, result.teardown)
        if not (self.holding and self.holding[-1]):
            for _, built in self.held:
                self.session.add(built)
            self.held.clear()
        if result.parent is None:
            self._end()

    @guarded
    def close(self) -> None:
        # After Robot's last line about the run: the lines stay together, below its own.
        self._end()
        self.lines.print(self.receipt["summary"] if self.receipt is not None else None)

    def _end(self) -> None:
        session, self.session = self.session, None
        if session is None:
            return
        for _, built in self.held:
            session.add(built)
        self.held.clear()
        if self.interrupted:
            session.interrupted()
        self.receipt = session.end(expected_tests=self.expected, tests_reported=self.reported)
        if self.receipt is None:
            self.lines("error", "testrelay: the session did not finish in time; results may be undelivered")


# ``--listener testrelay.robot``: Robot takes the class named like the module, one per run.
robot = Listener


def outcome_of(data: Any, result: Any) -> dict[str, Any]:
    """What the core classifies: Robot's status, and for a failure the phase it came from and
    Robot's message for it (its own words; the core reads them)."""
    status = STATUSES.get(result.status, result.status.lower())
    outcome: dict[str, Any] = {"framework": "robot", "runner_status": status}
    if status == "failed":
        phase, message = failure_of(data, result)
        outcome["phase"] = phase
        outcome["error"] = {"type": None, "message": message, "stack": None}
    return outcome


def essentials(result: Any, outcome: dict[str, Any], suite: list[str]) -> dict[str, Any]:
    """What a result needs from the test's run alone: the whole result of a plain test, and
    what is still reported when reading its steps or tags fails."""
    built: dict[str, Any] = {
        "title": result.name,
        "suite": suite,
        # The signature qase-robotframework gives a test (suites and name, lowercased, spaces
        # as underscores) is the Python flavour's over this path.
        "node_id": "/".join([*suite, result.name]),
        "outcome": outcome,
        "started_at": epoch_ms(result.start_time),
        "duration": ms(result.elapsed_time),
    }
    if result.message:
        built["message"] = result.message  # Robot's whole message, as its report shows it
    return built


def add_metadata(built: dict[str, Any], result: Any, log: Callable[[str, str], None]) -> bool:
    """Steps, case ids, fields and parameters into ``built``; False for a ``qase.ignore`` test."""
    tags = read_tags(list(result.tags), log)
    if tags.ignore:
        return False
    built["steps"] = steps_of(result)
    if tags.ids:
        built["testops_ids"] = tags.ids
    fields = {"description": result.doc} if result.doc else {}
    if tags.other:
        fields["tags"] = ",".join(tags.other)
    fields.update(tags.fields)
    if fields:
        built["fields"] = fields
    if tags.params:
        built["params"] = variable_values(tags.params)
    return True


def failure_of(data: Any, result: Any) -> tuple[str, str]:
    """The phase of a failed test's failure and its own message. A suite setup that failed
    fails every test under it before it starts; the test's setup comes next; its teardown
    decides only when the test had not failed before it."""
    suite = result.parent
    while suite is not None:
        if suite.has_setup and suite.setup.failed:
            return "setup", suite.setup.message
        suite = suite.parent
    if result.has_setup and result.setup.failed:
        return "setup", result.setup.message
    if result.has_teardown and result.teardown.failed:
        if not data.error and not any(getattr(item, "failed", False) for item in result.body):
            return "teardown", result.teardown.message
        return "call", result.message.removesuffix(ALSO_TEARDOWN + result.teardown.message)
    return "call", result.message


def apply_suite_teardown(built: dict[str, Any], test: Any, teardown: Any) -> None:
    """A suite teardown that failed or skipped after the test ended: Robot has changed the
    test's status and message. A test that had passed failed in that teardown; a failed one
    keeps its own failure; a skipped teardown skips every test (Robot's final word)."""
    outcome = built["outcome"]
    status = STATUSES.get(test.status, test.status.lower())
    if outcome["runner_status"] == "passed" and status == "failed":
        outcome["phase"] = "teardown"
        outcome["error"] = {"type": None, "message": teardown.message, "stack": None}
    outcome["runner_status"] = status
    if test.message:
        built["message"] = test.message


def is_under(test: Any, suite: Any) -> bool:
    parent = test.parent
    while parent is not None and parent is not suite:
        parent = parent.parent
    return parent is suite


class Tags:
    """What a test's tags say, as qase-robotframework reads them."""

    __slots__ = ("ids", "ignore", "fields", "params", "other")

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.ignore = False
        self.fields: dict[str, str] = {}
        self.params: list[str] = []
        self.other: list[str] = []


def read_tags(tags: list[str], log: Callable[[str, str], None]) -> Tags:
    found = Tags()
    for tag in tags:
        lowered = tag.lower()
        case_id = CASE_ID.fullmatch(tag)
        if case_id:
            found.ids.append(int(case_id.group(1)))
        elif lowered == "qase.ignore":
            found.ignore = True
        elif lowered.startswith("qase.fields"):
            try:
                fields = json.loads(tag.split(":", 1)[-1].strip())
                found.fields.update({str(k): str(v) for k, v in fields.items()})
            except (ValueError, AttributeError):
                log("warn", f"testrelay: tag {tag!r}: not a JSON object of fields; ignored")
        elif lowered.startswith("qase.params"):
            names = tag.split(":", 1)[-1].strip().removeprefix("[").removesuffix("]")
            found.params = [n.strip() for n in names.split(",") if n.strip()]
        elif not lowered.startswith(("robot:", "qase.")):
            found.other.append(tag)
    return found


def variable_values(names: list[str]) -> dict[str, str]:
    """``qase.params`` names → the values of those variables where the test ended."""
    from robot.libraries.BuiltIn import BuiltIn

    builtin = BuiltIn()
    values = {}
    for name in names:
        value = builtin.get_variable_value("${%s}" % name)
        if value is not None:
            values[name] = str(value)
    return values


def steps_of(item: Any) -> list[dict[str, Any]]:
    """A test's (or a keyword's) setup, body and teardown as nested steps."""
    steps = []
    if getattr(item, "has_setup", False):
        steps.append(step(item.setup, "[Setup] "))
    for child in getattr(item, "body", ()):
        kind = child.type
        if kind == "MESSAGE":
            continue
        if kind in ROOTS:
            steps.extend(step(branch) for branch in child.body)
        else:
            steps.append(step(child))
    if getattr(item, "has_teardown", False):
        steps.append(step(item.teardown, "[Teardown] "))
    return steps


def step(item: Any, prefix: str = "") -> dict[str, Any]:
    """One keyword or control structure: its title as Robot's log shows it, its arguments as
    the step's data."""
    kind = item.type
    data = None
    if kind in KEYWORDS:
        assign = f"{'    '.join(item.assign)} = " if item.assign else ""
        title = f"{prefix}{assign}{item.name}"
        data = "    ".join(str(a) for a in item.args) or None
    elif kind == "ITERATION":
        values = getattr(item, "assign", None)  # a FOR iteration's values; a WHILE one has none
        title = "    ".join(f"{k} = {v}" for k, v in values.items()) if values else "ITERATION"
    else:
        title = str(item)
    found: dict[str, Any] = {
        "title": title,
        "status": STEP_STATUSES.get(item.status),
        "started_at": epoch_ms(item.start_time),
        "duration": ms(item.elapsed_time),
    }
    if data is not None:
        found["data"] = data
    children = steps_of(item)
    if children:
        found["steps"] = children
    return found


def epoch_ms(moment: Optional[datetime]) -> Optional[float]:
    # Robot's times are naive local times: timestamp() reads them as such.
    return moment.timestamp() * 1000.0 if moment is not None else None


def ms(elapsed: Optional[timedelta]) -> Optional[float]:
    return elapsed.total_seconds() * 1000.0 if elapsed is not None else None
