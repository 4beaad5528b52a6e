"""The painting controls: what to paint (count, size, aspect ratio, composition, texture,
brushwork) and how to refine (variations, blend two, repaint region, render larger, more like these).

Like the melody controls, the panel only asks: each button emits a signal and :meth:`params`
reads the settings as a :class:`~studio.domains.painting.params.PaintingParams`. The window's
generation controller runs the work and tells the panel, through :meth:`set_availability`,
which buttons can act now and why the others cannot (the reason becomes the button's tooltip).
"Like the samples" shows the samples' own aspect ratio once :meth:`set_sample_defaults` has it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QWidget

from studio.core.samples import Sample
from studio.domains.painting.params import ASPECTS, SIZES, PaintingParams, median_aspect
from studio.ui.panels.controls_base import (
    ControlsPanel, count_box, number_setting, restore_combo, restore_numbers, slider, variations_box,
)

ACTIONS = ("generate", "vary", "blend", "repaint", "render", "more")
RENDER_SIZES = tuple(s for s in SIZES if s > SIZES[0])  # 512, 1024: larger than the working size
LIKE_SAMPLES = next(label for label, value in ASPECTS.items() if value is None)
TIPS = {"generate": "Generate a gallery of new paintings in your samples' style (Ctrl+G)",
        "vary": "Variations of the selected gallery painting: its composition kept, the detail new "
                "(Closeness sets how much is kept) (Ctrl+Shift+V)",
        "blend": "A new painting joining the compositions of the two selected gallery paintings (Ctrl+Shift+B)",
        "repaint": "Paint the region brushed in the inspector anew, blending it into the rest (Ctrl+Shift+R)",
        "render": "Paint the selected gallery painting again at a larger size; the render lands after it "
                  "(Ctrl+Shift+L)",
        "more": "Adapt again with the kept paintings as extra samples, then generate (Ctrl+Shift+M)"}


def sample_defaults(samples: Sequence[Sample]) -> dict[str, Any]:
    """The samples' median aspect ratio (width / height; None without pictures)."""
    return {"aspect": median_aspect(samples)}


def aspect_text(aspect: float) -> str:
    """``1.333`` -> ``"1.33:1 landscape"``."""
    shape = "square" if abs(aspect - 1.0) < 0.02 else ("landscape" if aspect > 1 else "portrait")
    return f"{aspect:.2f}:1 {shape}"


