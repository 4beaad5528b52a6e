"""Settings isolation and the Open Recent list."""

from __future__ import annotations

import os

from studio.ui.settings import KEY_RECENT, MAX_RECENT, RecentFiles, make_settings


def test_settings_go_to_the_test_file():
    settings = make_settings()
    assert settings.fileName() == os.environ["STUDIO_SETTINGS_PATH"]


def test_recent_files_newest_first_capped_and_pruned(tmp_path):
    settings = make_settings()
    recent = RecentFiles(settings)
    files = []
    for i in range(MAX_RECENT + 2):
        path = tmp_path / f"p{i}.mcs"
        path.write_bytes(b"x")
        files.append(str(path.resolve()))
        recent.add(path)
    recent.add(files[-3])  # reopening moves it to the top without duplicating it
    expected = [files[-3], files[-1], files[-2]] + files[-4:-MAX_RECENT - 1:-1]
    assert recent.paths() == expected[:MAX_RECENT]
    os.remove(files[-1])
    assert files[-1] not in recent.paths()
    assert files[-1] not in settings.value(KEY_RECENT)  # pruned for good
    recent.clear()
    assert recent.paths() == []
