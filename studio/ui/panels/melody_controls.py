"""The melody controls: what to generate (count, length, adventurousness, key and scale, chords,
meter, range, density) and how to refine (variations, blend, continue, regenerate bars, more
like these).

The panel only asks: each button emits a signal and :meth:`params` reads the settings as a
:class:`~studio.domains.melody.params.MelodyParams`. The window's generation controller runs
the work and tells the panel, through :meth:`set_availability`, which buttons can act now and
why the others cannot (the reason becomes the button's tooltip). "Like the samples" choices
show the samples' own key, meter, tempo and range once :meth:`set_sample_defaults` has them;
the samples' key is their pooled key (:func:`pooled_key`: the one that fits all their notes).

Key and scale: a tonic, a scale of :data:`~studio.core.scales.SCALE_NAMES` and "Lock to scale"
(no note outside it). Chords: the :class:`~studio.ui.widgets.chord_lane.ChordLane`; while its
text has a mistake, Generate and More Like These say so and stay off. A finished chord edit
emits ``sig_chords_edited(old, new)`` for the window's undo stack; :meth:`set_chord_text` is
the undo side. Everything is saved with the project through :meth:`settings`.
"""

from __future__ import annotations

from collections import Counter
from statistics import median
from typing import Any, Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QWidget

from studio.core.melody import PITCH_NAMES, KeySignature, Melody
from studio.core.melody_analysis import pooled_key as notes_key
from studio.core.scales import SCALE_NAMES, Scale
from studio.core.samples import Sample
from studio.domains.melody.params import DEFAULT_IDIOMS, SUPPORTED_BARS, MelodyParams
from studio.domains.melody.harmony import progression_key
from studio.domains.melody.representation import METERS, melody_key
from studio.ui.facts import key_text, pitch_name
from studio.ui.i18n import QT_TRANSLATE_NOOP, translate
from studio.ui.panels.controls_base import (
    ControlsPanel, count_box, number_setting, restore_combo, restore_numbers, slider, variations_box,
)
from studio.ui.widgets.chord_lane import ChordLane, bar_ticks_of

# English sources, shown translated:
LIKE_SAMPLES = QT_TRANSLATE_NOOP("MelodyControlsPanel", "as samples")  # a choice that follows the samples (combo boxes)
AUTO = QT_TRANSLATE_NOOP("MelodyControlsPanel", "auto")  # the same for spin boxes, which are narrower
ACTIONS = ("generate", "vary", "blend", "continue", "regenerate", "more")
MINOR_SCALES = frozenset({"natural minor", "harmonic minor", "dorian", "minor pentatonic", "blues"})
CHORD_ACTIONS = ("generate", "more")  # the actions that read the chord lane
_LOWEST, _HIGHEST = 21, 108  # the piano's range; one below the lowest means "like the samples"
TIPS = {"generate": QT_TRANSLATE_NOOP("ControlsPanel", "Generate a gallery of new melodies in your samples' style"),
        "vary": QT_TRANSLATE_NOOP("ControlsPanel", "Variations of the selected gallery melody (Closeness sets how "
                                  "close)"),
        "blend": QT_TRANSLATE_NOOP("ControlsPanel", "A new melody mixing the two selected gallery melodies"),
        "continue": QT_TRANSLATE_NOOP("ControlsPanel", "Continue the selected gallery melody or sample clip by "
                                      "Length bars"),
        "regenerate": QT_TRANSLATE_NOOP("ControlsPanel", "Write the bars chosen in the inspector's piano roll anew, "
                                        "keeping the rest"),
        "more": QT_TRANSLATE_NOOP("ControlsPanel", "Adapt again with the kept melodies as extra samples, then "
                                  "generate")}  # English sources, shown translated
_SCALE_LABELS = {"major": QT_TRANSLATE_NOOP("MelodyControlsPanel", "major"),
                 "natural minor": QT_TRANSLATE_NOOP("MelodyControlsPanel", "natural minor"),
                 "harmonic minor": QT_TRANSLATE_NOOP("MelodyControlsPanel", "harmonic minor"),
                 "dorian": QT_TRANSLATE_NOOP("MelodyControlsPanel", "dorian"),
                 "mixolydian": QT_TRANSLATE_NOOP("MelodyControlsPanel", "mixolydian"),
                 "major pentatonic": QT_TRANSLATE_NOOP("MelodyControlsPanel", "major pentatonic"),
                 "minor pentatonic": QT_TRANSLATE_NOOP("MelodyControlsPanel", "minor pentatonic"),
                 "blues": QT_TRANSLATE_NOOP("MelodyControlsPanel", "blues")}


