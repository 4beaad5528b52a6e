"""Importing samples: ``studio.engine.import_samples`` on 8 realistic files, against a bare decode.

The files are generated in a temporary folder, deterministically: four 2000x1500 JPEG
"paintings" (gradients, soft blobs and noise, so they compress like photographs of paint), two
1024x1024 PNG and two 64-bar MIDI melodies. A set never mixes domains, so a run imports the six
pictures and the two melodies as two batches (as a user with two projects would); the 8-file
time is their sum. Per-file times come from importing each file alone. The baseline, measured
in the same runs, is reading the bytes and decoding them (Pillow ``load()`` / ``mido.MidiFile``)
without any of the studio's checks, analysis or thumbnails.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

DESCRIPTION = "Import 8 samples (4 JPEG 2000x1500, 2 PNG 1024x1024, 2 MIDI x 64 bars) vs a bare decode"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=5, help="measured repetitions (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 runs")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="shrink the generated pictures by this factor (a smoke run; not for reports)")


def _painting(width: int, height: int, seed: int):
    """An RGB image with colour gradients, a few soft blobs and fine noise."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    x /= max(1, width - 1)
    y /= max(1, height - 1)
    channels = []
    for c in range(3):
        a, b, phase = rng.uniform(-1, 1, 3)
        channels.append(0.5 + 0.3 * a * x + 0.3 * b * y + 0.1 * np.sin(6.28 * (x * (c + 1) + y * 2 + phase)))
    img = np.stack(channels, axis=-1)
    for _ in range(12):
        cx, cy, r = rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.03, 0.2)
        blob = np.exp(-((x - cx) ** 2 + ((y - cy) * height / width) ** 2) / (2 * r * r))
        img += blob[..., None] * rng.uniform(-0.5, 0.5, 3)
    img += rng.normal(0, 0.04, img.shape)
    return Image.fromarray((np.clip(img, 0, 1) * 255).astype(np.uint8), "RGB")


def _melody_midi(bars: int, seed: int) -> bytes:
    """A one-track 4/4 melody of eighth and quarter notes in C major, ``bars`` long."""
    import random

    import mido

    rng = random.Random(seed)
    tpb = 480
    track = mido.MidiTrack([
        mido.MetaMessage("track_name", name=f"melody {seed}", time=0),
        mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0),
        mido.MetaMessage("key_signature", key="C", time=0),
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(100), time=0),
        mido.Message("program_change", program=0, time=0),
    ])
    scale = [60, 62, 64, 65, 67, 69, 71, 72]
    degree, ticks = 0, 0
    while ticks < bars * 4 * tpb:
        length = rng.choice((tpb // 2, tpb // 2, tpb))
        degree = max(0, min(len(scale) - 1, degree + rng.choice((-2, -1, -1, 1, 1, 2))))
        track.append(mido.Message("note_on", note=scale[degree], velocity=80, time=0))
        track.append(mido.Message("note_off", note=scale[degree], velocity=0, time=length))
        ticks += length
    track.append(mido.MetaMessage("end_of_track", time=0))
    out = io.BytesIO()
    mido.MidiFile(ticks_per_beat=tpb, tracks=[track]).save(file=out)
    return out.getvalue()


def build_files(folder: Path, scale: float = 1.0) -> tuple[list[Path], list[Path]]:
    """Write the 8 sample files; returns (pictures, melodies)."""
    pictures, melodies = [], []
    for i in range(4):
        path = folder / f"painting_{i}.jpg"
        _painting(int(2000 * scale), int(1500 * scale), seed=i).save(path, "JPEG", quality=90)
        pictures.append(path)
    for i in range(2):
        path = folder / f"study_{i}.png"
        size = int(1024 * scale)
        _painting(size, size, seed=10 + i).save(path, "PNG")
        pictures.append(path)
    for i in range(2):
        path = folder / f"melody_{i}.mid"
        path.write_bytes(_melody_midi(64, seed=20 + i))
        melodies.append(path)
    return pictures, melodies


def bare_decode(path: Path) -> None:
    """The floor: read the bytes and decode them, nothing else."""
    data = path.read_bytes()
    if data.startswith(b"MThd"):
        import mido

        mido.MidiFile(file=io.BytesIO(data))
    else:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            img.load()


def _import(paths: list[Path]):
    from studio import engine
    from studio.progress import NULL_PROGRESS

    report = engine.import_samples([str(p) for p in paths], NULL_PROGRESS)
    if report.errors or len(report.samples) != len(paths):
        raise RuntimeError(f"the import failed, timing it would mean nothing: {[str(e) for e in report.errors]}")
    return report


def _timed(fn, *a) -> float:
    t0 = time.perf_counter()
    fn(*a)
    return time.perf_counter() - t0


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build the files, warm up once, then time ``runs`` interleaved repetitions; medians."""
    if args.quick:
        args.runs = 2
    with tempfile.TemporaryDirectory(prefix="studio-bench-import-") as tmp:
        pictures, melodies = build_files(Path(tmp), args.scale)
        files = pictures + melodies
        _import(pictures), _import(melodies)  # warm-up: module imports and the file cache, off the clock
        for f in files:
            bare_decode(f)
        batch, pic_batch, mel_batch, baseline = [], [], [], []
        per_file: dict[str, list[float]] = {f.name: [] for f in files}
        per_file_bare: dict[str, list[float]] = {f.name: [] for f in files}
        for _ in range(args.runs):
            p, m = _timed(_import, pictures), _timed(_import, melodies)
            pic_batch.append(p)
            mel_batch.append(m)
            batch.append(p + m)
            baseline.append(sum(_timed(bare_decode, f) for f in files))
            for f in files:
                per_file[f.name].append(_timed(_import, [f]))
                per_file_bare[f.name].append(_timed(bare_decode, f))
        rows = [
            {"file": f.name, "kbytes": round(f.stat().st_size / 1024), "import_ms": _ms(per_file[f.name]),
             "bare_decode_ms": _ms(per_file_bare[f.name])}
            for f in files
        ]
    return {
        "benchmark": "import_samples",
        "runs": args.runs,
        "scale": args.scale,
        "files": len(files),
        "import_8_files_s": round(statistics.median(batch), 3),
        "import_6_pictures_s": round(statistics.median(pic_batch), 3),
        "import_2_melodies_s": round(statistics.median(mel_batch), 3),
        "baseline_bare_decode_8_files_s": round(statistics.median(baseline), 3),
        "import_over_baseline": round(statistics.median(batch) / max(1e-9, statistics.median(baseline)), 2),
        "per_file": rows,
    }


def _ms(values: list[float]) -> float:
    return round(1000 * statistics.median(values), 1)


if __name__ == "__main__":
    import json

    parser = argparse.ArgumentParser(description=DESCRIPTION)
    add_arguments(parser)
    print(json.dumps(run(parser.parse_args()), indent=2))
