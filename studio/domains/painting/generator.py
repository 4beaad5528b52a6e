"""The painting :class:`~studio.domains.base.Generator`: adapt to an artist's paintings, fill and
refine the gallery.

``instant`` conditions the meta-trained network on the samples' style features (FiLM, no
gradient step, well under a second); ``adapt`` takes Adam steps on the samples with the
meta-training objective (:mod:`.objective`), under a step and/or time budget, streaming each
step's loss and, every ``preview_every_s`` seconds, an :class:`AdaptPreview` painting. The
result travels as an :class:`~studio.domains.base.AdaptedModel` whose ``delta`` is safetensors
bytes: the weight delta plus the style features under ``style/features``. With
``early_stopping`` (the model card's ``adapt.early_stopping``) and two or more samples, one
sample is held back from the steps and every :data:`.adaptation.CHECK_EVERY` steps a
:class:`~.objective.HoldoutCheck` scores how close the paintings come to it; the weights of the
best check are kept (possibly the start's; with the card's ``adapt.check_margin`` a later check
must beat the start's score by that share, since the best of many noisy checks beats it by
chance). A :class:`~.copyguard.CopyGuard` (on unless the card's ``adapt.copy_guard`` is false)
refuses any checkpoint whose paintings copy the samples' patches more than the start's do: the
best allowed check is kept, or without a held-back sample the latest allowed one; the steps end
after a few refusals in a row. The result's ``notes`` say what was refused, or that no
checkpoint beat the start.

Every work is painted over a layout (:mod:`.layout`): ``generate`` draws new compositions from
the samples, ``vary`` keeps a work's composition down to a closeness-dependent scale, ``blend``
joins two works' compositions, ``repaint`` regenerates a masked region of a work and feathers
it in, ``render`` paints a work again at a larger size. Every painting's fine detail is then
rebuilt from the samples' own brushwork at the painting's scale (:mod:`.brushwork`, share
``PaintingParams.brushwork``; refinements use the share their parent work was made with). Work
seeds come from the call's seed, seeds in ``exclude_seeds`` (rejected works) are skipped, and
each work's ``provenance`` records how to make it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from studio.core.samples import Domain, Sample
from studio.core.works import Work
from studio.domains.adapted import STYLE_KEY, delta_and_style, weight_delta
from studio.domains.base import AdaptConfig, AdaptedModel, work_seeds
from studio.domains.painting import guided as G
from studio.domains.painting import layout as L
from studio.domains.painting.adaptation import Checkpoints, adapt_step, adapted_parameters, inner_adam
from studio.domains.painting.adaptation import notes as adaptation_notes
from studio.domains.painting.brushwork import BrushworkConfig, DetailBank, transfer
from studio.domains.painting.copyguard import CopyGuard
from studio.domains.painting.library import LayoutChooser, LayoutLibrary, shipped_library
from studio.domains.painting.model import PaintNet
from studio.domains.painting.objective import HoldoutCheck, ObjectiveConfig, Task
from studio.domains.painting.params import PaintingParams
from studio.domains.painting.style import image_features
from studio.domains.painting.weights import load_model
from studio.domains.threads import torch_threads
from studio.errors import AdaptationError, Cancelled
from studio.meta import adapt as meta_adapt
from studio.meta.loop import run_steps
from studio.model_registry import MODELS_DIR, ModelInfo
from studio.progress import NULL_PROGRESS, Progress

DEFAULT_MODEL = "painting-reptile"
WORKING_SIDE = 256
DEFAULT_STEPS = 0  # a card without adapt.steps starts instant: the steps do not measurably pay yet
ADAPTATION_METHOD = "reptile"  # the registry's name of the steps: Adam from the meta-trained start
FEATHER_PX = 6
LIBRARY_TEXTURE = 0.5  # share of the Texture control's noise a work over a library layout or a guide gets
DRAFT_BATCH = 1  # drafts sharing one network pass (see PaintingGenerator.draft)


@dataclass(frozen=True)
class PaintingDraft:
    """A painting drafted up to the network (:meth:`PaintingGenerator.draft`): its work (the image
    without the brushwork), the network's painting it came from and what finishing it needs."""

    work: Work  # seed, provenance and title of the finished work; image: the network's painting, 8-bit
    painted: torch.Tensor  # 1x3xHxW float: the network's painting, before the brushwork
    pin: tuple[torch.Tensor, float] | None  # (layout, closeness) of a guided work, else None
    brushwork: float  # the brushwork share it is finished with


@dataclass(frozen=True)
class AdaptPreview:
    """A painting rendered with the weights of an adaptation still in progress."""

    step: int
    loss: float
    image: np.ndarray  # HxWx3 uint8


