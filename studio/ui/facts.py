"""Human-readable text for samples and works: one-line summaries, fact rows and tooltips."""

from __future__ import annotations

import html
import json
import re

from studio.core.melody import PITCH_NAMES
from studio.core.samples import ImageFacts, MelodyFacts, Sample
from studio.core.works import Work, WorkStatus
from studio.ui.i18n import QT_TRANSLATE_NOOP, domain_singular, translate

# The provenance keys a work usually carries, as the inspector labels them (others: the key itself)
_PROVENANCE_LABELS = {
    "operation": QT_TRANSLATE_NOOP("Facts", "Operation"), "model": QT_TRANSLATE_NOOP("Facts", "Model"),
    "method": QT_TRANSLATE_NOOP("Facts", "Method"), "parent": QT_TRANSLATE_NOOP("Facts", "Parent"),
    "parents": QT_TRANSLATE_NOOP("Facts", "Parents"), "steps": QT_TRANSLATE_NOOP("Facts", "Steps"),
    "step": QT_TRANSLATE_NOOP("Facts", "Step"), "loss": QT_TRANSLATE_NOOP("Facts", "Loss"),
    "samples": QT_TRANSLATE_NOOP("Facts", "Samples"), "closeness": QT_TRANSLATE_NOOP("Facts", "Closeness"),
    "seed": QT_TRANSLATE_NOOP("Facts", "Seed"), "bars": QT_TRANSLATE_NOOP("Facts", "Bars"),
    "key": QT_TRANSLATE_NOOP("Facts", "Key"), "meter": QT_TRANSLATE_NOOP("Facts", "Meter"),
    "tempo_bpm": QT_TRANSLATE_NOOP("Facts", "Tempo (BPM)"), "params": QT_TRANSLATE_NOOP("Facts", "Settings"),
    "guide": QT_TRANSLATE_NOOP("Facts", "Guide"), "long_side": QT_TRANSLATE_NOOP("Facts", "Long side"),
    "brushwork": QT_TRANSLATE_NOOP("Facts", "Brushwork"),
    "repainted_share": QT_TRANSLATE_NOOP("Facts", "Repainted share"),
    "regenerated_bars": QT_TRANSLATE_NOOP("Facts", "Regenerated bars"),
    "guide_closeness": QT_TRANSLATE_NOOP("Facts", "Closeness to the guide"),
    "clip_bars": QT_TRANSLATE_NOOP("Facts", "Clip bars"), "repaint_seed": QT_TRANSLATE_NOOP("Facts", "Repaint seed"),
    "layout": QT_TRANSLATE_NOOP("Facts", "Layout"), "texture_scale": QT_TRANSLATE_NOOP("Facts", "Texture scale"),
    "work_closeness": QT_TRANSLATE_NOOP("Facts", "This painting's closeness to the guide"),
    "density_calibration": QT_TRANSLATE_NOOP("Facts", "Density calibration"), "pin": QT_TRANSLATE_NOOP("Facts", "Pin"),
    "taste": QT_TRANSLATE_NOOP("Facts", "Taste when chosen"),
}


# The engine's words for what made a work and how it adapted, as the inspector shows them
_PROVENANCE_VALUES = {
    "operation": {"generate": QT_TRANSLATE_NOOP("Facts", "generate"), "vary": QT_TRANSLATE_NOOP("Facts", "vary"),
                  "blend": QT_TRANSLATE_NOOP("Facts", "blend"), "render": QT_TRANSLATE_NOOP("Facts", "render larger"),
                  "repaint": QT_TRANSLATE_NOOP("Facts", "repaint"), "continue": QT_TRANSLATE_NOOP("Facts", "continue"),
                  "regenerate": QT_TRANSLATE_NOOP("Facts", "regenerate bars"),
                  "adaptation preview": QT_TRANSLATE_NOOP("Facts", "adaptation preview")},
    # the English window keeps the registry's names (as in undo texts and the CLI)
    "method": {"instant": QT_TRANSLATE_NOOP("Facts", "instant"), "reptile": QT_TRANSLATE_NOOP("Facts", "reptile"),
               "anil": QT_TRANSLATE_NOOP("Facts", "anil"), "fomaml": QT_TRANSLATE_NOOP("Facts", "fomaml"),
               "maml": QT_TRANSLATE_NOOP("Facts", "maml"), "metasgd": QT_TRANSLATE_NOOP("Facts", "metasgd"),
               "hypernet": QT_TRANSLATE_NOOP("Facts", "hypernet")},
}


