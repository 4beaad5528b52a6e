"""The problems list: long reasons wrap (the shortcut list is tested in test_accessibility.py)."""

from __future__ import annotations

from studio.ui.dialogs import ErrorListDialog

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
