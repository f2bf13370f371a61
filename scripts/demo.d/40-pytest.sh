# pytest: the demo suite in examples/pytest run through the testrelay plugin in report mode
# (no token, no server), then what testrelay decided for each test, read from the report.
source "$(dirname "$0")/../lib.sh"
out="$TESTRELAY_WORK/demo-pytest-report"
rm -rf "$out"
cd "$ROOT/examples/pytest"
env -u QASE_TESTOPS_API_TOKEN QASE_MODE=report QASE_REPORT_CONNECTION_PATH="$out" \
  "$VENV/bin/python" -m pytest -p no:cacheprovider -q --tb=no -rN . || true
"$VENV/bin/python" - "$out" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
results = sorted((json.loads(f.read_text()) for f in (out / "results").glob("*.json")), key=lambda r: r["title"])
print(f"\ntestrelay decided ({len(results)} results in {out}):")
for r in results:
    ids = r.get("testops_ids") or ([r["testops_id"]] if r.get("testops_id") else [])
    print(f"  {r['execution']['status']:8} {r['title']}" + (f"  (case {', '.join(map(str, ids))})" if ids else ""))
PY
