"""The guide picture: strict loading (errors name the file and the reason) and its params."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from studio.domains.painting.guide import (DEFAULT_CLOSENESS, GUIDE_MAX_SIDE, Guide, GuideError, guide_from_array,
                                           load_guide)
from studio.domains.painting.params import PaintingParams
from studio.errors import SampleLoadError


def _png(w: int, h: int, mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (w, h), (10, 200, 30) if mode == "RGB" else 128).save(buf, "PNG")
    return buf.getvalue()


def test_load_guide_reads_an_image(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(_png(120, 80))
    guide = load_guide(path)
    assert guide.name == "photo.png"
    assert guide.image.shape == (80, 120, 3) and guide.image.dtype == np.uint8
    assert tuple(guide.image[0, 0]) == (10, 200, 30)
    assert guide.aspect == pytest.approx(1.5)
    assert not guide.image.flags.writeable


def test_large_guides_are_downscaled(tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(_png(3000, 1500))
    assert load_guide(path).image.shape == (GUIDE_MAX_SIDE // 2, GUIDE_MAX_SIDE, 3)


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"hello, this is text\n" * 20, ""),
    (_png(200, 200)[:60], "corrupt"),
    (_png(10, 10), "at least 16 px"),
    (_png(600, 50), "times as long as broad"),
])
def test_bad_guides_name_the_file_and_the_reason(tmp_path, content, reason):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(GuideError) as info:
        load_guide(path)
    assert isinstance(info.value, SampleLoadError)
    assert str(path) in str(info.value) and reason in str(info.value)


def test_missing_guide_and_folder(tmp_path):
    with pytest.raises(GuideError, match="no such file"):
        load_guide(tmp_path / "nope.jpg")
    with pytest.raises(GuideError, match="folder"):
        load_guide(tmp_path)


def test_guide_from_array_checks_and_copies():
    rgb = np.zeros((40, 60, 3), np.uint8)
    guide = guide_from_array(rgb, "sketch")
    rgb[:] = 255
    assert guide.image.max() == 0 and guide.name == "sketch"
    rgba = np.zeros((40, 60, 4), np.uint8)  # fully transparent: white paper
    assert guide_from_array(rgba).image.min() == 255
    with pytest.raises(GuideError):
        guide_from_array(np.zeros((40, 60), np.uint8))
    with pytest.raises(GuideError):
        guide_from_array(np.zeros((40, 60, 3), np.float32))
    assert guide_from_array(np.zeros((3000, 1000, 3), np.uint8)).image.shape == (GUIDE_MAX_SIDE, 341, 3)


def test_guide_equality_and_digest():
    a = guide_from_array(np.full((20, 30, 3), 7, np.uint8), "a")
    b = guide_from_array(np.full((20, 30, 3), 7, np.uint8), "a")
    c = guide_from_array(np.full((20, 30, 3), 8, np.uint8), "a")
    assert a == b and hash(a) == hash(b) and a.digest == b.digest
    assert a != c and a.digest != c.digest


def test_params_carry_guide_and_closeness():
    guide = guide_from_array(np.zeros((30, 90, 3), np.uint8), "wide")
    params = PaintingParams(guide=guide)
    assert params.closeness == DEFAULT_CLOSENESS
    assert params.aspect_for([]) == pytest.approx(3.0)
    assert PaintingParams(aspect=0.5).aspect_for([]) == 0.5
    record = json.loads(json.dumps(params.to_dict()))
    assert record["guide"]["name"] == "wide" and record["guide"]["width"] == 90 and record["closeness"] == DEFAULT_CLOSENESS
    assert PaintingParams().to_dict()["guide"] is None
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match="closeness"):
            PaintingParams(closeness=bad)
    with pytest.raises(ValueError, match="guide"):
        PaintingParams(guide=np.zeros((30, 30, 3), np.uint8))  # type: ignore[arg-type]
