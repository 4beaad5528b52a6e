"""Pools of works per collection: what simulated people judge in meta-training and the benchmark.

Role: the on-disk form shared by the pool builders (``prepare-taste``), the embedding and curator
trainers and ``bench taste``. A pool is one collection (a music21 task, a lead-sheet
songwriter, a painter) holding its genuine works and drafts a generator made after adapting to
a few of them (the ``sample`` rows), each draft with the settings it was drafted with. It is
stored as a folder ``<root>/<domain>/<collection>/`` with ``index.npz`` (plain arrays, read with
``allow_pickle=False``) and the works themselves (``NNNN.mid`` / ``NNNN.png``) for measures
that need more than descriptors (fidelity, copies). Pools are training and benchmark data under
``runs/``; nothing here is shipped or read at run time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.core.atomic import atomic_write_with
from studio.errors import StudioError

DEFAULT_ROOT = Path("runs") / "taste"
INDEX = "index.npz"


@dataclass(frozen=True)
class Pool:
    """One collection's genuine works and drafts, as descriptors (rows align across arrays)."""

    domain: str  # "melody" or "painting"
    collection: str  # e.g. "essen:kinder", "leadsheets:Irving_Berlin", "painting:degas"
    split: str  # "train" (meta-training may use it) or "heldout" (the benchmark's only)
    interp: np.ndarray  # (N, F) float32
    raw: np.ndarray  # (N, R) float32
    genuine: np.ndarray  # (N,) bool: a real work of the collection (else a generated draft)
    sample: np.ndarray  # (N,) bool: one of the genuine works the drafts were adapted to
    settings: np.ndarray  # (N, S) float32, settings_vector of each draft; NaN rows for genuine works
    seeds: np.ndarray  # (N,) int64, each draft's seed; -1 for genuine works
    files: tuple[str, ...]  # each row's work file inside the pool folder ("" when not stored)
    folder: Path | None = None

    def __post_init__(self) -> None:
        n = len(self.interp)
        for name in ("raw", "genuine", "sample", "settings", "seeds"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"pool {self.collection}: {name} has {len(getattr(self, name))} rows, not {n}")
        if len(self.files) != n:
            raise ValueError(f"pool {self.collection}: files has {len(self.files)} rows, not {n}")

    def __len__(self) -> int:
        return len(self.interp)

    def file(self, row: int) -> Path | None:
        """The stored work of ``row``, or None."""
        name = self.files[row]
        return None if not name or self.folder is None else self.folder / name


def folder_name(collection: str) -> str:
    """A file-system-safe folder name for a collection name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", collection)


def pool_folder(root: str | Path, domain: str, collection: str) -> Path:
    return Path(root) / domain / folder_name(collection)


def save_pool(pool: Pool, root: str | Path = DEFAULT_ROOT) -> Path:
    """Write ``pool``'s index into its folder under ``root`` (the work files are the builder's to
    write there first); returns the folder."""
    folder = pool_folder(root, pool.domain, pool.collection)
    folder.mkdir(parents=True, exist_ok=True)
    meta = json.dumps({"domain": pool.domain, "collection": pool.collection, "split": pool.split})
    arrays = {"interp": pool.interp.astype(np.float32), "raw": pool.raw.astype(np.float32),
              "genuine": pool.genuine.astype(bool), "sample": pool.sample.astype(bool),
              "settings": pool.settings.astype(np.float32), "seeds": pool.seeds.astype(np.int64),
              "files": np.array(pool.files, dtype=str), "meta": np.array(meta)}
    atomic_write_with(folder / INDEX, lambda f: np.savez_compressed(f, **arrays))
    return folder


def load_pool(folder: str | Path) -> Pool:
    """Read a pool folder. Raises StudioError naming the folder when its index is missing or bad."""
    path = Path(folder) / INDEX
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            return Pool(domain=meta["domain"], collection=meta["collection"], split=meta["split"],
                        interp=z["interp"], raw=z["raw"], genuine=z["genuine"], sample=z["sample"],
                        settings=z["settings"], seeds=z["seeds"], files=tuple(str(s) for s in z["files"]),
                        folder=Path(folder))
    except (OSError, KeyError, ValueError, json.JSONDecodeError) as exc:
        raise StudioError(f"not a readable taste pool ({exc})", str(path)) from exc


def list_pools(root: str | Path = DEFAULT_ROOT, domain: str | None = None, split: str | None = None) -> list[Pool]:
    """Every pool under ``root`` (of one domain and split when given), in folder-name order."""
    base = Path(root)
    domains = [domain] if domain else sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    pools: list[Pool] = []
    for d in domains:
        folder = base / d
        if not folder.is_dir():
            continue
        for sub in sorted(folder.iterdir()):
            if (sub / INDEX).is_file():
                pool = load_pool(sub)
                if split is None or pool.split == split:
                    pools.append(pool)
    return pools
