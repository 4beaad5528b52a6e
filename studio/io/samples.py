"""Read sample files of either kind: size-capped, sniffed by content, dispatched to images or melodies.

The file's name only picks a message; what the bytes are decides how they are read, so a
text file named ``.png`` or a PNG named ``.mid`` gets a message naming the file and the reason.
Melodies come from MIDI, MusicXML (``.musicxml``, ``.xml``, ``.mxl``) and ABC (``.abc``). An ABC
tune book gives one sample per tune (:func:`read_samples`); each tune's sample keeps the tune's
own text (the book's header and the tune) as its bytes, so a project stores and reopens it alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studio.core.samples import Sample
from studio.errors import SampleLoadError, UnsupportedFormatError

if TYPE_CHECKING:
    from studio.io.abc import AbcTune

MAX_FILE_BYTES = 200 * 1024 * 1024  # no painting or melody clip is this large; refuse before reading
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".gif"})
MIDI_SUFFIXES = frozenset({".mid", ".midi"})
NOTATION_SUFFIXES = frozenset({".musicxml", ".xml", ".mxl", ".abc"})
SUPPORTED_SUFFIXES = IMAGE_SUFFIXES | MIDI_SUFFIXES | NOTATION_SUFFIXES

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*",
)


def sniff(data: bytes) -> str | None:
    """``"midi"``, ``"image"``, ``"musicxml"`` (a .mxl zip too), ``"abc"`` or None, judged from
    the first bytes."""
    if data.startswith(b"MThd") or (data[:4] == b"RIFF" and data[8:12] == b"RMID"):
        return "midi"
    if data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    from studio.io.abc import sniff_abc
    from studio.io.musicxml import ZIP_MAGIC, sniff_musicxml

    if data.startswith(ZIP_MAGIC) or sniff_musicxml(data):
        return "musicxml"
    if sniff_abc(data):
        return "abc"
    return None


@dataclass(frozen=True)
class SampleBatch:
    """What one file gave: its samples (several for a tune book) and one error per part of it
    that was refused (a tune of a book); a file refused whole raises instead."""

    samples: tuple[Sample, ...]
    errors: tuple[SampleLoadError, ...] = ()
    tunes: tuple[AbcTune, ...] = ()  # for an ABC book: the tunes behind ``samples``, in order


def read_samples(path: str | os.PathLike, data: bytes | None = None) -> SampleBatch:
    """Every sample of the file at ``path``: one for a painting, a MIDI or a MusicXML file, one
    per tune that imports for an ABC book (the refused tunes in ``errors``).

    Raises:
        SampleLoadError: as :func:`load_sample`, and an ABC file none of whose tunes import.
    """
    path = str(path)
    if data is None:
        data = read_file_bytes(path)
    elif len(data) == 0:
        raise SampleLoadError("the file is empty (0 bytes)", path)
    if sniff(data) != "abc":
        return SampleBatch((load_sample(path, data),))
    from studio.io.abc import read_abc_book

    book = read_abc_book(path, data)
    if not book.tunes:
        reasons = "; ".join(e.reason for e in book.refused[:3])
        more = f" and {len(book.refused) - 3} more" if len(book.refused) > 3 else ""
        raise SampleLoadError(f"no tune could be read ({reasons}{more})", path)
    samples = tuple(_tune_sample(path, tune) for tune in book.tunes)
    return SampleBatch(samples, book.refused, book.tunes)


def load_samples(path: str | os.PathLike, data: bytes | None = None) -> list[Sample]:
    """The samples of one file (see :func:`read_samples`), refusing a book with a refused tune:
    for callers that have nowhere to show a partial import's errors.

    Raises:
        SampleLoadError: as :func:`read_samples`, or naming the first refused tune.
    """
    batch = read_samples(path, data)
    if batch.errors:
        raise batch.errors[0]
    return list(batch.samples)


def _tune_sample(path: str, tune: AbcTune) -> Sample:
    from studio.core.melody_analysis import melody_facts
    from studio.core.samples import Domain

    name = f"{tune.title or 'tune'} ({os.path.basename(path)} X:{tune.number})"  # the same when reopened
    return Sample(name=name, path=path, domain=Domain.MELODY, data=tune.text.encode("utf-8"),
                  facts=melody_facts(tune.melody), melody=tune.melody)


def _notation_sample(path: str, data: bytes, kind: str) -> Sample:
    """A MusicXML file or one ABC tune (the first of a book: see :func:`read_samples`)."""
    from studio.core.melody_analysis import melody_facts
    from studio.core.samples import Domain

    if kind == "abc":
        batch = read_samples(path, data)
        if len(batch.samples) == 1 and not batch.errors:
            return batch.samples[0]
        raise SampleLoadError(f"holds {len(batch.samples) + len(batch.errors)} tunes; read it with "
                              "read_samples (Add samples imports each tune)", path)
    from studio.io.musicxml import read_musicxml

    [melody] = read_musicxml(path, data)
    return Sample(name=os.path.basename(path), path=path, domain=Domain.MELODY, data=data,
                  facts=melody_facts(melody), melody=melody)


def read_file_bytes(path: str | os.PathLike) -> bytes:
    """The file's bytes, refusing missing, unreadable, empty and oversized files."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise SampleLoadError("is a folder, not a file", str(p))
        if size == 0:
            raise SampleLoadError("the file is empty (0 bytes)", str(p))
        if size > MAX_FILE_BYTES:
            raise SampleLoadError(
                f"the file is {size / 2**20:.0f} MB; samples over {MAX_FILE_BYTES // 2**20} MB are refused",
                str(p),
            )
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise SampleLoadError("the file does not exist", str(p)) from exc
    except PermissionError as exc:
        raise SampleLoadError("permission denied: the studio cannot read this file", str(p)) from exc
    except OSError as exc:
        raise SampleLoadError(f"the file could not be read ({exc.strerror or exc})", str(p)) from exc


def load_sample(path: str | os.PathLike, data: bytes | None = None) -> Sample:
    """Read ``path`` (or the given ``data`` standing for it) as a painting or a melody.

    Raises:
        SampleLoadError: the file is missing, empty, oversized, corrupt or refused.
        UnsupportedFormatError: the bytes are neither a supported image nor a MIDI file.
    """
    path = str(path)
    if data is None:
        data = read_file_bytes(path)
    elif len(data) == 0:
        raise SampleLoadError("the file is empty (0 bytes)", path)
    kind = sniff(data)
    if kind == "midi":
        from studio.io.midi import load_midi_sample

        return load_midi_sample(path, data)
    if kind == "image":
        from studio.io.images import load_image_sample

        return load_image_sample(path, data)
    if kind in ("musicxml", "abc"):
        return _notation_sample(path, data, kind)
    suffix = Path(path).suffix.lower()
    if suffix in MIDI_SUFFIXES:
        raise SampleLoadError("MThd not found: this is not a MIDI file despite its name", path)
    if suffix in IMAGE_SUFFIXES:
        raise SampleLoadError("this is not an image (its content matches no supported format)", path)
    if suffix in (".musicxml", ".xml", ".mxl"):
        raise SampleLoadError("not a MusicXML score (no <score-partwise> or <score-timewise> "
                              "element near its start, and not a .mxl zip)", path)
    if suffix == ".abc":
        raise SampleLoadError("not ABC notation (no X: line followed by a K: line)", path)
    raise UnsupportedFormatError(
        "not a supported file: the studio reads paintings (PNG, JPEG, WebP, BMP, TIFF, GIF) "
        "and melodies (MIDI .mid/.midi, MusicXML .musicxml/.xml/.mxl, ABC .abc)",
        path,
    )
