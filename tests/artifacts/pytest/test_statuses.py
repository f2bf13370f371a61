"""Tests that need nothing, one per status the core decides: the expected statuses are in
test_wheel.py. Two fail on purpose."""

import pytest


@pytest.mark.testrelay_id(1)
def test_passes():
    assert 1 + 1 == 2


def test_fails_an_assertion():
    assert 1 + 1 == 3


def test_breaks_with_an_attribute_error():
    cart = None
    cart.total()


def test_is_skipped():
    pytest.skip("not today")
