"""The copy guard of adaptation: gradient steps must not turn the works into copies of the samples.

Steps fit the user's paintings. On paintings with large plain areas (blank paper, a flat
ground) they can go as far as painting those areas in exactly the samples' colours; the
brushwork (:mod:`.brushwork`) then rebuilds them with the samples' own, nearly flat, detail,
and the works fill with patches that almost exactly repeat a sample's (docs/BENCHMARKS.md,
"The copy guard"). The guard paints a few fixed check layouts with the weights being judged,
finishes them with the brushwork the gallery uses, and measures the share of their 7x7 patches
that are almost exact copies of a patch of the user's samples (:func:`.metrics.copy_score`,
the benchmark's criterion), always at the same positions, so that two measurements differ
only by the weights. A checkpoint is allowed when that share is at most the start's or
:data:`COPY_LIMIT`, whichever is larger: adaptation may keep what the start did, never add to it.
After :data:`PATIENCE` refusals in a row the guard says further steps are not worth taking
(:attr:`CopyGuard.exhausted`): the steps are fitting the samples' plain areas ever more closely.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import Tensor

from studio.domains.painting import layout as L
from studio.domains.painting.brushwork import DetailBank, transfer
from studio.domains.painting.metrics import copy_score
from studio.domains.painting.model import PaintNet
from studio.domains.painting.params import PaintingParams
from studio.errors import Cancelled

COPY_LIMIT = 0.01  # share of copied patches adaptation may always reach (issue 5's goal for the works)
CHECK_LAYOUTS = 2  # paintings per measurement
PATCHES_PER_LAYOUT = 128  # patches compared per painting (a share resolves to 1 / 256; ~0.4 s on one core)
PATIENCE = 3  # refusals in a row after which more steps are not worth their time
NOTE_PREFIX = "Copy guard:"  # how the adaptation's note about refusals begins (the benchmark counts them by it)


class CopyGuard:
    """Measures how much of fixed check paintings copies the samples, and allows or refuses weights.

    ``layout_images`` are the ``1x3xHxW`` pictures the check layouts are drawn from (the
    adaptation's training images); ``samples`` the user's paintings as ``HxWx3`` uint8 at working
    resolution (what a copy is measured against); ``bank`` and ``brushwork`` finish the paintings
    as the gallery does (no bank or share 0: the network's own detail). :attr:`should_stop`
    (never, unless set) is read between the paintings and between the samples they are compared
    with: when it turns true, a measurement raises Cancelled.
    """

    def __init__(self, net: PaintNet, layout_images: Sequence[Tensor], samples: Sequence[np.ndarray],
                 size: tuple[int, int], bank: DetailBank | None, brushwork: float, seed: int,
                 count: int = CHECK_LAYOUTS, per_image: int = PATCHES_PER_LAYOUT) -> None:
        params = PaintingParams()  # the gallery's default layouts and texture
        rng = np.random.default_rng([seed, 31])
        generator = torch.Generator().manual_seed(seed)
        self.layouts = [L.sample_layout(layout_images, size, rng, coarse_side=params.coarse_side(),
                                        mix_chance=params.mix_chance()) for _ in range(count)]
        self.noise = [tuple(n * params.texture for n in net.make_noise(1, size[0], size[1], generator))
                      for _ in range(count)]
        self.samples = list(samples)
        self.bank, self.brushwork = bank, brushwork
        self.seed, self.per_image = seed, per_image
        self.start: float | None = None  # the share of the first weights measured
        self.refused_in_a_row = 0
        self.should_stop: Callable[[], bool] = lambda: False

    @property
    def limit(self) -> float | None:
        """The largest share a checkpoint may reach (None until the start is measured)."""
        return None if self.start is None else max(self.start, COPY_LIMIT)

    @property
    def exhausted(self) -> bool:
        """Whether the last :data:`PATIENCE` checkpoints were all refused."""
        return self.refused_in_a_row >= PATIENCE

    def paintings(self, net: PaintNet, style: Tensor) -> list[np.ndarray]:
        """The check paintings with ``net``'s weights, finished with the brushwork, as uint8."""
        out = []
        with torch.no_grad():
            for layout, noise in zip(self.layouts, self.noise):
                self._stop_point()
                painted = net(layout, noise, style)
                if self.bank is not None and self.brushwork > 0:
                    self._stop_point()
                    painted = transfer(painted, self.bank, self.brushwork)
                out.append(L.to_rgb(painted))
        return out

    def share(self, net: PaintNet, style: Tensor) -> float:
        """Share in [0, 1] of the check paintings' patches that almost exactly copy a sample's
        (:func:`.metrics.copy_score`, reading :attr:`should_stop` between its chunks)."""
        return copy_score(self.paintings(net, style), self.samples, per_image=self.per_image, seed=self.seed,
                          should_stop=self.should_stop)

    def _stop_point(self) -> None:
        if self.should_stop():
            raise Cancelled()

    def allows(self, net: PaintNet, style: Tensor) -> tuple[bool, float]:
        """Whether ``net``'s weights copy no more than the limit, and their share. The first call
        measures the start, which is always allowed."""
        share = self.share(net, style)
        if self.start is None:
            self.start = share
            return True, share
        ok = share <= self.limit + 1e-9
        self.refused_in_a_row = 0 if ok else self.refused_in_a_row + 1
        return ok, share
