"""Checks a built desktop bundle: ``python packaging/check_bundle.py dist/meta-creation-studio``.

``make bundle`` runs it after PyInstaller. It prints the bundle's size (and its largest parts),
the system libraries the bundle still takes from the machine (from ``ldd`` over every ELF file
in it; these are what a clean machine must have, see README "Bundle"), and runs the bundle's
own smoke test (``--smoke-test``) offscreen in a bare environment (no Python on PATH, no
PYTHONPATH or virtual env, a fresh HOME, the working directory outside the checkout), in
English and, when the bundle has its translation, in Chinese. Exit 0 only if every smoke run
passed; missing optional libraries (GTK's theme, Wayland) are listed, not failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

EXECUTABLE = "meta-creation-studio"
# Libraries every Linux system has (glibc and the loader): not worth listing as requirements.
BASE_LIBRARIES = re.compile(r"^(linux-vdso|ld-linux|libc|libm|libdl|libpthread|librt|libutil|libresolv)\.so")
LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)")


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def parse_ldd(output: str) -> dict[str, str]:
    """``ldd``'s lines as {library name: resolved path, or "not found"}."""
    return {m.group(1): m.group(2) for m in map(LDD_LINE.match, output.splitlines()) if m}


def system_libraries(bundle: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """({library: paths outside the bundle it resolves to}, {missing library: bundle files that need
    it}) over every ELF file of ``bundle``; glibc's own libraries are left out."""
    outside: dict[str, set[str]] = {}
    missing: dict[str, set[str]] = {}
    root = str(bundle.resolve())
    for path in sorted(p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p)):
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True)
        for name, where in parse_ldd(result.stdout).items():
            if BASE_LIBRARIES.match(name):
                continue
            if where == "not found":
                missing.setdefault(name, set()).add(str(path.relative_to(bundle)))
            elif not str(Path(where).resolve()).startswith(root):
                outside.setdefault(name, set()).add(where)
    return outside, missing


def debian_packages(paths: set[str]) -> list[str]:
    """The Debian packages owning ``paths`` (empty where dpkg is not there). Matched by file name:
    on a merged-/usr system ldd says /lib/... where dpkg recorded /usr/lib/..."""
    try:
        patterns = sorted({f"*/{Path(p).name}" for p in paths})
        result = subprocess.run(["dpkg", "-S", *patterns], capture_output=True, text=True)
    except FileNotFoundError:
        return []
    return sorted({line.split(":")[0] for line in result.stdout.splitlines() if ":" in line and "-dev" not in line})


def sizes(bundle: Path, depth: int = 2) -> tuple[int, list[tuple[str, int]]]:
    """The bundle's total bytes and its parts ``depth`` folders below ``_internal``, largest first."""
    parts: Counter[str] = Counter()
    total = 0
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            size = path.stat().st_size
            total += size
            rel = path.relative_to(bundle).parts
            rel = rel[1:] if rel[0] == "_internal" else rel
            parts["/".join(rel[:depth]) if len(rel) > depth else "/".join(rel[:-1]) or rel[-1]] += size
    return total, parts.most_common()


def run_smoke(bundle: Path, lang: str = "C.UTF-8", timeout_s: float = 600.0) -> tuple[int, str, float]:
    """Run the bundle's ``--smoke-test`` in a bare environment with ``LANG=lang``; (exit status, its
    output, seconds)."""
    with tempfile.TemporaryDirectory(prefix="studio-bundle-smoke-") as home:
        env = {"HOME": home, "PATH": "/usr/bin:/bin", "LANG": lang, "QT_QPA_PLATFORM": "offscreen",
               "XDG_RUNTIME_DIR": home, "STUDIO_T0": repr(time.time())}
        started = time.perf_counter()
        result = subprocess.run([str(bundle.resolve() / EXECUTABLE), "--smoke-test"], cwd=home, env=env,
                                capture_output=True, text=True, timeout=timeout_s)
        return result.returncode, (result.stdout + result.stderr).strip(), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the bundle folder (dist/meta-creation-studio)")
    parser.add_argument("--no-smoke", action="store_true", help="only the size and the libraries")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the findings there as JSON")
    args = parser.parse_args(argv)
    bundle: Path = args.bundle
    if not (bundle / EXECUTABLE).is_file():
        print(f"error: {bundle / EXECUTABLE} does not exist; build the bundle first (make bundle)", file=sys.stderr)
        return 2

    total, parts = sizes(bundle)
    print(f"bundle {bundle}: {total / 2**20:.0f} MiB in all; largest parts:")
    for name, size in parts[:12]:
        print(f"  {size / 2**20:8.1f} MiB  {name}")

    outside, missing = system_libraries(bundle)
    paths = {p for where in outside.values() for p in where}
    packages = debian_packages(paths)
    print(f"system libraries it takes from this machine ({len(outside)}): {', '.join(sorted(outside)) or 'none'}")
    if packages:
        print(f"  from the Debian packages: {' '.join(packages)}")
    for name, needers in sorted(missing.items()):
        shown = ", ".join(sorted(needers)[:3]) + (" ..." if len(needers) > 3 else "")
        print(f"  missing here: {name} (needed by {shown})")

    findings: dict[str, object] = {"bytes": total, "parts": parts[:20], "system_libraries": sorted(outside),
                                   "debian_packages": packages, "missing": sorted(missing)}
    code = 0
    if not args.no_smoke:
        # English, and Chinese when its translation is in the bundle (the smoke mode fails if it does not load)
        languages = ["C.UTF-8"] + (["zh_CN.UTF-8"] if list(bundle.rglob("studio_zh_CN.qm")) else [])
        for lang in languages:
            status, output, seconds = run_smoke(bundle, lang)
            line = next((ln for ln in output.splitlines() if ln.startswith("smoke-test")), "(no smoke-test line)")
            print(f"smoke test of the bundle, LANG={lang} ({seconds:.1f} s, exit {status}):\n  {line}")
            if status != 0:
                print(output, file=sys.stderr)
                code = 1
            findings["smoke" if lang == "C.UTF-8" else f"smoke {lang}"] = {
                "exit": status, "seconds": round(seconds, 2), "output": output}
    if args.json:
        args.json.write_text(json.dumps(findings, indent=2, default=list))
    return code


if __name__ == "__main__":
    sys.exit(main())
