# fake-qase, the local Qase API test server (tests/server): build it so every later step can
# run $ROOT/target/debug/fake-qase; a venv with pytest and the official Qase client models for
# its Python tests; node for its Node launch helper's test.
cargo build --quiet --manifest-path "$ROOT/Cargo.toml" -p fake-qase
if [ ! -x "$VENV/bin/python" ]; then
  python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv # Debian splits it out
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c 'import pytest, qase.api_client_v1, qase.api_client_v2' 2>/dev/null ||
  "$VENV/bin/python" -m pip install -q -r "$ROOT/tests/server/client/requirements.txt"
command -v node >/dev/null || apt_install nodejs
