# A Vitest suite (bindings-node/test/vitest, the reporter's end-to-end fixture: every kind of
# outcome and the qase helpers) reported through testrelay/vitest in report mode — no server, no
# token — then what testrelay decided per test.
source "$(dirname "$0")/../lib.sh"
report="$TESTRELAY_WORK/demo-vitest-report"
rm -rf "$report"
cd "$ROOT/bindings-node/test/vitest"
# Its packages (Vitest) are installed by scripts/setup.d/30-node.sh. Some tests fail on purpose;
# Vitest's exit code is not the demo's.
env -u QASE_TESTOPS_API_TOKEN QASE_MODE=report QASE_REPORT_CONNECTION_PATH="$report" npx vitest run || true
echo
echo "What testrelay decided (status after mapping | suite | title | case ids):"
node -e '
const fs = require("fs"), path = require("path"), dir = process.argv[1]
const rows = fs.readdirSync(path.join(dir, "results")).map((f) => JSON.parse(fs.readFileSync(path.join(dir, "results", f), "utf8")))
const suite = (r) => r.relations.suite.data.map((s) => s.title).join(" > ")
rows.sort((a, b) => suite(a).localeCompare(suite(b)) || a.title.localeCompare(b.title))
for (const r of rows) console.log(`  ${r.execution.status.padEnd(8)} | ${suite(r)} | ${r.title} | ${r.testops_id ?? r.testops_ids ?? "-"}`)
console.log(`report: ${dir} (run.json + ${rows.length} result files)`)
' "$report"