def scale_label(name: str) -> str:
    """A scale of :data:`SCALE_NAMES` in the window's language (a new one as the engine names it)."""
    return translate("MelodyControlsPanel", _SCALE_LABELS.get(name, name))


def like_samples() -> str:
    return translate("MelodyControlsPanel", LIKE_SAMPLES)


def parse_key_name(name: str) -> KeySignature | None:
    """``"Eb minor"`` -> KeySignature(3, "minor"); None for "unknown" or anything else."""
    parts = name.split()
    if len(parts) != 2 or parts[0] not in PITCH_NAMES or parts[1] not in ("major", "minor"):
        return None
    return KeySignature(PITCH_NAMES.index(parts[0]), parts[1])


def pooled_key(melodies: Sequence[Melody]) -> KeySignature | None:
    """The samples' key as the melody generator takes it: their own when they all agree, else
    the key that fits all their notes together (:func:`~studio.core.melody_analysis.pooled_key`),
    not the first or the most common sample's key; None without notes."""
    melodies = [m for m in melodies if m.notes]
    if not melodies:
        return None
    keys = {melody_key(m) for m in melodies}
    return keys.pop() if len(keys) == 1 else notes_key(melodies)


def sample_defaults(samples: Sequence[Sample]) -> dict[str, Any]:
    """The samples' pooled key, most common meter, median tempo and overall range (None: unknown)."""
    melodies = [s.melody for s in samples if s.melody is not None and s.melody.notes]
    if not melodies:
        return {"key": None, "meter": None, "tempo": None, "lowest": None, "highest": None}
    return {
        "key": pooled_key(melodies),
        "meter": Counter(m.time_signature for m in melodies).most_common(1)[0][0],
        "tempo": float(median(m.tempo_bpm for m in melodies)),
        "lowest": min(m.pitch_range[0] for m in melodies),
        "highest": max(m.pitch_range[1] for m in melodies),
    }


