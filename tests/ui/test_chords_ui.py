"""Chords and key/scale in the window (issue 19, points 1 and 2): the Melody panel's chord lane,
key, scale and lock controls, the piano roll's chord lane, the preview synth's chords, the
chords in exported MIDI, undo, and saving with the project.

The window tests use the in-test fake generator (:mod:`tests.ui.melody_fakes`): they check that
what the person sets reaches the generator's params, not how the real generator follows chords.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from studio import engine
from studio.core.chord_text import parse_chords
from studio.core.chords import Chord, ChordSpan
from studio.core.melody import KeySignature, Melody, Note
from studio.core.samples import Domain
from studio.core.scales import Scale
from studio.core.works import Work
from studio.domains.melody.synth import frequency, render
from studio.ui.audio import CHORD_VELOCITY, Player, SilentOutput, chord_voices, preview_schedule, render_preview
from studio.ui.panels.melody_controls import ACTIONS, MelodyControlsPanel, pooled_key
from studio.ui.widgets.chord_lane import ChordLane, chords_from_file
from studio.ui.widgets.piano_roll import CHORD_LANE_HEIGHT, RULER_HEIGHT, PianoRollWidget
from tests.ui.conftest import wait_for_import, write_png
from tests.ui.melody_fakes import fake_generator  # noqa: F401 - fixture

PROGRESSION = "C | G | Am F | F"


def chord_melody(chords: str = PROGRESSION, pitches: tuple[int, ...] = (72, 76, 79, 74, 71, 67, 72, 76),
                 note_ticks: int = 48) -> Melody:
    notes = tuple(Note(p, i * note_ticks, note_ticks) for i, p in enumerate(pitches))
    return Melody(notes, 120.0, (4, 4), KeySignature(0), 0, "with chords", chords=parse_chords(chords, 96))


# -- the chord lane and the panel -----------------------------------------------------------------------

def test_a_bad_chord_is_underlined_named_and_keeps_generate_off_with_the_reason(qtbot):
    panel = MelodyControlsPanel()
    qtbot.addWidget(panel)
    panel.set_availability(dict.fromkeys(ACTIONS))
    qtbot.keyClicks(panel.chords.edit, "C | G | Am Hx7 | F")
    error = panel.chords.error()
    assert error is not None and error.symbol == "Hx7"
    assert '"Hx7"' in panel.chords.message.text() and "bar 3" in panel.chords.message.text()
    assert panel.chords.error_range() == ("C | G | Am Hx7 | F".index("Hx7"), 3)
    assert panel.chords.message.property("error") is True
    assert not panel.buttons["generate"].isEnabled() and not panel.buttons["more"].isEnabled()
    assert '"Hx7"' in panel.buttons["generate"].toolTip()
    assert panel.buttons["vary"].isEnabled()  # refinements keep the works' own chords
    assert panel.params().chords == ()  # never a half-read progression
    panel.chords.edit.setText(PROGRESSION)
    assert panel.chords.error() is None and panel.buttons["generate"].isEnabled()
    assert panel.chords.message.text() == "Chords for 4 bars, repeated over 8"
    assert panel.chords.message.property("error") is False
    panel.bars.setCurrentIndex(panel.bars.findData(4))
    assert panel.chords.message.text() == "Chords for 4 bars"
    panel.chords.edit.setText(PROGRESSION + " | C | G | C | C")
    assert panel.chords.message.text() == "Chords for 8 bars; melodies of 4 bars use the first 4"
    panel.chords.edit.setText(PROGRESSION)
    panel.set_availability(dict.fromkeys(ACTIONS, "Add a few melodies first"))  # the controller's reason stays
    panel.chords.edit.setText("C | %%")
    assert panel.buttons["generate"].toolTip().endswith("Add a few melodies first.")


def test_good_chords_key_scale_and_lock_reach_the_params(qtbot):
    panel = MelodyControlsPanel()
    qtbot.addWidget(panel)
    panel.chords.edit.setText(PROGRESSION)
    assert panel.params().chords == parse_chords(PROGRESSION, 96)
    panel.meter.setCurrentIndex(panel.meter.findData("3/4"))  # the bars follow the meter
    assert panel.params().chords == parse_chords(PROGRESSION, 72)
    assert panel.params().scale is None and panel.params().scale_lock is False
    panel.key.setCurrentIndex(panel.key.findData(2))
    panel.scale.setCurrentIndex(panel.scale.findData("dorian"))
    panel.scale_lock.setChecked(True)
    params = panel.params()
    assert params.scale == Scale(2, "dorian") and params.scale_lock and params.key == KeySignature(2, "minor")
    panel.set_sample_defaults({"key": KeySignature(7, "minor"), "meter": (4, 4)})
    panel.key.setCurrentIndex(0)  # with chords typed, the default key is theirs (as the generator takes it)
    assert panel.key.itemText(0) == "as chords (C)" and panel.scale.itemText(0) == "as chords (major)"
    assert panel.params().scale == Scale(0, "dorian") and panel.key.toolTip().endswith("as chords = C major")
    panel.chords.edit.setText("Am | Dm E7 | Am")
    assert panel.key.itemText(0) == "as chords (A)" and panel.params().scale == Scale(9, "dorian")
    panel.chords.edit.setText("")  # no chords: the samples' tonic, still dorian
    assert panel.key.itemText(0) == "as samples (G)" and panel.params().scale == Scale(7, "dorian")
    assert panel.scale.itemText(0) == "as samples (natural minor)"
    panel.scale.setCurrentIndex(0)
    assert panel.params().scale is None and panel.params().scale_lock  # the lock on the samples' key
    panel.transpose.setValue(-2)
    assert panel.params().scale == Scale(5, "natural minor")


def test_the_default_key_is_the_one_that_fits_all_the_samples_notes():
    def clip(tonic: int) -> Melody:  # a minor scale up and down from ``tonic`` (as MIDI pitch 60 + tonic)
        steps = (0, 2, 3, 5, 7, 8, 10, 12, 10, 8, 7, 5, 3, 2, 0)
        return Melody(tuple(Note(60 + tonic + s, 24 * i, 24) for i, s in enumerate(steps)))

    # G, B, F# and E minor: the first sample's key (G minor) is not the one that fits them all
    melodies = [clip(7), clip(11), clip(6), clip(4)]
    key = pooled_key(melodies)
    assert key is not None and key != KeySignature(7, "minor")
    fits = sum(1 for m in melodies for n in m.notes if n.pitch % 12 in key.scale())
    first = sum(1 for m in melodies for n in m.notes if n.pitch % 12 in KeySignature(7, "minor").scale())
    assert fits > first
    assert pooled_key([]) is None


def test_settings_keep_the_chords_scale_lock_and_play_toggle_and_read_old_projects(qtbot):
    panel = MelodyControlsPanel()
    qtbot.addWidget(panel)
    panel.chords.edit.setText("Dm7 G7 | Cmaj7 | %")
    panel.key.setCurrentIndex(panel.key.findData(9))
    panel.scale.setCurrentIndex(panel.scale.findData("blues"))
    panel.scale_lock.setChecked(True)
    panel.chords.play_chords.setChecked(False)
    other = MelodyControlsPanel()
    qtbot.addWidget(other)
    other.apply_settings(panel.settings())
    assert other.settings() == panel.settings() and other.params() == panel.params()
    assert other.chord_text() == "Dm7 G7 | Cmaj7 | %" and not other.chords.play_chords.isChecked()
    other.apply_settings({"key": [3, "minor"]})  # a project saved before scales: Eb minor
    assert other.params().scale == Scale(3, "natural minor") and other.chord_text() == ""
    other.apply_settings({"key": 12, "scale": "lydian", "chords": 5, "scale_lock": "yes"})  # malformed: skipped
    assert other.params().chords == () and other.scale.currentIndex() == 0


def test_chords_come_from_a_text_file_and_bad_files_are_named(qtbot, tmp_path):
    lane = ChordLane()
    qtbot.addWidget(lane)
    committed: list[tuple[str, str]] = []
    lane.sig_committed.connect(lambda old, new: committed.append((old, new)))
    good = tmp_path / "song.txt"
    good.write_text("C | G |\nAm F | F\n", encoding="utf-8")
    lane.ask_path = lambda parent: str(good)
    assert lane.choose_file() and lane.text() == "C | G | Am F | F" and committed == [("", "C | G | Am F | F")]
    bad = tmp_path / "bad.txt"
    bad.write_text("C | Q7", encoding="utf-8")
    assert not lane.load_file(bad)
    assert str(bad) in lane.message.text() and '"Q7"' in lane.message.text()
    assert lane.text() == "C | G | Am F | F"  # the progression is not lost
    picture = write_png(tmp_path / "picture.png", (10, 20, 30))
    assert not lane.load_file(picture) and str(picture) in lane.message.text()
    assert not lane.load_file(tmp_path / "missing.mid") and "does not exist" in lane.message.text()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert not lane.load_file(empty) and "empty" in lane.message.text()
    lane.ask_path = lambda parent: None  # cancelled: nothing changes
    assert not lane.choose_file() and lane.text() == "C | G | Am F | F"
    lane.clear()
    assert lane.text() == "" and committed[-1] == ("C | G | Am F | F", "")


def test_chords_come_from_a_lead_sheet_with_a_pickup(qtbot, tmp_path):
    from studio.io.musicxml_write import write_musicxml

    notes = (Note(67, 0, 24),) + tuple(Note(60 + i, 24 + 48 * i, 48) for i in range(8))
    chords = (ChordSpan(Chord(7), 0, 24),) + parse_chords("C | Am F | Dm G7 | C", 96)
    moved = tuple(ChordSpan(s.chord, s.start + 24, s.duration) for s in chords[1:])
    sheet = Melody(notes, 100.0, (4, 4), KeySignature(0), 24, "sheet", chords=(chords[0],) + moved)
    path = tmp_path / "sheet.musicxml"
    path.write_bytes(write_musicxml(sheet))
    lane = ChordLane()
    qtbot.addWidget(lane)
    assert lane.load_file(path), lane.message.text()
    assert lane.text() == "C | Am F | Dm G7 | C"  # from bar 1: the pickup's G is left out


def test_chords_come_from_an_abc_lead_sheet(qtbot, tmp_path):
    path = tmp_path / "tune.abc"
    path.write_text('X:1\nT:Tune\nM:4/4\nL:1/4\nK:C\n"C"C D E F|"G7"G A B c|"Am"A2 "F"F2|]\n', encoding="utf-8")
    lane = ChordLane()
    qtbot.addWidget(lane)
    assert lane.load_file(path), lane.message.text()
    assert lane.text() == "C | G7 | Am F"
    bare = tmp_path / "bare.abc"
    bare.write_text("X:1\nT:Bare\nM:4/4\nL:1/4\nK:C\nC D E F|G A B c|]\n", encoding="utf-8")
    assert not lane.load_file(bare) and str(bare) in lane.message.text() and lane.text() == "C | G7 | Am F"


def test_a_midi_file_without_chords_says_so(qtbot, tmp_path):
    from studio.errors import StudioError
    from tests.ui.conftest import write_midi

    path = write_midi(tmp_path / "tune.mid", [60, 62, 64, 65])
    with pytest.raises(StudioError) as info:
        chords_from_file(path, 96)
    assert str(path) in str(info.value) and "no chord" in str(info.value)


def test_chords_come_from_a_midi_file_of_block_chords_in_its_own_bars(qtbot, tmp_path):
    import mido

    track = mido.MidiTrack([mido.MetaMessage("time_signature", numerator=3, denominator=4, time=0)])
    for chord in ([48, 52, 55], [43, 47, 50, 53], [45, 48, 52]):  # C, G7, Am: a bar of 3/4 each
        track += [mido.Message("note_on", note=n, velocity=60, time=0) for n in chord]
        track += [mido.Message("note_off", note=n, velocity=0, time=1440 if i == 0 else 0)
                  for i, n in enumerate(chord)]
    midi = mido.MidiFile(ticks_per_beat=480)
    midi.tracks.append(track)
    path = tmp_path / "chords.mid"
    midi.save(path)
    lane = ChordLane()
    qtbot.addWidget(lane)
    assert lane.load_file(path), lane.message.text()
    assert lane.text() == "C | G7 | Am"


# -- the piano roll -----------------------------------------------------------------------------------

def test_the_piano_roll_paints_a_chord_lane_with_the_symbols_and_shaded_spans(qtbot):
    roll = PianoRollWidget()
    qtbot.addWidget(roll)
    roll.resize(600, 260)
    roll.set_melody(chord_melody("C | G7 | Am F/A | N"))
    image = roll.grab().toImage()
    assert [symbol for symbol, _ in roll.painted_chords] == ["C", "G7", "Am", "F/A", "N.C."]
    assert roll.notes_top() == RULER_HEIGHT + CHORD_LANE_HEIGHT
    box = roll.painted_chords[1][1]
    lane = image.pixelColor(int(box.right()) - 4, RULER_HEIGHT + 2)
    assert lane == QColor("#e6eef7")  # the lane's own colour, right of the symbol
    ink = [image.pixelColor(x, y) for x in range(int(box.left()), int(box.left()) + 20)
           for y in range(RULER_HEIGHT + 2, RULER_HEIGHT + CHORD_LANE_HEIGHT - 2)]
    assert any(c.blue() < 150 and c.red() < 100 for c in ink)  # dark blue letters
    roll.set_melody(Melody(chord_melody().notes))  # no chords: no lane, the notes start under the ruler
    roll.grab()
    assert roll.painted_chords == [] and roll.notes_top() == RULER_HEIGHT and roll.chords() == ()


# -- the preview synth --------------------------------------------------------------------------------

def test_chord_voices_sit_under_the_melody_with_the_slash_bass_lowest_and_rests_for_n():
    melody = chord_melody("C | G7 | Am F/A | N")
    voices = chord_voices(melody)
    lowest_melody = melody.pitch_range[0]
    columns = list(zip(*(v.notes for v in voices[:3])))  # the first three tones of the chords
    assert all(max(n.pitch for n in chord) < lowest_melody for chord in columns)
    starts = sorted({n.start for v in voices for n in v.notes})
    assert starts == [0, 96, 192, 240]  # N (bar 4) is silent
    f_over_a = sorted(n.pitch for v in voices for n in v.notes if n.start == 240)
    assert f_over_a[0] % 12 == 9 and {p % 12 for p in f_over_a} == {5, 9, 0}
    assert all(n.velocity == CHORD_VELOCITY for v in voices for n in v.notes)
    assert chord_voices(Melody(melody.notes)) == []


def _band_energy(pcm: np.ndarray, rate: int, hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64)))
    freqs = np.fft.rfftfreq(len(pcm), 1.0 / rate)
    return float(spectrum[(freqs > hz * 0.98) & (freqs < hz * 1.02)].max())


def test_the_preview_plays_the_chords_softly_under_the_melody_and_the_toggle_turns_them_off(qtbot):
    rate = 22050
    melody = chord_melody("C | C | C | C", pitches=(84,) * 8)  # a repeated C6 over C major
    alone, with_chords = render(melody, rate), render_preview(melody, rate)
    assert len(with_chords) == len(alone) and np.abs(with_chords.astype(np.int32)).max() < 32767
    voices = chord_voices(melody)
    for voice in voices:  # every chord tone sounds in the preview, not in the melody alone
        hz = frequency(voice.notes[0].pitch)
        assert _band_energy(with_chords, rate, hz) > 20 * _band_energy(alone, rate, hz)
    tone = frequency(84)
    assert _band_energy(with_chords, rate, tone) > 1.5 * max(_band_energy(with_chords, rate, frequency(v.notes[0].pitch))
                                                        for v in voices)  # the melody stays on top
    assert np.array_equal(render_preview(melody, rate, chords=False), alone)
    tune = chord_melody()  # softly: the chords about 8 dB under a plain tune, still well audible
    tune_alone = render(tune, rate).astype(np.float64)
    backing = render_preview(tune, rate).astype(np.float64) - tune_alone
    level = 20 * np.log10(np.sqrt((backing ** 2).mean()) / np.sqrt((tune_alone ** 2).mean()))
    assert -14.0 < level < -4.0, level

    class Recording(SilentOutput):
        def __init__(self) -> None:
            self.played: list[np.ndarray] = []

        def start(self, pcm: np.ndarray) -> None:
            self.played.append(np.asarray(pcm))

    output = Recording()
    player = Player(output_factory=lambda parent: (output, ""))
    player.play(melody, "m")
    assert np.array_equal(output.played[-1], with_chords)
    player.set_play_chords(False)  # while playing: goes on from where it is, without the chords
    assert not player.plays_chords() and np.array_equal(output.played[-1][-1000:], alone[-1000:])
    player.stop()
    player.play(melody, "m")
    assert np.array_equal(output.played[-1], alone)
    events = preview_schedule(melody)
    assert {e.note for e in events} == {84} | {n.pitch for v in voices for n in v.notes}
    assert {e.note for e in preview_schedule(melody, chords=False)} == {84}


def test_through_a_midi_port_the_chords_go_out_softly_with_the_melody(qtbot):
    from studio.io.midi_ports import PortPlayer
    from tests.io.test_midi_ports import Clock, RecordingPort

    clock, port = Clock(), RecordingPort()
    player = Player(output_factory=lambda parent: (SilentOutput(), ""), clock=clock)
    player.set_midi_output(PortPlayer(port, clock=player.clock, name="DAW"))
    melody = chord_melody()
    player.play(melody, "m")
    struck = {(m.note, m.velocity) for m in port.messages if m.type == "note_on"}
    first = {n.pitch for v in chord_voices(melody) for n in v.notes if n.start == 0}
    assert struck == {(72, 80)} | {(p, CHORD_VELOCITY) for p in first}  # the melody's note and the C chord
    player.stop()
    port.messages.clear()
    player.set_play_chords(False)
    player.play(melody, "m")
    assert {m.note for m in port.messages if m.type == "note_on"} == {72}
    player.stop()


# -- in the window --------------------------------------------------------------------------------------

@pytest.fixture
def window(qtbot, make_window, fake_generator, melodies, import_and_wait):  # noqa: F811 - the fixture above
    w = make_window()
    import_and_wait(w, melodies)
    w.melody_controls.count.setValue(3)
    return w


def test_chords_typed_in_the_window_reach_the_generator_undo_and_save_with_the_project(
        qtbot, window, fake_generator, tmp_path):
    w = window
    controls = w.melody_controls
    controls.chords.edit.setFocus()
    qtbot.keyClicks(controls.chords.edit, PROGRESSION)
    qtbot.keyClick(controls.chords.edit, Qt.Key.Key_Return)  # a finished edit: one undo step
    assert w.session.undo_stack.undoText() == "Set chords"
    controls.scale.setCurrentIndex(controls.scale.findData("major pentatonic"))
    controls.scale_lock.setChecked(True)
    with qtbot.waitSignal(w.runner.sig_busy_changed, timeout=10000, check_params_cb=lambda busy: not busy):
        controls.buttons["generate"].click()
    params = fake_generator.last("generate")["params"]
    assert params.chords == parse_chords(PROGRESSION, 96) and params.scale_lock
    assert params.scale is not None and params.scale.name == "major pentatonic"
    path = tmp_path / "chords.mcs"
    assert w.files.save_to(str(path))
    w.session.undo_stack.undo()  # the gallery
    w.session.undo_stack.undo()  # the chords
    assert controls.chord_text() == ""
    w.session.undo_stack.redo()
    assert controls.chord_text() == PROGRESSION
    controls.chords.clear()
    assert w.session.undo_stack.undoText() == "Clear chords"
    assert w.files.open_path(str(path), confirmed=True)
    assert controls.chord_text() == PROGRESSION and controls.scale_lock.isChecked()
    assert controls.params().chords == parse_chords(PROGRESSION, 96)
    assert not w.session.undo_stack.canUndo()  # opening is not an edit


def test_refinements_in_the_window_get_the_panels_lock_and_chords(qtbot, window, fake_generator):
    w = window
    controls = w.melody_controls
    controls.chords.edit.setText(PROGRESSION)
    controls.scale_lock.setChecked(True)
    with qtbot.waitSignal(w.runner.sig_busy_changed, timeout=10000, check_params_cb=lambda busy: not busy):
        controls.buttons["generate"].click()
    select = w.gallery_panel.view.selectionModel()
    select.select(w.session.gallery_model.index(0), select.SelectionFlag.ClearAndSelect)
    for name, start in (("vary", w.generation.vary), ("continue", w.generation.continue_selected)):
        with qtbot.waitSignal(w.runner.sig_busy_changed, timeout=10000, check_params_cb=lambda busy: not busy):
            start()
        params = fake_generator.refine_params[name]
        assert params.scale_lock and params.chords == parse_chords(PROGRESSION, 96), name
    w.inspector.show_work(w.session.gallery_model.work_at(0))
    w.inspector.piano_roll.set_selected_bars([1])
    with qtbot.waitSignal(w.runner.sig_busy_changed, timeout=10000, check_params_cb=lambda busy: not busy):
        w.generation.regenerate_bars()
    assert fake_generator.refine_params["regenerate"].scale_lock


def test_adapting_with_a_mistake_in_the_chords_says_they_are_left_out(qtbot, window, fake_generator):
    w = window
    w.melody_controls.chords.edit.setText("C | Hm")
    with qtbot.waitSignal(w.runner.sig_busy_changed, timeout=10000, check_params_cb=lambda busy: not busy):
        handle = w.generation.adapt("reptile", "steps", 2)
        message = w.statusBar().currentMessage()
    assert handle is not None and '"Hm"' in message and "left out" in message
    assert fake_generator.last("generate")["params"].chords == ()


def test_the_play_chords_toggle_drives_the_player(qtbot, window):
    w = window
    assert w.player.plays_chords()
    w.melody_controls.chords.play_chords.setChecked(False)
    assert not w.player.plays_chords()


def test_the_inspector_shows_a_works_chords(qtbot, window):
    w = window
    work = Work(Domain.MELODY, 7, melody=chord_melody())
    w.inspector.show_work(work)
    assert w.inspector.piano_roll.chords() == work.melody.chords


def test_export_writes_the_chords_of_a_work(tmp_path):
    from studio.core.chords import chord_at
    from studio.io.midi import read_midi
    from studio.ui.exporting import melody_midi

    work = Work(Domain.MELODY, 3, melody=chord_melody())
    data = melody_midi(work)
    assert b"Melody" in data and b"Chords" in data  # the two tracks' names
    back = read_midi("back.mid", data)
    chords = work.melody.chords
    assert all(chord_at(back.chords, tick) == chord_at(chords, tick) for tick in range(0, chords[-1].end, 12))


def test_chord_spans_from_a_file_start_on_bar_one_after_a_pickup():
    from studio.ui.widgets.chord_lane import _from_bar_one

    spans = (ChordSpan(Chord(7), 0, 24), ChordSpan(Chord(0), 24, 96), ChordSpan(Chord(7), 120, 96))
    assert _from_bar_one(spans, 24) == (ChordSpan(Chord(0), 0, 96), ChordSpan(Chord(7), 96, 96))
    assert _from_bar_one(spans, 0) == spans


def test_the_panel_stays_narrow_with_a_long_chord_message(qtbot):
    panel = MelodyControlsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.chords.edit.setText("C | G | Am Hx | F")  # the longest message: the list of qualities
    hint = panel.minimumSizeHint().expandedTo(panel.minimumSize())
    assert 100 <= hint.width() <= 420, hint
    panel.resize(hint)
    assert not panel.grab().isNull()


@pytest.mark.slow
@pytest.mark.skipif(not engine.generator_available(Domain.MELODY), reason="the shipped melody model is not installed")
def test_with_the_shipped_model_the_gallery_follows_the_typed_chords_and_the_locked_scale(qtbot, make_window):
    """End to end through the window (no fakes): what the person types and picks is what the
    melodies carry, and variations keep the chords and the lock."""
    from studio.ui.exporting import melody_midi

    w = make_window()
    wait_for_import(qtbot, w, w.files.import_paths(engine.demo_sample_paths(Domain.MELODY)))
    controls = w.melody_controls
    controls.count.setValue(4)
    controls.bars.setCurrentIndex(controls.bars.findData(8))
    controls.meter.setCurrentIndex(controls.meter.findData("4/4"))
    controls.chords.edit.setText("Dm | G | Dm Am | %")
    controls.chords.commit()
    controls.key.setCurrentIndex(controls.key.findData(2))
    controls.scale.setCurrentIndex(controls.scale.findData("dorian"))
    controls.scale_lock.setChecked(True)
    with qtbot.waitSignal(w.runner.sig_busy_changed, timeout=60000, check_params_cb=lambda busy: not busy):
        controls.buttons["generate"].click()
    works = list(w.session.project.gallery)
    assert len(works) == 4
    dorian = Scale(2, "dorian")
    expected = [s.symbol for s in parse_chords("Dm | G | Dm Am | % | Dm | G | Dm Am | %", 96)]
    for work in works:
        melody = work.melody
        assert melody is not None and melody.notes
        assert all(dorian.contains(n.pitch) for n in melody.notes)
        assert [s.symbol for s in melody.chords] == expected
    w.inspector.show_work(works[0])
    assert [s.symbol for s in w.inspector.piano_roll.chords()] == expected
    select = w.gallery_panel.view.selectionModel()
    select.select(w.session.gallery_model.index(0), select.SelectionFlag.ClearAndSelect)
    with qtbot.waitSignal(w.runner.sig_busy_changed, timeout=60000, check_params_cb=lambda busy: not busy):
        controls.buttons["vary"].click()
    variations = [work for work in w.session.project.gallery if work.provenance.get("parents") == [works[0].id]]
    assert variations
    for work in variations:
        assert work.melody is not None and [s.symbol for s in work.melody.chords] == expected
        assert all(dorian.contains(n.pitch) for n in work.melody.notes) and work.provenance.get("scale_lock")
    data = melody_midi(works[0])
    assert b"Chords" in data and b"Melody" in data
