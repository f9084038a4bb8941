"""AAF and FCPXML timelines → clip references (SPEC §11), safely."""

from __future__ import annotations

import struct
import time
from pathlib import Path
from typing import Any

import editorial_formats as formats
import editorial_timelines as timelines
import opentimelineio as otio  # type: ignore[import-untyped]
import pytest
from editorial_formats import Shot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genai_hooks.editorial import ClipReference, TimelineUnreadable, aaf_process, map_reference, read_timeline


def read_clips(name: str, data: bytes, **options: Any) -> tuple[ClipReference, ...]:
    references = read_timeline(name, data, **options)
    assert references is not None
    return references


def unreadable_reason(name: str, data: bytes) -> str:
    with pytest.raises(TimelineUnreadable) as raised:
        read_timeline(name, data)
    return str(raised.value)


@pytest.fixture(scope="module")
def locked_aaf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return formats.media_composer_aaf(tmp_path_factory.mktemp("aaf") / "r1.aaf")


# -- AAF -----------------------------------------------------------------------------------------------


def test_media_composer_aaf_yields_clips_at_record_timecode_with_their_locators(locked_aaf: bytes) -> None:
    assert read_timeline("editorial/locked/r1.aaf", locked_aaf) == (
        ClipReference("sh010_plate", "01:00:00:00",
                      ("file:///mnt/projects/nightfall/shots/sh010/plate%20v001.mxf",)),
        ClipReference("sh020_sky", "01:00:03:00",  # after 48 frames of plate and 24 of filler
                      ("file:///mnt/projects/nightfall/deliverables/sh020/sky_v003.mxf",)),
        ClipReference("temp_mix", "01:00:00:00", ("file:///mnt/projects/nightfall/sound/temp_mix.wav",)),
    )


def test_aaf_suffix_is_case_insensitive(locked_aaf: bytes) -> None:
    assert len(read_clips("R1.AAF", locked_aaf)) == 3


@pytest.mark.slow
def test_aaf_locators_come_back_as_media_composer_wrote_them(tmp_path: Path) -> None:
    windows = "C:\\Avid MediaFiles\\MXF\\1\\sky_v003.mxf"
    aaf = formats.media_composer_aaf(tmp_path / "r2.aaf", audio=(), video=(
        Shot("sky", [windows, "file://filer/show/sky_v003.mxf"], start=0, length=10),
        Shot("plate", ["../shots/plate.mov"], start=0, length=10),
        Shot("grade", ["file:///Volumes/MEDIA/grade.mxf"], start=0, length=10, unc_path="\\\\filer\\grade.mxf"),
    ))

    clips = {reference.clip: reference for reference in read_clips("editorial/locked/r2.aaf", aaf)}

    # the adapter would have made "file://C:/Avid MediaFiles/..." and "file://../shots/plate.mov"
    assert set(clips["sky"].targets) == {windows, "file://filer/show/sky_v003.mxf"}
    assert clips["plate"].targets == ("../shots/plate.mov",)
    assert clips["grade"].targets == ("\\\\filer\\grade.mxf", "file:///Volumes/MEDIA/grade.mxf")
    assert map_reference(windows, timeline_path="editorial/locked/r2.aaf",
                         path_map={"C:\\Avid MediaFiles\\": "media"}) == "media/MXF/1/sky_v003.mxf"
    assert map_reference("../shots/plate.mov", timeline_path="editorial/locked/r2.aaf",
                         path_map={}) == "editorial/shots/plate.mov"


@pytest.mark.slow
def test_aaf_compositions_used_inside_compositions_are_read(tmp_path: Path) -> None:
    aaf = formats.nested_composition_aaf(tmp_path / "nested.aaf", levels=3)

    assert {(reference.clip, reference.targets) for reference in read_clips("n.aaf", aaf)} == {
        ("leaf", ("file:///x.mxf",))}


