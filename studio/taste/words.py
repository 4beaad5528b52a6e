"""What a taste model says, as structure, and its one English rendering.

Role: the words of issue 18's explanations and summaries without the language. The taste model
(:mod:`studio.taste.model`) says why a work scores as it does and what it has learnt as a tuple of
:class:`Phrase` values: a phrase kind (one of :data:`EXPLANATION_KINDS` or :data:`SUMMARY_KINDS`),
the interpretable features it names with their directions (:class:`FeatureWord`), the domain and,
for the counts, the numbers. :func:`english` says a phrase in English: the CLI's ``report.json``,
the benchmarks and ``Explanation.words`` / ``TasteSummary.words`` use it, and its sentences are
the ones the studio has always written ("higher and busier than what you reject; closest to a work
you kept"; "You keep warmer, calmer paintings and reject busy, dark ones."). The window says the
same phrases in its own language from the structure (``studio/ui/taste_words.py``), never by
reading the English back. No torch, no Qt: the window imports this module.

English grammar decides two things here, recorded in the structure so every rendering agrees:
which feature words read before "than ..." (comparatives: "higher", "more chromatic"; not
"rising", "ends at home") and whether a summary's words all read before a noun ("warmer, calmer
paintings") or are listed after it (``Phrase.listed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# An explanation's phrases, in the order they appear (joined by "; ").
THAN_REJECTED = "than_rejected"  # "higher and busier than what you reject"
LIKE_KEPT = "like_kept"  # "ends at home, like what you keep"
THAN_KEPT = "than_kept"  # "lower than what you keep"
LIKE_REJECTED = "like_rejected"  # "falling, like what you reject"
CLOSEST_KEPT = "closest_kept"  # "closest to a work you kept"
CLOSEST_REJECTED = "closest_rejected"  # "closest to a work you rejected"
CLOSEST_SAMPLE = "closest_sample"  # "closest to one of your samples"
NO_FEEDBACK = "no_feedback"  # "no keeps or rejects yet"
EXPLANATION_KINDS = (THAN_REJECTED, LIKE_KEPT, THAN_KEPT, LIKE_REJECTED, CLOSEST_KEPT, CLOSEST_REJECTED,
                     CLOSEST_SAMPLE, NO_FEEDBACK)

# A summary's sentences.
NOTHING_LEARNT = "nothing_learnt"  # "Nothing learnt yet: keep or reject works and ..."
NO_SINGLE_FEATURE = "no_single_feature"  # "What you keep and reject differs in no single feature yet: ..."
KEEP_REJECT = "keep_reject"  # "You keep higher melodies and reject lower ones." (words, rejected)
KEEP_ONLY = "keep_only"  # "You keep warmer paintings than your samples; nothing rejected yet." (words)
REJECT_ONLY = "reject_only"  # "You reject darker paintings; nothing kept yet." (rejected)
LEARNT_FROM = "learnt_from"  # "Learnt from 3 kept and 2 rejected melodies and 4 samples." (counts)
SUMMARY_KINDS = (NOTHING_LEARNT, NO_SINGLE_FEATURE, KEEP_REJECT, KEEP_ONLY, REJECT_ONLY, LEARNT_FROM)

NOUNS = {"melody": "melodies", "painting": "paintings"}  # any other domain: "works"


@dataclass(frozen=True)
class FeatureWord:
    """One interpretable feature named with a direction: ``("register", "more", "higher")``."""

    feature: str  # a FeatureSpec.names entry
    direction: str  # "more" | "less"
    word: str  # the spec's English word for it (FeatureSpec.more / less)

    def __post_init__(self) -> None:
        if self.direction not in ("more", "less"):
            raise ValueError(f"direction must be 'more' or 'less', got {self.direction!r}")


@dataclass(frozen=True)
class Phrase:
    """One phrase of an explanation or one sentence of a summary (see the kinds above)."""

    kind: str
    words: tuple[FeatureWord, ...] = ()  # the phrase's features; in a summary, the kept side's
    rejected: tuple[FeatureWord, ...] = ()  # a summary's rejected side (keep_reject, reject_only)
    domain: str = ""  # "melody" / "painting": the noun of a summary sentence
    listed: bool = False  # summary: the words are listed after the noun ("The melodies you keep: rising.")
    than_samples: bool = False  # keep_only / reject_only: compared with the person's samples
    counts: tuple[int, int, int] = (0, 0, 0)  # learnt_from: kept, rejected, samples

    def __post_init__(self) -> None:
        if self.kind not in EXPLANATION_KINDS and self.kind not in SUMMARY_KINDS:
            raise ValueError(f"unknown phrase kind {self.kind!r}")


@dataclass(frozen=True)
class Explanation:
    """Why one work scores as it does."""

    score: float
    nearest_kept: int
    nearest_rejected: int
    nearest_sample: int
    words: str  # english_explanation(phrases): "higher and busier than what you reject; closest to a work you kept"
    contrasts: tuple[tuple[str, str], ...]  # (feature name, "more" | "less") that drive it
    phrases: tuple[Phrase, ...] = ()  # the words as structure (explanation kinds)


@dataclass(frozen=True)
class TasteSummary:
    """What the taste model has learnt so far."""

    liked: int
    rejected: int
    samples: int
    words: tuple[str, ...]  # english(p) for each phrase: "You keep warmer, calmer paintings and reject ..."
    phrases: tuple[Phrase, ...] = ()  # the sentences as structure (summary kinds)


def noun(domain: str) -> str:
    """The English plural a summary uses for the domain's works."""
    return NOUNS.get(domain, "works")


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _list(words: Sequence[FeatureWord]) -> str:
    return ", ".join(w.word for w in words)


