"""OpenTimelineIO JSON read as OpenTimelineIO reads it, slice by slice, nesting bounded (SPEC §9, §11)."""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import editorial_timelines as timelines
import opentimelineio as otio  # type: ignore[import-untyped]
import pytest
from editorial_timelines import external_clip, frames, sky_sequence, span
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genai_hooks.editorial import ClipReference, TimelineUnreadable, otio_json, read_timeline
from genai_hooks.editorial.clips import TimecodeStyle, clip_references


def read_clips(data: bytes) -> tuple[ClipReference, ...]:
    references = read_timeline("r1.otio", data)
    assert references is not None
    return references


def read_whole(data: bytes) -> tuple[ClipReference, ...]:
    """What OpenTimelineIO's reader and the clip walk give for the whole document at once."""
    root = otio.adapters.read_from_string(data.decode(), adapter_name="otio_json")
    references: tuple[ClipReference, ...] = clip_references(
        root, style=TimecodeStyle(rate=24, drop_frame=None), source_file_comments=False)
    return references


# -- Infinity, NaN ---------------------------------------------------------------------------------


def test_otio_json_with_infinity_and_nan_reads_as_opentimelineio_reads_it() -> None:
    timeline = timelines.locked_cut()
    timeline.metadata["grade"] = {"gain": math.inf, "lift": -math.inf, "gamma": math.nan}
    data = timelines.otio_json(timeline)
    assert b"Infinity" in data and b"NaN" in data

    clips = {reference.clip: reference for reference in read_clips(data)}

    assert clips["sh010_plate"].record_in == "01:00:00:00"
    assert set(clips) == {"sh010_plate", "sh020_sky", "temp_mix"}


def test_otio_json_with_tokens_only_opentimelineio_knows_is_read_whole() -> None:
    data = timelines.otio_json(timelines.locked_cut()).replace(
        b'"metadata": {}', b'"metadata": {"a": Inf, "b": -Inf}', 1)
    with pytest.raises(ValueError):
        json.loads(data)

    assert read_clips(data) == read_clips(timelines.otio_json(timelines.locked_cut()))


# -- nesting ---------------------------------------------------------------------------------------


def with_metadata(value: str) -> bytes:
    return timelines.otio_json(timelines.locked_cut()).replace(b'"metadata": {}', b'"metadata": {"x": ' +
                                                              value.encode() + b"}", 1)


def test_deep_but_bounded_nesting_is_read_and_deeper_is_refused() -> None:
    assert len(read_clips(with_metadata("[" * 400 + "]" * 400))) == 3
    with pytest.raises(TimelineUnreadable, match="nested too deeply"):
        read_timeline("r1.otio", with_metadata("[" * 600 + "]" * 600))


@pytest.mark.parametrize("value", [
    '"' + "[" * 100_000 + '"',
    '"\\"' + "{" * 100_000 + '"',
    '"\\\\\\"' + "[" * 100_000 + '\\\\"',
    '["' + "]" * 1000 + '", ' + "[" * 300 + "]" * 300 + "]",
])
def test_brackets_inside_strings_do_not_count(value: str) -> None:
    assert len(read_clips(with_metadata(value))) == 3


def test_closing_brackets_inside_strings_do_not_hide_deep_nesting() -> None:
    hidden = '["' + "]" * 2000 + '"' + "," + "[" * 600 + "]" * 600 + "]"

    with pytest.raises(TimelineUnreadable, match="nested too deeply"):
        read_timeline("r1.otio", with_metadata(hidden))


def reference_depth(text: str) -> int:
    """The deepest bracket nesting outside strings, one character at a time."""
    depth = deepest = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif character in "]}":
            depth -= 1
    return deepest


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab\n/é\u2028'),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.text(alphabet='[]{}"\\ab', max_size=4), children, max_size=3),
    max_leaves=30,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSON_VALUES, limit=st.integers(0, 6), ascii_only=st.booleans())
