"""A bare QMainWindow that prints the cold-start marker once shown: the baseline of
``python main.py bench cold_start`` (run as ``python -m studio.ui.bare_window``)."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()

    def shown() -> None:
        print("first-window-shown torch-imported=" + str("torch" in sys.modules).lower(), flush=True)
        app.quit()

    QTimer.singleShot(0, shown)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
