"""Checks that every package of a release carries one version and that the npm packaging agrees
with itself: the Cargo workspace (the Rust crates and, through maturin, the PyPI package), the
npm package `testrelay`, each of its platform packages (one per napi target, each named in its
optionalDependencies at that version) and `testrelay-wasm`. With --tag, the release tag must be
v<version>.

usage: versions.py [--tag vX.Y.Z]   (exits 1 on any disagreement)
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARCH = {"x86_64": "x64", "aarch64": "arm64"}


def napi_platform(triple: str) -> str:
    """The suffix napi-rs gives a target's package and binary: x86_64-unknown-linux-gnu → linux-x64-gnu."""
    arch, _, rest = triple.partition("-")
    if rest.endswith("apple-darwin"):
        return f"darwin-{ARCH[arch]}"
    if rest.endswith("pc-windows-msvc"):
        return f"win32-{ARCH[arch]}-msvc"
    return f"linux-{ARCH[arch]}-{rest.rsplit('-', 1)[1]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tag", help="the release tag, v<version>")
    args = parser.parse_args()
    read = lambda path: json.loads((ROOT / path).read_text(encoding="utf-8"))  # noqa: E731
    version = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))["workspace"]["package"]["version"]
    node = read("bindings-node/package.json")
    problems = []
    if args.tag is not None and args.tag != f"v{version}":
        problems.append(f"tag {args.tag} is not v{version}")
    found = {"bindings-node/package.json": node["version"],
             "bindings-wasm/npm/package.json": read("bindings-wasm/npm/package.json")["version"]}
    platforms = {napi_platform(t) for t in node["napi"]["targets"]}
    dirs = {p.parent.name for p in (ROOT / "bindings-node/npm").glob("*/package.json")}
    if dirs != platforms:
        problems.append(f"bindings-node/npm/ has {sorted(dirs)}, napi targets give {sorted(platforms)}")
    for platform in sorted(dirs):
        manifest = read(f"bindings-node/npm/{platform}/package.json")
        found[f"bindings-node/npm/{platform}/package.json"] = manifest["version"]
        if manifest["name"] != f"testrelay-{platform}":
            problems.append(f"bindings-node/npm/{platform} is named {manifest['name']}")
    expected = {f"testrelay-{p}": version for p in sorted(platforms)}
    if node.get("optionalDependencies") != expected:
        problems.append(f"bindings-node/package.json optionalDependencies are {node.get('optionalDependencies')}, "
                        f"not {expected}")
    problems += [f"{path} is at {v}, Cargo.toml at {version}" for path, v in found.items() if v != version]
    for problem in problems:
        print(f"versions: {problem}")
    if problems:
        print("versions: how to set a version: docs/install.md, 'Releasing'")
        return 1
    print(f"versions: every package at {version}, {len(platforms)} platform packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
