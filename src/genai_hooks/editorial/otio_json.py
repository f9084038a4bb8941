"""OpenTimelineIO JSON → clip references, a slice of each track at a time.

OpenTimelineIO holds about 3.7 KB per clip in memory, so a 100,000-clip timeline read whole costs
~370 MB besides the text. A timeline's tracks are read as a skeleton with empty tracks instead,
and each track's items in slices of `SLICE_ITEMS`, each slice after a gap as long as the items
before it, so every clip sits where it sits in the whole track. Python's JSON scanner finds the
items (one small value at a time); OpenTimelineIO reads every byte. A document whose top is no
timeline, or that only OpenTimelineIO's parser takes (`Inf`), is read whole, as before.

Before OpenTimelineIO sees a byte, the nesting depth is counted outside strings (its C++ parser
recurses per level), and no object may repeat a key or give a field that upgrading its old schema
writes (OpenTimelineIO 0.18 crashes on both). Neither check builds the document in Python.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import opentimelineio as otio  # type: ignore[import-untyped]

from genai_hooks.editorial.clips import ClipCollector, TimecodeStyle, clip_references, style_of, timeline_rate
from genai_hooks.editorial.model import ClipReference, TimelineUnreadable, short_reason

MAX_JSON_DEPTH = 512  # OpenTimelineIO's C++ parser recurses per level: 100,000 levels crash it
SLICE_ITEMS = 2_000  # items of one track in memory at a time

_NOT_QUOTES_OR_BRACKETS = bytes(byte for byte in range(256) if byte not in b'"[]{}')
_STRING_OF_BRACKETS = re.compile(rb'"[^"]*"')
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_INF = re.compile(r"(?<![A-Za-z0-9_])Inf(?![A-Za-z0-9_])")  # RapidJSON reads Inf; Python's scanner, Infinity
_REPEATED_KEY = "not valid OpenTimelineIO JSON: a key repeated in one object (OpenTimelineIO 0.18 crashes)"
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def read_otio_json(data: bytes, rate: float) -> tuple[ClipReference, ...]:
    """The clip references of an OpenTimelineIO JSON document."""
    check_json_nesting(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TimelineUnreadable("not valid OpenTimelineIO JSON: not UTF-8 text") from None
    if not text.strip():
        raise TimelineUnreadable("not valid OpenTimelineIO JSON: empty file")
    style = TimecodeStyle(rate=rate, drop_frame=None)
    sliced = _sliced_or_none(text, style)
    if sliced is not None:
        return sliced
    _check_objects(text)
    return clip_references(_read_whole(text), style=style, source_file_comments=False)


def check_json_nesting(data: bytes) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH, counting brackets outside strings only.

    Escaped backslashes and quotes go first (left to right, as a parser reads them), then all
    but quotes and brackets; what is left between two quotes is inside a string. Adjacent quotes
    are an empty string or the end of one and the start of the next: dropping them keeps every
    bracket on its side of the quotes, and leaves little for the regular expression.
    """
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    marks = data.translate(None, _NOT_QUOTES_OR_BRACKETS).replace(b'""', b"")
    brackets = _STRING_OF_BRACKETS.sub(b"", marks).replace(b'"', b"")
    if brackets and max(accumulate(map(_DEPTH_STEP.__getitem__, brackets))) > MAX_JSON_DEPTH:
        raise TimelineUnreadable(
            f"not valid OpenTimelineIO JSON: nested too deeply (more than {MAX_JSON_DEPTH} levels)")


def _sliced_or_none(text: str, style: TimecodeStyle) -> tuple[ClipReference, ...] | None:
    """The clips read slice by slice; None when the document must be read whole."""
    try:
        return _read_in_slices(text, _timeline_layout(text), style)
    except TimelineUnreadable:
        raise
    except Exception:  # noqa: BLE001 — OpenTimelineIO's own read of the whole says what is wrong
        return None


def _checked_object(pairs: list[tuple[str, Any]]) -> None:
    """Refuse the objects OpenTimelineIO 0.18 crashes on: it frees a value it overwrites twice.

    That is a repeated key, and a field that upgrading an old schema writes (Clip.1 →
    `media_references`, Marker.1 → `marked_range`) given already.
    """
    members = dict(pairs)
    if len(members) != len(pairs):
        raise TimelineUnreadable(_REPEATED_KEY)
    schema = members.get("OTIO_SCHEMA")
    if isinstance(schema, str) and "." in schema:
        name, version = schema.rsplit(".", 1)
        written = _WRITTEN_BY_UPGRADE.get(name, ())
        if any(field in members for field in written) and version.isdigit() and int(version) < _VERSIONS[name]:
            raise TimelineUnreadable(f"not valid OpenTimelineIO JSON: a {schema} that already has {written[0]}")


