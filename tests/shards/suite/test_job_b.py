"""Job B of the shards end-to-end test: 12 tests (11 pass, 1 fails), one result each."""

import pytest


@pytest.mark.parametrize("n", range(12))
def test_job_b(n: int) -> None:
    assert n != 5, "fails on purpose"
