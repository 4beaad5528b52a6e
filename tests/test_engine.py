"""The engine facade: path expansion, strict one-domain import, streaming, cancel, demos."""

from __future__ import annotations

import threading
import time
import types
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio import engine
from studio.core.melody import Melody, Note
from studio.core.samples import Domain
from studio.core.works import Work
from studio.domains.base import AdaptedModel
from studio.errors import Cancelled, MixedDomainError, StudioError
from studio.model_registry import default_model
from studio.progress import RecordingProgress


def _png(path: Path, color: tuple[int, int, int] = (200, 30, 30)) -> Path:
    Image.fromarray(np.full((40, 60, 3), color, np.uint8)).save(path)
    return path


def test_expand_paths_recurses_folders_and_keeps_explicit_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    a = _png(tmp_path / "sub" / "a.png")
    (tmp_path / "sub" / "notes.txt").write_text("hello")
    explicit = tmp_path / "odd.xyz"
    explicit.write_text("x")
    files, skipped = engine.expand_paths([tmp_path / "sub", explicit])
    assert files == [str(a), str(explicit)]
    assert skipped == [str(tmp_path / "sub" / "notes.txt")]


def test_import_reports_each_bad_file_and_keeps_the_good(tmp_path: Path) -> None:
    good = _png(tmp_path / "good.png")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    text = tmp_path / "letter.png"
    text.write_text("Dear studio, this is not a picture.")
    progress = RecordingProgress()
    report = engine.import_samples([good, empty, text], progress)
    assert [s.name for s in report.samples] == ["good.png"]
    assert progress.partials == list(report.samples)
    reasons = {Path(e.path).name: e.reason for e in report.errors}
    assert "empty" in reasons["empty.png"]
    assert "not an image" in reasons["letter.png"]
    assert progress.fractions[-1] == 1.0


def test_import_refuses_to_mix_domains(tmp_path: Path) -> None:
    melody = Path(engine.demo_sample_paths(Domain.MELODY)[0])
    report = engine.import_samples([_png(tmp_path / "p.png"), melody])
    assert len(report.samples) == 1 and report.samples[0].domain is Domain.PAINTING
    assert isinstance(report.errors[0], MixedDomainError)
    assert "never mixed" in str(report.errors[0]) and melody.name in str(report.errors[0])


def test_import_into_an_existing_set_uses_its_domain(tmp_path: Path) -> None:
    report = engine.import_samples([_png(tmp_path / "p.png")], domain=Domain.MELODY)
    assert not report.samples and isinstance(report.errors[0], MixedDomainError)


def test_import_stops_when_asked(tmp_path: Path) -> None:
    files = [_png(tmp_path / f"{i}.png") for i in range(4)]
    progress = RecordingProgress(stop_after_partials=2)
    with pytest.raises(Cancelled):
        engine.import_samples(files, progress)
    assert len(progress.partials) == 2


def test_demo_samples_are_bundled_and_import_cleanly() -> None:
    for domain in Domain:
        paths = engine.demo_sample_paths(domain)
        assert len(paths) >= 3
        report = engine.import_samples(paths)
        assert not report.errors, report.errors
        assert {s.domain for s in report.samples} == {domain}


def test_adaptation_methods_come_from_the_registry_default_first() -> None:
    methods = engine.adaptation_methods()
    assert methods[0].name == "reptile"
    assert {m.name for m in methods} >= {"maml", "fomaml", "reptile", "anil", "metasgd", "hypernet"}
    assert all(m.gradient_based for m in engine.adaptation_methods(gradient_only=True))


def test_expand_paths_skips_hidden_folders_and_stops_when_asked(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _png(tmp_path / ".git" / "hidden.png")
    visible = _png(tmp_path / "visible.png")
    files, _ = engine.expand_paths([tmp_path])
    assert files == [str(visible)]
    for i in range(450):
        (tmp_path / f"note{i}.txt").write_text("x")
    progress = RecordingProgress()
    progress.request_stop()
    with pytest.raises(Cancelled):
        engine.expand_paths([tmp_path], progress)


def test_expand_paths_stops_early_past_the_import_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "MAX_FILES_PER_IMPORT", 3)
    for sub in ("a", "b", "c"):
        (tmp_path / sub).mkdir()
        for i in range(3):
            _png(tmp_path / sub / f"{i}.png")
    files, _ = engine.expand_paths([tmp_path])
    assert len(files) == 6  # the walk stopped after folder b, not after reading all of c
    report = engine.import_samples([tmp_path])
    assert not report.samples and "too many" in report.errors[0].reason


