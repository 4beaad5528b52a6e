"""The taste model's phrases in the window's language.

The engine says why a work scores as it does and what it has learnt as structure
(:class:`studio.taste.words.Phrase`: a phrase kind, the features it names with their directions,
the domain, the counts). :func:`say` puts one phrase into words through Qt's translation: a
template per kind (and per form, where English needs two) and a translated word per feature and
direction (:data:`FEATURE_WORDS`, the words of :mod:`studio.taste.melody_features` and
:mod:`studio.taste.painting_features`). In English the window says exactly what
:func:`studio.taste.words.english` writes for the CLI's report. A feature this table does not know
(a newer engine's) is said with the engine's English word.
"""

from __future__ import annotations

from collections.abc import Sequence

from studio.taste import words as kinds
from studio.taste.words import FeatureWord, Phrase
from studio.ui.i18n import QT_TRANSLATE_NOOP, translate

# The words of the domains' interpretable features (studio/taste/*_features.py: FeatureSpec.more /
# less), marked for translation: (feature, "more" | "less") -> the English word.
FEATURE_WORDS: dict[tuple[str, str], str] = {
    ("register", "more"): QT_TRANSLATE_NOOP("TasteWords", "higher"),
    ("register", "less"): QT_TRANSLATE_NOOP("TasteWords", "lower"),
    ("range", "more"): QT_TRANSLATE_NOOP("TasteWords", "wider"),
    ("range", "less"): QT_TRANSLATE_NOOP("TasteWords", "narrower"),
    ("density", "more"): QT_TRANSLATE_NOOP("TasteWords", "busier"),
    ("density", "less"): QT_TRANSLATE_NOOP("TasteWords", "calmer"),
    ("steps", "more"): QT_TRANSLATE_NOOP("TasteWords", "smoother"),
    ("steps", "less"): QT_TRANSLATE_NOOP("TasteWords", "jumpier"),
    ("leaps", "more"): QT_TRANSLATE_NOOP("TasteWords", "leapier"),
    ("leaps", "less"): QT_TRANSLATE_NOOP("TasteWords", "with fewer leaps"),
    ("syncopation", "more"): QT_TRANSLATE_NOOP("TasteWords", "more syncopated"),
    ("syncopation", "less"): QT_TRANSLATE_NOOP("TasteWords", "squarer"),
    ("rests", "more"): QT_TRANSLATE_NOOP("TasteWords", "airier"),
    ("rests", "less"): QT_TRANSLATE_NOOP("TasteWords", "more continuous"),
    ("ending", "more"): QT_TRANSLATE_NOOP("TasteWords", "ends at home"),
    ("ending", "less"): QT_TRANSLATE_NOOP("TasteWords", "ends open"),
    ("contour", "more"): QT_TRANSLATE_NOOP("TasteWords", "rising"),
    ("contour", "less"): QT_TRANSLATE_NOOP("TasteWords", "falling"),
    ("repetition", "more"): QT_TRANSLATE_NOOP("TasteWords", "more repetitive"),
    ("repetition", "less"): QT_TRANSLATE_NOOP("TasteWords", "more varied"),
    ("chromatic", "more"): QT_TRANSLATE_NOOP("TasteWords", "more chromatic"),
    ("chromatic", "less"): QT_TRANSLATE_NOOP("TasteWords", "more diatonic"),
    ("rhythm", "more"): QT_TRANSLATE_NOOP("TasteWords", "more varied in rhythm"),
    ("rhythm", "less"): QT_TRANSLATE_NOOP("TasteWords", "plainer in rhythm"),
    ("brightness", "more"): QT_TRANSLATE_NOOP("TasteWords", "brighter"),
    ("brightness", "less"): QT_TRANSLATE_NOOP("TasteWords", "darker"),
    ("contrast", "more"): QT_TRANSLATE_NOOP("TasteWords", "more contrasted"),
    ("contrast", "less"): QT_TRANSLATE_NOOP("TasteWords", "softer"),
    ("saturation", "more"): QT_TRANSLATE_NOOP("TasteWords", "more saturated"),
    ("saturation", "less"): QT_TRANSLATE_NOOP("TasteWords", "more muted"),
    ("warmth", "more"): QT_TRANSLATE_NOOP("TasteWords", "warmer"),
    ("warmth", "less"): QT_TRANSLATE_NOOP("TasteWords", "cooler"),
    ("busyness", "more"): QT_TRANSLATE_NOOP("TasteWords", "busier"),
    ("busyness", "less"): QT_TRANSLATE_NOOP("TasteWords", "calmer"),
    ("fine_detail", "more"): QT_TRANSLATE_NOOP("TasteWords", "more finely detailed"),
    ("fine_detail", "less"): QT_TRANSLATE_NOOP("TasteWords", "more broadly painted"),
    ("sky", "more"): QT_TRANSLATE_NOOP("TasteWords", "lighter at the top"),
    ("sky", "less"): QT_TRANSLATE_NOOP("TasteWords", "lighter at the bottom"),
    ("shadow", "more"): QT_TRANSLATE_NOOP("TasteWords", "more shadowed"),
    ("shadow", "less"): QT_TRANSLATE_NOOP("TasteWords", "less shadowed"),
    ("hue_spread", "more"): QT_TRANSLATE_NOOP("TasteWords", "more colourful"),
    ("hue_spread", "less"): QT_TRANSLATE_NOOP("TasteWords", "more unified in colour"),
    ("greenness", "more"): QT_TRANSLATE_NOOP("TasteWords", "greener"),
    ("greenness", "less"): QT_TRANSLATE_NOOP("TasteWords", "less green"),
    ("blueness", "more"): QT_TRANSLATE_NOOP("TasteWords", "bluer"),
    ("blueness", "less"): QT_TRANSLATE_NOOP("TasteWords", "less blue"),
    ("centred", "more"): QT_TRANSLATE_NOOP("TasteWords", "more centred"),
    ("centred", "less"): QT_TRANSLATE_NOOP("TasteWords", "more spread out"),
    ("horizontal", "more"): QT_TRANSLATE_NOOP("TasteWords", "more horizontal"),
    ("horizontal", "less"): QT_TRANSLATE_NOOP("TasteWords", "more vertical"),
}

