"""Rebuild the bundled demo samples under assets/demo (run once by a developer, not at run time).

Paintings: five Monet seascapes from the team's public-domain set (../shared/data/paintings,
CycleGAN monet2photo test split), copied byte for byte. Melodies: four public-domain tunes
written out here note by note and saved as type-1 MIDI files with mido.

    python tools/make_demo_assets.py [--paintings-from ../shared/data/paintings]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import mido

ROOT = Path(__file__).resolve().parent.parent
PAINTINGS = {  # file in monet/ -> demo name
    "test_00010.jpg": "monet-coast-path.jpg",
    "test_00030.jpg": "monet-boats-on-the-river.jpg",
    "test_00040.jpg": "monet-pine-by-the-sea.jpg",
    "test_00140.jpg": "monet-cliff-at-etretat.jpg",
    "test_00160.jpg": "monet-green-cove.jpg",
}
STEPS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

# Tunes as "NOTE:EIGHTHS" tokens; NOTE like C5, F#4, Bb3; "R" is a rest. Bars are "|"-separated
# for readability only. (title, meter, key signature, tempo, pickup in eighths, notes)
TUNES = [
    ("Frere Jacques", (4, 4), "C", 112, 0,
     "C5:2 D5:2 E5:2 C5:2 | C5:2 D5:2 E5:2 C5:2 | E5:2 F5:2 G5:4 | E5:2 F5:2 G5:4 | "
     "G5:1 A5:1 G5:1 F5:1 E5:2 C5:2 | G5:1 A5:1 G5:1 F5:1 E5:2 C5:2 | C5:2 G4:2 C5:4 | C5:2 G4:2 C5:4"),
    ("Ode to Joy", (4, 4), "D", 120, 0,
     "F#5:2 F#5:2 G5:2 A5:2 | A5:2 G5:2 F#5:2 E5:2 | D5:2 D5:2 E5:2 F#5:2 | F#5:3 E5:1 E5:4 | "
     "F#5:2 F#5:2 G5:2 A5:2 | A5:2 G5:2 F#5:2 E5:2 | D5:2 D5:2 E5:2 F#5:2 | E5:3 D5:1 D5:4"),
    ("The Irish Washerwoman", (6, 8), "G", 116, 2,
     "D5:1 C5:1 | B4:1 G4:1 G4:1 D4:1 G4:1 G4:1 | B4:1 G4:1 B4:1 D5:1 C5:1 B4:1 | "
     "C5:1 A4:1 A4:1 E4:1 A4:1 A4:1 | C5:1 B4:1 C5:1 E5:1 D5:1 C5:1 | B4:1 G4:1 G4:1 D4:1 G4:1 G4:1 | "
     "B4:1 G4:1 B4:1 D5:1 C5:1 B4:1 | C5:1 B4:1 C5:1 A4:1 D5:1 C5:1 | B4:1 G4:1 G4:1 G4:2"),
    ("Greensleeves", (6, 8), "Am", 96, 1,
     "A4:1 | C5:2 D5:1 E5:1.5 F5:0.5 E5:1 | D5:2 B4:1 G4:1.5 A4:0.5 B4:1 | C5:2 A4:1 A4:1.5 G#4:0.5 A4:1 | "
     "B4:2 G#4:1 E4:2 A4:1 | C5:2 D5:1 E5:1.5 F5:0.5 E5:1 | D5:2 B4:1 G4:1.5 A4:0.5 B4:1 | "
     "C5:1.5 B4:0.5 A4:1 G#4:1.5 F#4:0.5 G#4:1 | A4:3 A4:2"),
]


def midi_pitch(name: str) -> int:
    letter, rest = name[0], name[1:]
    accidental = 0
    while rest and rest[0] in "#b":
        accidental += 1 if rest[0] == "#" else -1
        rest = rest[1:]
    return 12 * (int(rest) + 1) + STEPS[letter] + accidental


def tune_to_midi(title: str, meter: tuple[int, int], key: str, bpm: int, notes: str) -> mido.MidiFile:
    tpb = 480
    eighth = tpb // 2
    mid = mido.MidiFile(type=1, ticks_per_beat=tpb)
    meta = mido.MidiTrack([
        mido.MetaMessage("track_name", name=title, time=0),
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm), time=0),
        mido.MetaMessage("time_signature", numerator=meter[0], denominator=meter[1], time=0),
        mido.MetaMessage("key_signature", key=key, time=0),
    ])
    track = mido.MidiTrack([mido.MetaMessage("track_name", name="Melody", time=0),
                            mido.Message("program_change", program=73, time=0)])  # flute
    gap = 0
    for token in notes.replace("|", " ").split():
        name, eighths = token.split(":")
        length = round(float(eighths) * eighth)
        if name == "R":
            gap += length
            continue
        pitch = midi_pitch(name)
        track.append(mido.Message("note_on", note=pitch, velocity=84, time=gap))
        track.append(mido.Message("note_off", note=pitch, velocity=0, time=length - 10))
        gap = 10  # a short breath between repeated notes
    mid.tracks.extend([meta, track])
    return mid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paintings-from", default=str(ROOT.parent / "shared" / "data" / "paintings"))
    args = parser.parse_args()
    out_p, out_m = ROOT / "assets/demo/paintings", ROOT / "assets/demo/melodies"
    for src, dst in PAINTINGS.items():
        shutil.copyfile(Path(args.paintings_from) / "monet" / src, out_p / dst)
    for title, meter, key, bpm, _pickup, notes in TUNES:
        slug = title.lower().replace(" ", "-")
        tune_to_midi(title, meter, key, bpm, notes).save(out_m / f"{slug}.mid")
    print(f"wrote {len(PAINTINGS)} paintings to {out_p} and {len(TUNES)} melodies to {out_m}")


if __name__ == "__main__":
    main()
