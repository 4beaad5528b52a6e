"""Objective evaluation of generated melodies: style fidelity, key and groove, novelty.

Style fidelity follows Yang & Lerch, "On the evaluation of generative models in music"
(Neural Computing and Applications, 2020; the mgeval toolbox). Nine features are extracted
from every melody; for each feature, the *intra-set* distances (all pairs of reference
melodies) and the *inter-set* distances (every generated melody against every reference one)
are smoothed by Gaussian kernel density estimates evaluated on ONE shared grid, and the
*overlapping area* ``OA = integral of min(pdf_intra, pdf_inter)`` says how well the generated
set sits inside the reference style (1: indistinguishable, 0: disjoint).

Choices where mgeval leaves room, all deliberate:

* transition matrices are normalised to sum 1 (mgeval's ``normalize=2``) so that their
  distances do not grow with melody length; the mean inter-onset interval is in quarter notes,
  not seconds, so that the tempo of a rendering does not count as style;
* bandwidths follow Scott's rule (scipy's ``gaussian_kde`` default, used by mgeval) with a
  floor of 1% of the pooled range of both distance sets (and 1e-3 when that range is 0): a
  set whose distances are all equal has zero variance and would otherwise get a zero-width
  kernel; two identical degenerate sets then overlap fully and two different ones not at all;
* the grid spans the union range of both distance sets padded by 4 bandwidths on each side,
  so each density integrates to ~1 on it (mgeval integrates over the bare data range, which
  cuts the tails and caps the OA of identical sets below 1).

Novelty compares a melody with the support clips by the longest transposition-invariant run
of shared notes. A run of ``n`` notes is ``n - 1`` equal consecutive *transitions*; a
transition is the pitch interval and, by default, the inter-onset interval (so rhythm and
rests count, articulation and the held length of a run's last note do not). A melody is a
copy when that run is at least :data:`COPY_MIN_RUN` notes or half of its notes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from studio.core.melody import TICKS_PER_QUARTER, KeySignature, Melody

FEATURES = (
    "pitch_count",
    "pitch_class_histogram",
    "pitch_class_transitions",
    "pitch_range",
    "mean_interval",
    "note_count",
    "mean_ioi",
    "note_length_histogram",
    "note_length_transitions",
)
# Yang & Lerch's twelve note-length classes in ticks: whole, half, quarter, eighth, sixteenth;
# their dotted forms; half-, quarter- and eighth-note triplets. A note takes the nearest class
# (the first one listed on a tie).
NOTE_LENGTH_CLASSES = (96, 48, 24, 12, 6, 72, 36, 18, 9, 32, 16, 8)
BANDWIDTH_FLOOR_FRACTION = 0.01
BANDWIDTH_FLOOR_ABSOLUTE = 1e-3
GRID_PAD_BANDWIDTHS = 4.0
GRID_POINTS = 1024
_MAX_GRID_POINTS = 1 << 16
COPY_MIN_RUN = 8
COPY_FRACTION = 0.5

_CLASSES = np.array(NOTE_LENGTH_CLASSES)


# --- features -------------------------------------------------------------------------------


def melody_features(melody: Melody) -> dict[str, np.ndarray]:
    """The nine Yang & Lerch features of ``melody``, each as a flat float vector.

    Scalars are vectors of length 1, histograms of 12 and transition matrices of 144 (row:
    from, column: to). A melody without notes has all-zero features; one note has no
    transitions, interval or inter-onset interval (zeros).
    """
    notes = melody.notes
    pitches = np.array([n.pitch for n in notes], dtype=int)
    classes = np.array([_length_class(n.duration) for n in notes], dtype=int)
    pc_hist = np.bincount(pitches % 12, minlength=12).astype(float)
    nl_hist = np.bincount(classes, minlength=12).astype(float)
    onsets = np.array([n.start for n in notes], dtype=float)
    return {
        "pitch_count": np.array([float(len(set(pitches.tolist())))]),
        "pitch_class_histogram": _normalised(pc_hist),
        "pitch_class_transitions": _transitions(pitches % 12),
        "pitch_range": np.array([float(np.ptp(pitches)) if len(notes) else 0.0]),
        "mean_interval": np.array([_mean(np.abs(np.diff(pitches)))]),
        "note_count": np.array([float(len(notes))]),
        "mean_ioi": np.array([_mean(np.diff(onsets)) / TICKS_PER_QUARTER]),
        "note_length_histogram": _normalised(nl_hist),
        "note_length_transitions": _transitions(classes),
    }


def _length_class(duration: int) -> int:
    return int(np.argmin(np.abs(_CLASSES - duration)))


def _normalised(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    return counts / total if total > 0 else counts


def _transitions(symbols: np.ndarray) -> np.ndarray:
    matrix = np.zeros(144)
    if len(symbols) > 1:
        np.add.at(matrix, symbols[:-1] * 12 + symbols[1:], 1.0)
    return _normalised(matrix)


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else 0.0


def pairwise_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distances between the rows of ``a`` (n x d) and ``b`` (m x d): n x m."""
    return np.stack([np.linalg.norm(b - row, axis=1) for row in a]) if len(a) else np.zeros((0, len(b)))


