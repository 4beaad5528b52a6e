"""The artist split, and loading and augmenting paintings for meta-training and evaluation.

This module is the single source of truth for which artists the project may learn from:

* :data:`TRAIN_ARTISTS` = monet, ukiyo_e, cezanne, gauguin: meta-training only;
* :data:`EVAL_ARTISTS` = degas, renoir, sargent: held out, used only by benchmarks. degas and
  renoir are the issue's calibration artists; sargent is a third held-out painter for checks
  that must not be tuned on the calibration pair.

Any other folder found under the data root (a style added later) counts as held out: it is
never meta-trained on unless it is added to :data:`TRAIN_ARTISTS` here. Meta-training and
evaluation code must call :func:`split_artists` rather than name artists themselves.

The data root (default :func:`default_root`, ``../shared/data/paintings`` from the repository
root) holds one folder of images per artist. Nothing here runs unless a training or benchmark
command calls it with that folder: the shipped app never reads it.

:func:`eval_tasks` draws, for one held-out artist, ``n`` tasks of ``k`` samples (the "user's"
paintings) whose reference is the artist's OTHER paintings; tasks use disjoint samples when
the artist has enough works. Everything is seeded and independent of file-system order.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from studio.core.atomic import atomic_write, atomic_write_with
from studio.errors import SampleLoadError, StudioError
from studio.io.images import IMAGE_EXTENSIONS, load_image_sample

TRAIN_ARTISTS: tuple[str, ...] = ("monet", "ukiyo_e", "cezanne", "gauguin")
EVAL_ARTISTS: tuple[str, ...] = ("degas", "renoir", "sargent")
CALIBRATION_ARTISTS: tuple[str, ...] = ("degas", "renoir")
DEFAULT_LONG_SIDE = 256


@dataclass(frozen=True)
class ArtistSplit:
    """Artists found under a data root, divided into meta-training and held-out ones."""

    train: tuple[str, ...]
    held_out: tuple[str, ...]


@dataclass(frozen=True)
class EvalTask:
    """One evaluation task: ``samples`` given to the generator, ``reference`` to score against."""

    artist: str
    index: int
    samples: tuple[Path, ...]
    reference: tuple[Path, ...]


def default_root() -> Path:
    """``../shared/data/paintings`` relative to the repository root (it may not exist)."""
    return Path(__file__).resolve().parents[3].parent / "shared" / "data" / "paintings"


def _is_image(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in IMAGE_EXTENSIONS and not path.name.startswith(".")


def _root(root: str | Path) -> Path:
    path = Path(root)
    if not path.is_dir():
        raise StudioError("the paintings folder does not exist; pass the folder that holds one "
                          "sub-folder of images per artist (e.g. ../shared/data/paintings).", str(path))
    return path


def list_artists(root: str | Path) -> list[str]:
    """Sorted names of the sub-folders of ``root`` that hold at least one image.

    Raises :class:`StudioError` when ``root`` is not a folder.
    """
    base = _root(root)
    return sorted(d.name for d in base.iterdir() if d.is_dir() and any(_is_image(p) for p in d.iterdir()))


def split_artists(root: str | Path) -> ArtistSplit:
    """The artists present under ``root``: :data:`TRAIN_ARTISTS` ones, and all the others."""
    present = list_artists(root)
    return ArtistSplit(train=tuple(a for a in present if a in TRAIN_ARTISTS),
                       held_out=tuple(a for a in present if a not in TRAIN_ARTISTS))


def artist_images(root: str | Path, artist: str) -> list[Path]:
    """The artist's image files, sorted by name.

    Raises :class:`StudioError` when the artist's folder is missing or holds no image.
    """
    folder = _root(root) / artist
    images = sorted(p for p in folder.iterdir() if _is_image(p)) if folder.is_dir() else []
    if not images:
        raise StudioError(f"no paintings for artist {artist!r}: the folder is missing or holds no "
                          f"image ({', '.join(sorted(set(IMAGE_EXTENSIONS)))}).", str(folder))
    return images


def load_rgb(path: str | Path, long_side: int = DEFAULT_LONG_SIDE, *, upscale: bool = False) -> np.ndarray:
    """Decode an image file to ``HxWx3`` uint8 with its long side at most ``long_side``.

    Decoding is :func:`studio.io.images.load_image_sample`'s (EXIF orientation, any mode to
    RGB, Lanczos downscale). With ``upscale`` a smaller image is enlarged to ``long_side``.
    Raises :class:`~studio.errors.SampleLoadError` for an unreadable file.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SampleLoadError(f"the file cannot be read ({error.strerror or error}).", str(path)) from error
    rgb = load_image_sample(str(path), data, max_side=long_side).image
    h, w = rgb.shape[:2]
    if upscale and max(h, w) < long_side:
        scale = long_side / max(h, w)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        rgb = np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.LANCZOS), dtype=np.uint8).copy()
    return rgb