def method_name(method: str) -> str:
    """An adaptation method's registry name ("reptile", "instant") in the window's language."""
    known = _PROVENANCE_VALUES["method"].get(method)
    return translate("Facts", known) if known else method


def status_text(status: WorkStatus) -> str:
    """new, kept or rejected in the window's language."""
    if status is WorkStatus.KEPT:
        return translate("Facts", "kept")
    if status is WorkStatus.REJECTED:
        return translate("Facts", "rejected")
    return translate("Facts", "new")


def pitch_name(pitch: int) -> str:
    """MIDI pitch as a note name with octave, e.g. 60 -> "C4"."""
    return f"{PITCH_NAMES[pitch % 12]}{pitch // 12 - 1}"


def bar_text(bars: int, pickup: bool, unit: bool = True) -> str:
    """:func:`studio.core.samples.bar_text` in the window's language: "8 bars + pickup", "1 bar", "8 + pickup"."""
    full = bars - 1 if pickup else bars
    if not unit:
        return translate("Facts", "{n} + pickup").format(n=full) if pickup else str(full)
    text = translate("Facts", "1 bar") if full == 1 else translate("Facts", "{n} bars").format(n=full)
    return translate("Facts", "{bars} + pickup").format(bars=text) if pickup else text


def key_text(key: str) -> str:
    """An analysed key ("G major", "E minor", "unknown") with its mode in the window's language."""
    tonic, _, mode = key.partition(" ")
    if key == "unknown":
        return translate("Facts", "unknown")
    if mode == "major":
        return translate("Facts", "{tonic} major").format(tonic=tonic)
    if mode == "minor":
        return translate("Facts", "{tonic} minor").format(tonic=tonic)
    return key


def summary(sample: Sample) -> str:
    """One short line: "1024 x 768 JPEG" or "G major, 3/4, 16 bars"."""
    facts = sample.facts
    if isinstance(facts, ImageFacts):
        return f"{facts.width} \u00d7 {facts.height} {facts.format}"
    return translate("Facts", "{key}, {meter}, {bars}").format(key=key_text(facts.key), meter=facts.meter,
                                                                bars=bar_text(facts.bars, facts.pickup))


def fact_rows(facts: ImageFacts | MelodyFacts) -> list[tuple[str, str]]:
    """(label, value) pairs for the inspector and tooltips; notices come last."""
    if isinstance(facts, ImageFacts):
        rows = [
            (translate("Facts", "Size"), translate("Facts", "{width} \u00d7 {height} px").format(
                width=facts.width, height=facts.height)),
            (translate("Facts", "Format"), facts.format),
            (translate("Facts", "Mode"), facts.mode),
            (translate("Facts", "Palette"), translate("Facts", "{n} dominant colours").format(n=len(facts.palette))),
        ]
    else:
        rows = [
            (translate("Facts", "Key"), translate("Facts", "{key} (confidence {confidence})").format(
                key=key_text(facts.key), confidence=f"{facts.key_confidence:.2f}")),
            (translate("Facts", "Tempo"), translate("Facts", "{bpm} BPM").format(bpm=f"{facts.tempo_bpm:.0f}")),
            (translate("Facts", "Meter"), facts.meter),
            (translate("Facts", "Bars"), bar_text(facts.bars, facts.pickup, unit=False)),
            (translate("Facts", "Notes"), str(facts.notes)),
            (translate("Facts", "Range"), f"{pitch_name(facts.lowest)} \u2013 {pitch_name(facts.highest)}"),
            (translate("Facts", "Length"), translate("Facts", "{seconds} s").format(seconds=f"{facts.seconds:.1f}")),
        ]
    for notice in facts.notices:
        rows.append((translate("Facts", "Notice"), notice))
    return rows


