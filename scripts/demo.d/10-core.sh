# What the core decides for a bundled sample of finished tests, with a status mapping and
# filter given the way a user would (QASE_* env).
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
QASE_STATUS_MAPPING="invalid=failed" QASE_TESTOPS_STATUS_FILTER="skipped" \
  cargo run -q -p testrelay --example decide -- examples/sample-outcomes.json