def _images(samples: Sequence[Sample]) -> list[torch.Tensor]:
    images = [L.to_tensor(np.asarray(s.image)) for s in samples if getattr(s, "image", None) is not None]
    if not images:
        raise AdaptationError("no painting among the samples: add one or more images")
    return [L.resize(im, _working_size(im)) for im in images]


def _working_size(image: torch.Tensor) -> tuple[int, int]:
    h, w = image.shape[-2:]
    scale = min(1.0, WORKING_SIDE / max(h, w))
    return max(8, round(h * scale)), max(8, round(w * scale))


class PaintingGenerator:
    """The painting domain's generator over one stored model (``models/<model_name>``)."""

    domain = Domain.PAINTING

    def __init__(self, model_name: str = DEFAULT_MODEL, models_dir: str | Path = MODELS_DIR,
                 threads: int | None = None) -> None:
        self.model_name = model_name
        stem = Path(models_dir) / model_name
        self.net, self.params, self.card = load_model(stem)
        adapt_card = self.card.get("adapt", {})
        self.lr = float(adapt_card.get("lr", 1e-3))
        self.default_steps = int(adapt_card.get("steps", DEFAULT_STEPS))
        # name prefixes of the parameters adaptation changes (empty: all of them)
        self.adapt_prefixes: tuple[str, ...] = tuple(adapt_card.get("params", ()))
        # hold one sample back and keep the weights that paint closest to it (2+ samples)
        self.early_stopping = bool(adapt_card.get("early_stopping", False))
        # ... but only weights whose check beats the start's by this share (one noisy check's dip is not a gain)
        self.check_margin = float(adapt_card.get("check_margin", 0.0))
        # refuse checkpoints whose paintings copy the samples more than the start's (.copyguard)
        self.copy_guard = bool(adapt_card.get("copy_guard", True))
        self.objective = ObjectiveConfig()
        self.threads = threads
        self.brushwork = BrushworkConfig()
        self._banks: dict[tuple, DetailBank | None] = {}  # the samples' brushwork by (samples, picture size)
        self._features: dict[tuple, torch.Tensor] = {}  # each sample's style features by (digest, size)
        self.layouts: LayoutLibrary | None = None  # the composition library; None: the shipped one (.library)
        self._choosers: dict[tuple, LayoutChooser] = {}  # the library's layouts suited to a sample set
        self._palettes: dict[tuple, G.SamplePalette] = {}  # the samples' palettes by (samples, sizes, side)
        self.strokes = True  # guided and library layouts carry the samples' structure finer than their kept side
        self.use_library = True  # False: unguided layouts are crops of the samples only (the benchmarks' "crops" row)
        self.guide_variety = True  # False: a guided gallery's works differ only by a small shift (bench guided's "plain" row)
        self.draft_overlap = True  # draft(): the next request's layouts are made while the network paints (False: in turn)

    # --- adaptation ----------------------------------------------------------------------------

    def instant(self, samples: Sequence[Sample], features: torch.Tensor | None = None) -> AdaptedModel:
        """Condition on the samples' style features only (no gradient steps); with ``features``,
        on those instead (the benchmark's un-adapted row: an average training style)."""
        started = time.perf_counter()
        features = self._style(samples, _images(samples)) if features is None else features.reshape(-1)
        data = meta_adapt.delta_to_bytes({STYLE_KEY: features}, {"model": self.model_name})
        return AdaptedModel(self.domain, self.model_name, "instant", data, 0, time.perf_counter() - started,
                            (), tuple(s.digest for s in samples))

    def stops_early(self, samples: Sequence[Sample]) -> bool:
        """Whether :meth:`adapt` holds one of these samples back (early stopping, 2+ paintings)."""
        return self.early_stopping and sum(getattr(s, "image", None) is not None for s in samples) >= 2

    def adapt(self, samples: Sequence[Sample], config: AdaptConfig, progress: Progress = NULL_PROGRESS,
              start: AdaptedModel | None = None, preview_every_s: float | None = None,
              extra: Sequence[np.ndarray] = ()) -> AdaptedModel:
        """Adam steps on the samples (plus ``extra`` images, e.g. kept works) from the meta-trained
        weights or from ``start``'s, in the shared loop (:func:`studio.meta.loop.run_steps`) with
        the checkpointer of :mod:`.adaptation`. Streams each step's loss (a float) and, with
        ``preview_every_s``, an :class:`AdaptPreview` that often (painted with the default
        brushwork, like the gallery that usually follows). The time budget is a ceiling over the
        whole call, set-up included (no step or check starts that would overrun it; one of unknown
        cost is abandoned at the budget's end); cancel takes effect within a fraction of a step
        and keeps the last checkpoint kept (without checks: the steps done).

        Raises AdaptationError for no usable image, an unknown method or a diverging loss.
        """
        method = ADAPTATION_METHOD
        if config.method != method:
            raise AdaptationError(f"the painting model {self.model_name!r} adapts with {method}; "
                                  f"method {config.method!r} is not available for it")
        started = time.perf_counter()  # the time budget covers the set-up too
        own = _images(samples)
        images = own + [L.to_tensor(im) for im in extra]
        task = Task(images, self._style(samples, own, images[len(own):]))
        check = None
        # a stop during the set-up skips what is left of it: the loop then returns at once, with no step;
        # with early stopping the steps never see one of the user's paintings
        if self.stops_early(samples) and not progress.should_stop():
            held = int(np.random.default_rng([config.seed, 29]).integers(len(own)))  # never a kept work
            train = [im for i, im in enumerate(images) if i != held]
            task = Task(train, task.style)  # the conditioning still reads every sample
            aspect = images[held].shape[-1] / images[held].shape[-2]
            check = HoldoutCheck(self.net, train, images[held], L.size_for(aspect, WORKING_SIDE), config.seed)
        net = PaintNet(self.net.config)
        net.load_state_dict(self.params if start is None or start.method == "instant"
                            else meta_adapt.apply_delta(self.params, self._delta(start)))
        net.train()
        named = adapted_parameters(net, self.adapt_prefixes)
        chosen = {n for n, _ in named}
        for name, param in net.named_parameters():
            param.requires_grad_(name in chosen)
        optimizer = inner_adam([p for _, p in named], self.lr)
        preview_size = L.size_for(float(np.median(task.aspects)), WORKING_SIDE)
        guard = None if progress.should_stop() else self._copy_guard(net, samples, task, own, preview_size, config.seed)
        checkpoints = None
        if check is not None or guard is not None:
            checkpoints = Checkpoints(net, [p for _, p in named], task.style, check, guard, self.check_margin)
        rng, generator = np.random.default_rng([config.seed, 17]), torch.Generator().manual_seed(config.seed)
        after_step = None
        if preview_every_s is not None:
            after_step = self._previewer(net, task, samples, images, preview_size, preview_every_s, config.seed,
                                         progress)
        budget = config.time_budget_s
        if budget is not None:
            budget = max(1e-6, budget - (time.perf_counter() - started))
        with torch_threads(self.threads):
            run = run_steps(lambda i, stop: adapt_step(net, task, self.objective, rng, generator, optimizer, stop),
                            steps=config.steps, time_budget_s=budget, progress=progress,
                            checkpointer=checkpoints, after_step=after_step,
                            diverged_hint="adapt again with fewer steps")
        kept = checkpoints.restore() if checkpoints is not None else run.kept_steps
        adapted = {n: p.detach() for n, p in net.named_parameters()}
        total = {n: adapted[n] - self.params[n] for n in self.params}
        total = {n: d for n, d in total.items() if bool(d.abs().max() > 0)}
        data = meta_adapt.delta_to_bytes({**total, STYLE_KEY: task.style.view(-1)}, {"model": self.model_name})
        previous = start.steps if start is not None else 0
        return AdaptedModel(self.domain, self.model_name, method, data, previous + kept,
                            time.perf_counter() - started, tuple(run.losses), tuple(s.digest for s in samples),
                            run.stopped_early,
                            adaptation_notes(checkpoints, kept, start is None) if checkpoints is not None else ())

    def _style(self, samples: Sequence[Sample], own: list[torch.Tensor], extra: Sequence[torch.Tensor] = ()
               ) -> torch.Tensor:
        """The style features of ``own`` (the samples' working-size images, per-image features
        cached by the sample's digest: the window's Adapt follows its instant gallery) and ``extra``."""
        usable = [s for s in samples if getattr(s, "image", None) is not None]
        features = []
        with torch.no_grad():
            for sample, image in zip(usable, own):
                key = (sample.digest, tuple(image.shape))
                if key not in self._features:
                    if len(self._features) >= 64:
                        self._features.pop(next(iter(self._features)))
                    self._features[key] = image_features(image)
                features.append(self._features[key])
            features += [image_features(image) for image in extra]
            return torch.stack(features).mean(dim=0)

    def _previewer(self, net: PaintNet, task: Task, samples: Sequence[Sample], images: list[torch.Tensor],
                   size: tuple[int, int], every_s: float, seed: int, progress: Progress):
        """The loop's ``after_step``: every ``every_s`` seconds an :class:`AdaptPreview` painting."""
        rng = np.random.default_rng([seed, 19])
        last = [time.perf_counter()]

        def preview(step: int, loss: float) -> None:
            if time.perf_counter() - last[0] < every_s or progress.should_stop():
                return
            net.eval()
            layout = L.sample_layout(images, size, rng)
            share = PaintingParams().brushwork  # previews look like the gallery that follows
            bank = self.brushwork_bank(samples, size) if share > 0 else None
            try:
                image = self._paint(net, task.style, [layout], [step], 1.0, bank, share, progress.should_stop)[0]
            finally:
                net.train()
            progress.report_partial(AdaptPreview(step, loss, image))
            last[0] = time.perf_counter()
        return preview

    def _copy_guard(self, net: PaintNet, samples: Sequence[Sample], task: Task, own: list[torch.Tensor],
                    size: tuple[int, int], seed: int) -> CopyGuard | None:
        """The adaptation's copy guard (:mod:`.copyguard`), or None when the card turns it off or
        the works carry none of the samples' brushwork (where the measured copies came from)."""
        share = PaintingParams().brushwork  # what the gallery that follows paints with
        if not self.copy_guard or share <= 0:
            return None
        bank = self.brushwork_bank(samples, size)
        if bank is None:
            return None
        return CopyGuard(net, task.images, [L.to_rgb(im) for im in own], size, bank, share, seed)

    def more_like_these(self, samples: Sequence[Sample], kept: Sequence[Work], config: AdaptConfig,
                        progress: Progress = NULL_PROGRESS, start: AdaptedModel | None = None) -> AdaptedModel:
        """Re-adapt with the kept works as extra samples ("more like these")."""
        extra = [np.asarray(w.image) for w in kept if w.image is not None]
        return self.adapt(samples, config, progress, start, extra=extra)

    def _delta(self, adapted: AdaptedModel) -> dict[str, torch.Tensor]:
        return weight_delta(adapted)

    def _network(self, adapted: AdaptedModel) -> tuple[PaintNet, torch.Tensor]:
        """The network at the adapted weights, and the style features it is conditioned on."""
        stored, features = delta_and_style(adapted, Domain.PAINTING, self.model_name)
        net = PaintNet(self.net.config)
        net.load_state_dict(meta_adapt.apply_delta(self.params, stored))
        net.eval()
        return net, features.view(1, -1)

    # --- painting --------------------------------------------------------------------------------

    def brushwork_bank(self, samples: Sequence[Sample], size: tuple[int, int]) -> DetailBank | None:
        """The samples' brushwork at the scale of a ``size = (h, w)`` picture (cached; see
        :mod:`.brushwork`); None when no sample is large enough at that scale (a sliver of a
        picture): the network's own detail is kept then."""
        long_side = max(size)
        key = (tuple(getattr(s, "digest", id(s)) for s in samples), long_side, self.brushwork)
        if key not in self._banks:
            scaled = []
            for sample in samples:
                if getattr(sample, "image", None) is None:
                    continue
                image = L.to_tensor(np.asarray(sample.image))
                factor = long_side / max(image.shape[-2:])  # the samples at the picture's scale
                scaled.append(L.resize(image, (max(1, round(image.shape[-2] * factor)),
                                               max(1, round(image.shape[-1] * factor)))))
            try:
                bank: DetailBank | None = DetailBank.from_images(scaled, self.brushwork)
            except ValueError:
                bank = None
            if len(self._banks) >= 4:
                self._banks.pop(next(iter(self._banks)))
            self._banks[key] = bank
        return self._banks[key]

    def _chooser(self, samples: Sequence[Sample], images: list[torch.Tensor]) -> LayoutChooser | None:
        """The shipped layouts that suit these samples (cached by their digests); None without a library."""
        library = shipped_library() if self.layouts is None else self.layouts
        if library is None or not self.use_library:
            return None
        key = tuple(getattr(s, "digest", id(s)) for s in samples)
        if key not in self._choosers:
            if len(self._choosers) >= 4:
                self._choosers.pop(next(iter(self._choosers)))
            self._choosers[key] = LayoutChooser(library, [L.to_rgb(im) for im in images])
        return self._choosers[key]

    def _palette(self, samples: Sequence[Sample], images: list[torch.Tensor], side: int) -> G.SamplePalette:
        """The samples' palette at ``side`` (cached by the samples' digests: every gallery of a
        session, and a curated gallery's drafts at up to 7 sides, reuse it; it is never mutated)."""
        key = (tuple(getattr(s, "digest", id(s)) for s in samples), tuple(tuple(im.shape) for im in images), side)
        if key not in self._palettes:
            if len(self._palettes) >= 16:
                self._palettes.pop(next(iter(self._palettes)))
            self._palettes[key] = G.SamplePalette(images, side)
        return self._palettes[key]

    def forget_brushwork(self) -> None:
        """Drop the cached brushwork banks (they are rebuilt on the next painting)."""
        self._banks.clear()

    def _paint(self, net: PaintNet, style: torch.Tensor, layouts: list[torch.Tensor], seeds: list[int],
               texture: float, bank: DetailBank | None = None, brushwork: float = 0.0,
               should_stop: Callable[[], bool] | None = None,
               pin: tuple[torch.Tensor, float] | None = None) -> list[np.ndarray]:
        """The paintings of ``layouts``; ``should_stop`` (an adaptation's preview) is read between
        the network and the brushwork, raising Cancelled when it turns true. With ``pin = (layout,
        closeness)`` (a guided work) the finished painting's coarse levels are pulled back to that
        layout's (:func:`.guided.pin`)."""
        out = []
        with torch.no_grad():
            for layout, seed in zip(layouts, seeds):
                painted = _network_pass(net, style, [layout], [seed], [texture])
                if should_stop is not None and should_stop():
                    raise Cancelled()
                out.append(L.to_rgb(_brush(painted, bank, brushwork, pin)))
        return out

    def _finish(self, adapted: AdaptedModel, samples: Sequence[Sample], layouts_and_seeds, texture: float,
                brushwork: float, operation: str, extra: dict, progress: Progress, title: str) -> list[Work]:
        net, style = self._network(adapted)
        works = []
        total = len(layouts_and_seeds)
        with torch_threads(self.threads):
            for i, (layout, seed, details) in enumerate(layouts_and_seeds):
                if progress.should_stop():
                    break
                bank = self.brushwork_bank(samples, tuple(layout.shape[-2:])) if brushwork > 0 else None
                pinned = details.pop("pin", None)
                work_texture = texture * details.pop("texture_scale", 1.0)
                image = self._paint(net, style, [layout], [seed], work_texture, bank, brushwork,
                                    pin=(layout, pinned) if pinned is not None else None)[0]
                work = self._work(adapted, seed, image, operation, brushwork, extra, details, title)
                works.append(work)
                progress.report_progress((i + 1) / total, f"painting {i + 1} of {total}")
                progress.report_partial(work)
        return works

    def _work(self, adapted: AdaptedModel, seed: int, image: np.ndarray, operation: str, brushwork: float,
              extra: dict, details: dict, title: str) -> Work:
        """A painted work with its provenance (how to make it again), as every operation records it."""
        provenance = {"model": self.model_name, "method": adapted.method, "steps": adapted.steps,
                      "samples": list(adapted.sample_digests), "operation": operation,
                      "brushwork": brushwork, **extra, **details}
        return Work(Domain.PAINTING, seed, image=image, provenance=provenance, title=f"{title} {seed % 10000:04d}")

    def generate(self, adapted: AdaptedModel, samples: Sequence[Sample], params: PaintingParams | None, count: int,
                 seed: int, progress: Progress = NULL_PROGRESS,
                 exclude_seeds: frozenset[int] = frozenset()) -> list[Work]:
        """``count`` new paintings over new layouts from the samples, streamed as they are painted."""
        params = params or PaintingParams()
        plans, extra = self._generate_plans(samples, params, count, seed, exclude_seeds, _images(samples))
        return self._finish(adapted, samples, plans, params.texture, params.brushwork, "generate",
                            extra, progress, "Painting")

    def _generate_plans(self, samples: Sequence[Sample], params: PaintingParams, count: int, seed: int,
                        exclude_seeds: frozenset[int], images: list[torch.Tensor]
                        ) -> tuple[list[tuple[torch.Tensor, int, dict]], dict]:
        """``generate``'s ``(layout, seed, details)`` plans and the provenance they share."""
        aspect = params.aspect_for(samples)
        size = L.size_for(aspect, params.long_side)
        scale = params.long_side / WORKING_SIDE
        working = L.size_for(aspect, WORKING_SIDE)
        plans = []
        closeness = params.closeness if params.guide is not None else params.library_closeness()
        palette = self._palette(samples, images, G.kept_side(closeness))
        chooser = self._chooser(samples, images) if params.guide is None and params.library_share() > 0 else None
        for work_seed in work_seeds(seed, count, exclude_seeds):
            rng = np.random.default_rng([work_seed, 3])
            strokes = None
            if self.strokes:
                strokes = L.sample_layout(images, working, np.random.default_rng([work_seed, 7]),
                                          coarse_side=G.STROKES_SIDE, mix_chance=0.0)
            if params.guide is not None:
                # each work its own reading of the guide: closeness drawn around the chosen one, the
                # masses warped a little, the palette leaning to some samples (bench guided: diversity)
                own = G.work_closeness(closeness, rng) if self.guide_variety else closeness
                layout = G.guided_layout(L.to_tensor(params.guide.image), palette, working, own, rng, strokes,
                                         variety=self.guide_variety)
                details = {"pin": own, "texture_scale": LIBRARY_TEXTURE, "work_closeness": round(own, 3)}
            elif chooser is not None and rng.random() < params.library_share():
                source, name = chooser.layout(working, rng)
                layout = G.guided_layout(source, palette, working, closeness, rng, strokes)
                # not pinned (the brushwork's coarser strokes read better); the network's invented
                # detail halved over these smooth layouts (bench compositions: SWD 1.21 -> 1.11)
                details = {"layout": name, "texture_scale": LIBRARY_TEXTURE}
            else:
                layout = L.sample_layout(images, working, rng, coarse_side=params.coarse_side(),
                                         mix_chance=params.mix_chance())
                details = {}
            plans.append((L.resize(layout, size) if scale != 1 else layout, work_seed, details))
        extra: dict[str, Any] = {"params": params.to_dict()}
        if params.guide is not None:
            extra.update(guide=params.guide.describe(), closeness=params.closeness)
        return plans, extra

    def draft(self, adapted: AdaptedModel, samples: Sequence[Sample],
              requests: Sequence[tuple[PaintingParams, int, int]], progress: Progress = NULL_PROGRESS,
              exclude_seeds: frozenset[int] = frozenset(), batch: int = DRAFT_BATCH) -> list[PaintingDraft]:
        """Paintings drafted up to the network, without their brushwork: for each ``(params, count,
        seed)`` request the works ``generate(adapted, samples, params, count, seed, exclude_seeds=...)``
        would make (each request also skips the seeds drafted before it), as :class:`PaintingDraft`
        s that :meth:`finish_drafts` turns into exactly those works. With ``batch`` > 1 drafts of one
        size share a network pass: the same network paintings up to float rounding (under 1e-6), but
        the brushwork's nearest-patch search then picks another patch in rare places (measured on
        held-out painters: 0.02 % of the 8-bit values differ, by up to 43 levels). Streams each
        draft's work (its network-only image) as a partial; stops between passes when ``progress`` asks."""
        images = _images(samples)
        used = set(exclude_seeds)
        net, style = self._network(adapted)
        step = max(1, batch)
        drafts: list[PaintingDraft] = []
        # The network paints one request's drafts in a worker thread while the next request's layouts
        # are made here (torch releases the GIL in its kernels); partials are reported from this thread.
        with torch_threads(self.threads), torch.no_grad(), ThreadPoolExecutor(1) as worker:
            passes: list[Future[list[PaintingDraft]]] = []
            for params, count, seed in requests:
                if progress.should_stop():
                    break
                plans, extra = self._generate_plans(samples, params, count, seed, frozenset(used), images)
                used.update(s for _, s, _ in plans)
                by_size: dict[tuple[int, int], list[tuple[torch.Tensor, int, dict]]] = {}
                for plan in plans:
                    by_size.setdefault(tuple(plan[0].shape[-2:]), []).append(plan)
                for same in by_size.values():
                    for first in range(0, len(same), step):
                        passes.append(worker.submit(self._draft_pass, net, style, adapted, params, extra,
                                                    same[first:first + step]))
                drafts += self._collect(passes, progress, not self.draft_overlap)
            drafts += self._collect(passes, progress, True)
        return drafts

    def _collect(self, passes: list[Future[list[PaintingDraft]]], progress: Progress, wait: bool) -> list[PaintingDraft]:
        """The drafts of the finished network passes at the head of ``passes`` (all of them with
        ``wait``), reported as partials in order; cancels the rest when ``progress`` asks to stop."""
        out: list[PaintingDraft] = []
        while passes and (wait or passes[0].done()):
            if progress.should_stop():
                for future in passes:
                    future.cancel()
                wait = True
            if passes[0].cancelled():
                passes.pop(0)
                continue
            for draft in passes.pop(0).result():
                out.append(draft)
                progress.report_partial(draft.work)
        return out

    def _draft_pass(self, net: PaintNet, style: torch.Tensor, adapted: AdaptedModel, params: PaintingParams,
                    extra: dict, plans: list[tuple[torch.Tensor, int, dict]]) -> list[PaintingDraft]:
        """One network pass over same-size plans of one request: their drafts."""
        with torch.no_grad():
            textures = [params.texture * details.get("texture_scale", 1.0) for _, _, details in plans]
            painted = _network_pass(net, style, [p[0] for p in plans], [p[1] for p in plans], textures)
        out = []
        for k, (layout, work_seed, details) in enumerate(plans):
            details = dict(details)
            pinned = details.pop("pin", None)
            details.pop("texture_scale", None)
            own = painted[k:k + 1]
            pin = (layout, pinned) if pinned is not None else None
            image = L.to_rgb(G.pin(own, layout, pinned) if pin is not None else own)
            work = self._work(adapted, work_seed, image, "generate", params.brushwork, extra, details, "Painting")
            out.append(PaintingDraft(work, own, pin, params.brushwork))
        return out

    def finish_drafts(self, samples: Sequence[Sample], drafts: Sequence[PaintingDraft],
                      progress: Progress = NULL_PROGRESS) -> list[Work]:
        """The finished works of :meth:`draft`'s drafts: the samples' brushwork (and a guided work's
        pin) over each network painting, as ``generate`` finishes its works."""
        works = []
        with torch_threads(self.threads), torch.no_grad():
            for draft in drafts:
                if progress.should_stop():
                    break
                size = tuple(draft.painted.shape[-2:])
                bank = self.brushwork_bank(samples, size) if draft.brushwork > 0 else None
                image = L.to_rgb(_brush(draft.painted, bank, draft.brushwork, draft.pin))
                works.append(replace(draft.work, image=image))
        return works

    def vary(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, closeness: float, count: int,
             seed: int, progress: Progress = NULL_PROGRESS, exclude_seeds: frozenset[int] = frozenset()) -> list[Work]:
        """Variations keeping ``work``'s composition: closeness 1 keeps detail down to a quarter of
        the size, 0 only a 12-px sketch of it."""
        source = _work_tensor(work)
        size = tuple(source.shape[-2:])
        side = L.closeness_side(closeness, max(size))
        layout = L.from_image(source, size, side)
        plans = [(layout, s, {}) for s in work_seeds(seed, count, exclude_seeds | {work.seed})]
        return self._finish(adapted, samples, plans, 1.0, _brushwork_of(work), "vary",
                            {"parent": work.id, "closeness": closeness, **_guide_of(work)}, progress, "Variation")

    def blend(self, adapted: AdaptedModel, samples: Sequence[Sample], a: Work, b: Work, seed: int,
              progress: Progress = NULL_PROGRESS) -> Work:
        """A painting whose composition joins ``a``'s and ``b``'s along a soft random boundary."""
        ta, tb = _work_tensor(a), _work_tensor(b)
        size = tuple(ta.shape[-2:])
        rng = np.random.default_rng([seed, 5])
        m = L.soft_mask(size, rng, cells=2, softness=0.5)
        layout = L.blurred(ta * m + L.resize(tb, size) * (1 - m), 32)
        works = self._finish(adapted, samples, [(layout, seed, {})], 1.0, _brushwork_of(a), "blend",
                             {"parents": [a.id, b.id]}, progress, "Blend")
        if not works:
            raise AdaptationError("the blend was cancelled")
        return works[0]

    def repaint(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, mask: np.ndarray, seed: int,
                progress: Progress = NULL_PROGRESS) -> Work:
        """``work`` with the region where ``mask`` (HxW, nonzero = repaint) is set painted anew.

        Inside the mask the layout keeps only a 16-px sketch of the work; outside, the work
        itself, so the painted detail continues across the edge, which is feathered over a few
        pixels. Raises AdaptationError for an empty mask or one of another size.
        """
        source = _work_tensor(work)
        h, w = source.shape[-2:]
        mask = np.asarray(mask)
        if mask.shape[:2] != (h, w):
            raise AdaptationError(f"the mask is {mask.shape[1]}x{mask.shape[0]} px but the painting is {w}x{h}")
        if not mask.any():
            raise AdaptationError("the mask is empty: brush over the region to repaint first")
        m = torch.from_numpy((mask > 0).astype(np.float32))[None, None]
        feather = _feather(m, FEATHER_PX)
        sketch = L.blurred(source, 16)
        layout = source * (1 - feather) + sketch * feather
        net, style = self._network(adapted)
        brushwork = _brushwork_of(work)
        with torch_threads(self.threads):
            bank = self.brushwork_bank(samples, (h, w)) if brushwork > 0 else None
            painted = L.to_tensor(self._paint(net, style, [layout], [seed], 1.0, bank, brushwork)[0])
        image = L.to_rgb(source * (1 - feather) + painted * feather)
        provenance = {**work.provenance, "operation": "repaint", "parent": work.id, "repaint_seed": seed,
                      "repainted_share": round(float(m.mean()), 4)}
        result = Work(Domain.PAINTING, work.seed, image=image, provenance=provenance, title=work.title)
        progress.report_partial(result)
        return result

    def render(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, long_side: int,
               progress: Progress = NULL_PROGRESS) -> Work:
        """``work`` painted again at ``long_side`` px: its composition, new detail at the new scale."""
        source = _work_tensor(work)
        h, w = source.shape[-2:]
        scale = long_side / max(h, w)
        size = (max(16, round(h * scale)), max(16, round(w * scale)))
        layout = L.from_image(source, size, max(h, w))
        works = self._finish(adapted, samples, [(layout, work.seed, {})], 0.6, _brushwork_of(work), "render",
                             {"parent": work.id, "long_side": long_side, **_guide_of(work)}, progress, "Render")
        if not works:
            raise AdaptationError("the render was cancelled")
        return replace(works[0], title=f"{work.title} ({long_side} px)")