_WRITTEN_BY_UPGRADE = {"Clip": ("media_references", "active_media_reference_key"), "Marker": ("marked_range",)}
_VERSIONS = {name: int(otio.core.type_version_map()[name]) for name in _WRITTEN_BY_UPGRADE}
_DECODER = json.JSONDecoder(object_pairs_hook=_checked_object)  # objects become None: nothing is kept


def _check_objects(text: str) -> None:
    """Scan the whole document for the objects OpenTimelineIO crashes on, keeping none of it."""
    scanned = _INF.sub("Infinity", text) if "Inf" in text else text
    try:
        _DECODER.raw_decode(scanned, _space(scanned, 0))
    except (ValueError, RecursionError) as error:
        raise TimelineUnreadable("not valid OpenTimelineIO JSON: " + short_reason(error)) from None


def _read_whole(text: str) -> Any:
    try:
        no_linker = otio.media_linker.MediaLinkingPolicy.DoNotLinkMedia
        root = otio.adapters.read_from_string(text, adapter_name="otio_json", media_linker_name=no_linker)
    except Exception as error:  # noqa: BLE001
        raise TimelineUnreadable("not valid OpenTimelineIO JSON: " + short_reason(error)) from None
    if not isinstance(root, otio.core.SerializableObject):
        raise TimelineUnreadable("not valid OpenTimelineIO JSON: no OpenTimelineIO object at the top")
    if root.is_unknown_schema:
        schema, version = root.original_schema_name, otio.__version__
        raise TimelineUnreadable(f"OpenTimelineIO schema {schema} is unknown to OpenTimelineIO {version}")
    return root


# -- where the items are -----------------------------------------------------------------------------


class _ReadWhole(Exception):
    """The document is not laid out as a timeline this module slices: read it whole."""


@dataclass
class _Track:
    """One child of the timeline's top-level stack, and where its items are in the text."""

    schema: str = ""
    children: tuple[int, int] | None = None  # span of the `children` array
    starts: array[int] = field(default_factory=lambda: array("q"))  # spans of the array's items
    ends: array[int] = field(default_factory=lambda: array("q"))


@dataclass
class _Layout:
    tracks: list[_Track] = field(default_factory=list)
    schemas: dict[str, str] = field(default_factory=dict)  # "timeline", "stack" → OTIO_SCHEMA


def _timeline_layout(text: str) -> _Layout:
    layout = _Layout()

    def in_stack(key: str, start: int) -> int:
        if key == "OTIO_SCHEMA":
            return _string(text, start, layout.schemas, "stack")
        if key != "children":
            return _skip(text, start)
        return _array(text, start, lambda index: _track(text, index, layout))

    def in_timeline(key: str, start: int) -> int:
        if key == "OTIO_SCHEMA":
            return _string(text, start, layout.schemas, "timeline")
        return _object(text, start, in_stack) if key == "tracks" else _skip(text, start)

    end = _object(text, _space(text, 0), in_timeline)
    if _space(text, end) != len(text):
        raise _ReadWhole
    if layout.schemas.get("timeline") != "Timeline.1" or layout.schemas.get("stack") != "Stack.1":
        raise _ReadWhole
    return layout


def _track(text: str, start: int, layout: _Layout) -> int:
    track = _Track()
    layout.tracks.append(track)
    schema: dict[str, str] = {}

    def member(key: str, value_start: int) -> int:
        if key == "OTIO_SCHEMA":
            return _string(text, value_start, schema, "track")
        if key != "children":
            return _skip(text, value_start)
        end = _array(text, value_start, item)
        track.children = (value_start, end)
        return end

    def item(item_start: int) -> int:
        item_end = _skip(text, item_start)
        track.starts.append(item_start)
        track.ends.append(item_end)
        return item_end

    end = _object(text, start, member)
    track.schema = schema.get("track", "")
    return end


def _object(text: str, index: int, member: Callable[[str, int], int]) -> int:
    """The end of the object at `index`, calling `member(key, value start) → value end` for each member."""
    if not text.startswith("{", index):
        raise _ReadWhole
    keys = set()
    index = _space(text, index + 1)
    if text.startswith("}", index):
        return index + 1
    while True:
        if not text.startswith('"', index):
            raise _ReadWhole
        key, index = _json_string(text, index)
        if key in keys:
            raise TimelineUnreadable(_REPEATED_KEY)
        keys.add(key)
        index = _space(text, index)
        if not text.startswith(":", index):
            raise _ReadWhole
        index = _space(text, member(key, _space(text, index + 1)))
        if text.startswith("}", index):
            return index + 1
        if not text.startswith(",", index):
            raise _ReadWhole
        index = _space(text, index + 1)


