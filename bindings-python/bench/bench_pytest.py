"""Benchmark: bare pytest vs qase-pytest 9.0.0 vs testrelay, in report
mode, on N passing tests and on 1 test (start-up), best of R runs each (bare and testrelay
taking turns; qase-pytest, 10-30 s a run, its own Q runs after them; the 1-test runs 3 R). Prints the figures
side by side with ratios, twice: CPU time (user + system of the pytest process and all its
threads, from ``getrusage(RUSAGE_CHILDREN)``), which a shared machine disturbs far less, then
wall-clock (lines prefixed ``wall``). Each reporting run writes into a fresh report folder. qase-pytest lives in its own venv (made once under
$TESTRELAY_WORK/bench-qase-venv); bare and testrelay run from the project's venv.

    python bench_pytest.py [--tests 2000] [--repeat 7] [--qase-repeat 3]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple, Optional

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(os.environ.get("TESTRELAY_WORK", ROOT / ".testrelay-work"))
QASE_VENV = WORK / "bench-qase-venv"
QASE_PYTEST = ["qase-pytest==9.0.0", "pytest==9.2.0"]
REPORT_DIR = "QASE_REPORT_CONNECTION_PATH"


def make_suite(folder: Path, tests: int, per_file: int = 100) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(max(1, (tests + per_file - 1) // per_file)):
        n = min(per_file, tests - f * per_file)
        body = "".join(f"def test_{f}_{i}():\n    assert {i} == {i}\n\n" for i in range(n))
        (folder / f"test_bench_{f}.py").write_text(body)


def qase_python() -> Path:
    python = QASE_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(QASE_VENV)], check=True)
    probe = subprocess.run([str(python), "-m", "pip", "show", "-q", "qase-pytest"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *QASE_PYTEST],
                       check=True)
    return python


class Timing(NamedTuple):
    """Best wall-clock, least CPU time (user + system) and that run's system part (s) of one
    command over the repeats."""

    wall: float
    cpu: float
    system: float


def _children_cpu() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_stime


def file_floor(folder: Path, files: int, size: int = 300) -> float:
    """System CPU time (s, this process) of creating ``files`` files of ``size`` bytes named
    like a report's result files in a fresh folder under ``folder``: the kernel's floor of a
    report of one file per result, measured beside the runs (it moves with the state of the
    disk far more than the runs' other costs). The kernel's part only: the plugin creates its
    files natively, so this loop's own Python is not part of the floor."""
    target = Path(tempfile.mkdtemp(dir=folder)) / "results"
    target.mkdir()
    data = b"x" * size
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    before = resource.getrusage(resource.RUSAGE_SELF)
    for i in range(files):
        fd = os.open(target / f"{i:08x}-0000-4000-8000-{i:012x}.json", flags, 0o666)
        os.write(fd, data)
        os.close(fd)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return after.ru_stime - before.ru_stime


def best_of(repeat: int, commands: list[tuple[list[str], dict[str, str]]], cwd: Path,
            floor_files: int = 0) -> tuple[list[Timing], float]:
    """Each command ``repeat`` times, taking turns (a change of load hits all alike); with
    ``floor_files``, :func:`file_floor` in the report folder is a turn too. The timings, and
    the least floor (CPU s per file; NaN without ``floor_files``)."""
    floor = float("inf")
    wall = [float("inf")] * len(commands)
    cpu = [float("inf")] * len(commands)
    system = [float("nan")] * len(commands)
    for _ in range(repeat):
        for i, (cmd, env) in enumerate(commands):
            report_dir = env.get(REPORT_DIR)
            if report_dir is not None:
                # A fresh report folder per run (as a CI job has): one that kept the earlier
                # runs' files makes the kernel's file creation cost grow run after run. Kept
                # until the end: deleting thousands of files between runs slows the next
                # run's file creation as much.
                report_dir = tempfile.mkdtemp(dir=report_dir)
                env = {**env, REPORT_DIR: report_dir}
            cpu_before, system_before = _children_cpu()
            start = time.perf_counter()
            out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            if out.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
            cpu_after, system_after = _children_cpu()
            wall[i] = min(wall[i], elapsed)
            if cpu_after - cpu_before < cpu[i]:
                cpu[i], system[i] = cpu_after - cpu_before, system_after - system_before
        if floor_files:
            folder = next(env[REPORT_DIR] for _, env in commands if REPORT_DIR in env)
            floor = min(floor, file_floor(Path(folder), floor_files) / floor_files)
    return [Timing(*t) for t in zip(wall, cpu, system)], floor if floor_files else float("nan")


def report(title: str, rows: list[tuple[int, float, float, float, float]], prefix: str = "") -> None:
    """The table and the added start-up / per-test figures of one measure; ``prefix`` starts
    every line (scripts/bench reads the unprefixed block)."""
    print(f"{prefix}{title}:")
    print(f"{prefix}{'tests':>6} {'bare':>8} {'testrelay':>10} {'qase-pytest':>12} {'qase off':>9}  "
          f"{'testrelay/bare':>14} {'qase/bare':>9}")
    for tests, bare, relay, qase_report, qase_off in rows:
        print(f"{prefix}{tests:>6} {bare:>7.2f}s {relay:>9.2f}s {qase_report:>11.2f}s {qase_off:>8.2f}s  "
              f"{relay / bare:>14.3f} {qase_report / bare:>9.2f}")
    (_, bare1, relay1, qase1, _), (n, bare_n, relay_n, qase_n, _) = rows
    print(f"{prefix}start-up added: testrelay {1000 * (relay1 - bare1):+.0f} ms, "
          f"qase-pytest {1000 * (qase1 - bare1):+.0f} ms")
    per_relay = 1e6 * ((relay_n - bare_n) - (relay1 - bare1)) / (n - 1)
    per_qase = 1e6 * ((qase_n - bare_n) - (qase1 - bare1)) / (n - 1)
    print(f"{prefix}per test added: testrelay {per_relay:+.0f} µs, qase-pytest {per_qase:+.0f} µs")
    # The issue's own measure: what reporting adds to the whole run, as a share of the bare run.
    print(f"{prefix}whole {n}-test run added: testrelay {100 * (relay_n / bare_n - 1):+.1f} %, "
          f"qase-pytest {100 * (qase_n / bare_n - 1):+.1f} %")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tests", type=int, default=2000)
    # The per-test figure subtracts the 1-test runs' start-up difference: with 3 runs each, the
    # best of them still moved by ±50 ms, i.e. ±25 µs per test of 2,000. 1-test runs are cheap
    # (0.3 s), so they get three times the turns.
    parser.add_argument("--repeat", type=int, default=7, help="turns of bare and testrelay")
    parser.add_argument("--qase-repeat", type=int, default=3, help="runs of each qase-pytest command")
    parser.add_argument("--no-qase", action="store_true", help="leave qase-pytest out (quick run)")
    args = parser.parse_args()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("QASE_")}
    # The plugin's modules compiled, as pip leaves an installed wheel (and as Python itself
    # leaves them after a first run). With PYTHONDONTWRITEBYTECODE set, as on this machine, the
    # editable install would otherwise compile them afresh in every run: ≈ 7 ms of start-up
    # (python -X importtime) that the bare run, whose packages pip compiled, never pays.
    import testrelay

    compileall.compile_dir(Path(testrelay.__file__).parent, quiet=1)
    qase = None if args.no_qase else qase_python()
    # Suites and report folders inside the project's work folder, where a user's report goes
    # (in the project), not the system's temp folder. On this machine a new file costs 19-25 µs
    # of CPU in most folders and 300-800 µs in some, which ones changing within minutes (README,
    # "Benchmarks", note 2): the floor line below says which case a run met.
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=WORK, prefix="bench-pytest-") as tmp:
        tmp_path = Path(tmp)
        rows = []
        for tests in (1, args.tests):
            suite = tmp_path / f"suite_{tests}"
            make_suite(suite, tests)
            common = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "."]
            (tmp_path / "r").mkdir(exist_ok=True)
            report_env = {**base_env, "QASE_MODE": "report", REPORT_DIR: str(tmp_path / "r")}
            commands = [([sys.executable, *common, "-p", "no:testrelay"], base_env), ([sys.executable, *common], report_env)]
            timings, floor = best_of(args.repeat * (3 if tests == 1 else 1), commands, suite, tests if tests > 1 else 0)
            if qase is not None:
                qase_commands = [([str(qase), *common], report_env), ([str(qase), *common], {**base_env, "QASE_MODE": "off"})]
                timings += best_of(args.qase_repeat, qase_commands, suite)[0]
            if tests > 1:
                per_file = floor
            nan = Timing(float("nan"), float("nan"), float("nan"))
            rows.append((tests, *timings, *[nan] * (4 - len(timings))))
    # CPU time first: on a shared machine it is the figure; wall-clock follows, each line
    # prefixed "wall".
    report(f"CPU time, user + system (least of {args.repeat} turns; 1 test: {3 * args.repeat})",
           [(tests, *(t.cpu for t in ts)) for tests, *ts in rows])
    # The system part is mostly the kernel creating the report's files (one per result).
    (_, bare1, relay1, *_), (n, bare_n, relay_n, *_) = rows
    per_test_system = 1e6 * ((relay_n.system - bare_n.system) - (relay1.system - bare1.system)) / (n - 1)
    print(f"  of which system (kernel: the report's files): testrelay {per_test_system:+.0f} µs per test")
    print(f"  floor of one report file per result (system CPU of create + write + close of a 300 B "
          f"file in the report folder, this process, least of {args.repeat}): {1e6 * per_file:.0f} µs per file")
    report(f"wall-clock (best of {args.repeat} turns; 1 test: {3 * args.repeat})",
           [(tests, *(t.wall for t in ts)) for tests, *ts in rows], "wall ")


if __name__ == "__main__":
    main()
