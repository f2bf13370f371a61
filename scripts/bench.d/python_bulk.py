"""Per-result cost of the Python binding's bulk call (Session.add_results: read the dicts,
then classify + map + filter + queue in the core), median of 5 rounds of 20,000 results, in
µs of CPU time (time.process_time). Prints the total alone on stdout (scripts/bench reads
it) and its split on stderr: the read (`validate_results`, the same conversion without a
session) and the core (total − read)."""

import statistics
import sys
import tempfile
import time

import testrelay

N = 20_000
results = [
    {"title": f"test {i}", "suite": ["test_file.py", "Group"], "testops_ids": [i + 1] if i % 3 == 0 else None,
     "node_id": f"test_file.py::test_{i}",
     "outcome": {"framework": "pytest", "runner_status": "failed" if i % 5 == 0 else "passed",
                 "error": {"type": "AssertionError", "message": "assert 1 == 2", "matcher": True} if i % 5 == 0 else None},
     "started_at": 1_700_000_000_000, "duration": 12, "attempt": 0}
    for i in range(N)
]


def per_result(seconds: float) -> float:
    return seconds / N * 1e6


total, read = [], []
with tempfile.TemporaryDirectory() as tmp:
    for round_ in range(5):
        t0 = time.process_time()
        testrelay.validate_results(results)
        read.append(per_result(time.process_time() - t0))
        sources = {"options": {"mode": "report", "report": {"connection": {"local": {"path": tmp}}},
                               "statusMapping": {"invalid": "failed"}, "testops": {"statusFilter": ["skipped"]}},
                   "file": None, "env": {}, "cli": None}
        session = testrelay.Session(sources, {"instance": f"bench-{round_}"}, 0)
        t0 = time.process_time()
        session.add_results(0, results)
        total.append(per_result(time.process_time() - t0))
total_us, read_us = statistics.median(total), statistics.median(read)
print(f"{total_us:.2f}")
print(f"split: read (Python → Rust) {read_us:.2f} µs, core {total_us - read_us:.2f} µs per result",
      file=sys.stderr)
