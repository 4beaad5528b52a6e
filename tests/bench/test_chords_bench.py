"""``bench chords``: its phrase cutting and the Markov baseline's fix-up; one slow smoke run on
the lead sheets when they are on this machine."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from studio.bench import chords as bench
from studio.core.chord_text import format_chords, parse_chords
from studio.core.melody import KeySignature, Melody, Note
from studio.domains.melody.harmony import chord_tone_shares

LEADSHEETS = Path(__file__).resolve().parents[3] / "shared" / "data" / "leadsheets"


def song(bars: int = 10, pickup: int = 24) -> Melody:
    notes = [Note(67, 0, pickup)] + [Note(60 + (k * 5) % 12, pickup + 24 * k, 24) for k in range(4 * bars)]
    spans = parse_chords(" | ".join(["C", "F", "G7", "C"] * 3), 96)
    chords = tuple(type(s)(s.chord, s.start + pickup, s.duration) for s in spans)
    return Melody(tuple(notes), 100, (4, 4), KeySignature(0), pickup, "song", chords=chords)


def test_a_phrase_starts_at_the_first_full_bar_with_its_chords() -> None:
    cut = bench.phrase(song())
    assert cut is not None and cut.pickup == 0 and cut.notes[0].start == 0
    assert format_chords(cut.chords, 96) == "C | F | G7 | C | C | F | G7 | C"
    assert bench.phrase(song(bars=5)) is None  # too short for 8 bars


def test_markov_fix_up_puts_every_beat_on_a_chord_tone() -> None:
    cut = bench.phrase(song())
    assert cut is not None
    snapped = bench.snap_strong_beats(cut, cut.chords)
    assert chord_tone_shares(snapped)["strong"] == 1.0
    assert all(abs(a.pitch - b.pitch) <= 6 for a, b in zip(snapped.notes, cut.notes))


@pytest.mark.slow
@pytest.mark.skipif(not LEADSHEETS.is_dir(), reason="the lead sheets are not on this machine")
def test_quick_run_reports_every_method_and_goal() -> None:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    args = parser.parse_args(["--quick", "--leadsheets", str(LEADSHEETS), "--songwriters", "1", "--timing-runs", "1"])
    result = bench.run(args)
    assert set(bench.METHODS) <= set(result["overall"])
    assert result["overall"]["keys"]["locked_in_scale_min"] == 1.0
    assert "median_12_over_chords_under_1_s" in result["goals"]


def test_validation_writers_share_no_one_with_the_reported_songwriters(tmp_path) -> None:
    """``--validation`` groups lead-sheet folders by a credited person, never one crediting a
    reported songwriter's writer, with disjoint songs and at least a support and a target."""
    from studio.io.musicxml import write_musicxml

    def folder(name: str, songs: int) -> None:
        for k in range(songs):
            path = tmp_path / name / f"song{k}" / f"song{k}.mxl"
            path.parent.mkdir(parents=True)
            path.write_bytes(write_musicxml(song()))

    folder("George_Gershwin-Ann_Able", 6)  # credits a reported writer: never used
    folder("Ann_Able-Bob_Baker", 3)
    folder("Ann_Able", 2)
    folder("Bob_Baker-Cy_Cole", 3)
    folder("Cy_Cole", 1)
    writers = dict(bench.load_validation(str(tmp_path), 8))
    # Bob Baker first (6 songs; Ann Able would lead with 11 if the Gershwin folder counted); then
    # Ann Able keeps only her own 2 and Cy Cole his 1: too few for a support and a target.
    assert list(writers) == ["Bob_Baker"] and len(writers["Bob_Baker"]) == 6
    assert all(len(m.notes) >= 8 and m.chords for m in writers["Bob_Baker"])