def intra_set_distances(features: np.ndarray) -> np.ndarray:
    """Distances between all unordered pairs of distinct rows (no self-pairs)."""
    upper = np.triu_indices(len(features), k=1)
    return pairwise_distances(features, features)[upper]


# --- densities and their overlap -------------------------------------------------------------


def scott_bandwidth(samples: np.ndarray) -> float:
    """Scott's rule ``std * n**(-1/5)`` (sample std); 0 for fewer than two samples."""
    samples = np.asarray(samples, dtype=float)
    if len(samples) < 2:
        return 0.0
    return float(samples.std(ddof=1) * len(samples) ** (-0.2))


def silverman_bandwidth(samples: np.ndarray) -> float:
    """Silverman's rule ``std * (3n/4)**(-1/5)``; 0 for fewer than two samples."""
    samples = np.asarray(samples, dtype=float)
    if len(samples) < 2:
        return 0.0
    return float(samples.std(ddof=1) * (0.75 * len(samples)) ** (-0.2))


def kde_on_grid(samples: np.ndarray, grid: np.ndarray, bandwidth: float) -> np.ndarray:
    """Gaussian kernel density of ``samples`` at the points of an evenly spaced ``grid``.

    Samples are linearly binned onto the grid and convolved with the sampled kernel (the
    KernSmooth method): exact to O(spacing^2), and fast for tens of thousands of distances.
    The grid must hold at least two points and the bandwidth must be positive.
    """
    samples = np.asarray(samples, dtype=float)
    if len(grid) < 2 or bandwidth <= 0 or len(samples) == 0:
        raise ValueError("kde_on_grid needs samples, a grid of >= 2 points and a bandwidth > 0")
    step = float(grid[1] - grid[0])
    position = np.clip((samples - grid[0]) / step, 0.0, len(grid) - 1.0)
    left = np.minimum(position.astype(int), len(grid) - 2)
    fraction = position - left
    weights = np.bincount(left, 1.0 - fraction, len(grid)) + np.bincount(left + 1, fraction, len(grid))
    half = int(math.ceil(5.0 * bandwidth / step))
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) * step / bandwidth) ** 2)
    density = np.convolve(weights, kernel)[half : half + len(grid)]
    return density / (len(samples) * bandwidth * math.sqrt(2.0 * math.pi))


def _integrate(values: np.ndarray, grid: np.ndarray) -> float:
    """Trapezoidal rule (numpy's own is ``trapz`` before 2.0 and ``trapezoid`` after)."""
    return float(((values[1:] + values[:-1]) * np.diff(grid)).sum() / 2.0)


@dataclass(frozen=True)
class DensityPair:
    """Two kernel density estimates on one shared grid, with the bandwidths used."""

    grid: np.ndarray
    first: np.ndarray
    second: np.ndarray
    bandwidths: tuple[float, float]


def shared_densities(first: np.ndarray, second: np.ndarray) -> DensityPair:
    """KDEs of two distance sets on one grid covering both (see the module docstring)."""
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if len(first) == 0 or len(second) == 0:
        raise ValueError("both distance sets need at least one value")
    low = min(first.min(), second.min())
    high = max(first.max(), second.max())
    floor = BANDWIDTH_FLOOR_FRACTION * (high - low) if high > low else BANDWIDTH_FLOOR_ABSOLUTE
    widths = (max(scott_bandwidth(first), floor), max(scott_bandwidth(second), floor))
    pad = GRID_PAD_BANDWIDTHS * max(widths)
    # At least 8 grid steps per narrowest bandwidth keep binning and integration accurate.
    points = int(min(_MAX_GRID_POINTS, max(GRID_POINTS, 8 * (high - low + 2 * pad) / min(widths) + 1)))
    grid = np.linspace(low - pad, high + pad, points)
    densities = kde_on_grid(first, grid, widths[0]), kde_on_grid(second, grid, widths[1])
    return DensityPair(grid, *densities, widths)


def overlapping_area(first: np.ndarray, second: np.ndarray) -> float:
    """Integral of ``min(pdf_first, pdf_second)`` on their shared grid, in 0..1."""
    return _overlap(shared_densities(first, second))


def _overlap(pair: DensityPair) -> float:
    return float(min(1.0, _integrate(np.minimum(pair.first, pair.second), pair.grid)))