def _rows_html(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td><b>{html.escape(k)}</b>&nbsp;</td><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def sample_tooltip(sample: Sample) -> str:
    """Rich-text tooltip: the file, then every fact."""
    head = f"<b>{html.escape(sample.name)}</b><br><small>{html.escape(sample.path)}</small>"
    return head + _rows_html(fact_rows(sample.facts))


def _taste_fact(entry: object) -> str | None:
    """A curated work's taste record (score and drafts when the studio chose it) in the window's
    language; None when it is not one. Its English explanation is not repeated: the inspector's
    taste section says the work's explanation now, in the window's language."""
    if not isinstance(entry, dict):
        return None
    score, drafts = entry.get("score"), entry.get("drafts")
    if not isinstance(score, (int, float)) or isinstance(score, bool) or not isinstance(drafts, int):
        return None
    return translate("Facts", "{score}, chosen from {drafts} drafts").format(score=f"{score:+.2f}", drafts=drafts)


def work_rows(work: Work) -> list[tuple[str, str]]:
    rows = [(translate("Facts", "Status"), status_text(work.status)), (translate("Facts", "Seed"), str(work.seed)),
            (translate("Facts", "Domain"), domain_singular(work.domain))]
    if work.melody is not None:
        lo, hi = work.melody.pitch_range
        bars = bar_text(work.melody.bars, bool(work.melody.pickup), unit=False)
        rows += [(translate("Facts", "Notes"), str(len(work.melody.notes))), (translate("Facts", "Bars"), bars),
                 (translate("Facts", "Range"), f"{pitch_name(lo)} \u2013 {pitch_name(hi)}")]
    elif work.image is not None:
        rows.append((translate("Facts", "Size"), translate("Facts", "{width} \u00d7 {height} px").format(
            width=work.image.shape[1], height=work.image.shape[0])))
    for key, value in work.provenance.items():
        known = _PROVENANCE_VALUES.get(str(key), {}).get(value) if isinstance(value, str) else None
        taste = _taste_fact(value) if key == "taste" else None
        if known:
            text = translate("Facts", known)
        elif taste is not None:
            text = taste
        else:
            text = value if isinstance(value, str) else json.dumps(value, default=str)
        label = _PROVENANCE_LABELS.get(str(key))
        label = translate("Facts", label) if label else str(key).replace("_", " ").capitalize()
        rows.append((label, text if len(text) <= 120 else text[:117] + "..."))
    return rows


# The titles the generators give works ("Painting 0308", "Melody 1203 (512 px)"), shown translated
_TITLE = re.compile(r"(?P<kind>Painting|Variation|Blend|Melody) (?P<number>\d+)(?: \((?P<side>\d+) px\))?")
_TITLE_WORDS = {"Painting": QT_TRANSLATE_NOOP("Facts", "Painting {number}"),
                "Variation": QT_TRANSLATE_NOOP("Facts", "Variation {number}"),
                "Blend": QT_TRANSLATE_NOOP("Facts", "Blend {number}"),
                "Melody": QT_TRANSLATE_NOOP("Facts", "Melody {number}")}


def work_title(work: Work) -> str:
    """The work's title as the window shows it: a generator's own title in the window's language,
    a title a person gave as it is, a seed when there is none."""
    if not work.title:
        return translate("Facts", "Seed {seed}").format(seed=work.seed)
    match = _TITLE.fullmatch(work.title)
    if match is None:
        return work.title
    text = translate("Facts", _TITLE_WORDS[match["kind"]]).format(number=match["number"])
    return translate("Facts", "{title} ({side} px)").format(title=text, side=match["side"]) if match["side"] else text


def work_tooltip(work: Work) -> str:
    return f"<b>{html.escape(work_title(work))}</b>" + _rows_html(work_rows(work))
