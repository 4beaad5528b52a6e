"""The desktop bundle's entry point: the same command line as ``python main.py``.

With no command the studio window opens; ``meta-creation-studio inspect ...``, ``generate ...``
and ``--smoke-test`` work from the bundle exactly as from the checkout.
"""

from __future__ import annotations

import sys

from studio.cli import main

if __name__ == "__main__":
    sys.exit(main())
