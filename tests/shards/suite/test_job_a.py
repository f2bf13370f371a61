"""Job A of the shards end-to-end test: 10 tests (8 pass, 1 fails, 1 skips), one result each."""

import pytest


@pytest.mark.parametrize("n", range(10))
def test_job_a(n: int) -> None:
    if n == 9:
        pytest.skip("skipped on purpose")
    assert n != 4, "fails on purpose"