def test_mixing_message_uses_the_right_plural(tmp_path: Path) -> None:
    report = engine.import_samples([_png(tmp_path / "p.png")], domain=Domain.MELODY)
    assert "holds melodies" in str(report.errors[0])


def test_preload_loads_once_in_the_background_and_first_use_shares_it(monkeypatch: pytest.MonkeyPatch) -> None:
    info = default_model(Domain.MELODY)
    release, loads = threading.Event(), []

    def load_generator(_info):
        loads.append(threading.current_thread().name)
        release.wait(5)
        return "the generator"
    module = types.SimpleNamespace(load_generator=load_generator)
    monkeypatch.setattr(engine, "_generators", {})
    monkeypatch.setattr(engine.importlib, "import_module", lambda name: module)
    thread = engine.preload(Domain.MELODY)
    assert thread is not None and thread.daemon
    deadline = time.monotonic() + 5
    while not loads and time.monotonic() < deadline:  # the preload holds the lock, loading
        time.sleep(0.001)
    waiter = threading.Thread(target=lambda: loads.append(engine.generator_for(Domain.MELODY)))
    waiter.start()  # a first real use during the load waits for it
    release.set()
    thread.join(5)
    waiter.join(5)
    assert loads == [f"preload-{Domain.MELODY.value}", "the generator"]
    assert engine.preload(Domain.MELODY) is None and engine.preload(None) is None  # nothing left to load
    assert info.name in engine._generators


def test_a_failed_preload_is_silent_and_the_first_use_reports_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(name):
        raise StudioError("the weights are damaged")
    monkeypatch.setattr(engine, "_generators", {})
    monkeypatch.setattr(engine.importlib, "import_module", broken)
    engine.preload(Domain.PAINTING).join(5)
    with pytest.raises(StudioError, match="damaged"):
        engine.generator_for(Domain.PAINTING)


class _PlainGenerator:
    """A generator with only the operations every domain has (no ClipEditor, no CanvasEditor)."""

    domain = Domain.PAINTING
    model_name = "plain"
    default_steps = 1


class _Editor(_PlainGenerator):
    def __init__(self) -> None:
        self.calls: list[str] = []

    def continue_clip(self, adapted, samples, source, bars, seed, count=1, progress=None):
        self.calls.append("continue_clip")
        return [source]

    def regenerate_bars(self, adapted, samples, work, bars, seed, progress=None):
        self.calls.append("regenerate_bars")
        return work

    def repaint(self, adapted, samples, work, mask, seed, progress=None):
        self.calls.append("repaint")
        return work

    def render(self, adapted, samples, work, long_side, progress=None):
        self.calls.append("render")
        return work


def _adapted(domain: Domain):
    return AdaptedModel(domain, "plain", "instant", b"")


def test_optional_operations_are_refused_with_a_message_when_the_generator_lacks_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "generator_for", lambda domain: _PlainGenerator())
    painting = Work(Domain.PAINTING, 1, image=np.zeros((4, 4, 3), np.uint8))
    melody = Work(Domain.MELODY, 1, melody=Melody((Note(60, 0, 24),)))
    with pytest.raises(StudioError, match="painting generator cannot repaint"):
        engine.repaint(_adapted(Domain.PAINTING), [], painting, np.ones((4, 4)), 0)
    with pytest.raises(StudioError, match="cannot repaint regions or render larger"):
        engine.render(_adapted(Domain.PAINTING), [], painting, 512)
    with pytest.raises(StudioError, match="melody generator cannot continue clips"):
        engine.continue_clip(_adapted(Domain.MELODY), [], melody, 2, 0)
    with pytest.raises(StudioError, match="cannot continue clips or rewrite bars"):
        engine.regenerate_bars(_adapted(Domain.MELODY), [], melody, [0], 0)


def test_optional_operations_reach_a_generator_that_has_them(monkeypatch: pytest.MonkeyPatch) -> None:
    editor = _Editor()
    monkeypatch.setattr(engine, "generator_for", lambda domain: editor)
    painting = Work(Domain.PAINTING, 1, image=np.zeros((4, 4, 3), np.uint8))
    melody = Work(Domain.MELODY, 1, melody=Melody((Note(60, 0, 24),)))
    assert engine.repaint(_adapted(Domain.PAINTING), [], painting, np.ones((4, 4)), 0) is painting
    assert engine.render(_adapted(Domain.PAINTING), [], painting, 512) is painting
    assert engine.continue_clip(_adapted(Domain.MELODY), [], melody, 2, 0) is melody
    assert engine.regenerate_bars(_adapted(Domain.MELODY), [], melody, [0], 0) is melody
    assert editor.calls == ["repaint", "render", "continue_clip", "regenerate_bars"]
