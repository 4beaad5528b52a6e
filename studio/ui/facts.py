"""Human-readable text for samples and works: one-line summaries, fact rows and tooltips."""

from __future__ import annotations

import html
import json

from studio.core.melody import PITCH_NAMES
from studio.core.samples import ImageFacts, MelodyFacts, Sample, bar_text
from studio.core.works import Work


def pitch_name(pitch: int) -> str:
    """MIDI pitch as a note name with octave, e.g. 60 -> "C4"."""
    return f"{PITCH_NAMES[pitch % 12]}{pitch // 12 - 1}"


def summary(sample: Sample) -> str:
    """One short line: "1024 x 768 JPEG" or "G major, 3/4, 16 bars"."""
    facts = sample.facts
    if isinstance(facts, ImageFacts):
        return f"{facts.width} \u00d7 {facts.height} {facts.format}"
    return f"{facts.key}, {facts.meter}, {facts.bar_text()}"


def fact_rows(facts: ImageFacts | MelodyFacts) -> list[tuple[str, str]]:
    """(label, value) pairs for the inspector and tooltips; notices come last."""
    if isinstance(facts, ImageFacts):
        rows = [
            ("Size", f"{facts.width} \u00d7 {facts.height} px"),
            ("Format", facts.format),
            ("Mode", facts.mode),
            ("Palette", f"{len(facts.palette)} dominant colours"),
        ]
    else:
        rows = [
            ("Key", f"{facts.key} (confidence {facts.key_confidence:.2f})"),
            ("Tempo", f"{facts.tempo_bpm:.0f} BPM"),
            ("Meter", facts.meter),
            ("Bars", facts.bar_text(unit=False)),
            ("Notes", str(facts.notes)),
            ("Range", f"{pitch_name(facts.lowest)} \u2013 {pitch_name(facts.highest)}"),
            ("Length", f"{facts.seconds:.1f} s"),
        ]
    for notice in facts.notices:
        rows.append(("Notice", notice))
    return rows


def _rows_html(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td><b>{html.escape(k)}</b>&nbsp;</td><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def sample_tooltip(sample: Sample) -> str:
    """Rich-text tooltip: the file, then every fact."""
    head = f"<b>{html.escape(sample.name)}</b><br><small>{html.escape(sample.path)}</small>"
    return head + _rows_html(fact_rows(sample.facts))


def work_rows(work: Work) -> list[tuple[str, str]]:
    rows = [("Status", work.status.value), ("Seed", str(work.seed)), ("Domain", work.domain.value)]
    if work.melody is not None:
        lo, hi = work.melody.pitch_range
        bars = bar_text(work.melody.bars, bool(work.melody.pickup), unit=False)
        rows += [("Notes", str(len(work.melody.notes))), ("Bars", bars),
                 ("Range", f"{pitch_name(lo)} \u2013 {pitch_name(hi)}")]
    elif work.image is not None:
        rows.append(("Size", f"{work.image.shape[1]} \u00d7 {work.image.shape[0]} px"))
    for key, value in work.provenance.items():
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        rows.append((str(key).replace("_", " ").capitalize(), text if len(text) <= 120 else text[:117] + "..."))
    return rows


def work_title(work: Work) -> str:
    return work.title or f"Seed {work.seed}"


def work_tooltip(work: Work) -> str:
    return f"<b>{html.escape(work_title(work))}</b>" + _rows_html(work_rows(work))
