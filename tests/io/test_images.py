"""Tests of studio.io.images and studio.io.palette; every input is built here with Pillow."""

from __future__ import annotations

import io
import resource
import struct
import time
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image

from studio.core import Domain
from studio.errors import SampleLoadError, UnsupportedFormatError
from studio.io import images
from studio.io.images import (
    decode_png_text, dominant_palette, encode_png, load_image_sample, make_thumbnail,
)

RED, BLUE, WHITE = (220, 30, 40), (20, 40, 230), (255, 255, 255)


def encode(im: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **options)
    return buffer.getvalue()


def two_colour(width: int = 40, height: int = 20) -> np.ndarray:
    rgb = np.empty((height, width, 3), np.uint8)
    rgb[:, : width // 2] = RED
    rgb[:, width // 2:] = BLUE
    return rgb


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims ``width x height`` greyscale pixels but holds no pixel data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


# --- formats ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, lossless", [
    ("PNG", True), ("BMP", True), ("TIFF", True), ("GIF", True), ("WEBP", False), ("JPEG", False),
])
def test_each_format_round_trips(fmt: str, lossless: bool) -> None:
    rgb = two_colour()
    data = encode(Image.fromarray(rgb), fmt, **({"lossless": True} if fmt == "WEBP" else {}))
    sample = load_image_sample(f"/some/dir/art.{fmt.lower()}", data)
    assert sample.name == f"art.{fmt.lower()}"
    assert sample.domain is Domain.PAINTING
    assert sample.facts.format == fmt and (sample.facts.width, sample.facts.height) == (40, 20)
    image = sample.image
    assert image.shape == (20, 40, 3) and image.dtype == np.uint8 and image.flags.c_contiguous
    tolerance = 0 if lossless or fmt == "WEBP" else 12
    assert np.abs(image.astype(int) - rgb.astype(int))[:, [2, 37]].max() <= tolerance


def test_original_bytes_kept_untouched_and_working_copy_downscaled() -> None:
    data = encode(Image.fromarray(np.zeros((400, 1000, 3), np.uint8)), "PNG")
    sample = load_image_sample("wide.png", data)
    assert sample.data == data
    assert sample.image.shape == (205, 512, 3)  # 400 * 512 / 1000 = 204.8
    assert (sample.facts.width, sample.facts.height) == (1000, 400)
    assert load_image_sample("wide.png", data, max_side=100).image.shape == (40, 100, 3)


def test_large_jpeg_decodes_at_reduced_scale_but_reports_the_original_size() -> None:
    data = encode(Image.new("RGB", (2400, 1200), RED), "JPEG")
    sample = load_image_sample("photo.jpg", data, max_side=256)
    assert sample.image.shape == (128, 256, 3)
    assert (sample.facts.width, sample.facts.height) == (2400, 1200)
    assert np.abs(sample.image.astype(int) - RED).max() <= 8


def test_exif_orientation_6_rotates_clockwise() -> None:
    stored = np.full((20, 40, 3), 255, np.uint8)
    stored[:5, :5] = (0, 0, 0)  # a black mark at the stored top-left corner
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(Image.fromarray(stored), "JPEG", exif=exif.tobytes(), quality=95)
    sample = load_image_sample("portrait.jpg", data)
    assert sample.image.shape == (40, 20, 3)
    assert (sample.facts.width, sample.facts.height) == (20, 40)
    assert sample.image[1, 18].max() < 60 and sample.image[1, 1].min() > 200  # now top-right
    assert "EXIF orientation applied" in sample.facts.notices


def test_unreadable_exif_does_not_cost_the_picture() -> None:
    data = encode(Image.new("RGB", (8, 8), RED), "JPEG", exif=b"Exif\x00\x00MM\x00*garbage")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Pillow's complaint becomes a notice, not a warning
        sample = load_image_sample("odd.jpg", data)
    assert sample.image.shape == (8, 8, 3)
    assert any("Corrupt EXIF" in notice for notice in sample.facts.notices)