class PaintingControlsPanel(ControlsPanel):
    """See the module docstring. Buttons: ``buttons[name]`` for every name in :data:`ACTIONS`."""

    tips = TIPS

    sig_generate = Signal()
    sig_vary = Signal()
    sig_blend = Signal()
    sig_repaint = Signal()
    sig_render = Signal()
    sig_more_like_these = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = count_box("How many paintings one Generate (or Adapt) makes")
        self.size_box = QComboBox()
        for side in SIZES:
            self.size_box.addItem(f"{side} px" + (" (fast)" if side == SIZES[0] else ""), side)
        self.size_box.setToolTip("Long side of new paintings; 256 px paints fastest on a laptop CPU, "
                             "Render Larger repaints a chosen one at 512 or 1024 px")
        self.aspect = QComboBox()
        for label, value in ASPECTS.items():
            self.aspect.addItem(label, value)
        self.aspect.setToolTip("Shape of new paintings (width : height); default: the samples' median shape")
        default = PaintingParams()
        self.composition = slider(0, 100, round(default.composition * 100),
                                  "Composition: left keeps the samples' compositions closely, right invents freely")
        self.composition_label = QLabel()
        self.texture = slider(0, 200, round(default.texture * 100),
                              "Texture: the strength of the painted detail (brushwork, grain); left is smoother, right is busier")
        self.texture_label = QLabel()
        self.brushwork = slider(0, 100, round(default.brushwork * 100),
                                "Brushwork: how much of the fine detail is rebuilt from your paintings' own strokes; "
                                "left keeps the network's grain, right takes all of it from the samples")
        self.brushwork_label = QLabel()
        self.closeness = slider(0, 100, 70, "Closeness of variations: right keeps the composition and most "
                                "detail, left keeps only a sketch of it")
        self.variations = variations_box()
        self.render_size = QComboBox()
        for side in RENDER_SIZES:
            self.render_size.addItem(f"{side} px", side)
        self.render_size.setToolTip("Long side of the larger render")
        labels = {"generate": "Generate", "vary": "Variations", "blend": "Blend Two",
                  "repaint": "Repaint Region", "render": "Render Larger", "more": "More Like These"}
        self._make_buttons(labels, {"generate": self.sig_generate, "vary": self.sig_vary, "blend": self.sig_blend,
                                    "repaint": self.sig_repaint, "render": self.sig_render,
                                    "more": self.sig_more_like_these})
        self.composition.valueChanged.connect(self._show_values)
        self.texture.valueChanged.connect(self._show_values)
        self.brushwork.valueChanged.connect(self._show_values)
        self._layout()
        self._show_values()
        self.set_availability(dict.fromkeys(ACTIONS, "Add a few paintings first: the studio learns their style"))
        self.setMinimumWidth(220)  # the height follows the contents; the window scrolls it

    def _layout(self) -> None:
        def row(*widgets: QWidget, stretch: tuple[int, ...] = ()) -> QHBoxLayout:
            line = QHBoxLayout()
            for i, widget in enumerate(widgets):
                line.addWidget(widget, stretch[i] if i < len(stretch) else 0)
            return line

        form = QFormLayout()
        form.addRow("Count", row(self.count, self.size_box, stretch=(2, 3)))
        form.addRow("Aspect", self.aspect)
        form.addRow("Composition", row(self.composition, self.composition_label, stretch=(1,)))
        form.addRow("Texture", row(self.texture, self.texture_label, stretch=(1,)))
        form.addRow("Brushwork", row(self.brushwork, self.brushwork_label, stretch=(1,)))
        self._stack_groups("New paintings", form, row(self.closeness, self.variations, stretch=(3, 2)),
                           [row(self.buttons["vary"], self.buttons["blend"]), self.buttons["repaint"],
                            row(self.buttons["render"], self.render_size, stretch=(3, 2))])

    # -- reading the controls ------------------------------------------------------------------------

    def params(self) -> PaintingParams:
        return PaintingParams(long_side=int(self.size_box.currentData()), aspect=self.aspect.currentData(),
                              composition=self.composition.value() / 100.0, texture=self.texture.value() / 100.0,
                              brushwork=self.brushwork.value() / 100.0)

    def render_side(self) -> int:
        return int(self.render_size.currentData())

    # -- state from the controller -------------------------------------------------------------------

    def set_sample_defaults(self, defaults: dict[str, Any]) -> None:
        """Show what "like the samples" means now (from :func:`sample_defaults`)."""
        aspect = defaults.get("aspect")
        self.aspect.setItemText(0, f"{LIKE_SAMPLES} ({aspect_text(aspect)})" if aspect else LIKE_SAMPLES)

    def settings(self) -> dict[str, Any]:
        return {"count": self.count.value(), "size": self.size_box.currentData(),
                "aspect": list(ASPECTS)[max(0, self.aspect.currentIndex())], "composition": self.composition.value(),
                "texture": self.texture.value(), "brushwork": self.brushwork.value(),
                "closeness": self.closeness.value(), "variations": self.variations.value(),
                "render_size": self.render_size.currentData()}

    def apply_settings(self, values: dict[str, Any]) -> None:
        """Restore :meth:`settings` (unknown or malformed entries are skipped)."""
        restore_numbers(values, (("count", self.count), ("composition", self.composition), ("texture", self.texture),
                                 ("brushwork", self.brushwork), ("closeness", self.closeness),
                                 ("variations", self.variations)))
        for name, combo in (("size", self.size_box), ("render_size", self.render_size)):
            restore_combo(combo, number_setting(values, name))
        aspect = values.get("aspect")
        if isinstance(aspect, str) and aspect in ASPECTS:
            self.aspect.setCurrentIndex(list(ASPECTS).index(aspect))

    def _show_values(self, *_: object) -> None:
        self.composition_label.setText(f"{self.composition.value()} %")
        self.texture_label.setText(f"{self.texture.value() / 100:.2f}")
        self.brushwork_label.setText(f"{self.brushwork.value()} %")


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    panel = PaintingControlsPanel()
    panel.set_availability(dict.fromkeys(ACTIONS))
    panel.sig_generate.connect(lambda: print(panel.params()))
    panel.show()
    sys.exit(app.exec())