_FIXED = {
    CLOSEST_KEPT: "closest to a work you kept",
    CLOSEST_REJECTED: "closest to a work you rejected",
    CLOSEST_SAMPLE: "closest to one of your samples",
    NO_FEEDBACK: "no keeps or rejects yet",
    NOTHING_LEARNT: "Nothing learnt yet: keep or reject works and the studio learns what you like.",
}
_COMPARED = {THAN_REJECTED: "{a} than what you reject", LIKE_KEPT: "{a}, like what you keep",
             THAN_KEPT: "{a} than what you keep", LIKE_REJECTED: "{a}, like what you reject"}


def english(phrase: Phrase) -> str:
    """``phrase`` in English."""
    kind, name = phrase.kind, noun(phrase.domain)
    if kind in _FIXED:
        return _FIXED[kind]
    if kind in _COMPARED:
        return _COMPARED[kind].format(a=_join([w.word for w in phrase.words]))
    if kind == NO_SINGLE_FEATURE:
        return (f"What you keep and reject differs in no single feature yet: the studio goes by "
                f"which {name} they resemble.")
    if kind == KEEP_REJECT:
        kept, rejected = _list(phrase.words), _list(phrase.rejected)
        return (f"The {name} you keep: {kept}. The ones you reject: {rejected}." if phrase.listed
                else f"You keep {kept} {name} and reject {rejected} ones.")
    if kind in (KEEP_ONLY, REJECT_ONLY):
        verb, said, other = (("keep", _list(phrase.words), "Nothing rejected yet") if kind == KEEP_ONLY
                             else ("reject", _list(phrase.rejected), "Nothing kept yet"))
        if phrase.listed:
            compared = ", compared with your samples" if phrase.than_samples else ""
            return f"The {name} you {verb}{compared}: {said}. {other}."
        than = " than your samples" if phrase.than_samples else ""
        return f"You {verb} {said} {name}{than}; {other[0].lower()}{other[1:]}."
    n_kept, n_rejected, n_samples = phrase.counts  # LEARNT_FROM
    return (f"Learnt from {n_kept} kept and {n_rejected} rejected {name}"
            + (f" and {n_samples} samples." if n_samples else "."))


def english_explanation(phrases: Sequence[Phrase]) -> str:
    """An explanation's phrases in English, joined by "; " (as ``Explanation.words``)."""
    return "; ".join(english(p) for p in phrases)


def comparative(word: str) -> bool:
    """Whether a feature word reads before "than ...": "higher", "more chromatic", "lighter at the
    top" do; "rising", "ends at home" do not."""
    first = word.split()[0] if word.split() else ""
    return first in ("more", "less", "fewer", "with") or first.endswith("er")


def before_noun(word: str) -> bool:
    """Whether a feature word reads before a noun: "warmer paintings", "more muted paintings"."""
    parts = word.split()
    return (len(parts) == 1 and comparative(word)) or (len(parts) == 2 and parts[0] in ("more", "less"))


def compared(words: Sequence[FeatureWord], than: str | None, like: str) -> list[Phrase]:
    """The phrases for the words of one side of an explanation: the comparatives as ``than``
    (:data:`THAN_REJECTED` / :data:`THAN_KEPT`), the rest (all of them when ``than`` is None) as
    ``like`` (:data:`LIKE_KEPT` / :data:`LIKE_REJECTED`)."""
    comparatives = tuple(w for w in words if than and comparative(w.word))
    others = tuple(w for w in words if w not in comparatives)
    out = [Phrase(than, comparatives)] if than and comparatives else []
    return out + ([Phrase(like, others)] if others else [])
