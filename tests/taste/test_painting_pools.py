"""Painting pools: built from two tiny synthetic painters with the shipped generator, read back,
resumed, and bad input reported instead of crashing."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.progress import RecordingProgress
from studio.taste import settings as S
from studio.taste.painting_features import SPEC
from studio.taste.painting_pools import add_pool_arguments, build_painting_pools, plan_pools
from studio.taste.pools import list_pools, load_pool

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def painter(folder: Path, name: str, count: int, tint: tuple[int, int, int], seed: int) -> None:
    """``count`` small smooth pictures of one tint (a "painter")."""
    rng = np.random.default_rng(seed)
    (folder / name).mkdir(parents=True)
    for i in range(count):
        coarse = rng.integers(0, 120, (4, 5, 3)) + np.array(tint)
        image = np.kron(coarse, np.ones((12, 12, 1))).clip(0, 255).astype(np.uint8)  # 48x60
        Image.fromarray(image).save(folder / name / f"{i:02d}.png")


def args_for(data: Path, root: Path, *extra: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_pool_arguments(parser)
    return parser.parse_args(["--painting-data", str(data), "--painting-root", str(root), "--painting-sets", "1",
                              "--painting-drafts", "2", "--painting-train-size", "64",
                              "--painting-heldout-size", "64", *extra])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "paintings"
    painter(folder, "monet", 7, (120, 100, 60), 0)  # a training painter by name (dataset.TRAIN_ARTISTS)
    painter(folder, "newcomer", 6, (40, 80, 130), 1)  # any other folder is held out
    return folder


def test_build_two_painters_and_read_them_back(data: Path, tmp_path: Path) -> None:
    root = tmp_path / "taste"
    progress = RecordingProgress()
    assert build_painting_pools(args_for(data, root), progress) == 0
    pools = {p.collection: p for p in list_pools(root, "painting")}
    assert set(pools) == {"painting:monet#0", "painting:newcomer#0"}
    assert pools["painting:monet#0"].split == "train" and pools["painting:newcomer#0"].split == "heldout"
    for pool in pools.values():
        genuine = int(pool.genuine.sum())
        assert genuine in (6, 7) and len(pool) == genuine + 2
        assert pool.interp.shape == (len(pool), SPEC.size) and pool.raw.shape == (len(pool), SPEC.raw_size)
        assert np.isfinite(pool.interp).all() and np.isfinite(pool.raw).all()
        assert int(pool.sample.sum()) == 4 and not pool.sample[~pool.genuine].any()
        assert np.isnan(pool.settings[pool.genuine]).all()
        drafts = pool.settings[~pool.genuine]
        assert drafts.shape == (2, len(S.PAINTING_SETTINGS)) and (np.abs(drafts) <= 1.0001).all()
        assert (pool.seeds[pool.genuine] == -1).all() and (pool.seeds[~pool.genuine] >= 0).all()
        for row in range(len(pool)):
            path = pool.file(row)
            assert path is not None and path.is_file()
        with Image.open(pool.file(len(pool) - 1)) as im:  # a draft at the asked size, its seed in the PNG
            assert max(im.size) == 64 and int(im.text["seed"]) == int(pool.seeds[-1])
    assert progress.fractions and progress.fractions[-1] == pytest.approx(1.0)


def test_second_run_skips_built_pools_and_rebuild_is_deterministic(data: Path, tmp_path: Path) -> None:
    root = tmp_path / "taste"
    args = args_for(data, root, "--painting-artists", "newcomer")
    assert build_painting_pools(args, RecordingProgress()) == 0
    first = load_pool(next((root / "painting").iterdir()))
    progress = RecordingProgress()
    assert build_painting_pools(args, progress) == 0 and not progress.fractions  # nothing left to do
    rebuilt = args_for(data, root, "--painting-artists", "newcomer", "--painting-rebuild")
    assert build_painting_pools(rebuilt, RecordingProgress()) == 0
    second = load_pool(next((root / "painting").iterdir()))
    assert np.array_equal(first.seeds, second.seeds) and np.allclose(first.interp, second.interp)


def test_unreadable_painting_is_left_out_by_name(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = data / "newcomer" / "zz_broken.png"
    broken.write_bytes(b"not a png at all")
    args = args_for(data, tmp_path / "taste", "--painting-artists", "newcomer", "--painting-drafts", "1")
    plans = plan_pools(data, args)
    assert broken in plans[0].genuine and broken not in plans[0].samples
    assert build_painting_pools(args, RecordingProgress()) == 0
    assert "zz_broken.png" in capsys.readouterr().err
    pool = list_pools(tmp_path / "taste", "painting")[0]
    assert int(pool.genuine.sum()) == 6 and str(broken) not in pool.files


def test_bad_data_folder_and_unknown_painter_exit_2(data: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert build_painting_pools(args_for(tmp_path / "nowhere", tmp_path / "taste"), RecordingProgress()) == 2
    assert "nowhere" in capsys.readouterr().err
    args = args_for(data, tmp_path / "taste", "--painting-artists", "rembrandt")
    assert build_painting_pools(args, RecordingProgress()) == 2
    assert "rembrandt" in capsys.readouterr().err
    for option in ("--painting-drafts", "--painting-sets", "--painting-train-size"):
        assert build_painting_pools(args_for(data, tmp_path / "taste", option, "0"), RecordingProgress()) == 2
        assert option in capsys.readouterr().err
    assert not (tmp_path / "taste").exists()


def test_prepare_taste_options_select_pools(data: Path, tmp_path: Path) -> None:
    """``prepare-taste``'s shared --split / --collections / --limit pick painting pools too."""
    args = args_for(data, tmp_path / "taste", "--painting-drafts", "1")
    args.split, args.collections, args.limit = "heldout", None, None
    assert build_painting_pools(args, RecordingProgress()) == 0
    assert [p.collection for p in list_pools(tmp_path / "taste", "painting")] == ["painting:newcomer#0"]
    args.split, args.collections = "all", ["monet"]
    assert build_painting_pools(args, RecordingProgress()) == 0
    assert len(list_pools(tmp_path / "taste", "painting", split="train")) == 1


