"""Every kind and form of the taste model's phrases with the English the studio has always written
for it (torch-free: the window's tests say the same phrases in English and in Chinese)."""

from __future__ import annotations

from studio.taste import melody_features, painting_features
from studio.taste import words as w
from studio.taste.features import FeatureSpec
from studio.taste.words import FeatureWord, Phrase


def fw(spec: FeatureSpec, name: str, direction: str) -> FeatureWord:
    i = spec.names.index(name)
    return FeatureWord(name, direction, spec.more[i] if direction == "more" else spec.less[i])


M, P = melody_features.SPEC, painting_features.SPEC
HIGHER, BUSIER, LOWER, CALMER = fw(M, "register", "more"), fw(M, "density", "more"), fw(M, "register", "less"), \
    fw(M, "density", "less")
HOME, OPEN, RISING = fw(M, "ending", "more"), fw(M, "ending", "less"), fw(M, "contour", "more")
FEWER_LEAPS = fw(M, "leaps", "less")
WARMER, DARKER, CENTRED = fw(P, "warmth", "more"), fw(P, "brightness", "less"), fw(P, "centred", "more")

# Every kind and form, with the sentence the studio wrote before the words became structure
# (copied from the English the earlier sentence-building code produced for random taste models).
ENGLISH = [
    (Phrase(w.THAN_REJECTED, (HIGHER, BUSIER)), "higher and busier than what you reject"),
    (Phrase(w.THAN_REJECTED, (HIGHER,)), "higher than what you reject"),
    (Phrase(w.LIKE_KEPT, (HOME,)), "ends at home, like what you keep"),
    (Phrase(w.LIKE_KEPT, (HIGHER, RISING)), "higher and rising, like what you keep"),
    (Phrase(w.THAN_KEPT, (LOWER,)), "lower than what you keep"),
    (Phrase(w.LIKE_REJECTED, (OPEN, RISING)), "ends open and rising, like what you reject"),
    (Phrase(w.CLOSEST_KEPT), "closest to a work you kept"),
    (Phrase(w.CLOSEST_REJECTED), "closest to a work you rejected"),
    (Phrase(w.CLOSEST_SAMPLE), "closest to one of your samples"),
    (Phrase(w.NO_FEEDBACK), "no keeps or rejects yet"),
    (Phrase(w.NOTHING_LEARNT, domain="melody"),
     "Nothing learnt yet: keep or reject works and the studio learns what you like."),
    (Phrase(w.NO_SINGLE_FEATURE, domain="melody"),
     "What you keep and reject differs in no single feature yet: the studio goes by which melodies they resemble."),
    (Phrase(w.NO_SINGLE_FEATURE, domain="other"),
     "What you keep and reject differs in no single feature yet: the studio goes by which works they resemble."),
    (Phrase(w.KEEP_REJECT, (HIGHER, BUSIER), (LOWER, CALMER), "melody"),
     "You keep higher, busier melodies and reject lower, calmer ones."),
    (Phrase(w.KEEP_REJECT, (HIGHER, HOME), (LOWER, OPEN), "melody", listed=True),
     "The melodies you keep: higher, ends at home. The ones you reject: lower, ends open."),
    (Phrase(w.KEEP_ONLY, (WARMER,), (), "painting"), "You keep warmer paintings; nothing rejected yet."),
    (Phrase(w.KEEP_ONLY, (WARMER, DARKER), (), "painting", than_samples=True),
     "You keep warmer, darker paintings than your samples; nothing rejected yet."),
    (Phrase(w.KEEP_ONLY, (CENTRED, OPEN), (), "painting", listed=True),
     "The paintings you keep: more centred, ends open. Nothing rejected yet."),
    (Phrase(w.KEEP_ONLY, (CENTRED,), (), "painting", listed=True, than_samples=True),
     "The paintings you keep, compared with your samples: more centred. Nothing rejected yet."),
    (Phrase(w.REJECT_ONLY, (), (DARKER,), "painting"), "You reject darker paintings; nothing kept yet."),
    (Phrase(w.REJECT_ONLY, (), (DARKER,), "painting", than_samples=True),
     "You reject darker paintings than your samples; nothing kept yet."),
    (Phrase(w.REJECT_ONLY, (), (FEWER_LEAPS,), "melody", listed=True),
     "The melodies you reject: with fewer leaps. Nothing kept yet."),
    (Phrase(w.REJECT_ONLY, (), (OPEN, RISING), "melody", listed=True, than_samples=True),
     "The melodies you reject, compared with your samples: ends open, rising. Nothing kept yet."),
    (Phrase(w.LEARNT_FROM, domain="melody", counts=(3, 2, 4)), "Learnt from 3 kept and 2 rejected melodies and 4 samples."),
    (Phrase(w.LEARNT_FROM, domain="painting", counts=(1, 0, 0)), "Learnt from 1 kept and 0 rejected paintings."),
]