def load_many(paths: Sequence[str | Path], long_side: int = DEFAULT_LONG_SIDE) -> list[np.ndarray]:
    """:func:`load_rgb` for each path, in order."""
    return [load_rgb(p, long_side) for p in paths]


def _artist_rng(seed: int, artist: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(artist.encode("utf-8"))])


def eval_tasks(root: str | Path, artist: str, n_tasks: int = 4, k: int = 4, seed: int = 0) -> list[EvalTask]:
    """``n_tasks`` seeded tasks for ``artist``: ``k`` samples each, the artist's others as reference.

    Samples of different tasks are disjoint when the artist has at least ``n_tasks * k``
    paintings; otherwise each task draws its own ``k``. Raises ``ValueError`` for ``k < 1`` or
    ``n_tasks < 1``, and :class:`StudioError` when the artist has fewer than ``k + 2`` works.
    """
    if k < 1 or n_tasks < 1:
        raise ValueError(f"k and n_tasks must be at least 1, got k={k}, n_tasks={n_tasks}")
    images = artist_images(root, artist)
    if len(images) < k + 2:
        raise StudioError(f"artist {artist!r} has {len(images)} paintings; a task of {k} samples "
                          f"needs at least {k + 2} (two or more as reference).", str(Path(root) / artist))
    rng = _artist_rng(seed, artist)
    order = rng.permutation(len(images))
    tasks = []
    for t in range(n_tasks):
        if n_tasks * k <= len(images):
            chosen = order[t * k:(t + 1) * k]
        else:
            chosen = rng.choice(len(images), size=k, replace=False)
        picked = {int(i) for i in chosen}
        tasks.append(EvalTask(artist=artist, index=t,
                              samples=tuple(images[int(i)] for i in chosen),
                              reference=tuple(p for i, p in enumerate(images) if i not in picked)))
    return tasks


# --- augmentation and training tasks ---------------------------------------------------------


def augment(rgb: np.ndarray, rng: np.random.Generator, *, min_scale: float = 0.6, flip: bool = True,
            long_side: int | None = None) -> np.ndarray:
    """A style-preserving variant of ``rgb``: a random crop and a random horizontal flip.

    The crop keeps a fraction in ``[min_scale, 1]`` of each side (so the aspect ratio varies
    a little); colours are never changed, since the palette is part of the style. With
    ``long_side`` the result is resized to that long side, which also changes the scale of
    the brushwork by up to ``1 / min_scale``.
    """
    if not 0.0 < min_scale <= 1.0:
        raise ValueError(f"min_scale must be in (0, 1], got {min_scale}")
    h, w = rgb.shape[:2]
    ch = max(1, round(h * rng.uniform(min_scale, 1.0)))
    cw = max(1, round(w * rng.uniform(min_scale, 1.0)))
    y = int(rng.integers(0, h - ch + 1))
    x = int(rng.integers(0, w - cw + 1))
    out = rgb[y:y + ch, x:x + cw]
    if flip and rng.random() < 0.5:
        out = out[:, ::-1]
    if long_side is not None and max(ch, cw) != long_side:
        scale = long_side / max(ch, cw)
        size = (max(1, round(cw * scale)), max(1, round(ch * scale)))
        out = np.asarray(Image.fromarray(np.ascontiguousarray(out)).resize(size, Image.Resampling.LANCZOS))
    return np.array(out, dtype=np.uint8, order="C", copy=True)


@dataclass(frozen=True)
class TrainingTask:
    """A meta-training task: a few augmented paintings of one training artist."""

    artist: str
    images: tuple[np.ndarray, ...]
    paths: tuple[Path, ...]


