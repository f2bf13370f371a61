# Python: a venv at $VENV with maturin, pytest (+ xdist, rerunfailures), urllib3 (the plugin's
# HTTP client), robotframework (the Robot listener's runs) and the official Qase API v2 client
# (payload validation in tests); then the testrelay wheel built from bindings-python/ and
# installed into it. Skips what is present.
PY_PACKAGES=(maturin==1.16.0 pytest==9.2.0 pytest-xdist==3.8.0 pytest-rerunfailures==16.7
  urllib3==2.8.0 qase-api-v2-client==2.0.8 mypy==2.4.1 robotframework==7.5)
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
missing=()
for p in "${PY_PACKAGES[@]}"; do
  "$VENV/bin/python" -m pip show -q "${p%%==*}" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] || "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${missing[@]}"
# The wheel is rebuilt every time (maturin's own cargo build is incremental).
(cd "$ROOT/bindings-python" && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" \
  maturin develop -q)
