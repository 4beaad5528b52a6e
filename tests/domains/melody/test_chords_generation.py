"""Melodies over chords and in a locked key (issue 19): the lock holds over many seeds in the
gallery and in every refinement, works carry their chords, sampling follows the samples' chord
style, mixed-key samples get their pooled key, and the ``generate`` options."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from studio.core.chord_text import format_chords, parse_chords
from studio.core.melody import KeySignature, Melody, Note
from studio.core.melody_analysis import in_scale_share, melody_facts, pooled_key
from studio.core.scales import Scale, parse_scale
from studio.domains.base import AdaptConfig
from studio.domains.melody.generator import MelodyGenerator, MelodyParams, snap_to_scale
from studio.domains.melody.harmony import body_chords, chord_tone_shares, fit_to_bars, place_on_melody
from studio.generate_cli import add_generate_arguments, run_generate
from studio.io.midi import read_midi, write_midi

from .conftest import TINY_NAME, as_sample, tune

BAR = 96
PROGRESSION = "C | F | G7 | C"


@pytest.fixture(scope="module")
def gen(tiny_models: Path) -> MelodyGenerator:
    return MelodyGenerator(TINY_NAME, tiny_models, threads=1)


@pytest.fixture(scope="module")
def adapted(gen, samples):
    return gen.adapt(samples, AdaptConfig(steps=2, seed=0))


def arpeggio_clip(seed: int, passing: bool) -> Melody:
    """4 bars of eighths over C | F | G | C: chord tones, or with ``passing`` every offbeat a
    scale step between them (the clip carries its chords)."""
    chords = parse_chords("C | F | G | C", BAR)
    notes = []
    for span in chords:
        assert span.chord is not None
        root = 60 + span.chord.root - (12 if seed % 2 and span.chord.root > 4 else 0)
        line = (0, 2, 4, 5, 7, 5, 4, 2) if passing else (0, 4, 7, 12, 7, 4, 0, 4)
        notes += [Note(root + step, span.start + 12 * k, 12) for k, step in enumerate(line)]
    return Melody(tuple(notes), 100, (4, 4), KeySignature(0), 0, f"arp {seed}", chords=chords)


def in_scale(melody: Melody, scale: Scale) -> bool:
    return all(scale.contains(n.pitch) for n in melody.notes)


@pytest.mark.parametrize("text", ["D dorian", "F# blues", "C major pentatonic", "Bb harmonic minor"])
def test_the_lock_holds_over_many_seeds(gen, samples, adapted, text: str) -> None:
    scale = parse_scale(text)
    params = MelodyParams(bars=4, scale=scale, scale_lock=True, temperature=2.0)
    works = gen.generate(adapted, samples, params, 12, seed=3)
    assert len(works) == 12
    assert all(in_scale(w.melody, scale) for w in works)
    assert {w.provenance["scale"] for w in works} == {scale.display_name}
    assert all(w.melody.key == scale.key_signature() for w in works)  # the signature of the scale


def test_the_lock_holds_in_every_refinement(gen, samples, adapted) -> None:
    free = gen.generate(adapted, samples, MelodyParams(bars=4, temperature=2.5), 4, seed=1)
    scale = Scale(1, "minor pentatonic")  # C# minor pentatonic: the D major samples' notes mostly fall off it
    assert not all(in_scale(w.melody, scale) for w in free)
    params = MelodyParams(bars=4, scale=scale, scale_lock=True, temperature=2.0)
    for seed in range(4):
        refined = [
            *gen.vary(adapted, samples, free[seed], 0.8, 2, seed, params=params),  # kept bars are off the scale
            gen.regenerate_bars(adapted, samples, free[seed], [1], seed, params=params),
            *gen.continue_clip(adapted, samples, free[seed], 2, seed, params=params),
            gen.blend(adapted, samples, free[seed], free[(seed + 1) % 4], seed, params=params),
        ]
        assert all(in_scale(w.melody, scale) for w in refined)


def test_snap_to_scale() -> None:
    melody = Melody((Note(61, 0, 24), Note(66, 24, 24), Note(62, 48, 24)))
    snapped = snap_to_scale(melody, Scale(0, "major"))
    assert [n.pitch for n in snapped.notes] == [60, 65, 62]
    assert snap_to_scale(snapped, Scale(0, "major")) is snapped


def test_works_carry_their_chords_through_refinements(gen, samples, adapted) -> None:
    chords = parse_chords(PROGRESSION, BAR)
    works = gen.generate(adapted, samples, MelodyParams(bars=8, chords=chords), 3, seed=2)
    fitted = fit_to_bars(chords, 8, BAR)
    for work in works:
        assert work.melody.chords == place_on_melody(fitted, work.melody.pickup)
        assert work.provenance["chords"] == format_chords(fitted, BAR)
    work = works[0]
    assert body_chords(gen.regenerate_bars(adapted, samples, work, [2], 5).melody) == fitted
    assert all(body_chords(v.melody) == fitted for v in gen.vary(adapted, samples, work, 0.5, 2, 5))
    assert body_chords(gen.blend(adapted, samples, work, works[1], 5).melody) == fitted
    longer = gen.continue_clip(adapted, samples, work, 4, 5)[0]
    assert body_chords(longer.melody) == fit_to_bars(chords, 12, BAR)  # the progression goes on


def test_a_chordless_work_refined_with_chords_takes_them(gen, samples, adapted) -> None:
    work = gen.generate(adapted, samples, MelodyParams(bars=4), 1, seed=4)[0]
    assert work.melody.chords == ()
    params = MelodyParams(bars=4, chords=parse_chords("Dm | G", BAR))
    varied = gen.vary(adapted, samples, work, 0.5, 1, 3, params=params)[0]
    assert format_chords(body_chords(varied.melody), BAR) == "Dm | G | Dm | G"


@pytest.mark.parametrize("passing", [False, True])
def test_sampling_follows_the_samples_chord_style(gen, passing: bool) -> None:
    clips = [as_sample(arpeggio_clip(seed, passing), f"arp{seed}") for seed in range(3)]
    assert all(c.melody.chords for c in clips)  # the chords travel through the MIDI file
    adapted = gen.adapt(clips, AdaptConfig(steps=2, seed=0))
    chords = parse_chords("Am | Dm | E7 | Am", BAR)  # not the samples' chords
    over = gen.generate(adapted, clips, MelodyParams(bars=4, chords=chords, temperature=1.5), 12, seed=9)
    free = gen.generate(adapted, clips, MelodyParams(bars=4, temperature=1.5, key=KeySignature(9, "minor")), 12,
                        seed=9)
    style = gen.style_of(clips).chord_style
    on_beats = sum(chord_tone_shares(w.melody)["strong"] for w in over) / len(over)
    unsteered = sum(chord_tone_shares(w.melody, w.melody.chords or place_on_melody(
        fit_to_bars(chords, 4, BAR), w.melody.pickup))["strong"] for w in free) / len(free)
    assert on_beats > unsteered + 0.1
    assert on_beats == pytest.approx((style.chord_rate[0] + 3 * style.chord_rate[1]) / 4, abs=0.12)


def minor_reel(tonic: int, seed: int) -> Melody:
    """8 bars of eighths in ``tonic`` minor (natural minor, around the tonic), in that key."""
    scale = (0, 2, 3, 5, 7, 8, 10, 12, 14, 15)
    bars = ((0, 2, 0, 4, 2, 1, 0, 2), (4, 2, 3, 1, 2, 0, 1, 6), (0, 2, 4, 2, 3, 2, 1, 0), (2, 4, 7, 4, 2, 1, 0, 0))
    degrees = [d for b in range(8) for d in bars[(b + seed) % 4 if b < 7 else 3]]
    notes = [Note(57 + (tonic - 9) % 12 + scale[d], 12 * k, 12) for k, d in enumerate(degrees)]
    return Melody(tuple(notes), 110, (4, 4), KeySignature(tonic, "minor"), 0, f"reel {tonic}")


def test_mixed_key_samples_get_the_key_their_notes_share(gen) -> None:
    """Issue 19's case: reels in G, B, F# and E minor gave a gallery in G minor (the first
    sample's key) whose notes suggested another key. Now: the key their pooled notes fit (D
    major's notes), in their own mode (B minor)."""
    reels = [minor_reel(tonic, i) for i, tonic in enumerate((7, 11, 6, 4))]
    assert [melody_facts(r).key for r in reels] == ["G minor", "B minor", "F# minor", "E minor"]
    clips = [as_sample(reel, f"reel{i}") for i, reel in enumerate(reels)]
    key = gen.style_of(clips).key
    assert pooled_key(reels) == KeySignature(2, "major") and key == KeySignature(11, "minor")
    adapted = gen.adapt(clips, AdaptConfig(steps=2, seed=0))
    works = gen.generate(adapted, clips, MelodyParams(bars=4), 4, seed=1)
    assert {w.melody.key for w in works} == {key}


