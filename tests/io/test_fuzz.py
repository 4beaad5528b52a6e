"""Hostile-input fuzzing: mutated images, MIDI files and projects are read or refused, never crash.

Every input is a valid seed file (PNG, JPEG, GIF, BMP, TIFF, WebP, MIDI, a painting and a
melody project) put through seeded mutations: byte flips, truncations, inserted bytes and
chunks, and header fields set to extremes (with checksums fixed so the field reaches the
reader). Each must come back as a sample or project, or as a :class:`StudioError`: any other
exception is a traceback a user would see. The slow test runs 10,000 inputs and also measures
each input's wall time and the process's peak RSS; the default suite runs 200.

Run the slow check and print its summary::

    .venv/bin/python -m tests.io.test_fuzz 10000
"""

from __future__ import annotations

import io
import json
import random
import resource
import signal
import struct
import subprocess
import sys
import time
import traceback
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import mido
import numpy as np
import pytest
from PIL import Image

from studio.core import KeySignature, Melody, Note, Project, SampleSet, Work
from studio.core.atomic import is_temp_name
from studio.core.samples import Domain
from studio.core.works import Gallery
from studio.errors import StudioError
from studio.io.midi import write_midi
from studio.io.project_file import load_project, project_from_bytes, project_to_bytes, save_project
from studio.io.samples import load_sample

MAX_SECONDS = 2.0
MAX_RSS_BYTES = 2**30
_ROOT = Path(__file__).resolve().parents[2]

# ------------------------------------------------------------------------------ seed files


def _image(fmt: str, size: tuple[int, int] = (24, 16), **options) -> bytes:
    rng = np.random.default_rng(7)
    rgb = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    rgb[: size[1] // 2] //= 3  # some structure, so compressors have something to work on
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, fmt, **options)
    return buffer.getvalue()


def _melody(seed: int, count: int = 24) -> Melody:
    rng = random.Random(seed)
    notes, start = [], 0
    for _ in range(count):
        length = rng.choice((6, 12, 24))
        notes.append(Note(rng.randint(55, 79), start, length, rng.randint(40, 110)))
        start += length
    return Melody(tuple(notes), tempo_bpm=96.0, time_signature=(3, 4), key=KeySignature(2, "major"),
                  pickup=12, name="fuzz")


def _multitrack_midi() -> bytes:
    """A type 1 file with running status, drums, chords, tempo and meter changes, sysex."""
    conductor = mido.MidiTrack([
        mido.MetaMessage("track_name", name="conductor"),
        mido.MetaMessage("set_tempo", tempo=500_000),
        mido.MetaMessage("time_signature", numerator=6, denominator=8),
        mido.MetaMessage("key_signature", key="Em"),
        mido.MetaMessage("set_tempo", tempo=450_000, time=960),
        mido.Message("sysex", data=[0x43, 0x10, 0x4C]),
    ])
    notes = mido.MidiTrack()
    for i in range(16):
        for pitch in (60 + i % 7, 64 + i % 5):
            notes.append(mido.Message("note_on", note=pitch, velocity=80, time=0))
        notes.append(mido.Message("note_on", note=36, velocity=90, channel=9, time=0))
        notes.append(mido.Message("control_change", control=7, value=100, time=10))
        for pitch in (60 + i % 7, 64 + i % 5):
            notes.append(mido.Message("note_on", note=pitch, velocity=0, time=110 if pitch < 64 else 0))
    midi = mido.MidiFile(type=1, ticks_per_beat=480, tracks=[conductor, notes])
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def _fixed_dates(data: bytes) -> bytes:
    """The same zip with every timestamp at 1980-01-01, so seed projects are byte-stable."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
            dst.writestr(copy, src.read(info))
    return out.getvalue()


def seeds() -> dict[str, tuple[str, bytes]]:
    """Name -> (kind, bytes) of every valid seed file."""
    files: dict[str, tuple[str, bytes]] = {
        "png": ("image", _image("PNG")),
        "png-palette": ("image", _png_palette()),
        "jpeg": ("image", _image("JPEG", quality=80)),
        "gif": ("image", _image("GIF")),
        "bmp": ("image", _image("BMP", (8, 6))),
        "tiff": ("image", _image("TIFF", (8, 6), compression="tiff_deflate")),
        "webp": ("image", _image("WEBP", quality=70)),
        "midi-written": ("midi", write_midi(_melody(1))),
        "midi-multitrack": ("midi", _multitrack_midi()),
    }
    painting_samples = SampleSet([load_sample("a.png", files["png"][1]), load_sample("b.jpg", files["jpeg"][1])])
    rgb = np.random.default_rng(3).integers(0, 256, (8, 10, 3), dtype=np.uint8)
    painting = Project(samples=painting_samples, title="fuzz paintings", settings={"steps": 2},
                       gallery=Gallery([Work(Domain.PAINTING, seed=1, image=rgb, id="w1")]),
                       weights={"adapted": b"\x08\x00\x00\x00\x00\x00\x00\x00{}      "})
    melody = Project(samples=SampleSet([load_sample("t.mid", files["midi-written"][1])]), title="fuzz tunes",
                     gallery=Gallery([Work(Domain.MELODY, seed=2, melody=_melody(2), id="m1")]))
    files["project-painting"] = ("project", _fixed_dates(project_to_bytes(painting)))
    files["project-melody"] = ("project", _fixed_dates(project_to_bytes(melody)))
    return files


def _png_palette() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.arange(96, dtype=np.uint8).reshape(8, 12)).convert("P").save(buffer, "PNG", transparency=3)
    return buffer.getvalue()


# ------------------------------------------------------------------------------ mutations

_EXTREMES = (0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 60_000_000, 32_769)


def _put(data: bytearray, at: int, width: int, value: int, order: str) -> None:
    if 0 <= at and at + width <= len(data):
        data[at:at + width] = (value % 256 ** width).to_bytes(width, order)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _fix_png_crcs(data: bytearray) -> None:
    """Recompute every complete chunk's CRC, so a changed field reaches the decoder."""
    at = 8
    while at + 12 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        end = at + 12 + length
        if end > len(data):
            return
        _put(data, end - 4, 4, zlib.crc32(bytes(data[at + 4:end - 4])), "big")
        at = end