def test_pool_claimed_by_a_live_process_is_left_to_it(data: Path, tmp_path: Path) -> None:
    """Two builders on one root share the pools: a pool another live process is building is skipped,
    a claim left behind by a process that is gone is taken over."""
    import os

    root = tmp_path / "taste"
    folder = root / "painting" / "painting_newcomer_0"
    folder.mkdir(parents=True)
    (folder / ".building").write_text(str(os.getppid()))  # a live process that is not this one
    args = args_for(data, root, "--painting-artists", "newcomer", "--painting-drafts", "1")
    assert build_painting_pools(args, RecordingProgress()) == 0
    assert not (folder / "index.npz").exists()
    (folder / ".building").write_text("999999999")  # no such process
    assert build_painting_pools(args, RecordingProgress()) == 0
    assert (folder / "index.npz").is_file() and not (folder / ".building").exists()


def test_more_drafts_extend_a_built_pool_keeping_its_rows(data: Path, tmp_path: Path) -> None:
    root = tmp_path / "taste"
    assert build_painting_pools(args_for(data, root, "--painting-artists", "newcomer", "--painting-drafts", "1"),
                                RecordingProgress()) == 0
    before = list_pools(root, "painting")[0]
    assert build_painting_pools(args_for(data, root, "--painting-artists", "newcomer", "--painting-drafts", "3"),
                                RecordingProgress()) == 0
    after = list_pools(root, "painting")[0]
    n = len(before)
    assert len(after) == n + 2 and int((~after.genuine).sum()) == 3
    assert np.array_equal(after.interp[:n], before.interp[:n]) and after.files[:n] == before.files[:n]
    assert np.array_equal(after.sample[:n], before.sample) and not after.sample[n:].any()
    assert (after.seeds[n:] >= 0).all() and np.isfinite(after.settings[n:]).all()
    assert all(after.file(row).is_file() for row in range(len(after)))  # type: ignore[union-attr]
    assert len(set(after.files)) == len(after)
