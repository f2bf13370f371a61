"""fake-qase against the official Qase client models (qase-api-client 2.0.14 for v1,
qase-api-v2-client 2.0.8 for v2): its answers parse with them and use only their fields, it
accepts the bodies they build, and it refuses the bodies they refuse."""

import json
import urllib.error
import urllib.request

import pytest
from pydantic import ValidationError
from qase.api_client_v1.models.base_response import BaseResponse
from qase.api_client_v1.models.id_response import IdResponse
from qase.api_client_v1.models.project_response import ProjectResponse
from qase.api_client_v1.models.run_create import RunCreate
from qase.api_client_v1.models.run_response import RunResponse
from qase.api_client_v2.models.create_results_request_v2 import CreateResultsRequestV2
from qase.api_client_v2.models.relation_suite import RelationSuite
from qase.api_client_v2.models.relation_suite_item import RelationSuiteItem
from qase.api_client_v2.models.result_create import ResultCreate
from qase.api_client_v2.models.result_create_bulk_response import ResultCreateBulkResponse
from qase.api_client_v2.models.result_create_fields import ResultCreateFields
from qase.api_client_v2.models.result_execution import ResultExecution
from qase.api_client_v2.models.result_relations import ResultRelations
from qase.api_client_v2.models.result_step import ResultStep
from qase.api_client_v2.models.result_step_data import ResultStepData
from qase.api_client_v2.models.result_step_execution import ResultStepExecution

from fake_qase import start_fake_qase

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
TOKEN = "models-token"


@pytest.fixture(scope="module")
def server():
    with start_fake_qase(token=TOKEN) as server:
        yield server


