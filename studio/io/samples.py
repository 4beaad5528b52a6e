"""Read one sample file of either kind: size-capped, sniffed by content, dispatched to images or MIDI.

The file's name only picks a message; what the bytes are decides how they are read, so a
text file named ``.png`` or a PNG named ``.mid`` gets a message naming the file and the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

from studio.core.samples import Sample
from studio.errors import SampleLoadError, UnsupportedFormatError

MAX_FILE_BYTES = 200 * 1024 * 1024  # no painting or melody clip is this large; refuse before reading
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".gif"})
MIDI_SUFFIXES = frozenset({".mid", ".midi"})
SUPPORTED_SUFFIXES = IMAGE_SUFFIXES | MIDI_SUFFIXES

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*",
)


def sniff(data: bytes) -> str | None:
    """``"midi"``, ``"image"`` or None, judged from the first bytes."""
    if data.startswith(b"MThd") or (data[:4] == b"RIFF" and data[8:12] == b"RMID"):
        return "midi"
    if data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    return None


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
    suffix = Path(path).suffix.lower()
    if suffix in MIDI_SUFFIXES:
        raise SampleLoadError("MThd not found: this is not a MIDI file despite its name", path)
    if suffix in IMAGE_SUFFIXES:
        raise SampleLoadError("this is not an image (its content matches no supported format)", path)
    raise UnsupportedFormatError(
        "not a supported file: the studio reads paintings (PNG, JPEG, WebP, BMP, TIFF, GIF) "
        "and melodies (MIDI .mid/.midi)",
        path,
    )
