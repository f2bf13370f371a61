#!/usr/bin/env bash
# Builds the WASM binding for the preview page (pkg-web/, --target web) and for Node
# (pkg-node/, --target nodejs), optimises both with npm binaryen's wasm-opt, checks that the
# module imports nothing from the host's `env`, prints its size, and assembles dist/ (page +
# pkg-web) for any static server. Needs scripts/setup.d/50-wasm.sh to have run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
# Only this crate (and the core): the whole workspace does not build for wasm32 (pyo3).
cargo build -p testrelay-wasm --target wasm32-unknown-unknown --profile wasm-release
raw="$root/target/wasm32-unknown-unknown/wasm-release/testrelay_wasm.wasm"
wasm_opt="$here/node_modules/.bin/wasm-opt"
# Debian's binaryen (wasm-opt 108) writes modules that fail to load: npm's only.
[ -x "$wasm_opt" ] || { echo "missing $wasm_opt: run scripts/setup first" >&2; exit 1; }
optimise() {
  # The features rustc enables by default for wasm32-unknown-unknown.
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$1" -o "$1.opt"
  mv "$1.opt" "$1"
}
for target in web nodejs; do
  rm -rf "$here/pkg-${target%js}"
  wasm-bindgen "$raw" --target "$target" --out-dir "$here/pkg-${target%js}" --remove-name-section
done
web="$here/pkg-web/testrelay_wasm_bg.wasm"
node="$here/pkg-node/testrelay_wasm_bg.wasm"
# Both targets get the same module (only the JS glue differs): optimise once (it is slow).
if cmp -s "$web" "$node"; then
  optimise "$web"
  cp "$web" "$node"
else
  optimise "$web"
  optimise "$node"
fi
# So Node resolves the folder (require/import of pkg-node/) as the CommonJS package it is.
cat > "$here/pkg-node/package.json" <<'JSON'
{ "name": "testrelay-wasm", "type": "commonjs", "main": "testrelay_wasm.js", "types": "testrelay_wasm.d.ts" }
JSON
node "$here/scripts/check-wasm.mjs" "$here/pkg-web/testrelay_wasm_bg.wasm"
rm -rf "$here/dist"
mkdir -p "$here/dist"
cp -r "$here/preview/." "$here/dist/"
cp -r "$here/pkg-web" "$here/dist/pkg-web"
rm -f "$here/dist/pkg-web/.gitignore"
echo "dist: $here/dist (serve it with any static server)"