@pytest.mark.slow
def test_aaf_whose_composition_references_multiply_is_refused_fast(tmp_path: Path) -> None:
    aaf = formats.nested_composition_aaf(tmp_path / "bomb.aaf", levels=24)  # 16 million clips expanded
    started = time.monotonic()

    assert "expand beyond" in unreadable_reason("bomb.aaf", aaf)
    assert time.monotonic() - started < 5


@pytest.mark.slow
def test_aaf_whose_compositions_reference_each_other_in_a_loop_is_refused(tmp_path: Path) -> None:
    aaf = formats.nested_composition_aaf(tmp_path / "loop.aaf", levels=3, loop=True)

    assert "in a loop" in unreadable_reason("loop.aaf", aaf)


@pytest.mark.slow
def test_aaf_clip_whose_master_mob_is_missing_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import aaf2  # type: ignore[import-untyped]

    path = tmp_path / "offline.aaf"
    with aaf2.open(str(path), "w") as f:
        lost = f.create.MasterMob("lost")  # never added to the file's content
        lost.create_empty_sequence_slot(24, media_kind="picture")
        composition = f.create.CompositionMob("cut")
        composition.usage = "Usage_TopLevel"
        f.content.mobs.append(composition)
        composition.create_picture_slot(24).segment.components.append(
            f.create.SourceClip(media_kind="picture", length=5, mob_id=lost.mob_id))

    assert read_timeline("offline.aaf", path.read_bytes()) == ()
    assert capsys.readouterr().out == ""  # the adapter prints "Unable find slot_id ..." to stdout


# -- hostile compound files ------------------------------------------------------------------------

SECTOR = 4096
DIRECTORY_ENTRY = 128


def header_field(data: bytes, offset: int) -> int:
    return int(struct.unpack_from("<L", data, offset)[0])


def with_u32(data: bytes, offset: int, value: int) -> bytes:
    return data[:offset] + struct.pack("<L", value) + data[offset + 4:]


