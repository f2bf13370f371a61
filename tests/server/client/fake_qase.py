"""Starts the fake-qase test server (tests/server) for Python end-to-end tests.

    from fake_qase import start_fake_qase

    @pytest.fixture
    def qase_server():
        with start_fake_qase(token="t", faults={"upload": {"error": {"requests": [1]}}}) as server:
            yield server          # server.url, server.state(), server.set_faults(...)

The binary is $FAKE_QASE_BIN or target/debug/fake-qase of this repository (built by
scripts/setup.d/20-server.sh). The server exits by itself when this process ends. Standard
library only.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterable, Optional

_LISTENING = re.compile(r"^fake-qase listening on (http://127\.0\.0\.1:\d+)$")

# The server is local: never go through a proxy from the environment (CI may set one).
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def default_binary() -> str:
    """The binary that `start_fake_qase` runs unless told otherwise."""
    root = Path(__file__).resolve().parents[3]
    return os.environ.get("FAKE_QASE_BIN") or str(root / "target" / "debug" / "fake-qase")


class FakeQaseError(RuntimeError):
    """The server could not start, or a control request was refused."""


class FakeQase:
    """A running server; use as a context manager or call `stop()`."""

    def __init__(self, process: subprocess.Popen, url: str, token: str) -> None:
        self.process = process
        self.url = url
        self.token = token

    def _control(self, method: str, route: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/__control/{route}", data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with _OPENER.open(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            detail = json.load(error).get("error", error.code)
            raise FakeQaseError(f"fake-qase {method} /__control/{route}: {detail}") from None

    def state(self) -> dict:
        """Everything the server recorded (runs, results, request log), see its README."""
        return self._control("GET", "state")

    def set_faults(self, faults: dict) -> dict:
        """Replaces the faults; their request numbers count again from 1."""
        return self._control("PUT", "faults", faults)

    def create_run(self, project: str, run: Optional[dict] = None, completed: bool = False) -> int:
        """Creates a run up front (no token, not in the request log; already completed when
        `completed`); returns its id."""
        body = {"project": project, "run": run or {"title": "Run"}, "completed": completed}
        return self._control("POST", "runs", body)["id"]

    def add_configurations(self, project: str, groups: dict) -> dict:
        """Adds configuration groups with their values ({group: [value]}, no token, not in the
        request log); returns {group: {"id": N, "values": {value: N}}}."""
        return self._control("POST", "configurations", {"project": project, "groups": groups})["groups"]

    def reset(self) -> None:
        """Forgets everything recorded and removes every fault."""
        self._control("POST", "reset")

    def stop(self) -> Optional[int]:
        """Stops the server and returns its exit code."""
        if self.process.poll() is None:
            try:
                self._control("POST", "stop")
            except (OSError, FakeQaseError):
                self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        return self.process.returncode

    def __enter__(self) -> "FakeQase":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_fake_qase(
    token: str = "fake-qase-token",
    clients: Optional[Dict[str, str]] = None,
    faults: Optional[dict] = None,
    seed: int = 0,
    projects: Iterable[str] = (),
    binary: Optional[str] = None,
) -> FakeQase:
    """Starts a server on a free port and returns once it listens.

    `clients` ({name: token}) are more accepted tokens, named for client-scoped faults
    (`faults["clients"][name]`) and the request log.
    """
    binary = binary or default_binary()
    args = [binary, "--port", "0", "--token", token, "--seed", str(seed), "--exit-on-stdin-close"]
    for project in projects:
        args += ["--project", project]
    for name, client_token in (clients or {}).items():
        args += ["--client", f"{name}={client_token}"]
    try:
        process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    except OSError as error:
        raise FakeQaseError(f"cannot start {binary}: {error}") from None
    assert process.stdout is not None
    line = process.stdout.readline().rstrip("\n")
    match = _LISTENING.match(line)
    if not match:
        code = process.wait() if not line else process.poll()
        process.kill()
        raise FakeQaseError(f"fake-qase did not start (exit code {code}, first line {line!r})")
    server = FakeQase(process, match.group(1), token)
    if faults:
        try:
            server.set_faults(faults)
        except FakeQaseError:
            server.stop()
            raise
    return server
