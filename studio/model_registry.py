"""The registry of shipped, meta-trained models: name, domain, weights file (no torch here).

Weights live in ``models/NAME.safetensors`` beside a JSON card ``models/NAME.json`` (data,
command, steps, metrics). The UI and the CLI learn from here what can be offered.
:data:`MODELS_DIR` is the one place that names the models folder: generators, training
commands and benchmarks resolve model names with :func:`model_stem`; :func:`shipped_dir` finds
it (and the demo assets) in the checkout, an installed wheel and the desktop bundle alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.core.samples import Domain

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The folder of the shipped files ``name`` (``models``, ``assets``): inside the installed
    package (``studio/_shipped/NAME``, where a wheel's build puts them: setup.py) if it is there,
    else beside the package (the checkout, and the desktop bundle)."""
    installed = _PACKAGE / "_shipped" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


MODELS_DIR = shipped_dir("models")


def model_stem(name: str | Path, models_dir: Path | None = None) -> Path:
    """Where a stored model's two files live, without their suffix: a bare name (``painting-reptile``)
    is in ``models_dir`` (default :data:`MODELS_DIR`), a name with a folder (``runs/x/best``) is
    that path as given."""
    path = Path(name)
    if path.parent != Path("."):
        return path
    return (MODELS_DIR if models_dir is None else Path(models_dir)) / path


@dataclass(frozen=True)
class ModelInfo:
    name: str  # file stem in models/
    domain: Domain
    description: str
    generator_module: str  # defines load_generator(info: ModelInfo) -> Generator
    methods: tuple[str, ...] = ("reptile",)  # adaptation methods (studio.meta.registry) it supports, default first

    @property
    def weights_path(self) -> Path:
        return MODELS_DIR / f"{self.name}.safetensors"

    @property
    def card_path(self) -> Path:
        return MODELS_DIR / f"{self.name}.json"

    def is_installed(self) -> bool:
        return self.weights_path.is_file() and self.card_path.is_file()


MODELS: dict[str, ModelInfo] = {
    m.name: m
    for m in (
        ModelInfo("melody-reptile", Domain.MELODY,
                  "Melody generator meta-trained with Reptile over folk-song and dance-tune collections",
                  "studio.domains.melody.generator", methods=("reptile", "anil")),
        ModelInfo("painting-reptile", Domain.PAINTING,
                  "Painting generator meta-trained with Reptile over paintings of four artists",
                  "studio.domains.painting.generator", methods=("reptile",)),
    )
}


def default_model(domain: Domain) -> ModelInfo | None:
    """The first installed model of ``domain``, or None."""
    return next((m for m in MODELS.values() if m.domain is domain and m.is_installed()), None)
