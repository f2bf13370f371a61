"""A complete testrelay reporter for unittest, on the public host kit:
    python unittest_reporter.py [start directory]
Every decision (status, mapping, batching, retries, fallback, completion) is the core's: the
reporter only says what unittest saw."""

import sys
import time
import traceback
import unittest

from testrelay.host import ReporterSession


class Result(unittest.TextTestResult):
    session = ReporterSession(runner="unittest")

    def startTest(self, test):
        self.started = time.time()
        super().startTest(test)

    def report(self, test, status, err=None, expected=None, message=None):
        cls = err[0] if err else None
        self.session.add({
            "title": test._testMethodName,
            "suite": test.id().split(".")[:-1],
            "outcome": {
                "framework": "unittest", "runner_status": status, "expected_status": expected,
                "error": {"type": cls.__qualname__, "chain": [c.__qualname__ for c in cls.__mro__[:-1]],
                          "module": cls.__module__, "message": str(err[1]),
                          "stack": "".join(traceback.format_exception(*err))} if err else None,
            },
            "message": message, "started_at": self.started * 1000, "duration": (time.time() - self.started) * 1000,
        })

    def addSuccess(self, test): super().addSuccess(test); self.report(test, "passed")
    def addFailure(self, test, err): super().addFailure(test, err); self.report(test, "failed", err)
    def addError(self, test, err): super().addError(test, err); self.report(test, "failed", err)
    def addSkip(self, test, reason): super().addSkip(test, reason); self.report(test, "skipped", message=reason)
    def addExpectedFailure(self, test, err): super().addExpectedFailure(test, err); self.report(test, "failed", err, "failed")
    def addUnexpectedSuccess(self, test): super().addUnexpectedSuccess(test); self.report(test, "passed", None, "failed")


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.discover(sys.argv[1] if len(sys.argv) > 1 else ".")
    outcome = unittest.TextTestRunner(resultclass=Result).run(suite)
    Result.session.end(expected_tests=outcome.testsRun, tests_reported=outcome.testsRun)
    sys.exit(not outcome.wasSuccessful())
