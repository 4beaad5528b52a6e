"""The headless ``generate`` command: learn from sample files and write a folder of new works.

``python main.py generate --samples FILE ... --count N --out DIR --seed 7 [--bars 8 | --size 256]
[--budget SECONDS] [--overwrite]`` reads the samples, adapts the domain's stored model to them
(or conditions it instantly when the steps are 0, the painting model's default) and writes
``DIR/001.mid`` or ``DIR/001.png`` ... plus ``DIR/report.json`` (seconds per phase, steps,
method, one seed per work, the files written).

With ``--liked FILE ...`` and / or ``--rejected FILE ...`` (works of the samples' kind, e.g. written
by an earlier run) the run learns the person's taste from them (issue 18): it drafts three times as
many works and a curator chooses which to write (:mod:`studio.taste.drafting`); each report entry
gets a ``taste`` block (score, p_like, settings, explanation) and the report a top-level one. Without
both options nothing of this runs and the output is as before.

This module owns the whole run, for every domain: the clock, the budget split, adapt or
instant, progress lines on stderr, numbered files and the report. A domain supplies only a
small module (:data:`DOMAIN_MODULES`, e.g. :mod:`studio.domains.melody.headless`): how to build
its generator, its works' parameters, one work's bytes and its own report fields.

The budget covers the whole run from the command's start (loading torch and the model,
adapting, generating, writing). Before adapting, a probe times a few works from the instant
start; adaptation gets what the budget leaves after that estimate of generating and writing.

Output is atomic (:mod:`studio.io.output_folder`): the works and the report appear complete or
not at all. Bad input, a refused folder and every write error exit with code 2 and a message
naming the file; building the parser imports neither torch nor a generator.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from studio.core.samples import Domain, Sample
from studio.core.works import Work
from studio.domains.base import AdaptConfig, AdaptedModel, Generator
from studio.domains.melody.params import DEFAULT_IDIOMS
from studio.domains.painting.params import MAX_SIDE, MIN_SIDE, PaintingParams
from studio.errors import StudioError
from studio.io.output_folder import OutputFolder, work_name

if TYPE_CHECKING:
    from studio.taste.files import TasteFiles

EXIT_OK, EXIT_BAD_INPUT = 0, 2
# A gallery of 500 is more than anyone auditions in a sitting; past it a run takes minutes
# (measured on the 2-core target: 500 melodies of 8 bars ~15 s, 500 paintings of 256 px ~70 s)
# and a typo (--count 100000) would run for an hour before writing anything.
MAX_COUNT = 500
# 64 bars is a whole song form twice over (AABA of 8-bar phrases = 32 bars); the melody model
# was trained on 8-bar phrases, and sampling time grows faster than the length (2 melodies of
# 64 bars took ~18 s, of 1000 bars well past 90 s).
MAX_BARS = 64
PROBE_WORKS = 16  # works the budget's probe asks for; a generator that streams is stopped after 2
MIN_ADAPT_S = 0.2  # a time budget for adaptation below this buys no step worth its set-up
# The probe runs on the instant start; the adapted weights generated up to a third slower (melodies
# at --budget 5: 1.37 s against an estimate of 1.03 s), and committing the files takes a moment.
ESTIMATE_MARGIN, COMMIT_RESERVE_S = 1.2, 0.1
PROGRESS_EVERY_S = 1.0  # one stderr line a second at most, the first after a second: short runs stay quiet

# Per domain, the module that says how to build its generator and write its works (see the docstring).
DOMAIN_MODULES: dict[Domain, str] = {
    Domain.MELODY: "studio.domains.melody.headless",
    Domain.PAINTING: "studio.domains.painting.headless",
}


def add_generate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--samples", nargs="+", required=True, metavar="FILE",
                        help="sample files: paintings (.png, .jpg, ...) or melodies (.mid)")
    parser.add_argument("--count", type=int, default=12, help=f"works to write, 1..{MAX_COUNT} (default 12)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder (new or empty)")
    parser.add_argument("--overwrite", action="store_true",
                        help="write into a folder that is not empty, first removing report.json, the files it "
                             "lists and any numbered works (NNN.mid, NNN.png); other files and folders are kept")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                        help="wall-time limit for the whole run (loading, adaptation, generation, writing); "
                             "adaptation gets what generating the works leaves")
    parser.add_argument("--steps", type=int, default=None, help="adaptation steps (default: the model's)")
    parser.add_argument("--method", default=None, help="adaptation method (default: the model's)")
    parser.add_argument("--model", default=None, help="stored model name (default: the domain's)")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads (default: 1 for melodies, a small GRU; 2 for paintings)")
    taste = parser.add_argument_group(
        "taste", "Works the person liked or rejected (e.g. written by an earlier run; any file of the samples' "
                 "kind). With either option the studio drafts three times as many works, learns the taste from "
                 "these files (the samples count as a weak like) and a curator chooses which to write; report.json "
                 "then gives each work its taste score, settings and explanation. Without both the output is as "
                 "before.")
    taste.add_argument("--liked", nargs="+", default=None, metavar="FILE",
                       help="works the person liked; a file beside an earlier run's report.json also lends "
                            "the settings it was made with, so the new drafts aim near them")
    taste.add_argument("--rejected", nargs="+", default=None, metavar="FILE", help="works the person rejected")
    melody = parser.add_argument_group("melodies")
    melody.add_argument("--bars", type=int, default=8, help=f"melody length in bars, 1..{MAX_BARS} (default 8)")
    melody.add_argument("--temperature", type=float, default=1.0,
                        help="adventurousness, 0.05..3 (default 1.0)")
    melody.add_argument("--idioms", type=float, default=DEFAULT_IDIOMS,
                        help="how much the melodies reuse the samples' own rhythm and note patterns: "
                             f"0 the model alone .. 1 (default {DEFAULT_IDIOMS})")
    melody.add_argument("--chords", default=None, metavar="TEXT",
                        help='chord progression to follow, e.g. "C | G | Am F | F": bars separated by |, '
                             "the chords of a bar split it evenly, N no chord, %% repeats the bar before; "
                             "a progression shorter than --bars repeats, a longer one is cut")
    melody.add_argument("--chords-file", default=None, metavar="FILE",
                        help="the progression from a file: chord text, a MIDI file (a track named Chords or "
                             "block chords) or a MusicXML lead sheet's chord symbols")
    melody.add_argument("--key", default=None, metavar="KEY",
                        help='key and scale, e.g. "D dorian", "F# blues", "Bbm" (default: the chords\' key, '
                             "else the samples')")
    melody.add_argument("--scale-lock", action="store_true",
                        help="no note outside the scale of --key (without --key: the default key's scale)")
    painting = parser.add_argument_group("paintings")
    painting.add_argument("--size", type=int, default=256,
                          help=f"long side of the paintings in px, {MIN_SIDE}..{MAX_SIDE} (default 256)")
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
    painting.add_argument("--guide", default=None, metavar="IMAGE",
                          help="a photo or sketch whose composition every painting follows, at its aspect ratio")
    painting.add_argument("--closeness", type=float, default=None,
                          help="with --guide: 0 recomposes the guide loosely .. 1 traces it "
                               f"(default {defaults.closeness:g})")


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _check_numbers(args: argparse.Namespace) -> str | None:
    if not 1 <= args.count <= MAX_COUNT:
        return f"--count must be in 1..{MAX_COUNT}, got {args.count} (run again for more works)"
    if not 1 <= args.bars <= MAX_BARS:
        return f"--bars must be in 1..{MAX_BARS}, got {args.bars}"
    if not MIN_SIDE <= args.size <= MAX_SIDE:
        return f"--size must be in {MIN_SIDE}..{MAX_SIDE} px, got {args.size}"
    if args.budget is not None and not 0 < args.budget < float("inf"):
        return f"--budget must be a positive number of seconds, got {args.budget}"
    if not 0.05 <= args.temperature <= 3.0:
        return f"--temperature must be in 0.05..3, got {args.temperature}"
    if not 0 <= args.idioms <= 1:
        return f"--idioms must be in 0..1, got {args.idioms}"
    if not 0 <= args.texture <= 2:
        return f"--texture must be in 0..2, got {args.texture}"
    if not 0 <= args.brushwork <= 1:
        return f"--brushwork must be in 0..1, got {args.brushwork}"
    closeness = getattr(args, "closeness", None)
    if closeness is not None and getattr(args, "guide", None) is None:
        return "--closeness needs --guide IMAGE (how closely the paintings follow that guide)"
    if getattr(args, "guide", None) is not None and args.aspect is not None:
        return "--aspect cannot be used with --guide: the paintings take the guide's aspect ratio (crop the guide)"
    if closeness is not None and not 0 <= closeness <= 1:
        return f"--closeness must be in 0..1, got {closeness}"
    if args.steps is not None and args.steps < 0:
        return f"--steps must be at least 0, got {args.steps}"
    if args.threads is not None and args.threads < 1:
        return f"--threads must be at least 1, got {args.threads}"
    return None


class _Phase:
    """The :class:`~studio.progress.Progress` one phase of the run hands to the generator: prints a
    throttled line on stderr, passes each finished work to ``on_work`` and may ask to stop."""

    def __init__(self, console: _Console, name: str, on_work: Callable[[Work], None] | None = None,
                 stop: Callable[[], bool] | None = None) -> None:
        self._console, self._name, self._on_work, self._stop = console, name, on_work, stop

    def report_progress(self, fraction: float, message: str = "") -> None:
        self._console.line(f"{self._name}: {message}" if message else self._name)

    def report_partial(self, result: Any) -> None:
        if self._on_work is not None and isinstance(result, Work):
            self._on_work(result)

    def should_stop(self) -> bool:
        return self._stop is not None and self._stop()


class _Console:
    """Progress lines on stderr for long runs, each with the seconds since the run started."""

    def __init__(self, started: float) -> None:
        self.started = started
        self._last = started

    def line(self, text: str) -> None:
        now = time.perf_counter()
        if now - self._last >= PROGRESS_EVERY_S:
            self._last = now
            print(f"{text}, {now - self.started:.1f} s", file=sys.stderr, flush=True)


@dataclass
class _Timings:
    started: float
    load: float = 0.0
    probe_s: float = 0.0
    adapt: float = 0.0
    generate: float = 0.0
    write: float = 0.0
    probe: Probe | None = None  # the probe's works: the run's first ones when it stays with the instant start
    adapt_budget: float | None = None
    notes: list[str] = field(default_factory=list)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def run_generate(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code (0, or 2 with a message on stderr)."""
    started = getattr(args, "started_at", None) or time.perf_counter()
    problem = _check_numbers(args)
    if problem:
        return _fail(problem)
    output: OutputFolder | None = None
    try:
        samples = _load_samples(args.samples)
        if getattr(args, "guide", None) is not None and samples[0].domain is not Domain.PAINTING:
            raise StudioError("--guide is for paintings; these samples are melodies")
        domain = _domain_module(samples[0].domain)
        domain.check_samples(samples)
        params = domain.params(args, samples)
        taste = _load_taste(args, samples[0].domain)
        names = [work_name(i, args.count, domain.EXTENSION) for i in range(1, args.count + 1)]
        output = OutputFolder(args.out, overwrite=args.overwrite)
        output.prepare(names)
        report = _run(args, samples, domain, params, output, _Timings(started), taste)
    except (StudioError, ValueError) as exc:
        if output is not None:
            output.discard()
        return _fail(str(exc))
    except OSError as exc:  # anything the run's own messages did not name
        if output is not None:
            output.discard()
        where = exc.filename or args.out
        return _fail(f"{where}: {exc.strerror or exc}")
    except BaseException:  # KeyboardInterrupt, a bug: leave nothing half-written behind
        if output is not None:
            output.discard()
        raise
    print(f"wrote {len(report['works'])} works to {args.out} (adaptation {report['adaptation_seconds']:.2f} s, "
          f"generation {report['generation_seconds']:.2f} s, total {report['total_seconds']:.2f} s)")
    for note in report["notes"]:
        print(note)
    return EXIT_OK


