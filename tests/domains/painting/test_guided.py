"""Guided painting: the guide mapped into the samples' palette, closeness, pinning, and the
generator's guided works (and their variations, repaints and renders)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from studio.domains.painting import guided as G
from studio.domains.painting import layout as L
from studio.domains.painting.guide import guide_from_array
from studio.domains.painting.params import PaintingParams

from .conftest import painting

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _photo(h: int = 60, w: int = 90) -> np.ndarray:
    """A 'landscape': bright sky over a dark hill with a blue lake, a clear composition."""
    y, x = np.mgrid[:h, :w]
    img = np.zeros((h, w, 3), np.float32)
    img[:] = (200, 220, 250)
    hill = y > h * 0.45 + 10 * np.sin(x / 9)
    img[hill] = (40, 90, 30)
    img[(y > h * 0.75) & (x > w * 0.3)] = (30, 60, 160)
    return img.astype(np.uint8)


def test_opponent_space_round_trips():
    rgb = torch.rand(1, 3, 5, 7)
    assert torch.allclose(G.from_opponent(G.to_opponent(rgb)), rgb, atol=1e-5)


def test_mapping_keeps_the_composition_and_takes_the_samples_tones():
    samples = [L.to_tensor(painting(i, (48, 64))) for i in range(3)]
    palette = G.SamplePalette(samples)
    guide = L.to_tensor(_photo())
    mapped = G.map_to_samples(guide, palette)
    assert mapped.shape == guide.shape and 0 <= float(mapped.min()) and float(mapped.max()) <= 1
    y_guide, y_mapped = G.luminance(guide)[0, 0].numpy(), G.luminance(mapped)[0, 0].numpy()
    assert G.correlation(y_guide, y_mapped) > 0.9  # light and dark stay where they were
    pooled = np.concatenate([G.luminance(s).flatten().numpy() for s in samples])
    # ... but the tones are the samples': their luminance range, not the photo's
    assert abs(np.median(y_mapped) - np.median(pooled)) < 0.08
    assert abs(np.median(y_guide) - np.median(pooled)) > 0.1


def test_closeness_sets_the_kept_side_and_the_pin():
    assert G.kept_side(0) == G.LOOSE_SIDE and G.kept_side(1) == G.TRACE_SIDE
    assert G.kept_side(0.2) < G.kept_side(0.5) < G.kept_side(0.8)
    assert G.pin_strength(0) == 0.5 and G.pin_strength(1) == 1.0
    torch.manual_seed(0)
    painted = L.blurred(torch.rand(1, 3, 128, 128), 8) * 0.5 + torch.rand(1, 3, 128, 128) * 0.5
    layout = torch.full((1, 3, 128, 128), 0.5)
    for closeness, most in ((1.0, 0.4), (0.5, 0.55), (0.0, 0.7)):  # pulled back, the closer the more
        side = G.kept_side(closeness)
        drift = float((L.blurred(painted, side) - 0.5).abs().mean())
        assert float((L.blurred(G.pin(painted, layout, closeness), side) - 0.5).abs().mean()) < most * drift


def test_loose_layouts_differ_work_to_work_a_trace_does_not():
    palette = G.SamplePalette([L.to_tensor(painting(0))])
    guide = L.to_tensor(_photo())
    a, b = (G.guided_layout(guide, palette, (60, 90), 0.0, np.random.default_rng(s)) for s in (1, 2))
    assert float((a - b).abs().mean()) > 0.005
    a, b = (G.guided_layout(guide, palette, (60, 90), 1.0, np.random.default_rng(s)) for s in (1, 2))
    assert torch.equal(a, b)


def test_guided_works_follow_the_guide_at_its_aspect(generator, samples):
    guide = guide_from_array(_photo(60, 120), "lake.png")
    adapted = generator.instant(samples)
    params = PaintingParams(long_side=64, guide=guide, closeness=0.6)
    works = generator.generate(adapted, samples, params, 3, seed=1)
    assert len(works) == 3
    for work in works:
        assert work.image.shape[:2] == (32, 64)  # the guide's 2:1, not the samples' 4:3
        assert G.guide_correlation(work.image, guide.image) > 0.8
        record = json.loads(json.dumps(work.provenance))
        assert record["guide"]["name"] == "lake.png" and record["closeness"] == 0.6
        assert record["params"]["guide"]["digest"] == guide.digest
    unguided = generator.generate(adapted, samples, PaintingParams(long_side=64), 3, seed=1)
    assert np.mean([G.guide_correlation(w.image, guide.image) for w in unguided]) < 0.8


def test_closer_follows_the_guide_more(generator, samples):
    guide = guide_from_array(_photo(), "lake.png")
    adapted = generator.instant(samples)

    def mean_corr(closeness: float) -> float:
        works = generator.generate(adapted, samples, PaintingParams(long_side=96, guide=guide, closeness=closeness),
                                   4, seed=3)
        return float(np.mean([G.guide_correlation(w.image, guide.image, side=48) for w in works]))

    assert mean_corr(1.0) > mean_corr(0.0)


def test_refinements_work_on_guided_paintings(generator, samples):
    guide = guide_from_array(_photo(), "lake.png")
    adapted = generator.instant(samples)
    work = generator.generate(adapted, samples, PaintingParams(long_side=64, guide=guide), 1, seed=2)[0]
    variations = generator.vary(adapted, samples, work, 0.8, 2, seed=4)
    assert all(v.image.shape == work.image.shape for v in variations)
    assert all(G.guide_correlation(v.image, guide.image) > 0.7 for v in variations)
    big = generator.render(adapted, samples, work, 128)
    assert max(big.image.shape[:2]) == 128 and G.guide_correlation(big.image, guide.image) > 0.7
    mask = np.zeros(work.image.shape[:2], np.uint8)
    mask[10:20, 10:30] = 1
    repainted = generator.repaint(adapted, samples, work, mask, seed=9)
    assert np.array_equal(repainted.image[-5:, -5:], work.image[-5:, -5:])
    assert repainted.provenance["guide"]["name"] == "lake.png"


def test_variations_and_renders_of_a_guided_work_record_its_guide(generator, samples):
    guide = guide_from_array(_photo(), "lake.png")
    adapted = generator.instant(samples)
    work = generator.generate(adapted, samples, PaintingParams(long_side=64, guide=guide, closeness=0.7), 1, seed=2)[0]
    variation = generator.vary(adapted, samples, work, 0.3, 1, seed=4)[0]
    big = generator.render(adapted, samples, work, 96)
    for child in (variation, big):
        record = json.loads(json.dumps(child.provenance))
        assert record["guide"] == {**work.provenance["guide"]} and record["guide"]["digest"] == guide.digest
        assert record["guide_closeness"] == 0.7 and record["parent"] == work.id
    assert variation.provenance["closeness"] == 0.3  # the variation's own closeness, beside the guide's
    # ... and on down the line: a render of a variation, a variation of a repaint
    assert generator.render(adapted, samples, variation, 96).provenance["guide_closeness"] == 0.7
    mask = np.zeros(work.image.shape[:2], np.uint8)
    mask[5:15, 5:25] = 1
    repainted = generator.repaint(adapted, samples, work, mask, seed=9)
    assert generator.vary(adapted, samples, repainted, 0.5, 1, seed=5)[0].provenance["guide_closeness"] == 0.7
    plain = generator.generate(adapted, samples, PaintingParams(long_side=64), 1, seed=2)[0]
    assert "guide" not in generator.vary(adapted, samples, plain, 0.5, 1, seed=4)[0].provenance
    assert "guide" not in generator.render(adapted, samples, plain, 96).provenance


def test_a_works_closeness_varies_around_the_chosen_one_a_trace_stays_a_trace():
    rng = np.random.default_rng(0)
    drawn = [G.work_closeness(0.6, rng) for _ in range(200)]
    spread = G.CLOSENESS_SPREAD * 0.4
    assert min(drawn) >= 0.6 - spread - 1e-9 and max(drawn) <= 0.6 + spread + 1e-9
    assert max(drawn) - min(drawn) > spread  # really varied
    assert abs(np.mean(drawn) - 0.6) < 0.03  # ... around the chosen value
    assert all(G.work_closeness(1.0, rng) == 1.0 for _ in range(20))
    assert all(0.0 <= G.work_closeness(0.0, rng) <= 1.0 for _ in range(20))


def test_an_emphasised_palette_leans_to_some_samples_and_keeps_their_colours():
    reddish = torch.zeros(1, 3, 32, 32)
    reddish[:, 0] = 0.8
    reddish[:, 1:] = 0.2
    bluish = torch.zeros(1, 3, 32, 32)
    bluish[:, 2] = 0.8
    bluish[:, :2] = 0.3
    palette = G.SamplePalette([reddish, bluish])
    redness = []
    for seed in range(12):
        leaning = palette.emphasised(np.random.default_rng(seed))
        assert leaning.colours.shape[1] == 3 and len(leaning.sorted) == 3
        redness.append(float(leaning.sorted[1].mean()))  # the red-green axis: the red sample's share
        known = torch.cat([G.to_opponent(reddish).flatten(2)[0], G.to_opponent(bluish).flatten(2)[0]], 1).T
        assert float(torch.cdist(leaning.colours, known).min(dim=1).values.max()) < 1e-5  # only the samples' colours
    assert max(redness) - min(redness) > 0.2  # some works lean red, some blue
    single = G.SamplePalette([reddish])
    assert single.emphasised(np.random.default_rng(0)) is single


def test_a_varied_gallery_offers_different_works_that_all_follow_the_guide():
    samples = [L.to_tensor(painting(i, (48, 64))) for i in range(3)]
    palette = G.SamplePalette(samples, G.kept_side(0.6))
    guide = L.to_tensor(_photo())

    def gallery(variety: bool) -> list[torch.Tensor]:
        out = []
        for seed in range(4):
            rng = np.random.default_rng(seed)
            closeness = G.work_closeness(0.6, rng) if variety else 0.6
            out.append(G.guided_layout(guide, palette, (60, 90), closeness, rng, variety=variety))
        return out

    def spread(layouts: list[torch.Tensor]) -> float:
        return float(np.mean([(a - b).abs().mean() for i, a in enumerate(layouts) for b in layouts[i + 1:]]))

    plain, varied = gallery(False), gallery(True)
    assert spread(varied) > 1.3 * spread(plain)
    for layout in varied:
        assert G.guide_correlation(L.to_rgb(layout), _photo()) > 0.8


def test_the_generators_guided_gallery_varies_unless_switched_off(generator, samples):
    guide = guide_from_array(_photo(), "lake.png")
    adapted = generator.instant(samples)
    params = PaintingParams(long_side=64, guide=guide, closeness=0.6)

    def spread(works: list) -> float:
        images = [w.image.astype(np.float32) for w in works]
        return float(np.mean([np.abs(a - b).mean() for i, a in enumerate(images) for b in images[i + 1:]]))

    varied = generator.generate(adapted, samples, params, 4, seed=1)
    generator.guide_variety = False
    try:
        plain = generator.generate(adapted, samples, params, 4, seed=1)
    finally:
        generator.guide_variety = True
    assert spread(varied) > spread(plain)
    drawn = [w.provenance["work_closeness"] for w in varied]
    assert len(set(drawn)) > 1 and all(abs(c - 0.6) <= G.CLOSENESS_SPREAD * 0.4 + 1e-3 for c in drawn)
    assert all(w.provenance["closeness"] == 0.6 for w in varied)  # the user's choice is what is recorded as such
    assert all(w.provenance["work_closeness"] == 0.6 for w in plain)


def test_a_varied_trace_still_traces():
    samples = [L.to_tensor(painting(i, (48, 64))) for i in range(3)]
    palette = G.SamplePalette(samples, G.kept_side(1.0))
    guide = L.to_tensor(_photo())
    a, b = (G.guided_layout(guide, palette, (60, 90), 1.0, np.random.default_rng(s), variety=True) for s in (1, 2))
    assert torch.equal(a, b)
