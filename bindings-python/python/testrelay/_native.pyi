"""Type stubs of the native module (checked against it by mypy's stubtest in the tests)."""

from typing import Any, Literal, Optional, TypedDict, final

__all__ = [
    "InvalidInputError",
    "InvalidJsonError",
    "LimitExceededError",
    "MalformedReportError",
    "Session",
    "TestrelayError",
    "UnknownRequestError",
    "WrongStateError",
    "case_ids",
    "classify",
    "configuration_product",
    "failure_links",
    "js_signature",
    "parse_status_filter_env",
    "parse_status_filter_json",
    "parse_status_mapping_env",
    "parse_status_mapping_json",
    "pipeline",
    "plan_batches",
    "python_signature",
    "resolve_config",
    "run_status",
]

_Status = Literal["passed", "failed", "invalid", "skipped", "blocked"]

class _Warning(TypedDict):
    code: str
    level: Literal["warning", "note"]
    key: str
    message: str

class _Verdict(TypedDict):
    status: _Status
    rule: str
    evidence: str

class _MappingParsed(TypedDict):
    mapping: dict[str, _Status]
    warnings: list[_Warning]

class _FilterParsed(TypedDict):
    filter: list[_Status]
    warnings: list[_Warning]

class _PipelineOutput(TypedDict):
    statuses: list[Optional[_Status]]
    trace: list[str]
    warnings: list[_Warning]

class _BatchPlan(TypedDict):
    batches: list[int]
    warnings: list[_Warning]

class TestrelayError(Exception):
    """Base of every testrelay error; ``.code`` is the stable code."""

    code: str

class InvalidInputError(TestrelayError, ValueError): ...
class InvalidJsonError(TestrelayError, ValueError): ...
class WrongStateError(TestrelayError, ValueError): ...
class UnknownRequestError(TestrelayError, ValueError): ...
class MalformedReportError(TestrelayError): ...
class LimitExceededError(TestrelayError): ...

def classify(outcome: dict[str, Any], policy: Optional[dict[str, Any]] = None) -> _Verdict: ...
def parse_status_mapping_env(text: str) -> _MappingParsed: ...
def parse_status_mapping_json(value: Any) -> _MappingParsed: ...
def parse_status_filter_env(text: str) -> _FilterParsed: ...
def parse_status_filter_json(value: Any) -> _FilterParsed: ...
def pipeline(input: dict[str, Any]) -> _PipelineOutput: ...
def plan_batches(batch_size: int, results: int) -> _BatchPlan: ...
def failure_links(input: dict[str, Any]) -> list[str]: ...
def run_status(
    results: list[dict[str, Any]], custom: Optional[dict[str, Literal["positive", "negative"]]] = None
) -> _Status: ...
def configuration_product(groups: dict[str, list[str]]) -> list[dict[str, str]]: ...

class _Resolved(TypedDict):
    config: dict[str, Any]
    warnings: list[_Warning]

def resolve_config(sources: dict[str, Any]) -> _Resolved: ...

class _CaseIds(TypedDict):
    ids: list[int]
    title: str
    warnings: list[_Warning]

def python_signature(ids: list[int], node_id: str, params: dict[str, str]) -> str: ...
def js_signature(ids: list[int], suites: list[str], params: dict[str, str]) -> str: ...
def case_ids(title: str, testops_ids: Optional[list[int]] = None) -> _CaseIds: ...

@final
class Session:
    """A run session (sans-IO): feed events, drain ``poll`` until ``wait`` or ``finished``."""

    def __new__(cls, sources: dict[str, Any], options: dict[str, Any], now_ms: int) -> Session: ...
    def handle(self, now_ms: int, event: dict[str, Any]) -> None: ...
    def add_results(self, now_ms: int, results: list[dict[str, Any]]) -> None: ...
    def poll(self, now_ms: int) -> dict[str, Any]: ...
    @property
    def run_id(self) -> Optional[int]: ...
    def token(self) -> Optional[str]: ...
