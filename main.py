"""Entry point: ``python main.py`` opens the studio; ``python main.py COMMAND ...`` runs headless."""

import sys

from studio.cli import main

if __name__ == "__main__":
    sys.exit(main())
