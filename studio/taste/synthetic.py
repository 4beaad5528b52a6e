"""Small synthetic pools with the real descriptor shapes: for tests and for developing learners.

Role: lets the taste learners (people, embedding, taste model, curator) be built and unit-tested
without ``runs/taste`` pools. Works of every synthetic pool are drawn from a few hidden factors
shared by all pools (so an embedding can learn something that transfers across pools); the
interpretable features are smooth functions of those factors in natural-looking units, the raw
descriptor a longer, noisier mixture of them. Drafts are drawn a little wider and shifted from
the genuine works, as a generator's are. Nothing here is real data: never measure goals on it.
"""

from __future__ import annotations

import numpy as np

from studio.taste.pools import Pool

LATENT = 5


def _maps(interp_size: int, raw_size: int, settings_size: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(12345)  # the same hidden structure for every pool
    return {"a": rng.normal(size=(LATENT, interp_size)) / np.sqrt(LATENT),
            "b": rng.normal(size=(LATENT, raw_size)) / np.sqrt(LATENT),
            "c": rng.normal(size=(LATENT, raw_size)),
            "scale": rng.uniform(0.5, 12.0, size=interp_size),
            "offset": rng.uniform(-5.0, 60.0, size=interp_size),
            "s": rng.normal(size=(LATENT, settings_size)) / np.sqrt(LATENT)}


def synthetic_pool(domain: str = "melody", collection: str = "synthetic:0", split: str = "train",
                   genuine: int = 60, drafts: int = 90, samples: int = 4, interp_size: int = 10,
                   raw_size: int = 48, settings_size: int = 4, seed: int = 0) -> Pool:
    """A pool of ``genuine`` works (the first ``samples`` of them marked as samples) and ``drafts``."""
    rng = np.random.default_rng(seed)
    m = _maps(interp_size, raw_size, settings_size)
    centre = rng.normal(size=LATENT) * 0.8
    h_gen = centre + 0.7 * rng.normal(size=(genuine, LATENT))
    shift = 0.3 * rng.normal(size=LATENT)
    h_draft = centre + shift + 0.9 * rng.normal(size=(drafts, LATENT))
    h = np.concatenate([h_gen, h_draft])
    n = len(h)
    interp = np.tanh(h @ m["a"]) * m["scale"] + m["offset"] + 0.05 * m["scale"] * rng.normal(size=(n, interp_size))
    raw = h @ m["b"] + 0.5 * np.sin(h @ m["c"]) + 0.3 * rng.normal(size=(n, raw_size))
    is_genuine = np.arange(n) < genuine
    is_sample = np.arange(n) < min(samples, genuine)
    settings = np.full((n, settings_size), np.nan, np.float32)
    settings[genuine:] = np.clip(h_draft @ m["s"] + 0.3 * rng.normal(size=(drafts, settings_size)), -1, 1)
    seeds = np.where(is_genuine, -1, np.arange(n)).astype(np.int64)
    return Pool(domain=domain, collection=collection, split=split, interp=interp.astype(np.float32),
                raw=raw.astype(np.float32), genuine=is_genuine, sample=is_sample, settings=settings,
                seeds=seeds, files=("",) * n)


def synthetic_pools(count: int, domain: str = "melody", split: str = "train", seed: int = 0,
                    **kwargs: int) -> list[Pool]:
    """``count`` synthetic pools with different centres (collections ``synthetic:<i>``)."""
    return [synthetic_pool(domain, f"synthetic:{seed + i}", split, seed=seed + i, **kwargs) for i in range(count)]
