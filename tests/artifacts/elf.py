"""Checks the headers of Linux release binaries (napi `.node` files, or the extension modules
inside wheels) with binutils' `readelf`, which reads any architecture on any host:

- the machine is the one the file is named for;
- glibc builds reference no symbol version newer than the floor (2.17: manylinux2014, and the
  oldest glibc napi-rs's own toolchains target), musl builds reference none at all;
- they need only the C library's own shared objects (no libpython: abi3 modules take the
  interpreter's symbols from the process);
- they are stripped: no symbol table, no debug sections;
- with --symbols-from LIBC (a musl libc.so of the same machine): every symbol they take from
  the system, all but the host's own (Node-API's, Python's), is defined there.

usage: elf.py --arch x86_64|aarch64 --libc glibc-2.17|musl [--symbols-from LIBC] FILE...
(a FILE may be a .whl)
Prints one line per binary; exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

MACHINES = {"x86_64": "Advanced Micro Devices X86-64", "aarch64": "AArch64"}
# The C library's parts; manylinux's policy allows these and the toolchains link nothing else.
GLIBC_LIBS = {"libc.so.6", "libpthread.so.0", "libdl.so.2", "libm.so.6", "librt.so.1", "libgcc_s.so.1",
              "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}
# musl's loader answers for all of these itself (zig names it `libc.so`, Alpine's gcc
# `libc.musl-<arch>.so.1`).
MUSL_LIB = re.compile(r"^(libc\.so|libc\.musl-[a-z0-9_]+\.so\.1|libgcc_s\.so\.1)$")
# What the process hosting the module defines: Node-API (node) or the C API (python).
HOST_SYMBOL = re.compile(r"^(napi_|node_api_|_?Py)")


def readelf(flags: str, path: Path) -> str:
    return subprocess.run(["readelf", "-W", flags, str(path)], check=True, capture_output=True, text=True).stdout


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def symbols(path: Path) -> list[tuple[str, str, str]]:
    """(binding, section index, name) of each dynamic symbol, versions cut off."""
    rows = []
    for line in readelf("--dyn-syms", path).splitlines():
        cols = line.split()
        if len(cols) >= 8 and cols[0].rstrip(":").isdigit():
            rows.append((cols[4], cols[6], cols[7].split("@")[0]))
    return rows


def missing_from(path: Path, libc: Path) -> list[str]:
    """The strong undefined symbols of `path`, not the host's, that `libc` does not define."""
    defined = {name for _, ndx, name in symbols(libc) if ndx != "UND"}
    return sorted(name for bind, ndx, name in symbols(path)
                  if ndx == "UND" and bind == "GLOBAL" and not HOST_SYMBOL.match(name) and name not in defined)


def check(path: Path, arch: str, libc: str, label: str, symbols_from: Path | None) -> list[str]:
    """The failed checks of one ELF file (empty when it passes); prints its summary line."""
    failures = []
    header = readelf("-h", path)
    machine = re.search(r"Machine:\s+(.+)", header).group(1).strip()
    if machine != MACHINES[arch]:
        failures.append(f"machine is {machine!r}, not {MACHINES[arch]!r}")
    if "ELF64" not in header:
        failures.append("not a 64-bit ELF file")
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", readelf("-d", path))
    glibc = sorted(set(re.findall(r"GLIBC_(\d+(?:\.\d+)+)", readelf("-V", path))), key=version_tuple)
    if libc == "musl":
        if glibc:
            failures.append(f"references glibc symbol versions {glibc}")
        failures += [f"needs {lib}" for lib in needed if not MUSL_LIB.match(lib)]
    else:
        floor = libc.removeprefix("glibc-")
        newer = [v for v in glibc if version_tuple(v) > version_tuple(floor)]
        if newer:
            failures.append(f"needs glibc {', '.join(newer)} (newer than {floor})")
        failures += [f"needs {lib}" for lib in needed if lib not in GLIBC_LIBS]
    if symbols_from:
        missing = missing_from(path, symbols_from)
        if missing:
            failures.append(f"{symbols_from} lacks {', '.join(missing)}")
    sections = re.findall(r"^\s*\[\s*\d+\]\s+(\S+)", readelf("-S", path), re.M)
    unstripped = [s for s in sections if s == ".symtab" or s.startswith(".debug")]
    if unstripped:
        failures.append(f"not stripped ({', '.join(unstripped)})")
    size = path.stat().st_size / 1e6
    newest = f"GLIBC_{glibc[-1]}" if glibc else "no glibc"
    verdict = "ok" if not failures else "FAILED: " + "; ".join(failures)
    checked = f", system symbols all in {symbols_from}" if symbols_from and not failures else ""
    print(f"{label}: {machine}, newest symbol version {newest}, needs {' '.join(needed)}{checked}, "
          f"{size:.2f} MB — {verdict}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", required=True, choices=sorted(MACHINES))
    parser.add_argument("--libc", required=True, help="glibc-<oldest version> or musl")
    parser.add_argument("--symbols-from", type=Path, help="a musl libc.so the binaries must need no more than")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    failed = 0
    for file in args.files:
        if file.suffix == ".whl":
            with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(file) as wheel:
                modules = [n for n in wheel.namelist() if n.endswith(".so")]
                if not modules:
                    print(f"{file.name}: FAILED: no extension module inside")
                    failed += 1
                for name in modules:
                    failed += bool(check(Path(wheel.extract(name, tmp)), args.arch, args.libc,
                                           f"{file.name}!{name}", args.symbols_from))
        else:
            failed += bool(check(file, args.arch, args.libc, file.name, args.symbols_from))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