# --- modes --------------------------------------------------------------------------------

def pixels(data: bytes, name: str = "x.png") -> tuple[np.ndarray, tuple[str, ...], str]:
    sample = load_image_sample(name, data)
    return sample.image.astype(int), sample.facts.notices, sample.facts.mode


def test_rgba_composited_on_white() -> None:
    im = Image.new("RGBA", (3, 1))
    im.putdata([(255, 0, 0, 0), (255, 0, 0, 255), (0, 0, 255, 128)])
    image, notices, mode = pixels(encode(im, "PNG"))
    assert mode == "RGBA" and "transparency composited on white" in notices
    assert image[0].tolist() == [[255, 255, 255], [255, 0, 0], [127, 127, 255]]


def test_opaque_rgba_has_no_transparency_notice() -> None:
    _, notices, _ = pixels(encode(Image.new("RGBA", (3, 3), (1, 2, 3, 255)), "PNG"))
    assert notices == ()


def test_palette_with_transparency_composited_on_white() -> None:
    im = Image.new("P", (2, 1))
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    im.putdata([0, 1])
    image, notices, mode = pixels(encode(im, "PNG", transparency=0))
    assert mode == "P" and image[0].tolist() == [[255, 255, 255], [255, 0, 0]]
    assert "transparency composited on white" in notices


@pytest.mark.parametrize("mode, fmt", [("LA", "PNG"), ("PA", "TIFF")])
def test_grey_and_palette_alpha_modes(mode: str, fmt: str) -> None:
    im = Image.new(mode, (2, 1))
    if mode == "PA":
        im.putpalette([100, 100, 100] * 256)
    im.putdata([(100 if mode == "LA" else 0, 0), (100 if mode == "LA" else 0, 255)])
    image, _, loaded_mode = pixels(encode(im, fmt), f"x.{fmt.lower()}")
    assert loaded_mode == mode
    assert image[0].tolist() == [[255, 255, 255], [100, 100, 100]]


def test_bilevel_and_grey() -> None:
    bilevel = Image.new("1", (2, 1))
    bilevel.putpixel((1, 0), 1)
    image, _, mode = pixels(encode(bilevel, "PNG"))
    assert mode == "1" and image[0].tolist() == [[0, 0, 0], [255, 255, 255]]
    image, _, mode = pixels(encode(Image.new("L", (2, 2), 100), "PNG"))
    assert mode == "L" and (image == 100).all()


def test_cmyk_jpeg_converted() -> None:
    image, notices, mode = pixels(encode(Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG"), "c.jpg")
    assert mode == "CMYK" and "CMYK converted to RGB" in notices
    assert np.abs(image - (255, 0, 0)).max() <= 10


@pytest.mark.parametrize("mode, fmt", [("I;16", "PNG"), ("I;16", "TIFF"), ("I;16B", "TIFF")])
def test_16_bit_grey_reduced_to_8_bit(mode: str, fmt: str) -> None:
    im = Image.new(mode, (3, 1))
    for x, value in enumerate((0, 32896, 65535)):
        im.putpixel((x, 0), value)
    image, notices, loaded_mode = pixels(encode(im, fmt), f"deep.{fmt.lower()}")
    assert loaded_mode == mode and "16-bit reduced to 8-bit" in notices
    assert image[0, :, 0].tolist() == [0, 128, 255] and (image[..., 0] == image[..., 2]).all()


def test_16_bit_rgb_png_noted() -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    row = b"\x00" + np.array([[65535, 0, 0], [0, 0, 65535], [32896, 32896, 32896]], ">u2").tobytes()
    ihdr = struct.pack(">IIBBBBB", 3, 1, 16, 2, 0, 0, 0)  # 3x1, 16 bits, truecolour
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(row))
            + chunk(b"IEND", b""))
    image, notices, mode = pixels(data)
    assert mode == "RGB" and notices == ("16-bit reduced to 8-bit",)
    assert image[0].tolist() == [[255, 0, 0], [0, 0, 255], [128, 128, 128]]


