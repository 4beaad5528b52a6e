"""Build hook for wheels: ship the models and the demo samples inside the installed package.

In the checkout the shipped files live beside the package (``models/``, ``assets/``), where the
training commands write them and the desktop bundle finds them. A wheel can only install files
inside a package, so its build copies them to ``studio/_shipped/models`` and
``studio/_shipped/assets``; :func:`studio.model_registry.shipped_dir` looks there first. An
editable install (``pip install -e .``, what ``make setup`` does) copies nothing: it reads the
checkout's folders. Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# What an installed studio reads, by folder: the weights with their cards, the demo samples, icon and
# Getting Started's screenshots.
SHIPPED = {
    "models": ("*.safetensors", "*.json"),
    "assets": ("**/*",),  # all of it: demo samples, Help's pictures (help/, help/zh_CN/), the icon, ...
}


class BuildPyWithShippedData(build_py):
    """``build_py`` that also copies :data:`SHIPPED` into ``studio/_shipped`` of the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "studio" / "_shipped"
        shutil.rmtree(target, ignore_errors=True)  # a stale copy from an older build must not linger
        for folder, patterns in SHIPPED.items():
            files = [p for pattern in patterns for p in sorted((ROOT / folder).glob(pattern)) if p.is_file()]
            if not files:
                raise SystemExit(f"setup.py: nothing matches {folder}/{patterns}; the wheel would ship no {folder}")
            for path in files:
                dest = target / path.relative_to(ROOT)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)


setup(cmdclass={"build_py": BuildPyWithShippedData})
