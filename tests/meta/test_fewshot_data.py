"""Few-shot task banks: episodes, splits, augmentation, glyph rendering and painting loading."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from studio.errors import SampleLoadError, StudioError
from studio.meta.fewshot_data import (GLYPH_DISTORTION, Augment, GlyphConfig, ImageBank, PaintingConfig,
                                      augment_images, build_glyph_bank, build_painting_bank, find_fonts,
                                      sample_episode)


def numbered_bank(n_classes: int = 6, per_class: int = 8, side: int = 6) -> ImageBank:
    """Every image is constant and carries its own id, so episodes can be checked image by image."""
    images = tuple(torch.arange(c * 100, c * 100 + per_class, dtype=torch.float32).view(-1, 1, 1, 1)
                   .expand(per_class, 1, side, side).clone() for c in range(n_classes))
    return ImageBank(tuple(f"class{c}" for c in range(n_classes)), images)


def test_episode_shapes_labels_and_no_image_in_both_support_and_query() -> None:
    bank = numbered_bank()
    ep = sample_episode(bank, 3, 2, 4, torch.Generator().manual_seed(0), crop=4)
    assert ep.support_x.shape == (6, 1, 4, 4) and ep.query_x.shape == (12, 1, 4, 4)
    assert ep.support_y.tolist() == [0, 0, 1, 1, 2, 2] and ep.n_way == 3
    ids_s = ep.support_x[:, 0, 0, 0].long()
    ids_q = ep.query_x[:, 0, 0, 0].long()
    assert not set(ids_s.tolist()) & set(ids_q.tolist())
    for label, name in enumerate(ep.classes):  # labels follow the class order
        c = int(name.removeprefix("class"))
        assert (ids_s[ep.support_y == label] // 100 == c).all() and (ids_q[ep.query_y == label] // 100 == c).all()


def test_episodes_are_reproducible_from_the_generator_seed() -> None:
    bank = numbered_bank()
    a = sample_episode(bank, 4, 1, 2, torch.Generator().manual_seed(5), 4, GLYPH_DISTORTION)
    b = sample_episode(bank, 4, 1, 2, torch.Generator().manual_seed(5), 4, GLYPH_DISTORTION)
    torch.testing.assert_close(a.query_x, b.query_x)
    assert a.classes == b.classes


def test_episode_errors_name_the_problem() -> None:
    bank = numbered_bank(n_classes=3, per_class=4)
    g = torch.Generator().manual_seed(0)
    with pytest.raises(ValueError, match="5-way"):
        sample_episode(bank, 5, 1, 1, g, 4)
    with pytest.raises(ValueError, match="has 4 images"):
        sample_episode(bank, 2, 2, 3, g, 4)


def test_split_is_disjoint_complete_and_seeded() -> None:
    bank = numbered_bank(n_classes=10)
    train, test = bank.split(0.7, seed=1)
    assert len(train) == 7 and len(test) == 3
    assert set(train.classes) | set(test.classes) == set(bank.classes)
    assert not set(train.classes) & set(test.classes)
    assert bank.split(0.7, seed=1)[1].classes == test.classes
    assert bank.by_name(("class3",)).classes == ("class3",)
    with pytest.raises(KeyError):
        bank.by_name(("nope",))


def test_augmentation_crops_flips_and_distorts() -> None:
    x = torch.zeros(2, 1, 8, 8)
    x[:, :, 3, 0:3] = 1.0
    centre = augment_images(x, 6, None, torch.Generator())
    torch.testing.assert_close(centre, x[:, :, 1:7, 1:7])
    g = torch.Generator().manual_seed(0)
    flipped = augment_images(x[:, :, 1:7, 1:7], 6, Augment(random_crop=False, flip=True), g)
    assert all(torch.equal(f, c) or torch.equal(f, c.flip(-1)) for f, c in zip(flipped, centre))
    distorted = augment_images(x, 6, Augment(max_rotation=30.0, scale=(0.8, 1.2), max_shift=1.0), g)
    assert distorted.shape == (2, 1, 6, 6) and distorted.min() >= 0.0 and distorted.max() <= 1.0 + 1e-6


def test_glyph_bank_renders_distinct_characters() -> None:
    if len(find_fonts()) < 16:
        pytest.skip("fewer than 16 fonts installed")
    bank = build_glyph_bank(GlyphConfig(max_classes=6))
    assert len(bank) == 6 and len(set(bank.classes)) == 6
    for imgs in bank.images:
        assert imgs.shape[0] >= 16 and imgs.shape[1:] == (1, 32, 32)
        assert 0.0 <= float(imgs.min()) and float(imgs.max()) <= 1.0 and float(imgs.mean()) > 0.0
    means = torch.stack([torch.nn.functional.normalize(i.mean(0).flatten(), dim=0) for i in bank.images])
    cos = means @ means.t() - 2 * torch.eye(6)
    assert float(cos.max()) <= 0.995  # homoglyphs were merged


def test_glyph_bank_explains_missing_fonts(tmp_path: Path) -> None:
    with pytest.raises(StudioError, match="font"):
        build_glyph_bank(GlyphConfig(font_dirs=(str(tmp_path),)))


def _write_paintings(root: Path, painters: dict[str, int]) -> None:
    from PIL import Image

    rng = np.random.default_rng(0)
    for name, n in painters.items():
        (root / name).mkdir(parents=True)
        for i in range(n):
            colour = rng.integers(0, 256, 3, dtype=np.uint8)
            Image.fromarray(np.broadcast_to(colour, (40, 60, 3)).copy()).save(root / name / f"{i}.jpg")


def test_painting_bank_loads_square_crops_and_caps_large_folders(tmp_path: Path) -> None:
    _write_paintings(tmp_path, {"a": 3, "b": 5})
    bank = build_painting_bank(PaintingConfig(root=str(tmp_path), size=16, stored=20, max_per_class=4))
    assert bank.classes == ("a", "b")
    assert [x.shape for x in bank.images] == [(3, 3, 20, 20), (4, 3, 20, 20)]
    assert build_painting_bank(PaintingConfig(root=str(tmp_path), stored=20), ("b",)).classes == ("b",)


def test_painting_bank_errors(tmp_path: Path) -> None:
    with pytest.raises(StudioError, match="missing"):
        build_painting_bank(PaintingConfig(root=str(tmp_path / "nope")))
    (tmp_path / "empty").mkdir()
    with pytest.raises(StudioError, match="no .jpg"):
        build_painting_bank(PaintingConfig(root=str(tmp_path)))
    (tmp_path / "empty" / "bad.jpg").write_bytes(b"not a jpeg at all")
    with pytest.raises(SampleLoadError, match="cannot read") as info:
        build_painting_bank(PaintingConfig(root=str(tmp_path)))
    assert info.value.path.endswith("bad.jpg")


def test_painting_input_matches_the_test_time_view_of_a_loaded_painting(tmp_path: Path) -> None:
    from PIL import Image

    from studio.meta.fewshot_data import painting_input

    _write_paintings(tmp_path, {"a": 1})
    cfg = PaintingConfig(root=str(tmp_path), size=16, stored=20)
    bank = build_painting_bank(cfg)
    with Image.open(tmp_path / "a" / "0.jpg") as im:
        x = painting_input(im, cfg)
    assert x.shape == (3, 16, 16)
    torch.testing.assert_close(x, augment_images(bank.images[0], 16, None, torch.Generator())[0])
