"""Benchmarks run by ``python main.py bench NAME [--json]``.

Each benchmark is a module ``studio.bench.NAME`` that defines ``DESCRIPTION`` (one line),
``add_arguments(parser)`` to add its own options, and ``run(args) -> dict`` which returns a
JSON-serialisable result (the CLI prints it as a table or, with ``--json``, as JSON).
Results and the exact commands go into docs/BENCHMARKS.md.
"""

from __future__ import annotations

import importlib
import pkgutil


def available() -> list[str]:
    """Names of the benchmark modules in this package."""
    import studio.bench as package

    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))


def load(name: str):
    """Import ``studio.bench.NAME``; raises KeyError for an unknown name."""
    if name not in available():
        raise KeyError(name)
    return importlib.import_module(f"studio.bench.{name}")