def _network_pass(net: PaintNet, style: torch.Tensor, layouts: list[torch.Tensor], seeds: list[int],
                  textures: list[float]) -> torch.Tensor:
    """The network's paintings (Bx3xHxW) of same-size ``layouts`` in one pass, each with its own
    seeded noise scaled by its texture (one layout: exactly what one painting always was)."""
    noises = []
    for layout, seed, texture in zip(layouts, seeds, textures):
        generator = torch.Generator().manual_seed(int(seed))
        full, half = net.make_noise(1, layout.shape[-2], layout.shape[-1], generator)
        noises.append((full * texture, half * texture))
    if len(layouts) == 1:
        return net(layouts[0], noises[0], style)
    return net(torch.cat(layouts), (torch.cat([n[0] for n in noises]), torch.cat([n[1] for n in noises])), style)


def _brush(painted: torch.Tensor, bank: DetailBank | None, brushwork: float,
           pin: tuple[torch.Tensor, float] | None) -> torch.Tensor:
    """A network painting finished: the samples' brushwork, then a guided work's pin."""
    if bank is not None and brushwork > 0:
        painted = transfer(painted, bank, brushwork)
    if pin is not None:
        painted = G.pin(painted, pin[0], pin[1])
    return painted


def _brushwork_of(work: Work) -> float:
    """The brushwork share ``work`` was painted with (its generate call's, or the default for
    works made before the option existed), so refinements of it keep its look."""
    value = work.provenance.get("brushwork", work.provenance.get("params", {}).get("brushwork"))
    try:
        return min(1.0, max(0.0, float(value)))
    except (TypeError, ValueError):
        return PaintingParams().brushwork


