"""PNG export with text chunks (seed, provenance) and a reader of those chunks.

``encode_png`` writes tEXt / zTXt / iTXt chunks through Pillow, so any PNG tool shows them.
``decode_png_text`` walks the chunks itself, checking every CRC and capping decompression,
so reading a work's provenance never decodes its pixels.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image, PngImagePlugin

from studio.errors import SampleLoadError, UnsupportedFormatError
from studio.io.palette import check_rgb

MAX_TEXT_BYTES = 1 << 20  # per text chunk: the same cap as Pillow's MAX_TEXT_CHUNK
_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_keyword(key: str) -> None:
    # PNG keywords: 1-79 printable Latin-1 characters, no leading, trailing or double spaces.
    ok = (isinstance(key, str) and 1 <= len(key) <= 79 and key == key.strip()
          and "  " not in key and all(32 <= ord(c) <= 126 or 161 <= ord(c) <= 255 for c in key))
    if not ok:
        raise ValueError(f"PNG text key {key!r} must be 1-79 printable Latin-1 characters "
                         "without leading, trailing or double spaces")


def encode_png(rgb: np.ndarray, text: dict[str, str] | None = None) -> bytes:
    """Encode ``rgb`` (``HxWx3`` uint8) as PNG bytes carrying ``text`` as text chunks.

    Latin-1 values become tEXt chunks, others UTF-8 iTXt; values over 1 KB are compressed.
    Raises ``ValueError`` for a bad array, key, or a value with NUL or over 1 MiB.
    """
    check_rgb(rgb)
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        _check_keyword(key)
        if not isinstance(value, str) or "\x00" in value:
            raise ValueError(f"PNG text value for {key!r} must be a string without NUL characters")
        if len(value.encode("utf-8")) > MAX_TEXT_BYTES:
            raise ValueError(f"PNG text value for {key!r} is over {MAX_TEXT_BYTES} bytes")
        info.add_text(key, value, zip=len(value) > 1024)
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    out = inflater.decompress(compressed, MAX_TEXT_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError(f"a compressed text chunk inflates beyond {MAX_TEXT_BYTES} bytes")
    return out


def _text_chunk(kind: bytes, body: bytes) -> tuple[str, str]:
    key, _, rest = body.partition(b"\x00")
    if kind == b"tEXt":
        return key.decode("latin-1"), rest.decode("latin-1")
    if kind == b"zTXt":
        if rest[:1] != b"\x00":
            raise ValueError("unknown zTXt compression method")
        return key.decode("latin-1"), _inflate(rest[1:]).decode("latin-1")
    flag, method, rest = rest[:1], rest[1:2], rest[2:]  # iTXt
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, value = rest.partition(b"\x00")
    if flag == b"\x01":
        if method != b"\x00":
            raise ValueError("unknown iTXt compression method")
        value = _inflate(value)
    return key.decode("latin-1"), value.decode("utf-8")


def decode_png_text(data: bytes) -> dict[str, str]:
    """Return the text chunks (tEXt, zTXt, iTXt) of PNG ``data`` as a dict, pixels unread.

    Raises :class:`UnsupportedFormatError` if ``data`` is not a PNG, and
    :class:`SampleLoadError` if it is truncated, fails a CRC or holds a malformed chunk.
    """
    data = bytes(data)
    if not data.startswith(_SIGNATURE):
        raise UnsupportedFormatError("this is not a PNG file (the PNG signature is missing)")
    texts: dict[str, str] = {}
    position = 8
    while True:
        if position + 12 > len(data):
            raise SampleLoadError("the PNG data is truncated or corrupt (it ends before IEND)")
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        end = position + 12 + length
        if end > len(data):
            raise SampleLoadError(f"the PNG data is truncated or corrupt ({kind!r} chunk cut short)")
        body = data[position + 8:end - 4]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[end - 4:end])[0]:
            raise SampleLoadError(f"the PNG data is truncated or corrupt (CRC error in {kind!r})")
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            try:
                key, value = _text_chunk(kind, body)
            except (ValueError, zlib.error) as error:  # UnicodeDecodeError is a ValueError
                raise SampleLoadError(f"the PNG data is truncated or corrupt (bad {kind.decode()} "
                                      f"chunk: {error})") from error
            texts[key] = value
        elif kind == b"IEND":
            return texts
        position = end