class TrainingTaskSampler:
    """Draws meta-training tasks (single paintings and small same-artist sets) from the
    :data:`TRAIN_ARTISTS` under ``root``; every artist is equally likely whatever its size.

    Decoded images are cached per path (about 200 KB each at 256 px), so a long run decodes
    each file once. Raises :class:`StudioError` when no training artist is present.
    """

    def __init__(self, root: str | Path, *, long_side: int = DEFAULT_LONG_SIDE, max_k: int = 8,
                 min_scale: float = 0.6, artists: Sequence[str] | None = None) -> None:
        chosen = tuple(artists) if artists is not None else split_artists(root).train
        leaked = sorted(set(chosen) - set(TRAIN_ARTISTS))
        if leaked:
            raise ValueError(f"held-out artists must not be meta-trained on: {', '.join(leaked)}")
        if not chosen:
            raise StudioError(f"none of the training artists ({', '.join(TRAIN_ARTISTS)}) is in the "
                              "paintings folder.", str(root))
        self.artists = chosen
        self.images = {a: artist_images(root, a) for a in chosen}
        self.long_side, self.max_k, self.min_scale = long_side, max_k, min_scale
        self._cache: dict[Path, np.ndarray] = {}

    def _load(self, path: Path) -> np.ndarray:
        if path not in self._cache:
            self._cache[path] = load_rgb(path, self.long_side)
        return self._cache[path]

    def sample(self, rng: np.random.Generator, k: int | None = None) -> TrainingTask:
        """One task: an artist, ``k`` (default: uniform in 1..max_k) of their paintings, augmented."""
        artist = self.artists[int(rng.integers(len(self.artists)))]
        pool = self.images[artist]
        count = int(rng.integers(1, self.max_k + 1)) if k is None else k
        count = max(1, min(count, len(pool)))
        picked = [pool[int(i)] for i in rng.choice(len(pool), size=count, replace=False)]
        images = tuple(augment(self._load(p), rng, min_scale=self.min_scale, long_side=self.long_side)
                       for p in picked)
        return TrainingTask(artist=artist, images=images, paths=tuple(picked))


# --- a compact copy of the training data ---------------------------------------------------------


def prepare_training_folder(root: str | Path, out: str | Path, *, long_side: int = DEFAULT_LONG_SIDE,
                            skip_prefixes: Sequence[str] = ()) -> dict[str, int]:
    """Copy the training artists' paintings under ``root`` to ``out`` at the working resolution.

    A file whose long side is already at most ``long_side`` is copied byte for byte (so the
    trainer decodes exactly what it would from ``root``); a larger one is written as the
    ``long_side`` image :func:`load_rgb` decodes, as a quality-95 JPEG. Files whose names start
    with one of ``skip_prefixes`` (``test_``: the CycleGAN test split of monet and ukiyo_e) are
    left out, which keeps them unseen for validation and the copy small enough to travel to a
    GPU machine. Held-out artists are never copied. Returns the number of files per artist.
    """
    target = Path(out)
    counts: dict[str, int] = {}
    for artist in split_artists(root).train:
        folder = target / artist
        folder.mkdir(parents=True, exist_ok=True)
        counts[artist] = 0
        for path in artist_images(root, artist):
            if any(path.name.startswith(prefix) for prefix in skip_prefixes):
                continue
            try:
                with Image.open(path) as probe:
                    small = max(probe.size) <= long_side
            except (OSError, ValueError) as error:
                raise SampleLoadError(f"the image cannot be read ({error}).", str(path)) from error
            if small:
                atomic_write(folder / path.name, path.read_bytes())
            else:
                image = Image.fromarray(load_rgb(path, long_side))
                jpeg = folder / (path.stem + ".jpg")
                atomic_write_with(jpeg, lambda f, im=image: im.save(f, format="JPEG", quality=95))
            counts[artist] += 1
    return counts


def add_prepare_arguments(parser) -> None:
    """Options of ``python main.py prepare-paintings``."""
    parser.add_argument("--data", default=None, metavar="DIR",
                        help="paintings folder, one sub-folder per artist (default ../shared/data/paintings)")
    parser.add_argument("--out", required=True, metavar="DIR", help="where the copy goes (e.g. data/paintings-256)")
    parser.add_argument("--long-side", type=int, default=DEFAULT_LONG_SIDE, help="working resolution (px)")
    parser.add_argument("--skip-prefix", nargs="*", default=["test_"], metavar="PREFIX",
                        help="leave out files whose names start so (default: test_, the CycleGAN test split)")


def run_prepare(args) -> int:
    """``python main.py prepare-paintings``: write the compact training copy, print what it holds."""
    root = Path(args.data) if args.data else default_root()
    counts = prepare_training_folder(root, args.out, long_side=args.long_side, skip_prefixes=args.skip_prefix)
    for artist, n in counts.items():
        print(f"{artist}: {n} paintings")
    print(f"wrote {Path(args.out)}; train with: python main.py train-painting --data {args.out}")
    return 0