_NOUNS = {"melody": QT_TRANSLATE_NOOP("TasteWords", "melodies"), "painting": QT_TRANSLATE_NOOP("TasteWords", "paintings")}
_WORKS = QT_TRANSLATE_NOOP("TasteWords", "works")
_COMMA = QT_TRANSLATE_NOOP("TasteWords", ", ")
_AND = QT_TRANSLATE_NOOP("TasteWords", " and ")
_SEMICOLON = QT_TRANSLATE_NOOP("TasteWords", "; ")  # between an explanation's phrases

# kind -> template; KEEP_REJECT, KEEP_ONLY and REJECT_ONLY have one per form: (listed, than_samples)
_FIXED = {
    kinds.CLOSEST_KEPT: QT_TRANSLATE_NOOP("TasteWords", "closest to a work you kept"),
    kinds.CLOSEST_REJECTED: QT_TRANSLATE_NOOP("TasteWords", "closest to a work you rejected"),
    kinds.CLOSEST_SAMPLE: QT_TRANSLATE_NOOP("TasteWords", "closest to one of your samples"),
    kinds.NO_FEEDBACK: QT_TRANSLATE_NOOP("TasteWords", "no keeps or rejects yet"),
    kinds.NOTHING_LEARNT: QT_TRANSLATE_NOOP(
        "TasteWords", "Nothing learnt yet: keep or reject works and the studio learns what you like."),
}
_COMPARED = {
    kinds.THAN_REJECTED: QT_TRANSLATE_NOOP("TasteWords", "{a} than what you reject"),
    kinds.LIKE_KEPT: QT_TRANSLATE_NOOP("TasteWords", "{a}, like what you keep"),
    kinds.THAN_KEPT: QT_TRANSLATE_NOOP("TasteWords", "{a} than what you keep"),
    kinds.LIKE_REJECTED: QT_TRANSLATE_NOOP("TasteWords", "{a}, like what you reject"),
}
_SIDED = {
    (kinds.KEEP_REJECT, False, False): QT_TRANSLATE_NOOP("TasteWords", "You keep {a} {noun} and reject {b} ones."),
    (kinds.KEEP_REJECT, True, False): QT_TRANSLATE_NOOP("TasteWords", "The {noun} you keep: {a}. The ones you reject: {b}."),
    (kinds.KEEP_ONLY, False, False): QT_TRANSLATE_NOOP("TasteWords", "You keep {a} {noun}; nothing rejected yet."),
    (kinds.KEEP_ONLY, False, True): QT_TRANSLATE_NOOP(
        "TasteWords", "You keep {a} {noun} than your samples; nothing rejected yet."),
    (kinds.KEEP_ONLY, True, False): QT_TRANSLATE_NOOP("TasteWords", "The {noun} you keep: {a}. Nothing rejected yet."),
    (kinds.KEEP_ONLY, True, True): QT_TRANSLATE_NOOP(
        "TasteWords", "The {noun} you keep, compared with your samples: {a}. Nothing rejected yet."),
    (kinds.REJECT_ONLY, False, False): QT_TRANSLATE_NOOP("TasteWords", "You reject {b} {noun}; nothing kept yet."),
    (kinds.REJECT_ONLY, False, True): QT_TRANSLATE_NOOP(
        "TasteWords", "You reject {b} {noun} than your samples; nothing kept yet."),
    (kinds.REJECT_ONLY, True, False): QT_TRANSLATE_NOOP("TasteWords", "The {noun} you reject: {b}. Nothing kept yet."),
    (kinds.REJECT_ONLY, True, True): QT_TRANSLATE_NOOP(
        "TasteWords", "The {noun} you reject, compared with your samples: {b}. Nothing kept yet."),
}
_NO_SINGLE_FEATURE = QT_TRANSLATE_NOOP(
    "TasteWords", "What you keep and reject differs in no single feature yet: the studio goes by which {noun} they "
    "resemble.")