def kl_divergence(first: np.ndarray, second: np.ndarray) -> float:
    """KL(first || second) in nats between the two KDEs on their shared grid.

    Both densities are renormalised on the grid (as ``scipy.stats.entropy`` does in mgeval);
    the second is floored at 1e-12 so that the result stays finite where the first set has
    mass and the second has none.
    """
    return _kl(shared_densities(first, second))


def _kl(pair: DensityPair) -> float:
    p = pair.first / _integrate(pair.first, pair.grid)
    q = np.maximum(pair.second / _integrate(pair.second, pair.grid), 1e-12)
    mask = p > 0
    integrand = np.zeros_like(p)
    integrand[mask] = p[mask] * np.log(p[mask] / q[mask])
    return float(max(0.0, _integrate(integrand, pair.grid)))


@dataclass(frozen=True)
class FeatureComparison:
    """How one feature's generated-vs-reference distances compare with the reference's own."""

    feature: str
    overlap_area: float
    kl_divergence: float
    intra_mean: float
    intra_std: float
    inter_mean: float
    inter_std: float


def compare_sets(generated: Sequence[Melody], reference: Sequence[Melody]) -> list[FeatureComparison]:
    """One :class:`FeatureComparison` per feature of :data:`FEATURES`.

    Raises ``ValueError`` unless there are at least two reference melodies and one generated.
    """
    if len(reference) < 2 or len(generated) < 1:
        raise ValueError(
            f"need >= 2 reference and >= 1 generated melodies, got {len(reference)} and {len(generated)}"
        )
    gen_features = [melody_features(m) for m in generated]
    ref_features = [melody_features(m) for m in reference]
    results = []
    for feature in FEATURES:
        ref = np.stack([f[feature] for f in ref_features])
        gen = np.stack([f[feature] for f in gen_features])
        intra = intra_set_distances(ref)
        inter = pairwise_distances(gen, ref).ravel()
        pair = shared_densities(intra, inter)
        results.append(FeatureComparison(
            feature, _overlap(pair), _kl(pair),
            float(intra.mean()), float(intra.std()), float(inter.mean()), float(inter.std()),
        ))
    return results


def overlap_report(generated: Sequence[Melody], reference: Sequence[Melody]) -> dict[str, float]:
    """The overlapping area of every feature, keyed by feature name, plus their ``mean_oa``."""
    report = {c.feature: c.overlap_area for c in compare_sets(generated, reference)}
    report["mean_oa"] = float(np.mean(list(report.values())))
    return report


# --- key and groove ---------------------------------------------------------------------------


def key_consistency(melody: Melody, key: KeySignature) -> float:
    """Share of the notes (counted, not weighted by length) whose pitch class is in ``key``'s
    scale (natural minor for minor keys). A melody without notes scores 1."""
    if not melody.notes:
        return 1.0
    scale = key.scale()
    return sum(n.pitch % 12 in scale for n in melody.notes) / len(melody.notes)


