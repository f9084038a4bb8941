"""Timeline bytes → clip references, one reader per format, each guarded against hostile input.

Everything is read from the bytes given: never from a path on disk, never over the network, and
no media linker runs. CMX 3600 and Final Cut Pro 7 XML (after fcp_xml.py's safe parse) are read
here; OpenTimelineIO JSON and its bundles, AAF and FCPXML have modules of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import opentimelineio as otio  # type: ignore[import-untyped]

from genai_hooks.editorial.clips import TimecodeStyle, clip_references, timecode_rate_near
from genai_hooks.editorial.fcp_xml import entity_free_xmeml
from genai_hooks.editorial.model import MAX_TIMELINE_BYTES, ClipReference, TimelineUnreadable, short_reason
from genai_hooks.editorial.otio_bundle import otioz_content
from genai_hooks.editorial.otio_json import read_otio_json

MAX_EDL_LINES = 50_000  # the CMX 3600 adapter's parse is quadratic in lines
MAX_EDL_LINE_CHARACTERS = 4_096
_EDL_EVENT = re.compile(r"^\d")
_EDL_DROP_FRAME_TIMECODE = re.compile(r"\d;\d")


@dataclass(frozen=True)
class TimelineDocument:
    """What an adapter read, and how its record times become timecode."""

    root: Any  # an OTIO Timeline, SerializableCollection, composition or clip
    style: TimecodeStyle
    source_file_comments: bool  # EDL: `* SOURCE FILE:` comments name media too


def read_clips(suffix: str, data: bytes, rate: float) -> tuple[ClipReference, ...] | None:
    """The clips of `data`, read as the format its suffix names; None when it is no timeline at all."""
    if suffix == ".otioz":
        return read_otio_json(otioz_content(data), rate)  # the zip holds media too: its content is capped
    if len(data) > MAX_TIMELINE_BYTES:
        raise TimelineUnreadable(f"larger than {MAX_TIMELINE_BYTES // (1024 * 1024)} MiB; not read")
    if suffix == ".otio":
        return read_otio_json(data, rate)
    if suffix == ".aaf":
        from genai_hooks.editorial.aaf import read_aaf  # pyaaf2 loads only for AAF

        return read_aaf(data, rate)
    if suffix == ".fcpxml":
        from genai_hooks.editorial.fcpxml import read_fcpxml

        return read_fcpxml(data, rate)
    document = _read_cmx_3600(data, rate) if suffix == ".edl" else _read_fcp_xml(data, rate)
    if document is None:
        return None
    return clip_references(document.root, style=document.style,
                           source_file_comments=document.source_file_comments)


def _read(text: str, adapter_name: str, **adapter_arguments: Any) -> Any:
    return otio.adapters.read_from_string(
        text,
        adapter_name=adapter_name,
        media_linker_name=otio.media_linker.MediaLinkingPolicy.DoNotLinkMedia,
        **adapter_arguments,
    )


# -- CMX 3600 EDL ----------------------------------------------------------------------------------


def _read_cmx_3600(data: bytes, rate: float) -> TimelineDocument:
    edl_rate = timecode_rate_near(rate)
    if edl_rate is None:
        raise TimelineUnreadable(f"EDL rate {rate:g} is not a timecode rate")
    if b"\x00" in data:
        raise TimelineUnreadable("not valid CMX 3600: binary content")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # Avid and older tools write Latin-1
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise TimelineUnreadable("not valid CMX 3600: empty file")
    if len(lines) > MAX_EDL_LINES:
        raise TimelineUnreadable(f"not valid CMX 3600: more than {MAX_EDL_LINES:,} lines")
    if any(len(line) > MAX_EDL_LINE_CHARACTERS for line in lines):
        raise TimelineUnreadable(
            f"not valid CMX 3600: a line longer than {MAX_EDL_LINE_CHARACTERS:,} characters")
    lines = _without_header_comments(lines)
    try:
        root = _read("\n".join(lines), "cmx_3600", rate=edl_rate)
    except Exception as error:  # noqa: BLE001 — the adapter raises EDLParseError, IndexError, ...
        raise TimelineUnreadable("not valid CMX 3600: " + short_reason(error)) from None
    events = [line for line in lines if _EDL_EVENT.match(line)]
    drop_frame = any(_EDL_DROP_FRAME_TIMECODE.search(line) for line in events)
    style = TimecodeStyle(rate=edl_rate, drop_frame=drop_frame)
    return TimelineDocument(root, style, source_file_comments=True)


def _without_header_comments(lines: list[str]) -> list[str]:
    """Drop `*` comment lines before the first event, which the adapter takes for an unknown event."""
    for index, line in enumerate(lines):
        if _EDL_EVENT.match(line):
            return [kept for kept in lines[:index] if not kept.startswith("*")] + lines[index:]
    return [kept for kept in lines if not kept.startswith("*")]


def _read_fcp_xml(data: bytes, rate: float) -> TimelineDocument | None:
    text = entity_free_xmeml(data)
    if text is None:
        return None
    style = TimecodeStyle(rate=rate, drop_frame=False)  # a sequence's displayformat overrides this
    if not text:
        return TimelineDocument(otio.schema.SerializableCollection(), style, source_file_comments=False)
    try:
        root = _read(text, "fcp_xml")
    except Exception as error:  # noqa: BLE001
        reason = short_reason(error)
        raise TimelineUnreadable("not a readable Final Cut Pro 7 XML timeline: " + reason) from None
    return TimelineDocument(root, style, source_file_comments=False)
