"""The PySide6 GUI: the main window, its panels and models. Never imports torch (it goes through
:mod:`studio.engine`); start it with :func:`studio.ui.app.main`."""