def groove_consistency(melody: Melody, all_pairs: bool = False, resolution: int = 1) -> float:
    """Wu & Yang's (2020) grooving similarity: ``1 - mean Hamming distance / Q`` between the
    onset patterns of adjacent bars, or of all pairs of bars with ``all_pairs`` (their
    original definition). A pattern has Q = ``bar_ticks // resolution`` positions: one per
    tick by default, so sixteenths and triplets both count; ``resolution=6`` gives a sixteenth
    grid in 4/4. Monophonic lines have few onsets per bar, so scores sit close to 1 and
    differences of a hundredth matter.

    Bars start after the pickup, which is left out (it is a partial bar by nature); a final
    partial bar counts. With fewer than two bars there is nothing to compare: 1.
    """
    if resolution < 1 or melody.bar_ticks % resolution:
        raise ValueError(f"resolution must divide the bar ({melody.bar_ticks} ticks), got {resolution}")
    body = [n.start - melody.pickup for n in melody.notes if n.start >= melody.pickup]
    bar = melody.bar_ticks
    bars = -(-(melody.length_ticks - melody.pickup) // bar) if body else 0
    if bars < 2:
        return 1.0
    positions = bar // resolution
    patterns = np.zeros((bars, positions), dtype=bool)
    for onset in body:
        patterns[onset // bar, (onset % bar) // resolution] = True
    if all_pairs:
        first, second = np.triu_indices(bars, k=1)
    else:
        first, second = np.arange(bars - 1), np.arange(1, bars)
    hamming = (patterns[first] != patterns[second]).sum(axis=1) / positions
    return float(1.0 - hamming.mean())


# --- novelty ----------------------------------------------------------------------------------


def _transitions_of(melody: Melody, rhythm: bool) -> np.ndarray:
    pitches = np.array([n.pitch for n in melody.notes], dtype=np.int64)
    if not rhythm:
        return np.diff(pitches)
    onsets = np.array([n.start for n in melody.notes], dtype=np.int64)
    # One integer per (interval, inter-onset interval): intervals lie in -127..127.
    return np.diff(onsets) * 256 + np.diff(pitches) + 128 if len(pitches) else np.zeros(0, np.int64)


def _longest_common_run(a: np.ndarray, b: np.ndarray) -> int:
    """Length of the longest common contiguous substring of two integer sequences."""
    if len(a) == 0 or len(b) == 0:
        return 0
    equal = a[:, None] == b[None, :]
    # Shear so that every diagonal of ``equal`` becomes a column, then find the longest run of
    # True down the columns (each column padded with False so runs cannot join).
    rows, cols = np.indices(equal.shape)
    sheared = np.zeros((len(a) + 1, len(a) + len(b) - 1), dtype=np.int8)
    sheared[rows, cols - rows + len(a) - 1] = equal
    flat = np.concatenate(([0], sheared.T.ravel(), [0]))
    edges = np.diff(flat)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((ends - starts).max()) if len(starts) else 0


def longest_shared_run(melody: Melody, support: Sequence[Melody], rhythm: bool = True) -> int:
    """The longest run of consecutive notes of ``melody`` that some support clip also plays,
    transposed or not: equal pitch intervals and, with ``rhythm``, equal inter-onset intervals.

    Any single note is a run of 1 when both melodies have notes; 0 when either is empty.
    """
    if not melody.notes:
        return 0
    mine = _transitions_of(melody, rhythm)
    best = 0
    for clip in support:
        if clip.notes:
            best = max(best, 1 + _longest_common_run(mine, _transitions_of(clip, rhythm)))
    return best


def copy_threshold(note_count: int, min_run: int = COPY_MIN_RUN, fraction: float = COPY_FRACTION) -> int:
    """The shared run that makes a melody of ``note_count`` notes a copy: ``min_run`` notes or
    ``fraction`` of its notes (rounded up, and at least 2: one shared note proves nothing)."""
    return min(min_run, max(2, math.ceil(fraction * note_count)))


def is_copy(melody: Melody, support: Sequence[Melody], min_run: int = COPY_MIN_RUN,
            fraction: float = COPY_FRACTION, rhythm: bool = True) -> bool:
    """Whether ``melody`` shares a run of :func:`copy_threshold` notes with a support clip.
    A melody without notes is never a copy."""
    if not melody.notes:
        return False
    run = longest_shared_run(melody, support, rhythm)
    return run >= copy_threshold(len(melody.notes), min_run, fraction)


def copy_rate(generated: Sequence[Melody], support: Sequence[Melody], min_run: int = COPY_MIN_RUN,
              fraction: float = COPY_FRACTION, rhythm: bool = True) -> float:
    """Share of ``generated`` melodies that are copies of the support. Raises ``ValueError``
    for an empty ``generated``."""
    if not generated:
        raise ValueError("copy_rate needs at least one generated melody")
    return sum(is_copy(m, support, min_run, fraction, rhythm) for m in generated) / len(generated)


def human_copy_rate(tunes: Sequence[Melody], support_size: int = 1, trials: int = 4, seed: int = 0,
                    min_run: int = COPY_MIN_RUN, fraction: float = COPY_FRACTION,
                    rhythm: bool = True) -> float:
    """How often a human tune "copies" other tunes of its own collection: the bar that
    generated melodies must not exceed.

    With ``support_size`` 1 every ordered pair of distinct tunes is tested (the rule is not
    symmetric: it depends on the tested tune's length). With ``support_size`` k > 1, each
    tune is tested against ``trials`` random sets of k other tunes drawn with ``seed``, to
    mirror a generated melody tested against k support clips. Raises ``ValueError`` with
    fewer than ``support_size + 1`` tunes.
    """
    if support_size < 1 or len(tunes) < support_size + 1:
        raise ValueError(f"need support_size >= 1 and more than {support_size} tunes, got {len(tunes)}")
    runs: dict[tuple[int, int], int] = {}

    def run(i: int, j: int) -> int:
        if (i, j) not in runs:
            runs[i, j] = longest_shared_run(tunes[i], [tunes[j]], rhythm)
        return runs[i, j]

    rng = random.Random(seed)
    verdicts = []
    for i, tune in enumerate(tunes):
        others = [j for j in range(len(tunes)) if j != i]
        supports = [[j] for j in others] if support_size == 1 else [
            rng.sample(others, support_size) for _ in range(trials)
        ]
        threshold = copy_threshold(len(tune.notes), min_run, fraction)
        for chosen in supports:
            verdicts.append(bool(tune.notes) and max(run(i, j) for j in chosen) >= threshold)
    return sum(verdicts) / len(verdicts)
