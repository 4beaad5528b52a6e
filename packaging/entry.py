"""The desktop bundle's entry point: the same command line as ``python main.py``.

With no command the studio window opens; ``meta-creation-studio inspect ...``, ``generate ...``
and ``--smoke-test`` work from the bundle exactly as from the checkout.

The bundle brings Python, torch and Qt, but Qt still links the machine's X11, OpenGL, font and
audio libraries. Before a window opens, the same system check ``make run`` does
(:mod:`studio.syscheck`) names the Debian packages that are missing instead of letting Qt abort;
should a library be missing all the same (an offscreen run, which the check skips), the error
names it and the packages to install instead of a traceback.
"""

from __future__ import annotations

import os
import sys

# What a minimal Debian 12 needed for the bundle's window and its smoke test (README, "Bundle").
APT_PACKAGES = ("libgl1 libegl1 libglib2.0-0 fontconfig fonts-dejavu-core libxkbcommon-x11-0 libxcb-cursor0 "
                "libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxext6 libxrandr2 libgssapi-krb5-2 libpulse0")


def opens_window(argv: list[str]) -> bool:
    """Whether ``argv`` (without the program) opens the window, as studio.cli.main decides."""
    if not argv:
        return True
    first = argv[0]
    return first == "gui" or first.lower().endswith(".mcs") or (
        first.startswith("-") and first not in {"-h", "--help", "--version"})


def missing_library_message(exc: ImportError) -> str | None:
    """The user's message for an ImportError that is a missing system library, else None."""
    text = str(exc)
    if "cannot open shared object file" not in text:
        return None
    library = text.split(":", 1)[0]
    return (f"error: Meta-Creation Studio needs the system library {library}, which is not installed.\n"
            f"On Debian/Ubuntu: sudo apt-get install {APT_PACKAGES}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if opens_window(args) and "--smoke-test" not in args:
        from studio import syscheck

        status, message = syscheck.check(os.environ, syscheck.LibraryFinder())
        if status:
            print(message, file=sys.stderr)
            return 1
    try:
        from studio.cli import main as studio_main

        return studio_main(argv)
    except ImportError as exc:
        message = missing_library_message(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
