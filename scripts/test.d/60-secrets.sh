# Secrets: a real Playwright suite and a real pytest suite through their reporters in debug
# mode, with faults and a permanent outage (fallback written); the token appears in no output,
# file, receipt or recorded payload.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
export FAKE_QASE_BIN="${FAKE_QASE_BIN:-$ROOT/target/debug/fake-qase}"
node --test --test-concurrency=1 tests/soak/secrets.test.mjs
