"""JPEG XL: the ISO BMFF-style container's `xml ` (XMP), `Exif` and `jumb` (C2PA) boxes.

Top-level boxes are walked by their headers; the codestream (`jxlc`, `jxlp`) is skipped.
`brob` boxes hold Brotli-compressed metadata, which the standard library cannot open: one
wrapping XMP, EXIF or JUMBF leaves the file uninspected. A bare codestream carries no metadata.
"""

from __future__ import annotations

from genai_hooks.provenance.c2pa import sniff_store
from genai_hooks.provenance.evidence import EvidenceLog
from genai_hooks.provenance.reader import BoundedReader, Corrupt, Window, iso_boxes
from genai_hooks.provenance.tiff import sniff_exif_item
from genai_hooks.provenance.xmp import sniff_xmp

SIGNATURE = bytes.fromhex("0000000c4a584c200d0a870a")  # a 12-byte `JXL ` box
CODESTREAM = b"\xff\x0a"
_METADATA_BOXES = (b"xml ", b"Exif", b"jumb")
MAX_BOXES = 4096


def sniff_jxl(reader: BoundedReader, log: EvidenceLog) -> None:
    head = reader.read(0, min(len(SIGNATURE), reader.size))  # Unreachable when not readable
    if head.startswith(CODESTREAM):
        return  # a bare codestream: no boxes, so no metadata
    if head != SIGNATURE:
        raise Corrupt("not a JPEG XL container")
    start = 0  # boxes follow one another: each starts where the last ended
    for count, (box_type, content, end) in enumerate(iso_boxes(reader, 0, reader.size), 1):
        if count > MAX_BOXES:
            log.not_inspected("JPEG XL file has too many boxes to walk")
            return
        _box(reader, log, box_type, start, content, end)
        start = end


def _box(
    reader: BoundedReader, log: EvidenceLog, box_type: bytes, start: int, content: int, end: int
) -> None:
    if box_type == b"jumb":
        sniff_store(Window(reader, [(start, end - start)]), log)  # the box is the store's superbox
    elif box_type in (b"xml ", b"Exif"):
        if not reader.fits(end - content):
            log.not_inspected(
                f"JPEG XL {box_type.decode('latin-1').strip()} box is larger than the read budget"
            )
            return
        payload = reader.read(content, end - content)
        if box_type == b"xml ":
            sniff_xmp(payload, log)
            return
        sniff_exif_item(payload, log)
    elif box_type == b"brob" and end - content >= 4:
        inner = reader.read(content, 4)
        if inner in _METADATA_BOXES:
            log.not_inspected(
                f"Brotli-compressed JPEG XL {inner.decode('latin-1').strip()} box cannot be read"
            )
