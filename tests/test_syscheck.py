"""studio.syscheck: which platform is checked, what is reported missing, and the exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studio import syscheck
from studio.syscheck import check, platform_candidates

ROOT = Path(__file__).resolve().parents[1]
X11 = {"DISPLAY": ":0"}


def finder_without(*absent: str):
    return lambda soname: soname not in absent


def no_scan(files):
    return set()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, None),
        ({"QT_QPA_PLATFORM": "minimal"}, None),
        ({"DISPLAY": ":0"}, ["xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-0"}, ["wayland"]),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "xcb"}, ["xcb"]),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, ["wayland", "xcb"]),
    ],
)
def test_platform_candidates(env, expected):
    assert platform_candidates(env) == expected


def test_all_present_is_silent_success():
    assert check(X11, finder_without(), fonts=lambda: True, scan=no_scan) == (0, "")


def test_no_display_is_skipped_with_a_note():
    status, message = check({}, finder_without("libxcb-cursor.so.0"), fonts=lambda: False, scan=no_scan)
    assert status == 0 and "No display found" in message


def test_offscreen_is_skipped_silently():
    env = {"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}
    assert check(env, finder_without("libxcb-cursor.so.0"), fonts=lambda: True, scan=no_scan) == (0, "")


def test_missing_libraries_name_the_packages_to_install():
    finder = finder_without("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libpulse.so.0")
    status, message = check(X11, finder, fonts=lambda: True, scan=no_scan)
    assert status == 1
    assert "sudo apt-get install libpulse0 libxcb-cursor0 libxcb-icccm4" in message
    assert "melody playback" in message


def test_missing_fonts_are_reported():
    status, message = check(X11, finder_without(), fonts=lambda: False, scan=no_scan)
    assert status == 1
    assert "sudo apt-get install fonts-dejavu-core" in message


def test_ldd_finds_what_the_lists_do_not_know():
    status, message = check(X11, finder_without(), fonts=lambda: True, scan=lambda files: {"libfuture.so.9"})
    assert status == 1
    assert "libfuture.so.9" in message and "apt-file search libfuture.so.9" in message


def test_wayland_session_passes_when_xcb_fallback_is_complete():
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    finder = finder_without("libwayland-cursor.so.0")
    assert check(env, finder, fonts=lambda: True, scan=no_scan) == (0, "")


def test_force_checks_x11_without_a_display():
    status, message = check({}, finder_without("libxcb-keysyms.so.1"), fonts=lambda: True, scan=no_scan, force=True)
    assert status == 1 and "libxcb-keysyms1" in message


def test_ldd_scan_reads_not_found_lines(monkeypatch, tmp_path):
    lib = tmp_path / "libqxcb.so"
    lib.write_bytes(b"")
    ldd_output = (
        "\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x1)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
        "\tlibxcb-keysyms.so.1 => not found\n"
    )
    monkeypatch.setattr(syscheck.shutil, "which", lambda name: "/usr/bin/ldd")
    monkeypatch.setattr(
        syscheck.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout=ldd_output, stderr="")
    )
    assert syscheck.ldd_missing([lib]) == {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}


def test_real_finder_finds_libc_and_not_nonsense():
    finder = syscheck.LibraryFinder()
    assert finder("libc.so.6")
    assert not finder("libstudio-does-not-exist.so.42")


def test_module_runs_without_importing_qt():
    code = "import sys, studio.syscheck; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
