#!/usr/bin/env bash
# Packs the npm packages of `testrelay` from built binaries: one tarball per platform package
# (npm/<platform>/ with its testrelay.<platform>.node added) and the root package, which holds
# the JavaScript only and names every platform package in optionalDependencies. The release
# workflow and scripts/test.d/85-artifacts.sh both pack with this script, so the tarballs that
# are tested are the ones that are published.
#
# usage: pack.sh BINARIES_DIR OUT_DIR [--all]
#   BINARIES_DIR  searched (recursively) for testrelay.<platform>.node files
#   --all         every platform package must get a binary (the release)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
package="$(cd "$here/.." && pwd)"
[ $# -ge 2 ] || { echo "usage: pack.sh BINARIES_DIR OUT_DIR [--all]" >&2; exit 2; }
binaries="$(cd "$1" && pwd)"
mkdir -p "$2"
out="$(cd "$2" && pwd)"
all="${3:-}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

field() { node -p "require(process.argv[1])$2" "$1"; }
version="$(field "$package/package.json" .version)"

packed=()
while IFS= read -r binary; do
  file="$(basename "$binary")"
  platform="${file#testrelay.}"
  platform="${platform%.node}"
  manifest="$here/$platform/package.json"
  [ -f "$manifest" ] || { echo "pack.sh: $file is for no platform package (no npm/$platform/)" >&2; exit 1; }
  [ "$(field "$manifest" .main)" = "$file" ] || { echo "pack.sh: npm/$platform/package.json's main is not $file" >&2; exit 1; }
  [ "$(field "$manifest" .version)" = "$version" ] || { echo "pack.sh: npm/$platform is not at version $version (run 'npx napi version')" >&2; exit 1; }
  [ "$(field "$package/package.json" ".optionalDependencies['testrelay-$platform']")" = "$version" ] ||
    { echo "pack.sh: package.json's optionalDependencies lack testrelay-$platform@$version" >&2; exit 1; }
  [ ! -e "$stage/$platform" ] || { echo "pack.sh: two binaries for $platform under $binaries" >&2; exit 1; }
  cp -r "$here/$platform" "$stage/$platform"
  cp "$binary" "$stage/$platform/$file"
  (cd "$stage/$platform" && npm pack --silent --pack-destination "$out" >/dev/null)
  packed+=("$platform")
done < <(find "$binaries" -name 'testrelay.*.node' -type f | sort)

[ ${#packed[@]} -gt 0 ] || { echo "pack.sh: no testrelay.*.node under $binaries" >&2; exit 1; }
if [ "$all" = --all ]; then
  for dir in "$here"/*/; do
    platform="$(basename "$dir")"
    [[ " ${packed[*]} " == *" $platform "* ]] || { echo "pack.sh: no binary for $platform" >&2; exit 1; }
  done
fi
(cd "$package" && npm pack --silent --pack-destination "$out" >/dev/null)
echo "packed testrelay@$version and ${#packed[@]} platform package(s): ${packed[*]} → $out"