@pytest.mark.slow
def test_mixed_key_gallery_agrees_with_its_signature_with_the_shipped_model() -> None:
    """The same with the shipped model: every work's signature agrees with its notes (what
    ``inspect`` reports) and the gallery is at least as much in the pooled key as the samples."""
    reels = [minor_reel(tonic, i) for i, tonic in enumerate((7, 11, 6, 4))]
    clips = [as_sample(reel, f"reel{i}") for i, reel in enumerate(reels)]
    gen = MelodyGenerator()
    adapted = gen.adapt(clips, AdaptConfig(steps=5, seed=0))
    works = gen.generate(adapted, clips, MelodyParams(bars=8), 12, seed=1)
    for work in works:
        assert not [n for n in melody_facts(work.melody).notices if "key signature" in n]
    scale = KeySignature(11, "minor").scale()
    assert in_scale_share([w.melody for w in works], scale) >= in_scale_share(reels, scale)


def test_chords_set_the_key_when_none_is_given(gen, samples, adapted) -> None:
    works = gen.generate(adapted, samples, MelodyParams(bars=4, chords=parse_chords("Am | Dm | E7 | Am", BAR)),
                         2, seed=1)
    assert {w.melody.key for w in works} == {KeySignature(9, "minor")}


# --- the generate command ------------------------------------------------------------------


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_generate_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.fixture()
def sample_files(tmp_path: Path) -> list[str]:
    files = []
    for seed in (1, 2):
        path = tmp_path / f"s{seed}.mid"
        path.write_bytes(write_midi(tune(seed, bars=4)))
        files.append(str(path))
    return files


