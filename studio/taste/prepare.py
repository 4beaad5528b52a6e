"""``python main.py prepare-taste``: build the pools taste learning is meta-trained and measured on.

Role: the developer command over :mod:`studio.taste.melody_pools` and
:mod:`studio.taste.painting_pools` (each imported only when its domain is asked for). It writes
``<root>/<domain>/<collection>/`` pools (:mod:`studio.taste.pools`), by default under
``runs/taste``; pools already built are skipped, so a stopped build resumes where it was.

::

    python main.py prepare-melodies --out data/melody            # once: music21's corpus ([train] extra)
    python main.py prepare-taste --domain melody                 # ~45 melody pools
    python main.py prepare-taste --domain painting               # the painters' pools (see painting_pools)
    python main.py prepare-taste --domain melody --limit 2 --melody-drafts 12 --melody-genuine 20   # a quick look

Exit status: 0 when every selected pool exists afterwards, 1 when some could not be built
(each named on stderr), 2 for bad input (a missing data folder, a bad option: the message
names it).
"""

from __future__ import annotations

import argparse
import sys
import time

from studio.errors import StudioError
from studio.progress import ConsoleProgress
from studio.taste.pools import DEFAULT_ROOT

DOMAINS = ("melody", "painting", "all")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``prepare-taste`` (the shared ones, then each domain's)."""
    parser.add_argument("--domain", choices=DOMAINS, default="all", help="which pools to build (default: all)")
    parser.add_argument("--root", default=str(DEFAULT_ROOT), metavar="DIR",
                        help=f"where the pools go: DIR/<domain>/<collection>/ (default: {DEFAULT_ROOT})")
    parser.add_argument("--split", choices=("train", "heldout", "all"), default="all",
                        help="only the collections of this split (default: all)")
    parser.add_argument("--collections", nargs="+", default=None, metavar="TEXT",
                        help="only collections whose name contains one of these (essen: kinder monet ...)")
    parser.add_argument("--limit", type=int, default=None, metavar="N",
                        help="build at most N pools of each domain (a quick run)")
    parser.add_argument("--seed", type=int, default=0, help="melody: seed of the phrase choice and the drafts")
    parser.add_argument("--threads", type=int, default=1, help="melody: torch threads (default 1)")
    parser.add_argument("--overwrite", action="store_true", help="melody: build pools again that already exist")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    from studio.taste.melody_pools import add_pool_arguments as add_melody

    add_melody(parser)
    try:
        from studio.taste.painting_pools import add_pool_arguments as add_painting
    except ImportError:  # the painting pools module is optional for a melody-only checkout
        return
    add_painting(parser)


def run(args: argparse.Namespace) -> int:
    """Build the selected pools; see the module's docstring for the exit status."""
    if args.limit is not None and args.limit < 1:
        raise StudioError(f"--limit must be at least 1, got {args.limit}")
    if args.threads < 1:
        raise StudioError(f"--threads must be at least 1, got {args.threads}")
    progress = ConsoleProgress(quiet=args.quiet, interval_s=5.0)
    code = 0
    if args.domain in ("melody", "all"):
        code = max(code, _melody(args, progress))
    if args.domain in ("painting", "all"):
        code = max(code, _painting(args, progress))
    return code


def _melody(args: argparse.Namespace, progress: ConsoleProgress) -> int:
    from studio.taste.melody_pools import build_melody_pools

    started = time.perf_counter()
    args.notices = []
    reports = build_melody_pools(args, progress)
    for notice in args.notices:
        print(f"notice: {notice}", file=sys.stderr)
    built = [r for r in reports if not r.skipped]
    print(f"melody pools under {args.root}/melody: {len(built)} built, {len(reports) - len(built)} already there, "
          f"{sum(r.genuine for r in built)} genuine phrases and {sum(r.drafts for r in built)} drafts written "
          f"in {time.perf_counter() - started:.0f} s", flush=True)
    failed = [n for n in args.notices if n.startswith("melody pool ")]
    return 1 if failed else 0


def _painting(args: argparse.Namespace, progress: ConsoleProgress) -> int:
    try:
        from studio.taste.painting_pools import build_painting_pools
    except ImportError as exc:
        print(f"error: painting pools are not available in this checkout ({exc})", file=sys.stderr)
        return 1
    return int(build_painting_pools(args, progress))
