# fake-qase's Node and Python launch helpers start, fault, read and stop a real server, and
# the server's answers and body checks agree with the official Qase client models.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
source "$ROOT/scripts/setup.d/20-server.sh" # idempotent: the binary and the venv are there
export FAKE_QASE_BIN="${FAKE_QASE_BIN:-$ROOT/target/debug/fake-qase}"
node --test tests/server/client/fake_qase.test.mjs
"$VENV/bin/python" -m pytest -q -p no:cacheprovider -p no:testrelay tests/server/client
