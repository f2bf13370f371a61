# WASM: build (size and no-env-import check), the Node conformance runner once more against
# the WASM build (same function names as the napi module), error shapes, and the preview page
# in headless Chromium.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
bash bindings-wasm/build.sh
TESTRELAY_TARGET=wasm node --test bindings-node/test/vectors.test.mjs
node --test bindings-wasm/test/errors.test.mjs bindings-wasm/test/browser.test.mjs
