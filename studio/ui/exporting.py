"""Write samples and works to a folder: samples as their original bytes, paintings as PNG
(seed and provenance in text chunks), melodies as MIDI (tempo, time signature, key signature
and a track name) and, next to it, as a MusicXML lead sheet with their chord symbols for
notation programs. Never overwrites an existing file."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from studio.core.samples import Sample
from studio.core.works import Work
from studio.errors import StudioError
from studio.ui.i18n import translate

_UNSAFE = re.compile(r"[^\w. -]+")  # letters of any script stay: a Chinese title keeps its name


def unique_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/stem-2.ext`` and so on if that exists."""
    name = _UNSAFE.sub("_", name).strip(" .") or "untitled"
    path = folder / name
    stem, suffix = path.stem, path.suffix
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path


def _write_new(path: Path, data: bytes) -> None:
    with open(path, "xb") as f:  # "x": never clobber a file created meanwhile
        f.write(data)


def work_file(work: Work) -> tuple[str, bytes]:
    """The file name and bytes a work exports as."""
    stem = (work.title or "work") + f"-seed{work.seed}"
    if work.image is not None:
        from studio.io.images import work_png

        return f"{stem}.png", work_png(work.image, work.seed, work.provenance)
    if work.melody is not None:
        return f"{(work.title or 'melody')}-seed{work.seed}.mid", melody_midi(work)
    raise StudioError(translate("Exporting", "work {id} holds neither a picture nor a melody").format(id=work.id))


def melody_midi(work: Work) -> bytes:
    """The MIDI file of a melody work; the track is named after the work, and a melody without a
    key signature gets its estimated key, so a DAW shows both."""
    from studio.io.midi import write_midi
    from studio.core.melody_analysis import estimate_key
    from studio.ui.facts import work_title

    melody = work.melody
    if melody is None:
        raise StudioError(translate("Exporting", "work {id} holds no melody").format(id=work.id))
    if not melody.name:
        melody = replace(melody, name=work_title(work))
    if melody.key is None and melody.notes:
        melody = replace(melody, key=estimate_key(melody)[0])
    return write_midi(melody)


def melody_musicxml(work: Work) -> bytes:
    """The MusicXML lead sheet of a melody work (its chords as chord symbols), titled as the work."""
    from studio.io.musicxml_write import write_musicxml
    from studio.ui.facts import work_title

    melody = work.melody
    if melody is None:
        raise StudioError(translate("Exporting", "work {id} holds no melody").format(id=work.id))
    return write_musicxml(melody if melody.name else replace(melody, name=work_title(work)))


def _sample_file_name(sample: Sample) -> str:
    """The sample's name, with its file's suffix when the name lacks it (a tune of an ABC book)."""
    suffix = Path(sample.path).suffix
    return sample.name if sample.name.lower().endswith(suffix.lower()) else sample.name + suffix


def export_items(samples: list[Sample], works: list[Work], folder: str | os.PathLike) -> tuple[list[Path], list[StudioError]]:
    """Write every item to ``folder``; returns the files written and one error per failure."""
    target = Path(folder)
    written: list[Path] = []
    errors: list[StudioError] = []
    jobs: list[tuple[str, object]] = [(_sample_file_name(s), s) for s in samples] + [("", w) for w in works]
    jobs += [("", ("musicxml", w)) for w in works if w.melody is not None]  # a lead sheet next to the MIDI
    for name, item in jobs:
        path = target / (name or "work")
        try:
            if isinstance(item, Sample):
                data = item.data
            elif isinstance(item, tuple):
                work = item[1]
                name = f"{(work.title or 'melody')}-seed{work.seed}.musicxml"
                data = melody_musicxml(work)
            else:
                name, data = work_file(item)  # type: ignore[arg-type]
            path = unique_path(target, name)
            _write_new(path, data)
            written.append(path)
        except StudioError as exc:
            errors.append(exc)
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            errors.append(StudioError(translate("Exporting", "could not be written ({reason})").format(reason=reason),
                                      str(path)))
    return written, errors
