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


def test_smoothed_noise_is_seeded_unit_variance_and_correlated():
    net = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1, noise_smoothing=2))
    a = net.make_noise(1, 32, 32, torch.Generator().manual_seed(0))
    b = net.make_noise(1, 32, 32, torch.Generator().manual_seed(0))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    full = a[0]
    assert abs(float(full.std()) - 1.0) < 0.1
    neighbours = float((full[..., 1:] * full[..., :-1]).mean())
    white = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1)).make_noise(
        1, 32, 32, torch.Generator().manual_seed(0))[0]
    assert neighbours > 0.5 > abs(float((white[..., 1:] * white[..., :-1]).mean()))


def test_style_norm_standardises_clips_and_never_learns_its_statistics():
    from studio.domains.painting.model import MIN_STYLE_SCALE, STYLE_CLIP

    net = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1, style_norm=1))
    features = torch.rand(50, STYLE_DIM) * torch.linspace(0.0, 3.0, STYLE_DIM) - 4.0  # feature 0 constant
    net.set_style_statistics(features)
    assert torch.allclose(net.normalised_style(features.mean(0, keepdim=True)), torch.zeros(1, STYLE_DIM), atol=1e-5)
    z = net.normalised_style(features)
    assert torch.allclose(z[:, 1:].std(0, unbiased=False), torch.ones(STYLE_DIM - 1), atol=1e-4)
    assert float(net.style_scale[0]) == pytest.approx(MIN_STYLE_SCALE)
    far = features.mean(0, keepdim=True) + 100.0
    assert torch.equal(net.normalised_style(far), torch.full((1, STYLE_DIM), STYLE_CLIP))
    torch.nn.init.normal_(net.film_out.weight, std=0.5)
    layout = torch.rand(1, 3, 16, 16)
    out = net(layout, net.make_noise(1, 16, 16, torch.Generator().manual_seed(0)), features[:1])
    out.mean().backward()
    assert net.style_mean.grad is None and net.style_scale.grad is None and net.film_in.weight.grad is not None
    plain = PaintNet(PaintNetConfig(channels=8, fine_channels=4, blocks=1))
    assert plain.normalised_style(far) is far and "style_mean" not in dict(plain.named_parameters())
    with pytest.raises(ValueError, match="style_norm"):
        plain.set_style_statistics(features)