def directory_offset(data: bytes, entry: int) -> int:
    """Where a directory entry lies, following the directory's chain through the sector table."""
    fat_sector = header_field(data, 76)
    sector = header_field(data, 48)
    for _ in range(entry * DIRECTORY_ENTRY // SECTOR):
        sector = header_field(data, (fat_sector + 1) * SECTOR + sector * 4)
    return (sector + 1) * SECTOR + entry * DIRECTORY_ENTRY % SECTOR


def root_child(data: bytes) -> int:
    return header_field(data, directory_offset(data, 0) + 76)


def fat_entry(data: bytes, sector: int) -> int:
    return (header_field(data, 76) + 1) * SECTOR + sector * 4


def first_big_stream(data: bytes) -> int:
    """A directory entry of a stream of 4,096 bytes or more (stored in whole sectors)."""
    for entry in range(1, 1000):
        offset = directory_offset(data, entry)
        if data[offset + 66] == 2 and struct.unpack_from("<Q", data, offset + 120)[0] >= 4096:
            return offset
    raise AssertionError("no stream of 4,096 bytes or more")


@pytest.mark.parametrize("damage, reason", [
    (lambda d: d[:100], "no compound file header"),
    (lambda d: b"PK\x03\x04" + d[4:], "no compound file header"),
    (lambda d: d[:-100], "truncated"),
    # the directory's chain points back at itself
    (lambda d: with_u32(d, fat_entry(d, header_field(d, 48)), header_field(d, 48)), "used twice"),
    # a stream that claims a terabyte
    (lambda d: d[:first_big_stream(d) + 120] + struct.pack("<Q", 1 << 40) + d[first_big_stream(d) + 128:],
     "larger than its sectors"),
    # the root's first child is its own left sibling
    (lambda d: with_u32(d, directory_offset(d, root_child(d)) + 68, root_child(d)), "directory loops"),
    # 4 billion DIFAT sectors
    (lambda d: with_u32(with_u32(d, 68, 3), 72, 0xFFFFFFFF), "DIFAT"),
    (lambda d: with_u32(d, 76, 0xFFFFFFFA - 1), "past the end"),
], ids=["cut-short", "not-cfb", "half-sector", "fat-loop", "absurd-size", "directory-loop", "difat-count",
        "fat-outside"])
def test_hostile_compound_file_is_refused_with_a_reason(locked_aaf: bytes, damage: Any, reason: str) -> None:
    started = time.monotonic()

    assert reason in unreadable_reason("r1.aaf", damage(locked_aaf))
    assert time.monotonic() - started < 2


def test_storages_nested_too_deeply_are_refused(tmp_path: Path) -> None:
    import aaf2

    path = tmp_path / "deep.aaf"
    with aaf2.open(str(path), "w") as f:
        storage = "/deep"
        for level in range(120):
            storage += f"/s{level}"
        f.cfb.makedirs(storage)

    assert "nested deeper than 100" in unreadable_reason("deep.aaf", path.read_bytes())


def with_mob_index_count(aaf_path: Path, count: int) -> bytes:
    """The AAF with its set of mobs claiming `count` entries: pyaaf2 builds a format string that long."""
    import aaf2

    data = bytearray(aaf_path.read_bytes())
    with aaf2.open(str(aaf_path)) as f:
        stream = f.cfb.find("/Header-2/Content-3b03/Mobs-1901 index").open("r")
        assert stream.is_mini_stream()
        position = stream.fat_chain[0] * 64
        sector = f.cfb.mini_stream_chain[position // f.cfb.sector_size]
        offset = (sector + 1) * f.cfb.sector_size + position % f.cfb.sector_size
    data[offset:offset + 4] = struct.pack("<L", count)
    return bytes(data)


@pytest.mark.slow
def test_aaf_whose_reading_needs_unbounded_memory_is_stopped_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "r1.aaf"
    formats.media_composer_aaf(path)
    started = time.monotonic()

    assert "needs more than 2,048 MiB" in unreadable_reason("r1.aaf", with_mob_index_count(path, 0xFFFFFF00))
    assert time.monotonic() - started < 20


def test_aaf_not_read_in_time_is_unreadable(monkeypatch: pytest.MonkeyPatch, locked_aaf: bytes) -> None:
    monkeypatch.setattr(aaf_process, "MAX_AAF_SECONDS", 0.01)

    assert "not read within 0.01 s" in unreadable_reason("r1.aaf", locked_aaf)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_aaf_gives_clips_or_unreadable_in_bounded_time(locked_aaf: bytes, data: st.DataObject) -> None:
    mutated = bytearray(locked_aaf)
    spread = data.draw(st.randoms(use_true_random=False))  # uniform: hypothesis favours small integers
    for _ in range(data.draw(st.integers(1, 12))):
        position = spread.randrange(0, len(mutated) - 4) & ~3
        value = data.draw(st.sampled_from([0, 1, 0xFFFFFFFE, 0xFFFFFFFF, 0x7FFFFFFF]) | st.integers(0, 2**32 - 1))
        mutated[position:position + 4] = value.to_bytes(4, "little")
    cut = data.draw(st.sampled_from([len(mutated), len(mutated) - 4096]) | st.integers(512, len(mutated)))
    started = time.monotonic()
    try:
        result = read_timeline("fuzz.aaf", bytes(mutated[:cut]))
    except TimelineUnreadable as error:
        assert str(error)
    else:
        assert result is not None and all(isinstance(reference, ClipReference) for reference in result)
    assert time.monotonic() - started < 20


# -- FCPXML ----------------------------------------------------------------------------------------


def test_fcpxml_as_final_cut_pro_writes_it_reads_every_event_media_rep_and_multicam() -> None:
    assert read_timeline("editorial/locked/cut.fcpxmld/Info.fcpxml", formats.FCPXML_1_10) == (
        ClipReference("A001C003_plate", "01:00:00:00",
                      ("file:///Volumes/Nightfall/shots/sh010/A001C003_plate%20v001.mov",)),
        # a connected clip 24 frames into the plate, whose start is 24 frames into its media
        ClipReference("sh020_sky_v003", "01:00:01:00",
                      ("file:///Volumes/Nightfall/deliverables/sh020/sky_v003.mov",)),
        # the adapter skips multicam clips: their angles' media are listed at the clip's record time
        ClipReference("sh030_multicam", "01:00:03:00", ("file:///Volumes/Nightfall/shots/sh030/cam_b.mov",)),
    )


def test_fcpxml_written_by_opentimelineio_reads_back() -> None:
    timeline = timelines.locked_cut()
    timeline.tracks[0][2].media_reference = otio.schema.ExternalReference(
        target_url="file:///mnt/projects/nightfall/deliverables/sh020/sky.mov", available_range=timelines.span(0, 100))
    fcpxml = timelines.written_by_adapter(timeline, "fcpx_xml")

    clips = {reference.clip: reference for reference in read_clips("r1.fcpxml", fcpxml)}

    # the writer leaves the global start out: the cut starts at 00:00:00:00
    assert clips["sh010_plate"] == ClipReference(
        "sh010_plate", "00:00:00:00", ("file:///mnt/projects/nightfall/shots/sh010/plate%20v001.mov",))
    assert clips["sh020_sky"] == ClipReference(
        "sh020_sky", "00:00:03:00", ("file:///mnt/projects/nightfall/deliverables/sh020/sky.mov",))
    assert clips["temp_mix"].targets == ("sound/temp_mix.wav",)


@pytest.mark.parametrize("frame_duration, tc_start, tc_format, offset, expected", [
    ("100/2400s", "3600s", "NDF", "3602s", "01:00:02:00"),
    ("1/25s", "3600s", "NDF", "3601/1s", "01:00:01:00"),
    ("1001/30000s", "107999892/30000s", "DF", "108029922/30000s", "01:00:01;00"),
    ("1001/24000s", "86486400/24000s", "NDF", "86510424/24000s", "01:00:01:00"),
])
def test_fcpxml_record_timecode_is_exact_at_its_sequence_rate(frame_duration: str, tc_start: str, tc_format: str,
                                                              offset: str, expected: str) -> None:
    spine = f'<asset-clip ref="r1" offset="{offset}" name="plate" start="0s" duration="1s" format="r0"/>'
    fcpxml = formats.fcpxml(spine, frame_duration=frame_duration, tc_start=tc_start, tc_format=tc_format)

    assert read_timeline("r1.fcpxml", fcpxml) == (
        ClipReference("plate", expected, ("file:///mnt/projects/nightfall/shots/sh010/plate.mov",)),)


def test_fcpxml_resource_ids_with_quotes_are_looked_up_not_searched() -> None:
    fcpxml = formats.fcpxml('<asset-clip ref="r\'1" offset="3600s" name="plate" duration="1s" format="r0"/>')
    fcpxml = fcpxml.replace(b'<asset id="r1"', b'<asset id="r\'1"')

    (reference,) = read_clips("r1.fcpxml", fcpxml)

    assert reference.targets == ("file:///mnt/projects/nightfall/shots/sh010/plate.mov",)


def test_fcpxml_compound_clip_is_read_through_its_media() -> None:
    compound = ('<media id="m1" name="sky_comp"><sequence format="r0"><spine>'
                '<asset-clip ref="r1" offset="0s" name="plate_in_comp" duration="2s"/></spine></sequence></media>')
    fcpxml = formats.fcpxml('<ref-clip ref="m1" offset="3600s" name="sky_comp" duration="2s"/>', resources=compound)

    assert [(c.clip, c.targets) for c in read_clips("r1.fcpxml", fcpxml)] == [
        ("plate_in_comp", ("file:///mnt/projects/nightfall/shots/sh010/plate.mov",))]


def test_fcpxml_compound_clip_bomb_is_refused_fast() -> None:
    started = time.monotonic()

    assert "expand beyond" in unreadable_reason("bomb.fcpxml", formats.compound_clip_bomb(levels=40))
    assert time.monotonic() - started < 2


def test_fcpxml_compound_clip_that_contains_itself_is_refused() -> None:
    loop = '<media id="m1" name="c"><sequence format="r0"><spine><ref-clip ref="m1" offset="0s" duration="1s"/>' \
           "</spine></sequence></media>"
    fcpxml = formats.fcpxml('<ref-clip ref="m1" offset="3600s" duration="1s"/>', resources=loop)

    assert "contains itself" in unreadable_reason("loop.fcpxml", fcpxml)


@pytest.mark.parametrize("data, reason", [
    (timelines.billion_laughs("fcpxml"), "entity declaration"),
    (b'<?xml version="1.0"?><!DOCTYPE fcpxml [<!ENTITY x SYSTEM "file:///etc/passwd">]><fcpxml>&x;</fcpxml>',
     "entity declaration"),
    (b"<xmeml version='5'/>", "not FCPXML"),
    (formats.FCPXML_1_10[:2000], "not well-formed"),
    (b"", "not well-formed"),
    (formats.fcpxml('<asset-clip ref="r1" offset="1.5s" duration="1s"/>'), "not a rational number"),
    (formats.fcpxml('<asset-clip ref="r1" offset="1/0s" duration="1s"/>'), "not a rational number"),
    (b"<fcpxml>" + b"<x/>" * 1_000_001 + b"</fcpxml>", "more than 1,000,000 elements"),
])
def test_broken_or_hostile_fcpxml_is_unreadable(data: bytes, reason: str) -> None:
    started = time.monotonic()

    assert reason in unreadable_reason("r1.fcpxml", data)
    assert time.monotonic() - started < 5


def test_final_cut_7_xml_too_large_to_parse_is_refused_unless_no_timeline() -> None:
    elements = b"<x/>" * 2_000_001

    assert "more than 2,000,000 elements" in unreadable_reason("r1.xml", b"<xmeml>" + elements + b"</xmeml>")
    assert read_timeline("CPL.xml", b"<CompositionPlaylist>" + elements + b"</CompositionPlaylist>") is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_fcpxml_gives_clips_or_unreadable(data: st.DataObject) -> None:
    source = formats.FCPXML_1_10
    position = data.draw(st.integers(0, len(source)))
    replacement = data.draw(st.sampled_from([b"", b"<", b'"', b"r5", b"r2", b"-1/0s", b"<mc-clip ref='r5'/>",
                                             b"<ref-clip ref='r5'/>", b"\x00"]))
    mutated = source[:position] + replacement + source[position + data.draw(st.integers(0, 40)):]
    try:
        result = read_timeline("fuzz.fcpxml", mutated)
    except TimelineUnreadable as error:
        assert str(error)
    else:
        assert result is not None and all(isinstance(reference, ClipReference) for reference in result)


MAGIC = st.sampled_from([b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\xff\xfe", b"PK\x03\x04", b"PK\x05\x06", b"<fcpxml>",
                         b"<?xml version='1.0'?><!DOCTYPE fcpxml><fcpxml version='1.10'><resources>"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(suffix=st.sampled_from([".aaf", ".fcpxml", ".otioz", ".AAF"]),
       data=st.binary(max_size=3000) | st.tuples(MAGIC, st.binary(max_size=3000)).map(b"".join))
def test_any_bytes_in_the_newer_formats_give_clips_or_unreadable(suffix: str, data: bytes) -> None:
    try:
        result = read_timeline("fuzz" + suffix, data)
    except TimelineUnreadable as error:
        assert str(error)
    else:
        assert result is not None and all(isinstance(reference, ClipReference) for reference in result)
