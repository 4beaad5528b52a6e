"""MusicXML in and out: the melody line, key, meter, tempo, pickup and chords; hostile files refused."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from studio.core.chords import QUALITIES, Chord, ChordSpan
from studio.core.melody import KeySignature, Melody, Note
from studio.errors import SampleLoadError
from studio.io.musicxml import KIND_QUALITIES, read_musicxml, sniff_musicxml, write_musicxml

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN"
  "http://www.musicxml.org/dtds/partwise.dtd">
"""


def score(measures: str, parts: str = '<score-part id="P1"><part-name>Voice</part-name></score-part>',
          title: str = "Test Song", extra_parts: str = "") -> str:
    return (HEAD + f"<score-partwise version=\"4.0\"><work><work-title>{title}</work-title></work>"
            f"<part-list>{parts}</part-list><part id=\"P1\">{measures}</part>{extra_parts}</score-partwise>")


def note(step: str, octave: int, duration: int, *extra: str, alter: int = 0) -> str:
    alter_xml = f"<alter>{alter}</alter>" if alter else ""
    return (f"<note><pitch><step>{step}</step>{alter_xml}<octave>{octave}</octave></pitch>"
            f"<duration>{duration}</duration>{''.join(extra)}</note>")


def rest(duration: int) -> str:
    return f"<note><rest/><duration>{duration}</duration></note>"


def harmony(step: str, kind: str, alter: int = 0, bass: str = "") -> str:
    alter_xml = f"<root-alter>{alter}</root-alter>" if alter else ""
    bass_xml = f"<bass><bass-step>{bass}</bass-step></bass>" if bass else ""
    return f"<harmony><root><root-step>{step}</root-step>{alter_xml}</root><kind>{kind}</kind>{bass_xml}</harmony>"


TIE_START, TIE_STOP = '<tie type="start"/>', '<tie type="stop"/>'
ATTRIBUTES = ("<attributes><divisions>6</divisions><key><fifths>1</fifths><mode>major</mode></key>"
              "<time><beats>3</beats><beat-type>4</beat-type></time></attributes>"
              '<direction><direction-type><metronome><beat-unit>quarter</beat-unit>'
              '<per-minute>90</per-minute></metronome></direction-type><sound tempo="90"/></direction>')


