# A Playwright suite (examples/playwright, no browser) reported through testrelay's reporter in
# report mode — no server, no token — then what testrelay decided per test.
source "$(dirname "$0")/../lib.sh"
report="$TESTRELAY_WORK/demo-playwright-report"
rm -rf "$report"
cd "$ROOT/examples/playwright"
# The suite uses bindings-node's @playwright/test (installed by scripts/setup.d/30-node.sh).
[ -e node_modules ] || ln -s ../../bindings-node/node_modules node_modules
# Some demo tests fail on purpose; Playwright's exit code is not the demo's.
DEMO_REPORT_DIR="$report" DEMO_PW_OUTPUT="$TESTRELAY_WORK/demo-playwright-output" \
  node "$ROOT/bindings-node/node_modules/@playwright/test/cli.js" test -c playwright.config.mjs || true
echo
echo "What testrelay decided (status after mapping | title | case ids):"
node -e '
const fs = require("fs"), path = require("path"), dir = process.argv[1]
const rows = fs.readdirSync(path.join(dir, "results")).map((f) => JSON.parse(fs.readFileSync(path.join(dir, "results", f), "utf8")))
rows.sort((a, b) => a.title.localeCompare(b.title))
for (const r of rows) console.log(`  ${r.execution.status.padEnd(8)} | ${r.title} | ${r.testops_id ?? r.testops_ids ?? "-"}`)
console.log(`report: ${dir} (run.json + ${rows.length} result files)`)
' "$report"
