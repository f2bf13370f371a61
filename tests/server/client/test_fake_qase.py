"""The pytest launch helper: start, talk to, fault and stop a real fake-qase server."""

import json
import urllib.error
import urllib.request

import pytest

from fake_qase import FakeQaseError, start_fake_qase

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
TOKEN = "py-helper-token"


def create_run(url: str, token: str) -> int:
    request = urllib.request.Request(
        f"{url}/v1/run/DEMO",
        data=json.dumps({"title": "from pytest"}).encode(),
        headers={"Token": token, "Content-Type": "application/json"},
        method="POST",
    )
    with NO_PROXY.open(request, timeout=10) as response:
        return json.load(response)["result"]["id"]


def test_start_state_faults_and_stop():
    server = start_fake_qase(token=TOKEN, seed=3)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.state()["runs"] == []
        run_id = create_run(server.url, TOKEN)
        state = server.state()
        assert [(r["id"], r["title"]) for r in state["runs"]] == [(run_id, "from pytest")]
        assert state["seed"] == 3

        server.set_faults({"create_run": {"error": {"requests": [1], "status": 502}}})
        with pytest.raises(urllib.error.HTTPError) as failed:
            create_run(server.url, TOKEN)
        assert failed.value.code == 502
        statuses = [r["status"] for r in server.state()["requests"]]
        assert statuses == [200, 502]

        shared = server.create_run("DEMO", {"title": "shared"})
        assert [r["title"] for r in server.state()["runs"]] == ["from pytest", "shared"]
        assert shared == run_id + 1

        server.reset()
        assert server.state()["requests"] == []
    finally:
        assert server.stop() == 0


def test_faults_given_at_start_and_context_manager():
    with start_fake_qase(token=TOKEN, faults={"project": {"error": {"requests": [1]}}}) as server:
        assert server.state()["faults"]["project"]["error"]["requests"] == [1]
    assert server.process.returncode == 0


def test_an_invalid_fault_config_is_a_clear_error_and_leaves_no_server():
    with pytest.raises(FakeQaseError, match="probability"):
        start_fake_qase(faults={"upload": {"error": {"probability": 7}}})


def test_a_missing_binary_is_a_clear_error():
    with pytest.raises(FakeQaseError, match="cannot start"):
        start_fake_qase(binary="/nonexistent/fake-qase")


def test_named_clients_get_their_own_faults():
    with start_fake_qase(
        token=TOKEN,
        clients={"job2": "job2-token"},
        faults={"clients": {"job2": {"create_run": {"error": {"requests": [1]}}}}},
    ) as server:
        create_run(server.url, TOKEN)
        with pytest.raises(urllib.error.HTTPError) as failed:
            create_run(server.url, "job2-token")
        assert failed.value.code == 503
        log = [(r["client"], r["status"]) for r in server.state()["requests"]]
        assert log == [("default", 200), ("job2", 503)]
