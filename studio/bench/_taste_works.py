"""What ``bench taste`` measures on the works a chooser showed: traces, work files, fidelity, copies, spread.

Role: the measuring half of :mod:`studio.bench.taste`. A :class:`Trace` is one simulated
person's galleries under one chooser (pool rows, or works made live for "More like these");
:func:`fidelity_and_copies` opens the works (melodies, or paintings at 256 px) and scores them
against the collection with the project's metrics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import StudioError
from studio.taste.pools import Pool

# Patches per painting in the copy shares: pooled over a pool's galleries that is still thousands
# of patches, at a quarter of the metric's default 128 (each is searched over every position of
# the samples or kept works at 256 px: 128 made one pool's copy rates take minutes).
PAINTING_COPY_PATCHES = 32


@dataclass
class Trace:
    """One simulated person's galleries under one chooser."""

    pool: int  # index into the domain's held-out pools
    person: int  # index into the people
    liked: list[float] = field(default_factory=list)  # liked share of each gallery
    interp: list[np.ndarray] = field(default_factory=list)  # (n_show, F) of each gallery
    rows: list[np.ndarray] = field(default_factory=list)  # pool rows shown per gallery (empty: made live)
    kept: list[list[int]] = field(default_factory=list)  # indices into the gallery
    rejected: list[list[int]] = field(default_factory=list)
    works: list[list[Any]] = field(default_factory=list)  # per gallery, works made live (melodies / images)


@dataclass(frozen=True)
class Config:
    domain: str
    rounds: int
    show: int
    drafts: int
    noise: float
    seed: int


def mean_se(values: Sequence[float] | np.ndarray) -> tuple[float, float]:
    """Mean and standard error (0 for fewer than two values)."""
    x = np.asarray(values, np.float64)
    if len(x) == 0:
        return float("nan"), float("nan")
    se = float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0
    return float(x.mean()), se


def traces_of(sim: Any, pools: Sequence[Pool]) -> list[Trace]:
    """A :class:`studio.taste.simulate.SimResult` as traces (kept / rejected as gallery indices)."""
    return [traces_of_one(sim, p, pools[spec.pool]) for p, spec in enumerate(sim.people)]


def traces_of_one(sim: Any, p: int, pool: Pool) -> Trace:
    spec = sim.people[p]
    t = Trace(pool=spec.pool, person=p, liked=[float(v) for v in sim.liked_share[p]])
    for g, rows in enumerate(sim.shown[p]):
        rows = np.asarray(rows, np.int64)
        where = {int(r): i for i, r in enumerate(rows)}
        t.rows.append(rows)
        t.interp.append(pool.interp[rows])
        t.kept.append([where[int(r)] for r in sim.kept[p][g]])
        t.rejected.append([where[int(r)] for r in sim.rejected[p][g]])
        t.works.append([])
    return t


# --- measures on the shown works ------------------------------------------------------------------


def spread(interp: np.ndarray, mean: np.ndarray, std: np.ndarray) -> float:
    """Mean pairwise Euclidean distance of the works' standardised interpretable features
    (0 for one work or identical works): how varied a gallery is."""
    if len(interp) < 2:
        return 0.0
    z = (np.asarray(interp, np.float64) - mean) / std
    d = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(-1))
    iu = np.triu_indices(len(z), k=1)
    return float(d[iu].mean())


class WorkFiles:
    """Loads the pools' work files once (melodies, or paintings at 256 px)."""

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self._cache: dict[tuple[int, int], Any] = {}

    def load(self, pool_index: int, pool: Pool, row: int) -> Any:
        key = (pool_index, row)
        if key not in self._cache:
            path = pool.file(int(row))
            if path is None:
                raise StudioError(f"pool {pool.collection} stores no file for row {row}", str(pool.folder))
            self._cache[key] = load_work_file(self.domain, path)
        return self._cache[key]


def load_work_file(domain: str, path: Path) -> Any:
    """A melody (``.mid``) or an RGB painting at 256 px long side."""
    if domain == "melody":
        from studio.io.midi import read_midi

        return read_midi(str(path), path.read_bytes())
    from studio.domains.painting.dataset import load_rgb

    return load_rgb(path, 256)


