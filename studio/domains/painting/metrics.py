"""Objective evaluation of generated paintings: patch-statistics fidelity, diversity, copying.

No pretrained network is used (Inception or VGG weights cannot be downloaded); every measure
works on pixels. All images (``HxWx3`` uint8, or float in [0, 1]) are compared at the
*working resolution*, the pixel scale at which the generator sees its samples: an image whose
long side exceeds ``long_side`` (default 256, the studio's working resolution) is downscaled
to it with Lanczos, aspect ratio kept; smaller images are NOT enlarged, since they are taken
to be at the samples' scale already (a generated work of 256 x 192, a crop of a sample).
Paintings of any aspect ratio are compared whole; nothing is cropped. Pyramid levels are
frequency bands at that pixel scale, so images of different sizes share them.

Fidelity: sliced Wasserstein distance (SWD) over Laplacian-pyramid patches, the recipe of
Karras et al. 2018 ("Progressive growing of GANs", appendix D, and their
``metrics/sliced_wasserstein.py``):

* a Laplacian pyramid per image (5x5 binomial filter, mirrored borders, as ``cv2.pyrDown`` /
  ``pyrUp``) from the working resolution down to 16 px: levels 256, 128, 64, 32, 16 (named by
  the long side a full-size image has there; the last is the low-pass residual, i.e. colour
  and composition). Where a small image's level is under 7 px its edges are extended;
* at each level random 7x7x3 neighbourhoods lying wholly inside the image. ProGAN takes 128
  per image from two sets of equal size; our sets differ (4 samples, 16 works, 10-26 other
  paintings) and the SWD estimate is biased by the number of patches, so every set gives the
  same ``patches`` per level (default 4096), spread evenly over its images;
* per-level, per-channel normalisation of the descriptors by a mean and standard deviation.
  ProGAN normalises each set by its OWN statistics, which makes the distance blind to palette
  and contrast (a global colour shift changes nothing). The default here, ``"reference"``,
  normalises both sets by the reference set's statistics: palette counts, and the numerator
  and denominator of :func:`swd_ratio` share one yardstick. ``"per_set"`` is ProGAN's exact
  choice, ``"pooled"`` uses both sets together;
* 4 repeats x 128 random unit directions; the sorted projections of the two sets are
  compared point by point (mean absolute difference) and averaged. Values are multiplied by
  1e3, as in ProGAN's tables. The directions depend on ``seed`` and the level only, so two
  distances computed with one seed use the same directions.

``swd_ratio`` = SWD(generated, reference) / SWD(samples, reference), per level and overall
(ratio of the level means); reference patches are drawn once and shared by both distances.
Below 1: the generated works are closer to the artist's other paintings than the samples
themselves are.

Diversity: :func:`singan_diversity` (Shaham et al. 2019, SinGAN section 4.1: per-pixel
standard deviation across generated images, averaged over pixels, over the input's own
standard deviation). We use the three RGB channels rather than grey intensity and, with
several samples, divide by the mean of their standard deviations; works of another size are
resized to the first work's size. :func:`mean_pairwise_distance`: mean absolute pixel
difference in [0, 1] over all pairs of works.

Copying: :func:`copy_score`, the share of randomly drawn 7x7 patches of the works whose
nearest patch among ALL patches of the samples (stride 1, at working resolution) differs by
an RMS of less than :data:`COPY_TOLERANCE` 8-bit levels: an almost exact copy. Pasting pixels
stays under it; resampling (a crop enlarged 1.4x) and a faithful re-painting exceed it. Plain
patches (blank paper, a flat ground) copy by merely having a sample's colour, so
:func:`copy_scores` also gives the share of copied patches that are textured (standard
deviation of at least :data:`COPY_PLAIN_STD` levels).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from studio.domains.painting.losses import blur
from studio.errors import Cancelled

DEFAULT_LONG_SIDE = 256
MIN_LEVEL = 16  # px, the coarsest pyramid level (long side), as ProGAN
NEIGHBOURHOOD = 7
PATCHES_PER_SET = 4096
DIR_REPEATS = 4
DIRS_PER_REPEAT = 128
NORMALIZATIONS = ("reference", "pooled", "per_set")
COPY_PATCH = 7
COPY_TOLERANCE = 2.0  # RMS difference in 8-bit levels below which a patch counts as copied
COPY_PATCHES_PER_IMAGE = 128
KEY_CHUNK = 8192  # sample patches compared at once in the nearest-patch search (a stop point between)
COPY_PLAIN_STD = 3.0  # a patch whose standard deviation is below this many 8-bit levels is plain (flat)



@dataclass(frozen=True)
class SWDResult:
    """Sliced Wasserstein distances (x1e3) per pyramid level, finest level first."""

    levels: tuple[int, ...]  # long side of each level in pixels, e.g. (256, 128, 64, 32, 16)
    values: tuple[float, ...]

    @property
    def mean(self) -> float:
        """The average over levels (ProGAN's summary column)."""
        return float(np.mean(self.values))

    def at(self, level: int) -> float:
        """The distance at the level whose long side is ``level`` pixels."""
        return self.values[self.levels.index(level)]


@dataclass(frozen=True)
class SWDRatio:
    """SWD(generated, reference) over SWD(samples, reference), per level and overall."""

    generated: SWDResult
    samples: SWDResult

    @property
    def levels(self) -> tuple[int, ...]:
        return self.generated.levels

    @property
    def per_level(self) -> tuple[float, ...]:
        return tuple(g / max(s, 1e-12) for g, s in zip(self.generated.values, self.samples.values))

    @property
    def overall(self) -> float:
        return self.generated.mean / max(self.samples.mean, 1e-12)

    def at(self, level: int) -> float:
        """The ratio at the level whose long side is ``level`` pixels."""
        return self.per_level[self.levels.index(level)]


# --- images ---------------------------------------------------------------------------------


def _as_uint8(image: np.ndarray) -> np.ndarray:
    if not isinstance(image, np.ndarray) or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"expected an HxWx3 image, got {getattr(image, 'shape', type(image).__name__)}")
    if image.shape[0] < 1 or image.shape[1] < 1:
        raise ValueError(f"image is empty: {image.shape}")
    if image.dtype == np.uint8:
        return image
    if image.dtype.kind == "f":
        return np.clip(np.rint(image * 255.0), 0, 255).astype(np.uint8)
    raise ValueError(f"expected uint8 or float pixels, got {image.dtype}")


