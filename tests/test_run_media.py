"""Media and timelines judged through `genai-hooks run` in real repositories: LFS, blobs, sidecars, cuts."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import opentimelineio as otio
import pytest
from conftest import ANY_REGISTER, ROOT_MANIFEST, Repo, generated
from PIL import Image
from provenance_media import TRAINED, png_bytes, png_info, xmp_packet

SD_PNG = png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1")))
CLEAN_PNG = png_bytes(png_info(("Software", "ARRI Reference Tool")))


def lfs_pointer(data: bytes) -> bytes:
    oid = hashlib.sha256(data).hexdigest()
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(data)}\n".encode()


def store_lfs_object(repo: Repo, data: bytes) -> None:
    oid = hashlib.sha256(data).hexdigest()
    target = repo.root / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def test_undeclared_stable_diffusion_png_is_an_error_with_evidence(repo: Repo) -> None:
    repo.write("shots/sh010/cleanup.png", SD_PNG)
    repo.add()
    done = repo.check("shots/sh010/cleanup.png")
    assert done.code == 1
    [finding] = done.json["findings"]
    assert finding["rule"] == "GAI301" and finding["severity"] == "error" and finding["line"] is None
    assert finding["evidence"][0]["kind"] == "png-text" and finding["evidence"][0]["strength"] == "medium"


def test_declared_generated_media_is_not_reported_as_undeclared(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/**"]))
    repo.write("shots/sh010/cleanup.png", SD_PNG)
    repo.add()
    assert repo.check().json["findings"] == []


def test_weak_evidence_is_a_warning_and_no_metadata_skips_sniffing(repo: Repo) -> None:
    repo.write("a.png", png_bytes(png_info(("Software", "Midjourney v6"))))
    repo.add()
    done = repo.check()
    assert [(f["rule"], f["severity"]) for f in done.json["findings"]] == [("GAI301", "warning")]
    assert done.code == 0
    assert repo.check("--no-metadata").json["findings"] == []


def test_detect_ignore_and_metadata_off(repo: Repo) -> None:
    production = '[production]\ntitle = "Nightfall S1"\ncontact = "jane.doe@example.com"\n'
    repo.write("genai.toml", production + '[detect]\nignore = ["reference/**"]\n')
    repo.write("reference/look.png", SD_PNG)
    repo.write("shots/look.png", SD_PNG)
    repo.add()
    assert [f["path"] for f in repo.check().json["findings"]] == ["shots/look.png"]
    repo.write("genai.toml", production + "[detect]\nmetadata = false\n")
    repo.add()
    assert repo.check().json["findings"] == []


def test_staged_content_is_sniffed_not_the_working_tree(repo: Repo) -> None:
    repo.write("shots/a.png", SD_PNG)
    repo.add()
    repo.write("shots/a.png", CLEAN_PNG)  # unstaged: the next commit still holds the SD frame
    assert repo.check("shots/a.png").rules() == ["GAI301"]
    repo.add()
    repo.write("shots/a.png", SD_PNG)
    assert repo.check("shots/a.png").rules() == []


def test_lfs_pointer_is_resolved_in_the_local_store(repo: Repo) -> None:
    repo.write("plates/sh010.png", lfs_pointer(SD_PNG))  # as a checkout without smudge leaves it
    store_lfs_object(repo, SD_PNG)
    repo.add()
    done = repo.check()
    assert done.rules() == ["GAI301"]


def test_absent_lfs_object_is_uninspected_never_clean(repo: Repo) -> None:
    repo.write("plates/sh010.png", lfs_pointer(SD_PNG + b"not fetched"))
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI303" and "git lfs pull" in finding["message"]


def test_metadata_after_the_first_mib_of_a_changed_large_blob_is_uninspected(repo: Repo) -> None:
    image = Image.effect_noise((1200, 1200), 90).convert("RGB")  # noise: the pixels do not compress
    out = io.BytesIO()
    image.save(out, "TIFF", tiffinfo={305: "Midjourney"})
    data = out.getvalue()
    assert len(data) > (1 << 20)
    repo.write("big.tif", data)
    repo.add()
    repo.write("big.tif", b"changed in the working tree")  # so the blob, not the file, is read
    found = repo.check().json["findings"]
    assert [f["rule"] for f in found] in (["GAI301"], ["GAI303"])  # never silently clean


def test_xmp_sidecar_counts_as_the_files_metadata(repo: Repo) -> None:
    repo.write("shots/sky.exr", b"\x76\x2f\x31\x01" + b"\0" * 64)
    repo.write("shots/sky.xmp", xmp_packet(TRAINED))
    repo.add()
    done = repo.check("shots/sky.xmp")  # a changed sidecar re-judges its media file
    [finding] = done.json["findings"]
    assert (finding["rule"], finding["path"]) == ("GAI301", "shots/sky.exr")
    assert finding["evidence"][0]["strength"] == "strong"


EDITORIAL = ROOT_MANIFEST.replace('paths = ["deliverables/**"]', 'paths = ["deliverables/**", "editorial/locked/**"]')


def otio_cut(*clips: tuple) -> bytes:
    timeline = otio.schema.Timeline(name="r1", global_start_time=otio.opentime.RationalTime(86400, 24))
    track = otio.schema.Track(name="V1")
    timeline.tracks.append(track)
    for name, url in clips:
        reference = otio.schema.ExternalReference(target_url=url)
        track.append(otio.schema.Clip(name=name, media_reference=reference,
                                      source_range=otio.opentime.TimeRange(otio.opentime.RationalTime(0, 24),
                                                                           otio.opentime.RationalTime(24, 24))))
    return str(otio.adapters.write_to_string(timeline, "otio_json")).encode()


@pytest.mark.slow
def test_locked_cut_using_generated_previs_is_gai302_until_approved(repo: Repo) -> None:
    mapping = '\n[editorial]\npath_map = { "/mnt/show/" = "" }\n'
    repo.write("genai.toml", EDITORIAL + mapping + generated(["previs/**"]))
    repo.write("previs/mood.png", CLEAN_PNG)
    repo.write("shots/cleanup.png", SD_PNG)
    repo.write("editorial/locked/r1.otio", otio_cut(("mood", "file:///mnt/show/previs/mood.png"),
                                                    ("cleanup", "file:///mnt/show/shots/cleanup.png"),
                                                    ("stock", "file:///archive/a.mov")))
    repo.add()
    done = repo.check("editorial/locked/r1.otio")
    gai302 = [f for f in done.json["findings"] if f["rule"] == "GAI302"]
    assert [f["path"] for f in gai302] == ["editorial/locked/r1.otio"] * 2
    messages = " ".join(f["message"] for f in gai302)
    assert "clip 'mood' at 01:00:00:00 uses previs/mood.png" in messages
    assert "clip 'cleanup' at 01:00:01:00 uses shots/cleanup.png: undeclared generated media" in messages
    [unmapped] = [f for f in done.json["findings"] if f["rule"] == "GAI305"]
    assert "'file:///archive/a.mov'" in unmapped["message"] and unmapped["severity"] == "warning"

    repo.commit()
    repo.write("genai.toml", EDITORIAL + mapping + generated(["previs/**"], approval="NFX-1")
               + generated(["shots/cleanup.png"], approval="NFX-2") + ANY_REGISTER)
    repo.add()
    done = repo.check("genai.toml")  # a changed manifest re-judges every deliverable timeline
    assert [f for f in done.json["findings"] if f["rule"] == "GAI302"] == []


def test_hostile_timeline_is_unreadable_not_a_crash(repo: Repo, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-PLATE-LIST")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE xmeml [<!ENTITY s SYSTEM "file://{secret}">]>'
           "<xmeml version=\"4\"><sequence><name>&s;</name></sequence></xmeml>")
    repo.write("genai.toml", EDITORIAL)
    repo.write("editorial/locked/xxe.xml", xxe)
    repo.write("editorial/locked/broken.edl", b"\x00\xff garbage")
    repo.add()
    done = repo.check()
    assert sorted((f["rule"], f["path"]) for f in done.json["findings"]) == [
        ("GAI304", "editorial/locked/broken.edl"), ("GAI304", "editorial/locked/xxe.xml")]
    assert done.code == 1  # an unread cut cannot be cleared
    assert "TOP-SECRET" not in done.out


def test_a_sequence_of_absent_lfs_objects_is_one_finding(repo: Repo) -> None:
    for frame in range(1001, 1011):
        repo.write(f"plates/sh010.{frame}.png", lfs_pointer(SD_PNG + str(frame).encode()))
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI303" and "sh010.[1001-1010].png, 10 frames" in finding["message"]
    assert len(finding["files"]) == 10