def _run(tiny_models: Path, tmp_path: Path, files: list[str], *extra: str) -> tuple[int, Path]:
    out = tmp_path / "out"
    code = run_generate(_args("--samples", *files, "--count", "3", "--out", str(out), "--seed", "7", "--bars", "8",
                              "--model", str(tiny_models / TINY_NAME), "--threads", "1", *extra))
    return code, out


def test_cli_chords_key_and_lock(tiny_models: Path, tmp_path: Path, sample_files: list[str]) -> None:
    code, out = _run(tiny_models, tmp_path, sample_files, "--chords", "C | G | Am F | F", "--key", "D dorian",
                     "--scale-lock")
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["chords"] == "C | G | Am F | F | C | G | Am F | F" and report["chords_repeat"] is True
    assert report["scale"] == "D dorian" and report["scale_lock"] is True and report["key"] == "C major"
    for entry in report["works"]:
        melody = read_midi(entry["file"], (out / entry["file"]).read_bytes())
        assert in_scale(melody, Scale(2, "dorian"))
        assert format_chords(body_chords(melody), BAR) == report["chords"]  # the Chords track


def test_cli_chords_file(tiny_models: Path, tmp_path: Path, sample_files: list[str]) -> None:
    text = tmp_path / "changes.txt"
    text.write_text("Dm7 G7 | Cmaj7 | % |\n")
    code, out = _run(tiny_models, tmp_path, sample_files, "--chords-file", str(text))
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["chords"].startswith("Dm7 G7 | Cmaj7 | Cmaj7 | Dm7 G7")
    lead = Melody((Note(72, 0, 96),), chords=parse_chords("F | Bb | C7 | F", BAR))
    midi = tmp_path / "lead.mid"
    midi.write_bytes(write_midi(lead))
    code, out = _run(tiny_models, tmp_path / "2", sample_files, "--chords-file", str(midi))
    assert code == 0
    assert json.loads((out / "report.json").read_text())["chords"].startswith("F | Bb | C7 | F | F")


@pytest.mark.parametrize("extra, words", [
    (("--chords", "C | G | Hm"), 'bar 3, character 9: "Hm" is not a chord'),
    (("--chords", "  "), "--chords is empty"),
    (("--key", "D lydian"), 'unknown scale "lydian"'),
    (("--chords", "C", "--chords-file", "x.txt"), "not both"),
    (("--chords-file", "/no/such/chords.txt"), "chords.txt"),
])
def test_cli_bad_chords_or_key_exit_2_naming_the_problem(tiny_models: Path, tmp_path: Path, sample_files: list[str],
                                                         capsys, extra: tuple[str, ...], words: str) -> None:
    code, out = _run(tiny_models, tmp_path, sample_files, *extra)
    assert code == 2 and words in capsys.readouterr().err
    assert not out.exists()


def test_cli_bad_chords_file_names_the_file(tiny_models: Path, tmp_path: Path, sample_files: list[str],
                                            capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("C | Xm7")
    code, _ = _run(tiny_models, tmp_path, sample_files, "--chords-file", str(bad))
    err = capsys.readouterr().err
    assert code == 2 and "bad.txt" in err and '"Xm7"' in err
    binary = tmp_path / "noise.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    code, _ = _run(tiny_models, tmp_path, sample_files, "--chords-file", str(binary))
    assert code == 2 and "noise.bin" in capsys.readouterr().err


def test_the_density_calibration_is_remembered_per_model_and_settings(gen, samples, adapted, monkeypatch) -> None:
    import studio.domains.melody.generator as generator_module

    calls = []
    real = generator_module.calibrate_density
    monkeypatch.setattr(generator_module, "calibrate_density", lambda *a, **k: calls.append(1) or real(*a, **k))
    params = MelodyParams(bars=3, temperature=0.9)
    first = gen.generate(adapted, samples, params, 2, seed=1)
    again = gen.generate(adapted, samples, params, 2, seed=1)
    assert len(calls) == 1 and [w.melody for w in first] == [w.melody for w in again]
    gen.generate(adapted, samples, MelodyParams(bars=3, temperature=1.1), 1, seed=1)  # other settings
    other = gen.adapt(samples, AdaptConfig(steps=1, seed=5))
    gen.generate(other, samples, params, 1, seed=1)  # other weights
    assert len(calls) == 3
