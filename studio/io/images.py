"""Strict, safe image import (bytes -> painting ``Sample``), thumbnails and PNG export.

``load_image_sample`` judges a file by its content, reads only PNG, JPEG, WebP, BMP, TIFF
and GIF (first frame of animations), refuses images over ``MAX_MEGAPIXELS``, with a side
over ``MAX_SIDE`` or more than ``MAX_ASPECT`` times as long as broad before any pixel is
decoded, applies the EXIF orientation, flattens every Pillow mode to 8-bit RGB (transparency
composited on white) and downscales a working copy. Every failure becomes a
:class:`~studio.errors.SampleLoadError` (or :class:`~studio.errors.UnsupportedFormatError`)
that names the file and says what to do; no raw Pillow, OS or numpy error escapes.

``make_thumbnail`` sizes pictures for the sample bin and gallery; ``encode_png`` and
``decode_png_text`` (from :mod:`studio.io.png_text`) are re-exported so callers need only
this module for images.
"""

from __future__ import annotations

import io
import os
import re
import struct
import threading
import warnings
from dataclasses import replace

import numpy as np
from PIL import Image, features

from studio.core import Domain, ImageFacts, Sample
from studio.errors import SampleLoadError, StudioError, UnsupportedFormatError
from studio.io.palette import check_rgb, dominant_palette
from studio.io.png_text import decode_png_text, encode_png

__all__ = [
    "IMAGE_EXTENSIONS", "MAX_ASPECT", "MAX_MEGAPIXELS", "MAX_SIDE", "SUPPORTED_FORMATS", "decode_png_text",
    "dominant_palette", "encode_png", "load_image_sample", "make_thumbnail", "work_png",
]

MAX_MEGAPIXELS = 64  # decoded RGBA at this size is ~256 MB: the most a laptop should risk
# A side this long is no photo, scan or painting: with MAX_ASPECT it bounds the decode of a thin
# strip that stays under MAX_MEGAPIXELS (a 1 x 60,000,000 PNG took 9.6 s and 744 MB).
MAX_SIDE = 32_768
# The studio learns from a copy whose long side is 512 pixels: past 256:1 its short side is
# under 2 pixels and holds nothing to learn from (a strip cheap to decode is still no painting).
MAX_ASPECT = 256

# Pillow plugin ids we let Image.open try, with the names users know them by.
_FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", "BMP": "BMP", "TIFF": "TIFF",
                 "GIF": "GIF"}
SUPPORTED_FORMATS: tuple[str, ...] = tuple(
    f for f in _FORMAT_NAMES if f != "WEBP" or features.check("webp")
)
_EXTENSION_FORMATS = {
    ".png": "PNG", ".apng": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG",
    ".jfif": "JPEG", ".webp": "WEBP", ".bmp": "BMP", ".dib": "BMP", ".tif": "TIFF",
    ".tiff": "TIFF", ".gif": "GIF",
}
IMAGE_EXTENSIONS: tuple[str, ...] = tuple(
    ext for ext, fmt in _EXTENSION_FORMATS.items() if fmt in SUPPORTED_FORMATS
)
_SUPPORTED_LIST = ", ".join(_FORMAT_NAMES[f] for f in SUPPORTED_FORMATS)

