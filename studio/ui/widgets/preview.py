"""A picture view that scales its pixmap to fit, keeping the aspect ratio, as it is resized."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class FitPixmapLabel(QLabel):
    """Shows a pixmap scaled down (or up, smoothly) to fit; shows ``placeholder`` text without one."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source: QPixmap | None = None
        self._placeholder = placeholder
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(120, 90)
        self.setWordWrap(True)
        self.setText(placeholder)

    def set_source(self, pixmap: QPixmap | None) -> None:
        self._source = pixmap if pixmap is not None and not pixmap.isNull() else None
        if self._source is None:
            self.clear()
            self.setText(self._placeholder)
        else:
            self._rescale()

    def source(self) -> QPixmap | None:
        return self._source

    def sizeHint(self) -> QSize:
        return QSize(320, 240)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._source is not None:
            self._rescale()

    def _rescale(self) -> None:
        assert self._source is not None
        size = self.contentsRect().size()
        if size.width() < 2 or size.height() < 2:
            return
        self.setPixmap(self._source.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))
