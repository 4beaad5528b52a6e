"""New compositions (issue 19, point 5): the crop measure and the shipped layout library."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.domains.painting import layout as L
from studio.domains.painting.crop_match import best_crop_correlation, crop_correlations, crop_match_share
from studio.domains.painting.dataset import TRAIN_ARTISTS
from studio.domains.painting.library import (LayoutChooser, LayoutLibrary, build_library, shipped_library,
                                             small_layout)
from studio.domains.painting.params import PaintingParams

from .conftest import painting

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _blobs(seed: int, size: tuple[int, int] = (120, 160)) -> np.ndarray:
    """Smooth random masses: a stand-in composition."""
    rng = np.random.default_rng(seed)
    small = rng.uniform(0, 255, (4, 5, 3)).astype(np.float32)
    t = torch.from_numpy(small).permute(2, 0, 1)[None] / 255.0
    return L.to_rgb(torch.nn.functional.interpolate(t, size=size, mode="bicubic", align_corners=False))


def test_a_crop_of_a_sample_scores_near_one_and_other_masses_do_not():
    sample = _blobs(0)
    crop = sample[10:100, 20:140]  # 90 x 120: the sample's own aspect, 75 % of its side
    assert best_crop_correlation(crop, [sample]) > 0.95
    assert best_crop_correlation(crop[:, ::-1].copy(), [sample]) > 0.95  # mirrored too
    assert best_crop_correlation(sample, [sample]) > 0.99
    others = [_blobs(s) for s in range(10, 20)]
    assert np.median(crop_correlations(others, [sample])) < 0.8
    assert crop_match_share([crop, *others[:3]], [sample]) == pytest.approx(0.25)


def test_the_measure_takes_any_aspect():
    sample = _blobs(1, (200, 100))
    scores = crop_correlations([_blobs(2, (50, 150)), sample[:100]], [sample])
    assert scores.shape == (2,) and scores[1] > 0.95
    with pytest.raises(ValueError):
        crop_correlations([sample], [])


def test_library_round_trip_and_bad_files(tmp_path):
    pixels = np.zeros((2, 32, 32, 3), np.uint8)
    pixels[1, :24, :32] = 200
    library = LayoutLibrary(pixels, np.array([[32, 20], [24, 32]]), ("monet/a.jpg", "ukiyo_e/b.jpg"))
    library.save(tmp_path / "l.npz")
    again = LayoutLibrary.load(tmp_path / "l.npz")
    assert again.sources == library.sources and again.layout(1).shape == (24, 32, 3)
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="bad.npz"):
        LayoutLibrary.load(tmp_path / "bad.npz")


def test_the_library_is_built_only_from_training_artists(tmp_path):
    with pytest.raises(ValueError, match="degas"):
        build_library(tmp_path, {"degas": 3})
    for artist in ("monet", "ukiyo_e"):
        (tmp_path / artist).mkdir()
        for i in range(3):
            from PIL import Image
            Image.fromarray(painting(i, (90, 120))).save(tmp_path / artist / f"{i}.png")
    library = build_library(tmp_path, {"monet": 2, "ukiyo_e": 1})
    assert len(library) == 3 and all(max(library.layout(i).shape[:2]) == 32 for i in range(3))
    assert {s.split("/")[0] for s in library.sources} == {"monet", "ukiyo_e"}


def test_the_shipped_library_is_small_and_documented():
    library = shipped_library()
    assert library is not None and 100 <= len(library) <= 1000
    assert {s.split("/")[0] for s in library.sources} <= set(TRAIN_ARTISTS)  # never a held-out painter


def test_the_chooser_leaves_out_layouts_that_repeat_a_sample():
    samples = [_blobs(s, (96, 128)) for s in range(3)]
    layouts = [small_layout(samples[0])] + [small_layout(_blobs(s, (96, 128))) for s in range(30, 60)]
    pixels = np.zeros((len(layouts), 32, 32, 3), np.uint8)
    for i, im in enumerate(layouts):
        pixels[i, :im.shape[0], :im.shape[1]] = im
    library = LayoutLibrary(pixels, np.array([im.shape[:2] for im in layouts]), tuple(f"monet/{i}" for i in range(len(layouts))))
    chooser = LayoutChooser(library, samples)
    assert 0 not in chooser.candidates and chooser.scores[0] > 0.9
    layout, source = chooser.layout((60, 90), np.random.default_rng(0))
    assert layout.shape == (1, 3, 60, 90) and source.startswith("monet/")


def test_default_galleries_draw_most_layouts_from_the_library(generator, samples):
    adapted = generator.instant(samples)
    works = generator.generate(adapted, samples, PaintingParams(long_side=64), 10, seed=1)
    from_library = [w for w in works if "layout" in w.provenance]
    assert 4 <= len(from_library) <= 10
    assert all(w.provenance["layout"].split("/")[0] in TRAIN_ARTISTS for w in from_library)
    crops_only = generator.generate(adapted, samples, PaintingParams(long_side=64, composition=0.0), 4, seed=1)
    assert not any("layout" in w.provenance for w in crops_only)
    assert PaintingParams(composition=1.0).library_share() == 1.0
    generator.use_library = False
    try:
        assert not any("layout" in w.provenance for w in generator.generate(adapted, samples, PaintingParams(long_side=64), 4, 1))
    finally:
        generator.use_library = True
