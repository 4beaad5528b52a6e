"""Hostile inputs: the files that once stalled or flooded a reader, and killed project saves.

Each input is read in a fresh Python process (``load_sample`` or ``load_project``), so its
wall time and peak RSS are its own; the baseline is the same measurement against an older
checkout's ``studio`` package (``--baseline DIR``, e.g. ``git archive aed2859 studio | tar -x
-C /tmp/old``). The inputs, as the hostile test found them:

* a 1.1 MB project of 900 members of 1 MiB of zeros (read into 981 MB);
* a 3.9 MB MIDI file of 1.3 million running-status note events (13 s before it was refused);
* a MIDI file of 550,000 tempo changes (accepted after 6-9 s);
* a 1 x 60,000,000 PNG (decoded in 9.6 s into 744 MB).

Then ``--kills`` project saves of ``--save-mb`` MB are SIGKILLed at random moments, and the
bench counts the files and bytes left beside the project before and after the next open.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

DESCRIPTION = "Hostile files (zip of zeros, dense MIDI, 550k tempos, 1x60M PNG) and killed saves, vs a baseline"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a folder holding an older 'studio' package to measure the same way")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a read is stopped")
    parser.add_argument("--kills", type=int, default=10, help="project saves to SIGKILL (default 10)")
    parser.add_argument("--save-mb", type=int, default=64, help="size of each killed save (default 64)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--scale", type=int, default=1,
                        help="make the inputs this many times smaller (a smoke run; not for reports)")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _smf(track: bytes) -> bytes:
    return b"MThd" + struct.pack(">LHHH", 6, 0, 1, 96) + b"MTrk" + struct.pack(">L", len(track)) + track


def make_inputs(scale: int = 1) -> list[tuple[str, str, bytes]]:
    """``(kind, file name, bytes)`` of each hostile input, ``scale`` times smaller than found."""
    zeros = io.BytesIO()
    with zipfile.ZipFile(zeros, "w", zipfile.ZIP_DEFLATED) as zf:
        # a manifest the reader accepts, so that the members are read next
        zf.writestr("manifest.json", b'{"format": "meta-creation-studio-project", "version": 1}')
        for i in range(900 // scale):
            zf.writestr(f"weights/z{i}", bytes(2**20))
    dense = _smf(b"\x00\x90\x3c\x40" + b"\x00\x3c\x00\x00\x3e\x40" * (650_000 // scale) + b"\x00\xff\x2f\x00")
    tempos = _smf(b"\x00\x90\x3c\x40" + b"\x01\xff\x51\x03\x07\xa1\x20" * (550_000 // scale)
                  + b"\x00\x80\x3c\x00\x00\xff\x2f\x00")
    height = 60_000_000 // scale
    strip = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, height, 8, 0, 0, 0, 0))
             + _png_chunk(b"IDAT", zlib.compress(b"\x00\x80" * height, 1)) + _png_chunk(b"IEND", b""))
    return [("project", "zeros-900-members.mcs", zeros.getvalue()),
            ("sample", "running-status.mid", dense),
            ("sample", "tempo-changes.mid", tempos),
            ("sample", "strip-1x60M.png", strip)]


_READ = """
import sys
kind, path = sys.argv[1], sys.argv[2]
from studio.errors import StudioError
try:
    if kind == "project":
        from studio.io.project_file import load_project
        load_project(path)
    else:
        from studio.io.samples import load_sample
        load_sample(path)
    print("read")
except StudioError as error:
    print("refused: " + error.reason[:90])
"""

_PRELOAD = "import studio.io.project_file, studio.io.samples, studio.io.midi, studio.io.images"


def _hwm_kb() -> str:
    return 'int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")))'


def _measure(code: str, args: list[str], root: Path, timeout: float) -> dict[str, Any]:
    """Wall time of ``code`` past its imports, the child's peak RSS (VmHWM: its own, where
    getrusage would report the parent's size at fork), and the line it printed."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    script = (f"import sys, time\n{_PRELOAD}\n_m = {_hwm_kb()}\n_t = time.perf_counter()\n{code}\n"
              f"print(f'@{{time.perf_counter() - _t:.3f}} {{_m}} {{{_hwm_kb()}}}')")
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env, cwd=root)
    try:
        out, _ = child.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        child.kill()
        out, _ = child.communicate()
        timed_out = True
    lines = [line for line in out.decode().splitlines() if line]
    timing = next((line[1:].split() for line in lines if line.startswith("@")), None)
    outcome = "timed out" if timed_out else next((line for line in lines if not line.startswith("@")), "crashed")
    if timing is None:
        return {"seconds": None, "peak_rss_mb": None, "imports_rss_mb": None, "outcome": outcome}
    return {"seconds": float(timing[0]), "peak_rss_mb": round(int(timing[2]) / 1024),
            "imports_rss_mb": round(int(timing[1]) / 1024), "outcome": outcome}


_SAVE = """
from studio.core import Project
from studio.io.project_file import save_project
weights = {f"w{i}": bytes([i]) * (int(sys.argv[2]) * 2**20 // 4) for i in range(4)}
print("saving", flush=True)
while True:
    save_project(Project(title="big", weights=weights), sys.argv[1])
"""


def _killed_saves(root: Path, folder: Path, kills: int, save_mb: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    path = folder / "p.mcs"
    env = {**os.environ, "PYTHONPATH": str(root)}
    for _ in range(kills):
        child = subprocess.Popen([sys.executable, "-c", "import sys\n" + _SAVE, str(path), str(save_mb)],
                                 stdout=subprocess.PIPE, env=env, cwd=root)
        assert child.stdout is not None
        child.stdout.readline()
        time.sleep(rng.uniform(0.05, 1.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()

    def left() -> tuple[int, int]:
        others = [p for p in folder.iterdir() if p.name != "p.mcs"]
        return len(others), sum(p.stat().st_size for p in others)

    files, size = left()
    opened = _measure("from studio.io.project_file import load_project\nload_project(sys.argv[1])\nprint('read')",
                      [str(path)], root, 120)
    files_after, size_after = left()
    return {"kills": kills, "save_mb": save_mb, "left_files": files, "left_mb": round(size / 2**20),
            "left_files_after_open": files_after, "left_mb_after_open": round(size_after / 2**20),
            "open": opened["outcome"]}


def run(args: argparse.Namespace) -> dict[str, Any]:
    here = Path(__file__).resolve().parents[2]
    roots = {"current": here}
    if args.baseline is not None:
        roots["baseline"] = args.baseline.resolve()
    result: dict[str, Any] = {"inputs": {}, "killed_saves": {}}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for kind, name, data in make_inputs(args.scale):
            (folder / name).write_bytes(data)
            row = {"size_mb": round(len(data) / 1e6, 2)}
            for label, root in roots.items():
                row[label] = _measure(_READ, [kind, str(folder / name)], root, args.timeout)
            result["inputs"][name] = row
            (folder / name).unlink()
        for label, root in roots.items():
            saves = folder / f"saves-{label}"
            saves.mkdir()
            result["killed_saves"][label] = _killed_saves(root, saves, args.kills, args.save_mb, args.seed)
    return result


if __name__ == "__main__":
    import json

    parser = argparse.ArgumentParser(description=DESCRIPTION)
    add_arguments(parser)
    print(json.dumps(run(parser.parse_args()), indent=1))
