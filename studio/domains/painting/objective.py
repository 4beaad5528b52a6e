"""The one loss the painting generator is meta-trained and adapted with.

For a sample set (a "task"): draw new layouts from the samples (:mod:`.layout`), paint them,
and score the paintings with the Laplacian-pyramid patch SWD against the samples
(:func:`.losses.patch_swd_loss`) plus a layout term that keeps the painting faithful to its
layout's coarse colours (so compositions, variations and repaints stay where they were put).
Training paints random crops of working-size layouts, so brushwork keeps the scale it has at
256 px while a step stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from studio.domains.painting import layout as L
from studio.domains.painting.losses import patch_swd_loss
from studio.domains.painting.model import PaintNet
from studio.errors import Cancelled

COARSE_SIDES = (16, 24, 32, 48, 64)  # layouts of every blur the generator will meet


@dataclass(frozen=True)
class ObjectiveConfig:
    batch: int = 2  # paintings per step
    crop: int = 128  # side of the painted crop (px); 0 paints whole working-size layouts
    long_side: int = 256  # working resolution of the layouts the crops come from
    patches: int = 1024  # patches per pyramid level and set
    directions: int = 64  # random projections per level
    layout_weight: float = 1.0


class Task:
    """A sample set prepared for the objective: tensors, style features, aspect ratios.

    ``images`` stay on the CPU, where layouts are drawn; ``targets`` (the same images, the
    loss's side) and ``style`` live on ``device``, the network's (the CPU unless training on a GPU).
    """

    def __init__(self, images: Sequence[Tensor], style: Tensor, device: torch.device | str | None = None) -> None:
        if not images:
            raise ValueError("a task needs at least one image")
        self.images = list(images)
        self.device = torch.device(device or "cpu")
        self.targets = [im.to(self.device) for im in self.images]
        self.style = style.view(1, -1).to(self.device)
        self.aspects = [im.shape[-1] / im.shape[-2] for im in self.images]


def paint_batch(net: PaintNet, task: Task, config: ObjectiveConfig, rng: np.random.Generator,
                generator: torch.Generator) -> tuple[Tensor, Tensor, list[int]]:
    """``(paintings, layouts, coarse sides)`` of one training batch (crops of working-size layouts)."""
    plans = []
    for _ in range(config.batch):
        aspect = task.aspects[int(rng.integers(len(task.aspects)))]
        plans.append((L.size_for(aspect, config.long_side), int(COARSE_SIDES[int(rng.integers(len(COARSE_SIDES)))])))
    c = min([config.crop] + [min(size) for size, _ in plans]) if config.crop else 0
    layouts, sides = [], []
    for size, side in plans:
        size = size if c else plans[0][0]  # whole layouts share the first one's size
        layout = L.sample_layout(task.images, size, rng, coarse_side=side)
        if c:
            y = int(rng.integers(0, size[0] - c + 1))
            x = int(rng.integers(0, size[1] - c + 1))
            layout = layout[..., y:y + c, x:x + c]
        layouts.append(layout)
        sides.append(side)
    batch = torch.cat(layouts).to(task.device)
    noise = tuple(n.to(task.device) for n in net.make_noise(len(batch), batch.shape[-2], batch.shape[-1], generator))
    return net(batch, noise, task.style), batch, sides


def task_loss(net: PaintNet, task: Task, config: ObjectiveConfig, rng: np.random.Generator,
              generator: torch.Generator, should_stop: Callable[[], bool] | None = None) -> Tensor:
    """The objective on one freshly drawn batch (differentiable in ``net``'s parameters).

    ``should_stop`` is read after the painting and between the loss's pyramid levels: when it
    turns true, Cancelled is raised (run-time adaptation stops within a fraction of a step).
    """
    painted, layouts, sides = paint_batch(net, task, config, rng, generator)
    if should_stop is not None and should_stop():
        raise Cancelled()
    loss = patch_swd_loss(painted, task.targets, generator, patches=config.patches, directions=config.directions,
                          should_stop=should_stop)
    if config.layout_weight:
        faithful = 0.0
        for i, side in enumerate(sides):
            scale = side / max(config.long_side, 1)
            h, w = painted.shape[-2:]
            small = (max(2, round(h * scale)), max(2, round(w * scale)))
            faithful = faithful + (L.resize(painted[i:i + 1].clamp(0, 1), small)
                                   - L.resize(layouts[i:i + 1], small)).abs().mean()
        loss = loss + config.layout_weight * faithful / len(sides)
    return loss


class HoldoutCheck:
    """Early stopping for adaptation: how far paintings drift from a sample the steps never see.

    Paints ``count`` fixed layouts (drawn once from the training samples, with fixed noise) and
    returns the patch SWD between them and the held-back ``holdout`` image, with fixed patch
    positions and directions, so two scores differ only by the weights. Lower is better.
    :attr:`should_stop` (never, unless set) is read between the paintings and the loss's levels:
    when it turns true, :meth:`score` raises Cancelled.
    """

    def __init__(self, net: PaintNet, train_images: Sequence[Tensor], holdout: Tensor, size: tuple[int, int],
                 seed: int, count: int = 2, patches: int = 2048, directions: int = 128) -> None:
        rng = np.random.default_rng([seed, 23])
        generator = torch.Generator().manual_seed(seed)
        self.layouts = torch.cat([L.sample_layout(train_images, size, rng) for _ in range(count)])
        self.noise = net.make_noise(count, size[0], size[1], generator)
        self.holdout = [holdout]
        self.seed, self.patches, self.directions = seed, patches, directions
        self.should_stop: Callable[[], bool] = _never

    def score(self, net: PaintNet, style: Tensor) -> float:
        paintings = []
        with torch.no_grad():
            for i in range(len(self.layouts)):  # one at a time, so that a stop waits for one painting at most
                if self.should_stop():
                    raise Cancelled()
                paintings.append(net(self.layouts[i:i + 1], (self.noise[0][i:i + 1], self.noise[1][i:i + 1]),
                                     style).clamp(0, 1))
            if self.should_stop():
                raise Cancelled()
            painted = torch.cat(paintings)
            generator = torch.Generator().manual_seed(self.seed)
            return float(patch_swd_loss(painted, self.holdout, generator, patches=self.patches,
                                        directions=self.directions, should_stop=self.should_stop))


def _never() -> bool:
    return False
