"""Plain domain objects (samples, melodies, works, galleries, projects): no Qt, no torch."""

from studio.core.melody import TICKS_PER_QUARTER, KeySignature, Melody, Note
from studio.core.project import Project
from studio.core.samples import Domain, ImageFacts, MelodyFacts, Sample, SampleSet
from studio.core.works import Gallery, Work, WorkStatus

__all__ = [
    "TICKS_PER_QUARTER", "KeySignature", "Melody", "Note", "Project", "Domain", "ImageFacts",
    "MelodyFacts", "Sample", "SampleSet", "Gallery", "Work", "WorkStatus",
]
