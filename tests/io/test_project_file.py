"""Project files: exact round trips, atomic saves, and refusal of malformed or hostile archives."""

from __future__ import annotations

import hashlib
import io
import json
import os
import warnings
import zipfile

import mido
import numpy as np
import pytest
from PIL import Image

from studio.core import KeySignature, Melody, Note, Project, SampleSet, Work, WorkStatus
from studio.core.samples import Domain
from studio.core.works import Gallery
from studio.errors import ProjectError
from studio.io import project_file as pf
from studio.io.melody_json import melody_from_dict, melody_to_dict
from studio.io.project_file import load_project, project_from_bytes, project_to_bytes, save_project
from studio.io.samples import load_sample

# ------------------------------------------------------------------------------- fixtures


def png_bytes(seed: int, size: tuple[int, int] = (12, 9)) -> bytes:
    rgb = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "PNG")
    return buffer.getvalue()


def midi_bytes(pitches: list[int]) -> bytes:
    track = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000, time=0)])
    for p in pitches:
        track += [mido.Message("note_on", note=p, velocity=90, time=0),
                  mido.Message("note_off", note=p, velocity=0, time=240)]
    buffer = io.BytesIO()
    mido.MidiFile(type=0, ticks_per_beat=480, tracks=[track]).save(file=buffer)
    return buffer.getvalue()


MELODY = Melody(
    notes=(Note(67, 0, 6, 70), Note(72, 6, 18), Note(71, 32, 8, 127), Note(69, 40, 8, 1)),
    tempo_bpm=97.25, time_signature=(6, 8), key=KeySignature(7, "minor"), pickup=6, name="tune",
    notices=("quantised to the grid",),
)


def painting_project() -> Project:
    samples = SampleSet([load_sample("/home/a/one.png", png_bytes(1)),
                         load_sample("/home/a/two ünïcode ..x.png", png_bytes(2))])
    rgb = np.random.default_rng(3).integers(0, 256, (16, 20, 3), dtype=np.uint8)
    works = [
        Work(Domain.PAINTING, seed=11, image=rgb, provenance={"model": "tiny", "parents": [], "t": 0.5},
             status=WorkStatus.KEPT, title="Dawn"),
        Work(Domain.PAINTING, seed=12, image=rgb[::-1].copy(), status=WorkStatus.REJECTED, id="same"),
        Work(Domain.PAINTING, seed=13, image=None, id="same"),  # duplicate ids and a missing image survive
    ]
    gallery = Gallery(works)
    gallery.rejected_seeds.add(99)
    return Project(samples=samples, gallery=gallery, title="Paintings",
                   settings={"steps": 5, "lr": 0.001, "nested": {"a": [1, "x", None, True]}},
                   weights={"adapted/v1": b"\x08\x00\x00\x00\x00\x00\x00\x00{}      " + bytes(range(256))})


def melody_project() -> Project:
    samples = SampleSet([load_sample("tune.mid", midi_bytes([60, 62, 64, 65]))])
    works = [Work(Domain.MELODY, seed=5, melody=MELODY, status=WorkStatus.NEW, provenance={"method": "maml"}),
             Work(Domain.MELODY, seed=6, melody=Melody(notes=()), status=WorkStatus.REJECTED)]
    return Project(samples=samples, gallery=Gallery(works), title="Tunes")


def assert_same(a: Project, b: Project) -> None:
    assert (a.title, a.settings, a.weights, a.domain) == (b.title, b.settings, b.weights, b.domain)
    assert list(a.samples) == list(b.samples)  # name, path, domain, bytes and facts
    for sa, sb in zip(a.samples, b.samples):
        if sa.image is not None:
            np.testing.assert_array_equal(sa.image, sb.image)
        assert sa.melody == sb.melody
    assert len(a.gallery) == len(b.gallery)
    for wa, wb in zip(a.gallery, b.gallery):
        assert (wa, wa.provenance, wa.melody) == (wb, wb.provenance, wb.melody)
        assert (wa.melody and wa.melody.notices) == (wb.melody and wb.melody.notices)
        if wa.image is None:
            assert wb.image is None
        else:
            assert wb.image.dtype == np.uint8
            np.testing.assert_array_equal(wa.image, wb.image)
    assert a.gallery.rejected_seeds == b.gallery.rejected_seeds


