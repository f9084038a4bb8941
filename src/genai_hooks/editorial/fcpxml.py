"""FCPXML (Final Cut Pro 10, DaVinci Resolve; `.fcpxml` and an `.fcpxmld` bundle's `Info.fcpxml`).

defusedxml parses the bytes as fcp_xml.py does for FCP7: a DOCTYPE alone is fine, entity
declarations and external references are refused before anything expands, and the expansion of
compound and multicam clips (`ref-clip`, `mc-clip` → `media`) is bounded and must not loop. The
`fcpx_xml` adapter then reads the parsed tree through a subclass that fixes what would lose clips
or time: every project of every event is read (the adapter reads the first event only), an asset's
media may be in a `media-rep` (FCPXML 1.9 and later), times are exact at NTSC rates (the adapter
truncates 23.976 to 23), and resources are looked up by id instead of searched. Media the adapter
does not place on the timeline (multicam angles, for one) are still listed, at the record time of
the clip on the timeline that uses them: a cut is never cleared by what the adapter skips.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import defusedxml  # type: ignore[import-untyped]
import defusedxml.ElementTree as SafeElementTree  # type: ignore[import-untyped]
import opentimelineio as otio  # type: ignore[import-untyped]
from otio_fcpx_xml_adapter.fcpx_xml import FcpxXml  # type: ignore[import-untyped]

from genai_hooks.editorial.clips import TimecodeStyle, clip_references, record_timecode, timecode_rate_near
from genai_hooks.editorial.model import ClipReference, TimelineUnreadable, short_reason

MAX_EXPANDED_ELEMENTS = 1_000_000  # elements visited, compound and multicam clips expanded
MAX_FCPXML_CLIPS = 20_000  # the adapter's layout is quadratic in the clips of a lane: 20,000 take ~10 s

_TIME = re.compile(r"^(-?\d{1,18})(?:/(\d{1,18}))?s$")
_MEDIA_REFERENCES = ("ref-clip", "mc-clip")  # elements whose `ref` names a `media`: compound, multicam
_CLIP_ELEMENTS = ("asset-clip", "clip", "video", "audio", "ref-clip", "mc-clip", "sync-clip")


def read_fcpxml(data: bytes, rate: float) -> tuple[ClipReference, ...]:
    tree = _parse(data)
    reader = _Reader(tree)
    _check_expansion(tree, reader.resources)
    try:
        document = reader.to_otio()
        references = clip_references(document, style=TimecodeStyle(rate=rate, drop_frame=None),
                                     source_file_comments=False)
        return references + reader.unplaced(document)
    except TimelineUnreadable:
        raise
    except Exception as error:  # noqa: BLE001 — the adapter raises AttributeError, KeyError... on odd files
        raise TimelineUnreadable("not a readable FCPXML timeline: " + short_reason(error)) from None


def _parse(data: bytes) -> Any:
    if data.count(b"<") > MAX_EXPANDED_ELEMENTS:  # ElementTree holds ~100 bytes per element
        raise TimelineUnreadable(f"FCPXML with more than {MAX_EXPANDED_ELEMENTS:,} elements; not read")
    try:
        tree = SafeElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise TimelineUnreadable("XML with an entity declaration or external reference is not read") from None
    except Exception as error:  # noqa: BLE001 — ParseError, or an encoding expat does not know
        raise TimelineUnreadable("not well-formed XML: " + short_reason(error)) from None
    if tree.tag != "fcpxml":
        raise TimelineUnreadable(f"not FCPXML: the root element is <{tree.tag}>, not <fcpxml>")
    return tree


def _check_expansion(tree: Any, resources: dict[str, Any]) -> None:
    """Elements and clips visited, each compound or multicam clip replaced by its media: bounded, no loops."""
    def inside(element: Any) -> list[Any]:
        children = list(element)
        media = resources.get(element.get("ref", "")) if element.tag in _MEDIA_REFERENCES else None
        return children + [media] if media is not None and media.tag == "media" else children

    sizes: dict[Any, tuple[int, int]] = {}  # element → (elements, clips) below it, itself included
    on_path: set[Any] = set()
    pending: list[tuple[Any, bool]] = [(tree, False)]
    while pending:
        element, children_done = pending.pop()
        if children_done:
            on_path.discard(element)
            below = [sizes[child] for child in inside(element)]
            size = (1 + sum(count for count, _ in below),
                    int(element.tag in _CLIP_ELEMENTS) + sum(clips for _, clips in below))
            if size[0] > MAX_EXPANDED_ELEMENTS or size[1] > MAX_FCPXML_CLIPS:
                raise TimelineUnreadable(
                    f"FCPXML whose compound and multicam clips expand beyond {MAX_EXPANDED_ELEMENTS:,} "
                    f"elements or {MAX_FCPXML_CLIPS:,} clips; not read")
            sizes[element] = size
            continue
        if element in sizes:
            continue
        on_path.add(element)
        pending.append((element, True))
        for child in inside(element):
            if child in on_path:
                raise TimelineUnreadable("FCPXML compound or multicam clip that contains itself; not read")
            if child not in sizes:
                pending.append((child, False))


def _seconds(value: str | None) -> Fraction:
    """An FCPXML time ("3600s", "1001/24000s", "0s") in seconds."""
    if value is None:
        return Fraction(0)
    match = _TIME.match(value.strip())
    if match is None or int(match.group(2) or 1) == 0:
        raise TimelineUnreadable(f"FCPXML time {value[:40]!r} is not a rational number of seconds")
    return Fraction(int(match.group(1)), int(match.group(2) or 1))


class _Reader(FcpxXml):  # type: ignore[misc]
    """The adapter's reader, given the safely parsed tree, with its lookups and time arithmetic made exact."""

    def __init__(self, tree: Any) -> None:
        self.fcpx_xml = tree
        self.child_parent_map = {child: parent for parent in tree.iter() for child in parent}
        for element in tree.iter():
            if element.tag in _CLIP_ELEMENTS or element.tag == "media":
                element.attrib.setdefault("name", "")  # else the adapter passes None, which OTIO refuses
        self.resources: dict[str, Any] = {}
        for element in tree.findall("./resources/*"):
            self.resources.setdefault(element.get("id", ""), element)
        event = tree.find("./event")
        self._browser_clips: dict[str, Any] = {}
        for element in (event if event is not None else tree).findall("./asset-clip"):
            self._browser_clips.setdefault(element.get("ref", ""), element)
        self._rates: dict[str, Fraction] = {}
        self._grouped: tuple[Any, dict[str, list[Any]]] | None = None

    # -- what is read -----------------------------------------------------------------------------

    def projects(self) -> list[Any]:
        """Every project, whether directly in the document, in an event, or in a library's events."""
        return [element for element in self.fcpx_xml.iter("project")
                if self.child_parent_map.get(element) is not None
                and self.child_parent_map[element].tag in ("fcpxml", "event")]

    def to_otio(self) -> Any:
        projects = self.projects()
        if projects:
            return otio.schema.SerializableCollection(children=[self._from_project(p) for p in projects])
        if self.fcpx_xml.find("./asset-clip") is not None or self.fcpx_xml.find("./ref-clip") is not None:
            return self._from_clips()
        return otio.schema.SerializableCollection()

    def _from_project(self, project_element: Any) -> Any:
        timeline = super()._from_project(project_element)
        sequence = project_element.find("./sequence")
        rate = float(self._rate(sequence.get("format")))
        timeline.global_start_time = otio.opentime.RationalTime(0, rate)  # clip offsets already count tcStart
        timeline.metadata["fcpx_xml"] = {"tcFormat": sequence.get("tcFormat", "NDF")}
        return timeline

    def unplaced(self, document: Any) -> tuple[ClipReference, ...]:
        """Clips on a project's timeline whose media the adapter did not place, at their record time."""
        placed = {str(reference.target_url) for clip in document.find_clips()
                  for reference in clip.media_references().values()
                  if isinstance(reference, otio.schema.ExternalReference)}
        references: list[ClipReference] = []
        for project in self.projects():
            sequence = project.find("./sequence")
            rate = timecode_rate_near(float(self._rate(sequence.get("format")))) or 24.0
            drop_frame = sequence.get("tcFormat") == "DF"
            for element in sequence.iter():
                if not element.get("ref") or element.tag == "gap":
                    continue
                missing = [source for source in self._sources(element) if source not in placed]
                if missing:
                    placed.update(missing)
                    record = otio.opentime.RationalTime(round(self._position(element) * rate), rate)
                    record_in = record_timecode(record, None, rate, drop_frame)
                    end = self._position(element) + _seconds(element.get("duration"))
                    record_out = record_timecode(otio.opentime.RationalTime(round(end * rate), rate), None, rate,
                                                 drop_frame)
                    references.append(ClipReference(str(element.get("name", "")), record_in, tuple(missing),
                                                    record_out))
        return tuple(references)

    def _sources(self, element: Any) -> list[str]:
        """The media files `element` names, through compound and multicam clips (acyclic: checked before)."""
        sources = []
        pending = [element]
        while pending:
            item = pending.pop()
            resource = self.resources.get(item.get("ref", ""))
            if resource is not None and resource.tag == "asset" and _asset_source(resource):
                sources.append(_asset_source(resource))
            elif resource is not None and resource.tag == "media" and item.tag in _MEDIA_REFERENCES:
                pending.extend(inner for inner in resource.iter() if inner.get("ref"))
        return list(dict.fromkeys(sources))

    def _position(self, element: Any) -> Fraction:
        """Where `element` starts in its sequence, in seconds: an offset counts from its parent's start."""
        position = Fraction(0)
        parent = self.child_parent_map.get(element)
        while parent is not None and parent.tag != "sequence":
            position += _seconds(element.get("offset")) - _seconds(parent.get("start"))
            element, parent = parent, self.child_parent_map.get(parent)
        return position

    # -- the adapter's lookups, by id -------------------------------------------------------------

    def _resource(self, resource_id: Any, tag: str) -> Any:
        element = self.resources.get(str(resource_id))
        return element if element is not None and element.tag == tag else None

    def _asset_by_id(self, asset_id: Any) -> Any:
        return self._resource(asset_id, "asset")

    def _format_by_id(self, format_id: Any) -> Any:
        return self._resource(format_id, "format")

    def _compound_clip_by_id(self, compound_id: Any) -> Any:
        return self._resource(compound_id, "media")

    def _assetclip_by_ref(self, asset_id: Any) -> Any:
        return self._browser_clips.get(str(asset_id))

    def _sorted_items(self, lane: Any, otio_objects: list[Any]) -> list[Any]:
        """The adapter filters all items once per lane; grouping once keeps many lanes linear."""
        if self._grouped is None or self._grouped[0] is not otio_objects:
            groups: dict[str, list[Any]] = {}
            for item in otio_objects:
                groups.setdefault(item["track"], []).append(item)
            self._grouped = (otio_objects, {key: sorted(items, key=lambda item: item["offset"])
                                            for key, items in groups.items()})
        return self._grouped[1].get(lane, [])

    # -- the adapter's time arithmetic, exact -----------------------------------------------------

    def _rate(self, format_id: Any) -> Fraction:
        key = str(format_id)
        if key not in self._rates:
            media_format = self._format_by_id(format_id)
            if media_format is None:
                raise TimelineUnreadable(f"FCPXML format {key[:40]!r} is not among the resources")
            frame_duration = _seconds(media_format.get("frameDuration"))
            if frame_duration <= 0:
                raise TimelineUnreadable(f"FCPXML format {key[:40]!r} has no frame duration")
            self._rates[key] = 1 / frame_duration
        return self._rates[key]

    def _format_frame_rate(self, format_id: Any) -> float:
        return float(self._rate(format_id))

    def _number_of_frames(self, time_value: Any, format_id: Any) -> int:
        return round(_seconds(time_value) * self._rate(format_id))

    def _time(self, value: Any, format_id: Any) -> Any:
        frames = self._number_of_frames(value, format_id)
        return otio.opentime.RationalTime(frames, self._format_frame_rate(format_id))

    def _time_range(self, element: Any, format_id: Any) -> Any:
        return otio.opentime.TimeRange(self._time(element.get("start", "0s"), format_id),
                                       self._time(element.get("duration"), format_id))

    def _reference_from_id(self, asset_id: Any, default_format: Any) -> Any:
        asset = self._asset_by_id(asset_id)
        source = _asset_source(asset) if asset is not None else ""
        if not source:
            return otio.schema.MissingReference()
        asset_format = asset.get("format", default_format)
        available = otio.opentime.TimeRange(self._time(asset.get("start"), asset_format),
                                            self._time(asset.get("duration"), asset_format))
        browser_clip = self._assetclip_by_ref(asset_id)
        metadata = self._create_metadta(browser_clip) if browser_clip is not None else {}
        return otio.schema.ExternalReference(target_url=source, available_range=available,
                                             metadata={"fcpx": metadata})


def _asset_source(asset: Any) -> str:
    """An asset's media: its `src` (FCPXML 1.8 and before), else its original `media-rep` (1.9 and later)."""
    source = asset.get("src")
    if source:
        return str(source)
    representations = asset.findall("./media-rep")
    for representation in sorted(representations, key=lambda rep: rep.get("kind") != "original-media"):
        if representation.get("src"):
            return str(representation.get("src"))
    return ""
