"""The training command line of the painting generator: ``python main.py train-painting``.

:func:`add_train_arguments` defines the options and :func:`run_train` trains (or resumes) a
:class:`~.train.PaintTrainer` run and optionally exports it to ``models/NAME``. Kept apart from
:mod:`.train` so that the trainer reads as a library and the generator never loads either.
"""

from __future__ import annotations

from pathlib import Path

import torch

from studio.domains.painting import dataset
from studio.domains.painting.objective import ObjectiveConfig
from studio.domains.painting.train import (
    DEFAULT_ADAPT_PARAMS, METHODS, PaintTrainConfig, PaintTrainer, export,
)
from studio.domains.painting.weights import load_model
from studio.errors import StudioError
from studio.meta import checkpoint as ckpt
from studio.model_registry import MODELS_DIR, model_stem


def add_train_arguments(parser) -> None:
    """Options of ``python main.py train-painting``."""
    parser.add_argument("--method", choices=METHODS, default="reptile",
                        help="reptile (the shipped model) or multitask (the plain baseline)")
    parser.add_argument("--steps", type=int, default=PaintTrainConfig.steps, help="outer steps")
    parser.add_argument("--inner-steps", type=int, default=PaintTrainConfig.inner_steps)
    parser.add_argument("--inner-lr", type=float, default=PaintTrainConfig.inner_lr)
    parser.add_argument("--outer-lr", type=float, default=PaintTrainConfig.outer_lr)
    parser.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                        help="stop (with a checkpoint) after this long; run again to resume")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--device", default="cpu",
                        help="where the network trains: cpu (default) or cuda (a GPU, for bigger runs); "
                             "layouts and tasks are drawn on the CPU either way, with the same seeds")
    parser.add_argument("--batch", type=int, default=ObjectiveConfig.batch,
                        help="paintings per gradient step (each a 128 px crop)")
    parser.add_argument("--data", default=None, metavar="DIR",
                        help="paintings folder, one sub-folder per artist (default ../shared/data/paintings)")
    parser.add_argument("--run", default=None, metavar="STEM",
                        help="checkpoint stem (default runs/painting/METHOD)")
    parser.add_argument("--init", default=None, metavar="STEM",
                        help="start a fresh run from these weights (a model in models/ or a checkpoint)")
    parser.add_argument("--export", default=None, metavar="NAME",
                        help="when done, write models/NAME.safetensors and NAME.json from the checkpoint")
    parser.add_argument("--adapt-params", nargs="*", default=None, metavar="PREFIX",
                        help="name prefixes of the weights run-time adaptation changes, written to the card "
                             "(default: film_ for reptile, chosen on training-artist tasks; all for multitask)")


def run_train(args) -> int:
    """``python main.py train-painting ...``: train (or resume), then optionally export."""
    from studio.progress import ConsoleProgress

    torch.set_num_threads(max(1, args.threads))
    if args.device != "cpu" and not _device_available(args.device):
        raise StudioError(f"the device {args.device!r} is not available to torch here; train with --device cpu.")
    if args.batch < 1:
        raise StudioError(f"--batch must be at least 1, got {args.batch}.")
    try:
        config = PaintTrainConfig(method=args.method, steps=args.steps, inner_steps=args.inner_steps,
                                  inner_lr=args.inner_lr, outer_lr=args.outer_lr, seed=args.seed,
                                  time_limit_s=args.time_limit, device=args.device,
                                  objective=ObjectiveConfig(batch=args.batch))
    except ValueError as error:
        raise StudioError(f"bad training option: {error}.") from error
    root = Path(args.data) if args.data else dataset.default_root()
    stem = Path(args.run) if args.run else Path("runs") / "painting" / args.method
    trainer = PaintTrainer(config, root, stem)
    if args.init and trainer.step == 0:
        init = model_stem(args.init, MODELS_DIR)
        _, params, _ = load_model(init)
        ckpt.check_matches(params, dict(trainer.net.named_parameters()), str(init), "painting network")
        trainer.net.load_state_dict(params)
        print(f"starting from the weights of {init}")
    print(f"training {config.method} from step {trainer.step} to {config.steps}; checkpoint {stem}")
    trainer.train(ConsoleProgress())
    print(f"stopped at step {trainer.step} after {trainer.seconds:.0f} s of training")
    if args.export:
        prefixes = args.adapt_params if args.adapt_params is not None else DEFAULT_ADAPT_PARAMS[args.method]
        export(stem, args.export, command="python main.py train-painting " + " ".join(
            f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items()
            if k in {"method", "steps", "inner_steps", "inner_lr", "outer_lr", "seed", "batch", "device", "init"}
            and v is not None),
            adapt_params=tuple(prefixes), models_dir=MODELS_DIR)
        print(f"wrote {MODELS_DIR / args.export}.safetensors")
    return 0


def _device_available(device: str) -> bool:
    try:
        torch.empty(1, device=device)
    except (RuntimeError, AssertionError):
        return False
    return True