def call(server, method, path, body=None):
    """Returns (status, parsed JSON body)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{server.url}{path}",
        data=data,
        method=method,
        headers={"Token": TOKEN, "Content-Type": "application/json"},
    )
    try:
        with NO_PROXY.open(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def assert_only_model_fields(data, model):
    """Every key the server sent is a field of the model (recursively for nested models)."""
    fields = {f.alias or name: f for name, f in model.model_fields.items()}
    assert set(data) <= set(fields), f"{model.__name__}: unknown {set(data) - set(fields)}"
    for key, value in data.items():
        nested = getattr(fields[key].annotation, "__args__", (fields[key].annotation,))
        for candidate in nested:
            if isinstance(value, dict) and hasattr(candidate, "model_fields"):
                assert_only_model_fields(value, candidate)


def new_run(server, **fields):
    body = RunCreate(title="Automated run", is_autotest=True, **fields).to_dict()
    status, answer = call(server, "POST", "/v1/run/DEMO", body)
    assert status == 200, answer
    assert_only_model_fields(answer, IdResponse)
    parsed = IdResponse.from_dict(answer)
    assert parsed.status is True and isinstance(parsed.result.id, int)
    return parsed.result.id


def full_result(result_id):
    return ResultCreate(
        id=result_id,
        title="Login works",
        signature="auth::login_works",
        testops_ids=[1, 2],
        execution=ResultExecution(
            status="failed", start_time=1763784000.5, end_time=1763784001.25,
            duration=750, stacktrace="Error: boom", thread="worker-1",
        ),
        fields=ResultCreateFields(severity="critical", layer="e2e", is_flaky="no"),
        attachments=["hash-1"],
        steps=[ResultStep(
            data=ResultStepData(action="open", expected_result="page"),
            execution=ResultStepExecution(status="failed", duration=5, comment="no page"),
            steps=[{"data": {"action": "nested"}, "execution": {"status": "passed"}}],
        )],
        steps_type="classic",
        params={"browser": "chromium"},
        param_groups=[["browser"]],
        relations=ResultRelations(suite=RelationSuite(data=[RelationSuiteItem(title="Auth")])),
        message="boom",
        defect=False,
    )


def test_project_run_and_complete_answers_parse_with_the_models(server):
    status, answer = call(server, "GET", "/v1/project/DEMO")
    assert status == 200
    assert_only_model_fields(answer, ProjectResponse)
    assert ProjectResponse.from_dict(answer).result.code == "DEMO"

    run_id = new_run(server, start_time="2026-11-22 04:00:00", tags=["ci"], plan_id=2)
    status, answer = call(server, "GET", f"/v1/run/DEMO/{run_id}")
    assert status == 200
    assert_only_model_fields(answer, RunResponse)
    run = RunResponse.from_dict(answer).result
    assert (run.id, run.status, run.plan_id) == (run_id, 0, 2)
    assert run.start_time.isoformat() == "2026-11-22T04:00:00+00:00"
    assert [tag.title for tag in run.tags] == ["ci"]

    status, answer = call(server, "POST", f"/v1/run/DEMO/{run_id}/complete")
    assert status == 200
    assert_only_model_fields(answer, BaseResponse)
    assert BaseResponse.from_dict(answer).status is True
    _, answer = call(server, "GET", f"/v1/run/DEMO/{run_id}")
    assert RunResponse.from_dict(answer).result.status == 1


def test_a_full_result_built_by_the_model_is_accepted_and_stored_as_sent(server):
    run_id = new_run(server)
    body = CreateResultsRequestV2(results=[full_result("r-full")]).to_dict()
    status, answer = call(server, "POST", f"/v2/DEMO/run/{run_id}/results", body)
    assert status == 202, answer
    assert_only_model_fields(answer, ResultCreateBulkResponse)
    assert ResultCreateBulkResponse.from_dict(answer).status is True
    run = next(r for r in server.state()["runs"] if r["id"] == run_id)
    assert [r["payload"] for r in run["results"]] == body["results"]


def valid():
    return {"id": "x", "title": "T", "execution": {"status": "passed"}}


def changed(path, value):
    result = valid()
    *parents, last = path
    target = result
    for key in parents:
        target = target.setdefault(key, {})
    if value is None:
        target.pop(last, None)
    else:
        target[last] = value
    return result


REFUSED = {
    "title missing": changed(["title"], None),
    "status missing": changed(["execution", "status"], None),
    "execution missing": changed(["execution"], None),
    "duration not an integer": changed(["execution", "duration"], 1.5),
    "id not a string": changed(["id"], 7),
    "param value not a string": changed(["params"], {"n": 1}),
    "testops_ids not integers": changed(["testops_ids"], ["1"]),
    "known field not a string": changed(["fields"], {"severity": 1}),
    "step status not in the enum": changed(
        ["steps"], [{"data": {"action": "a"}, "execution": {"status": "invalid"}}]
    ),
    "step without action": changed(["steps"], [{"data": {}}]),
    "suite item without title": changed(["relations"], {"suite": {"data": [{}]}}),
    "steps_type not in the enum": changed(["steps_type"], "cucumber"),
    "defect not a boolean": changed(["defect"], "yes"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_result_the_model_refuses_is_refused_with_400(server, name):
    result = REFUSED[name]
    with pytest.raises(ValidationError):
        ResultCreate.from_dict(result)
    run_id = new_run(server)
    status, answer = call(server, "POST", f"/v2/DEMO/run/{run_id}/results", {"results": [result]})
    assert status == 400, answer
    assert answer["status"] is False and answer["errorFields"]


def test_unknown_custom_fields_are_accepted_like_the_model_does(server):
    result = changed(["fields"], {"my_field": 3, "severity": "major"})
    ResultCreate.from_dict(result)
    run_id = new_run(server)
    status, _ = call(server, "POST", f"/v2/DEMO/run/{run_id}/results", {"results": [result]})
    assert status == 202


@pytest.mark.parametrize(
    "body",
    [{"title": 5}, {"title": "x" * 256}, {"title": "T", "plan_id": 0}, {"title": "T", "tags": [1]}],
)
def test_a_run_the_model_refuses_is_refused_with_400(server, body):
    with pytest.raises(ValidationError):
        RunCreate.from_dict(body)
    status, answer = call(server, "POST", "/v1/run/DEMO", body)
    assert status == 400, answer
