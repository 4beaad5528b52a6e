"""GPNN-style generation: new paintings from a few samples by patch nearest neighbours, no training.

After Granot et al. 2022, "Drop the GAN: in defense of patches nearest neighbors as single
image generative models" (and the Efficient-GPNN reference code): a coarse-to-fine pyramid
with ratio 0.75. At the coarsest level (short side about ``coarse_side`` px) the output starts
as one sample, resized to the output's size, plus grey Gaussian noise (sigma 0.75 on pixels in
[-1, 1]); the noise is what varies the composition. At every level each 7x7 query patch of the
current output is replaced by its nearest source patch, and overlapping patches are averaged
back into an image; this repeats ``iterations`` times, then the output is upscaled to the next
level. Keys are the source patches blurred like the upscaled query (downscaled by the pyramid
ratio and back), values the sharp source patches; the coarsest level uses sharp keys. Source
patches come from every sample (1-8 paintings), each resized by the level's scale.

Nearest neighbours are exact, with GPNN's completeness score ``d(q, k) / (alpha + min_q' d(q',
k))`` (``alpha`` = 0.005 on mean squared differences), while ``queries x keys`` is at most
``exact_pairs``: the coarse levels, where composition is decided. Finer levels would cost
tera-FLOPs per iteration on a CPU, so there the search is PatchMatch (Barnes et al. 2009):
the field is upscaled from the coarser level, then ``pm_rounds`` rounds of propagation from
the four neighbours and random search in shrinking windows, all vectorised; the completeness
term is dropped there (it matters least once the layout is fixed). Fine levels run
``fine_iterations`` iterations instead of ``iterations``; any level stops early once the
field no longer changes. Distances are measured in the first ``pca_dims`` (32) principal
components of the level's keys (98-99.5 % of their variance on degas paintings, a fifth of the
cost); the pasted values are always the full sharp patches.

:class:`PatchSource` keeps each level's tables, so the works after the first from the same
samples cost only the search. The result is deterministic for a seed (CPU torch, one
generator). Measured on degas samples (4 paintings at 256 px, one 256 x ~200 work): about
3.5 s of CPU time per work with one torch thread; see ``python main.py bench
painting_calibration`` for the wall time under load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from studio.progress import NULL_PROGRESS, Progress, check_stop


@dataclass(frozen=True)
class GPNNConfig:
    """Parameters of :func:`gpnn_generate` (defaults follow GPNN where a CPU allows)."""

    patch: int = 7  # patch side in pixels
    pyramid_ratio: float = 0.75  # scale between consecutive levels
    coarse_side: int = 24  # the output's short side at the coarsest level, at least
    noise_sigma: float = 0.75  # grey noise added to the coarsest start, pixels in [-1, 1]
    alpha: float = 0.005  # completeness term; 0 gives plain nearest neighbours
    iterations: int = 10  # replace-and-fold iterations per exact level (coarsest: 1, as GPNN)
    fine_iterations: int = 2  # iterations per PatchMatch level
    exact_pairs: int = 60_000_000  # exact search while queries x keys is at most this
    pm_rounds: int = 3  # PatchMatch rounds per iteration
    chunk: int = 256  # queries per distance block in the exact search
    pca_dims: int = 32  # search in this many principal components of the keys (0: all 147)


@dataclass
class _Field:
    """A nearest-neighbour field: for each query position, a sample and a position in it."""

    img: torch.Tensor  # long, qh x qw
    y: torch.Tensor
    x: torch.Tensor


@dataclass
class _Level:
    """The sources at one pyramid level: patch tables and their layout."""

    keys: torch.Tensor  # Nk x d: blurred patches (sharp at the coarsest), projected to d dims
    mean: torch.Tensor  # D = 3 p p, subtracted before projecting
    basis: torch.Tensor  # D x d projection (identity when PCA is off)
    offsets: torch.Tensor  # long, per sample: first row of its patches in keys
    heights: torch.Tensor  # long, per sample: valid top-left rows (h - p + 1), 0 if unused
    widths: torch.Tensor  # long, per sample: valid top-left columns
    pixels: torch.Tensor  # 3 x P: every sharp sample at this scale, flattened one after another
    pixel_offsets: torch.Tensor  # long, per sample: its first pixel in ``pixels``
    image_widths: torch.Tensor  # long, per sample: its width at this scale

    @property
    def patch_dim(self) -> int:
        return self.mean.shape[0]


def _to_tensor(rgb: np.ndarray) -> torch.Tensor:
    if not isinstance(rgb, np.ndarray) or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected an HxWx3 image, got {getattr(rgb, 'shape', type(rgb).__name__)}")
    arr = rgb.astype(np.float32) / 255.0 if rgb.dtype == np.uint8 else rgb.astype(np.float32)
    return torch.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))[None] * 2.0 - 1.0


def _resize(t: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    if tuple(t.shape[-2:]) == tuple(size):
        return t
    down = size[0] < t.shape[-2] or size[1] < t.shape[-1]
    return F.interpolate(t, size=size, mode="bicubic", align_corners=False, antialias=down).clamp(-1, 1)


def _patches(t: torch.Tensor, p: int) -> torch.Tensor:
    return F.unfold(t, p)[0].T.contiguous()  # L x (3 p p), row-major over top-left positions


def _fold(values: torch.Tensor, size: tuple[int, int], p: int) -> torch.Tensor:
    summed = F.fold(values.T[None], size, p)
    counts = F.fold(torch.ones(1, p * p, values.shape[0]), size, p)
    return summed / counts


def _level_sizes(size: tuple[int, int], config: GPNNConfig) -> list[float]:
    """Scales (relative to the working size) of the levels, coarsest first."""
    short = min(size)
    n = 1
    while short * config.pyramid_ratio ** n >= max(config.coarse_side, config.patch):
        n += 1
    return [config.pyramid_ratio ** (n - 1 - i) for i in range(n)]


def _scaled(hw: tuple[int, int], scale: float) -> tuple[int, int]:
    return max(1, round(hw[0] * scale)), max(1, round(hw[1] * scale))


def _build_level(samples: list[torch.Tensor], scale: float, config: GPNNConfig, blur: bool) -> _Level:
    p = config.patch
    keys, pixels, offsets, heights, widths, pixel_offsets, image_widths = [], [], [], [], [], [], []
    total = total_pixels = 0
    for s in samples:
        size = _scaled(tuple(s.shape[-2:]), scale)
        sharp = _resize(s, size)
        offsets.append(total)
        pixel_offsets.append(total_pixels)
        image_widths.append(size[1])
        pixels.append(sharp[0].reshape(3, -1))
        total_pixels += size[0] * size[1]
        if min(size) < p:  # too small at this scale: this sample gives no patches here
            heights.append(0)
            widths.append(0)
            continue
        blurred = _resize(_resize(sharp, _scaled(size, config.pyramid_ratio)), size) if blur else sharp
        keys.append(_patches(blurred, p))
        heights.append(size[0] - p + 1)
        widths.append(size[1] - p + 1)
        total += keys[-1].shape[0]
    if not keys:
        raise ValueError(f"every sample is smaller than a {p}x{p} patch at scale {scale:.3f}")
    all_keys = torch.cat(keys)
    del keys
    mean = all_keys.mean(0)
    dims = all_keys.shape[1]
    if 0 < config.pca_dims < dims:
        subset = all_keys[:: max(1, all_keys.shape[0] // 16384)] - mean
        _, vectors = torch.linalg.eigh(subset.T @ subset)  # ascending eigenvalues
        basis = vectors[:, -config.pca_dims:].flip(1).contiguous()
    else:
        basis = torch.eye(dims)
    return _Level(keys=(all_keys - mean) @ basis, mean=mean, basis=basis,
                  offsets=torch.tensor(offsets), heights=torch.tensor(heights), widths=torch.tensor(widths),
                  pixels=torch.cat(pixels, dim=1), pixel_offsets=torch.tensor(pixel_offsets),
                  image_widths=torch.tensor(image_widths))


def _values(level: _Level, field: _Field, p: int) -> torch.Tensor:
    """The sharp source patches the field points at, ``Nq x 3 p p`` in ``unfold`` order."""
    img, y, x = field.img.flatten(), field.y.flatten(), field.x.flatten()
    width = level.image_widths[img]
    base = level.pixel_offsets[img] + y * width + x
    d = torch.arange(p)
    index = base[:, None, None] + d[None, :, None] * width[:, None, None] + d[None, None, :]
    return level.pixels[:, index.view(len(base), -1)].permute(1, 0, 2).reshape(len(base), -1)


def _flat(level: _Level, field: _Field) -> torch.Tensor:
    return level.offsets[field.img] + field.y * level.widths[field.img] + field.x


def _unflat(level: _Level, flat: torch.Tensor, grid: tuple[int, int]) -> _Field:
    # a sample without patches shares its offset with the next one: the last such offset wins
    img = torch.searchsorted(level.offsets, flat, right=True) - 1
    local = flat - level.offsets[img]
    w = level.widths[img]
    return _Field(img=img.view(grid), y=(local // w).view(grid), x=(local % w).view(grid))


def nearest_keys(queries: torch.Tensor, keys: torch.Tensor, alpha: float, chunk: int, dim: int) -> torch.Tensor:
    """Index of the nearest key per query, with GPNN's completeness normalisation.

    ``dim`` is the number of pixel values per patch: squared distances are sums over it, and
    ``alpha`` applies to their mean. Blocks of ``chunk`` queries keep the distance matrix in cache.
    """
    k_sq = (keys * keys).sum(1)
    q_sq = (queries * queries).sum(1, keepdim=True)
    keys_t = keys.T.contiguous()
    blocks = range(0, queries.shape[0], chunk)
    out = torch.empty(queries.shape[0], dtype=torch.long)
    if alpha <= 0:
        for s in blocks:  # |q|^2 is constant per row: the argmin does not need it
            out[s:s + chunk] = torch.addmm(k_sq[None], queries[s:s + chunk], keys_t, alpha=-2.0).argmin(1)
        return out
    col_min = torch.full((keys.shape[0],), float("inf"))
    for s in blocks:
        part = torch.addmm(q_sq[s:s + chunk], queries[s:s + chunk], keys_t, alpha=-2.0)
        col_min = torch.minimum(col_min, part.amin(0))
    inverse = 1.0 / (alpha * dim + (col_min + k_sq).clamp_min(0.0))
    for s in blocks:
        d = torch.addmm(q_sq[s:s + chunk], queries[s:s + chunk], keys_t, alpha=-2.0)
        out[s:s + chunk] = d.add_(k_sq).clamp_min_(0.0).mul_(inverse).argmin(1)
    return out


def _upscale_field(field: _Field, level: _Level, grid: tuple[int, int],
                   ratio: float, p: int) -> _Field:
    """Map a coarser level's field to this level's query grid, keeping it coherent."""
    half = p // 2
    ph, pw = field.img.shape
    centres_y = (torch.arange(grid[0], dtype=torch.float32) + half) * ratio
    centres_x = (torch.arange(grid[1], dtype=torch.float32) + half) * ratio
    py = (centres_y.round().long() - half).clamp(0, ph - 1)
    px = (centres_x.round().long() - half).clamp(0, pw - 1)
    img = field.img[py][:, px]
    src_y = (field.y[py][:, px] + half).float() + (centres_y - (py + half).float())[:, None]
    src_x = (field.x[py][:, px] + half).float() + (centres_x - (px + half).float())[None, :]
    y = (src_y / ratio).round().long() - half
    x = (src_x / ratio).round().long() - half
    return _clamped(level, _Field(img=img, y=y, x=x))


def _clamped(level: _Level, field: _Field) -> _Field:
    h = level.heights[field.img]
    w = level.widths[field.img]
    return _Field(img=field.img, y=torch.minimum(field.y.clamp_min(0), h - 1),
                  x=torch.minimum(field.x.clamp_min(0), w - 1))


def _valid_random(level: _Level, shape: tuple[int, int], gen: torch.Generator) -> _Field:
    usable = torch.nonzero(level.heights > 0).flatten()
    img = usable[torch.randint(len(usable), shape, generator=gen)]
    y = (torch.rand(shape, generator=gen) * level.heights[img]).long()
    x = (torch.rand(shape, generator=gen) * level.widths[img]).long()
    return _Field(img=img, y=y, x=x)


def _patchmatch(queries: torch.Tensor, level: _Level, field: _Field, rounds: int,
                gen: torch.Generator) -> _Field:
    """Improve ``field`` for ``queries`` (grid-ordered) by PatchMatch propagation and search."""
    grid = tuple(field.img.shape)

    def cost(f: _Field) -> torch.Tensor:
        diff = level.keys.index_select(0, _flat(level, f).flatten()) - queries
        return diff.pow_(2).sum(1).view(grid)

    best = cost(field)

    def consider(candidate: _Field) -> None:
        nonlocal field, best
        candidate = _clamped(level, candidate)
        d = cost(candidate)
        better = d < best
        best = torch.where(better, d, best)
        field = _Field(img=torch.where(better, candidate.img, field.img),
                       y=torch.where(better, candidate.y, field.y),
                       x=torch.where(better, candidate.x, field.x))

    consider(_valid_random(level, grid, gen))
    max_radius = int(max(level.heights.max(), level.widths.max()))
    for _ in range(rounds):
        for dy, dx in ((0, 1), (1, 0), (0, -1), (-1, 0)):
            # the neighbour at (-dy, -dx) suggests its own match shifted by (dy, dx)
            shifted = _Field(img=torch.roll(field.img, (dy, dx), (0, 1)),
                             y=torch.roll(field.y, (dy, dx), (0, 1)) + dy,
                             x=torch.roll(field.x, (dy, dx), (0, 1)) + dx)
            consider(shifted)
        radius = max_radius
        while radius >= 1:
            jitter_y = torch.randint(-radius, radius + 1, grid, generator=gen)
            jitter_x = torch.randint(-radius, radius + 1, grid, generator=gen)
            consider(_Field(img=field.img, y=field.y + jitter_y, x=field.x + jitter_x))
            radius //= 4
    return field


class PatchSource:
    """Samples prepared for GPNN-style generation; patch tables are built per scale on first
    use and kept, so many works from the same samples pay for them once.

    ``samples`` are ``HxWx3`` uint8 (or float [0, 1]) images at the working resolution; works
    have the samples' pixel scale. Raises ``ValueError`` for no samples or a non-RGB image.
    """

    def __init__(self, samples: Sequence[np.ndarray], config: GPNNConfig = GPNNConfig()) -> None:
        if not samples:
            raise ValueError("GPNN generation needs at least one sample")
        self.config = config
        self.sources = [_to_tensor(s) for s in samples]
        self._levels: dict[tuple[float, bool], _Level] = {}

    def _level(self, scale: float, blur: bool) -> _Level:
        key = (round(scale, 9), blur)
        if key not in self._levels:
            self._levels[key] = _build_level(self.sources, scale, self.config, blur)
        return self._levels[key]

    def generate(self, size: tuple[int, int], seed: int, *, init: int | None = None,
                 progress: Progress = NULL_PROGRESS) -> np.ndarray:
        """A new ``size = (height, width)`` painting, ``HxWx3`` uint8; deterministic for a seed.

        ``init`` picks the sample whose coarse layout starts the pyramid (default: chosen by
        ``seed``). Checks ``progress.should_stop()`` between levels (raises
        :class:`~studio.errors.Cancelled`). Raises ``ValueError`` for a size below one patch,
        a bad ``init`` or samples too small for one patch at the coarsest level.
        """
        config, p = self.config, self.config.patch
        height, width = int(size[0]), int(size[1])
        if min(height, width) < p:
            raise ValueError(f"size must be at least {p}x{p}, got {height}x{width}")
        gen = torch.Generator().manual_seed(int(seed))
        start = int(torch.randint(len(self.sources), (1,), generator=gen)) if init is None else int(init)
        if not 0 <= start < len(self.sources):
            raise ValueError(f"init must index a sample (0..{len(self.sources) - 1}), got {init}")
        scales = _level_sizes((height, width), config)
        with torch.no_grad():
            source = self.sources[start]
            out_size = _scaled((height, width), scales[0])
            out = _resize(_resize(source, _scaled(tuple(source.shape[-2:]), scales[0])), out_size)
            out = out + torch.randn((1, 1) + out_size, generator=gen) * config.noise_sigma
            field = None
            for index, scale in enumerate(scales):
                check_stop(progress)
                out_size = _scaled((height, width), scale) if index < len(scales) - 1 else (height, width)
                out = _resize(out, out_size) if index else out
                level = self._level(scale, blur=index > 0)
                grid = (out_size[0] - p + 1, out_size[1] - p + 1)
                exact = field is None or grid[0] * grid[1] * level.keys.shape[0] <= config.exact_pairs
                if exact:
                    steps = 1 if index == 0 else config.iterations
                else:
                    steps = config.fine_iterations
                    field = _upscale_field(field, level, grid, scales[index - 1] / scale, p)
                previous = None
                for _ in range(steps):
                    queries = (_patches(out, p) - level.mean) @ level.basis
                    if exact:
                        flat = nearest_keys(queries, level.keys, config.alpha, config.chunk, level.patch_dim)
                        field = _unflat(level, flat, grid)
                    else:
                        field = _patchmatch(queries, level, field, config.pm_rounds, gen)
                        flat = _flat(level, field).flatten()
                    if previous is not None and torch.equal(flat, previous):
                        break  # converged: folding the same patches again changes nothing
                    out = _fold(_values(level, field, p), out_size, p)
                    previous = flat
                progress.report_progress((index + 1) / len(scales), f"level {index + 1} of {len(scales)}")
        rgb = ((out[0].clamp(-1, 1) + 1.0) * 127.5).round().to(torch.uint8).permute(1, 2, 0)
        return np.ascontiguousarray(rgb.numpy())


def gpnn_generate(samples: Sequence[np.ndarray], size: tuple[int, int], seed: int, *,
                  config: GPNNConfig = GPNNConfig(), init: int | None = None,
                  progress: Progress = NULL_PROGRESS) -> np.ndarray:
    """One new ``size = (height, width)`` painting (``HxWx3`` uint8) from the samples' patches.

    A shortcut for ``PatchSource(samples, config).generate(size, seed, ...)``; use a
    :class:`PatchSource` to make several works from the same samples. Deterministic for a seed.
    Raises ``ValueError`` for no samples, a bad size or samples too small for one patch.
    """
    return PatchSource(samples, config).generate(size, seed, init=init, progress=progress)


def describe(config: GPNNConfig = GPNNConfig()) -> str:
    """One line describing the method and its settings, for benchmark reports."""
    c = config
    return (f"GPNN-style: patch {c.patch}, ratio {c.pyramid_ratio}, coarsest short side >= {c.coarse_side} px, "
            f"noise {c.noise_sigma}, alpha {c.alpha}, PCA {c.pca_dims}; exact NN x{c.iterations} while "
            f"queries*keys <= {c.exact_pairs:.0e}, else PatchMatch ({c.pm_rounds} rounds) x{c.fine_iterations}")
