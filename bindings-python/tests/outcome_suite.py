"""Every outcome kind pytest has, with the status the core must give each (in the docstring
of the test module that runs it: test_outcomes.py)."""

import unittest

import pytest


class MyAssert(AssertionError):
    pass


@pytest.fixture
def broken_fixture():
    raise RuntimeError("fixture exploded")


@pytest.fixture
def broken_teardown():
    yield
    raise OSError("teardown exploded")


def test_passes():
    assert 1 + 1 == 2


def test_assertion_fails():
    assert 1 + 1 == 3


def test_assertion_subclass_fails():
    raise MyAssert("custom assertion")


def test_pytest_fail():
    pytest.fail("explicit failure")


def test_type_error_is_invalid():
    None.upper()


def test_fixture_error_is_invalid(broken_fixture):
    pass


def test_teardown_error_is_invalid(broken_teardown):
    pass


def test_failed_call_stays_failed_despite_teardown_error(broken_teardown):
    assert False


@pytest.mark.skip(reason="not today")
def test_skip_marker():
    pass


@pytest.mark.skipif(True, reason="condition")
def test_skipif_marker():
    pass


def test_imperative_skip():
    pytest.skip("imperative")


@pytest.mark.xfail(reason="known bug")
def test_xfail_fails():
    assert False


@pytest.mark.xfail(reason="fixed already")
def test_xpass_not_strict():
    pass


@pytest.mark.xfail(reason="must fail", strict=True)
def test_xpass_strict():
    pass


def test_imperative_xfail():
    pytest.xfail("imperative xfail")


@pytest.mark.testrelay_id(7, 8)
@pytest.mark.parametrize("user", ["alice", "bob"])
@pytest.mark.parametrize("n,m", [(1, 2)], ids=["one-two"])
def test_params_and_ids(user, n, m):
    pass


@pytest.mark.qase_id(42)
@pytest.mark.testrelay_title("Login works")
def test_qase_compatible_id():
    pass


@pytest.mark.testrelay_id("not-a-number", "5")
def test_bad_case_id_is_a_warning():
    pass


@pytest.mark.testrelay_ignore
def test_ignored():
    pass


class TestUnit(unittest.TestCase):
    def test_unit_passes(self):
        self.assertEqual(1, 1)

    def test_unit_fails(self):
        self.assertEqual(1, 2)

    def test_unit_error(self):
        raise KeyError("k")

    @unittest.skip("unittest skip")
    def test_unit_skipped(self):
        pass
