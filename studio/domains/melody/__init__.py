"""The melody domain: representation, model, adaptation, sampling and evaluation.

:mod:`.representation` turns melodies into key-relative event tokens and back (with a
grammar that keeps generated bars whole); :mod:`.corpus` prepares, loads and samples the
meta-training corpus built from music21's shipped corpus (:mod:`.corpus_music21`, the only
module that needs music21). Importing this package imports nothing heavy.
"""
