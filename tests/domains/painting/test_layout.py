"""Compositions: sizes, determinism, and that layouts come from the samples' colours."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.domains.painting import layout as L
from tests.domains.painting.conftest import painting


def test_size_for_keeps_aspect_and_long_side():
    assert L.size_for(1.0, 256) == (256, 256)
    h, w = L.size_for(4 / 3, 256)
    assert w == 256 and abs(w / h - 4 / 3) < 0.02
    h, w = L.size_for(0.5, 256)
    assert h == 256 and w == 128


def test_round_trip_between_arrays_and_tensors():
    rgb = painting(0)
    assert np.array_equal(L.to_rgb(L.to_tensor(rgb)), rgb)


def test_sample_layout_is_seeded_sized_and_blurred():
    images = [L.to_tensor(painting(i, (60, 80))) for i in range(2)]
    a = L.sample_layout(images, (48, 64), np.random.default_rng(3), coarse_side=16)
    b = L.sample_layout(images, (48, 64), np.random.default_rng(3), coarse_side=16)
    c = L.sample_layout(images, (48, 64), np.random.default_rng(4), coarse_side=16)
    assert a.shape == (1, 3, 48, 64)
    assert torch.equal(a, b) and not torch.equal(a, c)
    # blurred: little energy left between neighbouring pixels
    assert float((a[..., 1:] - a[..., :-1]).abs().mean()) < float((images[0][..., 1:] - images[0][..., :-1]).abs().mean())
    # the colours are the samples' own
    assert abs(float(a.mean()) - float(torch.cat([i.flatten() for i in images]).mean())) < 0.1


def test_sample_layout_needs_a_sample():
    with pytest.raises(ValueError):
        L.sample_layout([], (32, 32), np.random.default_rng(0))


def test_closeness_keeps_more_detail_when_closer():
    assert L.closeness_side(0.0, 256) == 12
    assert L.closeness_side(1.0, 256) == 64
    assert L.closeness_side(0.3, 256) < L.closeness_side(0.7, 256)


def test_soft_mask_is_in_unit_range():
    m = L.soft_mask((20, 30), np.random.default_rng(0))
    assert m.shape == (1, 1, 20, 30) and float(m.min()) >= 0 and float(m.max()) <= 1
