"""Generation controls for melodies, shared by the GUI, the CLI and the generator (no torch here)."""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.chords import ChordSpan, validate_progression
from studio.core.melody import KeySignature
from studio.core.scales import Scale

SUPPORTED_BARS = (4, 8, 16)  # the lengths the gallery offers; refinements may use any count
DEFAULT_IDIOMS = 0.5  # the support cache's share, chosen on validation collections (docs/BENCHMARKS.md)
RANGE_MARGIN = 2  # semitones the default note range reaches past the samples' lowest and highest notes


@dataclass(frozen=True)
class MelodyParams:
    """What the user asks of a gallery of melodies. ``None`` means "like the samples"."""

    bars: int = 8
    temperature: float = 1.0  # "adventurousness": < 1 safer, > 1 bolder
    key: KeySignature | None = None  # default: the samples' key
    time_signature: tuple[int, int] | None = None  # default: the samples' meter
    tempo_bpm: float | None = None  # default: the samples' median tempo
    lowest: int | None = None  # MIDI pitch range; default: the samples' range
    highest: int | None = None
    density: float = 0.0  # rhythmic density: 0 like the samples, -1 sparser (longer notes) .. +1 busier
    avoid_copies: bool = True  # resample candidates that copy a support clip
    idioms: float = DEFAULT_IDIOMS  # reuse of the samples' own rhythm and note patterns: 0 the model alone .. 1
    chords: tuple[ChordSpan, ...] = ()  # the progression to follow (ticks from bar 1); () free harmony
    scale: Scale | None = None  # the key and scale; None: the samples' pooled key
    scale_lock: bool = False  # no note outside the scale (guaranteed)

    def __post_init__(self) -> None:
        if self.bars < 1:
            raise ValueError(f"bars must be >= 1, got {self.bars}")
        if not 0.05 <= self.temperature <= 3.0:
            raise ValueError(f"temperature must be in range 0.05..3.0, got {self.temperature}")
        if not -1.0 <= self.density <= 1.0:
            raise ValueError(f"density must be in range -1..1, got {self.density}")
        if not 0.0 <= self.idioms <= 1.0:
            raise ValueError(f"idioms must be in range 0..1, got {self.idioms}")
        validate_progression(self.chords)
        for name in ("lowest", "highest"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 127:
                raise ValueError(f"{name} must be a MIDI pitch 0..127, got {value}")
        if self.lowest is not None and self.highest is not None and self.lowest > self.highest - 5:
            raise ValueError("the note range must span at least 5 semitones")

    @property
    def range_is_default(self) -> bool:
        return self.lowest is None and self.highest is None

    def pitch_range(self, default: tuple[int, int]) -> tuple[int, int]:
        """(lowest, highest), each taken from ``default`` where the user left it unset."""
        low = default[0] if self.lowest is None else self.lowest
        high = default[1] if self.highest is None else self.highest
        return (low, max(high, low + 5))
