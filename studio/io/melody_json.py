"""A melody as plain JSON data and back, exactly: notes, tempo, meter, key, pickup, name, notices, chords.

Chords are ``{"chord": "F#m7/C", "start": 0, "duration": 96}`` objects (``"N"``: no chord); a
file written before chords existed has no ``"chords"`` and loads with none.

Project files store melody works this way. Reading validates every field and raises
``ValueError`` with a message naming the field; the caller adds the file it came from.
"""

from __future__ import annotations

from typing import Any

from studio.core.chord_text import parse_symbol
from studio.core.chords import ChordSpan, validate_progression
from studio.core.melody import KeySignature, Melody, Note

MAX_CHORDS = 100_000


def melody_to_dict(melody: Melody) -> dict[str, Any]:
    """A JSON-ready dict; notes are ``[pitch, start, duration, velocity]`` lists."""
    return {
        "notes": [[n.pitch, n.start, n.duration, n.velocity] for n in melody.notes],
        "tempo_bpm": float(melody.tempo_bpm),
        "time_signature": list(melody.time_signature),
        "key": None if melody.key is None else {"tonic": melody.key.tonic, "mode": melody.key.mode},
        "pickup": melody.pickup,
        "name": melody.name,
        "notices": list(melody.notices),
        "chords": [{"chord": span.symbol, "start": span.start, "duration": span.duration}
                   for span in melody.chords],
    }


def _int(value: Any, what: str) -> int:
    # bool is an int subclass; true/false in a note list is corruption, not a pitch
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an integer, got {value!r}")
    return value


def melody_from_dict(obj: Any) -> Melody:
    """The melody ``obj`` describes (the inverse of :func:`melody_to_dict`).

    Raises:
        ValueError: a field is missing, of the wrong type or out of range.
    """
    if not isinstance(obj, dict):
        raise ValueError(f"a melody must be a JSON object, got {type(obj).__name__}")
    raw_notes = obj.get("notes")
    if not isinstance(raw_notes, list):
        raise ValueError("melody 'notes' must be a list")
    notes = []
    for i, raw in enumerate(raw_notes):
        if not isinstance(raw, list) or len(raw) != 4:
            raise ValueError(f"note {i} must be [pitch, start, duration, velocity], got {raw!r}")
        pitch, start, duration, velocity = (_int(v, f"note {i} field") for v in raw)
        notes.append(Note(pitch, start, duration, velocity))
    tempo = obj.get("tempo_bpm", 120.0)
    if isinstance(tempo, bool) or not isinstance(tempo, (int, float)):
        raise ValueError(f"melody 'tempo_bpm' must be a number, got {tempo!r}")
    meter = obj.get("time_signature", [4, 4])
    if not isinstance(meter, list) or len(meter) != 2:
        raise ValueError(f"melody 'time_signature' must be [numerator, denominator], got {meter!r}")
    raw_key = obj.get("key")
    key = None
    if raw_key is not None:
        if not isinstance(raw_key, dict) or not isinstance(raw_key.get("mode"), str):
            raise ValueError(f"melody 'key' must be null or {{tonic, mode}}, got {raw_key!r}")
        key = KeySignature(_int(raw_key.get("tonic"), "key tonic"), raw_key["mode"])
    pickup = _int(obj.get("pickup", 0), "melody 'pickup'")
    if pickup < 0:
        raise ValueError(f"melody 'pickup' must be >= 0, got {pickup}")
    name = obj.get("name", "")
    notices = obj.get("notices", [])
    if not isinstance(name, str):
        raise ValueError(f"melody 'name' must be a string, got {name!r}")
    if not isinstance(notices, list) or not all(isinstance(n, str) for n in notices):
        raise ValueError("melody 'notices' must be a list of strings")
    chords = _chords(obj.get("chords", []))
    return Melody(
        notes=tuple(notes),
        tempo_bpm=float(tempo),
        time_signature=(_int(meter[0], "time signature numerator"),
                        _int(meter[1], "time signature denominator")),
        key=key,
        pickup=pickup,
        name=name,
        notices=tuple(notices),
        chords=chords,
    )


def _chords(raw: Any) -> tuple[ChordSpan, ...]:
    if not isinstance(raw, list):
        raise ValueError(f"melody 'chords' must be a list, got {type(raw).__name__}")
    if len(raw) > MAX_CHORDS:
        raise ValueError(f"melody 'chords' holds {len(raw)} chords; at most {MAX_CHORDS} are read")
    spans = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("chord"), str):
            raise ValueError(f"chord {i} must be {{chord, start, duration}}, got {item!r}")
        try:
            chord = parse_symbol(item["chord"])
        except ValueError as exc:
            raise ValueError(f'chord {i}: "{item["chord"]}" {exc}') from None
        spans.append(ChordSpan(chord, _int(item.get("start"), f"chord {i} start"),
                               _int(item.get("duration"), f"chord {i} duration")))
    validate_progression(tuple(spans))
    return tuple(spans)