# Leading bytes of formats we read (to tell "corrupt" from "not an image") and of formats
# people often try that we do not read (to name them). Checked in order.
_MAGIC: tuple[tuple[int, bytes, str, bool], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG", True),
    (0, b"\xff\xd8\xff", "JPEG", True),
    (0, b"GIF87a", "GIF", True),
    (0, b"GIF89a", "GIF", True),
    (8, b"WEBP", "WebP", True),
    (0, b"II*\x00", "TIFF", True),
    (0, b"MM\x00*", "TIFF", True),
    (0, b"II+\x00", "TIFF", True),
    (0, b"MM\x00+", "TIFF", True),
    (0, b"BM", "BMP", True),
    (0, b"8BPS", "Photoshop (PSD)", False),
    (0, b"\x00\x00\x01\x00", "Windows icon (ICO)", False),
    (0, b"\x00\x00\x02\x00", "Windows cursor (CUR)", False),
    (0, b"icns", "Apple icon (ICNS)", False),
    (0, b"%!PS", "PostScript/EPS", False),
    (0, b"\xc5\xd0\xd3\xc6", "EPS", False),
    (0, b"%PDF", "PDF", False),
    (0, b"gimp xcf", "GIMP (XCF)", False),
    (0, b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000", False),
    (0, b"\xffO\xffQ", "JPEG 2000", False),
    (4, b"ftypavif", "AVIF", False),
    (4, b"ftypheic", "HEIC", False),
    (4, b"ftypheix", "HEIC", False),
    (4, b"ftypmif1", "HEIF", False),
    (0, b"qoif", "QOI", False),
    (0, b"DDS ", "DirectDraw Surface (DDS)", False),
    (0, b"v/1\x01", "OpenEXR", False),
    (0, b"#?RADIANCE", "Radiance HDR", False),
    (0, b"\xff\x0a", "JPEG XL", False),
    (0, b"\x00\x00\x00\x0cJXL ", "JPEG XL", False),
    (0, b"PK\x03\x04", "ZIP archive (e.g. Krita .kra or OpenRaster .ora)", False),
    (0, b"MThd", "MIDI (a melody: import it into a melody project)", False),
)

_WARNINGS_LOCK = threading.Lock()
_ORIENTATION_TAG = 0x0112
_TRANSPOSE = {  # EXIF orientation -> the transpose that undoes it (as ImageOps.exif_transpose)
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90,
}


def _sniff(data: bytes) -> tuple[str, bool] | None:
    """Name the format the leading bytes announce and whether we read it, or ``None``."""
    if data[:4] == b"RIFF" and data[8:12] != b"WEBP":
        return None
    if data[:2] == b"BM" and len(data) >= 18:  # "BM" alone also starts plenty of text
        header_size = struct.unpack("<I", data[14:18])[0]
        if header_size not in (12, 16, 40, 52, 56, 64, 108, 124):
            return None
    for offset, magic, name, supported in _MAGIC:
        if data[offset:offset + len(magic)] == magic:
            return name, supported
    if re.match(rb"P[1-7]\s", data[:3]):
        return "Netpbm (PBM/PGM/PPM)", False
    if re.match(rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<svg", data[:2048], re.S | re.I):
        return "SVG (a vector drawing: export it as PNG first)", False
    return None


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > len(head) - 4  # only a character cut by the 4 KB window
    return True


def _too_large(path: str, pixels: int, size: tuple[int, int] | None) -> SampleLoadError:
    dims = f"{size[0]} x {size[1]} pixels, which is " if size else ""
    return SampleLoadError(
        f"the image is {dims}{pixels / 1e6:.1f} megapixels; the studio refuses images over "
        f"{MAX_MEGAPIXELS} megapixels to keep memory safe. Downscale it in an image editor "
        "(4000 pixels on the long side is plenty) and import it again.",
        path,
    )


def _unreadable(path: str, data: bytes) -> SampleLoadError:
    """The error for bytes Pillow could not identify with any supported format."""
    sniffed = _sniff(data)
    if sniffed and sniffed[1]:
        return SampleLoadError(
            f"the image data is truncated or corrupt (the file starts like a {sniffed[0]} "
            "but cannot be read as one); re-export or re-download it.", path)
    if sniffed:
        return UnsupportedFormatError(
            f"this is a {sniffed[0]} file, which the studio does not read; save it as one of "
            f"{_SUPPORTED_LIST} and import that.", path)
    kind = "; it looks like a text file" if _looks_like_text(data) else ""
    return UnsupportedFormatError(
        f"this is not an image (content does not match any supported format){kind}. "
        f"The studio reads {_SUPPORTED_LIST}.", path)


def _open(path: str, data: bytes) -> Image.Image:
    """Identify the format and check the size; decode nothing yet."""
    sniffed = _sniff(data)
    if sniffed and not sniffed[1]:
        raise _unreadable(path, data)
    try:
        im = Image.open(io.BytesIO(data), formats=list(SUPPORTED_FORMATS))
    except Image.UnidentifiedImageError as error:
        raise _unreadable(path, data) from error
    width, height = im.size
    if width * height > MAX_MEGAPIXELS * 1_000_000:
        raise _too_large(path, width * height, (width, height))
    if max(width, height) > MAX_SIDE:
        raise SampleLoadError(
            f"the image is {width} x {height} pixels; the studio refuses images with a side over "
            f"{MAX_SIDE} pixels. Downscale or crop it in an image editor and import it again.", path)
    if max(width, height) > MAX_ASPECT * max(1, min(width, height)):
        shape = "wide as it is tall" if width > height else "tall as it is wide"
        raise SampleLoadError(
            f"the image is {width} x {height} pixels, {max(width, height) // max(1, min(width, height))} "
            f"times as {shape}; the studio refuses images more than {MAX_ASPECT} times as long as they "
            "are broad. Crop it into pieces and import those.", path)
    return im


def _to_8bit(im: Image.Image, notices: list[str]) -> Image.Image:
    """Convert any Pillow mode to "RGB", "RGBA", "L" or "LA" (8 bits), noting what was lost."""
    mode = im.mode
    if mode in ("RGB", "RGBA", "L", "LA"):
        return im
    if mode == "CMYK":
        notices.append("CMYK converted to RGB")
        return im.convert("RGB")
    if mode == "P":
        has_alpha = "transparency" in im.info or (im.palette is not None and im.palette.mode == "RGBA")
        return im.convert("RGBA" if has_alpha else "RGB")
    if mode in ("PA", "RGBa", "La"):
        return im.convert("LA" if mode == "La" else "RGBA")
    if mode == "1":
        return im.convert("L")
    if mode.startswith("I;16"):
        values = np.asarray(im).astype(np.uint32)
        values *= 255
        values += 32767
        values //= 65535
        return Image.fromarray(values.astype(np.uint8))
    if mode in ("I", "F"):
        return _scale_to_8bit(np.asarray(im), notices)
    return im.convert("RGB")  # YCbCr, LAB, HSV, RGBX: plain colour conversions


def _scale_to_8bit(values: np.ndarray, notices: list[str]) -> Image.Image:
    """Map a 32-bit integer or float greyscale image to 0..255 the way it was meant."""
    finite = np.isfinite(values)
    if not finite.all():
        notices.append("non-finite pixel values shown as black")
        values = np.where(finite, values, 0)
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    if values.dtype.kind == "f" and low >= 0.0 and high <= 1.0:
        scaled = values.astype(np.float32) * 255.0
        notices.append("floating-point values 0..1 mapped to 0..255")
    elif low >= 0.0 and high <= 255.0:
        scaled = values
    elif low >= 0.0 and high <= 65535.0 and values.dtype.kind != "f":
        scaled = values.astype(np.float32) / 257.0
        notices.append("16-bit reduced to 8-bit")
    else:
        scaled = (values.astype(np.float32) - low) * (255.0 / max(high - low, 1e-12))
        notices.append(f"values {low:g}..{high:g} stretched to 0..255")
    return Image.fromarray(np.clip(np.rint(scaled), 0, 255).astype(np.uint8))


def _composite_on_white(rgba: np.ndarray, notices: list[str]) -> np.ndarray:
    alpha = rgba[..., 3:4].astype(np.uint16)
    if alpha.min() == 255:
        return rgba[..., :3]
    notices.append("transparency composited on white")
    colour = rgba[..., :3].astype(np.uint16)
    return ((colour * alpha + 255 * (255 - alpha) + 127) // 255).astype(np.uint8)


def _orientation(im: Image.Image, notices: list[str]) -> int:
    try:
        value = im.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # a broken EXIF block must not cost the user the picture itself
        notices.append("EXIF data unreadable: orientation not applied")
        return 1
    return value if isinstance(value, int) and value in _TRANSPOSE else 1


def _fit(width: int, height: int, side: int) -> tuple[int, int]:
    """Scale ``width x height`` so the long side is ``side``, keeping the aspect ratio."""
    scale = side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _is_16_bit(im: Image.Image) -> bool:
    """Whether the stored samples have 16 bits (Pillow reads 16-bit RGB(A) as 8-bit modes)."""
    rawmodes = [t.args if isinstance(t.args, str) else (t.args or ("",))[0] for t in im.tile]
    return im.mode.startswith("I;16") or any(";16" in str(raw) for raw in rawmodes)


def _resize(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    if im.size == size:
        return im
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _decode(path: str, data: bytes, max_side: int) -> tuple[np.ndarray, ImageFacts]:
    notices: list[str] = []
    im = _open(path, data)
    width, height = im.size
    fmt = "JPEG" if im.format == "MPO" else (im.format or "unknown")
    mode = im.mode
    if getattr(im, "is_animated", False):
        notices.append({"TIFF": "multi-page: first page used",
                        "JPEG": "multi-picture: first picture used"}.get(fmt, "animated: first frame used"))
        im.seek(0)
    if _is_16_bit(im):
        notices.append("16-bit reduced to 8-bit")
    if fmt == "JPEG":
        im.draft(None, (max_side, max_side))  # let libjpeg decode at 1/2..1/8 scale
    im.load()
    orientation = _orientation(im, notices)
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    if orientation != 1:
        notices.append("EXIF orientation applied")

    target = _fit(width, height, max_side) if max(width, height) > max_side else (width, height)
    if orientation in (5, 6, 7, 8):
        target = (target[1], target[0])  # the stored pixels are still unrotated
    if mode.startswith("I;16"):  # resample at full precision, then reduce the small copy
        work = _to_8bit(_resize(im, target), notices)
    else:
        work = _resize(_to_8bit(im, notices), target)
    if orientation != 1:
        work = work.transpose(_TRANSPOSE[orientation])
    pixels = np.asarray(work)
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[..., None], 3, axis=2)
    elif pixels.shape[2] == 2:  # LA
        pixels = np.concatenate([np.repeat(pixels[..., :1], 3, axis=2), pixels[..., 1:]], axis=2)
    if pixels.shape[2] == 4:
        pixels = _composite_on_white(pixels, notices)
    rgb = np.array(pixels, dtype=np.uint8, order="C", copy=True)

    declared = _EXTENSION_FORMATS.get(os.path.splitext(path)[1].lower())
    if declared and declared != fmt:
        notices.append(f"the file name says {_FORMAT_NAMES[declared]} but the content is "
                       f"{_FORMAT_NAMES.get(fmt, fmt)}")
    facts = ImageFacts(width=width, height=height, format=fmt, mode=mode,
                       palette=dominant_palette(rgb), notices=tuple(dict.fromkeys(notices)))
    return rgb, facts


def load_image_sample(path: str, data: bytes, max_side: int = 512) -> Sample:
    """Decode ``data`` (the bytes of the file at ``path``) into a painting ``Sample``.

    The sample keeps ``data`` untouched; ``image`` is a fresh ``HxWx3`` uint8 C-contiguous
    array whose long side is at most ``max_side``, oriented by EXIF, transparency
    composited on white. ``facts`` gives the original size (after orientation), format,
    mode, dominant palette and notices about conversions.

    Raises :class:`UnsupportedFormatError` when the content is not an image format the
    studio reads, and :class:`SampleLoadError` when the file is empty, truncated, corrupt,
    over ``MAX_MEGAPIXELS`` or too large for memory.
    """
    if max_side < 1:
        raise ValueError(f"max_side must be at least 1, got {max_side}")
    data = bytes(data)
    if not data:
        raise SampleLoadError("the file is empty (0 bytes); choose the image again or "
                              "re-export it.", path)
    try:
        # catch_warnings swaps process-wide state, so our loads take turns (decoding is
        # quick next to everything else the studio does with a sample).
        with _WARNINGS_LOCK, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            # Our own limit is below Pillow's warning threshold; should Pillow warn anyway
            # (its limit lowered by someone), treat the warning as the refusal it means.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            rgb, facts = _decode(path, data, max_side)
        # Pillow's complaints about the file (damaged EXIF, odd chunks) are UserWarnings and
        # things to tell the user; anything else (deprecations) is for developers, as usual.
        extra = []
        for w in caught:
            if issubclass(w.category, UserWarning):
                extra.append(f"decoder warning: {str(w.message).strip()[:160]}")
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if extra:
            facts = replace(facts, notices=facts.notices + tuple(dict.fromkeys(extra)))
    except StudioError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        found = re.search(r"\((\d+) pixels\)", str(error))
        pixels = int(found.group(1)) if found else MAX_MEGAPIXELS * 1_000_000 + 1
        raise _too_large(path, pixels, None) from error
    except MemoryError as error:
        raise SampleLoadError("there is not enough memory to decode this image; close other "
                              "programs or downscale the image and import it again.", path) from error
    except Exception as error:
        # Pillow's decoders report bad data as OSError, SyntaxError, ValueError, EOFError,
        # struct.error, IndexError... depending on the plugin: all of them mean the same here.
        detail = str(error).strip() or type(error).__name__
        raise SampleLoadError(f"the image data is truncated or corrupt ({detail[:160]}); "
                              "re-export or re-download the file.", path) from error
    return Sample(name=os.path.basename(path) or path, path=path, domain=Domain.PAINTING,
                  data=data, facts=facts, image=rgb)


def work_png(rgb: np.ndarray, seed: int, provenance: dict) -> bytes:
    """A generated painting as PNG bytes with its ``seed`` and JSON ``provenance`` in text chunks."""
    import json

    return encode_png(rgb, {"seed": str(seed), "provenance": json.dumps(provenance, default=str)})


def make_thumbnail(rgb: np.ndarray, size: int = 128) -> np.ndarray:
    """Return ``rgb`` (``HxWx3`` uint8) resized so its long side is ``size``, aspect kept."""
    check_rgb(rgb)
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    height, width = rgb.shape[:2]
    target = _fit(width, height, size)
    im = Image.fromarray(np.ascontiguousarray(rgb))
    if target != (width, height):
        im = im.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return np.array(im, dtype=np.uint8, order="C", copy=True)
