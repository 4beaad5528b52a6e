"""The painting generator network: paints detail over a coarse layout, in a given style.

``PaintNet(layout, noise, style)`` is fully convolutional (any size and aspect ratio):

* a full-resolution head reads the layout and a noise map,
* residual blocks at half resolution, each with its own injected noise (the stochastic
  detail, as in StyleGAN) and FiLM scales and shifts computed from the style features by a
  small MLP (the conditioning that gives an instant preview with no gradient step),
* a full-resolution tail, skip-connected to the head, adds a residual to the layout.

The FiLM MLP's last layer starts at zero, so an untrained network is the identity FiLM.
About 132k parameters (a third of them the FiLM MLP): 1.8 GFLOP per 256x256 image, sized for a 2-core CPU.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from studio.domains.painting.style import STYLE_DIM


@dataclass(frozen=True)
class PaintNetConfig:
    channels: int = 32  # width of the half-resolution blocks
    fine_channels: int = 16  # width of the full-resolution head and tail
    blocks: int = 4  # residual blocks at half resolution
    noise_channels: int = 2  # noise maps fed to the head
    style_dim: int = STYLE_DIM
    film_hidden: int = 128

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> PaintNetConfig:
        """The config stored in a card; raises ValueError for a network trained with style
        normalisation or smoothed noise, which did not ship and were removed (research/README.md)."""
        if data.get("style_norm"):
            raise ValueError("the network standardises its style features (style_norm), which no longer ships; "
                             "see research/README.md")
        if data.get("noise_smoothing"):
            raise ValueError("the network was trained on smoothed noise (noise_smoothing), which no longer ships; "
                             "see research/README.md")
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

    def noise_shapes(self, height: int, width: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """Shapes (without batch) of the full- and half-resolution noise for an image size."""
        half = ((height + 1) // 2, (width + 1) // 2)
        return (self.config.noise_channels, height, width), (self.config.blocks, *half)

    def make_noise(self, batch: int, height: int, width: int, generator: torch.Generator) -> tuple[Tensor, Tensor]:
        """Seeded white noise maps, one value per pixel (full and half resolution)."""
        full, half = self.noise_shapes(height, width)
        return torch.randn(batch, *full, generator=generator), torch.randn(batch, *half, generator=generator)

    def _film(self, style: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        c, f, n = self.config.channels, self.config.fine_channels, self.config.blocks
        out = self.film_out(F.leaky_relu(self.film_in(style), 0.2))
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
