"""Suite-wide test set-up: offscreen Qt, isolated settings, and the ``slow`` marker switch."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run tests marked slow (long training and benchmark runs)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_user_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's real settings, recovery files and recordings."""
    state = tmp_path_factory.mktemp("user-state")
    monkeypatch.setenv("STUDIO_SETTINGS_PATH", str(state / "settings.ini"))
    monkeypatch.setenv("STUDIO_RECOVERY_DIR", str(state / "recovery"))
    monkeypatch.setenv("STUDIO_RECORDINGS_DIR", str(state / "recordings"))


@pytest.fixture
def one_torch_thread() -> Iterator[None]:
    """Tiny networks run fastest on one intra-op thread, above all on a busy shared CPU.
    Use with ``pytestmark = pytest.mark.usefixtures("one_torch_thread")``."""
    import torch

    saved = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(saved)
