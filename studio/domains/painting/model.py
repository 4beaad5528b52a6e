"""The painting generator network: paints detail over a coarse layout, in a given style.

``PaintNet(layout, noise, style)`` is fully convolutional (any size and aspect ratio):

* a full-resolution head reads the layout and a noise map,
* residual blocks at half resolution, each with its own injected noise (the stochastic
  detail, as in StyleGAN) and FiLM scales and shifts computed from the style features by a
  small MLP (the conditioning that gives an instant preview with no gradient step),
* a full-resolution tail, skip-connected to the head, adds a residual to the layout.

The FiLM MLP's last layer starts at zero, so an untrained network is the identity FiLM. With
``style_norm`` the features are first standardised with statistics of the training tasks (they
differ between painters by a few hundredths while some sit at -3 to -7 for every painter).
About 132k parameters (a third of them the FiLM MLP): 1.8 GFLOP per 256x256 image, sized for a 2-core CPU.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from studio.domains.painting.losses import blur
from studio.domains.painting.style import STYLE_DIM

MIN_STYLE_SCALE = 0.01  # style_norm: spreads below this (constant features) are taken as this
STYLE_CLIP = 5.0  # style_norm: standardised features are clipped to this many spreads


@dataclass(frozen=True)
class PaintNetConfig:
    channels: int = 32  # width of the half-resolution blocks
    fine_channels: int = 16  # width of the full-resolution head and tail
    blocks: int = 4  # residual blocks at half resolution
    noise_channels: int = 2  # noise maps fed to the head
    style_dim: int = STYLE_DIM
    film_hidden: int = 128
    noise_smoothing: int = 0  # binomial blur passes over the noise maps (0: white noise per pixel)
    style_norm: int = 0  # 1: standardise the style features (training tasks' mean and spread) before FiLM

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> PaintNetConfig:
        known = {k: int(v) for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class PaintNet(nn.Module):
    def __init__(self, config: PaintNetConfig = PaintNetConfig()) -> None:
        super().__init__()
        self.config = config
        c, f = config.channels, config.fine_channels
        self.head = nn.Conv2d(3 + config.noise_channels, f, 3, padding=1, padding_mode="reflect")
        self.down = nn.Conv2d(f, c, 3, stride=2, padding=1, padding_mode="reflect")
        self.conv_a = nn.ModuleList(nn.Conv2d(c, c, 3, padding=1, padding_mode="reflect") for _ in range(config.blocks))
        self.conv_b = nn.ModuleList(nn.Conv2d(c, c, 3, padding=1, padding_mode="reflect") for _ in range(config.blocks))
        self.noise_gain = nn.Parameter(torch.full((config.blocks, c), 0.1))
        self.up = nn.Conv2d(c + f, f, 3, padding=1, padding_mode="reflect")
        self.tail = nn.Conv2d(f, 3, 3, padding=1, padding_mode="reflect")
        self.film_in = nn.Linear(config.style_dim, config.film_hidden)
        self.film_out = nn.Linear(config.film_hidden, config.blocks * c * 2 + f * 2)
        nn.init.zeros_(self.film_out.weight)
        nn.init.zeros_(self.film_out.bias)
        nn.init.normal_(self.tail.weight, std=1e-3)
        nn.init.zeros_(self.tail.bias)
        if config.style_norm:  # fixed statistics, stored with the weights; set by set_style_statistics
            self.style_mean = nn.Parameter(torch.zeros(config.style_dim), requires_grad=False)
            self.style_scale = nn.Parameter(torch.ones(config.style_dim), requires_grad=False)

    def set_style_statistics(self, features: Tensor) -> None:
        """Standardise the style features with the mean and spread of ``features`` (Nx``style_dim``,
        one row per training task); spreads under ``MIN_STYLE_SCALE`` count as that (constants)."""
        if not self.config.style_norm:
            raise ValueError("this network does not standardise its style features (style_norm is 0)")
        features = features.reshape(-1, self.config.style_dim).float()
        with torch.no_grad():
            self.style_mean.copy_(features.mean(dim=0))
            self.style_scale.copy_(features.std(dim=0, unbiased=False).clamp_min(MIN_STYLE_SCALE))

    def normalised_style(self, style: Tensor) -> Tensor:
        """The style features as the FiLM MLP reads them: standardised and clipped to
        ``STYLE_CLIP`` spreads when ``style_norm`` is on (a painter far outside the training
        artists cannot drive it to extremes), unchanged otherwise. The statistics get no gradient."""
        if not self.config.style_norm:
            return style
        z = (style - self.style_mean.detach()) / self.style_scale.detach()
        return z.clamp(-STYLE_CLIP, STYLE_CLIP)

    def noise_shapes(self, height: int, width: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """Shapes (without batch) of the full- and half-resolution noise for an image size."""
        half = ((height + 1) // 2, (width + 1) // 2)
        return (self.config.noise_channels, height, width), (self.config.blocks, *half)

    def make_noise(self, batch: int, height: int, width: int, generator: torch.Generator) -> tuple[Tensor, Tensor]:
        """Seeded noise maps; with ``noise_smoothing`` they are blurred and rescaled to unit variance."""
        full, half = self.noise_shapes(height, width)
        maps = torch.randn(batch, *full, generator=generator), torch.randn(batch, *half, generator=generator)
        if not self.config.noise_smoothing:
            return maps
        smoothed = []
        for noise in maps:
            for _ in range(self.config.noise_smoothing):
                noise = blur(noise)
            smoothed.append(noise / noise.std(dim=(-2, -1), keepdim=True).clamp_min(1e-6))
        return smoothed[0], smoothed[1]

    def _film(self, style: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        c, f, n = self.config.channels, self.config.fine_channels, self.config.blocks
        out = self.film_out(F.leaky_relu(self.film_in(self.normalised_style(style)), 0.2))
        block = out[:, : n * c * 2].view(-1, n, 2, c)
        fine = out[:, n * c * 2:].view(-1, 2, f)
        return block[:, :, 0], block[:, :, 1], fine[:, 0], fine[:, 1]

    def forward(self, layout: Tensor, noise: tuple[Tensor, Tensor], style: Tensor) -> Tensor:
        """``layout`` Bx3xHxW in [0, 1], ``noise`` from :meth:`make_noise`, ``style`` Bx64 or 1x64."""
        full_noise, half_noise = noise
        gamma, beta, fine_gamma, fine_beta = self._film(style.expand(layout.shape[0], -1))
        x = layout * 2 - 1
        head = F.leaky_relu(self.head(torch.cat([x, full_noise], dim=1)), 0.2)
        h = F.leaky_relu(self.down(head), 0.2)
        for i in range(self.config.blocks):
            y = self.conv_a[i](h + self.noise_gain[i].view(1, -1, 1, 1) * half_noise[:, i:i + 1])
            y = y * (1 + gamma[:, i, :, None, None]) + beta[:, i, :, None, None]
            h = h + self.conv_b[i](F.leaky_relu(y, 0.2))
        up = F.interpolate(h, size=layout.shape[-2:], mode="bilinear", align_corners=False)
        t = self.up(torch.cat([up, head], dim=1))
        t = t * (1 + fine_gamma[:, :, None, None]) + fine_beta[:, :, None, None]
        return layout + self.tail(F.leaky_relu(t, 0.2))
