"""Procedural painting styles for meta-training: what each change does, determinism, and the
training sampler giving a whole task one style."""

from __future__ import annotations

import math

import numpy as np
import pytest

from studio.domains.painting import dataset, styles
from studio.domains.painting.styles import StyleTransform, apply_style
from tests.domains.painting.conftest import painting
from tests.domains.painting.test_dataset import write_artist


def _chroma(rgb: np.ndarray) -> np.ndarray:
    yiq = (rgb.astype(float) / 255.0) @ styles._TO_YIQ.T
    return yiq[..., 1:].reshape(-1, 2).mean(0)


def test_the_identity_changes_nothing_and_every_style_keeps_size_and_type():
    image = painting(0)
    assert np.array_equal(apply_style(image, styles.identity()), image)
    rng = np.random.default_rng(0)
    for _ in range(20):
        out = apply_style(image, styles.random_style(rng))
        assert out.shape == image.shape and out.dtype == np.uint8


def test_each_change_does_what_it_says():
    image = (painting(1) * 0.5 + 64).astype(np.uint8)  # away from 0 and 255, so nothing clips
    grey = apply_style(image, StyleTransform(saturation=0.0))
    assert np.abs(_chroma(grey)).max() < 0.01 and np.abs(_chroma(image)).max() > 0.02
    turned = apply_style(image, StyleTransform(hue=math.pi))  # half a turn: the mean chroma flips
    assert np.allclose(_chroma(turned), -_chroma(image), atol=0.01)
    flat = apply_style(image, StyleTransform(contrast=0.2))
    assert flat.std() < 0.4 * image.std()
    poster = apply_style(image, StyleTransform(posterize=4))
    assert len(np.unique(poster)) <= 4
    smeared = apply_style(image, StyleTransform(stroke_angle=0.0, stroke_length=7))  # along rows
    along = np.abs(np.diff(smeared.astype(int), axis=1)).mean()
    assert along < 0.6 * np.abs(np.diff(image.astype(int), axis=1)).mean()
    sharp = apply_style(image, StyleTransform(sharpen=1.0))
    assert np.abs(np.diff(sharp.astype(int), axis=1)).mean() > np.abs(np.diff(image.astype(int), axis=1)).mean()


def test_random_styles_are_seeded():
    a = [styles.random_style(np.random.default_rng(3)) for _ in range(2)]
    assert a[0] == a[1] and a[0] != styles.random_style(np.random.default_rng(4))


def test_the_sampler_gives_a_whole_task_one_style_as_often_as_asked(tmp_path):
    write_artist(tmp_path, "monet", 6)
    plain = dataset.TrainingTaskSampler(tmp_path, long_side=32, max_k=3)
    same = dataset.TrainingTaskSampler(tmp_path, long_side=32, max_k=3, style_chance=0.0)
    a, b = plain.sample(np.random.default_rng(1)), same.sample(np.random.default_rng(1))
    assert a.artist == b.artist == "monet" and all(np.array_equal(x, y) for x, y in zip(a.images, b.images))

    always = dataset.TrainingTaskSampler(tmp_path, long_side=32, max_k=3, style_chance=1.0)
    rng = np.random.default_rng(2)
    for _ in range(5):
        task = always.sample(rng, k=3)
        assert task.artist == "monet+style" and len(task.images) == 3
    half = dataset.TrainingTaskSampler(tmp_path, long_side=32, max_k=3, style_chance=0.5)
    rng = np.random.default_rng(0)
    styled = sum(half.sample(rng).artist.endswith("+style") for _ in range(200))
    assert 70 < styled < 130
    with pytest.raises(ValueError):
        dataset.TrainingTaskSampler(tmp_path, style_chance=1.5)


def test_a_task_shares_its_style(tmp_path, monkeypatch):
    write_artist(tmp_path, "monet", 6)
    drawn = []
    original = styles.apply_style
    monkeypatch.setattr(styles, "apply_style", lambda im, style: drawn.append(style) or original(im, style))
    sampler = dataset.TrainingTaskSampler(tmp_path, long_side=32, max_k=4, style_chance=1.0)
    sampler.sample(np.random.default_rng(0), k=4)
    assert len(drawn) == 4 and len(set(drawn)) == 1
