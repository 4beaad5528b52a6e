"""A tiny in-test melody generator for the GUI tests, and the fixtures that install it.

It implements the :class:`studio.domains.base.Generator` protocol plus ``continue_clip``,
``regenerate_bars`` and ``works_as_samples`` with plain Python (no torch, no weights), so the
GUI's wiring (tasks, streaming, commands, exclusion of rejected seeds) is tested whether or not
the real meta-trained generator is installed. It is NOT a test of the real generator: its
melodies are seeded random walks, and its "adaptation" is a fake loss that decreases.
"""

from __future__ import annotations

import random
import threading
from dataclasses import replace
from typing import Any, Sequence

import pytest

from studio import engine
from studio.core.melody import KeySignature, Melody, Note
from studio.core.samples import Domain, Sample
from studio.core.works import Work
from studio.domains.base import AdaptConfig, AdaptedModel
from studio.io.midi import load_midi_sample, write_midi
from studio.model_registry import ModelInfo
from studio.progress import NULL_PROGRESS, Progress, check_stop

MODEL_NAME = "fake-melody"


def fake_melody(seed: int, bars: int = 4, name: str = "") -> Melody:
    rng = random.Random(seed)
    pitch, notes = 64, []
    for i in range(bars * 4):
        pitch = max(55, min(79, pitch + rng.choice([-2, -1, 0, 1, 2, 3])))
        notes.append(Note(pitch, i * 24, 24))
    return Melody(tuple(notes), 110.0, (4, 4), KeySignature(0), 0, name)


class FakeMelodyGenerator:
    """Records every call in ``calls``; ``gate`` (if set) makes ``generate`` wait after
    ``gate_after`` works until the task is cancelled, to test a cancel mid-generation."""

    domain = Domain.MELODY
    model_name = MODEL_NAME

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.gate: threading.Event | None = None
        self.gate_after = 0
        self.refine_params: dict[str, Any] = {}  # the params each kind of refinement got last

    def _model(self, samples: Sequence[Sample], method: str, steps: int = 0,
               losses: tuple[float, ...] = ()) -> AdaptedModel:
        return AdaptedModel(Domain.MELODY, MODEL_NAME, method, f"delta:{method}:{steps}".encode(), steps, 0.01,
                            losses, tuple(s.digest for s in samples))

    def instant(self, samples: Sequence[Sample]) -> AdaptedModel:
        self.calls.append(("instant", {"samples": len(samples)}))
        return self._model(samples, "instant")

    def adapt(self, samples: Sequence[Sample], config: AdaptConfig, progress: Progress = NULL_PROGRESS,
              start: AdaptedModel | None = None, preview_every_s: float | None = None) -> AdaptedModel:
        self.calls.append(("adapt", {"samples": list(samples), "config": config, "start": start}))
        losses = []
        for step in range(config.steps or 3):
            check_stop(progress)
            losses.append(2.0 / (step + 1))
            progress.report_partial(losses[-1])
            progress.report_progress((step + 1) / (config.steps or 3), f"step {step + 1}")
        return self._model(samples, config.method, len(losses), tuple(losses))

    def _work(self, adapted: AdaptedModel, seed: int, bars: int, **provenance: Any) -> Work:
        return Work(Domain.MELODY, seed, melody=fake_melody(seed, bars),
                    provenance={"model": adapted.model_name, "method": adapted.method, **provenance})

    def generate(self, adapted: AdaptedModel, samples: Sequence[Sample], params: Any, count: int, seed: int,
                 progress: Progress = NULL_PROGRESS, exclude_seeds: frozenset[int] = frozenset()) -> list[Work]:
        self.calls.append(("generate", {"model": adapted, "params": params, "count": count, "seed": seed,
                                        "exclude": exclude_seeds}))
        works: list[Work] = []
        candidate = seed
        while len(works) < count:
            check_stop(progress)
            if self.gate is not None and len(works) == self.gate_after:
                while not progress.should_stop():
                    self.gate.wait(0.01)
                check_stop(progress)
            if candidate not in exclude_seeds:
                works.append(self._work(adapted, candidate, getattr(params, "bars", 4)))
                progress.report_partial(works[-1])
                progress.report_progress(len(works) / count)
            candidate += 1
        return works

    def vary(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, closeness: float, count: int,
             seed: int, progress: Progress = NULL_PROGRESS, params: Any = None) -> list[Work]:
        self.calls.append(("vary", {"work": work.id, "closeness": closeness, "count": count}))
        self.refine_params["vary"] = params
        works = [self._work(adapted, seed + i, 4, parent=work.id) for i in range(count)]
        for work_ in works:
            progress.report_partial(work_)
        return works

    def blend(self, adapted: AdaptedModel, samples: Sequence[Sample], a: Work, b: Work, seed: int,
              progress: Progress = NULL_PROGRESS) -> Work:
        self.calls.append(("blend", {"a": a.id, "b": b.id}))
        return self._work(adapted, seed, 4, parents=[a.id, b.id])

    def continue_clip(self, adapted: AdaptedModel, samples: Sequence[Sample], source: Work | Melody, bars: int,
                      seed: int, count: int = 1, progress: Progress = NULL_PROGRESS, params: Any = None) -> list[Work]:
        self.calls.append(("continue", {"source": source, "bars": bars}))
        self.refine_params["continue"] = params
        return [self._work(adapted, seed, bars, continued=getattr(source, "id", getattr(source, "name", "")))]

    def regenerate_bars(self, adapted: AdaptedModel, samples: Sequence[Sample], work: Work, bars: tuple[int, ...],
                        seed: int, progress: Progress = NULL_PROGRESS, params: Any = None) -> Work:
        self.calls.append(("regenerate", {"work": work.id, "bars": bars}))
        self.refine_params["regenerate"] = params
        assert work.melody is not None
        m = work.melody  # bar b (0-based) holds the pickup when b == 0, as the real generator counts
        shifted = tuple(replace(n, pitch=n.pitch + 1) if max(0, (n.start - m.pickup) // m.bar_ticks) in bars else n
                        for n in m.notes)
        return Work(Domain.MELODY, seed, melody=replace(work.melody, notes=shifted),
                    provenance={"parent": work.id, "bars": list(bars)})

    def more_like_these(self, samples: Sequence[Sample], kept: Sequence[Work], config: AdaptConfig,
                        progress: Progress = NULL_PROGRESS, start: AdaptedModel | None = None) -> AdaptedModel:
        extra = [load_midi_sample(f"kept-{w.id}.mid", write_midi(w.melody)) for w in kept if w.melody is not None]
        return self.adapt([*samples, *extra], config, progress, start)

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def last(self, name: str) -> dict[str, Any]:
        return [args for n, args in self.calls if n == name][-1]


@pytest.fixture
def fake_generator(monkeypatch: pytest.MonkeyPatch) -> FakeMelodyGenerator:
    """Install :class:`FakeMelodyGenerator` as the engine's melody generator."""
    fake = FakeMelodyGenerator()
    monkeypatch.setattr(engine, "generator_for", lambda domain: fake)
    monkeypatch.setattr(engine, "generator_available", lambda domain: domain is Domain.MELODY)
    info = ModelInfo(MODEL_NAME, Domain.MELODY, "fake for GUI tests", "tests.ui.melody_fakes")
    monkeypatch.setattr("studio.ui.generation.default_model",
                        lambda domain: info if domain is Domain.MELODY else None)
    return fake
