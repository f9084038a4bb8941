"""Editorial timelines → clip references → repository paths (SPEC §7)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import editorial_timelines as timelines
import opentimelineio as otio  # type: ignore[import-untyped]
import pytest
from editorial_timelines import external_clip, frames, sky_sequence, span
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genai_hooks.editorial import (
    MAX_SEQUENCE_FRAMES,
    MAX_TIMELINE_BYTES,
    TIMELINE_SUFFIXES,
    ClipReference,
    TimelineUnreadable,
    map_reference,
    read_timeline,
)

SKY = "file:///mnt/projects/nightfall/deliverables/sh020/sky/sh020_sky_v003.{}.exr"


def by_clip(references: Any) -> dict[str, ClipReference]:
    assert references is not None
    return {reference.clip: reference for reference in references}


def read_clips(name: str, data: bytes, **options: Any) -> tuple[ClipReference, ...]:
    references = read_timeline(name, data, **options)
    assert references is not None
    return references


def unreadable_reason(name: str, data: bytes, **options: Any) -> str:
    with pytest.raises(TimelineUnreadable) as raised:
        read_timeline(name, data, **options)
    return str(raised.value)


def one_clip_timeline(clip: Any, global_start: Any | None = None) -> Any:
    timeline = otio.schema.Timeline(name="t", global_start_time=global_start)
    track = otio.schema.Track(name="V1")
    timeline.tracks.append(track)
    track.append(clip)
    return timeline


# -- OpenTimelineIO JSON ---------------------------------------------------------------------------


def test_otio_clips_carry_record_timecode_from_the_global_start_and_targets_as_written() -> None:
    clips = by_clip(read_timeline("editorial/locked/r1.otio", timelines.otio_json(timelines.locked_cut())))

    assert clips["sh010_plate"] == ClipReference(
        "sh010_plate", "01:00:00:00", ("file:///mnt/projects/nightfall/shots/sh010/plate%20v001.mov",))
    assert clips["sh020_sky"].record_in == "01:00:03:00"  # after the 48-frame plate and a 24-frame gap
    assert clips["temp_mix"] == ClipReference("temp_mix", "01:00:00:00", ("sound/temp_mix.wav",))
    assert set(clips) == {"sh010_plate", "sh020_sky", "temp_mix"}  # the gap is no clip


def test_image_sequence_lists_one_path_per_frame_the_clip_uses() -> None:
    clips = by_clip(read_timeline("r1.otio", timelines.otio_json(timelines.locked_cut())))

    # source range 5..15 of a sequence whose available range starts at 0 with frame 1001
    assert clips["sh020_sky"].targets == tuple(SKY.format(frame) for frame in range(1006, 1016))


def test_image_sequence_without_source_range_uses_the_available_range() -> None:
    clip = otio.schema.Clip(name="sky", media_reference=sky_sequence(available=span(0, 3)))

    (reference,) = read_clips("t.otio", timelines.otio_json(one_clip_timeline(clip)))

    assert reference.targets == (SKY.format(1001), SKY.format(1002), SKY.format(1003))


def test_image_sequence_frame_step_padding_and_a_base_without_slash() -> None:
    sequence = sky_sequence(available=span(0, 8), frame_step=2, start_frame=8, frame_zero_padding=3,
                            target_url_base="renders/sky")
    clip = otio.schema.Clip(name="sky", media_reference=sequence, source_range=span(2, 4))

    (reference,) = read_clips("t.otio", timelines.otio_json(one_clip_timeline(clip)))

    # on twos: time offsets 2,3 show image 1 (frame 10), 4,5 show image 2 (frame 12)
    assert reference.targets == ("renders/sky/sh020_sky_v003.010.exr", "renders/sky/sh020_sky_v003.012.exr")


def test_image_sequence_with_negative_frames_keeps_the_sign_before_the_padding() -> None:
    sequence = sky_sequence(available=span(0, 2), start_frame=-1, target_url_base="")
    clip = otio.schema.Clip(name="sky", media_reference=sequence)

    (reference,) = read_clips("t.otio", timelines.otio_json(one_clip_timeline(clip)))

    assert reference.targets == ("sh020_sky_v003.-0001.exr", "sh020_sky_v003.0000.exr")


def test_image_sequence_whose_frames_cannot_be_known_is_a_printf_pattern() -> None:
    sequence = otio.schema.ImageSequenceReference(target_url_base="renders/", name_prefix="sky.",
                                                  name_suffix=".exr", start_frame=1001, frame_zero_padding=4)
    clip = otio.schema.Clip(name="sky", media_reference=sequence, source_range=span(0, 10))

    (reference,) = read_clips("t.otio", timelines.otio_json(one_clip_timeline(clip)))

    assert reference.targets == ("renders/sky.%04d.exr",)


def test_image_sequence_used_outside_its_frames_is_a_printf_pattern() -> None:
    sequence = sky_sequence(available=span(0, 10), target_url_base="")
    clip = otio.schema.Clip(name="sky", media_reference=sequence, source_range=span(20, 5))

    (reference,) = read_clips("t.otio", timelines.otio_json(one_clip_timeline(clip)))

    assert reference.targets == ("sh020_sky_v003.%04d.exr",)


def test_image_sequence_used_past_its_last_frame_lists_only_existing_frames() -> None:
    sequence = sky_sequence(available=span(0, 3), target_url_base="")
    clip = otio.schema.Clip(name="sky", media_reference=sequence, source_range=span(1, 5))

    (reference,) = read_clips("t.otio", timelines.otio_json(one_clip_timeline(clip)))

    assert reference.targets == ("sh020_sky_v003.1002.exr", "sh020_sky_v003.1003.exr")


def test_image_sequence_paths_are_capped_per_clip() -> None:
    sequence = sky_sequence(available=span(0, MAX_SEQUENCE_FRAMES + 50), target_url_base="")
    clip = otio.schema.Clip(name="long", media_reference=sequence)

    (reference,) = read_clips("t.otio", timelines.otio_json(one_clip_timeline(clip)))

    assert len(reference.targets) == MAX_SEQUENCE_FRAMES
    assert reference.targets[-1] == f"sh020_sky_v003.{1001 + MAX_SEQUENCE_FRAMES - 1}.exr"


@pytest.mark.slow
def test_timeline_referencing_more_than_a_million_frames_is_unreadable() -> None:
    timeline = one_clip_timeline(otio.schema.Gap(source_range=span(0, 1)))
    for _ in range(11):
        sequence = sky_sequence(available=span(0, MAX_SEQUENCE_FRAMES), target_url_base="")
        timeline.tracks[0].append(otio.schema.Clip(name="long", media_reference=sequence))

    assert "more than 1,000,000" in unreadable_reason("t.otio", timelines.otio_json(timeline))


def test_clips_without_media_and_generators_are_ignored_and_transitions_are_not_clips() -> None:
    timeline = one_clip_timeline(otio.schema.Clip(name="offline", source_range=span(0, 10)))
    track = timeline.tracks[0]
    track.append(otio.schema.Transition(in_offset=frames(2), out_offset=frames(2)))
    track.append(otio.schema.Clip(name="bars", media_reference=otio.schema.GeneratorReference(
        generator_kind="SMPTEBars", available_range=span(0, 10)), source_range=span(0, 10)))
    track.append(external_clip("empty_url", "", span(0, 10)))
    track.append(external_clip("shot", "shots/sh010.mov", span(0, 10)))

    assert read_timeline("t.otio", timelines.otio_json(timeline)) == (
        ClipReference("shot", "00:00:01:06", ("shots/sh010.mov",)),)


def test_clip_in_a_nested_stack_is_read_at_its_first_visible_frame() -> None:
    timeline = one_clip_timeline(external_clip("plate", "plate.mov", span(0, 48)), global_start=frames(86400))
    nested = otio.schema.Stack(name="comp", source_range=span(12, 24))
    nested_track = otio.schema.Track(name="inner")
    nested.append(nested_track)
    nested_track.append(external_clip("sky", "sky.mov", span(0, 100)))
    timeline.tracks[0].append(nested)
    audio = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
    audio.append(otio.schema.Gap(source_range=span(0, 24)))
    audio.append(external_clip("dialogue", "dialogue.wav", span(0, 24)))
    timeline.tracks.append(audio)

    clips = by_clip(read_timeline("t.otio", timelines.otio_json(timeline)))

    assert clips["sky"].record_in == "01:00:02:00"  # the nested stack starts at 48 and hides sky's first 12
    assert clips["dialogue"].record_in == "01:00:01:00"


def test_disabled_clips_and_tracks_are_still_read() -> None:
    clip = external_clip("temp_sky", "temp/sky.mov", span(0, 10))
    clip.enabled = False
    timeline = one_clip_timeline(clip)
    muted = otio.schema.Track(name="V2")
    muted.enabled = False
    muted.append(external_clip("old_sky", "old/sky.mov", span(0, 10)))
    timeline.tracks.append(muted)

    assert set(by_clip(read_clips("t.otio", timelines.otio_json(timeline)))) == {"temp_sky", "old_sky"}


def test_every_media_reference_of_a_clip_counts_active_first() -> None:
    clip = otio.schema.Clip(name="sky", source_range=span(0, 1))
    clip.set_media_references(
        {"proxy": otio.schema.ExternalReference(target_url="proxy/sky.mov", available_range=span(0, 10)),
         "high": otio.schema.ExternalReference(target_url="hires/sky.exr", available_range=span(0, 10))},
        "high",
    )

    (reference,) = read_clips("t.otio", timelines.otio_json(one_clip_timeline(clip)))

    assert reference.targets == ("hires/sky.exr", "proxy/sky.mov")


def test_collection_of_timelines_reads_each_timeline() -> None:
    collection = otio.schema.SerializableCollection(name="reels", children=[
        one_clip_timeline(external_clip("reel1", "r1.mov", span(0, 1)), global_start=frames(86400)),
        one_clip_timeline(external_clip("reel2", "r2.mov", span(0, 1)), global_start=frames(2 * 86400)),
    ])

    assert [(c.clip, c.record_in) for c in read_clips("t.otio", timelines.otio_json(collection))] == [
        ("reel1", "01:00:00:00"), ("reel2", "02:00:00:00")]


def test_ntsc_timeline_gets_drop_frame_record_timecode() -> None:
    rate = 30000 / 1001
    timeline = one_clip_timeline(external_clip("promo", "promo.mov", span(0, 10, rate)),
                                 global_start=frames(107892, rate))

    (reference,) = read_clips("t.otio", timelines.otio_json(timeline))

    assert reference.record_in == "01:00:00;00"


def test_timeline_without_rate_uses_its_clips_rate() -> None:
    timeline = one_clip_timeline(otio.schema.Gap(source_range=span(0, 50, 25)))
    timeline.tracks[0].append(external_clip("shot", "shot.mov", span(0, 5, 25)))

    (reference,) = read_clips("t.otio", timelines.otio_json(timeline), rate=24)

    assert reference.record_in == "00:00:02:00"


# -- CMX 3600 EDL ----------------------------------------------------------------------------------


def test_edl_at_25_reads_source_file_and_from_clip_comments() -> None:
    assert read_timeline("editorial/locked/r1.edl", timelines.EDL_25, rate=25) == (
        ClipReference("sh010_plate_v001", "01:00:00:00",
                      ("/mnt/projects/nightfall/shots/sh010/plate/sh010_plate_v001.mov",)),
        ClipReference("sh020_sky", "01:00:02:00",
                      ("/mnt/projects/nightfall/deliverables/sh020/sky/sh020_sky_v003.mov",)),
        # "AA" puts the event on A1 and A2: one reference, not two
        ClipReference("temp_mix", "01:00:03:10", ("../sound/temp_mix.wav",)),
    )


def test_edl_at_23976_keeps_its_record_timecodes_and_expands_bracketed_frames() -> None:
    clips = by_clip(read_timeline("r2.edl", timelines.EDL_23976, rate=23.976))

    assert clips["sh010_plate_v001"].record_in == "00:59:58:00"
    assert clips["sh020_sky"].record_in == "01:00:00:00"
    base = "/mnt/projects/nightfall/deliverables/sh020/sky/sh020_sky_v003.{}.exr"
    assert clips["sh020_sky"].targets == tuple(base.format(frame) for frame in range(1001, 1021))


@pytest.mark.parametrize("rate, frame_count", [(24, 24), (25, 25), (23.976, 24), (29.97, 30)])
def test_edl_rate_decides_how_many_frames_a_second_of_sequence_uses(rate: float, frame_count: int) -> None:
    edl = b"001  AX V C 00:00:10:00 00:00:11:00 01:00:00:00 01:00:01:00\n* FROM CLIP: sky.[1001-1100].exr\n"

    (reference,) = read_clips("x.edl", edl, rate=rate)

    assert len(reference.targets) == frame_count


def test_edl_timecode_beyond_its_rate_is_unreadable() -> None:
    edl = b"001  AX V C 00:00:00:00 00:00:00:24 01:00:00:00 01:00:00:24\n* FROM CLIP: a.mov\n"

    assert read_timeline("x.edl", edl, rate=25) is not None
    assert "not valid CMX 3600" in unreadable_reason("x.edl", edl, rate=24)


def test_drop_frame_edl_keeps_drop_frame_record_timecode() -> None:
    (reference,) = read_clips("promo.edl", timelines.EDL_2997_DROP_FRAME, rate=29.97)

    assert reference == ClipReference("promo_sky", "01:00:00;00", ("promo/sky.mov",))


def test_edl_written_by_opentimelineio_reads_back() -> None:
    edl = timelines.written_by_adapter(timelines.locked_cut(), "cmx_3600")

    clips = by_clip(read_timeline("r1.edl", edl, rate=24))

    assert clips["sh010_plate"].targets == ("file:///mnt/projects/nightfall/shots/sh010/plate%20v001.mov",)
    assert clips["sh020_sky"].targets == tuple(SKY.format(frame) for frame in range(1006, 1016))
    assert clips["sh020_sky"].record_in == "00:00:03:00"  # the writer drops the global start time


def test_edl_event_with_from_clip_and_source_file_lists_both() -> None:
    edl = (b"001  AX V C 00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n"
           b"* FROM CLIP: proxies/sky.mov\n*SOURCE FILE: /mnt/projects/nightfall/sky.exr\n")

    (reference,) = read_clips("x.edl", edl)

    assert reference.targets == ("proxies/sky.mov", "/mnt/projects/nightfall/sky.exr")


def test_edl_comment_before_the_first_event_is_tolerated() -> None:
    edl = b"TITLE: X\n* EXPORTED BY AVID\n001  AX V C 00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n" \
          b"* FROM CLIP: shots/a.mov\n"

    assert read_timeline("x.edl", edl) == (ClipReference("a", "01:00:00:00", ("shots/a.mov",)),)


def test_edl_rate_that_is_no_timecode_rate_is_unreadable() -> None:
    assert "not a timecode rate" in unreadable_reason("r1.edl", timelines.EDL_25, rate=7)


def test_latin1_edl_is_read() -> None:
    edl = "001  AX V C 00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n* FROM CLIP: plates/caf\xe9.mov\n"

    (reference,) = read_clips("x.edl", edl.encode("latin-1"))

    assert reference.targets == ("plates/caf\xe9.mov",)


# -- Final Cut Pro 7 XML ---------------------------------------------------------------------------


def test_fcp_xml_with_doctype_reads_pathurl_as_written() -> None:
    xml = timelines.fcp_xml("file://localhost/mnt/projects/nightfall/deliverables/sh020/sky_v003.mov")

    assert read_timeline("editorial/locked/r1.xml", xml) == (ClipReference(
        "sh020_sky", "01:00:02:00",
        ("file://localhost/mnt/projects/nightfall/deliverables/sh020/sky_v003.mov",)),)


def test_fcp_xml_frame_token_path_is_kept_as_written() -> None:
    xml = timelines.fcp_xml("file://localhost/mnt/projects/nightfall/sky.%5B1001-1100%5D.exr")

    (reference,) = read_clips("r1.xml", xml)

    assert reference.targets == ("file://localhost/mnt/projects/nightfall/sky.%5B1001-1100%5D.exr",)


def test_fcp_xml_drop_frame_sequence_gives_drop_frame_record_timecode() -> None:
    xml = timelines.fcp_xml("x.mov", displayformat="DF", timebase=30, ntsc="TRUE", sequence_frame=107892)

    (reference,) = read_clips("promo.xml", xml)

    assert reference.record_in == "01:00:01;18"  # 01:00:00;00 + 48 frames


def test_fcp_xml_written_by_opentimelineio_reads_video_and_audio() -> None:
    timeline = timelines.locked_cut()
    sky = timeline.tracks[0][2]
    sky.media_reference = otio.schema.ExternalReference(target_url="file:///mnt/sky.%04d.exr",
                                                        available_range=span(0, 100))
    xml = timelines.written_by_adapter(timeline, "fcp_xml")

    clips = by_clip(read_timeline("r1.xml", xml))

    assert clips["sh020_sky"] == ClipReference("sh020_sky", "01:00:03:00", ("file:///mnt/sky.%04d.exr",))
    assert clips["temp_mix"].targets == ("sound/temp_mix.wav",)


def test_fcp_xml_clips_inside_a_nested_sequence_are_read() -> None:
    clips = by_clip(read_timeline("r1.xml", timelines.fcp_xml_with_nested_sequence()))

    assert clips["plate"].record_in == "01:00:00:00"
    assert clips["sky"] == ClipReference("sky", "01:00:02:00",
                                         ("file://localhost/mnt/projects/nightfall/sky.mov",))


@pytest.mark.parametrize("xml", [
    b"",
    b"<?xml version='1.0'?><CompositionPlaylist><Id>urn:uuid:1</Id></CompositionPlaylist>",
    b"<html><body>not closed",
    b"\x89PNG\r\n\x1a\n\x00\x00",
])
def test_xml_that_is_no_final_cut_timeline_is_not_a_timeline(xml: bytes) -> None:
    assert read_timeline("deliverables/CPL.xml", xml) is None


def test_truncated_fcp_xml_is_unreadable() -> None:
    xml = timelines.fcp_xml("x.mov")

    assert "not well-formed XML" in unreadable_reason("r1.xml", xml[: len(xml) // 2])


def test_fcp_xml_without_sequences_has_no_clips() -> None:
    assert read_timeline("bin.xml", b"<xmeml version='5'><bin><name>b</name></bin></xmeml>") == ()


@pytest.mark.parametrize("bomb", [
    timelines.nested_sequence_bomb(levels=40),
    timelines.reference_multiplication(fan_out=200),
], ids=["nested-sequences", "track-and-clip-references"])
def test_id_reference_bomb_is_refused_fast(bomb: bytes) -> None:
    started = time.monotonic()

    assert "expand beyond" in unreadable_reason("bomb.xml", bomb)
    assert time.monotonic() - started < 2


def test_id_references_within_bounds_are_followed_as_the_adapter_does() -> None:
    clips = read_clips("r1.xml", timelines.reference_multiplication(fan_out=2))

    assert {(c.clip, c.targets) for c in clips} == {("c", ("file:///x.mov",))}
    assert len(clips) == 3  # 27 clips on nine identical tracks, at three record times


def test_fcp_xml_whose_definition_contains_itself_is_unreadable() -> None:
    loop = (b'<xmeml><sequence id="s"><name>s</name><rate><timebase>24</timebase></rate><media><video><track>'
            b'<clipitem><name>c</name><start>0</start><end>1</end><in>0</in><out>1</out><sequence id="s"/>'
            b"</clipitem></track></video></media></sequence></xmeml>")

    assert "loop" in unreadable_reason("loop.xml", loop)


# -- hostile and broken files ----------------------------------------------------------------------


@pytest.mark.parametrize("root", ["xmeml", "lolz"])
def test_billion_laughs_is_refused_before_expanding(root: str) -> None:
    started = time.monotonic()

    reason = unreadable_reason("r1.xml", timelines.billion_laughs(root))

    assert reason == "XML with an entity declaration or external reference is not read"
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("hostile", [timelines.external_entity, timelines.parameter_entity])
def test_external_entity_never_reads_the_local_file(tmp_path: Path, hostile: Any) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("NIGHTFALL-SECRET-7c1e\n")

    with pytest.raises(TimelineUnreadable) as raised:
        read_timeline("r1.xml", hostile(str(secret)))

    error = raised.value
    assert "entity declaration" in str(error)
    assert "NIGHTFALL-SECRET" not in " ".join([str(error), repr(error), repr(error.__context__)])


@pytest.mark.parametrize("name, data, reason", [
    ("r1.otio", b"", "empty file"),
    ("r1.otio", b'{"OTIO_SCHEMA": "Timeline.1", "tracks": {"OTIO_SCH', "not valid OpenTimelineIO JSON"),
    ("r1.otio", b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    ("r1.otio", b"\xff\xfe\x00garbage", "not UTF-8"),
    ("r1.otio", b'{"name": "not otio"}', "no OpenTimelineIO object"),
    ("r1.otio", b'{"OTIO_SCHEMA": "FutureTimeline.9"}', "unknown to OpenTimelineIO"),
    ("r1.edl", b"", "empty file"),
    ("r1.edl", b"  \n\n", "empty file"),
    ("r1.edl", b"TITLE: x\nthis is not an event line\n", "not valid CMX 3600"),
    ("r1.edl", b"001  AX V C 00:00:00:00 01:00:00:00\n", "not valid CMX 3600"),
    ("r1.edl", bytes(range(256)) * 64, "binary content"),
    ("r1.edl", b"001 " + b"x" * 5000 + b"\n", "longer than"),
])
def test_broken_timelines_are_unreadable_with_a_reason(name: str, data: bytes, reason: str) -> None:
    assert reason in unreadable_reason(name, data)


def test_truncated_otio_json_written_by_opentimelineio_is_unreadable() -> None:
    data = timelines.otio_json(timelines.locked_cut())

    assert "not valid OpenTimelineIO JSON" in unreadable_reason("r1.otio", data[: len(data) * 2 // 3])


def test_oversized_timeline_is_refused_unread() -> None:
    assert "larger than 64 MiB" in unreadable_reason("huge.otio", b" " * (MAX_TIMELINE_BYTES + 1))


def test_files_that_are_not_timelines_by_name_are_not_read() -> None:
    assert read_timeline("notes.txt", b"garbage") is None
    assert set(TIMELINE_SUFFIXES) == {".otio", ".edl", ".xml", ".aaf", ".fcpxml", ".otioz"}


def test_suffix_is_case_insensitive() -> None:
    assert read_timeline("R1.EDL", timelines.EDL_25, rate=25) is not None
    assert read_timeline("R1.OTIO", timelines.otio_json(timelines.locked_cut())) is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(suffix=st.sampled_from([".otio", ".edl", ".xml"]), data=st.one_of(
    st.binary(max_size=400),
    st.text(alphabet="0123456789:; *ACVT\n-<>/=\"'{}[]xmelsqunc", max_size=400).map(str.encode),
))
def test_any_bytes_give_clips_none_or_unreadable_never_another_error(suffix: str, data: bytes) -> None:
    try:
        result = read_timeline("fuzz" + suffix, data)
    except TimelineUnreadable as error:
        assert str(error)
    else:
        assert result is None or all(isinstance(reference, ClipReference) for reference in result)


def test_mutated_real_timelines_never_raise_another_error() -> None:
    sources = {
        ".otio": timelines.otio_json(timelines.locked_cut()),
        ".edl": timelines.EDL_25,
        ".xml": timelines.fcp_xml_with_nested_sequence(),
    }
    for suffix, data in sources.items():
        for position in range(0, len(data), max(1, len(data) // 120)):
            for mutated in (data[:position], data[:position] + b"\x00" + data[position + 1:],
                            data[:position] + data[position + 1:]):
                try:
                    read_timeline("m" + suffix, mutated, rate=25)
                except TimelineUnreadable:
                    pass


# -- mapping references into the repository --------------------------------------------------------

FACILITY_MAP = {"/mnt/projects/nightfall/": ""}
TIMELINE = "editorial/locked/r1.otio"


@pytest.mark.parametrize("target, path_map, expected", [
    # file:// URLs decoded
    ("file:///mnt/projects/nightfall/shots/a.exr", FACILITY_MAP, "shots/a.exr"),
    ("file://localhost/mnt/projects/nightfall/shots/a.exr", FACILITY_MAP, "shots/a.exr"),
    ("FILE://LOCALHOST/mnt/projects/nightfall/shots/a.exr", FACILITY_MAP, "shots/a.exr"),
    ("file:/mnt/projects/nightfall/shots/a.exr", FACILITY_MAP, "shots/a.exr"),
    ("file:///mnt/projects/nightfall/shots/plate%20v001.mov", FACILITY_MAP, "shots/plate v001.mov"),
    ("file:///mnt/projects/nightfall/plates/caf%C3%A9.mov", FACILITY_MAP, "plates/caf\xe9.mov"),
    ("file:///mnt/projects/nightfall/sky.%5B1001-1100%5D.exr", FACILITY_MAP, "sky.[1001-1100].exr"),
    ("file:///mnt/projects/nightfall/bad%FF.mov", FACILITY_MAP, "bad%FF.mov"),
    # frame tokens survive: %04d is no escape, # and ? are no fragment or query
    ("file:///mnt/projects/nightfall/sky.%04d.exr", FACILITY_MAP, "sky.%04d.exr"),
    ("file:///mnt/projects/nightfall/sky.####.exr", FACILITY_MAP, "sky.####.exr"),
    ("/mnt/projects/nightfall/sky.%04d.exr", FACILITY_MAP, "sky.%04d.exr"),
    ("/mnt/projects/nightfall/sky%20v1.exr", FACILITY_MAP, "sky%20v1.exr"),  # a plain path is not decoded
    # Windows drives and separators
    ("file:///C:/show/shots/a.exr", {"C:\\show\\": ""}, "shots/a.exr"),
    ("file:///C|/show/shots/a.exr", {"C:/show": ""}, "shots/a.exr"),
    ("P:\\nightfall\\shots\\a.exr", {"P:/nightfall/": "media"}, "media/shots/a.exr"),
    ("p:\\Nightfall\\shots\\a.exr", {"P:\\nightfall": "media"}, "media/shots/a.exr"),
    ("\\\\filer\\show\\shots\\a.exr", {"//filer/show/": ""}, "shots/a.exr"),
    ("file://filer/show/shots/a.exr", {"\\\\FILER\\show": ""}, "shots/a.exr"),
    ("shots\\sh010\\a.exr", {}, "editorial/locked/shots/sh010/a.exr"),
    # the longest matching prefix wins, at a directory boundary, whatever the map's order
    ("/mnt/p/editorial/in/a.mov", {"/mnt/p/": "", "/mnt/p/editorial/": "editorial/ingest"},
     "editorial/ingest/in/a.mov"),
    ("/mnt/p/editorial/in/a.mov", {"/mnt/p/editorial": "editorial/ingest", "/mnt/p": ""},
     "editorial/ingest/in/a.mov"),
    ("/mnt/show/a.exr", {"/mnt/show": "x"}, "x/a.exr"),
    ("/mnt/showreel/a.exr", {"/mnt/show": "x"}, None),
    ("/mnt/Show/a.exr", {"/mnt/show/": ""}, None),  # POSIX prefixes are case-sensitive
    ("/anything/a.exr", {"/": "facility"}, "facility/anything/a.exr"),
    ("/mnt/projects/nightfall/shots/a.exr", {"file:///mnt/projects/nightfall/": "nf"}, "nf/shots/a.exr"),
    ("/mnt/projects/nightfall/shots/a.exr", {"/mnt/projects/nightfall/": "./media/../"}, "shots/a.exr"),
    # mapped paths normalised; climbing out of the repository is not mapped
    ("/mnt/projects/nightfall/shots/./x/../a.exr", FACILITY_MAP, "shots/a.exr"),
    ("/mnt/projects/nightfall/../../etc/passwd", FACILITY_MAP, None),
    ("/mnt/projects/nightfall/", FACILITY_MAP, None),  # the repository root itself is no file
    # unmapped absolute paths
    ("/mnt/elsewhere/a.exr", FACILITY_MAP, None),
    ("file:///mnt/elsewhere/a.exr", FACILITY_MAP, None),
    ("D:\\elsewhere\\a.exr", FACILITY_MAP, None),
    ("D:a.exr", FACILITY_MAP, None),
    ("\\\\filer\\show\\a.exr", FACILITY_MAP, None),
    ("~/Desktop/a.exr", FACILITY_MAP, None),
    # relative paths resolve against the timeline's directory
    ("sky.exr", {}, "editorial/locked/sky.exr"),
    ("./sky.exr", {}, "editorial/locked/sky.exr"),
    ("../../shots/sh010/a.exr", {}, "shots/sh010/a.exr"),
    ("renders/../sky.exr", {}, "editorial/locked/sky.exr"),
    ("file:renders/sky.exr", {}, "editorial/locked/renders/sky.exr"),
    ("../../../outside.exr", {}, None),
    # other URL schemes and nothing at all
    ("http://example.com/a.mov", FACILITY_MAP, None),
    ("https://cdn.example.com/a.mov", FACILITY_MAP, None),
    ("s3://bucket/nightfall/a.exr", {"s3://bucket/nightfall/": ""}, None),
    ("", FACILITY_MAP, None),
    ("   ", FACILITY_MAP, None),
    # a directory is no media file
    ("file://localhost", FACILITY_MAP, None),
    (".", FACILITY_MAP, None),
    ("renders/..", FACILITY_MAP, None),
    ("renders/sky/", FACILITY_MAP, None),
])
def test_map_reference(target: str, path_map: dict[str, str], expected: str | None) -> None:
    assert map_reference(target, timeline_path=TIMELINE, path_map=path_map) == expected


@pytest.mark.parametrize("timeline_path, target, expected", [
    ("r1.edl", "shots/a.mov", "shots/a.mov"),
    ("r1.edl", "../a.mov", None),
    ("./editorial/r1.edl", "a.mov", "editorial/a.mov"),
])
def test_map_reference_from_a_timeline_at_the_root(timeline_path: str, target: str,
                                                   expected: str | None) -> None:
    assert map_reference(target, timeline_path=timeline_path, path_map={}) == expected


def test_read_references_map_into_the_repository() -> None:
    references = read_clips("editorial/locked/r1.otio", timelines.otio_json(timelines.locked_cut()))

    mapped = {reference.clip: [map_reference(target, timeline_path="editorial/locked/r1.otio",
                                             path_map=FACILITY_MAP) for target in reference.targets]
              for reference in references}

    assert mapped["sh010_plate"] == ["shots/sh010/plate v001.mov"]
    assert mapped["sh020_sky"][0] == "deliverables/sh020/sky/sh020_sky_v003.1006.exr"
    assert mapped["temp_mix"] == ["editorial/locked/sound/temp_mix.wav"]
