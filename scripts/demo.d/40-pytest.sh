# pytest: the demo suite in examples/pytest run through the testrelay plugin in report mode
# (no token, no server), then what testrelay decided for each test, read from the report.
source "$(dirname "$0")/../lib.sh"
out="$TESTRELAY_WORK/demo-pytest-report"
rm -rf "$out"
cd "$ROOT/examples/pytest"
env -u QASE_TESTOPS_API_TOKEN QASE_MODE=report QASE_REPORT_CONNECTION_PATH="$out" \
  "$VENV/bin/python" -m pytest -p no:cacheprovider -q -rN . || true
"$VENV/bin/python" - "$out" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
files = sorted((out / "results").glob("*.json"))
print(f"\ntestrelay decided ({len(files)} results in {out}):")
for f in files:
    r = json.loads(f.read_text())
    ids = r.get("testops_ids") or r.get("testops_id") or ""
    print(f"  {r['execution']['status']:8} {r['title']}  {ids or ''}")
PY