def test_16_bit_grey_downscaled_at_full_precision() -> None:
    ramp = np.tile(np.linspace(0, 65535, 1024).astype(np.uint16), (8, 1))
    sample = load_image_sample("ramp.png", encode(Image.fromarray(ramp), "PNG"))
    assert sample.image.shape == (4, 512, 3)
    assert sample.image[0, 0, 0] <= 1 and sample.image[0, -1, 0] >= 254


@pytest.mark.parametrize("values, expected, notice", [
    ([0, 128, 255], [0, 128, 255], None),
    ([0, 32896, 65535], [0, 128, 255], "16-bit reduced to 8-bit"),
    ([-1000, 0, 1000], [0, 128, 255], "stretched"),
])
def test_32_bit_integer_grey(values: list[int], expected: list[int], notice: str | None) -> None:
    im = Image.fromarray(np.array([values], np.int32))
    image, notices, mode = pixels(encode(im, "TIFF"), "i.tif")
    assert mode == "I" and image[0, :, 1].tolist() == expected
    assert notice is None or any(notice in n for n in notices)


@pytest.mark.parametrize("values, expected", [
    ([0.0, 0.5, 1.0], [0, 128, 255]),
    ([-1.0, 0.0, 1.0], [0, 128, 255]),
    ([0.0, float("nan"), 200.0], [0, 0, 200]),
])
def test_float_grey(values: list[float], expected: list[int]) -> None:
    im = Image.fromarray(np.array([values], np.float32))
    image, _, mode = pixels(encode(im, "TIFF"), "f.tif")
    assert mode == "F" and image[0, :, 0].tolist() == expected


# --- animation ----------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_animation_uses_first_frame(fmt: str) -> None:
    frames = [Image.new("RGB", (6, 4), RED), Image.new("RGB", (6, 4), BLUE)]
    options = {"lossless": True} if fmt == "WEBP" else {}
    data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, **options)
    sample = load_image_sample(f"anim.{fmt.lower()}", data)
    assert "animated: first frame used" in sample.facts.notices
    assert np.abs(sample.image.astype(int) - RED).max() <= 6  # GIF quantises a little


# --- refusals -----------------------------------------------------------------------------

@pytest.mark.parametrize("width, height, megapixels", [
    (9000, 8000, "72.0"),  # under Pillow's own limit: refused by our check
    (10000, 10000, "100.0"),  # Pillow warns
    (20000, 20000, "400.0"),  # Pillow raises DecompressionBombError
])
def test_bomb_refused_before_decoding(width: int, height: int, megapixels: str) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(SampleLoadError) as caught:
        load_image_sample("huge.png", png_header_only(width, height))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    message = str(caught.value)
    assert f"is {megapixels} megapixels" in message and "over 64 megapixels" in message
    assert "truncated" not in message  # decoding the absent pixels was never attempted
    assert not isinstance(caught.value, UnsupportedFormatError)
    assert grown_mb < 50


def test_the_refusal_reads_well_with_and_without_the_size() -> None:
    # Pillow's own refusal (20000 x 20000) carries no size: the message once read "is is".
    for width, height in ((20000, 20000), (9000, 8000)):
        with pytest.raises(SampleLoadError) as caught:
            load_image_sample("huge.png", png_header_only(width, height))
        reason = caught.value.reason
        assert reason.startswith("the image is ") and "is is" not in reason
    assert reason.startswith("the image is 9000 x 8000 pixels, which is 72.0 megapixels;")


