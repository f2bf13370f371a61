# Shared helpers for scripts/setup, scripts/test and scripts/demo. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Everything a script installs that is not a system package lives here (gitignored).
export TESTRELAY_WORK="${TESTRELAY_WORK:-$ROOT/.testrelay-work}"
export VENV="$ROOT/.venv"
mkdir -p "$TESTRELAY_WORK"
log() { printf '\n==> %s\n' "$*"; }
# Runs a command as root (CI runs as root; a developer may need sudo).
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
}
