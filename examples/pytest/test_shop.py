"""A small shop test suite for the demo: one test per outcome kind testrelay classifies."""

import pytest


class PriceMismatch(AssertionError):
    """A team's own assertion type: still an assertion, so `failed`."""


def price(amount: float, discount: float = 0.0) -> float:
    return round(amount * (1 - discount), 2)


@pytest.fixture
def database():
    raise ConnectionError("database is down")


@pytest.mark.testrelay_id(1)
def test_price_without_discount():
    assert price(10.0) == 10.0


@pytest.mark.testrelay_id(2)
@pytest.mark.parametrize("discount,expected", [(0.1, 9.0), (0.5, 5.0)], ids=["ten", "half"])
def test_price_with_discount(discount, expected):
    assert price(10.0, discount) == expected


@pytest.mark.testrelay_id(3)
def test_rounding_is_wrong():
    assert price(0.1 + 0.2) == 0.31, "an assertion that does not hold → failed"


def test_custom_assertion_type():
    raise PriceMismatch("9.99 != 10.00")


def test_explicit_pytest_fail():
    pytest.fail("checkout total is negative")


def test_bug_in_the_test_itself():
    {}["missing"]  # KeyError: not an assertion → invalid


def test_needs_the_database(database):
    pass  # the fixture fails in setup → invalid


@pytest.mark.skip(reason="payments sandbox not available")
def test_payment():
    pass


@pytest.mark.xfail(reason="known rounding bug #12")
def test_known_bug():
    assert price(1.005) == 1.01


@pytest.mark.testrelay_title("Cart keeps items across sessions")
@pytest.mark.testrelay_fields(severity="critical", layer="e2e")
def test_cart():
    assert ["apple"] * 2 == ["apple", "apple"]