def working_size(height: int, width: int, long_side: int = DEFAULT_LONG_SIDE) -> tuple[int, int]:
    """``(height, width)`` scaled so the long side is ``long_side``, aspect ratio kept."""
    scale = long_side / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def resize_rgb(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``image`` (uint8 or float [0, 1]) resized to ``size = (height, width)`` as uint8, Lanczos."""
    rgb = _as_uint8(image)
    if rgb.shape[:2] == tuple(size):
        return rgb
    im = Image.fromarray(np.ascontiguousarray(rgb)).resize((size[1], size[0]), Image.Resampling.LANCZOS)
    return np.asarray(im, dtype=np.uint8)


def working_image(image: np.ndarray, long_side: int = DEFAULT_LONG_SIDE) -> np.ndarray:
    """``image`` as uint8 ``HxWx3``, downscaled (never enlarged) to a long side of ``long_side``."""
    rgb = _as_uint8(image)
    if max(rgb.shape[:2]) <= long_side:
        return rgb
    return resize_rgb(rgb, working_size(*rgb.shape[:2], long_side))


def _check_set(images: Sequence[np.ndarray], name: str, minimum: int = 1) -> None:
    if len(images) < minimum:
        raise ValueError(f"{name} must hold at least {minimum} image(s), got {len(images)}")


# --- Laplacian pyramid and descriptors -------------------------------------------------------


def pyramid_levels(long_side: int = DEFAULT_LONG_SIDE, min_level: int = MIN_LEVEL) -> tuple[int, ...]:
    """Long sides of the pyramid levels: halving from ``long_side`` while at least ``min_level``."""
    levels = []
    side = long_side
    while side >= min_level:
        levels.append(side)
        side //= 2
    if not levels:
        raise ValueError(f"long_side {long_side} is below the coarsest level {min_level}")
    return tuple(levels)


def _blur(t: torch.Tensor, gain: float = 1.0) -> torch.Tensor:
    """5x5 binomial filter with mirrored borders on a ``1x3xHxW`` tensor."""
    return blur(t) * gain


def _pyr_up(coarse: torch.Tensor, shape: tuple[int, int]) -> torch.Tensor:
    """``cv2.pyrUp``: zero-insertion, the binomial filter times 4, cut to ``shape``."""
    up = torch.zeros(1, 3, coarse.shape[2] * 2, coarse.shape[3] * 2)
    up[..., ::2, ::2] = coarse
    return _blur(up, gain=4.0)[..., : shape[0], : shape[1]]


def laplacian_pyramid(image: np.ndarray, n_levels: int) -> list[np.ndarray]:
    """The Laplacian pyramid of an ``HxWx3`` image as float32 ``3xhxw`` arrays, finest first.

    Each level is the difference between a Gaussian level and the upsampled next one; the
    last level is the low-pass residual (``cv2.pyrDown``/``pyrUp`` filters, mirrored borders).
    Pixel values stay in 0..255 units.
    """
    t = torch.from_numpy(np.ascontiguousarray(_as_uint8(image).transpose(2, 0, 1))).float()[None]
    gaussian = [t]
    for _ in range(1, n_levels):
        gaussian.append(_blur(gaussian[-1])[..., ::2, ::2])
    levels = [(fine - _pyr_up(coarse, fine.shape[2:]))[0].numpy()
              for fine, coarse in itertools.pairwise(gaussian)]
    levels.append(gaussian[-1][0].numpy())
    return levels


def collapse_pyramid(levels: Sequence[np.ndarray]) -> np.ndarray:
    """Invert :func:`laplacian_pyramid`: the float32 ``HxWx3`` image the levels came from."""
    image = torch.from_numpy(levels[-1])[None]
    for band in reversed(levels[:-1]):
        image = _pyr_up(image, band.shape[1:]) + torch.from_numpy(band)[None]
    return image[0].numpy().transpose(1, 2, 0)


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (i < extra) for i in range(parts)]


def _neighbourhoods(level: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` random 7x7 neighbourhoods of a ``3xhxw`` level as ``count x 147`` rows."""
    n = NEIGHBOURHOOD
    _, h, w = level.shape
    if h < n or w < n:  # a thin painting's coarsest level: extend its edges to one patch
        level = np.pad(level, ((0, 0), (0, max(0, n - h)), (0, max(0, n - w))), mode="edge")
        _, h, w = level.shape
    ys = rng.integers(0, h - n + 1, size=count)
    xs = rng.integers(0, w - n + 1, size=count)
    dy, dx = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    rows = ys[:, None, None] + dy[None]
    cols = xs[:, None, None] + dx[None]
    patches = level[:, rows, cols]  # 3 x count x 7 x 7
    return patches.transpose(1, 0, 2, 3).reshape(count, -1)


def patch_descriptors(images: Sequence[np.ndarray], *, long_side: int = DEFAULT_LONG_SIDE,
                      patches: int = PATCHES_PER_SET, seed: int = 0) -> list[np.ndarray]:
    """Raw (unnormalised) ``patches x 147`` descriptors per pyramid level, finest first.

    Larger images are downscaled to the working resolution; ``patches`` neighbourhoods per
    level are spread evenly over the images (earlier images take the remainder).
    """
    _check_set(images, "images")
    levels = pyramid_levels(long_side)
    rng = np.random.default_rng([seed, 0x5D])
    out: list[list[np.ndarray]] = [[] for _ in levels]
    for image, count in zip(images, _spread(patches, len(images))):
        if count == 0:
            continue
        pyramid = laplacian_pyramid(working_image(image, long_side), len(levels))
        for i, level in enumerate(pyramid):
            out[i].append(_neighbourhoods(level, count, rng))
    return [np.concatenate(chunks).astype(np.float32) for chunks in out]


def _stats(desc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    per_channel = desc.reshape(len(desc), 3, -1)
    mean = per_channel.mean(axis=(0, 2))
    std = per_channel.std(axis=(0, 2))
    return mean, np.maximum(std, 1e-6)


def _normalised(desc: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    per_channel = desc.reshape(len(desc), 3, -1)
    return ((per_channel - mean[None, :, None]) / std[None, :, None]).reshape(len(desc), -1)


def _directions(dim: int, level_index: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, level_index, 0xD1])
    dirs = rng.standard_normal((DIR_REPEATS, dim, DIRS_PER_REPEAT))
    dirs /= np.sqrt(np.sum(dirs ** 2, axis=1, keepdims=True))
    return dirs.astype(np.float32)


def sliced_wasserstein(a: np.ndarray, b: np.ndarray, directions: np.ndarray) -> float:
    """SWD between two equally sized descriptor sets ``N x D`` along ``R x D x K`` directions."""
    if a.shape != b.shape:
        raise ValueError(f"descriptor sets must have equal shapes, got {a.shape} and {b.shape}")
    ta, tb = torch.from_numpy(np.ascontiguousarray(a)), torch.from_numpy(np.ascontiguousarray(b))
    results = []
    for dirs in torch.from_numpy(np.ascontiguousarray(directions)):
        # torch for the product (it honours set_num_threads), numpy's faster sort along rows
        pa = np.sort((dirs.T @ ta.T).numpy(), axis=1)
        pb = np.sort((dirs.T @ tb.T).numpy(), axis=1)
        results.append(float(np.mean(np.abs(pa - pb))))
    return float(np.mean(results))


def _swd_from_descriptors(gen: list[np.ndarray], ref: list[np.ndarray], levels: tuple[int, ...],
                          normalize: str, seed: int) -> SWDResult:
    if normalize not in NORMALIZATIONS:
        raise ValueError(f"normalize must be one of {', '.join(NORMALIZATIONS)}, got {normalize!r}")
    values = []
    for i, (g, r) in enumerate(zip(gen, ref)):
        if normalize == "reference":
            g_stats = r_stats = _stats(r)
        elif normalize == "pooled":
            g_stats = r_stats = _stats(np.concatenate([g, r]))
        else:
            g_stats, r_stats = _stats(g), _stats(r)
        dist = sliced_wasserstein(_normalised(g, *g_stats), _normalised(r, *r_stats),
                                  _directions(g.shape[1], i, seed))
        values.append(dist * 1e3)
    return SWDResult(levels=levels, values=tuple(values))


def swd(generated: Sequence[np.ndarray], reference: Sequence[np.ndarray], *,
        long_side: int = DEFAULT_LONG_SIDE, patches: int = PATCHES_PER_SET, seed: int = 0,
        normalize: str = "reference") -> SWDResult:
    """Laplacian-pyramid sliced Wasserstein distance between two image sets (see module doc).

    Raises ``ValueError`` for an empty set, a non-RGB image or an unknown ``normalize``.
    """
    _check_set(generated, "generated")
    _check_set(reference, "reference")
    levels = pyramid_levels(long_side)
    gen = patch_descriptors(generated, long_side=long_side, patches=patches, seed=seed)
    ref = patch_descriptors(reference, long_side=long_side, patches=patches, seed=seed + 1)
    return _swd_from_descriptors(gen, ref, levels, normalize, seed)


def swd_ratio(generated: Sequence[np.ndarray], reference: Sequence[np.ndarray],
              samples: Sequence[np.ndarray], *, long_side: int = DEFAULT_LONG_SIDE,
              patches: int = PATCHES_PER_SET, seed: int = 0,
              normalize: str = "reference") -> SWDRatio:
    """SWD(generated, reference) / SWD(samples, reference), per level and overall.

    ``reference`` is the artist's OTHER paintings (never the samples). Its patches are drawn
    once and both distances use the same directions, so the ratio's noise is mostly that of
    the two numerator sets.
    """
    _check_set(generated, "generated")
    _check_set(reference, "reference")
    _check_set(samples, "samples")
    levels = pyramid_levels(long_side)
    ref = patch_descriptors(reference, long_side=long_side, patches=patches, seed=seed + 1)
    gen = patch_descriptors(generated, long_side=long_side, patches=patches, seed=seed)
    smp = patch_descriptors(samples, long_side=long_side, patches=patches, seed=seed + 2)
    return SWDRatio(generated=_swd_from_descriptors(gen, ref, levels, normalize, seed),
                    samples=_swd_from_descriptors(smp, ref, levels, normalize, seed))


# --- diversity ------------------------------------------------------------------------------


def _common_stack(images: Sequence[np.ndarray], long_side: int) -> np.ndarray:
    first = working_image(images[0], long_side)
    size = first.shape[:2]
    stack = [first] + [resize_rgb(working_image(im, long_side), size) for im in images[1:]]
    return np.stack(stack).astype(np.float64) / 255.0


def singan_diversity(generated: Sequence[np.ndarray], samples: Sequence[np.ndarray], *,
                     long_side: int = DEFAULT_LONG_SIDE) -> float:
    """SinGAN's diversity: mean per-pixel std across ``generated`` over the samples' own std.

    Needs at least two works; 0 when they are identical, about 1 for independent images with
    the samples' contrast. Raises ``ValueError`` for fewer than two works or no samples.
    """
    _check_set(generated, "generated", minimum=2)
    _check_set(samples, "samples")
    spread = float(_common_stack(generated, long_side).std(axis=0).mean())
    own = [float((working_image(s, long_side).astype(np.float32) / 255.0).reshape(-1, 3).std(axis=0).mean())
           for s in samples]
    return spread / max(float(np.mean(own)), 1e-6)


def mean_pairwise_distance(images: Sequence[np.ndarray], *, long_side: int = DEFAULT_LONG_SIDE) -> float:
    """Mean absolute pixel difference in [0, 1] over all pairs (at the first image's size)."""
    _check_set(images, "images", minimum=2)
    stack = _common_stack(images, long_side)
    total, pairs = 0.0, 0
    for i in range(len(stack) - 1):
        total += float(np.abs(stack[i + 1:] - stack[i][None]).mean(axis=(1, 2, 3)).sum())
        pairs += len(stack) - 1 - i
    return total / pairs


# --- copying --------------------------------------------------------------------------------


def _all_patches(image: np.ndarray, size: int) -> torch.Tensor:
    t = torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))).float()[None] - 128.0
    return torch.nn.functional.unfold(t, size)[0].T.contiguous()  # L x (3*size*size)


