"""Type stubs of the native module (checked against it by mypy's stubtest in the tests)."""

from typing import Any, Literal, Optional, TypedDict, final

__all__ = [
    "CaseIndex",
    "InvalidInputError",
    "InvalidJsonError",
    "LimitExceededError",
    "MalformedReportError",
    "PanicException",
    "Session",
    "TOKEN_PLACEHOLDER",
    "TestrelayError",
    "UnknownRequestError",
    "WrongStateError",
    "assign",
    "case_ids",
    "classify",
    "clone_run",
    "complete_run_exit",
    "complete_run_plan",
    "config_file_candidates",
    "configuration_product",
    "decide_completion",
    "end_wait_bound_ms",
    "estimate",
    "failure_links",
    "import_junit",
    "import_playwright_json",
    "job_name",
    "js_signature",
    "match_settings_warnings",
    "parse_status_filter_env",
    "parse_status_filter_json",
    "parse_status_mapping_env",
    "parse_status_mapping_json",
    "pipeline",
    "plan_batches",
    "python_signature",
    "qs_create_run",
    "qs_membership",
    "qs_resolve",
    "qs_status_counts",
    "qs_validate_run",
    "read_result",
    "receipt_file",
    "resolve_config",
    "retest",
    "run_stats",
    "run_status",
    "validate_results",
    "write_files",
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

class PanicException(BaseException):
    """A panic in the native code (a testrelay bug); a ``BaseException``, so catch it by name."""

TOKEN_PLACEHOLDER: str
"""Where a header value of an ``http`` / ``multipart`` action takes the API token."""

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
def validate_results(results: list[dict[str, Any]]) -> None: ...
def write_files(action: dict[str, Any]) -> dict[str, Any]: ...

@final
class Session:
    """A run session (sans-IO): feed events, drain ``poll`` until ``wait`` or ``finished``."""

    def __new__(cls, sources: dict[str, Any], options: dict[str, Any], now_ms: int) -> Session: ...
    def handle(self, now_ms: int, event: dict[str, Any]) -> None: ...
    def add_results(self, now_ms: int, results: list[dict[str, Any]]) -> None: ...
    def poll(self, now_ms: int) -> dict[str, Any]: ...
    def step(self, now_ms: int) -> dict[str, Any]: ...
    @property
    def run_id(self) -> Optional[int]: ...
    def token(self) -> Optional[str]: ...

@final
class CaseIndex:
    """Case matching against a repository snapshot (cases as dicts)."""

    def __new__(cls, cases: list[dict[str, Any]]) -> CaseIndex: ...
    def match_result(self, result: dict[str, Any], settings: Optional[dict[str, Any]] = None) -> dict[str, Any]: ...
    def display_title(
        self, result: dict[str, Any], decision: dict[str, Any], settings: Optional[dict[str, Any]] = None
    ) -> str: ...
    def plan(self, results: list[dict[str, Any]], settings: Optional[dict[str, Any]] = None) -> dict[str, Any]: ...

def match_settings_warnings(settings: dict[str, Any]) -> list[_Warning]: ...
def run_stats(cases: list[dict[str, Any]], custom: Optional[dict[str, str]] = None) -> dict[str, Any]: ...
def estimate(case_ids: list[int], history: Optional[dict[int, list[float]]] = None) -> dict[str, Any]: ...
def assign(
    case_ids: list[int],
    members: list[str],
    mode: Optional[str] = None,
    estimates: Optional[dict[int, float]] = None,
) -> list[dict[str, Any]]: ...
def clone_run(cases: list[dict[str, Any]], keep: list[str]) -> list[dict[str, Any]]: ...
def retest(cases: list[dict[str, Any]], statuses: list[str]) -> list[dict[str, Any]]: ...
def qs_resolve(snapshot: dict[str, Any], query_plans: list[dict[str, Any]]) -> list[int]: ...
def qs_validate_run(request: dict[str, Any], existing_titles: Optional[list[str]] = None) -> list[dict[str, Any]]: ...
def qs_create_run(run_type: str, query_plans: list[dict[str, Any]], snapshot: dict[str, Any]) -> dict[str, Any]: ...
def qs_membership(run: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]: ...
def qs_status_counts(statuses: list[str]) -> dict[str, Any]: ...
def decide_completion(input: dict[str, Any]) -> dict[str, Any]: ...

class _Imported(TypedDict):
    results: list[dict[str, Any]]
    warnings: list[_Warning]

def import_junit(xml: str) -> _Imported: ...
def import_playwright_json(text: str) -> _Imported: ...
def config_file_candidates(dirs: list[str]) -> list[str]: ...
def job_name(facts: dict[str, Any]) -> str: ...
def receipt_file(input: dict[str, Any]) -> dict[str, str]: ...
def end_wait_bound_ms(upload_deadline_ms: int) -> int: ...
def complete_run_plan(input: dict[str, Any]) -> dict[str, Any]: ...
def complete_run_exit(receipt: Optional[dict[str, Any]]) -> int: ...
def read_result(result: dict[str, Any]) -> dict[str, Any]: ...
