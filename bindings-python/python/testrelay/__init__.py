"""testrelay for Python: the shared reporter core (classification, status mapping and filter,
batching, failure links, run status, configuration) and a pytest plugin built on it.

Every function takes and returns plain data (dicts, lists, str, int, None) in the shapes of
docs/api.md. Errors are :class:`TestrelayError` subclasses with a stable ``.code``.
"""

from ._native import (
    InvalidInputError,
    InvalidJsonError,
    LimitExceededError,
    MalformedReportError,
    TestrelayError,
    UnknownRequestError,
    WrongStateError,
    classify,
    configuration_product,
    failure_links,
    parse_status_filter_env,
    parse_status_filter_json,
    parse_status_mapping_env,
    parse_status_mapping_json,
    pipeline,
    plan_batches,
    resolve_config,
    run_status,
)

__all__ = [
    "InvalidInputError",
    "InvalidJsonError",
    "LimitExceededError",
    "MalformedReportError",
    "TestrelayError",
    "UnknownRequestError",
    "WrongStateError",
    "classify",
    "configuration_product",
    "failure_links",
    "parse_status_filter_env",
    "parse_status_filter_json",
    "parse_status_mapping_env",
    "parse_status_mapping_json",
    "pipeline",
    "plan_batches",
    "resolve_config",
    "run_status",
]
