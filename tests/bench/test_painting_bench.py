"""A tiny end-to-end run of ``bench painting`` on a synthetic held-out 'artist'."""

from __future__ import annotations

import argparse

import numpy as np
import pytest
import torch

from studio.bench import painting as bench
from tests.bench.test_painting_calibration import make_artist

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_quick_run_scores_every_method(tmp_path):
    # The budget covers adaptation's set-up, and a process's first Adam imports torch._dynamo
    # (1.5-3 s here): pay it first, as the app does at start-up, so the budget buys steps.
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])
    make_artist(tmp_path, "alpha", ((200, 50, 40), (240, 220, 200)))
    args = parsed("--data", str(tmp_path), "--artists", "alpha", "--quick", "--threads", "1",
                  "--budget", "1.0", "--long-budget", "1.5", "--patches", "256", "--timing-runs", "1",
                  "--early-stopping", "off",  # so that the kept weights are the last steps' (a step count > 0)
                  "--copy-guard", "off",  # one guard pass takes longer than this budget, which adaptation now holds
                  "--methods", "meta", "instant", "multitask", "scratch", "scratch_long", "genuine", "crops_resized",
                  "--sheet", str(tmp_path / "sheet.png"))
    result = bench.run(args)
    rows = {row["method"]: row for row in result["rows"]}
    assert set(rows) == set(args.methods)
    assert rows["instant"]["steps"] == 0 and rows["meta"]["steps"] >= 1
    for row in rows.values():
        assert np.isfinite(row["swd_ratio"]) and 0 <= row["copy"] <= 1
    assert result["meta_vs_scratch_long"]["tasks"] == 1
    assert result["preview_timing"]["first_painting_s"] > 0
    assert any(line.startswith("instant preview") for line in result["table"])
    assert (tmp_path / "sheet.png").is_file()
    assert result["table"][0].startswith("painting: alpha")


def test_texture_brushwork_and_composition_reach_the_trained_rows(tmp_path, monkeypatch):
    make_artist(tmp_path, "alpha", ((200, 50, 40), (240, 220, 200)))
    seen = []
    original = bench.PaintingGenerator.generate

    def spy(self, adapted, samples, params, *rest, **kw):
        seen.append((params.texture, params.brushwork, params.composition))
        return original(self, adapted, samples, params, *rest, **kw)
    monkeypatch.setattr(bench.PaintingGenerator, "generate", spy)
    result = bench.run(parsed("--data", str(tmp_path), "--artists", "alpha", "--quick", "--threads", "1",
                              "--patches", "256", "--methods", "instant", "--texture", "0.5",
                              "--brushwork", "0.25", "--composition", "0.75"))
    assert seen == [(0.5, 0.25, 0.75)] and result["texture"] == 0.5 and result["brushwork"] == 0.25
    assert result["composition"] == 0.75


def test_scratch_adapts_by_the_meta_cards_procedure(tmp_path):
    args = parsed("--methods", "meta", "multitask", "scratch")
    generators = bench._generators(args, tmp_path)
    assert {g.early_stopping for g in generators.values()} == {True}  # scratch follows the meta card
    args.early_stopping = "off"
    assert not any(g.early_stopping for g in bench._generators(args, tmp_path / "off").values())


def test_the_copy_guard_follows_the_cards_unless_told(tmp_path):
    args = parsed("--methods", "meta", "multitask", "scratch")
    assert {g.copy_guard for g in bench._generators(args, tmp_path).values()} == {True}
    args.copy_guard = "off"
    assert not any(g.copy_guard for g in bench._generators(args, tmp_path / "off").values())
    assert parsed("--copy-guard", "on").copy_guard == "on"


def test_the_check_margin_follows_the_cards_unless_told(tmp_path):
    import json

    from studio.model_registry import MODELS_DIR

    card = json.loads((MODELS_DIR / "painting-reptile.json").read_text())["adapt"].get("check_margin", 0.0)
    args = parsed("--methods", "meta", "multitask", "scratch")
    assert {g.check_margin for g in bench._generators(args, tmp_path).values()} == {card}  # scratch: the meta card's
    args.check_margin = 0.1
    assert {g.check_margin for g in bench._generators(args, tmp_path / "told").values()} == {0.1}
    assert parsed("--check-margin", "0.05").check_margin == 0.05


def test_the_conditioning_ablations_run_on_request_without_a_step(tmp_path, monkeypatch):
    import torch

    from studio.errors import StudioError

    make_artist(tmp_path, "alpha", ((200, 50, 40), (240, 220, 200)))
    with pytest.raises(StudioError):  # no training artist: no average style to condition on
        bench.average_training_style(tmp_path, 0)
    make_artist(tmp_path, "monet", ((20, 60, 200), (90, 200, 90)))
    conditioned = []
    original = bench.PaintingGenerator.instant

    def spy(self, samples, features=None):
        conditioned.append((self.model_name, None if features is None else features.clone()))
        return original(self, samples, features)
    monkeypatch.setattr(bench.PaintingGenerator, "instant", spy)
    assert "unadapted" not in bench.DEFAULT_METHODS and "multitask_instant" not in bench.DEFAULT_METHODS
    result = bench.run(parsed("--data", str(tmp_path), "--artists", "alpha", "--quick", "--threads", "1",
                              "--patches", "256", "--methods", "unadapted", "multitask_instant"))
    rows = {row["method"]: row for row in result["rows"]}
    assert set(rows) == {"unadapted", "multitask_instant"} and all(r["steps"] == 0 for r in rows.values())
    average = bench.average_training_style(tmp_path, 0)
    assert conditioned[0][0] == "painting-reptile" and torch.allclose(conditioned[0][1], average)
    assert conditioned[1] == ("painting-multitask", None)  # the samples' own features


def test_the_removed_meta_sgd_row_is_not_offered():
    """The painting Meta-SGD did not ship and was removed (research/README.md): no row, no model."""
    assert "metasgd" not in bench.METHODS and "painting-metasgd" not in bench.TRAINED.values()
    with pytest.raises(SystemExit):
        parsed("--methods", "metasgd")