# ---------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("make", [painting_project, melody_project, Project])
def test_round_trip_through_a_file(tmp_path, make):
    project = make()
    path = tmp_path / "p.mcs"
    save_project(project, path)
    loaded = load_project(path)
    assert loaded is not project
    assert_same(project, loaded)
    assert sorted(os.listdir(tmp_path)) == ["p.mcs"]


def test_round_trip_through_bytes_keeps_rejected_seeds_and_weights():
    project = painting_project()
    loaded = project_from_bytes(project_to_bytes(project))
    assert loaded.gallery.rejected_seeds == {12, 99}
    assert loaded.weights == project.weights
    assert [s.name for s in loaded.samples] == ["one.png", "two ünïcode ..x.png"]


def test_manifest_layout():
    with zipfile.ZipFile(io.BytesIO(project_to_bytes(painting_project()))) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
    assert names[0] == "manifest.json"
    assert manifest["format"] == "meta-creation-studio-project" and manifest["version"] == 1
    assert manifest["domain"] == "painting"
    assert [s["member"] for s in manifest["samples"]] == [
        "samples/000_one.png", "samples/001_two_n_code_..x.png"]
    assert [s["path"] for s in manifest["samples"]] == ["/home/a/one.png", "/home/a/two ünïcode ..x.png"]
    works = manifest["gallery"]["works"]
    assert [w["member"] for w in works[1:]] == ["works/same.png", None]
    assert works[0]["member"] == f"works/{works[0]['id']}.png" and works[0]["status"] == "kept"
    entries = manifest["samples"] + works + manifest["weights"]
    assert set(names) == {"manifest.json"} | {e["member"] for e in entries if e["member"]}
    assert manifest["weights"][0]["member"] == "weights/adapted_v1.safetensors"
    assert manifest["gallery"]["rejected_seeds"] == [12, 99]


def test_png_cache_follows_pixel_content():
    rgb = np.zeros((6, 7, 3), np.uint8)
    project = Project(gallery=Gallery([Work(Domain.PAINTING, seed=1, image=rgb)]))
    first = project_to_bytes(project)
    rgb[2, 3] = (1, 2, 3)  # edited in place: the cached encoding must not be reused
    np.testing.assert_array_equal(project_from_bytes(project_to_bytes(project)).gallery[0].image, rgb)
    assert project_from_bytes(first).gallery[0].image.sum() == 0


def test_melody_json_round_trip_is_exact():
    again = melody_from_dict(json.loads(json.dumps(melody_to_dict(MELODY))))
    assert again == MELODY and again.notices == MELODY.notices


@pytest.mark.parametrize("bad, message", [
    ({"notes": [[60, 0, 0, 80]]}, "duration"),
    ({"notes": [[60, 0, True, 80]]}, "integer"),
    ({"notes": [[60, 0, 4]]}, "pitch, start"),
    ({"notes": [], "key": {"tonic": 13, "mode": "major"}}, "tonic"),
    ({"notes": [], "pickup": -1}, "pickup"),
    ([], "JSON object"),
])
def test_melody_json_rejects_bad_fields(bad, message):
    with pytest.raises(ValueError, match=message):
        melody_from_dict(bad)


