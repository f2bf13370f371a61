# WASM: build (size and no-env-import check), the conformance vectors against the WASM build,
# error shapes, and the preview page in headless Chromium.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
bash bindings-wasm/build.sh
tests=(bindings-wasm/test/errors.test.mjs bindings-wasm/test/browser.test.mjs)
if [ -f bindings-node/test/vectors.test.mjs ]; then
  # The Node vector runner, once more against the WASM build (same names as the napi module).
  [ -d bindings-node/node_modules ] || (cd bindings-node && npm install --no-audit --no-fund)
  TESTRELAY_TARGET=wasm node --test bindings-node/test/vectors.test.mjs
else
  tests+=(bindings-wasm/test/vectors.test.mjs)
fi
node --test "${tests[@]}"
