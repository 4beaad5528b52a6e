"""The melody generator over a chord-conditioned network (issue 19 point 3, experimental).

:class:`ChordMelodyGenerator` is the product's :class:`~.generator.MelodyGenerator` (same
adaptation, support cache, density calibration, copy filter and chord steering) for a stored
model whose config has ``chord_embed`` > 0 (:mod:`.leadsheet_corpus` trains one). It adapts
on the samples' phrases *with their chords* (a sample without chord symbols gets the chords
:func:`~.harmony.implied_chords` hears in it) and samples every melody with the gallery's
chords fed to the network at each step (:class:`~.chord_features.PlannedChords`). With
``steer=False`` the sampler's chord steering is off, so the network alone follows the chords.

It is not the default: ``bench chords --conditioned MODEL`` measures it beside the shipped model
(see the README's chord section for what was measured).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import torch

from studio.core.melody import Melody
from studio.core.samples import Sample
from studio.domains.adapted import STYLE_KEY
from studio.domains.base import AdaptConfig, AdaptedModel
from studio.domains.melody.chord_features import PlannedChords, Table, build_chord_batch, chord_table, \
    phrases_with_chords
from studio.domains.melody.generator import SUPPORT_PHRASE_BARS, MelodyGenerator, Frame, sample_style
from studio.domains.melody.harmony import implied_chords
from studio.domains.melody.model import MelodyNet, style_features
from studio.domains.melody.representation import RepresentationError, encode, melody_key
from studio.domains.melody.sampling import Plan, SamplingControls
from studio.errors import AdaptationError
from studio.meta import adapt as meta_adapt
from studio.model_registry import MODELS_DIR
from studio.progress import NULL_PROGRESS, Progress


def support_with_chords(melodies: Sequence[Melody]) -> tuple[list[list[int]], list[Table]]:
    """The samples' phrase tokens (as :func:`~.generator.sample_style` encodes them) with their
    chord tables; a melody without chords gets its implied chords."""
    tokens, tables = [], []
    for melody in melodies:
        if not melody.notes:
            continue
        key = melody_key(melody)
        if not any(s.chord for s in melody.chords):
            melody = replace(melody, chords=implied_chords(melody, key))
        for cut, spans in phrases_with_chords(melody, SUPPORT_PHRASE_BARS):
            try:
                encoded = encode(cut, key)
            except RepresentationError:
                continue
            tokens.append(encoded)
            tables.append(chord_table(spans, key.tonic))
    return tokens, tables


class ChordMelodyGenerator(MelodyGenerator):
    """:class:`~.generator.MelodyGenerator` for a chord-conditioned model (see the module doc)."""

    def __init__(self, model_name: str, models_dir: str | Path = MODELS_DIR, threads: int | None = 1,
                 steer: bool = True) -> None:
        super().__init__(model_name, models_dir, threads)
        if not self.model.config.chord_embed:
            raise AdaptationError(f"{model_name} has no chord input (chord_embed 0): use MelodyGenerator")
        self.steer = steer

    def _adapt(self, melodies: list[Melody], digests: tuple[str, ...], config: AdaptConfig, progress: Progress,
               start: AdaptedModel | None) -> AdaptedModel:
        style = sample_style(melodies)  # raises AdaptationError for unusable samples
        features = style_features(style.phrases)
        tokens, tables = support_with_chords(style.melodies)
        if not tokens:
            raise AdaptationError("no sample melody can be learned from")
        base = self.params
        if start is not None and start.method != "instant":
            base = meta_adapt.apply_delta(self.params, self._delta(start))
        inputs, targets = build_chord_batch(tokens, tables, features)
        return self._adapt_from(base, (inputs, targets), self._loss, config, progress, features, digests, start)

    @staticmethod
    def _loss(output: object, targets: torch.Tensor) -> torch.Tensor:
        from studio.domains.melody.model import sequence_loss

        return sequence_loss(output, targets)

    def _steered(self, samples: Sequence[Sample], controls: SamplingControls, frame: Frame) -> SamplingControls:
        controls = super()._steered(samples, controls, frame)
        return controls if self.steer else replace(controls, chord_style=None)

    def _works(self, network: MelodyNet, features, plans: list[Plan], controls: SamplingControls,  # type: ignore[override]
               frame: Frame, meter: tuple[int, int], tempo: float, provenance: dict,
               progress: Progress = NULL_PROGRESS):
        if frame.chords and plans:
            network = PlannedChords(network, chord_table(frame.chords, frame.key.tonic), plans[0].bars,
                                    meter)  # type: ignore[assignment]
        return super()._works(network, features, plans, controls, frame, meter, tempo,
                              {**provenance, "chord_input": True, "steered": self.steer}, progress)