# ------------------------------------------------------------------------------ atomicity


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "p.mcs"
    save_project(melody_project(), path)
    before = path.read_bytes()

    def full_disk(manifest, members, stream):
        stream.write(b"PK\x03\x04 half a project")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pf, "_write_zip", full_disk)
    with pytest.raises(ProjectError, match="disk is full") as caught:
        save_project(painting_project(), path)
    assert caught.value.path == str(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["p.mcs"]


def test_failed_rename_and_interrupt_leave_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "p.mcs"
    save_project(melody_project(), path)
    before = path.read_bytes()
    monkeypatch.setattr(pf.os, "replace", lambda *a: (_ for _ in ()).throw(PermissionError(13, "denied")))
    with pytest.raises(ProjectError, match="permission denied"):
        save_project(Project(), path)
    monkeypatch.setattr(pf.os, "fsync", lambda fd: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        save_project(Project(), path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["p.mcs"]


_KILLED_SAVE = """
import sys, time
from studio.core import Project
from studio.io import project_file as pf

write = pf._write_zip
def slow_write(manifest, members, stream):
    write(manifest, members, stream)
    stream.flush()
    print("writing", flush=True)
    time.sleep(60)
pf._write_zip = slow_write
pf.save_project(Project(title="killed", weights={"w": bytes(3 * 2**20)}), sys.argv[1])
"""


def _kill_a_save(path) -> None:
    """Start a save of ``path`` in a child process and SIGKILL it mid-write."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    child = subprocess.Popen([sys.executable, "-c", _KILLED_SAVE, str(path)], stdout=subprocess.PIPE,
                             cwd=Path(__file__).resolve().parents[2])
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"writing"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        if child.stdout is not None:
            child.stdout.close()


def test_saves_killed_mid_write_leave_nothing_after_the_next_save_or_open(tmp_path):
    path = tmp_path / "p.mcs"
    save_project(Project(title="first"), path)
    for _ in range(3):
        _kill_a_save(path)
        # the project and one hidden temporary: each save first removed the one before
        assert len(os.listdir(tmp_path)) == 2
    assert load_project(path).title == "first"  # the killed saves never touched the project
    assert os.listdir(tmp_path) == ["p.mcs"]  # opening removed them
    _kill_a_save(path)
    save_project(Project(title="second"), path)
    assert os.listdir(tmp_path) == ["p.mcs"]  # so did saving
    (tmp_path / ".p.mcs.1a2b3c4d.tmp").write_bytes(b"not ours by name")  # the old naming: left alone
    save_project(Project(title="third"), path)
    assert sorted(os.listdir(tmp_path)) == [".p.mcs.1a2b3c4d.tmp", "p.mcs"]


def test_save_replaces_and_keeps_permissions(tmp_path):
    path = tmp_path / "p.mcs"
    save_project(Project(title="old"), path)
    os.chmod(path, 0o640)
    save_project(Project(title="new"), path)
    assert load_project(path).title == "new"
    assert path.stat().st_mode & 0o777 == 0o640


def test_saving_through_a_symlink_keeps_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    link = tmp_path / "link.mcs"
    link.symlink_to(tmp_path / "real" / "p.mcs")
    save_project(Project(title="via link"), link)
    assert link.is_symlink() and load_project(tmp_path / "real" / "p.mcs").title == "via link"
    assert os.listdir(tmp_path / "real") == ["p.mcs"]


def test_save_errors_name_the_problem(tmp_path):
    with pytest.raises(ProjectError, match="does not exist"):
        save_project(Project(), tmp_path / "missing" / "p.mcs")
    with pytest.raises(ProjectError, match="is a folder"):
        save_project(Project(), tmp_path)
    with pytest.raises(ProjectError, match="settings"):
        save_project(Project(settings={"x": object()}), tmp_path / "p.mcs")
    bad = Work(Domain.PAINTING, seed=1, image=np.zeros((4, 4), np.float32), id="w1")
    with pytest.raises(ProjectError, match="w1"):
        save_project(Project(gallery=Gallery([bad])), tmp_path / "p.mcs")
    assert os.listdir(tmp_path) == []


def test_writer_refuses_what_the_reader_would(monkeypatch, tmp_path):
    monkeypatch.setattr(pf, "MAX_MEMBER_BYTES", 100)
    with pytest.raises(ProjectError, match="at most"):
        save_project(Project(weights={"w": bytes(101)}), tmp_path / "p.mcs")


# ----------------------------------------------------------------------- hostile archives


def zip_of(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we build on purpose
        with zipfile.ZipFile(buffer, "w") as zf:
            for name, data in members:
                zf.writestr(zipfile.ZipInfo(name), data, compress_type=method, compresslevel=9)
    return buffer.getvalue()


def valid_members() -> tuple[dict, list[tuple[str, bytes]]]:
    project = melody_project()
    project.weights["w"] = b"weights"
    with zipfile.ZipFile(io.BytesIO(project_to_bytes(project))) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        return manifest, [(n, zf.read(n)) for n in zf.namelist() if n != "manifest.json"]


def with_manifest(manifest: dict, members: list[tuple[str, bytes]]) -> bytes:
    return zip_of([("manifest.json", json.dumps(manifest).encode()), *members])


def refused(data: bytes, match: str) -> ProjectError:
    with pytest.raises(ProjectError, match=match) as caught:
        project_from_bytes(data, "hostile.mcs")
    assert caught.value.path == "hostile.mcs"
    return caught.value


def test_the_unaltered_archive_loads():
    manifest, members = valid_members()
    assert project_from_bytes(with_manifest(manifest, members)).weights == {"w": b"weights"}


def test_not_a_zip_empty_and_truncated():
    refused(b"hello, I am a text file", "not a project file, or one cut short")
    refused(b"", "empty")
    data = project_to_bytes(painting_project())
    refused(data[: len(data) // 2], "not a project file")
    refused(data[:-10], "not a project file")


def test_damaged_member_bytes_fail_the_crc():
    data = bytearray(project_to_bytes(Project(weights={"w": b"A" * 5000})))
    at = bytes(data).index(b"A" * 5000)
    data[at + 100] ^= 0xFF
    refused(bytes(data), "damaged")


@pytest.mark.parametrize("text, match", [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[1, 2]", "JSON object"),
    (b"[" * 100_000, "not valid JSON|nested too deeply"),
    (json.dumps({"format": "zip-of-cats", "version": 1}).encode(), "not a Meta-Creation Studio project"),
    (json.dumps({"format": pf.FORMAT, "version": "1"}).encode(), "invalid format version"),
])
def test_bad_manifests(text, match):
    refused(zip_of([("manifest.json", text)]), match)


def test_newer_version_says_so():
    manifest, members = valid_members()
    manifest["version"] = 7
    error = refused(with_manifest(manifest, members), "newer version")
    assert "was saved by a newer version (format 7); this studio reads format 1" in str(error)


@pytest.mark.parametrize("name, match", [
    ("../evil", "climbs out"),
    ("works/../../evil", "climbs out"),
    ("/etc/passwd", "absolute path"),
    ("C:/Windows/evil", "absolute path"),
    ("works\\evil.json", "backslash"),
    ("works//evil", "empty part"),
])
def test_unsafe_member_names_are_refused_without_touching_disk(tmp_path, monkeypatch, name, match):
    monkeypatch.chdir(tmp_path)
    manifest, members = valid_members()
    path = tmp_path / "hostile.mcs"
    path.write_bytes(with_manifest(manifest, [*members, (name, b"x")]))
    with pytest.raises(ProjectError, match=match):
        load_project(path)
    assert os.listdir(tmp_path) == ["hostile.mcs"] and not os.path.exists(tmp_path.parent / "evil")


def test_listing_mismatches():
    manifest, members = valid_members()
    refused(with_manifest(manifest, [*members, ("works/extra.json", b"{}")]), "not listed")
    refused(with_manifest(manifest, members[1:]), "missing from the file")
    refused(with_manifest(manifest, [*members, members[0]]), "appears twice")
    refused(zip_of([m for m in members]), "no manifest.json")
    manifest["weights"].append(dict(manifest["weights"][0], name="w2"))
    refused(with_manifest(manifest, members), "lists member .* twice")


def test_checksum_mismatch():
    manifest, members = valid_members()
    manifest["weights"][0]["sha256"] = hashlib.sha256(b"other").hexdigest()
    refused(with_manifest(manifest, members), "SHA-256")


def test_size_caps(monkeypatch):
    manifest, members = valid_members()
    data = with_manifest(manifest, members)
    monkeypatch.setattr(pf, "MAX_MEMBER_BYTES", 50)
    refused(data, "members over")
    monkeypatch.setattr(pf, "MAX_MEMBER_BYTES", 256 * 2**20)
    monkeypatch.setattr(pf, "MAX_TOTAL_BYTES", 200)
    refused(data, "add up to more than")
    monkeypatch.setattr(pf, "MAX_MEMBERS", 3)
    refused(data, "at most 3")


def test_zip_bomb_and_foreign_compression():
    manifest, members = valid_members()
    zeros = ("weights/bomb", bytes(2**21))  # deflates about 1030x
    bomb = zip_of([("manifest.json", json.dumps(manifest).encode()), *members, zeros], zipfile.ZIP_DEFLATED)
    refused(bomb, "zip bomb")
    refused(zip_of([("manifest.json", b"{}")], zipfile.ZIP_BZIP2), "compression method")


def test_many_small_compressible_members_are_refused_from_the_headers(monkeypatch):
    # 40 members of 1 MiB of zeros: each is under the per-member ratio check, together they
    # expand 40 MiB from a 45 kB file (the hostile test's 900 members read into 981 MB).
    manifest, members = valid_members()
    zeros = [(f"weights/z{i}", bytes(2**20)) for i in range(40)]
    bomb = zip_of([("manifest.json", json.dumps(manifest).encode()), *members, *zeros], zipfile.ZIP_DEFLATED)
    assert len(bomb) < 100_000
    monkeypatch.setattr(pf, "_read_member", lambda *a: pytest.fail("a member was decompressed"))
    error = refused(bomb, "expand to more than .* over 100x .* zip bomb")
    assert "MB" in error.reason


def test_the_total_expansion_limit_scales_with_the_file(monkeypatch):
    manifest, members = valid_members()
    data = with_manifest(manifest, members)
    monkeypatch.setattr(pf, "TOTAL_RATIO_SLACK_BYTES", 0)
    monkeypatch.setattr(pf, "MAX_TOTAL_RATIO", 1)
    assert project_from_bytes(data).title == "Tunes"  # stored members: the total is below the file's size
    monkeypatch.setattr(pf, "MAX_TOTAL_RATIO", 0)
    refused(data, "zip bomb")


def test_a_large_project_of_compressible_melodies_still_opens():
    tunes = [Work(Domain.MELODY, seed=i, melody=MELODY) for i in range(1000)]
    project = Project(samples=melody_project().samples, gallery=Gallery(tunes))
    assert len(project_from_bytes(project_to_bytes(project)).gallery) == 1000


def test_header_lying_about_size_is_caught():
    data = bytearray(project_to_bytes(Project(weights={"w": b"B" * 3000})))
    # shrink the declared size of the weights member in both headers: the reader must stop there
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := bytes(data).find(signature, start)) >= 0:
            if int.from_bytes(data[at + offset:at + offset + 4], "little") == 3000:
                data[at + offset:at + offset + 4] = (10).to_bytes(4, "little")
            start = at + 4
    refused(bytes(data), "damaged|truncated|SHA-256")


def test_samples_and_works_that_no_longer_decode():
    manifest, members = valid_members()
    garbage = b"MThd but not really a MIDI file"
    entry = manifest["samples"][0]
    entry["sha256"] = hashlib.sha256(garbage).hexdigest()
    swapped = [(n, garbage if n == entry["member"] else d) for n, d in members]
    refused(with_manifest(manifest, swapped), "no longer decodes")

    manifest, members = valid_members()
    work = manifest["gallery"]["works"][0]
    bad = json.dumps({"notes": [[60, 0, -3, 80]]}).encode()
    work["sha256"] = hashlib.sha256(bad).hexdigest()
    refused(with_manifest(manifest, [(n, bad if n == work["member"] else d) for n, d in members]),
            "melody is damaged")


@pytest.mark.parametrize("edit, match", [
    (lambda m: m["gallery"]["works"][0].update(seed="7"), "must be int"),
    (lambda m: m["gallery"]["works"][0].update(seed=True), "must be int"),
    (lambda m: m["gallery"]["works"][0].update(status="loved"), "not a valid WorkStatus"),
    (lambda m: m["gallery"]["works"][0].pop("id"), "lacks 'id'"),
    (lambda m: m.update(settings=[1]), "must be dict"),
    (lambda m: m.update(domain="painting"), "melody in a painting project"),
    (lambda m: m.update(domain=None), "does not match its samples"),
    (lambda m: m.update(domain="sculpture"), "neither 'painting' nor 'melody'"),
    (lambda m: m["gallery"].update(rejected_seeds=["x"]), "rejected_seeds"),
])
def test_bad_fields_are_named(edit, match):
    manifest, members = valid_members()
    edit(manifest)
    refused(with_manifest(manifest, members), match)


def test_load_path_errors(tmp_path):
    with pytest.raises(ProjectError, match="does not exist"):
        load_project(tmp_path / "nope.mcs")
    with pytest.raises(ProjectError, match="is a folder"):
        load_project(tmp_path)
    (tmp_path / "empty.mcs").write_bytes(b"")
    with pytest.raises(ProjectError, match="empty"):
        load_project(tmp_path / "empty.mcs")
