"""The generator network and its style features."""

from __future__ import annotations

import pytest
import torch

from studio.domains.painting import layout as L
from studio.domains.painting.model import PaintNet, PaintNetConfig
from studio.domains.painting.style import STYLE_DIM, image_features, style_features
from tests.domains.painting.conftest import painting

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_any_size_and_aspect_ratio():
    net = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))
    style = torch.zeros(1, STYLE_DIM)
    for h, w in ((32, 32), (33, 57), (64, 20)):
        layout = torch.rand(2, 3, h, w)
        out = net(layout, net.make_noise(2, h, w, torch.Generator().manual_seed(0)), style)
        assert out.shape == (2, 3, h, w)


def test_untrained_network_starts_close_to_its_layout():
    net = PaintNet()
    layout = L.to_tensor(painting(0))
    with torch.no_grad():
        out = net(layout, net.make_noise(1, 48, 64, torch.Generator().manual_seed(0)), torch.zeros(1, STYLE_DIM))
    assert float((out - layout).abs().mean()) < 0.01


def test_style_changes_the_output_once_film_is_trained():
    net = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))
    torch.nn.init.normal_(net.film_out.weight, std=0.5)
    torch.nn.init.normal_(net.tail.weight, std=0.3)
    layout = torch.rand(1, 3, 16, 16)
    noise = net.make_noise(1, 16, 16, torch.Generator().manual_seed(0))
    with torch.no_grad():
        a = net(layout, noise, torch.zeros(1, STYLE_DIM))
        b = net(layout, noise, torch.ones(1, STYLE_DIM))
    assert not torch.allclose(a, b)


def test_style_features_have_fixed_size_and_tell_styles_apart():
    f1 = image_features(L.to_tensor(painting(1)))
    assert f1.shape == (STYLE_DIM,) and torch.isfinite(f1).all()
    same = style_features([L.to_tensor(painting(1))])
    other = style_features([L.to_tensor(painting(7))])
    assert torch.allclose(same, f1)
    assert not torch.allclose(same, other)
    with pytest.raises(ValueError):
        style_features([])


def test_config_round_trips_through_a_dict():
    cfg = PaintNetConfig(channels=12)
    assert PaintNetConfig.from_dict({**cfg.to_dict(), "unknown": 3}) == cfg


def test_noise_is_seeded_white_noise_of_the_network_shapes():
    net = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))
    a = net.make_noise(1, 32, 30, torch.Generator().manual_seed(0))
    b = net.make_noise(1, 32, 30, torch.Generator().manual_seed(0))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert tuple(a[0].shape[1:]) == (2, 32, 30) and tuple(a[1].shape[1:]) == (1, 16, 15)
    full = a[0]
    assert abs(float(full.std()) - 1.0) < 0.1 and abs(float((full[..., 1:] * full[..., :-1]).mean())) < 0.1


@pytest.mark.parametrize("field", ["style_norm", "noise_smoothing"])
def test_a_card_of_a_network_with_a_removed_experiment_is_refused_with_a_pointer(field: str):
    """Style normalisation and smoothed noise did not ship and were removed (research/README.md);
    old cards say so, and a card that names them switched off still loads."""
    assert PaintNetConfig.from_dict({"channels": 8, field: 0}).channels == 8
    with pytest.raises(ValueError, match=f"{field}.*research/README.md"):
        PaintNetConfig.from_dict({"channels": 8, field: 1})
