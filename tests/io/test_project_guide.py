"""Project files keep the painting guide as a PNG member (``guide/``), listed with its SHA-256,
and give it back to the window inline (settings ``guide``: name and base64 PNG)."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import numpy as np
import pytest

from studio.core.project import Project
from studio.errors import ProjectError
from studio.io.png_text import encode_png
from studio.io.project_file import load_project, project_from_bytes, project_to_bytes, save_project


def _guide_entry() -> dict:
    rgb = np.zeros((20, 30, 3), np.uint8)
    rgb[:, :15] = (200, 100, 50)
    return {"name": "lake.jpg", "png": base64.b64encode(encode_png(rgb)).decode("ascii")}


def _rezip(data: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info.filename))
            if content is not None:
                dst.writestr(info, content)
    return out.getvalue()


def test_the_guide_is_a_png_member_and_comes_back_inline(tmp_path):
    project = Project(settings={"guide": _guide_entry(), "closeness": 0.4})
    path = tmp_path / "p.mcs"
    save_project(project, path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        png = zf.read("guide/lake.jpg.png") if "guide/lake.jpg.png" in names else zf.read(
            next(n for n in names if n.startswith("guide/")))
    assert any(n.startswith("guide/") and n.endswith(".png") for n in names)
    assert png.startswith(b"\x89PNG")
    assert "png" not in manifest["settings"]["guide"] and manifest["settings"]["guide"]["name"] == "lake.jpg"
    loaded = load_project(path)
    assert loaded.settings["guide"] == project.settings["guide"]
    assert loaded.settings["closeness"] == 0.4
    assert project.settings["guide"]["png"]  # saving did not change the session's project


def test_projects_without_a_guide_or_with_an_inline_one_still_open():
    plain = project_from_bytes(project_to_bytes(Project(settings={"x": 1})))
    assert "guide" not in plain.settings
    odd = {"name": "g", "png": "not base64!"}  # saved as it is; the window judges it on open
    assert project_from_bytes(project_to_bytes(Project(settings={"guide": odd}))).settings["guide"] == odd
    # a file written before the guide had a member of its own: the inline entry is read as it is
    data = project_to_bytes(Project(settings={"guide": _guide_entry()}))

    def inline(name: str, content: bytes) -> bytes | None:
        if name.startswith("guide/"):
            return None
        if name == "manifest.json":
            manifest = json.loads(content)
            manifest["settings"]["guide"] = _guide_entry()
            return json.dumps(manifest).encode()
        return content
    assert project_from_bytes(_rezip(data, inline)).settings["guide"] == _guide_entry()


def test_a_damaged_or_missing_guide_member_is_refused():
    data = project_to_bytes(Project(settings={"guide": _guide_entry()}))
    damaged = _rezip(data, lambda n, c: c[:-4] + b"xxxx" if n.startswith("guide/") else c)
    with pytest.raises(ProjectError, match="guide.*SHA-256"):
        project_from_bytes(damaged)
    missing = _rezip(data, lambda n, c: None if n.startswith("guide/") else c)
    with pytest.raises(ProjectError, match="missing"):
        project_from_bytes(missing)
