# Report import: real reports (pytest 9.2.0, Playwright 1.65.1) and a Surefire report with
# reruns, read by the core and classified — one line per attempt.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
cargo run -q -p testrelay --example import_report -- \
  tests/fixtures/junit/surefire.xml tests/fixtures/junit/pytest-xunit2.xml \
  tests/fixtures/playwright/report.json
