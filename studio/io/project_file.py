"""Project files (``.mcs``): save a whole session atomically, open one strictly and safely.

A project file is a zip archive. ``manifest.json`` describes everything; the other members are
the samples' original bytes (``samples/``), the works as PNG or melody JSON (``works/``),
adapted weights as safetensors bytes (``weights/``) and the painting guide as PNG (``guide/``; the
window keeps it in the settings' ``guide`` entry), each listed with its SHA-256.

Saving writes a temporary file beside the target, syncs it to disk and renames it over the
target (:mod:`studio.core.atomic`), so a crash or a full disk never leaves half a project; the
temporary files of saves killed mid-write are removed at the next save or open in that folder. Opening reads everything into
memory (never extracting to disk), refuses anything the writer would not produce (unsafe or
unlisted member names, oversized or bomb-like members, checksum mismatches, a newer format)
and builds a brand-new :class:`Project`: a failed open changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import errno
import hashlib
import io
import json
import os
import re
import threading
import time
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import numpy as np

from studio import __version__
from studio.core.atomic import atomic_write_with, remove_stale_temps
from studio.core.project import Project
from studio.core.samples import Domain, Sample, SampleSet
from studio.core.works import Gallery, Work, WorkStatus
from studio.errors import ProjectError, StudioError
from studio.io.melody_json import melody_from_dict, melody_to_dict

FORMAT = "meta-creation-studio-project"
FORMAT_VERSION = 1
SUFFIX = ".mcs"
MANIFEST = "manifest.json"
GUIDE_SETTING = "guide"  # settings entry of the painting guide: {"name", "png": base64} in memory, a member on disk

# Limits, read at call time so tests can lower them. The writer enforces them too, so the
# studio never saves a file it would refuse to open.
MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 256 * 2**20
MAX_TOTAL_BYTES = 1024 * 2**20
MAX_MANIFEST_BYTES = 16 * 2**20
MAX_RATIO = 1000  # uncompressed / compressed; deflate tops out near 1030 on a run of zeros
RATIO_MIN_BYTES = 2**20  # a high ratio on a small member cannot exhaust memory
# Many small members each under RATIO_MIN_BYTES can still add up: 900 members of 1 MiB of zeros
# make a 1.1 MB file that would read into 900 MB. So the members together may expand to at most
# MAX_TOTAL_RATIO times the file's size, plus TOTAL_RATIO_SLACK_BYTES so that small projects of
# very compressible melodies always open. The writer deflates only members of at most 1 MiB and
# stores PNGs and weights, so a real project stays far below (melody JSON deflates about 10x).
MAX_TOTAL_RATIO = 100
TOTAL_RATIO_SLACK_BYTES = 16 * 2**20
MAX_WORK_PIXELS = 4096 * 4096

# PNG encodings keyed by pixel content: autosaving a gallery re-encodes only new works (an
# encode costs ~10-25 ms, hashing the pixels well under 1 ms).
PNG_CACHE_ENTRIES = 512
_png_cache: OrderedDict[bytes, bytes] = OrderedDict()
_png_lock = threading.Lock()

_SAFE_PART = re.compile(r"[A-Za-z0-9._-]+")
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
               RuntimeError)


# ---------------------------------------------------------------------------------- writing


def save_project(project: Project, path: str | os.PathLike) -> None:
    """Write ``project`` to ``path`` atomically (temp file, fsync, rename).

    On failure the previous file at ``path`` is untouched and no temporary file remains.

    Raises:
        ProjectError: the project cannot be serialised or the file cannot be written.
    """
    where = os.fspath(path)
    target = Path(os.path.realpath(where))  # a symlinked project file stays a link
    if target.is_dir():
        raise ProjectError("is a folder; choose a file name to save the project as", where)
    manifest, members = _serialize(project, where)
    directory = target.parent
    remove_stale_temps(directory)  # what earlier saves killed mid-write left beside the project
    try:
        atomic_write_with(target, lambda f: _write_zip(manifest, members, f))
    except Exception as exc:
        raise ProjectError(_write_reason(exc, directory), where) from exc


def project_to_bytes(project: Project) -> bytes:
    """The project file's bytes, as :func:`save_project` would write them."""
    manifest, members = _serialize(project, "<memory>")
    buffer = io.BytesIO()
    _write_zip(manifest, members, buffer)
    return buffer.getvalue()


