"""How fast fake-qase takes uploads (so soak tests know their headroom). Prints figures only.

    .venv/bin/python tests/server/client/bench_fake_qase.py [uploads] [results-per-upload]
"""

import http.client
import json
import sys
import time
import urllib.parse

from fake_qase import start_fake_qase


def main() -> None:
    uploads = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    per_upload = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with start_fake_qase(token="bench") as server:
        address = urllib.parse.urlsplit(server.url)
        connection = http.client.HTTPConnection(address.hostname, address.port)
        headers = {"Token": "bench", "Content-Type": "application/json"}
        connection.request("POST", "/v1/run/DEMO", json.dumps({"title": "bench"}), headers)
        run_id = json.load(connection.getresponse())["result"]["id"]
        bodies = [
            json.dumps({"results": [
                {
                    "id": f"u{u}-r{r}",
                    "title": f"test {u}.{r}",
                    "signature": f"suite::test_{u}_{r}",
                    "execution": {"status": "passed", "duration": 12, "start_time": 1763784000.5},
                    "relations": {"suite": {"data": [{"title": "Suite", "public_id": None}]}},
                }
                for r in range(per_upload)
            ]})
            for u in range(uploads)
        ]
        size = sum(len(b) for b in bodies)
        started = time.perf_counter()
        for body in bodies:
            connection.request("POST", f"/v2/DEMO/run/{run_id}/results", body, headers)
            response = connection.getresponse()
            response.read()
            assert response.status == 202, response.status
        elapsed = time.perf_counter() - started
        stored = sum(len(r["results"]) for r in server.state()["runs"])
        assert stored == uploads * per_upload, stored
    print(
        f"{uploads} uploads x {per_upload} results ({size / 1e6:.1f} MB) in {elapsed:.2f} s: "
        f"{uploads / elapsed:.0f} uploads/s, {stored / elapsed:.0f} results/s, "
        f"{elapsed / uploads * 1000:.2f} ms per upload (one keep-alive connection, debug build)"
    )


if __name__ == "__main__":
    main()
