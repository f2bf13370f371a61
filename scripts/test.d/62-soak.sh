# Soak with faults at CI size (SOAK_N, default 1,000 results per reporter; `scripts/bench`
# runs 10,000): 20 % 5xx, 429 + Retry-After, a 413, slow and dropped connections and an outage
# mid-run; every result stored once or in the fallback, the run completed iff all arrived.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
export FAKE_QASE_BIN="${FAKE_QASE_BIN:-$ROOT/target/debug/fake-qase}"
SOAK_N="${SOAK_N:-1000}" node --test --test-concurrency=1 tests/soak/soak.test.mjs
