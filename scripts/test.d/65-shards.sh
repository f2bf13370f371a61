# One run across shards and workers: 4 Playwright shard processes and 2 pytest -n 2
# jobs report into one fake-qase run; `testrelay complete-run` (npm and Python) completes it
# exactly once when all delivered, never when a job lost its connection; counts checked.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
"$VENV/bin/python" -m pytest -p no:testrelay -p no:cacheprovider tests/shards/test_shards.py -q -rfE
