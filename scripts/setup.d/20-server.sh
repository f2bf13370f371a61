# fake-qase, the local Qase API test server (tests/server): build it so every later step can
# run $ROOT/target/debug/fake-qase, and a venv with pytest for its Python launch helper.
cargo build --quiet --manifest-path "$ROOT/Cargo.toml" -p fake-qase
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c 'import pytest' 2>/dev/null || "$VENV/bin/python" -m pip install -q pytest==9.2.0
command -v node >/dev/null || apt_install nodejs
