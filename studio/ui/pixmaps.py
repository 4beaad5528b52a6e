"""Numpy pictures to Qt pixmaps: thumbnails of samples and works, piano rolls, status badges.

Arrays from the engine are ``HxWx3`` uint8 RGB; the QImage made here owns a copy of the
buffer, so the array may be freed or changed afterwards.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap

from studio.core.melody import Melody
from studio.core.samples import Sample
from studio.core.works import Work, WorkStatus

PIANO_ROLL_ASPECT = 0.6  # height / width of a melody's thumbnail


def rgb_to_qimage(rgb: np.ndarray) -> QImage:
    """An ``HxWx3`` uint8 array as a QImage that owns its pixels."""
    if not isinstance(rgb, np.ndarray) or rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected an HxWx3 uint8 array, got {getattr(rgb, 'shape', type(rgb).__name__)}")
    data = np.ascontiguousarray(rgb)
    height, width = data.shape[:2]
    image = QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.copy()  # detach from the numpy buffer


def rgb_to_pixmap(rgb: np.ndarray) -> QPixmap:
    return QPixmap.fromImage(rgb_to_qimage(rgb))


def piano_roll_pixmap(melody: Melody, width: int, height: int) -> QPixmap:
    """A mini piano roll of ``melody`` (drawn by :func:`studio.ui.piano_roll_pixels.piano_roll`)."""
    from studio.ui.piano_roll_pixels import piano_roll

    return rgb_to_pixmap(piano_roll(melody, max(8, width), max(8, height)))


def scaled_image_pixmap(rgb: np.ndarray, size: int) -> QPixmap:
    """``rgb`` resized so its long side is ``size`` pixels, aspect ratio kept."""
    from studio.io.images import make_thumbnail

    return rgb_to_pixmap(make_thumbnail(rgb, size))


def picture_pixmap(image: np.ndarray | None, melody: Melody | None, size: int) -> QPixmap:
    """The picture of a painting, or the piano roll of a melody, fitting a ``size`` square."""
    if image is not None:
        return scaled_image_pixmap(image, size)
    if melody is not None:
        return piano_roll_pixmap(melody, size, round(size * PIANO_ROLL_ASPECT))
    return placeholder_pixmap(size)


def sample_thumbnail(sample: Sample, size: int) -> QPixmap:
    return picture_pixmap(sample.image, sample.melody, size)


def placeholder_pixmap(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor("#d0d0d0"))
    return pixmap


def work_thumbnail(work: Work, size: int) -> QPixmap:
    """The work's picture with its keep/reject state shown: a green tick, or dimmed with a red cross."""
    pixmap = picture_pixmap(work.image, work.melody, size)
    if work.status is WorkStatus.NEW:
        return pixmap
    result = QPixmap(pixmap.size())
    result.fill(Qt.GlobalColor.transparent)
    painter = QPainter(result)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    badge = max(12.0, min(pixmap.width(), pixmap.height()) * 0.22)
    corner = QRectF(pixmap.width() - badge - 3, 3, badge, badge)
    if work.status is WorkStatus.REJECTED:
        painter.setOpacity(0.35)
        painter.drawPixmap(0, 0, pixmap)
        painter.setOpacity(1.0)
        _draw_badge(painter, corner, QColor("#c0392b"), cross=True)
    else:
        painter.drawPixmap(0, 0, pixmap)
        _draw_badge(painter, corner, QColor("#27ae60"), cross=False)
    painter.end()
    return result


def _draw_badge(painter: QPainter, rect: QRectF, colour: QColor, cross: bool) -> None:
    painter.setPen(QPen(QColor("white"), 1.5))
    painter.setBrush(colour)
    painter.drawEllipse(rect)
    pen = QPen(QColor("white"), max(1.5, rect.width() / 7))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    x, y, w = rect.x(), rect.y(), rect.width()
    if cross:
        painter.drawLine(QPointF(x + w * 0.32, y + w * 0.32), QPointF(x + w * 0.68, y + w * 0.68))
        painter.drawLine(QPointF(x + w * 0.68, y + w * 0.32), QPointF(x + w * 0.32, y + w * 0.68))
    else:
        painter.drawLine(QPointF(x + w * 0.28, y + w * 0.52), QPointF(x + w * 0.44, y + w * 0.68))
        painter.drawLine(QPointF(x + w * 0.44, y + w * 0.68), QPointF(x + w * 0.72, y + w * 0.34))
