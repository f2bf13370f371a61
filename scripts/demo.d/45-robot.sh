# Robot Framework: the demo suite in examples/robot run through the testrelay listener in
# report mode (no token, no server), then what testrelay decided for each test, read from the
# report.
source "$(dirname "$0")/../lib.sh"
out="$TESTRELAY_WORK/demo-robot-report"
rm -rf "$out"
cd "$ROOT/examples/robot"
env -u QASE_TESTOPS_API_TOKEN QASE_MODE=report QASE_REPORT_CONNECTION_PATH="$out" \
  "$VENV/bin/python" -m robot --listener testrelay.robot --output NONE --report NONE --log NONE \
  --console dotted shop.robot || true
"$VENV/bin/python" - "$out" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
results = sorted((json.loads(f.read_text()) for f in (out / "results").glob("*.json")), key=lambda r: r["title"])
print(f"\ntestrelay decided ({len(results)} results in {out}):")
for r in results:
    ids = r.get("testops_ids") or []
    print(f"  {r['execution']['status']:8} {r['title']}" + (f"  (case {', '.join(map(str, ids))})" if ids else ""))
PY
