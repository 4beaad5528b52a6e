"""Meta-Creation Studio: learn an artist's or a musician's style from a few works, on a laptop.

The engine (everything here except :mod:`studio.ui` and :mod:`studio.tasks`) never imports Qt
and can be used as a library or from the headless CLI (``python main.py --help``).
"""

__version__ = "0.1.0"
