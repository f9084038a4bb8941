"""OpenTimelineIO objects → clip references: which clip, where on the timeline, which media.

Every clip of every track (video and audio, nested stacks included) is visited, enabled or not;
gaps and transitions are not clips. A clip's record timecode is where its first visible frame sits
on the timeline: the timeline's global start time plus the clip's position in the top-level stack.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import opentimelineio as otio  # type: ignore[import-untyped]

from genai_hooks.editorial.model import (
    MAX_SEQUENCE_FRAMES,
    MAX_TIMELINE_TARGETS,
    ClipReference,
    TimelineUnreadable,
)

_SOURCE_FILE_COMMENT = re.compile(r"^SOURCE FILE:\s*(?P<path>.+)$", re.IGNORECASE)
_MAX_COLLECTION_DEPTH = 64


@dataclass(frozen=True)
class TimecodeStyle:
    """How record times become timecode when the timeline does not say."""

    rate: float  # used when the timeline carries no rate of its own
    drop_frame: bool | None  # None: inferred from the rate (29.97, 59.94), as OpenTimelineIO does


def clip_references(
    document: Any, *, style: TimecodeStyle, source_file_comments: bool
) -> tuple[ClipReference, ...]:
    """The clip references of an OTIO Timeline, SerializableCollection, composition or clip.

    `source_file_comments`: EDL `* SOURCE FILE:` comments, which the CMX 3600 adapter keeps as
    metadata only, name the clip's media too.
    """
    collector = ClipCollector(source_file_comments=source_file_comments)
    for timeline_root, global_start, timeline_style in timeline_roots(document, style):
        rate = timeline_rate(global_start, timeline_root, timeline_style)
        collector.add(timeline_root, global_start, rate, timeline_style.drop_frame)
    return collector.references()


class ClipCollector:
    """The clip references of one timeline file, gathered from one or more top-level compositions."""

    def __init__(self, *, source_file_comments: bool) -> None:
        self._source_file_comments = source_file_comments
        self._references: list[ClipReference] = []
        self._seen: set[ClipReference] = set()
        self._budget = MAX_TIMELINE_TARGETS

    def add(self, root: Any, global_start: Any, rate: float, drop_frame: bool | None) -> None:
        """Every clip under `root`, a top-level stack (or composition, or clip) of a timeline."""
        for clip, record, record_end in _clips_with_record_times(root):
            targets = _clip_targets(clip, self._source_file_comments, self._budget)
            if not targets:
                continue
            self._budget -= len(targets)
            if self._budget < 0:
                raise _too_many_targets()
            reference = ClipReference(
                clip=str(clip.name or ""),
                record_in=record_timecode(record, global_start, rate, drop_frame),
                targets=targets,
                record_out=record_timecode(record_end, global_start, rate, drop_frame),
            )
            if reference not in self._seen:  # an EDL "AA" event is the same clip on two audio tracks
                self._seen.add(reference)
                self._references.append(reference)

    def references(self) -> tuple[ClipReference, ...]:
        return tuple(self._references)


def timeline_roots(document: Any, style: TimecodeStyle) -> Iterator[tuple[Any, Any, TimecodeStyle]]:
    """(top-level item, global start time or None, timecode style) for each timeline in the document."""
    pending: list[tuple[Any, int]] = [(document, 0)]
    while pending:
        item, depth = pending.pop(0)
        if isinstance(item, otio.schema.Timeline):
            yield item.tracks, item.global_start_time, style_of(item, style)
        elif isinstance(item, otio.schema.SerializableCollection):
            if depth >= _MAX_COLLECTION_DEPTH:
                raise TimelineUnreadable(f"collections nested deeper than {_MAX_COLLECTION_DEPTH}")
            pending.extend((child, depth + 1) for child in item)
        elif isinstance(item, (otio.core.Composition, otio.schema.Clip)):
            yield item, None, style


def style_of(timeline: Any, style: TimecodeStyle) -> TimecodeStyle:
    """Final Cut Pro says whether its timecode is drop-frame: FCP7 `displayformat`, FCPXML `tcFormat`."""
    display = ""
    for keys in (("fcp_xml", "timecode", "displayformat"), ("fcpx_xml", "tcFormat")):
        try:
            value: Any = timeline.metadata
            for key in keys:
                value = value[key]
        except (KeyError, TypeError, AttributeError):
            continue
        display = str(value).upper()
    if display in ("DF", "NDF"):
        return TimecodeStyle(rate=style.rate, drop_frame=display == "DF")
    return style


def _clips_with_record_times(root: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(clip, where its first visible frame sits in the top-level stack, where its visible part ends), a
    composition's clips first.

    A clip that a nested composition trims at its head starts where the trim ends; one trimmed
    away entirely keeps its own start.
    """
    if isinstance(root, otio.schema.Clip):
        duration = root.trimmed_range().duration
        yield root, otio.opentime.RationalTime(0, duration.rate), duration
        return
    # offset: added to a time inside a composition, gives the time in the top-level stack
    root_range = root.source_range
    offset = -root_range.start_time if root_range is not None else otio.opentime.RationalTime(0, 1)
    pending: list[tuple[Any, Any, _Window | None]] = [(root, offset, None)]
    while pending:
        composition, offset, window = pending.pop()
        child_ranges = composition.range_of_all_children()
        nested: list[tuple[Any, Any, _Window | None]] = []
        for child in composition:
            child_range = child_ranges[child]
            placed = (offset + child_range.start_time, offset + child_range.end_time_exclusive())
            if isinstance(child, otio.schema.Clip):
                yield child, _first_visible(placed, window), _last_visible(placed, window)
            elif isinstance(child, otio.core.Composition):
                start_inside = child.trimmed_range().start_time
                nested.append((child, placed[0] - start_inside, _intersection(placed, window)))
        pending.extend(reversed(nested))  # the first nested composition is walked next


