"""The pip/pipx package and the Linux desktop files: a wheel built from the checkout carries the
models and demo samples, installs into a fresh venv, and its console script finds them there
(not in the checkout); the .desktop entry and install.sh put the app where desktops look."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio import model_registry
from studio.model_registry import MODELS, shipped_dir

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "meta-creation-studio"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of the checkout, built the way `pip install .` builds it (setup.py's hook included)."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                             "--quiet", "-w", str(out)], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("meta_creation_studio-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; its dependencies (torch, PySide6, ...) come from the
    test's own environment through a .pth line, so nothing is downloaded. The checkout is not on
    its path: the .pth adds the site-packages folder only, whose own .pth files (the editable
    install's finder) are not read."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "deps-from-the-test-env.pth").write_text(sysconfig.get_path("purelib") + "\n")
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                             "--no-deps", "--no-index", "--quiet", str(wheel)], capture_output=True, text=True,
                            timeout=240)
    assert result.returncode == 0, result.stderr
    return venv


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(venv / "bin" / SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=240)


def test_the_wheel_carries_the_models_the_demo_samples_and_the_icon(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for info in MODELS.values():
        assert f"studio/_shipped/models/{info.name}.safetensors" in names
        assert f"studio/_shipped/models/{info.name}.json" in names
    for asset in sorted(p for p in (ROOT / "assets").rglob("*") if p.is_file()):  # demo samples, Help's pictures
        assert f"studio/_shipped/{asset.relative_to(ROOT).as_posix()}" in names
    assert "studio/_shipped/assets/icon.png" in names and "studio/_shipped/assets/demo/melodies/ode-to-joy.mid" in names
    for qm in (ROOT / "studio" / "ui" / "translations").glob("*.qm"):  # built by make setup (i18n build)
        assert f"studio/ui/translations/{qm.name}" in names
    assert not any(n.startswith(("tests/", "research/", "models/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert f"{SCRIPT} = studio.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_console_script_of_an_installed_wheel_inspects_and_generates_from_its_own_copies(
        installed: Path, tmp_path: Path) -> None:
    probe = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import studio, studio.engine as e, studio.model_registry as m; "
                            "print(studio.__file__); print(m.MODELS_DIR); print(e.ASSETS_DIR)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    package, models, assets = (Path(line) for line in probe.stdout.split())
    assert installed in package.parents and ROOT not in package.parents
    assert models == package.parent / "_shipped" / "models" and assets == package.parent / "_shipped" / "assets"

    melodies = sorted(str(p) for p in (assets / "demo" / "melodies").glob("*.mid"))
    result = _run(installed, "inspect", melodies[0], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "key" in result.stdout and "meter" in result.stdout

    out = tmp_path / "works"
    result = _run(installed, "generate", "--samples", *melodies, "--count", "1", "--seed", "3", "--out", str(out),
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["model"] == "melody-reptile" and report["count"] == 1
    assert (out / "001.mid").stat().st_size > 0


def test_shipped_dir_prefers_an_installed_copy_and_falls_back_to_the_checkout(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site" / "studio"
    package.mkdir(parents=True)
    monkeypatch.setattr(model_registry, "_PACKAGE", package)
    assert shipped_dir("models") == tmp_path / "site" / "models"  # the checkout (and bundle) layout
    (package / "_shipped" / "models").mkdir(parents=True)
    assert shipped_dir("models") == package / "_shipped" / "models"
    # and the checkout itself reads its own folders
    monkeypatch.undo()
    assert shipped_dir("models") == ROOT / "models" and shipped_dir("assets") == ROOT / "assets"


def test_the_bundle_venv_installs_exactly_the_runtime_requirements_of_pyproject() -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from runtime_deps import runtime_requirements
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert runtime_requirements() == declared and any(r.startswith("torch==") for r in declared)


def _desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def test_the_desktop_entry_names_the_command_and_the_icon() -> None:
    entry = _desktop_entry(ROOT / "packaging" / "linux" / f"{SCRIPT}.desktop")
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert entry["Exec"].split()[0] == SCRIPT and entry["Icon"] == SCRIPT
    assert {"Name", "Name[zh_CN]", "Comment", "Comment[zh_CN]"} <= set(entry)
    main_categories = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics", "Network",
                       "Office", "Science", "Settings", "System", "Utility"}
    assert main_categories & set(entry["Categories"].rstrip(";").split(";"))
    spec = (ROOT / "packaging" / "meta-creation-studio.spec").read_text()
    assert f'NAME = "{SCRIPT}"' in spec


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_desktop_file_validate_finds_no_error_in_the_entry() -> None:
    result = subprocess.run(["desktop-file-validate", str(ROOT / "packaging" / "linux" / f"{SCRIPT}.desktop")],
                            capture_output=True, text=True, timeout=30)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]  # hints are advice
    assert result.returncode == 0 and not errors, result.stdout


def test_install_sh_puts_the_bundle_the_entry_and_the_icon_where_desktops_look(tmp_path: Path) -> None:
    bundle = tmp_path / "dist" / SCRIPT  # laid out as `make bundle` leaves it
    (bundle / "_internal").mkdir(parents=True)
    (bundle / SCRIPT).write_text("#!/bin/sh\necho bundle-ran \"$@\"\n")
    (bundle / SCRIPT).chmod(0o755)
    for name in ("install.sh", f"{SCRIPT}.desktop"):
        (bundle / name).write_bytes((ROOT / "packaging" / "linux" / name).read_bytes())
    (bundle / "install.sh").chmod(0o755)
    (bundle / f"{SCRIPT}.png").write_bytes((ROOT / "assets" / "icon.png").read_bytes())
    prefix = tmp_path / "prefix"
    env = dict(os.environ, PREFIX=str(prefix), PATH="/usr/bin:/bin")

    result = subprocess.run([str(bundle / "install.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    app = prefix / "lib" / SCRIPT
    entry = _desktop_entry(prefix / "share" / "applications" / f"{SCRIPT}.desktop")
    assert entry["Exec"] == f'"{app / SCRIPT}" %f' and entry["TryExec"] == str(app / SCRIPT)
    assert (prefix / "share" / "icons" / "hicolor" / "256x256" / "apps" / f"{SCRIPT}.png").is_file()
    ran = subprocess.run([str(prefix / "bin" / SCRIPT), "--version"], capture_output=True, text=True, timeout=30)
    assert ran.stdout.strip() == "bundle-ran --version"

    result = subprocess.run([str(bundle / "install.sh"), "--uninstall"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert not app.exists() and not (prefix / "bin" / SCRIPT).exists()
    assert not (prefix / "share" / "applications" / f"{SCRIPT}.desktop").exists()


def test_install_sh_refuses_a_folder_that_is_no_bundle(tmp_path: Path) -> None:
    (tmp_path / "install.sh").write_bytes((ROOT / "packaging" / "linux" / "install.sh").read_bytes())
    result = subprocess.run(["sh", str(tmp_path / "install.sh")], env=dict(os.environ, PREFIX=str(tmp_path / "p")),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "not a built bundle" in result.stderr


def test_the_committed_icon_is_what_make_icon_draws() -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from make_icon import SIZE, draw_icon
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    committed = Image.open(ROOT / "assets" / "icon.png")
    assert committed.size == (SIZE, SIZE) and committed.mode == "RGBA"
    drawn = np.asarray(draw_icon(), dtype=np.int16)
    assert np.abs(drawn - np.asarray(committed, dtype=np.int16)).mean() < 1.0  # resampling may differ by a unit
    assert Image.open(ROOT / "assets" / "icon.ico").format == "ICO"
