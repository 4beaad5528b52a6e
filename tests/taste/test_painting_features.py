"""The painting describer: each named feature moves the way its words say, on synthetic pictures."""

from __future__ import annotations

import numpy as np
import pytest

from studio.taste.painting_features import RAW_SIZE, SPEC, describe_image


def feature(image: np.ndarray, name: str) -> float:
    return float(describe_image(image).interp[SPEC.names.index(name)])


def flat(rgb: tuple[int, int, int], h: int = 96, w: int = 128) -> np.ndarray:
    return np.broadcast_to(np.array(rgb, np.uint8), (h, w, 3)).copy()


def noise(seed: int = 0, h: int = 96, w: int = 128, lo: int = 60, hi: int = 200) -> np.ndarray:
    return np.random.default_rng(seed).integers(lo, hi, (h, w, 3), dtype=np.uint8)


def test_spec_names_words_and_sizes() -> None:
    assert SPEC.domain == "painting"
    assert 10 <= SPEC.size <= 14 and len(set(SPEC.names)) == SPEC.size
    assert all(m and l and m != l for m, l in zip(SPEC.more, SPEC.less))
    d = describe_image(noise())
    assert d.interp.shape == (SPEC.size,) and d.raw.shape == (RAW_SIZE,) == (SPEC.raw_size,)
    assert d.interp.dtype == np.float32 and d.raw.dtype == np.float32


def test_brighter_picture_has_higher_brightness_and_less_shadow() -> None:
    dark, light = noise(lo=10, hi=90), noise(lo=150, hi=250)
    assert feature(light, "brightness") > feature(dark, "brightness") + 0.3
    assert feature(dark, "shadow") > feature(light, "shadow")


def test_warm_and_cool() -> None:
    warm, cool = flat((200, 140, 80)), flat((80, 140, 200))
    assert feature(warm, "warmth") > 0.3 > -0.3 > feature(cool, "warmth")
    assert feature(cool, "blueness") == 1.0 and feature(warm, "blueness") == 0.0
    assert feature(flat((60, 160, 70)), "greenness") == 1.0


def test_busy_noise_against_flat() -> None:
    assert feature(noise(), "busyness") > 0.02
    assert feature(flat((120, 120, 120)), "busyness") == 0.0
    assert feature(noise(), "contrast") > feature(flat((120, 120, 120)), "contrast")


def test_fine_noise_is_finer_than_broad_blocks() -> None:
    blocks = np.kron(noise(h=6, w=8), np.ones((16, 16, 1), np.uint8))  # 96x128 of 16-px patches
    assert feature(noise(), "fine_detail") > feature(blocks, "fine_detail") + 0.2


def test_blue_light_top_half_is_sky() -> None:
    image = flat((90, 70, 50))
    image[:48] = (150, 190, 240)
    assert feature(image, "sky") > 0.2
    assert feature(image[::-1], "sky") < -0.2
    assert feature(image, "blueness") == pytest.approx(0.5, abs=0.05)


def test_saturated_against_grey_and_hue_spread() -> None:
    grey, red = flat((128, 128, 128)), flat((220, 30, 30))
    assert feature(red, "saturation") > 0.15 and feature(grey, "saturation") < 0.01
    rainbow = flat((220, 30, 30))
    rainbow[:, 32:64], rainbow[:, 64:96], rainbow[:, 96:] = (30, 200, 30), (30, 30, 220), (220, 220, 30)
    assert feature(rainbow, "hue_spread") > 0.5 > feature(red, "hue_spread")


def test_stripes_give_orientation_and_a_centred_subject() -> None:
    horizontal = flat((40, 40, 40))
    horizontal[::8] = 230
    assert feature(horizontal, "horizontal") > 0.9
    assert feature(np.ascontiguousarray(horizontal.transpose(1, 0, 2)), "horizontal") < -0.9
    subject = flat((120, 120, 120))
    subject[36:60, 48:80] = 250
    assert feature(subject, "centred") > 0.05
    frame = flat((120, 120, 120))
    frame[:12], frame[-12:] = 250, 250
    assert feature(frame, "centred") < 0


@pytest.mark.parametrize("shape", [(1, 1, 3), (1, 1, 4), (7, 1, 3), (1, 5000, 3), (3000, 2, 3), (8, 8)])
def test_any_size_gives_finite_values(shape: tuple[int, ...]) -> None:
    image = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    d = describe_image(image)
    assert np.isfinite(d.interp).all() and np.isfinite(d.raw).all()
    assert d.raw.shape == (RAW_SIZE,)


def test_flat_black_and_white_are_finite() -> None:
    for value in (0, 255):
        d = describe_image(flat((value, value, value)))
        assert np.isfinite(d.interp).all() and np.isfinite(d.raw).all()


def test_size_does_not_change_meaning() -> None:
    small = noise(h=48, w=64)
    large = np.kron(small, np.ones((4, 4, 1), np.uint8))  # the same picture at 4x the size
    a, b = describe_image(small).interp, describe_image(large).interp
    for name in ("brightness", "warmth", "saturation", "sky", "greenness"):
        i = SPEC.names.index(name)
        assert a[i] == pytest.approx(b[i], abs=0.02), name


@pytest.mark.parametrize("bad", [np.zeros((0, 5, 3), np.uint8), np.zeros((4, 4, 2), np.uint8),
                                 np.zeros((4, 4, 3), np.float32), [[1, 2, 3]]])
def test_bad_input_is_a_clear_value_error(bad: object) -> None:
    with pytest.raises(ValueError, match="painting"):
        describe_image(bad)  # type: ignore[arg-type]