def _query_patches(generated: Sequence[np.ndarray], patch: int, per_image: int, long_side: int,
                   seed: int) -> torch.Tensor:
    """``per_image`` seeded random patches of each work at working resolution, as ``[N, 3 * patch
    * patch]`` float (8-bit levels minus 128, channel-major)."""
    _check_set(generated, "generated")
    rng = np.random.default_rng([seed, 0xC0])
    queries = []
    for image in generated:
        work = working_image(image, long_side)
        h, w = work.shape[:2]
        if h < patch or w < patch:
            raise ValueError(f"a work of {h}x{w} at working resolution is smaller than one patch")
        ys = rng.integers(0, h - patch + 1, size=per_image)
        xs = rng.integers(0, w - patch + 1, size=per_image)
        chunk = np.stack([work[y:y + patch, x:x + patch].transpose(2, 0, 1).ravel() for y, x in zip(ys, xs)])
        queries.append(chunk)
    return torch.from_numpy(np.concatenate(queries).astype(np.float32)) - 128.0


def nearest_patch_rms(generated: Sequence[np.ndarray], samples: Sequence[np.ndarray], *,
                      patch: int = COPY_PATCH, per_image: int = COPY_PATCHES_PER_IMAGE,
                      long_side: int = DEFAULT_LONG_SIDE, seed: int = 0,
                      should_stop: Callable[[], bool] | None = None) -> np.ndarray:
    """For ``per_image`` random patches of each work, the RMS difference (8-bit levels) to the
    nearest patch anywhere in the samples (all positions, stride 1, working resolution).

    ``should_stop`` (optional) is read before each chunk of :data:`KEY_CHUNK` sample patches;
    when it returns true the search raises :class:`~studio.errors.Cancelled`.
    """
    _check_set(generated, "generated")
    _check_set(samples, "samples")
    q = _query_patches(generated, patch, per_image, long_side, seed)
    return _nearest_rms(q, samples, patch, long_side, should_stop)


