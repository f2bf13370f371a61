"""The type stubs match the native module (mypy's stubtest: names, classes, signatures), and
the package type-checks against them."""

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "python"


def test_stubs_match_the_native_module() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "testrelay._native"], cwd=PACKAGE, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_package_type_checks_against_the_stubs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "testrelay"], cwd=PACKAGE, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_py_typed_is_shipped() -> None:
    assert (PACKAGE / "testrelay" / "py.typed").is_file()


def test_misuse_codes_are_value_errors() -> None:
    import testrelay

    for cls in (testrelay.InvalidInputError, testrelay.InvalidJsonError, testrelay.WrongStateError,
                testrelay.UnknownRequestError):
        assert issubclass(cls, ValueError) and issubclass(cls, testrelay.TestrelayError)
    for cls in (testrelay.MalformedReportError, testrelay.LimitExceededError):
        assert not issubclass(cls, ValueError) and issubclass(cls, testrelay.TestrelayError)
    try:
        testrelay.classify({"framework": 3})
    except testrelay.InvalidInputError as e:
        assert e.code == "INVALID_INPUT"
    else:
        raise AssertionError("a wrong shape must raise InvalidInputError")
