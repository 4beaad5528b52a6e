"""How many torch threads a domain generator's call uses: one context manager for every domain.

Kept out of :mod:`studio.domains.base` so that the contract module stays free of torch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch


@contextmanager
def torch_threads(count: int | None) -> Iterator[None]:
    """Use ``count`` torch threads inside the block, then restore the previous count (None or 0: leave as is)."""
    saved = None
    if count:
        saved = torch.get_num_threads()
        torch.set_num_threads(count)
    try:
        yield
    finally:
        if saved:
            torch.set_num_threads(saved)