def _nearest_rms(q: torch.Tensor, samples: Sequence[np.ndarray], patch: int, long_side: int,
                 should_stop: Callable[[], bool] | None = None) -> np.ndarray:
    """RMS difference of each query patch (rows of ``q``) to its nearest patch in the samples."""
    q_sq = (q * q).sum(1, keepdim=True)
    best = torch.full((len(q),), float("inf"))
    with torch.no_grad():
        for sample in samples:
            keys = _all_patches(working_image(sample, long_side), patch)
            for start in range(0, len(keys), KEY_CHUNK):
                if should_stop is not None and should_stop():
                    raise Cancelled()
                k = keys[start:start + KEY_CHUNK]
                d = q_sq + (k * k).sum(1)[None] - 2.0 * (q @ k.T)
                best = torch.minimum(best, d.min(dim=1).values)
    return np.sqrt(np.maximum(best.numpy(), 0.0) / q.shape[1])


def copy_score(generated: Sequence[np.ndarray], samples: Sequence[np.ndarray], *,
               tolerance: float = COPY_TOLERANCE, patch: int = COPY_PATCH,
               per_image: int = COPY_PATCHES_PER_IMAGE, long_side: int = DEFAULT_LONG_SIDE,
               seed: int = 0, should_stop: Callable[[], bool] | None = None) -> float:
    """Share in [0, 1] of the works' patches that are almost exact copies of a sample patch.

    A patch is copied when its nearest sample patch differs by an RMS below ``tolerance``
    8-bit levels (default 2). 1.0 for works identical to a sample, about 0 for noise.
    ``should_stop``: as for :func:`nearest_patch_rms` (raises Cancelled when it turns true).
    """
    rms = nearest_patch_rms(generated, samples, patch=patch, per_image=per_image,
                            long_side=long_side, seed=seed, should_stop=should_stop)
    return float(np.mean(rms < tolerance))