def _serialize(project: Project, where: str) -> tuple[bytes, list[tuple[str, bytes, bool]]]:
    """The manifest's bytes and ``(member, bytes, deflate)`` for every other member."""
    members: list[tuple[str, bytes, bool]] = []
    used: set[str] = set()

    def add(folder: str, stem: str, ext: str, data: bytes, deflate: bool) -> dict[str, str]:
        member = _unique_member(folder, stem, ext, used)
        if len(data) > MAX_MEMBER_BYTES:
            raise ProjectError(
                f"{member} is {len(data) / 2**20:.0f} MB; a project member may hold at most "
                f"{MAX_MEMBER_BYTES // 2**20} MB", where)
        members.append((member, data, deflate and len(data) <= RATIO_MIN_BYTES))
        return {"member": member, "sha256": hashlib.sha256(data).hexdigest()}

    entry: dict[str, Any]
    samples = []
    for i, sample in enumerate(project.samples):
        entry = add("samples", f"{i:03d}_{_safe_stem(sample.name, 'sample')}", "", bytes(sample.data),
                    sample.domain is Domain.MELODY)
        samples.append({"name": sample.name, "path": sample.path, **entry})
    works = []
    for work in project.gallery:
        entry = {"member": None, "sha256": None}
        if work.domain is Domain.PAINTING and work.image is not None:
            entry = add("works", _safe_stem(work.id, "work"), ".png", _encode_work_png(work, where), False)
        elif work.domain is Domain.MELODY and work.melody is not None:
            text = json.dumps(melody_to_dict(work.melody), ensure_ascii=False)
            entry = add("works", _safe_stem(work.id, "work"), ".json", text.encode("utf-8"), True)
        works.append({"id": work.id, "domain": Domain(work.domain).value, "seed": int(work.seed),
                      "status": WorkStatus(work.status).value, "title": work.title,
                      "provenance": work.provenance, **entry})
    weights = []
    for name, blob in project.weights.items():
        entry = add("weights", _safe_stem(name, "weights"), ".safetensors", bytes(blob), False)
        weights.append({"name": name, **entry})
    settings = _guide_to_member(project.settings, add)
    if len(members) + 1 > MAX_MEMBERS:
        raise ProjectError(f"the project has {len(members)} parts; at most {MAX_MEMBERS - 1} can be saved",
                           where)
    total = sum(len(data) for _, data, _ in members)
    if total > MAX_TOTAL_BYTES:
        raise ProjectError(f"the project holds {total / 2**20:.0f} MB; at most "
                           f"{MAX_TOTAL_BYTES // 2**20} MB can be saved. Remove weights or works.", where)
    manifest = {
        "format": FORMAT, "version": FORMAT_VERSION, "app_version": __version__,
        "title": project.title, "domain": None if project.domain is None else project.domain.value,
        "settings": settings, "samples": samples,
        "gallery": {"works": works, "rejected_seeds": sorted(map(int, project.gallery.rejected_seeds))},
        "weights": weights,
    }
    try:
        text = json.dumps(manifest, ensure_ascii=False, indent=1)
    except (TypeError, ValueError) as exc:
        raise ProjectError(f"{_unjsonable(project)} holds a value a project file cannot store ({exc})",
                           where) from exc
    data = text.encode("utf-8")
    if len(data) > MAX_MANIFEST_BYTES:
        raise ProjectError("the project's settings and provenance are too large to save", where)
    return data, members


def _guide_to_member(settings: dict[str, Any], add: Callable[..., dict[str, str]]) -> dict[str, Any]:
    """``settings`` with the painting guide's picture (kept inline by the window as base64 PNG under
    ``settings["guide"]["png"]``) moved to a ``guide/`` PNG member, listed with its SHA-256; an
    entry that is not a decodable picture is saved as it is (opening judges it)."""
    entry = settings.get(GUIDE_SETTING)
    if not isinstance(entry, dict) or not isinstance(entry.get("png"), str):
        return settings
    try:
        png = base64.b64decode(entry["png"], validate=True)
    except (binascii.Error, ValueError):
        return settings
    name = entry.get("name") if isinstance(entry.get("name"), str) else "guide"
    stored = add("guide", _safe_stem(name, "guide"), ".png", png, False)
    rest = {k: v for k, v in entry.items() if k != "png"}
    return {**settings, GUIDE_SETTING: {**rest, **stored}}


