#!/usr/bin/env bash
# Packs the npm package `testrelay-wasm` from build.sh's outputs: pkg-web/ (the preview page's
# first module) as web/ and pkg-web-session/ as web-session/, with this folder's package.json
# and README.md. The release workflow and scripts/test.d/85-artifacts.sh
# both pack with this script.
#
# usage: pack.sh OUT_DIR   (after bash bindings-wasm/build.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
wasm="$(cd "$here/.." && pwd)"
[ $# -eq 1 ] || { echo "usage: pack.sh OUT_DIR" >&2; exit 2; }
mkdir -p "$1"
out="$(cd "$1" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

cp "$here/package.json" "$here/README.md" "$stage/"
for pair in pkg-web:web pkg-web-session:web-session; do
  from="$wasm/${pair%%:*}"
  [ -f "$from/testrelay_wasm_bg.wasm" ] || { echo "pack.sh: no $from: run bash bindings-wasm/build.sh" >&2; exit 1; }
  cp -r "$from" "$stage/${pair#*:}"
done
# npm reads a nested .gitignore as an ignore list.
find "$stage" -name .gitignore -delete
(cd "$stage" && npm pack --silent --pack-destination "$out" >/dev/null)
echo "packed testrelay-wasm@$(node -p "require('$here/package.json').version") → $out"
