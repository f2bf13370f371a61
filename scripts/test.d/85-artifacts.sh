# Release artifacts, built as .github/workflows/release.yml builds them and proven from the files
# alone. The workflow passes actionlint (with shellcheck) and every package carries one version;
# the Linux binaries this machine can reach are built for release, stripped, with zig: npm's
# x86_64 and aarch64 glibc (2.17) and x86_64 musl, PyPI's manylinux2014 x86_64 and aarch64 and
# musllinux_1_2 x86_64 abi3 wheels; readelf and auditwheel check their machine, libc symbol
# versions and libraries. Then the x86_64 glibc artifacts are installed from the files into
# fresh projects in the temp folder (tests/artifacts/): a Playwright suite runs through
# `testrelay/playwright` and a pytest suite through the plugin, both in report mode; the loader
# names the missing platform package; the sdist builds from source; testrelay-wasm answers in
# Node, TypeScript and Chromium. macOS, Windows and the aarch64/musl install tests run only in
# the workflow, on their own runners.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
source "$ROOT/scripts/setup.d/60-artifacts.sh" # idempotent: the targets and tools are there
export PATH="$ARTIFACT_TOOLS/bin:$PATH" CARGO_BUILD_JOBS=2
# Release builds in target folders of their own, so the debug builds of the other steps stay
# warm: one for napi's and one for maturin's, which build the host's proc macros with different
# flags and would rebuild each other's.
release_target="$ROOT/target/release-artifacts"
out="$TESTRELAY_WORK/artifacts"
rm -rf "$out"
mkdir -p "$out"
timings=()
took() { timings+=("$1: $((SECONDS - phase_start)) s"); phase_start=$SECONDS; }
phase_start=$SECONDS

log "the release workflow (actionlint + shellcheck), one version in every package"
actionlint -no-color
python3 tests/artifacts/versions.py
took lint

log "npm: napi release builds, stripped; glibc 2.17 and musl through zig"
for target in x86_64-unknown-linux-gnu.2.17 aarch64-unknown-linux-gnu.2.17 x86_64-unknown-linux-musl; do
  (cd bindings-node && CARGO_TARGET_DIR="$release_target/npm" \
    npx napi build --platform --release --strip --target "$target" -x --no-js -o "$out/node")
done
# Debian's musl: what the musl builds take from the system must all be in musl's libc.
musl_libc=/usr/lib/x86_64-linux-musl/libc.so
python3 tests/artifacts/elf.py --arch x86_64 --libc glibc-2.17 "$out/node/testrelay.linux-x64-gnu.node"
python3 tests/artifacts/elf.py --arch aarch64 --libc glibc-2.17 "$out/node/testrelay.linux-arm64-gnu.node"
python3 tests/artifacts/elf.py --arch x86_64 --libc musl --symbols-from "$musl_libc" "$out/node/testrelay.linux-x64-musl.node"
bash bindings-node/npm/pack.sh "$out/node" "$out/npm"
took "npm builds"

log "PyPI: abi3 wheels, stripped, through zig; the sdist"
wheels() { # <target> <maturin compatibility>
  (cd bindings-python && CARGO_TARGET_DIR="$release_target/pypi" \
    maturin build --release --strip --zig --target "$1" --compatibility "$2" --out "$out/pypi")
}
# auditwheel judges the glibc wheels. It cannot judge zig's musl wheel on a glibc machine: the
# module needs `libc.so` (musl's loader answers for it itself), a name its musllinux policy
# does not know; maturin's own audit tags it, and the readelf checks stand for the rest.
auditwheel_says() { # <wheel> <tag>
  auditwheel show "$1" | tee "$out/auditwheel.txt"
  grep -qF "consistent with the following platform tag: \"$2\"" <<<"$(tr -s ' \n' ' ' <"$out/auditwheel.txt")" ||
    { echo "auditwheel does not find $(basename "$1") consistent with $2" >&2; return 1; }
}
wheels x86_64-unknown-linux-gnu manylinux2014
wheels aarch64-unknown-linux-gnu manylinux2014
wheels x86_64-unknown-linux-musl musllinux_1_2
for arch in x86_64 aarch64; do
  wheel="$(ls "$out"/pypi/*-cp310-abi3-manylinux2014_$arch.manylinux_2_17_$arch.whl)"
  auditwheel_says "$wheel" "manylinux_2_17_$arch"
  python3 tests/artifacts/elf.py --arch "$arch" --libc glibc-2.17 "$wheel"
done
python3 tests/artifacts/elf.py --arch x86_64 --libc musl --symbols-from "$musl_libc" \
  "$out"/pypi/*-cp310-abi3-musllinux_1_2_x86_64.whl
(cd bindings-python && maturin sdist --out "$out/pypi")
took "PyPI builds"

log "WASM: the npm package testrelay-wasm"
bash bindings-wasm/build.sh
bash bindings-wasm/npm/pack.sh "$out/wasm"
took "WASM build"

log "sizes (a debug build, or a binary in the JavaScript package, fails here)"
size_ok=1
check_size() { # <file> <most bytes>
  local bytes
  bytes="$(wc -c <"$1")"
  printf '  %-72s %9d bytes\n' "$(basename "$1")" "$bytes"
  [ "$bytes" -le "$2" ] || { echo "  ^ more than $2 bytes" >&2; size_ok=0; }
}
for f in "$out"/npm/testrelay-[0-9]*.tgz; do check_size "$f" 200000; done
for f in "$out"/npm/testrelay-linux-*.tgz "$out"/pypi/*.whl; do check_size "$f" 3000000; done
check_size "$out"/pypi/*.tar.gz 1000000
check_size "$out"/wasm/*.tgz 1000000
[ "$size_ok" = 1 ]

log "install from the files: npm + Playwright, testrelay-wasm (Node, TypeScript, Chromium)"
TESTRELAY_ARTIFACTS="$out/npm" node --test tests/artifacts/npm.test.mjs
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}" TESTRELAY_ARTIFACTS="$out/wasm" node --test tests/artifacts/wasm.test.mjs
took "npm and WASM install tests"

log "install from the files: the wheel + pytest; the sdist built from source"
TESTRELAY_ARTIFACTS="$out/pypi" "$VENV/bin/python" -m pytest -p no:testrelay -p no:cacheprovider -q -rfE \
  tests/artifacts/test_wheel.py tests/artifacts/test_sdist.py
took "PyPI install tests"
printf '%s\n' "${timings[@]}"