def _guide_of(work: Work) -> dict[str, Any]:
    """The guide ``work`` was painted from, as provenance entries its variations and renders
    carry on (``guide``: the guide's description, ``guide_closeness``: the Closeness it was
    followed at); empty for an unguided work. Read from the work's own entries (a generated,
    repainted, varied or rendered work) or its generation params."""
    provenance = work.provenance
    params = provenance.get("params") if isinstance(provenance.get("params"), dict) else {}
    guide = provenance.get("guide") or params.get("guide")
    if not isinstance(guide, dict):
        return {}
    closeness = provenance.get("guide_closeness")
    if closeness is None and params.get("guide"):
        closeness = params.get("closeness")
    if closeness is None and provenance.get("operation") in ("generate", "repaint"):
        closeness = provenance.get("closeness")
    out: dict[str, Any] = {"guide": dict(guide)}
    if isinstance(closeness, (int, float)):
        out["guide_closeness"] = float(closeness)
    return out


def _work_tensor(work: Work) -> torch.Tensor:
    if work.image is None:
        raise AdaptationError(f"{work.title or 'this work'} is not a painting")
    return L.to_tensor(np.asarray(work.image))


def _feather(mask: torch.Tensor, radius: int) -> torch.Tensor:
    """``mask`` grown by ``radius`` px and smoothed over as many, in ``[0, 1]``."""
    k = 2 * radius + 1
    grown = F.max_pool2d(mask, k, stride=1, padding=radius)
    return F.avg_pool2d(grown, k, stride=1, padding=radius, count_include_pad=False).clamp(0, 1)


def load_generator(info: ModelInfo) -> PaintingGenerator:
    """The engine's entry point: the generator for a registered model (see studio.model_registry)."""
    return PaintingGenerator(model_name=info.name, models_dir=info.weights_path.parent)
