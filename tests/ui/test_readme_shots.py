"""The README's screenshot script: its picture writer and its keep rule (the whole run takes
minutes and is not a unit test: ``python -m studio.ui.readme_shots --out DIR``)."""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QLabel

from studio.core.samples import Domain
from studio.core.works import Work
from studio.ui.readme_shots import COLOURS, _colourfulness, save_shot


def test_a_shot_is_a_small_palette_png_of_the_widget(qtbot, tmp_path):
    label = QLabel("Taste +0.70 \u2014 Likely to your taste")
    label.resize(320, 40)
    qtbot.addWidget(label)
    size = save_shot(label, tmp_path / "shot.png")
    image = Image.open(tmp_path / "shot.png")
    assert image.mode == "P" and image.size[0] >= 320 and size == (tmp_path / "shot.png").stat().st_size
    assert len(image.getcolors(COLOURS + 1) or []) <= COLOURS


def test_washed_out_paintings_count_as_less_colourful():
    grey = np.full((8, 8, 3), 200, np.uint8)
    vivid = np.zeros((8, 8, 3), np.uint8)
    vivid[..., 0] = 230
    assert _colourfulness(Work(Domain.PAINTING, seed=1, image=vivid)) > \
        _colourfulness(Work(Domain.PAINTING, seed=2, image=grey)) == 0.0
