# The Node and Python launch helpers of fake-qase start, fault, read and stop a real server.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
export FAKE_QASE_BIN="${FAKE_QASE_BIN:-$ROOT/target/debug/fake-qase}"
[ -x "$FAKE_QASE_BIN" ] || cargo build --quiet -p fake-qase
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import pytest' 2>/dev/null || "$VENV/bin/python" -m pip install -q pytest==9.2.0
node --test tests/server/client/fake_qase.test.mjs
"$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/server/client/test_fake_qase.py
