"""OpenTimelineIO bundles: `.otioz` zips and `.otiod` directories (SPEC §11), bounded."""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile
from pathlib import Path

import editorial_formats as formats
import editorial_timelines as timelines
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genai_hooks.editorial import (
    ClipReference,
    TimelineUnreadable,
    bundle_member,
    bundle_members,
    map_reference,
    otio_bundle,
    read_timeline,
)

CONTENT = timelines.otio_json(timelines.locked_cut())


def unreadable_reason(name: str, data: bytes) -> str:
    with pytest.raises(TimelineUnreadable) as raised:
        read_timeline(name, data)
    return str(raised.value)


def test_otioz_written_by_opentimelineio_gives_references_inside_the_bundle(tmp_path: Path) -> None:
    bundle = formats.write_bundle(tmp_path, ".otioz").read_bytes()

    references = read_timeline("editorial/locked/cut.otioz", bundle)

    assert references == (ClipReference("plate", "01:00:00:00", ("media/plate.mov",)),
                          ClipReference("sky_v003", "01:00:01:00", ("media/sky_v003.exr",)))
    assert [map_reference(reference.targets[0], timeline_path="editorial/locked/cut.otioz", path_map={})
            for reference in references] == ["editorial/locked/cut.otioz/media/plate.mov",
                                             "editorial/locked/cut.otioz/media/sky_v003.exr"]
    assert map_reference("media/x.mov", timeline_path="editorial/locked/CUT.OTIOZ",
                         path_map={}) == "editorial/locked/CUT.OTIOZ/media/x.mov"


def test_bundle_member_reads_at_most_the_limit_of_embedded_media(tmp_path: Path) -> None:
    bundle = formats.write_bundle(tmp_path, ".otioz").read_bytes()

    assert bundle_member(bundle, "media/plate.mov", 1 << 20) == b"\x00\x00\x00\x18ftypqt  plate"
    assert bundle_member(bundle, "media/plate.mov", 8) == b"\x00\x00\x00\x18ftyp"
    assert bundle_member(bundle, "media/missing.mov", 8) is None
    assert bundle_member(bundle, "media", 8) is None


def test_bundle_member_reads_no_further_than_the_limit() -> None:
    media = os.urandom(1 << 20)
    bundle = bytearray(formats.zipped({"content.otio": CONTENT, "media/plate.mov": media},
                                      compression=zipfile.ZIP_STORED))
    bundle[bytes(bundle).index(media[-100:])] ^= 0xFF  # the member's checksum fails only for a reader of its end

    assert bundle_member(bytes(bundle), "media/plate.mov", 1000) == media[:1000]
    with pytest.raises(TimelineUnreadable, match="cannot be read"):
        bundle_member(bytes(bundle), "media/plate.mov", 2 << 20)


def test_otiod_content_is_an_otio_file_whose_references_resolve_in_the_bundle(tmp_path: Path) -> None:
    bundle = formats.write_bundle(tmp_path, ".otiod")
    timeline_path = "editorial/locked/cut.otiod/content.otio"

    references = read_timeline(timeline_path, (bundle / "content.otio").read_bytes())

    assert references is not None
    assert [reference.targets for reference in references] == [("media/plate.mov",), ("media/sky_v003.exr",)]
    assert map_reference("media/plate.mov", timeline_path=timeline_path, path_map={}) == \
        "editorial/locked/cut.otiod/media/plate.mov"
    assert (bundle / "media" / "plate.mov").exists()


def test_otioz_content_is_read_like_any_otio_file() -> None:
    bundle = formats.zipped({"version.txt": b"1.0.0", "content.otio": CONTENT})

    assert read_timeline("r1.otioz", bundle) == read_timeline("r1.otio", CONTENT)


def renamed_member(data: bytes, old: bytes, new: bytes) -> bytes:
    assert len(old) == len(new)
    return data.replace(old, new)


def encrypted(data: bytes) -> bytes:
    """The same zip with the encryption flag set in the local and central headers."""
    result = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = result.find(signature)
        while position >= 0:
            result[position + flag_offset] |= 1
            position = result.find(signature, position + 4)
    return bytes(result)


def overlapping() -> bytes:
    """Two central-directory entries for one local file: the overlapping-member zip bomb."""
    data = formats.zipped({"content.otio": CONTENT})
    central = data.find(b"PK\x01\x02")
    end = data.find(b"PK\x05\x06")
    entry = data[central:end]
    twin = entry.replace(b"content.otio", b"content.otix")
    end_record = bytearray(data[end:])
    struct.pack_into("<HHL", end_record, 8, 2, 2, 2 * len(entry))
    return data[:end] + twin + bytes(end_record)


