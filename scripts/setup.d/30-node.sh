# Node: nodejs/npm from Debian when missing, the npm packages of bindings-node (@napi-rs/cli,
# @playwright/test; no browser download) and a debug build of the napi module.
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
(
  cd "$ROOT/bindings-node"
  # `npm install`, not `npm ci` (optional platform packages of @napi-rs/cli); skipped when
  # node_modules is newer than the lockfile and package.json.
  stamp=node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    npm install --no-audit --no-fund
  fi
  npx napi build --platform
)
# The Vitest fixture (bindings-node/test/vitest: testrelay/vitest's end-to-end test and demo)
# has its own package.json, so bindings-node's stays free of Vitest; same skip rule as above.
(
  cd "$ROOT/bindings-node/test/vitest"
  stamp=node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    npm install --no-audit --no-fund
  fi
)
