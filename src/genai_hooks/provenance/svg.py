"""SVG and SVGZ: XMP and the C2PA manifest store in the document's metadata.

c2pa-rs writes the store base64-encoded in a `c2pa:manifest` element (namespace
http://c2pa.org/manifest) inside `<metadata>`; XMP sits in `<metadata>` as `x:xmpmeta` or
`rdf:RDF`, or anywhere as an xpacket. The document is scanned, not parsed as a whole (SVGs
carry DTDs and entities that a safe parser refuses): XMP goes through the XMP reader
(defusedxml, no DTD, no entities), the manifest's text through bounded patterns and a
base64 decoder. At most the read budget is read, gzip (SVGZ) output included.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Container
from typing import NamedTuple

from genai_hooks.provenance.c2pa import sniff_store
from genai_hooks.provenance.evidence import EvidenceLog
from genai_hooks.provenance.reader import GZIP_WBITS, BoundedReader, Memory, inflate
from genai_hooks.provenance.xmp import XmpRoot, packet_text, root_span, sniff_xmp

GZIP = b"\x1f\x8b"
MANIFEST_NAMESPACE = "http://c2pa.org/manifest"
MAX_ELEMENTS = 256  # metadata elements, packets and manifests looked at in one document
# Prefixes bounded, every pattern anchored on a fixed character: linear scans only.
_METADATA_START = re.compile(r"<(?:[\w.-]{1,40}:)?metadata(?=[\s>/])[^<>]{0,2000}>")
_METADATA_END = re.compile(r"</(?:[\w.-]{1,40}:)?metadata\s*>")
_PACKET_START = re.compile(r"<\?xpacket\s+begin")
_PACKET_END = re.compile(r"<\?xpacket\s+end[^>]{0,64}>")
_MANIFEST_START = re.compile(r"<([\w.-]{1,40}):manifest(?=[\s>/])[^<>]{0,2000}>")
_C2PA_PREFIX = re.compile(r"xmlns:([\w.-]{1,40})\s*=\s*[\"']" + re.escape(MANIFEST_NAMESPACE) + r"[\"']")


def sniff_svg(reader: BoundedReader, log: EvidenceLog) -> None:
    length = min(reader.size, reader.available, reader.remaining)
    data = reader.read(0, length)
    complete = length == reader.size
    if data[:2] == GZIP:
        data, inflated = inflate(reader, data, reader.remaining, GZIP_WBITS)
        complete = complete and inflated
    text = packet_text(data)  # UTF-16 after a byte-order mark, else UTF-8 or Latin-1
    # XMP in each `<metadata>` element, then XMP packets (`<?xpacket begin ... end?>`) wherever
    # they are: a packet whose XMP was parsed already, as a metadata element's, is not again.
    metadata = _xmp_elements(text, complete, log, _METADATA, ())
    read = {(root.start, root.end) for root in metadata if root is not None and root.parsed}
    packets = _xmp_elements(text, complete, log, _PACKET, read)
    found = len(metadata) + len(packets) + _manifests(text, complete, log)
    if not complete and not found:
        log.not_inspected("SVG is larger than what was read, and no metadata was found in it")


class _Element(NamedTuple):
    """An element that holds XMP: where it starts and ends, and what is read of it."""

    start: re.Pattern[str]
    end: re.Pattern[str]
    name: str  # in the message when the element continues past what was read
    tags: bool  # whether the start and end tags are read with the content (a packet's are)


_METADATA = _Element(_METADATA_START, _METADATA_END, "SVG metadata", tags=False)
_PACKET = _Element(_PACKET_START, _PACKET_END, "SVG XMP packet", tags=True)


def _xmp_elements(
    text: str, complete: bool, log: EvidenceLog, element: _Element, read: Container[tuple[int, int]]
) -> list[XmpRoot | None]:
    """Read the XMP of each element found; returns where each one's XMP root lay in `text`.

    An element whose XMP fragment (offsets in `text`) is one in `read`, parsed as XML already,
    is counted but not read again: the same fragment would record the same evidence.
    """
    found: list[XmpRoot | None] = []
    pos = 0
    while len(found) < MAX_ELEMENTS:
        start = element.start.search(text, pos)
        if start is None:
            break
        if start.group(0).endswith("/>"):  # <metadata/>: empty
            pos = start.end()
            continue
        end = element.end.search(text, start.end())
        if end is None and not complete:
            log.not_inspected(f"{element.name} continues past what was read")
        first = start.start() if element.tags else start.end()
        stop = (end.end() if element.tags else end.start()) if end else len(text)
        if read and root_span(text, first, stop) in read:
            found.append(None)
        else:
            root = sniff_xmp(text[first:stop].encode("utf-8"), log)
            if root is not None:  # offsets into `text`
                root = root._replace(start=first + root.start, end=first + root.end)
            found.append(root)
        pos = end.end() if end else len(text)
    return found


def _manifests(text: str, complete: bool, log: EvidenceLog) -> int:
    """C2PA manifest stores in `manifest` elements of the C2PA namespace."""
    prefixes = {"c2pa"} | {match.group(1) for match in _C2PA_PREFIX.finditer(text)}
    found, pos = 0, 0
    while found < MAX_ELEMENTS:
        start = _MANIFEST_START.search(text, pos)
        if start is None:
            break
        prefix = start.group(1)
        pos = start.end()
        if prefix not in prefixes and not _C2PA_PREFIX.search(start.group(0)):
            continue
        found += 1
        end = text.find(f"</{prefix}:manifest", pos)
        if end < 0:
            if not complete:
                log.not_inspected("SVG C2PA manifest continues past what was read")
            break
        try:
            store = binascii.a2b_base64(text[pos:end])  # whitespace and line breaks are skipped
        except (binascii.Error, ValueError):
            continue
        sniff_store(Memory(store), log)
        pos = end
    return found