@pytest.mark.parametrize("width, height, match", [
    (1, 60_000_000, "1 x 60000000 pixels; the studio refuses images with a side over 32768 pixels"),
    (40_000, 1000, "40000 x 1000 pixels; the studio refuses images with a side over 32768"),
    (10, 6000, "10 x 6000 pixels, 600 times as tall as it is wide; .* more than 256 times"),
    (30_000, 100, "30000 x 100 pixels, 300 times as wide as it is tall"),
    (7, 1, "7 x 1 pixels, 7 times as wide as it is tall; .* more than 6 times"),
])
def test_absurd_sides_and_aspects_are_refused_from_the_header(width: int, height: int, match: str,
                                                             monkeypatch) -> None:
    # The hostile test's 1 x 60,000,000 PNG (under 64 megapixels) decoded in 9.6 s into 744 MB.
    if width == 7:
        monkeypatch.setattr(images, "MAX_ASPECT", 6)
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("pixels were decoded"))
    with pytest.raises(SampleLoadError, match=match) as caught:
        load_image_sample("strip.png", png_header_only(width, height))
    assert not isinstance(caught.value, UnsupportedFormatError)


def test_a_long_image_within_the_limits_still_loads() -> None:
    side = images.MAX_ASPECT * 2
    sample = load_image_sample("scroll.png", encode(Image.new("RGB", (2, side), RED), "PNG"))
    assert (sample.facts.width, sample.facts.height) == (2, side)
    assert sample.image.shape == (512, 2, 3)


