"""The melody generator: instant and gradient adaptation, the gallery, refinement operations,
seeds (determinism, rejected seeds), cancellation, and the ``generate`` command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from studio.core.samples import Domain
from studio.domains.base import AdaptConfig
from studio.generate_cli import add_generate_arguments, run_generate
from studio.domains.melody.generator import MelodyGenerator, MelodyParams, calibration_target, work_seeds
from studio.domains.melody.representation import VOCAB, encode, is_valid
from studio.errors import AdaptationError
from studio.io.midi import read_midi, write_midi
from studio.progress import RecordingProgress

from .conftest import TINY_NAME, tune


@pytest.fixture(scope="module")
def gen(tiny_models: Path) -> MelodyGenerator:
    return MelodyGenerator(TINY_NAME, tiny_models, threads=1)


@pytest.fixture(scope="module")
def adapted(gen, samples):
    return gen.adapt(samples, AdaptConfig(steps=2, seed=0))


def complete_bars(work, bars: int) -> bool:
    tokens = encode(work.melody, work.melody.key)
    return is_valid(tokens, work.melody.time_signature) and tokens.count(VOCAB.BAR) - 1 == bars


def test_instant_and_adapt(gen, samples, adapted) -> None:
    instant = gen.instant(samples)
    assert instant.method == "instant" and instant.steps == 0 and instant.domain is Domain.MELODY
    assert adapted.steps == 2 and len(adapted.losses) == 2 and adapted.sample_digests == tuple(s.digest for s in samples)
    again = gen.adapt(samples, AdaptConfig(steps=2, seed=0))
    assert again.delta == adapted.delta  # deterministic for a seed
    more = gen.adapt(samples, AdaptConfig(steps=1), start=adapted)
    assert more.steps == 3


def test_adapt_stops_between_steps_when_cancelled(gen, samples) -> None:
    progress = RecordingProgress(stop_after_partials=1)
    result = gen.adapt(samples, AdaptConfig(steps=50), progress=progress)
    assert result.stopped_early and result.steps == 1 and progress.partials == [result.losses[0]]
    progress = RecordingProgress()
    previewed = gen.adapt(samples, AdaptConfig(steps=2), progress=progress, preview_every_s=0.0)
    assert progress.partials == list(previewed.losses)  # melodies stream losses only, no previews


def test_generate_is_deterministic_streams_and_skips_rejected_seeds(gen, samples, adapted) -> None:
    progress = RecordingProgress()
    works = gen.generate(adapted, samples, MelodyParams(bars=4), 3, seed=7, progress=progress)
    assert len(works) == 3 and progress.partials == works
    assert all(complete_bars(w, 4) for w in works)
    assert len({w.seed for w in works}) == 3
    again = gen.generate(adapted, samples, MelodyParams(bars=4), 3, seed=7)
    assert [w.melody.notes for w in again] == [w.melody.notes for w in works]
    rejected = frozenset({works[0].seed})
    fresh = gen.generate(adapted, samples, MelodyParams(bars=4), 3, seed=7, exclude_seeds=rejected)
    assert works[0].seed not in {w.seed for w in fresh}
    assert works[0].seed not in work_seeds(7, 20, rejected)


def test_controls_key_meter_and_range(gen, samples, adapted) -> None:
    from studio.core.melody import KeySignature

    params = MelodyParams(bars=4, key=KeySignature(9, "minor"), time_signature=(3, 4), lowest=60, highest=72)
    works = gen.generate(adapted, samples, params, 2, seed=1)
    for work in works:
        assert work.melody.time_signature == (3, 4) and work.melody.key == KeySignature(9, "minor")
        assert all(60 <= n.pitch <= 72 for n in work.melody.notes)
        assert complete_bars(work, 4)


def test_vary_blend_continue_regenerate(gen, samples, adapted) -> None:
    a, b = gen.generate(adapted, samples, MelodyParams(bars=4), 2, seed=3)
    variations = gen.vary(adapted, samples, a, closeness=0.9, count=2, seed=1)
    assert len(variations) == 2 and all(complete_bars(v, 4) for v in variations)
    assert all(v.provenance["parents"] == [a.id] for v in variations)
    first_bar = encode(a.melody, a.melody.key)
    assert all(encode(v.melody, v.melody.key)[:8] == first_bar[:8] for v in variations)  # motif kept
    blend = gen.blend(adapted, samples, a, b, seed=2)
    assert complete_bars(blend, 4) and blend.provenance["parents"] == [a.id, b.id]
    clip = samples[0].melody
    continued = gen.continue_clip(adapted, samples, clip, bars=2, seed=4, count=2)
    assert len(continued) == 2 and all(complete_bars(w, clip.bars + 2) for w in continued)
    assert continued[0].melody.notes[:len(clip.notes) - 1] == clip.notes[:len(clip.notes) - 1]
    regenerated = gen.regenerate_bars(adapted, samples, a, [1], seed=5)
    assert complete_bars(regenerated, 4)
    before, after = a.melody, regenerated.melody
    bar, pickup = before.bar_ticks, before.pickup
    outside = lambda m: [(n.pitch, n.start) for n in m.notes  # noqa: E731
                         if not pickup + bar <= n.start < pickup + 2 * bar]
    assert outside(before) == outside(after)
    with pytest.raises(ValueError):
        gen.regenerate_bars(adapted, samples, a, [9], seed=5)


def test_more_like_these_uses_kept_works(gen, samples, adapted) -> None:
    kept = gen.generate(adapted, samples, MelodyParams(bars=4), 2, seed=11)
    again = gen.more_like_these(samples, kept, AdaptConfig(steps=1))
    assert again.steps == 1 and again.delta != adapted.delta


def test_empty_samples_are_refused(gen) -> None:
    with pytest.raises(AdaptationError):
        gen.adapt([], AdaptConfig(steps=1))


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_generate_arguments(parser)
    return parser.parse_args(list(argv))


def test_cli_writes_midi_files_and_a_report(tiny_models: Path, tmp_path: Path) -> None:
    files = []
    for seed in (1, 2):
        path = tmp_path / f"s{seed}.mid"
        path.write_bytes(write_midi(tune(seed, bars=4)))
        files.append(str(path))
    out = tmp_path / "out"
    code = run_generate(_args("--samples", *files, "--count", "3", "--out", str(out), "--seed", "7", "--bars", "4",
                              "--model", str(tiny_models / TINY_NAME), "--budget", "20", "--threads", "1"))
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert sorted(p.name for p in out.glob("*.mid")) == ["001.mid", "002.mid", "003.mid"]
    assert len(report["seeds"]) == 3 and report["method"] == "reptile" and report["steps"] >= 1
    assert {"adaptation_seconds", "generation_seconds", "steps", "method"} <= report.keys()
    assert report["idioms"] == 0.5
    assert read_midi("001.mid", (out / "001.mid").read_bytes()).notes


def test_cli_bad_file_exits_2_naming_it(tiny_models: Path, tmp_path: Path, capsys) -> None:
    good = tmp_path / "good.mid"
    good.write_bytes(write_midi(tune(1, bars=4)))
    bad = tmp_path / "broken.mid"
    bad.write_text("not midi")
    code = run_generate(_args("--samples", str(good), str(bad), "--out", str(tmp_path / "o"),
                              "--model", str(tiny_models / TINY_NAME)))
    assert code == 2 and "broken.mid" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    code = run_generate(_args("--samples", str(good), "--out", str(tmp_path / "o"), "--idioms", "2"))
    assert code == 2 and "--idioms" in capsys.readouterr().err


def test_idioms_set_the_share_of_the_samples_patterns(gen, samples, adapted) -> None:
    own = gen.generate(adapted, samples, MelodyParams(bars=4, idioms=0.0), 3, seed=5)
    theirs = gen.generate(adapted, samples, MelodyParams(bars=4, idioms=1.0), 3, seed=5)
    assert [w.provenance["idioms"] for w in own + theirs] == [0.0] * 3 + [1.0] * 3
    assert [w.melody.notes for w in own] != [w.melody.notes for w in theirs]
    lengths = {n.duration for m in gen.style_of(samples).melodies for n in m.notes}
    written = [n.duration for w in theirs for n in w.melody.notes]
    assert sum(d in lengths for d in written) / len(written) > 0.9  # the samples' note lengths, recombined
    with pytest.raises(ValueError, match="idioms"):
        MelodyParams(idioms=1.5)


def test_density_is_calibrated_to_the_samples_in_the_chosen_meter(gen, samples, adapted) -> None:
    works = gen.generate(adapted, samples, MelodyParams(bars=4), 2, seed=3)
    offsets = {w.provenance["density_calibration"] for w in works}
    assert len(offsets) == 1 and -1.0 <= offsets.pop() <= 1.0
    in_four = encode(tune(1, bars=2))
    in_three = encode(tune(2, bars=2, meter=(3, 4)))
    assert calibration_target([in_four, in_three], (3, 4)) == [in_three]
    assert calibration_target([in_four, in_three], (6, 8)) == [in_four, in_three]  # no clip in 6/8: all


def test_a_model_trained_on_the_cache_mixture_adapts_on_it(tmp_path: Path, gen, samples) -> None:
    import torch

    from studio.domains.melody.model import MelodyNet
    from studio.domains.melody.weights import save_model

    from .conftest import TINY

    torch.manual_seed(0)
    save_model(tmp_path / "mixed", dict(MelodyNet(TINY).named_parameters()), TINY,
               {"method": "reptile", "adapt": {"lr": 0.1, "steps": 2, "clip": 5.0}, "steps": 0,
                "settings": {"cache_loss": 0.5}})
    mixed = MelodyGenerator("mixed", tmp_path)  # the same weights as ``gen``'s, other card
    assert mixed.cache_loss == 0.5 and gen.cache_loss == 0.0
    adapted = mixed.adapt(samples, AdaptConfig(steps=2, seed=0))
    assert len(adapted.losses) == 2 and all(0 < loss < 10 for loss in adapted.losses)
    assert adapted.losses[0] < gen.adapt(samples, AdaptConfig(steps=2, seed=0)).losses[0]  # the cache helps


def test_the_support_cache_is_built_only_when_sampling_needs_it(tiny_models: Path, samples) -> None:
    fresh = MelodyGenerator(TINY_NAME, tiny_models, threads=1)
    adapted = fresh.adapt(samples, AdaptConfig(steps=1, seed=0))
    style = fresh.style_of(samples)
    assert "cache" not in vars(style)  # adaptation (and "more like these") never reads it
    fresh.generate(adapted, samples, MelodyParams(bars=4), 1, seed=1)
    assert "cache" in vars(style) and style.cache is fresh.style_of(samples).cache
