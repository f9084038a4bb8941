"""XMP packets, wherever a container keeps them: digital source type, AI system, tool names,
and `dcterms:provenance`, the URL of a C2PA manifest held remotely (noted, never fetched); and
PLUS `plus:DataMining`, whose prohibitions of AI training are a fact apart from the evidence.

Parsed with defusedxml (no DTD, no entity expansion); a packet that is not well-formed
(truncated, padded oddly) falls back to a bounded regular-expression scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple
from xml.etree.ElementTree import Element, ParseError

from genai_hooks.findings import Strength
from genai_hooks.provenance.evidence import EvidenceLog, decode_text

XMP_KIND = "xmp-digital-source-type"
AI_SYSTEM_KIND = "xmp-ai-system"
DATA_MINING_KIND = "xmp-plus-data-mining"
_RDF_RESOURCE = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource"
# Software-like XMP properties, by local name, as shown in evidence details.
_TOOL_FIELDS = {"CreatorTool": "CreatorTool", "Software": "Software", "softwareAgent": "softwareAgent"}
# IPTC 2025.1 AI properties: a generator record (medium, SPEC §16).
_AI_FIELDS = ("AISystemUsed", "AISystemVersionUsed", "AIPromptInformation", "AIPromptWriterName")
_PROVENANCE = "provenance"  # dcterms:provenance: where a C2PA manifest store lives
_DATA_MINING = "DataMining"  # plus:DataMining (PLUS License Data Format, IPTC 2023.1)
_FIELDS = ("DigitalSourceType", _PROVENANCE, _DATA_MINING) + tuple(_TOOL_FIELDS) + _AI_FIELDS
# PLUS data-mining values that forbid AI training: outright (strong), or unless constraints
# written elsewhere allow it (medium). DMI-ALLOWED and DMI-UNSPECIFIED permit it.
_PROHIBITING = {
    "DMI-PROHIBITED": Strength.STRONG,
    "DMI-PROHIBITED-AIMLTRAINING": Strength.STRONG,
    "DMI-PROHIBITED-GENAIMLTRAINING": Strength.STRONG,
    "DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING": Strength.STRONG,
    "DMI-PROHIBITED-SEECONSTRAINT": Strength.MEDIUM,
    "DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR": Strength.MEDIUM,
    "DMI-PROHIBITED-SEELINKEDRIGHTSEXPR": Strength.MEDIUM,
}
_PLUS_VALUE = re.compile(r"(?:https?://ns\.useplus\.org/ldf/vocab/)?(DMI-[A-Z-]{1,60})", re.IGNORECASE)
_REMOTE = re.compile(r"https?://\S+", re.IGNORECASE)  # "self#jumbf=..." points into the file itself

# Prefixes bounded and every pattern anchored on a fixed character: no quadratic backtracking.
_ROOT_START = re.compile(r"<(?:[\w.-]{1,40}:)?(?:xmpmeta|xapmeta|RDF)[\s>/]")
_ROOT_END = re.compile(r"</(?:[\w.-]{1,40}:)?(?:xmpmeta|xapmeta|RDF)\s*>")
_NAMES = "|".join(_FIELDS)
_ATTR_FORM = re.compile(r"[:\s](" + _NAMES + r")\s*=\s*(?:\"([^\"<]{0,2000})\"|'([^'<]{0,2000})')")
_ELEMENT_FORM = re.compile(r"<(?:[\w.-]{1,40}:)?(" + _NAMES + r")\b([^<>]{0,2000})>([^<]{0,2000})")
_RESOURCE_ATTR = re.compile(r"resource\s*=\s*(?:\"([^\"]{0,2000})\"|'([^']{0,2000})')")


class XmpRoot(NamedTuple):
    """Where `sniff_xmp` found the XMP root in a packet's text, and how it read it."""

    start: int  # of the first root element (`xmpmeta`, `xapmeta` or `RDF`)
    end: int  # of the last root closing tag after it; `start` when none closes
    parsed: bool  # read as XML; else scanned with bounded patterns