def _write_zip(manifest: bytes, members: list[tuple[str, bytes, bool]], stream: IO[bytes]) -> None:
    stamp = time.localtime()[:6]
    with zipfile.ZipFile(stream, "w") as zf:
        for name, data, deflate in [(MANIFEST, manifest, True), *members]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            # PNG, JPEG and float weights barely compress: storing them keeps autosave fast
            info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
            zf.writestr(info, data)


def _encode_work_png(work: Work, where: str) -> bytes:
    image = np.asarray(work.image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ProjectError(f"work {work.id} has an image of shape {image.shape} and type {image.dtype}; "
                           "expected height x width x 3 uint8", where)
    if image.shape[0] * image.shape[1] > MAX_WORK_PIXELS:
        raise ProjectError(f"work {work.id} is {image.shape[1]}x{image.shape[0]} pixels; too large to save",
                           where)
    from studio.io.images import encode_png

    image = np.ascontiguousarray(image)
    digest = hashlib.blake2b(str(image.shape).encode(), digest_size=16)
    digest.update(image.data)
    key = digest.digest()
    with _png_lock:
        cached = _png_cache.get(key)
        if cached is not None:
            _png_cache.move_to_end(key)
            return cached
    try:
        png = encode_png(image)
    except ValueError as exc:
        raise ProjectError(f"work {work.id} cannot be saved as PNG: {exc}", where) from exc
    with _png_lock:
        _png_cache[key] = png
        while len(_png_cache) > PNG_CACHE_ENTRIES:
            _png_cache.popitem(last=False)
    return png


def _unique_member(folder: str, stem: str, ext: str, used: set[str]) -> str:
    member, n = f"{folder}/{stem}{ext}", 1
    while member in used:
        n += 1
        member = f"{folder}/{stem}_{n}{ext}"
    used.add(member)
    return member


def _safe_stem(name: str, fallback: str) -> str:
    return _UNSAFE_CHARS.sub("_", name).strip("._")[:60] or fallback


def _unjsonable(project: Project) -> str:
    """Which part of the project JSON cannot encode (for the error message)."""
    try:
        json.dumps(project.settings)
    except (TypeError, ValueError):
        return "the project's settings"
    for work in project.gallery:
        try:
            json.dumps(work.provenance)
        except (TypeError, ValueError):
            return f"the provenance of work {work.id}"
    return "the project's title or names"


def _write_reason(exc: BaseException, directory: Path) -> str:
    if isinstance(exc, StudioError):
        return exc.reason
    if isinstance(exc, FileNotFoundError):
        return f"the folder {directory} does not exist"
    if isinstance(exc, PermissionError):
        return f"permission denied: the studio cannot write in {directory}"
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "the disk is full; free some space and save again (the previous file is unchanged)"
    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return f"{directory} is on a read-only disk"
    return f"the project could not be written ({getattr(exc, 'strerror', None) or exc})"


# ---------------------------------------------------------------------------------- reading


def load_project(path: str | os.PathLike) -> Project:
    """Open the project file at ``path`` and return a new :class:`Project`.

    Raises:
        ProjectError: the file is missing, unreadable, not a project, damaged, hostile, from a
            newer studio, or one of its samples no longer decodes. The reason names the problem.
    """
    where = os.fspath(path)
    try:
        f = open(where, "rb")
    except FileNotFoundError as exc:
        raise ProjectError("the file does not exist", where) from exc
    except IsADirectoryError as exc:
        raise ProjectError("is a folder, not a project file", where) from exc
    except PermissionError as exc:
        raise ProjectError("permission denied: the studio cannot read this file", where) from exc
    except OSError as exc:
        raise ProjectError(f"the file could not be read ({exc.strerror or exc})", where) from exc
    remove_stale_temps(Path(os.path.realpath(where)).parent)  # left by saves killed mid-write
    with f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise ProjectError("the file is empty (0 bytes); it is not a project", where)
        if size > MAX_TOTAL_BYTES + MAX_MANIFEST_BYTES:
            raise ProjectError(
                f"the file is {size / 2**20:.0f} MB, larger than any project the studio writes", where)
        return _load(f, where)


def project_from_bytes(data: bytes, path: str = "<memory>") -> Project:
    """The project held in ``data`` (a project file's bytes); ``path`` only names it in errors."""
    if not data:
        raise ProjectError("the file is empty (0 bytes); it is not a project", path)
    return _load(io.BytesIO(data), path)


def _load(stream: IO[bytes], where: str) -> Project:
    manifest, blobs = _read_archive(stream, where)
    return _build_project(manifest, blobs, where)


def _read_archive(stream: IO[bytes], where: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The parsed manifest and every member's bytes, after checking names and sizes."""
    try:
        file_size = stream.seek(0, io.SEEK_END)
        stream.seek(0)
        archive = zipfile.ZipFile(stream)
    except _ZIP_ERRORS as exc:
        raise ProjectError(f"not a project file, or one cut short ({exc})", where) from exc
    try:
        with archive as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise ProjectError(
                    f"the archive has {len(infos)} members; a project has at most {MAX_MEMBERS}", where)
            files = _check_members(infos, file_size, where)
            if MANIFEST not in files:
                raise ProjectError("there is no manifest.json: this is a zip file but not a studio project",
                                   where)
            text = _read_member(zf, files.pop(MANIFEST), MAX_MANIFEST_BYTES, where)
            manifest = _parse_manifest(text, where)
            blobs = {name: _read_member(zf, info, MAX_MEMBER_BYTES, where) for name, info in files.items()}
    except _ZIP_ERRORS as exc:
        raise ProjectError(f"the project file is damaged ({exc})", where) from exc
    return manifest, blobs


def _check_members(infos: list[zipfile.ZipInfo], file_size: int, where: str) -> dict[str, zipfile.ZipInfo]:
    """Refuse unsafe names, duplicates, encryption, odd compression, oversized or bomb-like members,
    all from the headers, before anything is decompressed (the reader never reads past a header's
    declared size, so a header that lies cannot get round these checks)."""
    files: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    total = 0
    expansion_limit = MAX_TOTAL_RATIO * file_size + TOTAL_RATIO_SLACK_BYTES
    for info in infos:
        name = info.filename
        problem = _name_problem(name)
        if problem:
            raise ProjectError(f"member {name!r} {problem}; refusing to open a possibly hostile file", where)
        if name in seen:
            raise ProjectError(f"member {name!r} appears twice", where)
        seen.add(name)
        if info.is_dir() and info.file_size == 0:
            continue  # folders added by re-zipping tools hold nothing
        if info.flag_bits & 0x1:
            raise ProjectError(f"member {name!r} is encrypted; projects are never encrypted", where)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ProjectError(f"member {name!r} uses compression method {info.compress_type}; "
                               "projects use only stored or deflated members", where)
        if info.file_size > MAX_MEMBER_BYTES:
            raise ProjectError(f"member {name!r} is {info.file_size / 2**20:.0f} MB; members over "
                               f"{MAX_MEMBER_BYTES // 2**20} MB are refused", where)
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ProjectError(f"the members add up to more than {MAX_TOTAL_BYTES // 2**20} MB; refused",
                               where)
        if total > expansion_limit:
            raise ProjectError(
                f"the members expand to more than {expansion_limit / 2**20:.0f} MB, over {MAX_TOTAL_RATIO}x "
                f"the file's {file_size / 2**20:.1f} MB; refusing a likely zip bomb", where)
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise ProjectError(f"member {name!r} expands {info.file_size // max(1, info.compress_size)}x; "
                               "refusing a likely zip bomb", where)
        files[name] = info
    return files


def _name_problem(name: str) -> str | None:
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "has an absolute path"
    if "\\" in name:
        return "contains a backslash"
    parts = name[:-1].split("/") if name.endswith("/") else name.split("/")
    if any(part in ("..", ".") for part in parts):
        return "climbs out of the archive with '..'"
    if not all(_SAFE_PART.fullmatch(part) for part in parts):
        return "has an empty part or characters the studio never writes"
    return None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, where: str) -> bytes:
    """The member's bytes, read in chunks so a header that lies about the size cannot flood memory."""
    limit = min(limit, info.file_size)
    chunks, size = [], 0
    with zf.open(info) as f:
        while chunk := f.read(min(2**20, limit - size + 1)):
            size += len(chunk)
            if size > limit:
                raise ProjectError(f"member {info.filename!r} is larger than its header says; refused", where)
            chunks.append(chunk)
    if size != info.file_size:
        raise ProjectError(f"member {info.filename!r} is truncated", where)
    return b"".join(chunks)


def _parse_manifest(data: bytes, where: str) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ProjectError("manifest.json is not UTF-8 text", where) from exc
    except json.JSONDecodeError as exc:
        raise ProjectError(f"manifest.json is not valid JSON ({exc.msg} at line {exc.lineno})",
                           where) from exc
    except RecursionError as exc:
        raise ProjectError("manifest.json is nested too deeply", where) from exc
    if not isinstance(manifest, dict):
        raise ProjectError("manifest.json must hold a JSON object", where)
    if manifest.get("format") != FORMAT:
        raise ProjectError(
            f"not a Meta-Creation Studio project (manifest format is {manifest.get('format')!r})", where)
    version = manifest.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ProjectError(f"manifest.json has an invalid format version {version!r}", where)
    if version > FORMAT_VERSION:
        raise ProjectError(f"was saved by a newer version (format {version}); this studio reads format "
                           f"{FORMAT_VERSION}. Update the studio to open it.", where)
    return manifest


# ------------------------------------------------------------------------ building the project


def _build_project(manifest: dict[str, Any], blobs: dict[str, bytes], where: str) -> Project:
    m = _Fields(where)
    title = m.get(manifest, "title", str, "manifest")
    m.get(manifest, "app_version", str, "manifest")
    domain = m.get(manifest, "domain", str, "manifest", nullable=True)
    if domain is not None and domain not in ("painting", "melody"):
        raise ProjectError(f"manifest domain {domain!r} is neither 'painting' nor 'melody'", where)
    settings = m.get(manifest, "settings", dict, "manifest")
    sample_entries = m.items(manifest, "samples", "manifest")
    gallery_obj = m.get(manifest, "gallery", dict, "manifest")
    work_entries = m.items(gallery_obj, "works", "gallery")
    rejected = m.get(gallery_obj, "rejected_seeds", list, "gallery")
    weight_entries = m.items(manifest, "weights", "manifest")
    if any(isinstance(s, bool) or not isinstance(s, int) for s in rejected):
        raise ProjectError("gallery rejected_seeds must be a list of integers", where)

    kinds = (("sample", sample_entries), ("work", work_entries), ("weights", weight_entries))
    members = [m.get(e, "member", str, what, nullable=(what == "work"))
               for what, entries in kinds for e in entries]
    guide_entry = settings.get(GUIDE_SETTING)
    if isinstance(guide_entry, dict) and "member" in guide_entry:
        members.append(m.get(guide_entry, "member", str, "the guide"))
    listed = [x for x in members if x is not None]
    twice = sorted({x for x in listed if listed.count(x) > 1}) if len(set(listed)) != len(listed) else []
    if twice:
        raise ProjectError(f"the manifest lists member {twice[0]!r} twice", where)
    for member in listed:
        if member not in blobs:
            raise ProjectError(f"member {member!r} is listed in the manifest but missing from the file",
                               where)
    unlisted = sorted(blobs.keys() - set(listed))
    if unlisted:
        raise ProjectError(f"member {unlisted[0]!r} is not listed in the manifest; refusing an altered file",
                           where)

    samples = SampleSet()
    for entry in sample_entries:
        name = m.get(entry, "name", str, "sample")
        original = m.get(entry, "path", str, "sample")
        # read as at import, under its original path: names derived from it come out the same
        data = m.blob(entry, blobs, "sample")
        sample = _decode_sample(data, original or entry["member"], name, where)
        if domain is not None and sample.domain.value != domain:
            raise ProjectError(f"sample {name!r} is a {sample.domain.value} in a {domain} project", where)
        try:
            samples.append(replace(sample, name=name, path=original))
        except StudioError as exc:
            raise ProjectError(f"sample {name!r}: {exc.reason}", where) from exc
    if (None if samples.domain is None else samples.domain.value) != domain:
        raise ProjectError(f"manifest domain {domain!r} does not match its samples", where)
    works = [_decode_work(entry, blobs, m, where) for entry in work_entries]
    weights = {}
    for entry in weight_entries:
        name = m.get(entry, "name", str, "weights")
        if name in weights:
            raise ProjectError(f"weights {name!r} are listed twice", where)
        weights[name] = m.blob(entry, blobs, "weights")
    if isinstance(guide_entry, dict) and "member" in guide_entry:  # back inline, as the window keeps it
        png = m.blob(guide_entry, blobs, "the guide")
        settings = {**settings, GUIDE_SETTING: {**{k: v for k, v in guide_entry.items()
                                                   if k not in ("member", "sha256")},
                                                "png": base64.b64encode(png).decode("ascii")}}
    gallery = Gallery(works)
    gallery.rejected_seeds.update(rejected)
    return Project(samples=samples, gallery=gallery, settings=settings, weights=weights, title=title)


def _decode_sample(data: bytes, source: str, name: str, where: str) -> Sample:
    from studio.io.samples import load_sample  # the reader of both kinds, sniffed by content

    try:
        return load_sample(source, data=data)
    except StudioError as exc:
        raise ProjectError(f"sample {name!r} no longer decodes: {exc.reason}", where) from exc
    except Exception as exc:  # a hostile sample must not escape as anything but a project error
        raise ProjectError(f"sample {name!r} no longer decodes ({type(exc).__name__}: {exc})", where) from exc


def _decode_work(entry: dict[str, Any], blobs: dict[str, bytes], m: _Fields, where: str) -> Work:
    work_id = m.get(entry, "id", str, "work")
    what = f"work {work_id}"
    try:
        domain = Domain(m.get(entry, "domain", str, what))
        status = WorkStatus(m.get(entry, "status", str, what))
    except ValueError as exc:
        raise ProjectError(f"{what}: {exc}", where) from exc
    seed = m.get(entry, "seed", int, what)
    title = m.get(entry, "title", str, what)
    provenance = m.get(entry, "provenance", dict, what)
    image = melody = None
    if entry["member"] is not None:
        data = m.blob(entry, blobs, what)
        if domain is Domain.PAINTING:
            image = _decode_png(data, what, where)
        else:
            try:
                melody = melody_from_dict(json.loads(data.decode("utf-8")))
            except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8 and bad fields alike
                raise ProjectError(f"{what}: its melody is damaged ({exc})", where) from exc
    return Work(domain=domain, seed=seed, image=image, melody=melody, provenance=provenance,
                status=status, title=title, id=work_id)


def _decode_png(data: bytes, what: str, where: str) -> np.ndarray:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as img:
            if img.width * img.height > MAX_WORK_PIXELS:
                raise ProjectError(f"{what} is {img.width}x{img.height} pixels; refused as too large", where)
            return np.array(img.convert("RGB"), dtype=np.uint8)
    except ProjectError:
        raise
    except Exception as exc:  # Pillow raises OSError, SyntaxError, EOFError... on damaged PNGs
        raise ProjectError(f"{what}: its image is not a readable PNG ({exc})", where) from exc


class _Fields:
    """Typed access to manifest fields with errors that name the field."""

    def __init__(self, where: str) -> None:
        self.where = where

    def get(self, obj: dict[str, Any], key: str, kind: type, what: str, *, nullable: bool = False) -> Any:
        if key not in obj:
            raise ProjectError(f"{what} in manifest.json lacks '{key}'", self.where)
        value = obj[key]
        if value is None and nullable:
            return None
        if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
            raise ProjectError(f"{what} '{key}' in manifest.json must be {kind.__name__}, got {value!r:.60}",
                               self.where)
        return value

    def items(self, obj: dict[str, Any], key: str, what: str) -> list[dict[str, Any]]:
        entries = self.get(obj, key, list, what)
        if not all(isinstance(e, dict) for e in entries):
            raise ProjectError(f"{what} '{key}' in manifest.json must be a list of objects", self.where)
        return entries

    def blob(self, entry: dict[str, Any], blobs: dict[str, bytes], what: str) -> bytes:
        """The entry's member bytes, after checking their SHA-256."""
        data = blobs[entry["member"]]
        expected = self.get(entry, "sha256", str, what)
        if hashlib.sha256(data).hexdigest() != expected.lower():
            raise ProjectError(f"{what} ({entry['member']}) fails its SHA-256 check: the file is damaged",
                               self.where)
        return data
