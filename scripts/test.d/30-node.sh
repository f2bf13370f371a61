# Node: the generated index.d.ts/index.js match the Rust sources (no drift), then the binding,
# vector, reporter and end-to-end tests (node --test).
source "$(dirname "$0")/../lib.sh"
cd "$ROOT/bindings-node"
npx napi build --platform
git diff --exit-code -- index.d.ts index.js || { echo "index.d.ts/index.js are stale: run 'npx napi build --platform' in bindings-node and commit them"; exit 1; }
node --test --test-concurrency=1 test/*.test.mjs