def write(tmp_path: Path, text: str | bytes, name: str = "song.musicxml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def read_one(tmp_path: Path, text: str | bytes, name: str = "song.musicxml") -> Melody:
    melodies = read_musicxml(write(tmp_path, text, name))
    assert len(melodies) == 1
    return melodies[0]


def test_reads_the_line_key_meter_tempo_pickup_and_chords(tmp_path: Path) -> None:
    measures = (
        f'<measure number="0" implicit="yes">{ATTRIBUTES}{note("D", 4, 6)}</measure>'
        f'<measure number="1">{harmony("G", "major")}{note("G", 4, 9, "<dot/>")}{note("A", 4, 3)}'
        f'{harmony("D", "dominant", bass="F")}{note("B", 4, 6, TIE_START)}</measure>'
        f'<measure number="2">{note("B", 4, 6, TIE_STOP)}'
        # a triplet of eighths (4 divisions each at 6 per quarter) and a grace note
        f'<note><grace/><pitch><step>C</step><octave>5</octave></pitch></note>'
        f'{note("C", 5, 2)}{note("B", 4, 2)}{note("A", 4, 2)}{rest(6)}</measure>'
    )
    melody = read_one(tmp_path, score(measures))
    assert melody.name == "Test Song"
    assert melody.key == KeySignature(7, "major")
    assert melody.time_signature == (3, 4)
    assert melody.tempo_bpm == 90
    assert melody.pickup == 24
    assert [(n.pitch, n.start, n.duration) for n in melody.notes] == [
        (62, 0, 24), (67, 24, 36), (69, 60, 12), (71, 72, 48), (72, 120, 8), (71, 128, 8), (69, 136, 8)]
    assert melody.chords == (ChordSpan(Chord(7), 24, 48), ChordSpan(Chord(2, "7", 5), 72, 96))
    assert any("grace notes dropped" in n for n in melody.notices)


def test_top_voice_of_chords_and_a_second_voice_is_kept(tmp_path: Path) -> None:
    measures = (
        f'<measure number="1"><attributes><divisions>1</divisions></attributes>'
        f'{note("E", 5, 2, "<voice>1</voice>")}{note("C", 5, 2, "<chord/>", "<voice>1</voice>")}'
        f'{note("F", 5, 2, "<voice>1</voice>")}'
        f'<backup><duration>4</duration></backup>{note("C", 4, 4, "<voice>2</voice>")}</measure>'
    )
    melody = read_one(tmp_path, score(measures))
    assert [(n.pitch, n.start, n.duration) for n in melody.notes] == [(76, 0, 48), (77, 48, 48)]
    assert any("top line" in n for n in melody.notices)
    assert any("4/4 assumed" in n for n in melody.notices)


def test_the_part_named_melody_wins_over_the_first_part(tmp_path: Path) -> None:
    parts = ('<score-part id="P1"><part-name>Piano</part-name></score-part>'
             '<score-part id="P2"><part-name>Melody</part-name></score-part>')
    piano = f'<measure number="1"><attributes><divisions>1</divisions></attributes>{note("C", 3, 4)}</measure>'
    tune = f'<measure number="1"><attributes><divisions>1</divisions></attributes>{note("A", 4, 4)}</measure>'
    melody = read_one(tmp_path, score(piano, parts, extra_parts=f'<part id="P2">{tune}</part>'))
    assert [n.pitch for n in melody.notes] == [69]
    assert any("'Melody'" in n for n in melody.notices)


def test_every_musicxml_kind_maps_to_a_studio_quality() -> None:
    kinds = ("major minor augmented diminished dominant major-seventh minor-seventh diminished-seventh "
             "augmented-seventh half-diminished major-minor major-sixth minor-sixth dominant-ninth "
             "major-ninth minor-ninth dominant-11th major-11th minor-11th dominant-13th major-13th "
             "minor-13th suspended-second suspended-fourth Neapolitan Italian French German pedal "
             "power Tristan").split()
    assert set(kinds) == set(KIND_QUALITIES)
    assert all(quality in QUALITIES for quality, _ in KIND_QUALITIES.values())


@pytest.mark.parametrize(("kind", "quality", "notice"), [
    ("minor-seventh", "m7", None), ("half-diminished", "m7b5", None), ("dominant-13th", "7", "nearest chord"),
    ("weird-thing", "", "unknown chord kind"), ("diminished-ish", "dim", "unknown chord kind"),
])
def test_chord_kinds(tmp_path: Path, kind: str, quality: str, notice: str | None) -> None:
    measures = (f'<measure number="1"><attributes><divisions>1</divisions></attributes>'
                f'{harmony("B", kind, alter=-1)}{note("B", 4, 4, alter=-1)}</measure>')
    melody = read_one(tmp_path, score(measures))
    assert melody.chords == (ChordSpan(Chord(10, quality), 0, 96),)
    if notice is None:
        assert not any("chord" in n for n in melody.notices)
    else:
        assert any(notice in n for n in melody.notices)


def test_no_chord_and_quintuplets_snapped_with_a_notice(tmp_path: Path) -> None:
    quintuplet = "".join(note("C", 5, 1) for _ in range(5))  # five notes in a quarter at 5 divisions
    measures = (f'<measure number="1"><attributes><divisions>5</divisions></attributes>'
                f'{harmony("C", "major")}{quintuplet}'
                f'<harmony><root><root-step>C</root-step></root><kind>none</kind></harmony>{note("D", 5, 15)}</measure>')
    melody = read_one(tmp_path, score(measures))
    assert [n.start for n in melody.notes] == [0, 5, 10, 14, 19, 24]
    assert any("snapped" in n for n in melody.notices)
    assert melody.chords == (ChordSpan(Chord(0), 0, 24),)  # the closing N.C. only ends the C


def test_timewise_scores_are_read(tmp_path: Path) -> None:
    text = (HEAD.replace("partwise", "timewise") + '<score-timewise><part-list><score-part id="P1"><part-name>A</part-name>'
            '</score-part></part-list><measure number="1"><part id="P1"><attributes><divisions>1</divisions>'
            f'</attributes>{note("G", 4, 4)}</part></measure><measure number="2"><part id="P1">{note("A", 4, 4)}'
            '</part></measure></score-timewise>')
    assert [n.pitch for n in read_one(tmp_path, text).notes] == [67, 69]


def mxl(score_text: str, container: str | None = None, name: str = "score.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if container is None:
            container = f"<container><rootfiles><rootfile full-path=\"{name}\"/></rootfiles></container>"
        archive.writestr("META-INF/container.xml", container)
        archive.writestr(name, score_text)
    return buffer.getvalue()


SIMPLE = score(f'<measure number="1"><attributes><divisions>1</divisions></attributes>{note("E", 4, 4)}</measure>')


def test_compressed_mxl_and_a_damaged_container(tmp_path: Path) -> None:
    assert [n.pitch for n in read_one(tmp_path, mxl(SIMPLE), "a.mxl").notes] == [64]
    damaged = "<container><rootfiles><rootfile full-path='Bells of St. Mary's.xml'/></rootfiles></container>"
    melody = read_one(tmp_path, mxl(SIMPLE, damaged, "Bells of St. Mary's.xml"), "b.mxl")
    assert [n.pitch for n in melody.notes] == [64]
    assert any("container.xml is damaged" in n for n in melody.notices)


def refused(tmp_path: Path, data: str | bytes, match: str, name: str = "bad.musicxml") -> SampleLoadError:
    path = write(tmp_path, data, name)
    with pytest.raises(SampleLoadError, match=match) as caught:
        read_musicxml(path)
    assert caught.value.path == str(path)
    return caught.value


def test_hostile_xml_is_refused(tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE score-partwise [<!ENTITY a "haha">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
              + ']><score-partwise>&i;</score-partwise>')
    refused(tmp_path, laughs, "declares the entity")
    external = ('<?xml version="1.0"?><!DOCTYPE score-partwise [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                "<score-partwise>&x;</score-partwise>")
    refused(tmp_path, external, "declares the entity")
    deep = "<score-partwise>" + "<a>" * 200 + "</a>" * 200 + "</score-partwise>"
    refused(tmp_path, deep, "nested more than")
    refused(tmp_path, "<score-partwise><part>", "line 1: not well-formed")
    refused(tmp_path, "<html><body/></html>", "not a MusicXML score")


def test_zip_bombs_and_foreign_zips_are_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("META-INF/container.xml", '<container><rootfiles><rootfile full-path="s.xml"/></rootfiles></container>')
        archive.writestr("s.xml", "<score-partwise>" + " " * (8 * 2**20) + "</score-partwise>")
    refused(tmp_path, buffer.getvalue(), "zip bomb", "bomb.mxl")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff")
    refused(tmp_path, buffer.getvalue(), "not a compressed MusicXML", "photos.mxl")
    refused(tmp_path, b"PK\x03\x04garbage", "damaged", "cut.mxl")


def test_errors_name_the_measure_and_line(tmp_path: Path) -> None:
    measures = (f'<measure number="1"><attributes><divisions>1</divisions></attributes>{note("C", 4, 4)}</measure>'
                f'<measure number="2">\n\n<note><pitch><step>H</step><octave>4</octave></pitch>'
                f'<duration>4</duration></note></measure>')
    text = score(measures)
    line = text[: text.index("<pitch><step>H")].count("\n") + 1
    error = refused(tmp_path, text, f"measure 2, line {line}: <step> is 'H'")
    assert "bad.musicxml" in str(error)
    refused(tmp_path, score('<measure number="7"><note><pitch><step>C</step><octave>4</octave></pitch>'
                            '<duration>x</duration></note></measure>'), "measure 7.*<duration> is 'x'")
    refused(tmp_path, score(f'<measure number="1">{rest(4)}</measure>'), "contains no notes")


def test_export_then_import_gives_the_same_notes_and_chords(tmp_path: Path) -> None:
    notes = (Note(67, 0, 24), Note(72, 24, 36, 100), Note(71, 60, 12), Note(69, 72, 8), Note(67, 80, 8),
             Note(65, 88, 8), Note(64, 96, 120), Note(62, 240, 48))  # ties across bars, triplets
    chords = (ChordSpan(Chord(0), 0, 48), ChordSpan(Chord(7, "7", 11), 48, 48), ChordSpan(None, 96, 24),
              ChordSpan(Chord(10, "maj7"), 120, 168))
    melody = Melody(notes, 96.0, (3, 4), KeySignature(9, "minor"), 24, "Round trip", (), chords)
    data = write_musicxml(melody)
    assert sniff_musicxml(data)
    back = read_one(tmp_path, data)
    assert back == melody  # notes, tempo, meter, key, pickup, name and chords
    assert b"<part-name>Melody</part-name>" in data and b"<harmony>" in data and b'implicit="yes"' in data


@pytest.mark.parametrize("seed", range(12))
def test_round_trip_random_melodies(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    meter = rng.choice([(4, 4), (3, 4), (6, 8), (2, 2), (5, 8)])
    bar = Melody((), time_signature=meter).bar_ticks
    at, notes = 0, []  # the first note on tick 0: a reader takes silence before it as a pickup
    while len(notes) < 30:
        at += rng.choice([0, 0, 0, 3, 8, 12, 24]) if notes else 0
        duration = rng.choice([1, 2, 4, 6, 8, 9, 12, 16, 18, 24, 36, 48, 100])
        notes.append(Note(rng.randint(40, 90), at, duration, rng.randint(1, 127)))
        at += duration
    chords, tick = [], 0
    while tick < at:
        length = rng.choice([12, 24, 48, bar])
        root = rng.randrange(12)
        chords.append(ChordSpan(Chord(root, rng.choice(list(QUALITIES)), rng.choice([None, (root + 4) % 12])),
                                tick, length))
        tick += length
    key = rng.choice([None, KeySignature(rng.randrange(12), rng.choice(["major", "minor"]))])
    melody = Melody(tuple(notes), rng.choice([60.0, 123.5]), meter, key, rng.choice([0, 0, 12, bar // 2]),
                    f"random {seed}", (), tuple(chords))
    back = read_one(tmp_path, write_musicxml(melody))
    assert back.notes == melody.notes
    assert back.chords == melody.chords
    assert (back.pickup, back.key, back.time_signature, back.tempo_bpm) == (
        melody.pickup, melody.key, melody.time_signature, melody.tempo_bpm)


def test_mutated_files_are_read_or_refused_never_a_crash(tmp_path: Path) -> None:
    from studio.io.samples import read_samples

    melody = Melody((Note(60, 0, 24), Note(62, 24, 12), Note(64, 36, 36), Note(65, 72, 24)), 90.0, (4, 4),
                    KeySignature(5), 12, "Fuzz", (), (ChordSpan(Chord(5), 0, 48), ChordSpan(Chord(0, "7"), 48, 48)))
    xml = write_musicxml(melody)
    seeds = {"fuzz.musicxml": xml, "fuzz.mxl": mxl(xml.decode()),
             "fuzz.abc": b'X:1\nT:F\nM:6/8\nL:1/8\nQ:3/8=90\nK:Dmix\n"D"A>B c/d/e (3fga|[df]2 ^c- c2 z|]\n'}
    rng = random.Random(5)
    for name, data in seeds.items():
        for _ in range(150):
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                where = rng.randrange(len(mutated) or 1)
                action = rng.random()
                if action < 0.4 and mutated:
                    mutated[where] = rng.randrange(256)
                elif action < 0.7:
                    del mutated[where:where + rng.randint(1, 40)]
                else:
                    mutated[where:where] = bytes(rng.choice([b"<", b">", b"&", b"\"", b"|", b"(3", b"9" * 12, b"\x00"]))
            path = tmp_path / name
            path.write_bytes(bytes(mutated))
            try:
                read_samples(path)
            except SampleLoadError as exc:
                assert exc.path == str(path) and exc.reason


def test_a_transposing_part_is_read_at_sounding_pitch(tmp_path: Path) -> None:
    measures = ('<measure number="1"><attributes><divisions>1</divisions><transpose><diatonic>-1</diatonic>'
                f'<chromatic>-2</chromatic></transpose></attributes>{note("D", 5, 4)}</measure>')
    melody = read_one(tmp_path, score(measures))
    assert [n.pitch for n in melody.notes] == [72]  # a written D5 on a B-flat clarinet sounds C5
    assert any("sounding pitch" in n for n in melody.notices)
