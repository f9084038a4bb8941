"""Final Cut Pro 7 XML (`xmeml`), parsed safely before the OpenTimelineIO adapter sees it.

defusedxml parses the bytes first: a DOCTYPE alone is allowed (Premiere and Resolve write
`<!DOCTYPE xmeml>`), entity declarations and external references are refused before anything
expands. The adapter then gets the re-serialised tree, which has no DTD left to act on.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import defusedxml  # type: ignore[import-untyped]
import defusedxml.ElementTree as SafeElementTree  # type: ignore[import-untyped]

from genai_hooks.editorial.model import TimelineUnreadable, short_reason

MAX_EXPANDED_ELEMENTS = 2_000_000  # elements the adapter would visit, id references followed (~50k clips)


def entity_free_xmeml(data: bytes) -> str | None:
    """The `xmeml` document in `data`, re-serialised for the adapter; None when it is no `xmeml` at all.

    "" when it holds no sequence, so no timeline to read.
    """
    if data.count(b"<") > MAX_EXPANDED_ELEMENTS:  # ElementTree holds ~100 bytes per element
        if b"<xmeml" in data:
            raise TimelineUnreadable(
                f"Final Cut Pro XML with more than {MAX_EXPANDED_ELEMENTS:,} elements; not read")
        return None
    try:
        tree = SafeElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise TimelineUnreadable("XML with an entity declaration or external reference is not read") from None
    except Exception as error:  # noqa: BLE001 — ParseError, or an encoding expat does not know
        if b"<xmeml" in data:
            raise TimelineUnreadable("not well-formed XML: " + short_reason(error)) from None
        return None  # malformed XML that does not claim to be a timeline
    if tree.tag != "xmeml":
        return None
    if not _has_sequence(tree):
        return ""
    definitions = _definitions_by_id(tree)
    if _expanded_element_count(tree, definitions, MAX_EXPANDED_ELEMENTS) is None:
        raise TimelineUnreadable(
            f"Final Cut Pro XML whose id references expand beyond {MAX_EXPANDED_ELEMENTS:,} elements or loop"
        )
    _inline_nested_sequences(tree, definitions)
    return str(ElementTree.tostring(tree, encoding="unicode"))


def _has_sequence(tree: Any) -> bool:
    """The adapter reads sequences at the top or in a project or bin's `children`."""
    return tree.find("./sequence") is not None or tree.find(".//children/sequence") is not None


def _definitions_by_id(tree: Any) -> dict[str, Any]:
    """The first element with children for each `id`; a childless element with an `id` refers to it."""
    definitions: dict[str, Any] = {}
    for element in tree.iter():
        element_id = element.get("id")
        if element_id is not None and len(element) and element_id not in definitions:
            definitions[element_id] = element
    return definitions


def _resolved(element: Any, definitions: dict[str, Any]) -> Any:
    element_id = element.get("id")
    if element_id is not None and not len(element):
        return definitions.get(element_id, element)
    return element


def _expanded_element_count(tree: Any, definitions: dict[str, Any], limit: int) -> int | None:
    """Elements visited when every id reference is replaced by its definition.

    None when that exceeds `limit` or a definition contains itself: references to tracks that
    reference clips, or to sequences that reference sequences, are the FCP XML way to a billion
    laughs without entities.
    """
    sizes: dict[Any, int] = {}
    on_path: set[Any] = set()
    pending: list[tuple[Any, bool]] = [(tree, False)]
    while pending:
        element, children_done = pending.pop()
        if children_done:
            on_path.discard(element)
            size = 1 + sum(sizes[_resolved(child, definitions)] for child in element)
            if size > limit:
                return None
            sizes[element] = size
            continue
        if element in sizes:
            continue
        on_path.add(element)
        pending.append((element, True))
        for child in element:
            target = _resolved(child, definitions)
            if target in on_path:
                return None
            if target not in sizes:
                pending.append((target, False))
    return sizes[tree]


def _inline_nested_sequences(tree: Any, definitions: dict[str, Any]) -> None:
    """Give each clip's nested sequence its tracks where the adapter looks for them.

    The adapter reads a clipitem's `<sequence>` as a stack of the sequence's own children, but
    FCP keeps the tracks one level down in `<media>`: unrepaired, clips inside nested sequences
    vanish. Each nested sequence is replaced by one whose children are the definition's, with
    `<media>` unwrapped.
    """
    for clip_item in list(tree.iter("clipitem")):
        for index, nested in enumerate(list(clip_item)):
            if nested.tag != "sequence":
                continue
            definition = _resolved(nested, definitions)
            inline = ElementTree.Element("sequence")
            for child in definition:
                if child.tag == "media":
                    inline.extend(list(child))
                else:
                    inline.append(child)
            clip_item[index] = inline
