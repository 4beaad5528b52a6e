"""Prints the studio's runtime requirements from pyproject.toml, one a line, for the bundle's build
venv (``make bundle``): the bundle pins exactly what ``pip install .`` would, from one place."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def runtime_requirements(path: Path = PYPROJECT) -> list[str]:
    """``[project].dependencies`` of ``path``."""
    with path.open("rb") as f:
        return list(tomllib.load(f)["project"]["dependencies"])


if __name__ == "__main__":
    print("\n".join(runtime_requirements()))
    sys.exit(0)