def _load_samples(paths: Sequence[str]) -> list[Sample]:
    from studio.io.samples import load_samples

    samples = [sample for path in paths for sample in load_samples(path)]  # each tune of an ABC book
    if len({s.domain for s in samples}) > 1:
        kinds = ", ".join(f"{s.path} ({s.domain.value})" for s in samples)
        raise StudioError(f"the samples mix paintings and melodies: {kinds}")
    return samples


def _load_taste(args: argparse.Namespace, domain: Domain) -> TasteFiles | None:
    """The ``--liked`` / ``--rejected`` feedback, or None without both (the run is then as before)."""
    liked, rejected = getattr(args, "liked", None), getattr(args, "rejected", None)
    if liked is None and rejected is None:
        return None
    from studio.taste.files import load_taste_files

    return load_taste_files(liked, rejected, domain)


def _domain_module(domain: Domain) -> ModuleType:
    return importlib.import_module(DOMAIN_MODULES[domain])


def _run(args: argparse.Namespace, samples: list[Sample], domain: ModuleType, params: Any,
         output: OutputFolder, t: _Timings, taste: TasteFiles | None = None) -> dict[str, Any]:
    """Load, adapt or condition, generate and stage the works, then commit them with the report."""
    console = _Console(t.started)
    console.line("loading the model")
    mark = time.perf_counter()
    generator: Generator = domain.load(args)
    t.load = time.perf_counter() - mark
    steps = args.steps if args.steps is not None else generator.default_steps
    if steps > 0 and args.budget is not None:
        steps = _split_budget(args, samples, domain, generator, params, console, t, steps,
                              draft_factor=1 if taste is None else _taste_drafts())
    mark = time.perf_counter()
    reused: list[Work] = []  # works the probe already made from the same start with the same seeds
    if steps > 0:
        config = AdaptConfig(method=args.method or domain.default_method(generator), steps=steps,
                             time_budget_s=t.adapt_budget, seed=args.seed)
        adapted = generator.adapt(samples, config, _Phase(console, "adapting"))
    elif t.probe is not None:
        adapted, reused = t.probe.start, ([] if taste is not None else t.probe.works)  # curated: all drafted
    else:
        adapted = generator.instant(samples)
    t.adapt = time.perf_counter() - mark

    staged: dict[int, tuple[str, Work]] = {}  # id(work) -> (staged name, work), in the order they came

    def stage(work: Work) -> None:
        began = time.perf_counter()
        name = f"work-{len(staged) + 1}.{domain.EXTENSION}"
        output.stage(name, domain.encode(work))
        staged[id(work)] = (name, work)
        t.write += time.perf_counter() - began
        console.line(f"writing {len(staged)}/{args.count}")

    mark = time.perf_counter()
    for work in reused:
        stage(work)
    works = list(reused)
    curation = None
    if taste is not None:
        from studio.taste.drafting import curate

        works, curation = curate(adapted, samples, params, args.count, args.seed, taste.feedback,
                                 _Phase(console, "drafting and choosing", stage), generator=generator)
    elif args.count > len(reused):
        works += generator.generate(adapted, samples, params, args.count - len(reused), args.seed,
                                    _Phase(console, "generating", stage),
                                    exclude_seeds=frozenset(w.seed for w in reused))
    for work in works:  # a generator that does not stream its works hands them over here
        if id(work) not in staged:
            stage(work)
    t.generate = time.perf_counter() - mark - t.write
    if len(works) < args.count:  # every candidate of some seed failed: say so, write what there is
        t.notes.append(f"Only {len(works)} of {args.count} works could be made; run again with another --seed "
                       "for more.")
    files = [work_name(i, len(works), domain.EXTENSION) for i in range(1, len(works) + 1)]
    entries = [{"file": file, "seed": work.seed, **domain.work_fields(work, params)}
               for file, work in zip(files, works)]
    if curation is not None:
        for entry, work in zip(entries, works):
            entry["taste"] = {k: work.provenance["taste"][k] for k in ("score", "p_like", "settings", "explanation")}
        t.notes.extend(curation.notes)
    report = {
        "domain": adapted.domain.value, "model": generator.model_name, "method": adapted.method,
        "steps": adapted.steps, "steps_taken": len(adapted.losses),
        **domain.report_fields(generator, adapted, samples, params, steps),
        "notes": [*t.notes, *adapted.notes],
        "model_load_seconds": round(t.load, 3), "probe_seconds": round(t.probe_s, 3),
        "adaptation_seconds": round(t.adapt, 3), "generation_seconds": round(t.generate, 3),
        "write_seconds": round(t.write, 3), "total_seconds": 0.0,
        "budget_seconds": args.budget,
        "adaptation_budget_seconds": None if t.adapt_budget is None else round(t.adapt_budget, 3),
        "estimated_generation_seconds": None if t.probe is None else round(t.probe.estimate, 3),
        "seed": args.seed, "count": len(works),
        "losses": [round(x, 4) for x in adapted.losses], "samples": [s.path for s in samples],
        "works": entries, "seeds": [w.seed for w in works],
    }
    if taste is not None and curation is not None:
        from studio.taste.files import taste_report

        report["taste"] = taste_report(taste, curation)
    report["total_seconds"] = round(t.elapsed(), 3)  # the report's own write and the renames follow: ~ms
    over = args.budget is not None and t.elapsed() > args.budget * 1.1
    if over and not any(n.startswith("Budget:") for n in t.notes):
        report["notes"].insert(0, f"Budget: the run took {t.elapsed():.1f} s of a {args.budget:g} s budget "
                                  f"(loading {t.load:.1f} s, adapting {t.adapt:.1f} s, generating and writing "
                                  f"{t.generate + t.write:.1f} s).")
    output.commit([(staged[id(w)][0], f) for w, f in zip(works, files)],
                  (json.dumps(report, indent=2) + "\n").encode("utf-8"))
    return report


