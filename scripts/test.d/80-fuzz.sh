# Fuzz: every cargo-fuzz target of fuzz/ for a short bounded time (FUZZ_SECONDS, default 20).
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 lets the stable toolchain build them.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT/fuzz"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  log "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
passed=0 failed=0
for target in $(cargo fuzz list); do
  log "fuzz $target (${FUZZ_SECONDS:-20} s)"
  if cargo fuzz run -O "$target" -- -max_total_time="${FUZZ_SECONDS:-20}" 2>&1 | grep -v '^#[0-9]'; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