def patch_contrast(generated: Sequence[np.ndarray], *, patch: int = COPY_PATCH,
                   per_image: int = COPY_PATCHES_PER_IMAGE, long_side: int = DEFAULT_LONG_SIDE,
                   seed: int = 0) -> np.ndarray:
    """The standard deviation (8-bit levels, per channel, averaged over RGB) of each patch
    :func:`nearest_patch_rms` draws with the same arguments, in the same order."""
    return _contrast(_query_patches(generated, patch, per_image, long_side, seed))


def _contrast(q: torch.Tensor) -> np.ndarray:
    return q.view(len(q), 3, -1).std(dim=2, unbiased=False).mean(dim=1).numpy()


def copy_scores(generated: Sequence[np.ndarray], samples: Sequence[np.ndarray], *,
                tolerance: float = COPY_TOLERANCE, plain_std: float = COPY_PLAIN_STD,
                long_side: int = DEFAULT_LONG_SIDE, seed: int = 0) -> tuple[float, float]:
    """:func:`copy_score`, and the share of the same patches that are copied *and* not plain
    (standard deviation at least ``plain_std`` levels): a copied patch of blank paper or a flat
    ground is only the right colour, a copied textured patch is a piece of a sample."""
    _check_set(generated, "generated")
    _check_set(samples, "samples")
    q = _query_patches(generated, COPY_PATCH, COPY_PATCHES_PER_IMAGE, long_side, seed)  # drawn once for both
    copied = _nearest_rms(q, samples, COPY_PATCH, long_side) < tolerance
    textured = _contrast(q) >= plain_std
    return float(np.mean(copied)), float(np.mean(copied & textured))