_LEARNT = QT_TRANSLATE_NOOP("TasteWords", "Learnt from {k} kept and {r} rejected {noun}.")
_LEARNT_SAMPLES = QT_TRANSLATE_NOOP("TasteWords", "Learnt from {k} kept and {r} rejected {noun} and {s} samples.")


def _tr(text: str) -> str:
    return translate("TasteWords", text)


def feature_word(word: FeatureWord) -> str:
    """One feature word in the window's language ("higher"); a feature the window does not know
    keeps the engine's English word."""
    known = FEATURE_WORDS.get((word.feature, word.direction))
    return _tr(known) if known is not None else word.word


def word_list(words: Sequence[FeatureWord], last: str = _AND) -> str:
    """Feature words joined as a list: "higher, busier and wider" (``last`` joins the last two;
    a summary lists them all with commas)."""
    said = [feature_word(w) for w in words]
    if len(said) <= 1:
        return "".join(said)
    return _tr(_COMMA).join(said[:-1]) + _tr(last) + said[-1]


def domain_noun(domain: str) -> str:
    """The plural a phrase uses for the domain's works, in the window's language."""
    return _tr(_NOUNS.get(domain, _WORKS))


def say(phrase: Phrase) -> str:
    """One phrase of the engine in the window's language."""
    kind = phrase.kind
    if kind in _FIXED:
        return _tr(_FIXED[kind])
    if kind in _COMPARED:
        return _tr(_COMPARED[kind]).format(a=word_list(phrase.words))
    noun = domain_noun(phrase.domain)
    if kind == kinds.NO_SINGLE_FEATURE:
        return _tr(_NO_SINGLE_FEATURE).format(noun=noun)
    if kind == kinds.LEARNT_FROM:
        k, r, s = phrase.counts
        return (_tr(_LEARNT_SAMPLES) if s else _tr(_LEARNT)).format(k=k, r=r, s=s, noun=noun)
    template = _SIDED.get((kind, phrase.listed, phrase.than_samples))
    if template is None:  # not a kind this window knows: the engine's English
        return kinds.english(phrase)
    return _tr(template).format(a=word_list(phrase.words, _COMMA), b=word_list(phrase.rejected, _COMMA), noun=noun)


def summary_words(phrases: Sequence[Phrase]) -> tuple[str, ...]:
    """A summary's sentences in the window's language."""
    return tuple(say(p) for p in phrases)


def explanation_words(phrases: Sequence[Phrase]) -> str:
    """An explanation's phrases in the window's language, joined ("Warmer than what you reject;
    closest to a work you kept"); the first letter capitalised."""
    said = _tr(_SEMICOLON).join(say(p) for p in phrases)
    return said[:1].upper() + said[1:]