def _header_fields(kind: str, data: bytes) -> list[tuple[int, int, str]]:
    """(offset, width, byte order) of header fields worth pushing to extremes."""
    if data.startswith(b"\x89PNG"):
        return [(16, 4, "big"), (20, 4, "big"), (24, 1, "big"), (25, 1, "big"), (8, 4, "big")]
    if data.startswith(b"\xff\xd8"):
        sof = data.find(b"\xff\xc0")
        return [(sof + 5, 2, "big"), (sof + 7, 2, "big"), (sof + 9, 1, "big"), (4, 2, "big")] if sof > 0 else []
    if data.startswith(b"GIF"):
        return [(6, 2, "little"), (8, 2, "little"), (10, 1, "little")]
    if data.startswith(b"BM"):
        return [(18, 4, "little"), (22, 4, "little"), (28, 2, "little"), (10, 4, "little"), (14, 4, "little")]
    if data.startswith((b"II", b"MM")):
        return [(4, 4, "little" if data[:2] == b"II" else "big")]
    if data.startswith(b"RIFF"):
        return [(4, 4, "little"), (16, 4, "little"), (24, 2, "little"), (26, 2, "little")]
    if data.startswith(b"MThd"):
        fields = [(4, 4, "big"), (8, 2, "big"), (10, 2, "big"), (12, 2, "big")]
        at = data.find(b"MTrk")
        while at >= 0:
            fields.append((at + 4, 4, "big"))
            at = data.find(b"MTrk", at + 4)
        return fields
    if kind == "project":
        fields = []
        for signature, offsets in ((b"PK\x03\x04", (18, 22, 26, 28)), (b"PK\x01\x02", (20, 24, 28, 30, 42)),
                                   (b"PK\x05\x06", (8, 10, 12, 16))):
            at = data.find(signature)
            while at >= 0:
                fields += [(at + o, 2 if o in (26, 28, 30) or (signature == b"PK\x05\x06" and o < 12)
                            else 4, "little") for o in offsets]
                at = data.find(signature, at + 4)
        return fields
    return []


