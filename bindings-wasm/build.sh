#!/usr/bin/env bash
# Builds the WASM binding for Node (pkg-node/, --target nodejs, every export) and two modules
# for the preview page (--target web, only previewReport): pkg-web/ without the session plan,
# which the page loads first, and pkg-web-session/ with it, which the page loads when a person
# asks for the plan. Optimises them with npm binaryen's wasm-opt, checks that none imports
# anything from the host's `env`, prints their sizes, and assembles dist/ (page + both) for any
# static server.
# Needs scripts/setup.d/50-wasm.sh to have run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
wasm_opt="$here/node_modules/.bin/wasm-opt"
# Debian's binaryen (wasm-opt 108) writes modules that fail to load: npm's only.
[ -x "$wasm_opt" ] || { echo "missing $wasm_opt: run scripts/setup first" >&2; exit 1; }
optimise() {
  # The features rustc enables by default for wasm32-unknown-unknown. The `producers` and
  # `target_features` custom sections are metadata no host reads. Identical, then similar
  # functions merged once before -Oz too: a smaller page module (this script prints its size).
  "$wasm_opt" --duplicate-function-elimination --merge-similar-functions -Oz \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --strip-producers --strip-target-features "$1" -o "$1.opt"
  mv "$1.opt" "$1"
}
# The standard library is built with the modules (`-Zbuild-std`, from rustup's `rust-src`; the
# pinned stable compiler allows it with RUSTC_BOOTSTRAP=1), sized for size
# (`optimize_for_size`) and with panics as a bare trap (`panic = "immediate-abort"`): the page
# module 216,094 → 200,233 bytes gzipped (measured; README, footnote 1). Nothing observable is
# lost: on wasm32-unknown-unknown a panic's message went nowhere before either (no hook prints
# it), and a trap is a trap (`WebAssembly.RuntimeError: unreachable`, which the page and the
# README's Node recipe recover from). Its own target folder, so the host builds' artefacts
# (built against the prebuilt std) are not rebuilt back and forth.
std_flags=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
  -Zpanic-immediate-abort --config 'profile.wasm-release.panic="immediate-abort"')
wasm_target="$root/target/wasm-build-std"
# Builds the crate with the given cargo feature flags and binds it for one target. Only this
# crate (and the core): the whole workspace does not build for wasm32 (pyo3).
bind() { # <target> <out dir> [cargo flags…]
  local target="$1" out="$2"
  shift 2
  RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$wasm_target" cargo build -p testrelay-wasm \
    --target wasm32-unknown-unknown --profile wasm-release "${std_flags[@]}" "$@"
  rm -rf "$out"
  wasm-bindgen "$wasm_target/wasm32-unknown-unknown/wasm-release/testrelay_wasm.wasm" \
    --target "$target" --out-dir "$out" --remove-name-section
  optimise "$out/testrelay_wasm_bg.wasm"
}
# Node (and the vector runner): every export. The page: only previewReport, half the size;
# first without the session (the page's first module), and with it (loaded when asked for).
bind nodejs "$here/pkg-node"
bind web "$here/pkg-web" --no-default-features
bind web "$here/pkg-web-session" --no-default-features --features session-plan
# So Node resolves the folder (require/import of pkg-node/) as the CommonJS package it is.
cat > "$here/pkg-node/package.json" <<'JSON'
{ "name": "testrelay-wasm", "type": "commonjs", "main": "testrelay_wasm.js", "types": "testrelay_wasm.d.ts" }
JSON
for pkg in pkg-node pkg-web pkg-web-session; do
  node "$here/scripts/check-wasm.mjs" "$here/$pkg/testrelay_wasm_bg.wasm"
done
rm -rf "$here/dist"
mkdir -p "$here/dist"
cp -r "$here/preview/." "$here/dist/"
for pkg in pkg-web pkg-web-session; do
  cp -r "$here/$pkg" "$here/dist/$pkg"
  rm -f "$here/dist/$pkg/.gitignore"
done
echo "dist: $here/dist (serve it with any static server)"