_Window = tuple[Any, Any]  # [start, end) in the top-level stack's time


def _intersection(placed: _Window, window: _Window | None) -> _Window:
    if window is None:
        return placed
    return (max(placed[0], window[0]), min(placed[1], window[1]))


def _first_visible(placed: _Window, window: _Window | None) -> Any:
    if window is None or not (placed[0] < window[1] and window[0] < placed[1]):
        return placed[0]
    return max(placed[0], window[0])


def _last_visible(placed: _Window, window: _Window | None) -> Any:
    if window is None or not (placed[0] < window[1] and window[0] < placed[1]):
        return placed[1]
    return min(placed[1], window[1])


def record_timecode(record: Any, global_start: Any, rate: float, drop_frame: bool | None) -> str:
    position = record if global_start is None else global_start + record
    frames = position.value_rescaled_to(rate)
    if not math.isfinite(frames):
        raise TimelineUnreadable("a clip has no finite record time")
    frame = round(frames)
    timecode = unwrapped_timecode(abs(frame), rate, drop_frame)
    return "-" + timecode if frame < 0 else timecode


def unwrapped_timecode(frame: int, rate: float, drop_frame: bool | None) -> str:
    """`frame` as timecode; past 24 hours the hours go on counting (OpenTimelineIO wraps them to 00)."""
    timecode = _timecode(frame, rate, drop_frame)
    dropped = ";" in timecode
    nominal = round(rate)
    per_day = nominal * 86_400 - (2 * round(nominal / 30) * (1_440 - 144) if dropped else 0)
    days, rest = divmod(frame, per_day)
    if not days:
        return timecode
    timecode = _timecode(rest, rate, drop_frame)
    hours, tail = timecode.split(":", 1)
    return f"{int(hours) + 24 * days:02d}:{tail}"


def _timecode(frame: int, rate: float, drop_frame: bool | None) -> str:
    frame_time = otio.opentime.RationalTime(frame, rate)
    try:
        return str(frame_time.to_timecode(rate, drop_frame))
    except ValueError:  # drop-frame asked of a rate that has none (a 23.976 FCP sequence marked DF)
        return str(frame_time.to_timecode(rate, False))


def timeline_rate(global_start: Any, root: Any, style: TimecodeStyle) -> float:
    """The timeline's own rate (global start time, else its first clip), else the style's, else 24."""
    candidates = []
    if global_start is not None:
        candidates.append(global_start.rate)
    else:
        first_clip = next(iter(root.find_clips()), None) if not isinstance(root, otio.schema.Clip) else root
        if first_clip is not None and first_clip.source_range is not None:
            candidates.append(first_clip.source_range.start_time.rate)
    candidates.extend((style.rate, 24.0))
    for rate in candidates:
        timecode_rate = timecode_rate_near(rate)
        if timecode_rate is not None:
            return timecode_rate
    return 24.0


