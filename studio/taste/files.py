"""The headless ``generate``'s ``--liked`` / ``--rejected`` files: read, check and turn into taste feedback.

Role: what :mod:`studio.generate_cli` needs to learn a taste from files (issue 18, point 5). The
files are works of the samples' kind (melodies or paintings), typically written by an earlier
run. Every file must load and be of that kind; a file given twice, or both as liked and as
rejected, is refused (a :class:`~studio.errors.StudioError` naming it: the command exits 2). When a
file sits beside an earlier run's ``report.json`` that lists it, its seed (never drafted again)
and, for a curated run, the settings it was drafted with (new drafts aim near a liked work's
settings) are taken from there; a report that cannot be read only costs those hints, with a note.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from studio.core.samples import Domain, Sample
from studio.errors import SampleLoadError, StudioError

MAX_TASTE_FILES = 500  # liked and rejected together: more than a person judges in a sitting
MAX_REPORT_BYTES = 16 * 2**20  # a report.json of 500 works is ~200 kB; a bigger one is not ours
REPORT = "report.json"


@dataclass(frozen=True)
class TasteFiles:
    """The files given and the feedback learnt from them."""

    liked: tuple[str, ...]
    rejected: tuple[str, ...]
    feedback: Any  # studio.taste.drafting.TasteFeedback
    settings_found: int = 0  # liked files whose draft settings an earlier report gave
    notes: tuple[str, ...] = field(default=())


def taste_drafts() -> int:
    """Candidates drafted per work written when taste files are given."""
    from studio.taste.drafting import DRAFT_FACTOR

    return DRAFT_FACTOR


def load_taste_files(liked: Sequence[str] | None, rejected: Sequence[str] | None, domain: Domain) -> TasteFiles | None:
    """The feedback of ``--liked`` / ``--rejected`` (None when neither is given).

    Raises:
        StudioError: naming the file that is missing, unreadable, of the other kind, or given twice.
    """
    if liked is None and rejected is None:
        return None
    liked, rejected = list(liked or ()), list(rejected or ())
    if len(liked) + len(rejected) > MAX_TASTE_FILES:
        raise StudioError(f"{len(liked) + len(rejected)} liked and rejected files are too many; give at most "
                          f"{MAX_TASTE_FILES}")
    seen: dict[str, str] = {}
    for option, paths in (("--liked", liked), ("--rejected", rejected)):
        for path in paths:
            key = os.path.realpath(path)
            if key in seen:
                where = "twice in " + option if seen[key] == option else "both as --liked and as --rejected"
                raise StudioError(f"is given {where}; give each work once", path)
            seen[key] = option
    liked_samples = [_load(path, domain, "--liked") for path in liked]
    rejected_samples = [_load(path, domain, "--rejected") for path in rejected]
    notes: list[str] = []
    reports: dict[str, dict[str, dict[str, Any]] | None] = {}
    liked_settings: list[Mapping[str, float] | None] = []
    seeds: list[int] = []
    for path in liked + rejected:
        entry = _report_entry(path, domain, reports, notes)
        if entry is None:
            continue
        if isinstance(entry.get("seed"), int) and not isinstance(entry.get("seed"), bool):
            seeds.append(int(entry["seed"]))
    for path in liked:
        entry = _report_entry(path, domain, reports, notes)
        liked_settings.append(_settings(entry, domain) if entry is not None else None)
    from studio.taste.drafting import feedback_from_items

    feedback = feedback_from_items(domain.value, [s for group in liked_samples for s in group],
                                   [s for group in rejected_samples for s in group],
                                   [s for s, group in zip(liked_settings, liked_samples) for _ in group],
                                   [s.path for group in liked_samples for s in group],
                                   [s.path for group in rejected_samples for s in group], seeds)
    return TasteFiles(tuple(liked), tuple(rejected), feedback, sum(1 for s in liked_settings if s), tuple(notes))


def _load(path: str, domain: Domain, option: str) -> list[Sample]:
    from studio.io.samples import load_samples

    if Path(path).is_dir():
        raise SampleLoadError(f"{option}: is a folder; name the work files themselves", path)
    if not Path(path).is_file():
        raise SampleLoadError(f"{option}: no such file", path)
    samples = load_samples(path)
    if not samples:
        raise SampleLoadError(f"{option}: holds no {domain.value}", path)
    for sample in samples:
        if sample.domain is not domain:
            raise SampleLoadError(f"{option}: is a {sample.domain.value}, but the samples are {domain.plural}", path)
    return samples


def _report_entry(path: str, domain: Domain, reports: dict[str, dict[str, dict[str, Any]] | None],
                  notes: list[str]) -> dict[str, Any] | None:
    """The ``works`` entry of the report.json beside ``path`` that lists it, or None."""
    folder = str(Path(path).resolve().parent)
    if folder not in reports:
        reports[folder] = _read_report(Path(folder) / REPORT, domain, notes)
    found = reports[folder]
    return None if found is None else found.get(Path(path).name)


def _read_report(path: Path, domain: Domain, notes: list[str]) -> dict[str, dict[str, Any]] | None:
    if not path.is_file():
        return None
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise ValueError(f"larger than {MAX_REPORT_BYTES // 2**20} MB")
        report = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(report, dict) or report.get("domain") != domain.value:
            raise ValueError(f"not a report of {domain.plural}")
        works = report.get("works")
        if not isinstance(works, list):
            raise ValueError("no list of works")
        return {str(w["file"]): w for w in works if isinstance(w, dict) and isinstance(w.get("file"), str)}
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        notes.append(f"Taste: {path} could not be read ({exc}); the works beside it were used without their "
                     "seeds and settings.")
        return None


def _settings(entry: Mapping[str, Any], domain: Domain) -> dict[str, float] | None:
    """The draft settings an earlier curated run recorded for a work (only known names, finite,
    clipped to their ranges), or None."""
    from studio.taste.settings import setting_ranges

    taste = entry.get("taste")
    settings = taste.get("settings") if isinstance(taste, dict) else None
    if not isinstance(settings, dict):
        return None
    out: dict[str, float] = {}
    for name, (lo, hi) in setting_ranges(domain.value).items():
        value = settings.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            out[name] = float(min(hi, max(lo, value)))
    return out or None


def taste_report(files: TasteFiles, curation: Any) -> dict[str, Any]:
    """report.json's top-level ``taste`` block."""
    return {"liked": list(files.liked), "rejected": list(files.rejected), "chooser": curation.chooser,
            "drafts": curation.drafts, "copies_dropped": curation.copies_dropped,
            "liked_settings_found": files.settings_found, "learnt": list(curation.summary),
            "draft_seconds": round(curation.draft_seconds, 3), "update_seconds": round(curation.update_seconds, 3),
            "choice_seconds": round(curation.choice_seconds, 3),
            "finish_seconds": round(getattr(curation, "finish_seconds", 0.0), 3),  # the brushwork of painting drafts shown
            "notes": [*files.notes, *curation.notes]}