# --- contact sheet --------------------------------------------------------------------------


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError, ImportError):  # Pillow built without FreeType: the bitmap font
        return ImageFont.load_default()


def contact_sheet(rows: list[tuple[str, list[np.ndarray]]], thumb: int = 128,
                  label_width: int | None = None, gap: int = 4) -> np.ndarray:
    """One picture (``HxWx3`` uint8) with a labelled row of thumbnails per ``(label, images)``.

    Each image is fitted into a ``thumb x thumb`` cell (aspect kept, centred); the label is
    written in a column on the left. Raises ``ValueError`` for no rows.
    """
    if not rows:
        raise ValueError("contact_sheet needs at least one row")
    label_width = thumb + thumb // 2 if label_width is None else label_width
    columns = max(1, max(len(images) for _, images in rows))
    width = label_width + columns * (thumb + gap) + gap
    height = len(rows) * (thumb + gap) + gap
    sheet = Image.new("RGB", (width, height), (245, 245, 240))
    draw = ImageDraw.Draw(sheet)
    font = _font(max(10, thumb // 10))
    for r, (label, images) in enumerate(rows):
        top = gap + r * (thumb + gap)
        words, lines = str(label).split(), [""]
        for word in words:  # wrap the label to the column
            trial = f"{lines[-1]} {word}".strip()
            if draw.textlength(trial, font=font) <= label_width - 2 * gap or not lines[-1]:
                lines[-1] = trial
            else:
                lines.append(word)
        draw.multiline_text((gap, top + gap), "\n".join(lines), fill=(20, 20, 20), font=font)
        for c, image in enumerate(images):
            rgb = _as_uint8(image)
            h, w = working_size(*rgb.shape[:2], thumb)
            cell = Image.fromarray(resize_rgb(rgb, (h, w)))
            left = label_width + gap + c * (thumb + gap)
            sheet.paste(cell, (left + (thumb - w) // 2, top + (thumb - h) // 2))
    return np.asarray(sheet, dtype=np.uint8).copy()