def _taste_drafts() -> int:
    from studio.taste.files import taste_drafts

    return taste_drafts()


def _split_budget(args: argparse.Namespace, samples: list[Sample], domain: ModuleType, generator: Generator,
                  params: Any, console: _Console, t: _Timings, steps: int, draft_factor: int = 1) -> int:
    """Set ``t.adapt_budget`` to what ``--budget`` leaves adaptation after an estimate of generating
    and writing the works (with taste files: drafting ``draft_factor`` times as many); returns the
    steps to take (0 when nothing is left: the instant start)."""
    console.line("timing a few works")
    mark = time.perf_counter()
    t.probe = probe_generation(generator, domain, samples, params, args.count * draft_factor, args.seed)
    t.probe_s = time.perf_counter() - mark
    t.adapt_budget = args.budget - t.elapsed() - t.probe.estimate * ESTIMATE_MARGIN - COMMIT_RESERVE_S
    if t.adapt_budget >= MIN_ADAPT_S:
        return steps
    kept = len(t.probe.works) if draft_factor == 1 else 0  # the probe's works are kept (not when curating)
    floor = t.elapsed() + t.probe.estimate * (1 - kept / (args.count * draft_factor))
    t.notes.append(f"Budget: loading and generating {args.count * draft_factor} works take about {floor:.1f} s of the "
                   f"{args.budget:g} s budget, which leaves no time to adapt; the instant start was used."
                   + (" The run will take longer than the budget." if floor > args.budget * 1.05 else ""))
    t.adapt_budget = None
    return 0


