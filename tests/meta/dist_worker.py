"""A tiny meta-training run launched by ``torchrun`` from test_trainer.py (not a test module).

``python -m torch.distributed.run --nproc_per_node=2 --standalone tests/meta/dist_worker.py METHOD STEM``
trains the run that :func:`build` describes and leaves rank 0's final checkpoint at ``STEM``.
"""

from __future__ import annotations

import sys

import torch
import torch.distributed as dist

from studio.meta import functional as F
from studio.meta.algorithms import AlgorithmConfig
from studio.meta.inner import InnerConfig
from studio.meta.sinusoid import SineMLP, SineMLPConfig, SinusoidConfig, SinusoidSampler
from studio.meta.trainer import MetaTrainer, TrainerConfig, init_distributed


def build(method: str, checkpoint_path: str | None = None, iterations: int = 3, **overrides) -> MetaTrainer:
    """The shared tiny run: 5 tasks per meta-batch, so 2 processes get uneven shards (2 and 3).

    ``overrides`` replace other TrainerConfig fields.
    """
    torch.manual_seed(0)
    model = SineMLP(SineMLPConfig(hidden=(8, 8))).double()
    sampler = SinusoidSampler(SinusoidConfig(k_support=4, k_query=4, dtype="float64"))
    settings = {"meta_batch_size": 5, "outer_lr": 0.01, "seed": 7, **overrides}
    config = TrainerConfig(algorithm=AlgorithmConfig(method, InnerConfig(steps=2, lrs=(0.05,))),
                           iterations=iterations, checkpoint_path=checkpoint_path, **settings)
    return MetaTrainer(model, sampler, F.mse_loss, config)


if __name__ == "__main__":
    torch.set_num_threads(1)
    if not init_distributed() or dist.get_world_size() != 2:
        sys.exit("expected to run in a 2-process torchrun group")
    build(sys.argv[1], checkpoint_path=sys.argv[2]).train()
    dist.destroy_process_group()
