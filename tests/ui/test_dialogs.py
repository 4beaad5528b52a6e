"""The problems list and the shortcut list: long reasons wrap, odd platform keys stay out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from studio.ui.dialogs import ErrorListDialog, ShortcutsDialog, on_keyboards

LONG_REASON = ("the image is 10000 x 7000 pixels, which is 70.0 megapixels; the studio refuses images over "
               "64 megapixels to keep memory safe. Downscale it in an image editor (4000 pixels on the long "
               "side is plenty) and import it again.")


def test_a_long_reason_wraps_onto_several_lines_instead_of_being_cut(qtbot):
    dialog = ErrorListDialog()
    qtbot.addWidget(dialog)
    dialog.resize(600, 380)
    dialog.show_problems("Import problems", "1 file could not be imported.",
                         [("/photos/huge.png", LONG_REASON), ("/photos/b.png", "short")])
    qtbot.waitExposed(dialog)
    table = dialog.table
    long_row = table.visualItemRect(table.topLevelItem(0)).height()
    short_row = table.visualItemRect(table.topLevelItem(1)).height()
    assert long_row >= 2 * short_row  # the part saying what to do is on screen, not an ellipsis


def test_the_shortcut_list_leaves_out_keys_laptops_lack(qtbot):
    assert on_keyboards(QKeySequence("Ctrl+Z")) and on_keyboards(QKeySequence("Esc"))
    assert on_keyboards(QKeySequence("F1")) and on_keyboards(QKeySequence("K"))
    assert not on_keyboards(QKeySequence("F14")) and not on_keyboards(QKeySequence("Help"))
    assert not on_keyboards(QKeySequence(Qt.Key.Key_OpenUrl)) and not on_keyboards(QKeySequence(Qt.Key.Key_ZoomIn))
    undo = QAction("&Undo")
    undo.setShortcuts([QKeySequence("Ctrl+Z"), QKeySequence("F14"), QKeySequence("Undo")])
    dialog = ShortcutsDialog([undo])
    qtbot.addWidget(dialog)
    native = QKeySequence.SequenceFormat.NativeText
    assert dialog.table.topLevelItem(0).text(1) == QKeySequence("Ctrl+Z").toString(native)  # not "Ctrl+Z, F14, Undo"
