"""Meta-Creation Studio: learn an artist's or a musician's style from a few works, on a laptop.

The engine (everything here except :mod:`studio.ui` and :mod:`studio.tasks`) never imports Qt
and can be used as a library or from the headless CLI (``python main.py --help``).
"""

import os

__version__ = "0.1.0"

# OpenMP threads that spin while waiting fight for the second core of a busy 2-core laptop:
# measured here, 2 torch threads trained 10-20x slower than 1 under load unless waiting is
# passive. It only takes effect if set before torch is imported, hence here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