@dataclass
class Probe:
    """What :func:`probe_generation` found: the instant start, the works it made from it, and the
    estimated seconds for generating and writing all the works."""

    start: AdaptedModel
    works: list[Work]
    estimate: float


def probe_generation(generator: Generator, domain: ModuleType, samples: Sequence[Sample], params: Any,
                     count: int, seed: int) -> Probe:
    """Time a few works from the instant start to estimate generating and writing ``count`` works.

    The probe asks for up to :data:`PROBE_WORKS` works and stops a generator that streams them
    after two, so one painting's time gives the rest; a generator that makes them in one batch
    (melodies: most of the time is a fixed calibration) is timed for the whole probe and scaled.
    The works are those a run from the instant start writes first (the same seeds).
    """
    arrivals: list[float] = []
    encode_seconds: list[float] = []

    def arrived(work: Work) -> None:
        arrivals.append(time.perf_counter())
        began = time.perf_counter()
        domain.encode(work)
        encode_seconds.append(time.perf_counter() - began)

    probe = min(count, PROBE_WORKS)
    start = generator.instant(samples)
    began = time.perf_counter()
    works = generator.generate(start, samples, params, probe, seed, _Phase(_Console(began), "probe", arrived,
                                                                         stop=lambda: len(arrivals) >= 2))
    total = time.perf_counter() - began - sum(encode_seconds)
    made = max(1, len(works))
    spread = arrivals[-1] - arrivals[0] - sum(encode_seconds[1:]) if len(arrivals) >= 2 else 0.0
    if len(arrivals) >= 2 and spread > 0.2 * total:  # streamed: a fixed part, then one work at a time
        per_work = spread / (len(arrivals) - 1)
        generating = max(0.0, total - made * per_work) + count * per_work
    else:  # made together: scale the whole probe (conservative for a count past the probe's)
        generating = total * max(1.0, count / made)
    writing = count * (sum(encode_seconds) / len(encode_seconds) if encode_seconds else 0.0)
    return Probe(start, list(works), generating + writing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="generate", description=__doc__.splitlines()[0])
    add_generate_arguments(parser)
    args = parser.parse_args(argv)
    args.started_at = time.perf_counter()
    return run_generate(args)


if __name__ == "__main__":
    raise SystemExit(main())