class PitchSpinBox(QSpinBox):
    """A MIDI pitch shown as a note name (C4 = 60); its minimum reads "auto" (like the samples)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(_LOWEST - 1, _HIGHEST)
        self.setSpecialValueText(translate("MelodyControlsPanel", AUTO))

    def pitch(self) -> int | None:
        return None if self.value() == self.minimum() else self.value()

    def set_pitch(self, pitch: int | None) -> None:
        self.setValue(self.minimum() if pitch is None else max(_LOWEST, min(_HIGHEST, pitch)))

    def textFromValue(self, value: int) -> str:
        return pitch_name(value)

    def valueFromText(self, text: str) -> int:
        text = text.strip()
        for pitch in range(_LOWEST, _HIGHEST + 1):
            if pitch_name(pitch).lower() == text.lower():
                return pitch
        return self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        names = {pitch_name(p).lower() for p in range(_LOWEST, _HIGHEST + 1)} | {self.specialValueText().lower()}
        state = QValidator.State.Acceptable if text.strip().lower() in names else QValidator.State.Intermediate
        return state, text, pos


class MelodyControlsPanel(ControlsPanel):
    """See the module docstring. Buttons: ``buttons[name]`` for every name in :data:`ACTIONS`."""

    tips = TIPS

    sig_generate = Signal()
    sig_vary = Signal()
    sig_blend = Signal()
    sig_continue = Signal()
    sig_regenerate_bars = Signal()
    sig_more_like_these = Signal()
    sig_chords_edited = Signal(str, str)  # the chord text before and after a finished edit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._defaults: dict[str, Any] = sample_defaults(())
        self._reasons: dict[str, str | None] = {}
        self.count = count_box(self.tr("How many melodies one Generate makes"))
        self.bars = QComboBox()
        for bars in SUPPORTED_BARS:
            self.bars.addItem(self.tr("{n} bars").format(n=bars), bars)
        self.bars.setCurrentIndex(SUPPORTED_BARS.index(8))
        self.bars.setToolTip(self.tr("Length of each new melody; Continue adds this many bars"))
        self.temperature = slider(10, 250, 100, self.tr("Adventurousness: left is safer and closer to your "
                                                        "samples, right is bolder (sampling temperature)"))
        self.temperature_label = QLabel()
        self.key = QComboBox()
        self.key.addItem(like_samples(), None)
        for tonic, name in enumerate(PITCH_NAMES):
            self.key.addItem(name, tonic)
        self.key.setToolTip(self.tr("Key of the new melodies (default: the samples' key)"))
        self.scale = QComboBox()
        self.scale.addItem(like_samples(), None)
        for name in SCALE_NAMES:
            self.scale.addItem(scale_label(name), name)
        self.scale.setToolTip(self.tr("Scale of the new melodies (default: major or minor, as the samples' key)"))
        self.scale_lock = QCheckBox(self.tr("Lock to scale"))
        self.scale_lock.setToolTip(self.tr("No note outside the key's scale (guaranteed)"))
        self.chords = ChordLane()
        self.transpose = QSpinBox()
        self.transpose.setRange(-11, 11)
        self.transpose.setSuffix(self.tr(" st"))
        self.transpose.setToolTip(self.tr("Transpose the chosen key up or down, in semitones"))
        self.meter = QComboBox()
        self.meter.addItem(like_samples(), None)
        for num, den in METERS:
            self.meter.addItem(f"{num}/{den}", f"{num}/{den}")
        self.meter.setToolTip(self.tr("Meter of the new melodies (default: the samples' meter)"))
        self.tempo = QSpinBox()
        self.tempo.setRange(29, 300)
        self.tempo.setSpecialValueText(self.tr(AUTO))
        self.tempo.setSuffix(self.tr(" BPM"))
        self.tempo.setValue(29)
        self.tempo.setToolTip(self.tr("Tempo written into the new melodies (auto: the samples' tempo)"))
        self.lowest = PitchSpinBox()
        self.lowest.setToolTip(self.tr("Lowest note allowed (auto: the samples' range)"))
        self.highest = PitchSpinBox()
        self.highest.setToolTip(self.tr("Highest note allowed (auto: the samples' range)"))
        self.density = slider(-100, 100, 0, self.tr("Rhythmic density: left for longer notes, right for busier rhythms"))
        self.idioms = slider(0, 100, round(100 * DEFAULT_IDIOMS),
                             self.tr("Idioms: how much new melodies reuse your samples' own rhythm and note "
                                     "patterns (left: the model's own phrasing, right: your clips' patterns, "
                                     "recombined)"))
        self.closeness = slider(0, 100, 70, self.tr("Closeness of variations: right keeps the motif and most "
                                                    "bars, left changes more"))
        self.variations = variations_box()
        labels = {"generate": self.tr("Generate"), "vary": self.tr("Variations"), "blend": self.tr("Blend Two"),
                  "continue": self.tr("Continue"), "regenerate": self.tr("Regenerate Bars"),
                  "more": self.tr("More Like These")}
        self._make_buttons(labels, {"generate": self.sig_generate, "vary": self.sig_vary, "blend": self.sig_blend,
                                    "continue": self.sig_continue, "regenerate": self.sig_regenerate_bars,
                                    "more": self.sig_more_like_these})
        self.temperature.valueChanged.connect(self._show_temperature)
        self.lowest.valueChanged.connect(self._keep_range_open)
        self.highest.valueChanged.connect(self._keep_range_open)
        self.meter.currentIndexChanged.connect(self._meter_changed)
        self.bars.currentIndexChanged.connect(self._bars_changed)
        self._bars_changed()
        self.chords.sig_committed.connect(self.sig_chords_edited)
        self.chords.sig_error_changed.connect(self._apply_availability)
        self.chords.edit.textChanged.connect(self._show_default_key)  # after the lane has read the text
        self._layout()
        self._show_temperature(self.temperature.value())
        self.set_availability(dict.fromkeys(ACTIONS, self.tr("Add a few melodies first: the studio learns their style")))
        self.setMinimumWidth(220)  # the height follows the contents; the window scrolls it

    def _layout(self) -> None:
        def row(*widgets: QWidget, between: str = "") -> QHBoxLayout:
            line = QHBoxLayout()
            for i, widget in enumerate(widgets):
                if i and between:
                    line.addWidget(QLabel(between))
                line.addWidget(widget, 3 if isinstance(widget, QComboBox) else 2)
            return line

        form = QFormLayout()
        form.addRow(self.tr("Count"), row(self.count, self.bars))
        adventure = row(self.temperature)
        adventure.addWidget(self.temperature_label)
        form.addRow(self.tr("Adventurousness"), adventure)
        form.addRow(self.tr("Key"), row(self.key, self.transpose))
        scale_row = row(self.scale)
        scale_row.addWidget(self.scale_lock)
        form.addRow(self.tr("Scale"), scale_row)
        form.addRow(self.tr("Chords"), self.chords)
        form.addRow(self.tr("Meter"), row(self.meter, self.tempo))
        form.addRow(self.tr("Note range"), row(self.lowest, self.highest, between=self.tr("to")))
        form.addRow(self.tr("Density"), self.density)
        form.addRow(self.tr("Idioms"), self.idioms)
        pairs = []
        for pair in (("vary", "blend"), ("continue", "regenerate")):
            line = QHBoxLayout()
            for name in pair:
                line.addWidget(self.buttons[name])
            pairs.append(line)
        self._stack_groups(self.tr("New melodies"), form, row(self.closeness, self.variations), pairs)

    # -- reading the controls ------------------------------------------------------------------------

    def adventurousness(self) -> float:
        return self.temperature.value() / 100.0

    def chosen_scale(self) -> Scale | None:
        """The chosen tonic and scale (each "as samples" filled from the samples' key), moved by
        the transposition; None when all three are left like the samples."""
        tonic, name, shift = self.key.currentData(), self.scale.currentData(), self.transpose.value()
        if tonic is None and name is None and not shift:
            return None
        base = self.default_key()
        if tonic is None:
            if base is None and name is None:
                return None  # a transposition of a key not known yet
            tonic = base.tonic if base is not None else 0
        if name is None:
            name = "natural minor" if base is not None and base.mode == "minor" else "major"
        return Scale((int(tonic) + shift) % 12, str(name))

    def chosen_key(self) -> KeySignature | None:
        """The key of :meth:`chosen_scale` (minor for the minor-third scales); None: like the samples."""
        scale = self.chosen_scale()
        if scale is None:
            return None
        return KeySignature(scale.tonic, "minor" if scale.name in MINOR_SCALES else "major")

    def bar_ticks(self) -> int:
        """Ticks per bar of the melodies to come: the chosen meter, else the samples', else 4/4."""
        meter = self.meter.currentData()
        if meter:
            beats, _, unit = str(meter).partition("/")
            return bar_ticks_of((int(beats), int(unit)))
        return bar_ticks_of(self._defaults.get("meter") or (4, 4))

    def chord_text(self) -> str:
        return self.chords.text()

    def set_chord_text(self, text: str) -> None:
        """Show ``text`` in the chord lane without a new undo step (undo, redo, open)."""
        self.chords.set_text(text)

    def params(self) -> MelodyParams:
        meter = self.meter.currentData()
        beats, _, unit = str(meter or "").partition("/")
        low, high = self.lowest.pitch(), self.highest.pitch()
        if low is not None and high is not None and low > high - 5:
            high = min(127, low + 5)
        return MelodyParams(
            bars=int(self.bars.currentData()), temperature=self.adventurousness(), key=self.chosen_key(),
            time_signature=(int(beats), int(unit)) if meter else None,
            tempo_bpm=None if self.tempo.value() == self.tempo.minimum() else float(self.tempo.value()),
            lowest=low, highest=high, density=self.density.value() / 100.0, idioms=self.idioms.value() / 100.0,
            chords=self.chords.spans(), scale=self.chosen_scale(), scale_lock=self.scale_lock.isChecked(),
        )

    def continue_bars(self) -> int:
        return int(self.bars.currentData())

    # -- state from the controller -------------------------------------------------------------------

    def set_sample_defaults(self, defaults: dict[str, Any]) -> None:
        """Show what "like the samples" means now (from :func:`sample_defaults`)."""
        self._defaults = dict(defaults)
        meter, tempo = defaults.get("meter"), defaults.get("tempo")
        like = like_samples()
        self.chords.set_bar_ticks(self.bar_ticks())
        self._show_default_key()
        self.meter.setItemText(0, f"{like} ({meter[0]}/{meter[1]})" if meter else like)
        low, high = defaults.get("lowest"), defaults.get("highest")
        for widget, tip, value in (
                (self.tempo, self.tr("Tempo written into the new melodies"),
                 self.tr("{bpm} BPM").format(bpm=f"{tempo:.0f}") if tempo else None),
                (self.lowest, self.tr("Lowest note allowed"), pitch_name(low) if low is not None else None),
                (self.highest, self.tr("Highest note allowed"), pitch_name(high) if high is not None else None)):
            text = self.tr("{tip}; auto follows the samples").format(tip=tip)
            widget.setToolTip(f"{text} ({value})" if value else text)

    def settings(self) -> dict[str, Any]:
        return {"count": self.count.value(), "bars": self.bars.currentData(), "temperature": self.temperature.value(),
                "key": self.key.currentData(), "scale": self.scale.currentData(),
                "scale_lock": self.scale_lock.isChecked(), "chords": self.chords.text(),
                "play_chords": self.chords.play_chords.isChecked(), "transpose": self.transpose.value(),
                "meter": self.meter.currentData(), "tempo": self.tempo.value(), "lowest": self.lowest.pitch(),
                "highest": self.highest.pitch(), "density": self.density.value(), "idioms": self.idioms.value(),
                "closeness": self.closeness.value(), "variations": self.variations.value()}

    def apply_settings(self, values: dict[str, Any]) -> None:
        """Restore :meth:`settings` (unknown or malformed entries are skipped)."""
        restore_numbers(values, (("count", self.count), ("temperature", self.temperature),
                                 ("transpose", self.transpose), ("tempo", self.tempo), ("density", self.density),
                                 ("idioms", self.idioms), ("closeness", self.closeness), ("variations", self.variations)))
        restore_combo(self.bars, number_setting(values, "bars"))
        key, scale = values.get("key"), values.get("scale")
        if isinstance(key, list) and len(key) == 2 and key[1] in ("major", "minor"):  # before scales: [tonic, mode]
            key, scale = key[0], "major" if key[1] == "major" else "natural minor"
        if key is None or (isinstance(key, int) and not isinstance(key, bool) and 0 <= key <= 11):
            self.key.setCurrentIndex(0 if key is None else 1 + key)
        if scale is None or isinstance(scale, str):
            self.scale.setCurrentIndex(max(0, self.scale.findData(scale)) if scale else 0)
        for name, box in (("scale_lock", self.scale_lock), ("play_chords", self.chords.play_chords)):
            if isinstance(values.get(name), bool):
                box.setChecked(values[name])
        chords = values.get("chords")
        self.chords.set_text(chords if isinstance(chords, str) else "")
        meter = values.get("meter")
        self.meter.setCurrentIndex(max(0, self.meter.findData(meter)) if isinstance(meter, str) else 0)
        self.lowest.set_pitch(number_setting(values, "lowest"))
        self.highest.set_pitch(number_setting(values, "highest"))

    def set_availability(self, reasons: dict[str, str | None]) -> None:
        """As :meth:`ControlsPanel.set_availability`; while the chord text has a mistake, the
        actions that read it are off and say why."""
        self._reasons = dict(reasons)
        self._apply_availability()

    def _apply_availability(self) -> None:
        reasons = dict(self._reasons)
        error = self.chords.error()
        if error is not None:
            for name in CHORD_ACTIONS:
                if name in reasons and reasons[name] is None:
                    reasons[name] = self.tr("Fix the chords first: {error}").format(error=error)
        super().set_availability(reasons)

    def _bars_changed(self, *_: object) -> None:
        self.chords.set_melody_bars(int(self.bars.currentData()))

    def _meter_changed(self, *_: object) -> None:
        self.chords.set_bar_ticks(self.bar_ticks())

    def default_key(self) -> KeySignature | None:
        """The key "as samples" stands for now: the chords' key when chords are typed (the
        generator follows them), else the samples' key; None when neither is known."""
        return progression_key(self.chords.spans()) or self._defaults.get("key")

    def _show_default_key(self, *_: object) -> None:
        """Name the default key and its scale in the first items of the key and scale combos."""
        key, by_chords = self.default_key(), progression_key(self.chords.spans()) is not None
        like = self.tr("as chords") if by_chords else like_samples()
        self.key.setItemText(0, f"{like} ({PITCH_NAMES[key.tonic]})" if key else like)  # the mode shows below
        self.scale.setItemText(0, f"{like} ({scale_label('natural minor' if key.mode == 'minor' else 'major')})"
                               if key else like)
        self.key.setToolTip(self.tr("Key of the new melodies; {like} = {key}").format(like=like, key=key_text(key.name))
                            if key else self.tr("Key of the new melodies"))

    def _show_temperature(self, value: int) -> None:
        self.temperature_label.setText(f"{value / 100:.2f}")

    def _keep_range_open(self, *_: object) -> None:
        low, high = self.lowest.pitch(), self.highest.pitch()
        if low is not None and high is not None and low > high - 5:
            sender = self.sender()
            if sender is self.lowest:
                self.highest.set_pitch(min(_HIGHEST, low + 5))
            else:
                self.lowest.set_pitch(max(_LOWEST, high - 5))


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    panel = MelodyControlsPanel()
    panel.set_availability({name: None for name in ACTIONS})
    panel.sig_generate.connect(lambda: print(panel.params()))
    panel.show()
    sys.exit(app.exec())
