"""Draws the app icon from code: ``python packaging/make_icon.py`` writes assets/icon.png (256 px)
and assets/icon.ico (16-256 px, for Windows builds).

The picture: a painter's palette with three paint wells on a dusk-blue rounded square, and an
eighth note standing on it, the two kinds of work the studio learns. Drawn 4x larger and scaled
down, so the edges are smooth without a vector renderer. The committed files are its output;
rerun it after changing the drawing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SIZE = 256
SCALE = 4  # supersampling factor
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def _vertical_gradient(size: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    column = Image.new("RGB", (1, size))
    for y in range(size):
        t = y / (size - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return column.resize((size, size))


def draw_icon(size: int = SIZE) -> Image.Image:
    """The icon as an RGBA image of ``size`` x ``size`` pixels."""
    big = size * SCALE
    u = big / 256  # drawing units: the icon is designed on a 256 grid

    background = _vertical_gradient(big, (38, 58, 120), (92, 44, 120))
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle((8 * u, 8 * u, 248 * u, 248 * u), radius=48 * u, fill=255)
    icon = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    icon.paste(background, (0, 0), mask)
    draw = ImageDraw.Draw(icon)

    # the palette: an ellipse with a thumb hole, tilted by drawing it as a polygon-free ellipse
    draw.ellipse((28 * u, 96 * u, 196 * u, 220 * u), fill=(244, 232, 208))
    draw.ellipse((70 * u, 168 * u, 98 * u, 192 * u), fill=(70, 50, 118))  # thumb hole shows the dusk
    for (x, y), colour in (((60, 124), (214, 64, 56)), ((100, 110), (242, 186, 48)),
                           ((142, 118), (54, 132, 214)), ((160, 160), (64, 164, 96))):
        draw.ellipse(((x - 15) * u, (y - 15) * u, (x + 15) * u, (y + 15) * u), fill=colour)

    # the eighth note: head, stem and flag, in white over the palette's right edge
    white = (255, 255, 255)
    draw.ellipse((150 * u, 170 * u, 196 * u, 204 * u), fill=white)
    draw.rectangle((184 * u, 52 * u, 196 * u, 188 * u), fill=white)
    draw.polygon([(196 * u, 52 * u), (232 * u, 84 * u), (226 * u, 124 * u), (214 * u, 96 * u),
                  (196 * u, 86 * u)], fill=white)
    return icon.resize((size, size), Image.Resampling.LANCZOS)


def main(out_dir: Path = ROOT / "assets") -> int:
    icon = draw_icon()
    icon.save(out_dir / "icon.png", optimize=True)
    icon.save(out_dir / "icon.ico", sizes=ICO_SIZES)
    print(f"wrote {out_dir / 'icon.png'} and {out_dir / 'icon.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "assets"))