def timecode_rate_near(rate: float) -> float | None:
    """The SMPTE timecode rate `rate` stands for (23.976 → 24000/1001), or None if it stands for none."""
    if not math.isfinite(rate) or rate <= 0:
        return None
    if otio.opentime.RationalTime.is_valid_timecode_rate(rate):
        return float(rate)
    nearest = float(otio.opentime.RationalTime.nearest_valid_timecode_rate(rate))
    return nearest if abs(nearest - rate) < 0.01 else None


def _too_many_targets() -> TimelineUnreadable:
    return TimelineUnreadable(
        f"references more than {MAX_TIMELINE_TARGETS:,} media files and frames; not read")


def _clip_targets(clip: Any, source_file_comments: bool, budget: int) -> tuple[str, ...]:
    """Every media target of the clip, active reference first, without repeats."""
    targets: list[str] = []
    references = clip.media_references()
    active_key = clip.active_media_reference_key
    keys = [active_key] + sorted(key for key in references if key != active_key)
    for key in keys:
        reference = references.get(key)
        if isinstance(reference, otio.schema.ExternalReference):
            if reference.target_url:
                targets.append(str(reference.target_url))
        elif isinstance(reference, otio.schema.ImageSequenceReference):
            targets.extend(_sequence_targets(reference, clip.source_range, budget - len(targets)))
    if source_file_comments:
        targets.extend(_source_file_comments(clip))
    return tuple(dict.fromkeys(targets))


def _source_file_comments(clip: Any) -> list[str]:
    try:
        comments = list(clip.metadata["cmx_3600"]["comments"])
    except (KeyError, TypeError):
        return []
    paths = []
    for comment in comments:
        match = _SOURCE_FILE_COMMENT.match(str(comment))
        if match:
            paths.append(match.group("path").strip())
    return paths


def _sequence_targets(reference: Any, source_range: Any, budget: int) -> list[str]:
    """One path per image of the sequence the clip uses; the printf pattern when that cannot be known.

    Raises TimelineUnreadable, before listing them, when there are more than `budget` images.
    """
    available = reference.available_range
    used = source_range if source_range is not None else available
    rate = float(reference.rate)
    step = int(reference.frame_step)
    if available is None or used is None or not math.isfinite(rate) or rate <= 0 or step <= 0:
        return [_sequence_pattern(reference)]
    first_offset = (used.start_time - available.start_time).value_rescaled_to(rate)
    end_offset = (used.end_time_exclusive() - available.start_time).value_rescaled_to(rate)
    image_count = math.ceil(available.duration.value_rescaled_to(rate) / step - 1e-9)
    if not (math.isfinite(first_offset) and math.isfinite(end_offset)):
        return [_sequence_pattern(reference)]
    first_image = max(0, math.floor(first_offset / step + 1e-9))
    last_image = min(image_count - 1, math.ceil(end_offset / step - 1e-9) - 1)
    if last_image < first_image:
        return [_sequence_pattern(reference)]
    last_image = min(last_image, first_image + MAX_SEQUENCE_FRAMES - 1)
    if last_image - first_image + 1 > budget:
        raise _too_many_targets()
    start_frame = int(reference.start_frame)
    padding = int(reference.frame_zero_padding)
    head, tail = _sequence_head(reference), str(reference.name_suffix or "")
    return [
        head + _frame_number(start_frame + image * step, padding) + tail
        for image in range(first_image, last_image + 1)
    ]


def _frame_number(frame: int, padding: int) -> str:
    digits = str(abs(frame)).zfill(max(padding, 0))
    return "-" + digits if frame < 0 else digits


def _sequence_pattern(reference: Any) -> str:
    padding = int(reference.frame_zero_padding)
    frame_token = f"%0{padding}d" if padding > 1 else "%d"
    return _sequence_head(reference) + frame_token + str(reference.name_suffix or "")


def _sequence_head(reference: Any) -> str:
    """target_url_base + name_prefix, with a "/" between them only when the base has none."""
    base = str(reference.target_url_base or "")
    if base and not base.endswith(("/", "\\")):
        base += "/"
    return base + str(reference.name_prefix or "")