def _array(text: str, index: int, element: Callable[[int], int]) -> int:
    """The end of the array at `index`, calling `element(start) → end` for each element."""
    if not text.startswith("[", index):
        raise _ReadWhole
    index = _space(text, index + 1)
    if text.startswith("]", index):
        return index + 1
    while True:
        index = _space(text, element(index))
        if text.startswith("]", index):
            return index + 1
        if not text.startswith(",", index):
            raise _ReadWhole
        index = _space(text, index + 1)


def _string(text: str, index: int, into: dict[str, str], key: str) -> int:
    if not text.startswith('"', index):
        raise _ReadWhole
    into[key], end = _json_string(text, index)
    return end


def _json_string(text: str, index: int) -> tuple[str, int]:
    try:
        return _scanstring(text, index + 1)
    except ValueError:
        raise _ReadWhole from None


def _skip(text: str, index: int) -> int:
    """The end of the JSON value at `index`, keys checked: one small value is built, then dropped."""
    try:
        end: int = _DECODER.raw_decode(text, index)[1]
    except (ValueError, RecursionError):
        raise _ReadWhole from None
    return end


def _space(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    return match.end() if match is not None else index


# -- reading the slices ------------------------------------------------------------------------------


def _read_in_slices(text: str, layout: _Layout, style: TimecodeStyle) -> tuple[ClipReference, ...]:
    sliced = [track.schema == "Track.1" and track.children is not None for track in layout.tracks]
    timeline = _read_whole(_skeleton(text, layout, sliced))
    if not isinstance(timeline, otio.schema.Timeline) or len(timeline.tracks) != len(layout.tracks):
        raise _ReadWhole
    stack = timeline.tracks
    children = list(stack)
    timeline_style = style_of(timeline, style)
    global_start = timeline.global_start_time
    rate = None if global_start is None else timeline_rate(global_start, stack, timeline_style)
    collector = ClipCollector(source_file_comments=False)
    stack.clear()  # each pass walks one child of the stack: children of a stack all start at its start
    for child, track, is_sliced in zip(children, layout.tracks, sliced):
        stack.append(child)
        for _ in _slices_into(child, text, track) if is_sliced else iter([None]):
            if rate is None and next(iter(stack.find_clips()), None) is not None:
                rate = timeline_rate(None, stack, timeline_style)  # the first clip of the timeline decides
            if rate is not None:
                collector.add(stack, global_start, rate, timeline_style.drop_frame)
        stack.clear()
    return collector.references()


def _skeleton(text: str, layout: _Layout, sliced: list[bool]) -> str:
    """The document with the item arrays of sliced tracks emptied."""
    pieces: list[str] = []
    position = 0
    for track, is_sliced in zip(layout.tracks, sliced):
        if is_sliced and track.children is not None:
            pieces.extend((text[position:track.children[0]], "[]"))
            position = track.children[1]
    pieces.append(text[position:])
    return "".join(pieces)


def _slices_into(track: Any, text: str, spans: _Track) -> Iterator[None]:
    """Fill `track` with one slice of its items after another, after a gap as long as the items before."""
    before = None  # where the previous slice's last item ends, in the track's time
    for first in range(0, len(spans.starts), SLICE_ITEMS):
        last = min(first + SLICE_ITEMS, len(spans.starts))
        # read as a track: OpenTimelineIO 0.18 leaks the objects of a top-level JSON array
        holder = otio.core.deserialize_json_from_string(
            '{"OTIO_SCHEMA":"Track.1","kind":"Video","children":['
            + ",".join(text[spans.starts[i]:spans.ends[i]] for i in range(first, last)) + "]}")
        items = list(holder)
        holder.clear()
        if before is not None:
            track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(
                otio.opentime.RationalTime(0, before.rate), before)))
        track.extend(items)
        del items, holder
        yield None
        before = _end_of_items(track, before)
        track.clear()


def _end_of_items(track: Any, before: Any) -> Any:
    """Where the track's last item that is no transition ends: transitions take no time in a track."""
    ranges = track.range_of_all_children()
    for child in reversed(list(track)):
        if not isinstance(child, otio.schema.Transition):
            return ranges[child].end_time_exclusive()
    return before
