# Python: the binding's vectors, stubs, the pytest plugin's outcomes and its end-to-end runs.
# The outer pytest run does not load the plugin itself (-p no:testrelay); the runs under test do.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
"$VENV/bin/python" -m pytest -p no:testrelay -p no:cacheprovider bindings-python/tests -q -rfE