def test_pillow_bomb_warning_is_a_refusal_and_filters_are_restored(monkeypatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    filters = list(warnings.filters)
    for side in (40, 50):  # 1600 pixels warns, 2500 raises
        with pytest.raises(SampleLoadError, match="megapixels"):
            load_image_sample("small.png", encode(Image.new("L", (side, side)), "PNG"))
    assert warnings.filters == filters


def test_empty_file() -> None:
    with pytest.raises(SampleLoadError, match="the file is empty") as caught:
        load_image_sample("blank.png", b"")
    assert caught.value.path == "blank.png"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated(fmt: str) -> None:
    data = encode(Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8)), fmt)
    for cut in (data[: len(data) // 2], data[:20]):
        with pytest.raises(SampleLoadError, match="the image data is truncated or corrupt") as caught:
            load_image_sample("cut." + fmt.lower(), cut)
        assert not isinstance(caught.value, UnsupportedFormatError)
        assert caught.value.path == "cut." + fmt.lower()


def test_corrupt_pixel_data_is_reported_with_its_cause() -> None:
    data = bytearray(encode(Image.new("RGB", (32, 32), RED), "PNG"))
    idat = data.index(b"IDAT")
    data[idat + 6:idat + 12] = b"\xff" * 6  # breaks the zlib stream (and the CRC)
    with pytest.raises(SampleLoadError, match="truncated or corrupt") as caught:
        load_image_sample("bad.png", bytes(data))
    assert caught.value.__cause__ is not None


def test_text_named_png_is_not_an_image() -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        load_image_sample("notes.png", b"shopping list:\n- eggs\n- brushes\n")
    assert "this is not an image (content does not match any supported format)" in str(caught.value)
    assert "PNG, JPEG, WebP, BMP, TIFF, GIF" in str(caught.value)


@pytest.mark.parametrize("data, name", [
    (b"8BPS\x00\x01" + bytes(40), "Photoshop (PSD)"),
    (encode(Image.new("RGB", (16, 16), RED), "ICO"), "Windows icon (ICO)"),
    (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "PostScript/EPS"),
    (encode(Image.new("RGB", (4, 4), RED), "PPM"), "Netpbm"),
    (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
])
def test_unsupported_formats_are_named(data: bytes, name: str) -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        load_image_sample("art.png", data)
    assert name in caught.value.reason and "PNG, JPEG, WebP, BMP, TIFF, GIF" in caught.value.reason


def test_misleading_extension_is_noted() -> None:
    sample = load_image_sample("really.jpg", encode(Image.new("RGB", (4, 4)), "PNG"))
    assert sample.facts.format == "PNG"
    assert "the file name says JPEG but the content is PNG" in sample.facts.notices


def test_bad_max_side() -> None:
    with pytest.raises(ValueError, match="max_side"):
        load_image_sample("x.png", encode(Image.new("RGB", (4, 4)), "PNG"), max_side=0)


# --- palette ------------------------------------------------------------------------------

def test_palette_of_two_colours() -> None:
    palette = dominant_palette(two_colour(512, 512))
    assert [hex_colour for hex_colour, _ in palette] == sorted(["#dc1e28", "#1428e6"],
                                                               key=lambda h: -dict(palette)[h])
    assert all(abs(share - 0.5) < 0.03 for _, share in palette)
    assert load_image_sample("two.png", encode(Image.fromarray(two_colour()), "PNG")).facts.palette == \
        dominant_palette(two_colour())


def test_palette_is_deterministic_sorted_and_fast() -> None:
    rgb = np.random.default_rng(1).integers(0, 256, (512, 512, 3), np.uint8)
    palette = dominant_palette(rgb, k=6, seed=3)
    assert palette == dominant_palette(rgb, k=6, seed=3)
    assert len(palette) == 6 and abs(sum(s for _, s in palette) - 1.0) < 1e-9
    assert [s for _, s in palette] == sorted((s for _, s in palette), reverse=True)
    assert all(len(h) == 7 and h.startswith("#") for h, _ in palette)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        dominant_palette(rgb)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.05


def test_palette_separates_distinct_colours() -> None:
    rgb = np.zeros((30, 30, 3), np.uint8)
    rgb[:10], rgb[10:20], rgb[20:] = (250, 250, 250), (250, 10, 10), (10, 10, 10)
    rgb[0, 0] = (248, 250, 250)  # four distinct colours, three groups
    palette = dict(dominant_palette(rgb, k=3))
    assert set(palette) == {"#fafafa", "#fa0a0a", "#0a0a0a"}


def test_palette_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        dominant_palette(np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError):
        dominant_palette(np.zeros((4, 4, 3), np.float32))
    assert dominant_palette(np.zeros((0, 4, 3), np.uint8)) == ()


# --- thumbnails and PNG export ------------------------------------------------------------

@pytest.mark.parametrize("shape, size, expected", [
    ((100, 300, 3), 128, (43, 128, 3)),
    ((300, 100, 3), 64, (64, 21, 3)),
    ((5, 10, 3), 128, (64, 128, 3)),
])
def test_thumbnail_keeps_aspect(shape: tuple[int, int, int], size: int, expected: tuple) -> None:
    thumb = make_thumbnail(np.full(shape, 77, np.uint8), size)
    assert thumb.shape == expected and thumb.dtype == np.uint8 and thumb.flags.c_contiguous
    assert (thumb == 77).all()


def test_png_text_round_trip() -> None:
    rgb = two_colour()
    text = {"seed": "42", "provenance": "adapted from 3 samples – café ☃", "long": "x" * 5000}
    data = encode_png(rgb, text)
    assert decode_png_text(data) == text
    assert Image.open(io.BytesIO(data)).text == text  # other tools read them too
    assert (load_image_sample("out.png", data).image == rgb).all()
    assert decode_png_text(encode_png(rgb)) == {}


def test_png_text_errors() -> None:
    rgb = two_colour()
    with pytest.raises(ValueError, match="key"):
        encode_png(rgb, {" bad": "x"})
    with pytest.raises(ValueError, match="NUL"):
        encode_png(rgb, {"ok": "a\x00b"})
    with pytest.raises(UnsupportedFormatError):
        decode_png_text(encode(Image.fromarray(rgb), "JPEG"))
    data = encode_png(rgb, {"seed": "42"})
    with pytest.raises(SampleLoadError, match="truncated or corrupt"):
        decode_png_text(data[:-20])
    broken = bytearray(data)
    broken[data.index(b"tEXt") + 5] ^= 0xFF
    with pytest.raises(SampleLoadError, match="CRC"):
        decode_png_text(bytes(broken))
