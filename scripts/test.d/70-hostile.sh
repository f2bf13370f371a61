# Hostile input against the three bindings (napi, WASM's pkg-node, Python): documented error
# codes, no crash, no hang, nothing lost. Each case runs in its own process (see tests/hostile).
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
node --test --test-concurrency=2 tests/hostile/hostile.test.mjs
"$VENV/bin/python" -m pytest -p no:testrelay -p no:cacheprovider -q -rfE tests/hostile
