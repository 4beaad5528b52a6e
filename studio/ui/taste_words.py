"""The taste model's sentences in the window's language.

The engine explains a taste in English sentences built from a few templates ("You keep higher,
busier melodies and reject lower, calmer ones."; "warmer than what you reject; closest to a work
you kept") with the feature words of :mod:`studio.taste.melody_features` and
:mod:`studio.taste.painting_features`. :func:`summary_words` and :func:`explanation_words` read
each sentence against those templates and say it again through Qt's translation (in English, the
same sentence); a sentence they do not recognise is shown as the engine wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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

_ENGLISH = {word: word for word in FEATURE_WORDS.values()}
_NOUNS = {"melodies": QT_TRANSLATE_NOOP("TasteWords", "melodies"),
          "paintings": QT_TRANSLATE_NOOP("TasteWords", "paintings"), "works": QT_TRANSLATE_NOOP("TasteWords", "works")}
_LIST = re.compile(r"(, | and )")
_SEPARATORS = {", ": QT_TRANSLATE_NOOP("TasteWords", ", "), " and ": QT_TRANSLATE_NOOP("TasteWords", " and ")}


def word_list(text: str) -> str | None:
    """"higher, busier and wider" in the window's language (its separators kept); None when a
    word is not a feature word."""
    parts = _LIST.split(text.strip())
    words, separators = parts[::2], parts[1::2]
    if not words or any(w not in _ENGLISH for w in words):
        return None
    said = [translate("TasteWords", words[0])]
    for separator, word in zip(separators, words[1:]):
        said += [translate("TasteWords", _SEPARATORS[separator]), translate("TasteWords", word)]
    return "".join(said)


def _noun(text: str) -> str | None:
    return translate("TasteWords", _NOUNS[text]) if text in _NOUNS else None


_SUMMARY = [  # (pattern, English template) for the summary's sentences
    (re.compile(r"You keep (?P<a>.+) (?P<noun>melodies|paintings|works) and reject (?P<b>.+) ones\."),
     QT_TRANSLATE_NOOP("TasteWords", "You keep {a} {noun} and reject {b} ones.")),
    (re.compile(r"You keep (?P<a>.+) (?P<noun>melodies|paintings|works) than your samples; nothing rejected yet\."),
     QT_TRANSLATE_NOOP("TasteWords", "You keep {a} {noun} than your samples; nothing rejected yet.")),
    (re.compile(r"You keep (?P<a>.+) (?P<noun>melodies|paintings|works); nothing rejected yet\."),
     QT_TRANSLATE_NOOP("TasteWords", "You keep {a} {noun}; nothing rejected yet.")),
    (re.compile(r"You reject (?P<b>.+) (?P<noun>melodies|paintings|works) than your samples; nothing kept yet\."),
     QT_TRANSLATE_NOOP("TasteWords", "You reject {b} {noun} than your samples; nothing kept yet.")),
    (re.compile(r"You reject (?P<b>.+) (?P<noun>melodies|paintings|works); nothing kept yet\."),
     QT_TRANSLATE_NOOP("TasteWords", "You reject {b} {noun}; nothing kept yet.")),
    (re.compile(r"The (?P<noun>melodies|paintings|works) you keep: (?P<a>.+)\. The ones you reject: (?P<b>.+)\."),
     QT_TRANSLATE_NOOP("TasteWords", "The {noun} you keep: {a}. The ones you reject: {b}.")),
    (re.compile(r"The (?P<noun>melodies|paintings|works) you keep, compared with your samples: (?P<a>.+)\. "
                r"Nothing rejected yet\."),
     QT_TRANSLATE_NOOP("TasteWords", "The {noun} you keep, compared with your samples: {a}. Nothing rejected yet.")),
    (re.compile(r"The (?P<noun>melodies|paintings|works) you keep: (?P<a>.+)\. Nothing rejected yet\."),
     QT_TRANSLATE_NOOP("TasteWords", "The {noun} you keep: {a}. Nothing rejected yet.")),
    (re.compile(r"The (?P<noun>melodies|paintings|works) you reject, compared with your samples: (?P<b>.+)\. "
                r"Nothing kept yet\."),
     QT_TRANSLATE_NOOP("TasteWords", "The {noun} you reject, compared with your samples: {b}. Nothing kept yet.")),
    (re.compile(r"The (?P<noun>melodies|paintings|works) you reject: (?P<b>.+)\. Nothing kept yet\."),
     QT_TRANSLATE_NOOP("TasteWords", "The {noun} you reject: {b}. Nothing kept yet.")),
    (re.compile(r"What you keep and reject differs in no single feature yet: the studio goes by which "
                r"(?P<noun>melodies|paintings|works) they resemble\."),
     QT_TRANSLATE_NOOP("TasteWords", "What you keep and reject differs in no single feature yet: the studio goes "
                       "by which {noun} they resemble.")),
    (re.compile(r"Learnt from (?P<k>\d+) kept and (?P<r>\d+) rejected (?P<noun>melodies|paintings|works) and "
                r"(?P<s>\d+) samples\."),
     QT_TRANSLATE_NOOP("TasteWords", "Learnt from {k} kept and {r} rejected {noun} and {s} samples.")),
    (re.compile(r"Learnt from (?P<k>\d+) kept and (?P<r>\d+) rejected (?P<noun>melodies|paintings|works)\."),
     QT_TRANSLATE_NOOP("TasteWords", "Learnt from {k} kept and {r} rejected {noun}.")),
    (re.compile(r"Nothing learnt yet: keep or reject works and the studio learns what you like\."),
     QT_TRANSLATE_NOOP("TasteWords", "Nothing learnt yet: keep or reject works and the studio learns what you like.")),
]

_PHRASES = [  # the explanation's phrases (joined by "; ")
    (re.compile(r"(?P<a>.+) than what you reject"), QT_TRANSLATE_NOOP("TasteWords", "{a} than what you reject")),
    (re.compile(r"(?P<a>.+), like what you keep"), QT_TRANSLATE_NOOP("TasteWords", "{a}, like what you keep")),
    (re.compile(r"(?P<a>.+) than what you keep"), QT_TRANSLATE_NOOP("TasteWords", "{a} than what you keep")),
    (re.compile(r"(?P<a>.+), like what you reject"), QT_TRANSLATE_NOOP("TasteWords", "{a}, like what you reject")),
    (re.compile(r"closest to a work you kept"), QT_TRANSLATE_NOOP("TasteWords", "closest to a work you kept")),
    (re.compile(r"closest to a work you rejected"), QT_TRANSLATE_NOOP("TasteWords", "closest to a work you rejected")),
    (re.compile(r"closest to one of your samples"), QT_TRANSLATE_NOOP("TasteWords", "closest to one of your samples")),
    (re.compile(r"no keeps or rejects yet"), QT_TRANSLATE_NOOP("TasteWords", "no keeps or rejects yet")),
]


def _say(text: str, patterns: Sequence[tuple[re.Pattern[str], str]]) -> str:
    """``text`` in the window's language when it matches one of ``patterns``, else as it is."""
    for pattern, template in patterns:
        match = pattern.fullmatch(text.strip())
        if match is None:
            continue
        values: dict[str, str] = {}
        for key, value in match.groupdict().items():
            said = _noun(value) if key == "noun" else word_list(value) if key in ("a", "b") else value
            if said is None:
                break
            values[key] = said
        else:
            return translate("TasteWords", template).format(**values)
    return text


def summary_words(sentences: Sequence[str]) -> tuple[str, ...]:
    """The summary's sentences in the window's language."""
    return tuple(_say(s, _SUMMARY) for s in sentences)


def explanation_words(words: str) -> str:
    """An explanation's words ("warmer than what you reject; closest to a work you kept") in the
    window's language; the first letter capitalised."""
    said = translate("TasteWords", "; ").join(_say(p, _PHRASES) for p in words.split("; ") if p.strip())
    return said[:1].upper() + said[1:]