def test_nesting_check_agrees_with_a_character_scanner(monkeypatch: pytest.MonkeyPatch, value: Any, limit: int,
                                                       ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    monkeypatch.setattr(otio_json, "MAX_JSON_DEPTH", limit)

    if reference_depth(text) > limit:
        with pytest.raises(TimelineUnreadable):
            otio_json.check_json_nesting(text.encode())
    else:
        otio_json.check_json_nesting(text.encode())


# -- slices ----------------------------------------------------------------------------------------


def track_items(draw: Any) -> list[Any]:
    items: list[Any] = []
    for index in range(draw(st.integers(0, 9))):
        kind = draw(st.sampled_from(["clip", "clip", "gap", "stack", "sequence", "transition"]))
        duration = draw(st.integers(1, 30))
        if kind == "clip":
            items.append(external_clip(f"c{index}", f"shots/c{index}.mov", span(draw(st.integers(0, 5)), duration)))
        elif kind == "gap":
            items.append(otio.schema.Gap(source_range=span(0, duration)))
        elif kind == "sequence":
            items.append(otio.schema.Clip(name=f"s{index}", media_reference=sky_sequence(),
                                          source_range=span(draw(st.integers(0, 50)), duration)))
        elif kind == "stack":
            stack = otio.schema.Stack(name=f"n{index}", source_range=span(draw(st.integers(0, 3)), duration))
            inner = otio.schema.Track()
            inner.append(external_clip(f"n{index}c", f"shots/n{index}.mov", span(0, 40)))
            stack.append(inner)
            items.append(stack)
        elif items and not isinstance(items[-1], otio.schema.Transition):
            items.append(otio.schema.Transition(in_offset=frames(1), out_offset=frames(1)))
    return items


@st.composite
def timelines_of_tracks(draw: Any) -> Any:
    timeline = otio.schema.Timeline(name="cut", global_start_time=draw(st.sampled_from([None, frames(86400)])))
    for number in range(draw(st.integers(1, 3))):
        track = otio.schema.Track(name=f"V{number}")
        if draw(st.booleans()):
            track.source_range = span(draw(st.integers(0, 20)), draw(st.integers(1, 200)))
        for item in track_items(draw):
            track.append(item)
        timeline.tracks.append(track)
    if draw(st.booleans()):
        nested = otio.schema.Stack(name="top_level_stack")
        nested.append(otio.schema.Track())
        nested[0].append(external_clip("in_stack", "shots/in_stack.mov", span(0, 5)))
        timeline.tracks.append(nested)
    return timeline


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(timeline=timelines_of_tracks(), slice_items=st.integers(1, 4))
def test_reading_in_slices_gives_what_reading_whole_gives(monkeypatch: pytest.MonkeyPatch, timeline: Any,
                                                          slice_items: int) -> None:
    monkeypatch.setattr(otio_json, "SLICE_ITEMS", slice_items)
    data = timelines.otio_json(timeline)

    assert Counter(read_clips(data)) == Counter(read_whole(data))


@pytest.mark.slow
def test_thousands_of_clips_over_many_slices_keep_their_record_timecode() -> None:
    timeline = otio.schema.Timeline(name="reel", global_start_time=frames(86400))
    track = otio.schema.Track(name="V1")
    timeline.tracks.append(track)
    for index in range(5_000):
        track.append(external_clip(f"sh{index:04d}", f"shots/sh{index:04d}.mov", span(0, 24)))
        if index % 1000 == 999:
            track.append(otio.schema.Transition(in_offset=frames(2), out_offset=frames(2)))
    data = timelines.otio_json(timeline)

    references = read_clips(data)

    assert references == read_whole(data)
    assert references[4999] == ClipReference("sh4999", "02:23:19:00", ("shots/sh4999.mov",))  # 4,999 s in


@pytest.mark.parametrize("place", [b'"Track.1"', b'"Clip.2"', b'"ExternalReference.1"'])
@pytest.mark.parametrize("tokens", [b"", b'"a": Inf, '], ids=["sliced", "read-whole"])
def test_a_key_repeated_in_one_object_is_refused_before_opentimelineio_crashes_on_it(place: bytes,
                                                                                    tokens: bytes) -> None:
    data = timelines.otio_json(timelines.locked_cut())
    children = data.index(b'"children": [', data.index(b'"Track.1"'))
    crash = data[:children] + b'"children": [], ' + data[children:]  # OpenTimelineIO 0.18 segfaults on this
    repeated = data.replace(place, place + b', ' + tokens + b'"name": "again"', 1)

    for document in (crash, repeated):
        with pytest.raises(TimelineUnreadable, match="key repeated"):
            read_timeline("r1.otio", document.replace(b'"metadata": {}', b'"metadata": {' + tokens.rstrip(b", ") + b"}", 1))


@pytest.mark.parametrize("old_schema", [b'"Clip.1"', b'"Marker.1"'])
@pytest.mark.parametrize("tokens", [b"", b'"a": Inf'], ids=["sliced", "read-whole"])
def test_an_old_schema_that_already_has_what_its_upgrade_writes_is_refused(old_schema: bytes, tokens: bytes) -> None:
    timeline = timelines.locked_cut()
    timeline.tracks[0][0].markers.append(otio.schema.Marker(name="note", marked_range=span(0, 1)))
    data = timelines.otio_json(timeline).replace(b'"metadata": {}', b'"metadata": {' + tokens + b"}", 1)
    current = old_schema.replace(b".1", b".2")
    assert current in data

    # OpenTimelineIO 0.18 upgrades Clip.1 and Marker.1 by writing media_references and marked_range,
    # and crashes the process when they are there already
    with pytest.raises(TimelineUnreadable, match="that already has"):
        read_timeline("r1.otio", data.replace(current, old_schema, 1))


def test_a_collection_of_timelines_is_read_whole() -> None:
    collection = otio.schema.SerializableCollection(children=[timelines.locked_cut()])

    assert read_clips(timelines.otio_json(collection)) == read_clips(timelines.otio_json(timelines.locked_cut()))