def many_members(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.otio", CONTENT)
        for index in range(count - 1):
            archive.writestr(f"media/{index}", b"")
    return buffer.getvalue()


@pytest.mark.parametrize("bundle, reason", [
    (b"", "not a zip archive"),
    (CONTENT, "not a zip archive"),
    (formats.zipped({"version.txt": b"1.0.0"}), "without content.otio"),
    (formats.zipped({"content.otio": b"\x00" * (8 << 20)}), "compression ratio above 1,000:1"),
    (encrypted(formats.zipped({"content.otio": CONTENT})), "encrypted"),
    (renamed_member(formats.zipped({"content.otio": CONTENT, "media/aaa.mov": b"x"}), b"media/aaa", b"../../aaa"),
     "points outside the bundle"),
    (renamed_member(formats.zipped({"content.otio": CONTENT, "media/a.mov": b"x"}), b"media/a", b"/tmp/aa"),
     "points outside the bundle"),
    (renamed_member(formats.zipped({"content.otio": CONTENT, "media/a.mov": b"x"}), b"media/a", b"C:/wi/a"),
     "points outside the bundle"),
    (renamed_member(formats.zipped({"content.otio": CONTENT, "content.otix": b"x"}), b"content.otix",
                    b"content.otio"), "listed twice"),
    (overlapping(), "overlap"),
    (many_members(10_001), "more than 10,000 members"),
    (formats.zipped({"content.otio": CONTENT})[:-30], "not a zip archive"),
], ids=["empty", "not-zip", "no-content", "bomb-ratio", "encrypted", "dot-dot", "absolute", "drive", "twice",
        "overlap", "members", "cut-short"])
def test_hostile_or_broken_otioz_is_refused_with_a_reason(bundle: bytes, reason: str) -> None:
    started = time.monotonic()

    assert reason in unreadable_reason("r1.otioz", bundle)
    if reason == "without content.otio":
        assert bundle_member(bundle, "media/a.mov", 100) is None  # a zip without that member, nothing hostile
    else:
        with pytest.raises(TimelineUnreadable):
            bundle_member(bundle, "media/a.mov", 100)
    assert time.monotonic() - started < 5


def test_otioz_content_beyond_the_size_cap_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(otio_bundle, "MAX_TIMELINE_BYTES", len(CONTENT) - 1)

    assert "larger than" in unreadable_reason("r1.otioz", formats.zipped({"content.otio": CONTENT}))


def test_otioz_with_a_central_directory_beyond_its_bound_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(otio_bundle, "MAX_CENTRAL_DIRECTORY", 100)

    assert "member list exceeds" in unreadable_reason(
        "r1.otioz", formats.zipped({"content.otio": CONTENT, "media/a.mov": b"", "media/b.mov": b""}))


def test_otioz_after_a_self_extracting_stub_is_read() -> None:
    bundle = b"#!/bin/sh\nexit 0\n" + formats.zipped({"content.otio": CONTENT})

    assert read_timeline("r1.otioz", bundle) == read_timeline("r1.otio", CONTENT)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_otioz_gives_clips_or_unreadable(data: st.DataObject) -> None:
    source = bytearray(formats.zipped({"version.txt": b"1.0.0", "content.otio": CONTENT, "media/a.mov": b"abc"},
                                      compression=data.draw(st.sampled_from([zipfile.ZIP_STORED,
                                                                             zipfile.ZIP_DEFLATED]))))
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(source) - 1))
        source[position] = data.draw(st.integers(0, 255))
    mutated = bytes(source[:data.draw(st.integers(0, len(source)))])
    for read in (lambda: read_timeline("fuzz.otioz", mutated), lambda: bundle_member(mutated, "media/a.mov", 10)):
        try:
            read()
        except TimelineUnreadable as error:
            assert str(error)


def test_bundle_members_reads_several_members_checking_the_archive_once(tmp_path: Path) -> None:
    bundle = formats.write_bundle(tmp_path, ".otioz").read_bytes()

    assert bundle_members(bundle, ["media/plate.mov", "media/sky_v003.exr", "media/none.exr"], 3) == {
        "media/plate.mov": b"\x00\x00\x00", "media/sky_v003.exr": b"v/1"}
