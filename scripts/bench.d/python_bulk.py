"""Per-result cost of the Python binding's bulk call (Session.add_results: classify + map +
filter + queue), median of 5 rounds of 20,000 results, in µs. Prints the number only."""

import statistics
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
samples = []
with tempfile.TemporaryDirectory() as tmp:
    for round_ in range(5):
        sources = {"options": {"mode": "report", "report": {"connection": {"local": {"path": tmp}}},
                               "statusMapping": {"invalid": "failed"}, "testops": {"statusFilter": ["skipped"]}},
                   "file": None, "env": {}, "cli": None}
        session = testrelay.Session(sources, {"instance": f"bench-{round_}"}, 0)
        t0 = time.perf_counter()
        session.add_results(0, results)
        samples.append((time.perf_counter() - t0) / N * 1e6)
print(f"{statistics.median(samples):.2f}")