def mutate(kind: str, data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One seeded mutation of ``data``: (what was done, the new bytes)."""
    out = bytearray(data)
    choice = rng.random()
    if choice < 0.05:
        return "amplify", _amplify(data, rng)
    if choice < 0.3:
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return "flip", bytes(out)
    if choice < 0.45:
        return "truncate", bytes(out[:rng.randrange(len(out))])
    if choice < 0.6:
        at = rng.randrange(len(out) + 1)
        if rng.random() < 0.5:
            start = rng.randrange(len(out))
            block = bytes(out[start:start + rng.randint(1, 512)]) * rng.randint(1, 40)  # repeat a slice
        else:
            block = rng.randbytes(rng.randint(1, 256))
        if data.startswith(b"\x89PNG") and rng.random() < 0.5:
            at = 33  # a whole chunk after IHDR: text, zTXt bombs, unknown critical chunks
            kind_name = rng.choice([b"tEXt", b"zTXt", b"iTXt", b"sPLT", b"IDAT", b"acTL", b"eXIf", b"abCD"])
            body = zlib.compress(bytes(rng.randint(1, 3_000_000))) if kind_name == b"zTXt" else block
            block = _png_chunk(kind_name, (b"k\x00\x00" if kind_name == b"zTXt" else b"") + body)
        if data.startswith(b"MThd") and rng.random() < 0.5:
            at = 22 if len(out) > 22 else at  # events at a track's start: the length field now lies
        out[at:at] = block
        return "insert", bytes(out)
    fields = _header_fields(kind, data)
    if not fields:
        return mutate(kind, data, rng)
    for _ in range(rng.randint(1, 2)):
        at, width, order = rng.choice(fields)
        value = rng.choice(_EXTREMES) if rng.random() < 0.7 else rng.randrange(256 ** width)
        _put(out, at, width, value, order)
    if data.startswith(b"\x89PNG") and rng.random() < 0.8:
        _fix_png_crcs(out)
    return "header", bytes(out)


def hostile_inputs(full: bool) -> list[tuple[str, str, bytes]]:
    """(kind, name, bytes) of the hostile test's inputs that once stalled or flooded a reader
    (see :mod:`studio.bench.hostile_inputs`): at full size when ``full``, else 20 times smaller."""
    from studio.bench.hostile_inputs import make_inputs

    return [("project" if kind == "project" else "midi" if name.endswith(".mid") else "image", name, data)
            for kind, name, data in make_inputs(1 if full else 20)]


def _amplify(data: bytes, rng: random.Random) -> bytes:
    """Repeat a short slice until the file is 0.2-4 MB: dense events, long runs of chunks.
    In a MIDI file the slice comes from the last track's events and its length is fixed, so
    the parser walks every copy."""
    target = rng.randint(200_000, 4_000_000)
    if data.startswith(b"MThd"):
        at = data.rfind(b"MTrk")
        body, end = at + 8, len(data) - 4  # keep the end-of-track event last
        if end - body < 4:
            return data
        start = rng.randrange(body, end - 3)
        piece = data[start:start + rng.randint(3, min(12, end - start))]
        block = piece * (target // len(piece))
        out = bytearray(data[:start] + block + data[start:])
        _put(out, at + 4, 4, int.from_bytes(data[at + 4:at + 8], "big") + len(block), "big")
        return bytes(out)
    start = rng.randrange(len(data))
    piece = data[start:start + rng.randint(1, 64)]
    return data[:start] + piece * (target // len(piece)) + data[start:]


# ---------------------------------------------------------------------------------- running


def _read(kind: str, name: str, data: bytes) -> object:
    if kind == "project":
        return project_from_bytes(data, f"{name}.mcs")
    return load_sample(f"{name}.{'mid' if kind == 'midi' else 'png'}", data)


@dataclass
class FuzzReport:
    """What a fuzz run found."""

    inputs: int = 0
    read: Counter = field(default_factory=Counter)  # kind -> inputs read
    refused: Counter = field(default_factory=Counter)  # kind -> inputs refused with a StudioError
    mutations: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)  # the refusals' reasons, cut at the first "("
    tracebacks: list[str] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)  # inputs over MAX_SECONDS
    max_seconds: float = 0.0
    max_input: str = ""
    seconds: float = 0.0
    peak_rss_bytes: int = 0

    def summary(self) -> str:
        kinds = sorted(set(self.read) | set(self.refused))
        per_kind = ", ".join(f"{k}: {self.read[k]} read / {self.refused[k]} refused" for k in kinds)
        return (f"{self.inputs} inputs in {self.seconds:.0f} s ({per_kind}); mutations "
                f"{dict(sorted(self.mutations.items()))}; tracebacks {len(self.tracebacks)}; "
                f"over {MAX_SECONDS:g} s: {len(self.slow)}; slowest {self.max_seconds:.3f} s ({self.max_input}); "
                f"peak RSS {self.peak_rss_bytes / 2**20:.0f} MiB")


def run_fuzz(count: int, seed: int = 17, hostile: list[tuple[str, str, bytes]] = ()) -> FuzzReport:
    """Mutate the seed files ``count`` times (seeded, deterministic) and read every result,
    then the ``hostile`` inputs as they are."""
    rng = random.Random(seed)
    files = seeds()
    names = sorted(files)
    report = FuzzReport()
    started = time.perf_counter()
    for i in range(count + len(hostile)):
        if i < count:
            name = names[i % len(names)]
            kind, data = files[name]
            what, mutated = mutate(kind, data, rng)
        else:
            kind, name, mutated = hostile[i - count]
            what = "as found"
        label = f"#{i} {name} {what}"
        report.mutations[what] += 1
        t0 = time.perf_counter()
        try:
            _read(kind, name, mutated)
            report.read[kind] += 1
        except StudioError as error:
            report.refused[kind] += 1
            report.reasons[f"{kind}: {error.reason.split('(')[0].split(';')[0][:70]}"] += 1
        except Exception:  # noqa: BLE001 - the point: anything else is a bug to report
            report.tracebacks.append(f"{label}: {traceback.format_exc(limit=-3)}")
        spent = time.perf_counter() - t0
        if spent > report.max_seconds:
            report.max_seconds, report.max_input = spent, label
        if spent > MAX_SECONDS:
            report.slow.append(f"{label}: {spent:.2f} s")
        report.inputs += 1
    report.seconds = time.perf_counter() - started
    report.peak_rss_bytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return report


_SLOW_SAVE = """
import sys
from studio.core import Project
from studio.io.project_file import save_project
weights = {f"w{i}": bytes([i]) * (8 * 2**20) for i in range(6)}
print("saving", flush=True)
while True:
    save_project(Project(title="big", weights=weights), sys.argv[1])
"""


def killed_saves(folder: Path, kills: int, seed: int = 5) -> list[str]:
    """SIGKILL ``kills`` looping 48 MB project saves at random moments, then open and save once;
    return the names of files left in ``folder`` besides the project."""
    rng = random.Random(seed)
    path = folder / "p.mcs"
    save_project(Project(title="before"), path)
    for _ in range(kills):
        child = subprocess.Popen([sys.executable, "-c", _SLOW_SAVE, str(path)], stdout=subprocess.PIPE, cwd=_ROOT)
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == b"saving"
            time.sleep(rng.uniform(0.0, 0.6))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
            if child.stdout is not None:
                child.stdout.close()
    load_project(path)  # the project is whole: the old one or a finished save
    save_project(Project(title="after"), path)
    return sorted(p.name for p in folder.iterdir() if p.name != "p.mcs")


# ------------------------------------------------------------------------------------ tests


def _check(report: FuzzReport) -> None:
    assert report.tracebacks == [], "\n\n".join(report.tracebacks[:5])
    assert report.slow == []
    assert report.peak_rss_bytes < MAX_RSS_BYTES
    assert sum(report.read.values()) > 0 and sum(report.refused.values()) > 0  # both paths exercised


def test_seed_files_are_valid():
    for name, (kind, data) in seeds().items():
        _read(kind, name, data)


def test_mutations_are_deterministic():
    files = seeds()
    kind, data = files["project-melody"]
    assert seeds()["project-melody"][1] == data
    first = [mutate(kind, data, random.Random(3)) for _ in range(5)]
    assert first == [mutate(kind, data, random.Random(3)) for _ in range(5)]


def test_fuzz_200_inputs():
    _check(run_fuzz(200, hostile=hostile_inputs(full=False)))


def test_two_killed_saves_leave_nothing(tmp_path):
    assert killed_saves(tmp_path, 2) == []


@pytest.mark.slow
def test_fuzz_10000_inputs_and_10_killed_saves(tmp_path):
    report = run_fuzz(10_000, hostile=hostile_inputs(full=True))
    print(report.summary())
    _check(report)
    left = killed_saves(tmp_path, 10)
    assert left == [] and not any(is_temp_name(n) for n in left)


if __name__ == "__main__":
    import tempfile

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    result = run_fuzz(count, hostile=hostile_inputs(full=True))
    print(result.summary())
    for line in result.tracebacks[:10] + result.slow[:10]:
        print(line)
    print("most frequent refusals:")
    for reason, n in result.reasons.most_common(25):
        print(f"  {n:5d}  {reason}")
    with tempfile.TemporaryDirectory() as folder:
        print(f"killed saves: 10 SIGKILLs, files left behind after the next open and save: "
              f"{killed_saves(Path(folder), 10)}")
    print(json.dumps({"tracebacks": len(result.tracebacks), "slow": len(result.slow)}))
