"""The meta-trained work embedding of taste learning, and how the shipped one is loaded.

Role: maps a work's descriptor (standardised interpretable features and raw descriptor) to a
point in a small space where a person's kept and rejected works form prototypes
(:mod:`studio.taste.model`). :class:`TasteEmbedding` is the network and nothing else (an MLP
over ``[interp_z, raw_z]`` plus a linear pass-through of the interpretable features, which starts
as the identity so meta-training starts from the interpretable baseline); it is meta-trained by
:mod:`studio.taste.train_embedding`. :class:`Embedder` is what callers hold: numpy in, numpy
out, no gradients, with the standardiser, the feature spec and the score calibration that came
with the weights.

Shipped weights: ``models/taste-<domain>.safetensors`` + ``.json`` (:func:`load_embedder`;
the card holds the config, the standardiser, the feature spec version and the calibration).
Without them, :func:`load_embedder_or_identity` falls back to :func:`identity_embedder`, the
interpretable features alone, so taste learning still works (less well) in a checkout whose
weights were not trained yet.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import torch
from torch import Tensor, nn

from studio.errors import CheckpointError, StudioError
from studio.meta.checkpoint import check_matches, load_checkpoint, paths, save_checkpoint
from studio.model_registry import model_stem
from studio.taste.features import FeatureSpec
from studio.taste.people import Standardiser

FORMAT_KIND = "taste-embedding"
# p_like = sigmoid(a * score + b) for the identity embedder when nothing better is known: b is the
# log-odds of the base rate (a quarter of works are above the 75th percentile)
DEFAULT_IDENTITY_CALIBRATION = (0.25, math.log(0.25 / 0.75))


@dataclass(frozen=True)
class TasteEmbeddingConfig:
    """Shape of the taste embedding (stored in the weights' card)."""

    interp_size: int  # F, the domain's interpretable features
    raw_size: int  # R, the raw descriptor
    hidden: int = 64  # width of the MLP's two hidden layers
    dim: int = 24  # D, the embedding size
    dropout: float = 0.1  # on the inputs while training: no single raw dimension may decide
    layers: int = 2  # hidden layers of the MLP (0: the learned part is linear)
    relative: bool = False  # also read each work's interpretable features minus the samples' mean (the
    #                        person's collection), so tastes relative to the collection can be learnt.
    #                        Tried, not shipped: vs the shipped embeddings on held-out pools and tastes,
    #                        melody +0.003..+0.010 AUC (+-0.004), painting -0.003..-0.007 (+-0.003)
    extra: int = 0  # > 0: the embedding is [interp_z * learnt positive scales, MLP output of this size]
    #               (the interpretable geometry kept as it is, plus learned dimensions); 0: skip + MLP over dim.
    #               Tried on partial painting pools, not shipped: it stayed at the identity's AUC

    def __post_init__(self) -> None:
        if min(self.interp_size, self.hidden, self.dim) < 1 or self.raw_size < 0:
            raise ValueError("interp_size, hidden and dim must be positive and raw_size >= 0")
        if self.layers < 0 or self.extra < 0:
            raise ValueError("layers and extra must be >= 0")
        if self.extra and self.dim != self.interp_size + self.extra:
            raise ValueError("with extra dimensions, dim must be interp_size + extra")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")


class TasteEmbedding(nn.Module):
    """``(interp_z (N, F), raw_z (N, R)) -> (N, D)``: a linear pass-through of the interpretable
    features (initialised to put them in the first dimensions) plus an MLP over both."""

    def __init__(self, config: TasteEmbeddingConfig) -> None:
        super().__init__()
        self.config = config
        width = config.interp_size * (2 if config.relative else 1) + config.raw_size
        self.drop = nn.Dropout(config.dropout)
        widths = [width] + [config.hidden] * config.layers
        hidden: list[nn.Module] = []
        for a, b in zip(widths[:-1], widths[1:]):
            hidden += [nn.Linear(a, b), nn.ReLU()]
        self.mlp = nn.Sequential(*hidden, nn.Linear(widths[-1], config.extra or config.dim))
        self.skip = nn.Linear(config.interp_size, config.dim, bias=False)
        self.log_scales = nn.Parameter(torch.zeros(config.interp_size if config.extra else 0))
        with torch.no_grad():
            last = self.mlp[-1]
            assert isinstance(last, nn.Linear)
            last.weight.mul_(0.1)
            last.bias.zero_()
            self.skip.weight.zero_()
            k = min(config.interp_size, config.dim)
            self.skip.weight[:k, :k] = torch.eye(k)

    def forward(self, interp_z: Tensor, raw_z: Tensor, centre: Tensor | None = None) -> Tensor:
        skip, learned = self.parts(interp_z, raw_z, centre)
        return skip + learned

    def parts(self, interp_z: Tensor, raw_z: Tensor, centre: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """The pass-through of the interpretable features and the learned part (the sum is the
        embedding). ``centre`` ``(F,)``: the standardised mean of the samples (relative embeddings
        only; None: the training collections' average, 0)."""
        inputs = [interp_z, raw_z]
        if self.config.relative:
            inputs.append(interp_z - centre if centre is not None else interp_z)
        x = self.drop(torch.cat(inputs, dim=1))
        if self.config.extra:
            learned = self.mlp(x)
            zeros = torch.zeros(len(x), self.config.extra, dtype=x.dtype)
            return (torch.cat([interp_z * self.log_scales.exp(), zeros], dim=1),
                    torch.cat([torch.zeros_like(interp_z), learned], dim=1))
        return self.skip(interp_z), self.mlp(x)


def generic_spec(domain: str, interp_size: int, raw_size: int) -> FeatureSpec:
    """A spec with numbered features, for descriptors whose domain has no describer here."""
    names = tuple(f"feature {i + 1}" for i in range(interp_size))
    return FeatureSpec(domain, names, tuple(f"more {n}" for n in names), tuple(f"less {n}" for n in names), raw_size)


def domain_spec(domain: str) -> FeatureSpec:
    """The domain's feature spec (from its describer). Raises StudioError when it has none."""
    try:
        from studio.taste.describe import spec_for
    except ImportError as exc:
        raise StudioError(f"no describer for {domain!r} taste features is installed ({exc})") from exc
    try:
        return spec_for(domain)
    except (ValueError, KeyError) as exc:
        raise StudioError(f"no taste features for the domain {domain!r}") from exc


class Embedder:
    """A taste embedding ready to use: numpy descriptors (natural units) in, ``(N, D)`` float32 out.

    ``module`` is None for the identity embedder (the standardised interpretable features).
    ``calibration`` ``(a, b)``: the taste model's p_like is ``sigmoid(a * score + b)``.
    ``background`` ``(D,)``: the mean embedding of the training works (where a taste model's
    prototypes start before any feedback).
    """

    def __init__(self, domain: str, spec: FeatureSpec, standardiser: Standardiser,
                 module: TasteEmbedding | None = None, calibration: tuple[float, float] = (1.0, 0.0),
                 background: np.ndarray | None = None, name: str = "identity",
                 card: Mapping[str, Any] | None = None) -> None:
        if len(standardiser.interp_mean) != spec.size or len(standardiser.raw_mean) != spec.raw_size:
            raise ValueError(f"the standardiser ({len(standardiser.interp_mean)}, {len(standardiser.raw_mean)}) "
                             f"does not fit the feature spec ({spec.size}, {spec.raw_size})")
        self.domain = domain
        self.spec = spec
        self.standardiser = standardiser
        self.module = module.eval() if module is not None else None
        self.dim = module.config.dim if module is not None else spec.size
        self.calibration = (float(calibration[0]), float(calibration[1]))
        self.background = (np.zeros(self.dim, np.float32) if background is None
                           else np.asarray(background, np.float32).reshape(self.dim))
        self.name = name
        self.card: dict[str, Any] = dict(card or {})

    @property
    def is_identity(self) -> bool:
        return self.module is None

    def embed(self, interp: np.ndarray, raw: np.ndarray, samples_interp: np.ndarray | None = None) -> np.ndarray:
        """``(N, D)`` float32 embeddings of ``N`` works (N may be 0). ``samples_interp`` ``(S, F)``: the
        person's samples (natural units), which a relative embedding compares every work with.
        Raises ValueError when the arrays do not have the spec's widths."""
        if len(interp) == 0 and len(raw) == 0:
            return np.zeros((0, self.dim), np.float32)
        if len(interp) != len(raw):
            raise ValueError(f"{len(interp)} interpretable rows but {len(raw)} raw rows")
        centre = None
        if samples_interp is not None and len(samples_interp):
            samples = np.asarray(samples_interp, np.float32).reshape(-1, self.spec.size)
            centre = self.standardiser.apply(samples, np.zeros((len(samples), self.spec.raw_size), np.float32))[0].mean(0)
        return self.embed_standardised(*self.standardiser.apply(interp, raw), centre)

    @property
    def relative(self) -> bool:
        """Whether embeddings depend on the person's samples (see :meth:`embed`)."""
        return self.module is not None and self.module.config.relative

    def embed_standardised(self, interp_z: np.ndarray, raw_z: np.ndarray, centre_z: np.ndarray | None = None
                           ) -> np.ndarray:
        """:meth:`embed` of descriptors already standardised with :attr:`standardiser` (``centre_z``: the
        samples' standardised mean)."""
        if self.module is None:
            return np.asarray(interp_z, np.float32)
        if len(interp_z) == 0:
            return np.zeros((0, self.dim), np.float32)
        with torch.inference_mode():
            centre = None if centre_z is None else torch.from_numpy(np.asarray(centre_z, np.float32))
            return self.module(torch.from_numpy(interp_z), torch.from_numpy(raw_z), centre).numpy().astype(
                np.float32, copy=False)


def identity_embedder(domain: str, standardiser: Standardiser, spec: FeatureSpec | None = None,
                      calibration: tuple[float, float] = DEFAULT_IDENTITY_CALIBRATION) -> Embedder:
    """The interpretable features alone (standardised): the baseline the learned embedding must beat."""
    if spec is None:
        try:
            spec = domain_spec(domain)
        except StudioError:
            spec = generic_spec(domain, len(standardiser.interp_mean), len(standardiser.raw_mean))
    return Embedder(domain, spec, standardiser, None, calibration, None, "identity")


def save_embedder(embedder: Embedder, path_stem: str | Path, card: Mapping[str, Any]) -> None:
    """Write an embedder as ``<stem>.safetensors`` + ``<stem>.json``; ``card`` adds data, command,
    steps and metrics to what the embedder itself records. The identity embedder is saved too
    (no tensors; its standardiser and calibration are what it learnt from the training pools):
    that is what ships when the learned embedding does not beat the interpretable features."""
    spec = embedder.spec
    full = {**card, "kind": FORMAT_KIND, "domain": embedder.domain,
            "architecture": "identity" if embedder.module is None else "learned",
            "config": None if embedder.module is None else asdict(embedder.module.config),
            "standardiser": embedder.standardiser.to_dict(),
            "feature_spec": {"version": spec.version, "names": list(spec.names), "raw_size": spec.raw_size},
            "calibration": list(embedder.calibration), "background": [float(v) for v in embedder.background]}
    save_checkpoint(path_stem, {} if embedder.module is None else embedder.module.state_dict(), full)


_CACHE: dict[tuple[str, int, int], Embedder] = {}


def load_embedder(domain: str, name: str | None = None, spec: FeatureSpec | None = None) -> Embedder:
    """The shipped embedding of ``domain`` (``models/taste-<domain>``; ``name`` another model name
    or a path stem), loaded once per file version. ``spec`` defaults to the domain's describer.

    Raises CheckpointError (a StudioError naming the file) when the files are missing, corrupt, or
    made for another domain or another version of the domain's features.
    """
    stem = model_stem(name or f"taste-{domain}")
    weights_path, card_path = paths(stem)
    try:
        key = (str(stem), weights_path.stat().st_mtime_ns, card_path.stat().st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _CACHE and spec is None:
        return _CACHE[key]
    tensors, card = load_checkpoint(stem)
    try:
        if card.get("kind") != FORMAT_KIND:
            raise ValueError(f"not a taste embedding (kind {card.get('kind')!r})")
        if card.get("domain") != domain:
            raise ValueError(f"made for {card.get('domain')!r}, not {domain!r}")
        learned = card.get("architecture", "learned") == "learned"
        standardiser = Standardiser.from_dict(card["standardiser"])
        config = TasteEmbeddingConfig(**card["config"]) if learned else None
        sizes = ((config.interp_size, config.raw_size) if config is not None
                 else (len(standardiser.interp_mean), len(standardiser.raw_mean)))
        dim = config.dim if config is not None else sizes[0]
        if (len(standardiser.interp_mean), len(standardiser.raw_mean)) != sizes:
            raise ValueError(f"the standardiser does not fit the network's inputs {sizes}")
        stored = card["feature_spec"]
        calibration = tuple(float(v) for v in card["calibration"])
        background = np.asarray(card["background"], np.float32)
        if len(calibration) != 2 or not all(math.isfinite(v) for v in calibration):
            raise ValueError("calibration must be two finite numbers")
        if background.shape != (dim,) or not np.all(np.isfinite(background)):
            raise ValueError(f"background must be {dim} finite numbers")
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"the taste embedding's card is malformed: {exc}", str(card_path)) from exc
    if spec is None:
        try:
            spec = domain_spec(domain)
        except StudioError:
            names = tuple(str(n) for n in stored.get("names", ()))
            spec = generic_spec(domain, *sizes) if len(names) != sizes[0] \
                else FeatureSpec(domain, names, names, names, sizes[1], int(stored.get("version", 1)))
    if int(stored.get("version", -1)) != spec.version or (spec.size, spec.raw_size) != sizes:
        raise CheckpointError(f"made for version {stored.get('version')} of the {domain} features "
                              f"({sizes[0]} + {sizes[1]} values), but the studio now describes "
                              f"works with version {spec.version} ({spec.size} + {spec.raw_size}): retrain it with "
                              f"`python main.py train-taste --domain {domain}`", str(weights_path))
    module = None
    if config is not None:
        module = TasteEmbedding(config)
        check_matches(tensors, module.state_dict(), weights_path, "taste embedding")
        module.load_state_dict(tensors)
    elif tensors:
        raise CheckpointError("an identity taste embedding must hold no tensors", str(weights_path))
    embedder = Embedder(domain, spec, standardiser, module, (calibration[0], calibration[1]), background,
                        str(name or f"taste-{domain}"), card)
    if key is not None:
        _CACHE[key] = embedder
    return embedder


def load_embedder_or_identity(domain: str, name: str | None = None,
                              standardiser: Standardiser | None = None) -> Embedder:
    """:func:`load_embedder`, or, when that fails, the identity embedder (with ``standardiser``, or
    descriptors taken as they are). The identity's ``card["fallback_reason"]`` says why."""
    try:
        return load_embedder(domain, name)
    except StudioError as exc:
        try:
            spec = domain_spec(domain)
        except StudioError:
            raise exc from None
        identity = identity_embedder(domain, standardiser or Standardiser.unit(spec.size, spec.raw_size), spec)
        identity.card["fallback_reason"] = str(exc)
        return identity
