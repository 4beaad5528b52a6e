"""A shipped library of coarse composition layouts, so new paintings are not the samples cut up.

Issue 19, point 5: layouts made only from crops of the user's samples give paintings whose
32-px composition is a crop of a sample (58 % of a gallery; :mod:`.crop_match`). The library
holds :data:`LAYOUT_SIDE`-px colour layouts (long side, aspect kept) of public-domain paintings
by the *meta-training* artists only (:data:`~.dataset.TRAIN_ARTISTS`: monet, ukiyo_e, cezanne,
gauguin; never a held-out painter's), built by::

    python -m studio.domains.painting.library --data ../shared/data/paintings --out assets/layouts/layouts.npz

(:func:`build_library`: a seeded draw of :data:`PER_ARTIST` works per artist, see
``assets/layouts/README.md``). At 32 px a layout is only masses and light: no brushwork, no
detail of the source survives.

:class:`LayoutChooser` picks layouts that suit a set of samples: every library layout is scored
by its best 16-px luminance correlation with a crop of any sample (the composition measure at
a coarser size); layouts above :data:`NOVEL_MAX` are dropped (they would repeat a sample's
composition), and works draw from the :data:`SUITED_SHARE` best-scoring of the rest, so a set of
portraits gets figure-like masses, a set of landscapes horizons. The chosen layout is cropped
to the work's aspect ratio (and mirrored at random), then laid out like a guide (:mod:`.guided`:
the samples' tones and colours, a closeness-set kept side, the samples' strokes above it) and
painted with half the network's invented texture and without pinning (``bench compositions``:
both keep the painter's finer levels closer). By default 85 % of an unguided gallery comes from
here (``PaintingParams.library_share``), the rest from crops of the samples.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from studio.domains.painting import layout as L
from studio.domains.painting.crop_match import crop_correlations

LAYOUT_SIDE = 32  # px of a layout's long side
PER_ARTIST = {"monet": 160, "ukiyo_e": 160, "cezanne": 30, "gauguin": 30}
NOVEL_MAX = 0.6  # 16-px correlation with a sample crop above which a layout is not used for those samples
SUITED_SHARE = 0.25  # works draw from this best-suited share of the novel layouts
MIN_SUITED = 8  # ... but from at least this many
MIN_CROP_AREA = 0.6  # a layout is cropped to the work's aspect keeping at least this share of its area
LIBRARY_FILE = "layouts.npz"


def default_path() -> Path:
    """``assets/layouts/layouts.npz`` of the checkout, an installed wheel or the bundle."""
    from studio.model_registry import shipped_dir

    return shipped_dir("assets") / "layouts" / LIBRARY_FILE


@dataclass(frozen=True)
class LayoutLibrary:
    """``N`` layouts: ``pixels`` ``N x S x S x 3`` uint8 (each in its top-left ``sizes[i]`` corner),
    ``sizes`` ``N x 2`` (height, width), ``sources`` ``artist/file`` names."""

    pixels: np.ndarray
    sizes: np.ndarray
    sources: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.sizes)

    def layout(self, index: int) -> np.ndarray:
        """Layout ``index`` as an ``h x w x 3`` uint8 picture."""
        h, w = (int(v) for v in self.sizes[index])
        return self.pixels[index, :h, :w]

    def save(self, path: str | Path) -> None:
        np.savez_compressed(path, pixels=self.pixels, sizes=self.sizes, sources=np.array(self.sources))

    @classmethod
    def load(cls, path: str | Path) -> LayoutLibrary:
        """Raises ValueError for a file that is not a layout library."""
        try:
            with np.load(path, allow_pickle=False) as data:
                pixels, sizes, sources = data["pixels"], data["sizes"], data["sources"]
        except (OSError, KeyError, ValueError) as error:
            raise ValueError(f"{path}: not a layout library ({error})") from error
        if pixels.dtype != np.uint8 or pixels.ndim != 4 or pixels.shape[3] != 3 or sizes.shape != (len(pixels), 2) \
                or len(sources) != len(pixels) or len(pixels) == 0:
            raise ValueError(f"{path}: not a layout library (shapes {pixels.shape}, {sizes.shape})")
        if (sizes < 2).any() or (sizes > pixels.shape[1]).any():
            raise ValueError(f"{path}: a layout's size does not fit its array")
        return cls(pixels, sizes.astype(np.int64), tuple(str(s) for s in sources))


_CACHE: dict[str, LayoutLibrary | None] = {}
_LOCK = threading.Lock()


def shipped_library() -> LayoutLibrary | None:
    """The shipped library (loaded once), or None when the file is missing or unreadable (the
    generator then recomposes the samples, as before the library existed)."""
    path = default_path()
    with _LOCK:
        if str(path) not in _CACHE:
            try:
                _CACHE[str(path)] = LayoutLibrary.load(path) if path.is_file() else None
            except ValueError:
                _CACHE[str(path)] = None
        return _CACHE[str(path)]


def small_layout(rgb: np.ndarray, side: int = LAYOUT_SIDE) -> np.ndarray:
    """``rgb`` (``HxWx3`` uint8) reduced to ``side`` px on its long side (area-averaged)."""
    h, w = rgb.shape[:2]
    scale = side / max(h, w)
    size = (max(2, round(h * scale)), max(2, round(w * scale)))
    return L.to_rgb(L.resize(L.to_tensor(rgb), size))


def build_library(root: str | Path, per_artist: dict[str, int] | None = None, seed: int = 0,
                  side: int = LAYOUT_SIDE) -> LayoutLibrary:
    """Layouts of a seeded draw of each training artist's paintings under ``root``. Raises
    ValueError for a held-out artist (their works are the benchmarks' test material)."""
    from studio.domains.painting.dataset import TRAIN_ARTISTS, artist_images, load_rgb

    per_artist = dict(PER_ARTIST if per_artist is None else per_artist)
    leaked = sorted(set(per_artist) - set(TRAIN_ARTISTS))
    if leaked:
        raise ValueError(f"layouts may come only from the training artists ({', '.join(TRAIN_ARTISTS)}), "
                         f"not {', '.join(leaked)}")
    rng = np.random.default_rng(seed)
    pixels, sizes, sources = [], [], []
    for artist, count in per_artist.items():
        paths = artist_images(root, artist)
        for i in sorted(rng.permutation(len(paths))[:count]):
            small = small_layout(load_rgb(paths[int(i)], 256), side)
            canvas = np.zeros((side, side, 3), np.uint8)
            canvas[:small.shape[0], :small.shape[1]] = small
            pixels.append(canvas)
            sizes.append(small.shape[:2])
            sources.append(f"{artist}/{paths[int(i)].name}")
    return LayoutLibrary(np.stack(pixels), np.array(sizes, np.int64), tuple(sources))


class LayoutChooser:
    """The library's layouts that suit ``samples`` (``HxWx3`` uint8 at any size): novel ones (16-px
    crop correlation with the samples at most :data:`NOVEL_MAX`), the most similar of those first."""

    def __init__(self, library: LayoutLibrary, samples: Sequence[np.ndarray]) -> None:
        self.library = library
        layouts = [library.layout(i) for i in range(len(library))]
        small = [small_layout(np.asarray(s), 64) for s in samples]
        scores = crop_correlations(layouts, small, side=16, scales=3, positions=4)
        self.scores = scores
        novel = np.flatnonzero(scores <= NOVEL_MAX)
        if len(novel) == 0:
            novel = np.argsort(scores)[:MIN_SUITED]
        ranked = novel[np.argsort(-scores[novel], kind="stable")]
        keep = max(MIN_SUITED, int(round(len(ranked) * SUITED_SHARE)))
        self.candidates = ranked[:keep]

    def choose(self, rng: np.random.Generator) -> int:
        return int(self.candidates[int(rng.integers(len(self.candidates)))])

    def layout(self, size: tuple[int, int], rng: np.random.Generator) -> tuple[torch.Tensor, str]:
        """A chosen layout cropped to the aspect of ``size = (h, w)``, enlarged to it, and its source."""
        index = self.choose(rng)
        image = L.to_tensor(self.library.layout(index))
        crop = L._crop(image, size[1] / size[0], rng, MIN_CROP_AREA)
        return L.resize(crop, size), self.library.sources[index]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studio.domains.painting.library",
                                     description="Build the shipped library of 32-px composition layouts "
                                                 "from the meta-training artists' paintings.")
    parser.add_argument("--data", type=Path, default=None, help="folder of one image folder per artist "
                                                                 "(default ../shared/data/paintings)")
    parser.add_argument("--out", type=Path, default=None, help="output .npz (default assets/layouts/layouts.npz)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from studio.domains.painting.dataset import default_root

    library = build_library(args.data or default_root(), seed=args.seed)
    out = args.out or default_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    library.save(out)
    print(f"wrote {len(library)} layouts to {out} ({out.stat().st_size / 1024:.0f} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
