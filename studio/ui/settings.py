"""Where the studio keeps per-user preferences (QSettings) and the Open Recent list.

``STUDIO_SETTINGS_PATH`` names an ini file to use instead of the user's real settings, so
tests and benchmarks never touch them.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANIZATION = "MetaCreationStudio"
APPLICATION = "Meta-Creation Studio"
MAX_RECENT = 8

KEY_DEMO_OFFERED = "general/demo_offered"
KEY_RECENT = "files/recent"
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_THUMB_SIZE = "view/thumbnail_size"
KEY_LAST_DIR = "files/last_dir"
KEY_LANGUAGE = "view/language"  # "system", "en" or "zh_CN" (studio.ui.i18n; View > Language)


def make_settings() -> QSettings:
    """The settings store: the ini file in ``STUDIO_SETTINGS_PATH`` if set, else the user's."""
    path = os.environ.get("STUDIO_SETTINGS_PATH")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def _as_list(value: object) -> list[str]:
    # QSettings gives a str for a one-item list in ini files, None when unset.
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


class RecentFiles:
    """The most recently opened or saved project files, newest first, missing ones pruned."""

    def __init__(self, settings: QSettings, limit: int = MAX_RECENT) -> None:
        self._settings = settings
        self._limit = limit

    def paths(self) -> list[str]:
        """Existing recent files, newest first; files that vanished are dropped for good."""
        stored = _as_list(self._settings.value(KEY_RECENT))
        existing = [p for p in stored if Path(p).is_file()]
        if existing != stored:
            self._store(existing)
        return existing

    def add(self, path: str | os.PathLike) -> None:
        path = str(Path(path).resolve())
        paths = [path] + [p for p in _as_list(self._settings.value(KEY_RECENT)) if p != path]
        self._store(paths[: self._limit])

    def clear(self) -> None:
        self._store([])

    def _store(self, paths: list[str]) -> None:
        self._settings.setValue(KEY_RECENT, paths)
        self._settings.sync()


def int_setting(settings: QSettings, key: str, default: int) -> int:
    try:
        return int(str(settings.value(key, default)))  # an int, or its text in an ini file
    except (TypeError, ValueError):
        return default


def bool_setting(settings: QSettings, key: str, default: bool = False) -> bool:
    value = settings.value(key, default)
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)
