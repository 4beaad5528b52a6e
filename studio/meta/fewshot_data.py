"""Offline few-shot classification tasks: glyphs rendered from the machine's fonts, and painters.

Role: the data side of the metric-learning benchmark (``python main.py bench fewshot``).

* **Glyphs** (the main benchmark, Omniglot-like): every Unicode character that at least
  ``min_fonts`` installed fonts draw is a class; its instances are its renderings in those
  fonts. Characters that look the same (Latin "A", Greek "Alpha", Cyrillic "A") are merged by
  keeping only the first of any pair whose mean renderings (averaged over fonts) have a cosine
  similarity above ``dedup_cosine``; accented variants ("e" and "e-dot-below", about 0.98)
  stay distinct classes, homoglyphs (0.999 and above) merge. Classes are split
  into disjoint meta-train and meta-test sets, so test episodes ask about characters the
  embedding never saw.
* **Painters** (secondary, honest caveats in the benchmark): one class per painter folder of
  ``/work/shared/data/paintings``; meta-train on some painters, test on the others. With
  seven painters there are only a handful of possible test classes, so test episodes differ
  in their images, not in their class sets.

Images are stored a little larger than the network input and cropped at episode time
(randomly when augmenting, centrally otherwise). A glyph instance is a font *and* a random
distortion (:data:`GLYPH_DISTORTION`: rotation, zoom, shift), at test time too: without it
every font is so close to the others that pixel nearest-neighbour is already near-perfect.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from studio.errors import SampleLoadError, StudioError

# Scripts and symbol blocks with distinct shapes; coverage decides what survives per machine.
GLYPH_RANGES: tuple[tuple[int, int], ...] = (
    (0x21, 0x7F), (0xA1, 0x250), (0x370, 0x400), (0x400, 0x530), (0x531, 0x590),
    (0x5D0, 0x5EB), (0x10A0, 0x1100), (0x1E00, 0x1F00), (0x2190, 0x2300), (0x2500, 0x2800),
    (0x2800, 0x2900),
)
FONT_DIRS: tuple[str, ...] = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts",
                              "~/.local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")
PAINTINGS_DIR = "/work/shared/data/paintings"


@dataclass(frozen=True)
class ImageBank:
    """Images grouped by class: ``images[i]`` is ``(n_i, C, H, W)`` float in [0, 1]."""

    classes: tuple[str, ...]
    images: tuple[Tensor, ...]

    def __post_init__(self) -> None:
        if len(self.classes) != len(self.images):
            raise ValueError("one image tensor per class is required")

    def __len__(self) -> int:
        return len(self.classes)

    def subset(self, indices: list[int]) -> ImageBank:
        return ImageBank(tuple(self.classes[i] for i in indices), tuple(self.images[i] for i in indices))

    def split(self, train_fraction: float, seed: int = 0) -> tuple[ImageBank, ImageBank]:
        """Disjoint (train, test) banks over a seeded random permutation of the classes."""
        order = torch.randperm(len(self), generator=torch.Generator().manual_seed(seed)).tolist()
        cut = int(round(train_fraction * len(self)))
        return self.subset(sorted(order[:cut])), self.subset(sorted(order[cut:]))

    def by_name(self, names: tuple[str, ...]) -> ImageBank:
        missing = [n for n in names if n not in self.classes]
        if missing:
            raise KeyError(f"classes not in the bank: {missing}")
        return self.subset([self.classes.index(n) for n in names])


@dataclass(frozen=True)
class Episode:
    """One N-way K-shot task: labels are 0..n_way-1 in the order of ``classes``."""

    support_x: Tensor
    support_y: Tensor
    query_x: Tensor
    query_y: Tensor
    classes: tuple[str, ...]

    @property
    def n_way(self) -> int:
        return len(self.classes)


@dataclass(frozen=True)
class Augment:
    """Random distortions applied per image when an episode is drawn."""

    random_crop: bool = True  # random crop offsets (else centre crop)
    flip: bool = False  # random horizontal mirror
    max_rotation: float = 0.0  # degrees, uniform in +-
    scale: tuple[float, float] = (1.0, 1.0)  # uniform zoom range
    max_shift: float = 0.0  # pixels, uniform in +- (after cropping), zero fill


GLYPH_DISTORTION = Augment(random_crop=False, max_rotation=15.0, scale=(0.8, 1.15), max_shift=3.0)
PAINTING_AUGMENT = Augment(flip=True)


def _crop(x: Tensor, size: int, generator: torch.Generator | None) -> Tensor:
    n, _, h, w = x.shape
    if generator is None:
        top, left = (h - size) // 2, (w - size) // 2
        return x[:, :, top:top + size, left:left + size]
    tops = torch.randint(0, h - size + 1, (n,), generator=generator).tolist()
    lefts = torch.randint(0, w - size + 1, (n,), generator=generator).tolist()
    return torch.stack([x[i, :, t:t + size, l:l + size] for i, (t, l) in enumerate(zip(tops, lefts))])


def augment_images(x: Tensor, size: int, augment: Augment | None, generator: torch.Generator) -> Tensor:
    """Crop ``(N, C, H, W)`` images to ``size`` px and distort them as ``augment`` says (None: centre crop only)."""
    if augment is None:
        return _crop(x, size, None)
    out = _crop(x, size, generator if augment.random_crop else None)
    n = out.shape[0]
    if augment.flip:
        flips = torch.rand(n, generator=generator) < 0.5
        out[flips] = out[flips].flip(-1)
    if augment.max_rotation or augment.max_shift or augment.scale != (1.0, 1.0):
        angle = torch.deg2rad((2 * torch.rand(n, generator=generator) - 1) * augment.max_rotation)
        lo, hi = augment.scale
        zoom = lo + (hi - lo) * torch.rand(n, generator=generator)
        shift = (2 * torch.rand(n, 2, generator=generator) - 1) * augment.max_shift * 2 / size
        cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
        theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
        grid = torch.nn.functional.affine_grid(theta, list(out.shape), align_corners=False)
        out = torch.nn.functional.grid_sample(out, grid, align_corners=False, padding_mode="zeros")
    return out


def sample_episode(bank: ImageBank, n_way: int, k_shot: int, n_query: int, generator: torch.Generator,
                   crop: int, augment: Augment | None = None) -> Episode:
    """Draw ``n_way`` classes and, per class, ``k_shot`` support and ``n_query`` query images.

    Instances of a class are drawn without replacement, so no image is both support and query.
    Images are cropped to ``crop`` px and distorted by ``augment`` (None: centre crop).
    Raises ValueError if the bank has too few classes or a class too few images.
    """
    if n_way > len(bank):
        raise ValueError(f"{n_way}-way episodes need {n_way} classes; the bank has {len(bank)}")
    chosen = torch.randperm(len(bank), generator=generator)[:n_way].tolist()
    sx, qx = [], []
    for c in chosen:
        imgs = bank.images[c]
        if imgs.shape[0] < k_shot + n_query:
            raise ValueError(f"class {bank.classes[c]!r} has {imgs.shape[0]} images; "
                             f"{k_shot}-shot with {n_query} queries needs {k_shot + n_query}")
        pick = torch.randperm(imgs.shape[0], generator=generator)[:k_shot + n_query]
        sx.append(imgs[pick[:k_shot]])
        qx.append(imgs[pick[k_shot:]])
    support_x = augment_images(torch.cat(sx), crop, augment, generator)
    query_x = augment_images(torch.cat(qx), crop, augment, generator)
    labels = torch.arange(n_way)
    return Episode(support_x, labels.repeat_interleave(k_shot), query_x, labels.repeat_interleave(n_query),
                   tuple(bank.classes[c] for c in chosen))


@dataclass(frozen=True)
class GlyphConfig:
    """How to build the glyph bank."""

    size: int = 28  # network input side, px; stored with ``pad`` px of margin for shifts
    pad: int = 2
    min_fonts: int = 16  # a character is a class only if this many fonts draw it
    max_classes: int | None = None  # stop after this many classes (quick runs)
    dedup_cosine: float = 0.995  # two characters whose mean renderings are this similar merge
    font_dirs: tuple[str, ...] = FONT_DIRS
    seed: int = 0  # order in which candidate characters are tried


def find_fonts(dirs: tuple[str, ...] = FONT_DIRS) -> list[str]:
    """TrueType/OpenType font files under ``dirs`` (recursively), sorted."""
    found: set[str] = set()
    for d in dirs:
        root = os.path.expanduser(d)
        for ext in ("ttf", "otf", "TTF", "OTF"):
            found.update(glob.glob(os.path.join(root, "**", f"*.{ext}"), recursive=True))
    return sorted(found)


def _renderer(font_path: str, side: int):
    from PIL import Image, ImageDraw, ImageFont

    big = 2 * side  # draw at twice the size, then box-filter down: anti-aliased strokes
    font = ImageFont.truetype(font_path, int(0.55 * big))

    def render(ch: str) -> np.ndarray:
        im = Image.new("L", (big, big), 0)
        ImageDraw.Draw(im).text((big // 2, big // 2), ch, fill=255, font=font, anchor="mm")
        return np.asarray(im.resize((side, side), Image.Resampling.BOX))

    return render


def build_glyph_bank(config: GlyphConfig = GlyphConfig()) -> ImageBank:
    """Render every well-covered character in every font that draws it.

    Raises StudioError if no fonts are installed or fewer than ``min_fonts`` fonts exist.
    """
    fonts = find_fonts(config.font_dirs)
    if len(fonts) < config.min_fonts:
        raise StudioError(f"glyph tasks need at least {config.min_fonts} font files, found {len(fonts)}; "
                          "install a font family (e.g. fonts-dejavu) or lower min_fonts",
                          path=",".join(config.font_dirs))
    side = config.size + 2 * config.pad
    renderers = [_renderer(f, side) for f in fonts]
    notdef = [r("\ue000") for r in renderers]  # a private-use code point: every font's "missing" box
    candidates = [chr(cp) for a, b in GLYPH_RANGES for cp in range(a, b)]
    rng = np.random.default_rng(config.seed)
    rng.shuffle(candidates)
    classes: list[str] = []
    images: list[Tensor] = []
    means = torch.empty(len(candidates), side * side)  # unit-norm mean renderings of kept classes
    for ch in candidates:
        drawn = []
        for render, missing in zip(renderers, notdef):
            img = render(ch)
            if img.max() > 0 and not np.array_equal(img, missing):
                drawn.append(img)
        if len(drawn) < config.min_fonts:
            continue
        stack = torch.from_numpy(np.stack(drawn)).float().div_(255.0)
        mean = torch.nn.functional.normalize(stack.mean(0).flatten(), dim=0)
        if classes and float((means[:len(classes)] @ mean).max()) > config.dedup_cosine:
            continue
        means[len(classes)] = mean
        classes.append(ch)
        images.append(stack.unsqueeze(1))
        if config.max_classes is not None and len(classes) >= config.max_classes:
            break
    return ImageBank(tuple(classes), tuple(images))


@dataclass(frozen=True)
class PaintingConfig:
    """How to build the painter bank."""

    root: str = PAINTINGS_DIR
    size: int = 64  # network input side, px
    stored: int = 72  # images are resized to this square, then cropped to ``size``
    max_per_class: int = 200  # cap for the large folders (monet, ukiyo_e)
    seed: int = 0  # which images a capped folder keeps


def square_image(image, stored: int):
    """A PIL image centre-cropped to a square and resized to ``stored`` px, as a ``(3, H, W)`` tensor in [0, 1]."""
    from PIL import Image

    im = image.convert("RGB")
    w, h = im.size
    s = min(w, h)
    im = im.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s))
    arr = np.asarray(im.resize((stored, stored), Image.Resampling.BICUBIC))
    return torch.from_numpy(arr.copy()).permute(2, 0, 1).float().div_(255.0)


def painting_input(image, config: PaintingConfig = PaintingConfig()) -> Tensor:
    """What the painter embedding sees at test time: ``(3, size, size)``, centre of the stored square.

    Use it to prepare a user's samples and generated works for
    :func:`studio.meta.matching.rank_against_support` with the painters' ProtoNet embedding.
    """
    return augment_images(square_image(image, config.stored).unsqueeze(0), config.size, None,
                          torch.Generator())[0]


def _load_image(path: Path, stored: int) -> Tensor:
    from PIL import Image

    try:
        with Image.open(path) as im:
            im.draft("RGB", (2 * stored, 2 * stored))  # JPEG: decode at reduced scale, much faster
            return square_image(im, stored)
    except (OSError, ValueError) as exc:
        raise SampleLoadError(f"cannot read this image ({exc}); remove or replace it", path=str(path)) from exc


def build_painting_bank(config: PaintingConfig = PaintingConfig(),
                        painters: tuple[str, ...] | None = None) -> ImageBank:
    """Load one class per painter folder (all folders, or only ``painters``), centre-cropped squares.

    Raises StudioError if the folder is missing or a painter has no images.
    """
    root = Path(config.root)
    if not root.is_dir():
        raise StudioError("the paintings folder is missing; pass --paintings DIR", path=str(root))
    names = painters or tuple(sorted(p.name for p in root.iterdir() if p.is_dir()))
    rng = np.random.default_rng(config.seed)
    images = []
    for name in names:
        files = sorted(p for p in (root / name).glob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
        if not files:
            raise StudioError("no .jpg/.png images for this painter", path=str(root / name))
        if len(files) > config.max_per_class:
            files = [files[i] for i in sorted(rng.choice(len(files), config.max_per_class, replace=False))]
        images.append(torch.stack([_load_image(f, config.stored) for f in files]))
    return ImageBank(tuple(names), tuple(images))