def sample_rows(pool: Pool) -> np.ndarray:
    return np.flatnonzero(pool.sample)


def reference_rows(pool: Pool) -> np.ndarray:
    """The collection's genuine works that are not samples: the style fidelity is measured against."""
    return np.flatnonzero(pool.genuine & ~pool.sample)


def gallery_works(trace: Trace, gallery: int, pool: Pool, files: WorkFiles) -> list[Any]:
    """The works a trace showed in one gallery (loaded from the pool, or those made live)."""
    if trace.works and trace.works[gallery]:
        return list(trace.works[gallery])
    return [files.load(trace.pool, pool, int(r)) for r in trace.rows[gallery]]


def kept_before(trace: Trace, gallery: int, pool: Pool, files: WorkFiles) -> list[Any]:
    """Every work the person kept in the galleries before ``gallery``."""
    out: list[Any] = []
    for g in range(gallery):
        works = gallery_works(trace, g, pool, files)
        out.extend(works[i] for i in trace.kept[g])
    return out


def fidelity_and_copies(domain: str, pools: Sequence[Pool], traces: Sequence[Trace], files: WorkFiles,
                        first: int = 1, people: int | None = None, seed: int = 0) -> dict[str, Any]:
    """Fidelity per pool, pooled over galleries ``first``.. of all its people (or the first
    ``people`` of each pool), and copy rates of the same works against the samples and against
    what each person kept earlier.

    Melodies: ``mean_oa`` (overlapping area with the genuine non-sample works) and the share of
    works that are copies (``metrics.is_copy``). Paintings: ``swd_ratio`` against the painter's
    other works and ``copy_score`` (share of near-exact patches; :data:`PAINTING_COPY_PATCHES` random
    patches per work, each searched over every position of the samples or kept works at 256 px).
    """
    per_pool: dict[int, list[Any]] = {}
    copy_liked: list[float] = []
    count: dict[int, int] = {}
    for trace in traces:
        if people is not None and count.get(trace.pool, 0) >= people:
            continue
        count[trace.pool] = count.get(trace.pool, 0) + 1
        pool = pools[trace.pool]
        for g in range(first, len(trace.liked)):
            works = gallery_works(trace, g, pool, files)
            per_pool.setdefault(trace.pool, []).extend(works)
            liked = kept_before(trace, g, pool, files)
            if liked:
                copy_liked.append(_copy_share(domain, works, liked, seed))
    fidelity: list[float] = []
    copy_samples: list[float] = []
    for p, works in sorted(per_pool.items()):
        pool = pools[p]
        samples = [files.load(p, pool, int(r)) for r in sample_rows(pool)]
        reference = [files.load(p, pool, int(r)) for r in reference_rows(pool)]
        copy_samples.append(_copy_share(domain, works, samples, seed))
        if len(reference) < 2 or len(works) < 2:
            continue
        if domain == "melody":
            from studio.domains.melody.metrics import overlap_report

            fidelity.append(overlap_report(works, reference)["mean_oa"])
        else:
            from studio.domains.painting.metrics import swd_ratio

            fidelity.append(swd_ratio(works, reference, samples, long_side=256, seed=seed).overall)
    key = "mean_oa" if domain == "melody" else "swd_ratio"
    return {key: fidelity, "copy_samples": mean_se(copy_samples)[0] if copy_samples else float("nan"),
            "copy_liked": mean_se(copy_liked)[0] if copy_liked else float("nan"),
            "works": int(sum(len(w) for w in per_pool.values()))}


def _copy_share(domain: str, works: Sequence[Any], support: Sequence[Any], seed: int) -> float:
    if not works or not support:
        return float("nan")
    if domain == "melody":
        from studio.domains.melody.metrics import copy_rate

        return copy_rate(list(works), list(support))
    from studio.domains.painting.metrics import copy_score

    return copy_score(list(works), list(support), long_side=256, seed=seed, per_image=PAINTING_COPY_PATCHES)
