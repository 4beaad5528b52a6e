"""Tests for the artist split, evaluation tasks, loading and augmentation of paintings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.domains.painting import dataset
from studio.errors import SampleLoadError, StudioError


def write_artist(root: Path, artist: str, count: int, size: tuple[int, int] = (30, 40)) -> list[Path]:
    folder = root / artist
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        rgb = np.full(size + (3,), (i * 7) % 256, np.uint8)
        path = folder / f"{i:03d}.png"
        Image.fromarray(rgb).save(path)
        paths.append(path)
    (folder / "notes.txt").write_text("not an image")
    return paths


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_artist(tmp_path, "monet", 5)
    write_artist(tmp_path, "degas", 20)
    write_artist(tmp_path, "newcomer", 8)
    (tmp_path / "empty").mkdir()
    return tmp_path


def test_split_constants_are_disjoint_and_name_the_calibration_artists():
    assert not set(dataset.TRAIN_ARTISTS) & set(dataset.EVAL_ARTISTS)
    assert set(dataset.CALIBRATION_ARTISTS) <= set(dataset.EVAL_ARTISTS)


def test_list_and_split_artists(root):
    assert dataset.list_artists(root) == ["degas", "monet", "newcomer"]
    split = dataset.split_artists(root)
    assert split.train == ("monet",)
    assert split.held_out == ("degas", "newcomer")  # unknown styles are never trained on


def test_missing_root_and_artist_are_reported_with_the_path(tmp_path):
    with pytest.raises(StudioError) as info:
        dataset.list_artists(tmp_path / "nowhere")
    assert info.value.path == str(tmp_path / "nowhere")
    with pytest.raises(StudioError):
        dataset.artist_images(tmp_path, "nobody")


def test_artist_images_are_sorted_images_only(root):
    images = dataset.artist_images(root, "monet")
    assert [p.name for p in images] == [f"{i:03d}.png" for i in range(5)]


def test_eval_tasks_are_seeded_and_keep_samples_out_of_the_reference(root):
    tasks = dataset.eval_tasks(root, "degas", n_tasks=4, k=4, seed=0)
    again = dataset.eval_tasks(root, "degas", n_tasks=4, k=4, seed=0)
    other = dataset.eval_tasks(root, "degas", n_tasks=4, k=4, seed=1)
    assert tasks == again and tasks != other
    all_samples = [p for t in tasks for p in t.samples]
    assert len(set(all_samples)) == 16  # disjoint across tasks
    for task in tasks:
        assert len(task.samples) == 4 and len(task.reference) == 16
        assert not set(task.samples) & set(task.reference)
        assert set(task.samples) | set(task.reference) == set(dataset.artist_images(root, "degas"))


def test_eval_tasks_overlap_only_when_the_artist_has_too_few_works(root):
    tasks = dataset.eval_tasks(root, "newcomer", n_tasks=3, k=4, seed=0)
    assert len(tasks) == 3 and all(len(t.samples) == 4 for t in tasks)
    with pytest.raises(StudioError):
        dataset.eval_tasks(root, "monet", n_tasks=1, k=4)  # 5 works: no room for a reference
    with pytest.raises(ValueError):
        dataset.eval_tasks(root, "degas", k=0)


def test_load_rgb_downscales_and_optionally_upscales(tmp_path):
    path = tmp_path / "wide.png"
    Image.fromarray(np.zeros((50, 100, 3), np.uint8)).save(path)
    assert dataset.load_rgb(path, 40).shape == (20, 40, 3)
    assert dataset.load_rgb(path, 200).shape == (50, 100, 3)
    assert dataset.load_rgb(path, 200, upscale=True).shape == (100, 200, 3)
    with pytest.raises(SampleLoadError):
        dataset.load_rgb(tmp_path / "missing.png")


def test_augment_crops_and_flips_without_touching_colours():
    rgb = np.random.default_rng(0).integers(0, 256, (60, 80, 3), dtype=np.uint8)
    a = dataset.augment(rgb, np.random.default_rng(5), min_scale=0.5)
    b = dataset.augment(rgb, np.random.default_rng(5), min_scale=0.5)
    assert np.array_equal(a, b)
    assert 30 <= a.shape[0] <= 60 and 40 <= a.shape[1] <= 80
    assert set(map(tuple, a.reshape(-1, 3))) <= set(map(tuple, rgb.reshape(-1, 3)))
    assert max(dataset.augment(rgb, np.random.default_rng(1), long_side=32).shape[:2]) == 32
    with pytest.raises(ValueError):
        dataset.augment(rgb, np.random.default_rng(0), min_scale=0.0)


def test_training_sampler_uses_training_artists_only(root):
    sampler = dataset.TrainingTaskSampler(root, long_side=32, max_k=3)
    rng = np.random.default_rng(0)
    for _ in range(5):
        task = sampler.sample(rng)
        assert task.artist == "monet"
        assert 1 <= len(task.images) <= 3 and len(task.paths) == len(task.images)
        assert all(max(im.shape[:2]) == 32 for im in task.images)
    assert len(sampler.sample(rng, k=2).images) == 2
    with pytest.raises(ValueError):
        dataset.TrainingTaskSampler(root, artists=["degas"])


def test_training_sampler_needs_a_training_artist(tmp_path):
    write_artist(tmp_path, "degas", 6)
    with pytest.raises(StudioError):
        dataset.TrainingTaskSampler(tmp_path)


def test_real_paintings_smoke():
    root = dataset.default_root()
    if not (root / "degas").is_dir():
        pytest.skip("the shared paintings folder is not present")
    paths = dataset.artist_images(root, "degas")[:2]
    images = dataset.load_many(paths, 256)
    assert all(im.dtype == np.uint8 and max(im.shape[:2]) == 256 for im in images)
    from studio.domains.painting import metrics

    assert metrics.copy_score(images[:1], images[:1], per_image=16) == 1.0


def test_prepare_training_folder_copies_small_files_resizes_large_ones_and_skips_the_test_split(tmp_path):
    src = tmp_path / "src"
    small = write_artist(src, "monet", 2)
    big = src / "cezanne"
    big.mkdir()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 600, 3), dtype=np.uint8)).save(big / "wide.png")
    Image.fromarray(np.zeros((40, 40, 3), np.uint8)).save(src / "monet" / "test_9.png")
    write_artist(src, "degas", 3)  # held out: never copied
    counts = dataset.prepare_training_folder(src, tmp_path / "out", long_side=256, skip_prefixes=["test_"])
    assert counts == {"monet": 2, "cezanne": 1}
    assert (tmp_path / "out" / "monet" / small[0].name).read_bytes() == small[0].read_bytes()
    assert not (tmp_path / "out" / "monet" / "test_9.png").exists() and not (tmp_path / "out" / "degas").exists()
    with Image.open(tmp_path / "out" / "cezanne" / "wide.jpg") as resized:
        assert resized.size == (256, 128)


def test_prepare_paintings_command(tmp_path, capsys):
    from studio.cli import main

    write_artist(tmp_path / "src", "gauguin", 3)
    assert main(["prepare-paintings", "--data", str(tmp_path / "src"), "--out", str(tmp_path / "out")]) == 0
    assert "gauguin: 3 paintings" in capsys.readouterr().out
    assert len(list((tmp_path / "out" / "gauguin").glob("*.png"))) == 3


def test_prepare_training_folder_names_an_unreadable_file(tmp_path):
    write_artist(tmp_path / "src", "monet", 1)
    (tmp_path / "src" / "monet" / "broken.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(SampleLoadError) as error:
        dataset.prepare_training_folder(tmp_path / "src", tmp_path / "out")
    assert error.value.path.endswith("broken.jpg")