def sniff_xmp(packet: bytes, log: EvidenceLog) -> XmpRoot | None:
    """Record the evidence an XMP packet carries; None when it holds no XMP root element."""
    text = packet_text(packet)
    span = root_span(text)
    if span is None:
        return None
    start, end = span
    try:
        root = _safe_fromstring(text[start:end]) if end > start else None
    except (ParseError, ValueError):
        root = None
    properties = _parsed_properties(root) if root is not None else _scanned_properties(text[start:])
    for name, value in properties:
        _record(name, value, log)
    return XmpRoot(start, end, root is not None)


def root_span(text: str, pos: int = 0, endpos: int | None = None) -> tuple[int, int] | None:
    """The XMP fragment `sniff_xmp` reads in `text[pos:endpos]`, as offsets into `text`.

    From the first root element's start to the end of the last root closing tag after it
    (the start again when none closes); None when there is no root element.
    """
    stop = len(text) if endpos is None else endpos
    start = _ROOT_START.search(text, pos, stop)
    if start is None:
        return None
    end = start.start()
    for match in _ROOT_END.finditer(text, start.start(), stop):
        end = match.end()
    return start.start(), end


def packet_text(packet: bytes) -> str:
    """An XMP packet's bytes as text: UTF-16 after a byte-order mark, else UTF-8 or Latin-1."""
    if packet[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return packet.decode("utf-16", errors="replace")
    return decode_text(packet)


def _record(name: str, value: str, log: EvidenceLog) -> None:
    value = value.strip()
    if not value:
        return
    if name == "DigitalSourceType":
        log.source_type(XMP_KIND, value)
    elif name == _PROVENANCE:
        if _REMOTE.fullmatch(value):
            log.remote(value)
    elif name == _DATA_MINING:
        match = _PLUS_VALUE.fullmatch(value)
        strength = _PROHIBITING.get(match.group(1).upper()) if match else None
        if strength is not None:
            log.training_not_permitted(DATA_MINING_KIND, strength, f"plus:DataMining: {value}")
    elif name in _TOOL_FIELDS:
        log.software(_TOOL_FIELDS[name], value)
    elif name == "AIPromptInformation":
        log.add(AI_SYSTEM_KIND, Strength.MEDIUM, "AIPromptInformation present")
    else:
        log.add(AI_SYSTEM_KIND, Strength.MEDIUM, f"{name}: {value}")


def _parsed_properties(root: Element) -> Iterator[tuple[str, str]]:
    for element in root.iter():
        for key, value in element.attrib.items():
            name = _local(key)
            if name in _FIELDS:
                yield name, value
        name = _local(element.tag) if isinstance(element.tag, str) else ""
        text = _element_value(element) if name in _FIELDS else None
        if text:
            yield name, text


def _element_value(element: Element) -> str | None:
    """A property's value in element form: rdf:resource, its text, or its first rdf:li."""
    resource = element.get(_RDF_RESOURCE)
    if resource:
        return resource
    for node in element.iter():
        if node.text and node.text.strip():
            return node.text
    return None


def _scanned_properties(text: str) -> Iterator[tuple[str, str]]:
    for match in _ATTR_FORM.finditer(text):
        yield match.group(1), _unescape(match.group(2) or match.group(3) or "")
    for match in _ELEMENT_FORM.finditer(text):
        resource = _RESOURCE_ATTR.search(match.group(2))
        if resource:
            yield match.group(1), _unescape(resource.group(1) or resource.group(2) or "")
        elif match.group(3).strip():
            yield match.group(1), _unescape(match.group(3))


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _unescape(value: str) -> str:
    # the five XML entities only; xml.sax.saxutils would import urllib (70 ms) for this
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        value = value.replace(entity, char)
    return value


def _safe_fromstring(fragment: str) -> Element:
    """defusedxml, imported on first use: most runs never meet an XMP packet."""
    from defusedxml import DefusedXmlException  # type: ignore[import-untyped,unused-ignore]
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped,unused-ignore]

    try:
        return fromstring(fragment, forbid_dtd=True)  # type: ignore[no-any-return]
    except DefusedXmlException as error:
        raise ValueError(str(error)) from None
