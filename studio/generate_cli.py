"""The headless ``generate`` command: learn from sample files and write a folder of new works.

``python main.py generate --samples FILE ... --count N --out DIR --seed 7 [--bars 8 | --size 256]
[--budget SECONDS]`` reads the samples, adapts the domain's stored model to them and writes
``DIR/001.mid`` or ``DIR/001.png`` ... plus ``DIR/report.json`` (adaptation and generation
seconds, steps, method, one seed per work). The domain follows from the files' contents;
:data:`DOMAIN_RUNNERS` names, per domain, the function that does the work. Bad input (a
missing, unreadable or unusable file, mixed kinds, a bad option) exits with code 2 and a
message naming the file. Building the parser imports neither torch nor a domain.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from studio.core.samples import Domain, Sample
from studio.domains.melody.params import DEFAULT_IDIOMS
from studio.domains.painting.params import PaintingParams
from studio.errors import StudioError

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
ADAPT_SHARE = 0.6  # of --budget, the part adaptation may use (the rest is for generation)

# The one dispatch point per domain: "module:function", called as (samples, args, out) -> report.
DOMAIN_RUNNERS: dict[Domain, str] = {
    Domain.MELODY: "studio.domains.melody.cli:generate_melodies",
    Domain.PAINTING: "studio.domains.painting.cli:generate_paintings",
}


def add_generate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--samples", nargs="+", required=True, metavar="FILE",
                        help="sample files: paintings (.png, .jpg, ...) or melodies (.mid)")
    parser.add_argument("--count", type=int, default=12, help="works to write (default 12)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                        help="wall-time target for adaptation plus generation")
    parser.add_argument("--steps", type=int, default=None, help="adaptation steps (default: the model's)")
    parser.add_argument("--method", default=None, help="adaptation method (default: the model's)")
    parser.add_argument("--model", default=None, help="stored model name (default: the domain's)")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads (default: 1 for melodies, a small GRU; 2 for paintings)")
    melody = parser.add_argument_group("melodies")
    melody.add_argument("--bars", type=int, default=8, help="melody length in bars (default 8)")
    melody.add_argument("--temperature", type=float, default=1.0, help="adventurousness (default 1.0)")
    melody.add_argument("--idioms", type=float, default=DEFAULT_IDIOMS,
                        help="how much the melodies reuse the samples' own rhythm and note patterns: "
                             f"0 the model alone .. 1 (default {DEFAULT_IDIOMS})")
    painting = parser.add_argument_group("paintings")
    painting.add_argument("--size", type=int, default=256, help="long side of the paintings in px (default 256)")
    painting.add_argument("--aspect", type=float, default=None,
                          help="width / height (default: the samples' median)")
    painting.add_argument("--composition", type=float, default=0.25,
                          help="0 keeps the samples' compositions closely, 1 invents freely (default 0.25)")
    defaults = PaintingParams()
    painting.add_argument("--texture", type=float, default=defaults.texture,
                          help=f"strength of the network's painted detail, 0..2 (default {defaults.texture:g})")
    painting.add_argument("--brushwork", type=float, default=defaults.brushwork,
                          help="share of the fine detail rebuilt from the samples' own brushwork: "
                               f"0 the network's grain alone .. 1 (default {defaults.brushwork:g})")


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _check_numbers(args: argparse.Namespace) -> str | None:
    if args.count < 1:
        return f"--count must be at least 1, got {args.count}"
    if args.bars < 1:
        return f"--bars must be at least 1, got {args.bars}"
    if args.budget is not None and not args.budget > 0:
        return f"--budget must be positive, got {args.budget}"
    if not args.temperature > 0:
        return f"--temperature must be positive, got {args.temperature}"
    if not 0 <= args.idioms <= 1:
        return f"--idioms must be in 0..1, got {args.idioms}"
    if not 0 <= args.texture <= 2:
        return f"--texture must be in 0..2, got {args.texture}"
    if not 0 <= args.brushwork <= 1:
        return f"--brushwork must be in 0..1, got {args.brushwork}"
    if args.steps is not None and args.steps < 0:
        return f"--steps must be at least 0, got {args.steps}"
    if args.threads is not None and args.threads < 1:
        return f"--threads must be at least 1, got {args.threads}"
    return None


def run_generate(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code (0, 1 or 2)."""
    from studio.io.samples import load_sample

    problem = _check_numbers(args)
    if problem:
        return _fail(problem)
    samples: list[Sample] = []
    for path in args.samples:
        try:
            samples.append(load_sample(path))
        except StudioError as exc:
            return _fail(str(exc))
    domains = {s.domain for s in samples}
    if len(domains) > 1:
        kinds = ", ".join(f"{s.path} ({s.domain.value})" for s in samples)
        return _fail(f"the samples mix paintings and melodies: {kinds}")
    domain = domains.pop()
    module, function = DOMAIN_RUNNERS[domain].split(":")
    runner = getattr(importlib.import_module(module), function)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail(f"{out}: cannot create the output folder ({exc.strerror or exc})")
    try:
        report = runner(samples, args, out)
    except (StudioError, ValueError) as exc:
        return _fail(str(exc))
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(report['works'])} works to {out} (adaptation {report['adaptation_seconds']:.2f} s, "
          f"generation {report['generation_seconds']:.2f} s)")
    for note in report.get("notes", ()):
        print(note)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="generate", description=__doc__.splitlines()[0])
    add_generate_arguments(parser)
    return run_generate(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
