"""The melody side of the headless commands: ``train-melody`` (:func:`run_train`; its arguments
live in :mod:`.options`, so building the parser does not import torch). ``generate`` with MIDI
samples is run by :mod:`studio.generate_cli` with :mod:`.headless`.
"""

from __future__ import annotations

import argparse

from studio.domains.melody.options import add_train_arguments  # noqa: F401  (re-exported)


def run_train(args: argparse.Namespace) -> int:
    """``python main.py train-melody ...``: see :mod:`studio.domains.melody.train_cli`."""
    from studio.domains.melody.train_cli import run_train as run

    return run(args)
