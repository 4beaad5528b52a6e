"""``python -m studio.syscheck``: before a real window opens, check the system libraries Qt needs.

PySide6's wheels bring Qt but not the X11/Wayland, OpenGL, audio and font libraries it links
against; when one is missing Qt aborts with "could not load the Qt platform plugin" and no
hint of what to install. This check names the Debian/Ubuntu packages instead and exits 1;
when everything is there it prints nothing and exits 0. It never imports Qt.

The lists come from ``ldd`` on the Qt 6.11 plugins PySide6 ships (platforms/libqxcb.so,
platforms/libqwayland.so, multimedia/libffmpegmediaplugin.so); at run time ``ldd`` on the
same files also catches a library these lists do not know. Qt 6 no longer needs
libxcb-xinerama0 (Qt 5 did).
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Requirement:
    soname: str  # what the dynamic loader looks for
    package: str  # the Debian/Ubuntu package that ships it
    purpose: str  # what breaks without it, in the user's words


def _reqs(purpose: str, pairs: str) -> tuple[Requirement, ...]:
    return tuple(Requirement(s, p, purpose) for s, p in (item.split("=") for item in pairs.split()))


XCB = _reqs(
    "X11 windows (Qt's xcb platform plugin)",
    "libxcb-cursor.so.0=libxcb-cursor0 libxcb-icccm.so.4=libxcb-icccm4 libxcb-keysyms.so.1=libxcb-keysyms1 "
    "libxcb-image.so.0=libxcb-image0 libxcb-render-util.so.0=libxcb-render-util0 libxcb-randr.so.0=libxcb-randr0 "
    "libxcb-shape.so.0=libxcb-shape0 libxcb-shm.so.0=libxcb-shm0 libxcb-sync.so.1=libxcb-sync1 "
    "libxcb-xfixes.so.0=libxcb-xfixes0 libxcb-render.so.0=libxcb-render0 libxcb-xkb.so.1=libxcb-xkb1 "
    "libxcb-util.so.1=libxcb-util1 libxcb-glx.so.0=libxcb-glx0 libxcb.so.1=libxcb1 libX11-xcb.so.1=libx11-xcb1 "
    "libX11.so.6=libx11-6 libxkbcommon-x11.so.0=libxkbcommon-x11-0 libxkbcommon.so.0=libxkbcommon0",
)
WAYLAND = _reqs(
    "Wayland windows (Qt's wayland platform plugin)",
    "libwayland-client.so.0=libwayland-client0 libwayland-cursor.so.0=libwayland-cursor0 "
    "libwayland-egl.so.1=libwayland-egl1 libxkbcommon.so.0=libxkbcommon0",
)
COMMON = _reqs(
    "drawing and text (Qt GUI)",
    "libGL.so.1=libgl1 libEGL.so.1=libegl1 libfontconfig.so.1=libfontconfig1 libfreetype.so.6=libfreetype6 "
    "libdbus-1.so.3=libdbus-1-3 libglib-2.0.so.0=libglib2.0-0",
) + _reqs(
    "melody playback (QtMultimedia)",
    "libpulse.so.0=libpulse0 libXext.so.6=libxext6 libXrandr.so.2=libxrandr2 libXrender.so.1=libxrender1 "
    "libdrm.so.2=libdrm2",
)
PLATFORMS = {"xcb": XCB, "wayland": WAYLAND}
FONT_PACKAGE = "fonts-dejavu-core"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".pfb", ".pcf", ".pcf.gz")
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"})

# Qt files whose unresolved dependencies are scanned with ldd, relative to PySide6/Qt.
PLUGIN_FILES = {
    "xcb": ("plugins/platforms/libqxcb.so", "plugins/xcbglintegrations/libqxcb-glx-integration.so"),
    "wayland": ("plugins/platforms/libqwayland.so",),
    "common": ("lib/libQt6Multimedia.so.6", "plugins/multimedia/libffmpegmediaplugin.so"),
}


def platform_candidates(env: Mapping[str, str]) -> list[str] | None:
    """The platform plugins Qt may use for a window, in its order; None when no window is wanted.

    None means there is nothing to check: a headless platform is forced (offscreen, minimal),
    or no display server is reachable. An empty list never occurs.
    """
    forced = [p.split(":")[0].strip() for p in env.get("QT_QPA_PLATFORM", "").split(";") if p.strip()]
    if forced:
        if forced[0] in HEADLESS_PLATFORMS:
            return None
        known = [p for p in forced if p in PLATFORMS]
        return known or None
    wayland, x11 = bool(env.get("WAYLAND_DISPLAY")), bool(env.get("DISPLAY"))
    if wayland and x11:
        return ["wayland", "xcb"]
    if wayland:
        return ["wayland"]
    if x11:
        return ["xcb"]
    return None


def _ldconfig_sonames() -> frozenset[str]:
    """Sonames in the loader cache for this interpreter's word size."""
    fallbacks = (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(p))
    exe = shutil.which("ldconfig") or next(fallbacks, None)
    if exe is None:
        return frozenset()
    try:
        out = subprocess.run([exe, "-p"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    want_64 = struct.calcsize("P") == 8
    names = set()
    for m in re.finditer(r"^\s*(\S+)\s+\(([^)]*)\)", out, re.MULTILINE):
        if ("64" in m.group(2)) == want_64:
            names.add(m.group(1))
    return frozenset(names)


class LibraryFinder:
    """``finder(soname) -> bool``: in the loader cache, or loadable (LD_LIBRARY_PATH and all)."""

    def __init__(self) -> None:
        self._cache: frozenset[str] | None = None

    def __call__(self, soname: str) -> bool:
        if self._cache is None:
            self._cache = _ldconfig_sonames()
        if soname in self._cache:
            return True
        try:
            ctypes.CDLL(soname)
        except OSError:
            return False
        return True


def fonts_available() -> bool:
    """fontconfig lists a font, or a font file sits in a standard folder."""
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list"], capture_output=True, text=True, timeout=20).stdout
            if out.strip():
                return True
        except (OSError, subprocess.SubprocessError):
            pass
    for folder in FONT_DIRS:
        root = Path(folder).expanduser()
        if root.is_dir() and any(p.name.lower().endswith(FONT_SUFFIXES) for p in root.rglob("*")):
            return True
    return False


def qt_dir() -> Path | None:
    """PySide6's Qt folder, found without importing PySide6."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "Qt"
    return path if path.is_dir() else None


def ldd_missing(files: Iterable[Path]) -> set[str]:
    """Sonames that ``ldd`` reports as "not found" for any of ``files`` (empty without ldd)."""
    exe = shutil.which("ldd")
    missing: set[str] = set()
    for f in files:
        if exe is None or not f.exists():
            continue
        try:
            out = subprocess.run([exe, str(f)], capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        missing.update(re.findall(r"^\s*(\S+)\s+=>\s+not found", out, re.MULTILINE))
    return missing


def missing_for(
    platform: str,
    finder: Callable[[str], bool],
    scan: Callable[[Iterable[Path]], set[str]] = ldd_missing,
) -> list[Requirement]:
    """Requirements of ``platform`` (plus the common ones) that are not installed."""
    wanted = {r.soname: r for r in PLATFORMS[platform] + COMMON}
    missing = {s: r for s, r in wanted.items() if not finder(s)}
    root = qt_dir()
    if root is not None:
        files = [root / rel for rel in PLUGIN_FILES[platform] + PLUGIN_FILES["common"]]
        for soname in sorted(scan(files)):
            missing.setdefault(soname, wanted.get(soname, Requirement(soname, "", "Qt")))
    return sorted(missing.values(), key=lambda r: r.soname)


def report(missing: list[Requirement], fonts_ok: bool, platform: str) -> str:
    """The message naming what is missing and the exact command that installs it."""
    lines = [f"Meta-Creation Studio needs system libraries that are not installed (window system: {platform}):"]
    for r in missing:
        lines.append(f"  {r.soname:<26} {r.package or '(unknown package)':<22} {r.purpose}")
    if not fonts_ok:
        lines.append(f"  {'(no fonts found)':<26} {FONT_PACKAGE:<22} text in the window")
    packages = list(dict.fromkeys([r.package for r in missing if r.package] + ([] if fonts_ok else [FONT_PACKAGE])))
    if packages:
        lines += ["Install them (Debian/Ubuntu) with:", f"  sudo apt-get install {' '.join(packages)}"]
    unknown = [r.soname for r in missing if not r.package]
    if unknown:
        lines.append("Find the package of the others with: apt-file search " + " ".join(unknown))
    return "\n".join(lines)


def check(
    env: Mapping[str, str],
    finder: Callable[[str], bool],
    fonts: Callable[[], bool] = fonts_available,
    scan: Callable[[Iterable[Path]], set[str]] = ldd_missing,
    force: bool = False,
) -> tuple[int, str]:
    """(exit status, message): 0 with an empty message when a window can open."""
    if not sys.platform.startswith("linux"):
        return 0, ""  # the wheels bring everything Qt needs on Windows and macOS
    candidates = platform_candidates(env)
    if candidates is None:
        if not force:
            forced = env.get("QT_QPA_PLATFORM", "")
            if forced:
                return 0, ""
            return 0, "No display found (DISPLAY and WAYLAND_DISPLAY are unset): skipping the system-library check."
        candidates = ["xcb"]
    fonts_ok = fonts()
    results = [(p, missing_for(p, finder, scan)) for p in candidates]
    platform, missing = min(results, key=lambda item: len(item[1]))  # Qt falls back to the next plugin
    if not missing and fonts_ok:
        return 0, ""
    return 1, report(missing, fonts_ok, platform)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studio.syscheck", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="check the X11 libraries even without a display")
    args = parser.parse_args(argv)
    status, message = check(os.environ, LibraryFinder(), force=args.force)
    if message:
        print(message, file=sys.stderr if status else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main())
