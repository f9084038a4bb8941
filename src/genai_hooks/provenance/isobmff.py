"""ISO base media files: MP4, MOV, M4A, and HEIF/HEIC/AVIF images.

Top-level boxes are walked by their headers only (media data is skipped however large):
`uuid` boxes carry the C2PA manifest store and XMP; `moov/udta` carries XMP (`XMP_`) and
the encoding software (QuickTime `©swr`/`©too`, iTunes-style `meta/ilst`, `mdta` keys); a
top-level `meta` (HEIF) lists XMP and EXIF items.
"""

from __future__ import annotations

from genai_hooks.provenance.c2pa import sniff_store
from genai_hooks.provenance.evidence import EvidenceLog, decode_text
from genai_hooks.provenance.heif import sniff_meta
from genai_hooks.provenance.reader import BoundedReader, Window, iso_boxes
from genai_hooks.provenance.xmp import sniff_xmp

TOP_LEVEL_TYPES = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"pnot", b"styp"}
C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
_SOFTWARE_ATOMS = {b"\xa9swr": "\u00a9swr", b"\xa9too": "\u00a9too", b"\xa9enc": "\u00a9enc"}
_TEXT_LIMIT = 4096
MAX_DEPTH = 6


def sniff_isobmff(reader: BoundedReader, log: EvidenceLog) -> None:
    for box_type, content, end in iso_boxes(reader, 0, reader.size):
        if box_type == b"uuid" and end - content >= 16:
            _uuid_box(reader, log, content, end)
        elif box_type == b"moov":
            _container(reader, log, content, end, 1)
        elif box_type == b"meta":
            sniff_meta(reader, log, content, end)


def _uuid_box(reader: BoundedReader, log: EvidenceLog, content: int, end: int) -> None:
    kind = reader.read(content, 16)
    body = content + 16
    if kind == C2PA_UUID:
        # A full box (version, flags), a NUL-terminated purpose, then for "manifest" an
        # 8-byte offset to the Merkle data before the store itself.
        head = reader.read(body, min(end - body, 64))
        purpose = head[4:].split(b"\x00", 1)[0]
        if purpose == b"manifest":
            store = body + 4 + len(purpose) + 1 + 8
            if store < end:
                sniff_store(Window(reader, [(store, end - store)]), log)
    elif kind == XMP_UUID:
        _xmp(reader, log, body, end)


def _xmp(reader: BoundedReader, log: EvidenceLog, start: int, end: int) -> None:
    if not reader.fits(end - start):
        log.not_inspected("XMP box is larger than the read budget")
        return
    sniff_xmp(reader.read(start, end - start), log)


def _container(reader: BoundedReader, log: EvidenceLog, start: int, end: int, depth: int) -> None:
    """moov, udta, meta: descend to the boxes that hold XMP and software names."""
    if depth > MAX_DEPTH:
        return
    keys: dict[int, str] = {}
    for box_type, content, box_end in iso_boxes(reader, start, end):
        if box_type == b"udta":
            _container(reader, log, content, box_end, depth + 1)
        elif box_type == b"meta":
            _meta(reader, log, content, box_end, depth + 1)
        elif box_type == b"XMP_":
            _xmp(reader, log, content, box_end)
        elif box_type in _SOFTWARE_ATOMS:
            _software_atom(reader, log, _SOFTWARE_ATOMS[box_type], content, box_end)
        elif box_type == b"keys":
            keys = _keys(reader, content, box_end)
        elif box_type == b"ilst":
            _item_list(reader, log, content, box_end, keys)


def _meta(reader: BoundedReader, log: EvidenceLog, start: int, end: int, depth: int) -> None:
    # ISO meta is a full box (4 bytes of version and flags); QuickTime's is not.
    if end - start >= 8 and reader.read(start + 4, 4) != b"hdlr":
        start += 4
    _container(reader, log, start, end, depth)


def _keys(reader: BoundedReader, start: int, end: int) -> dict[int, str]:
    """mdta keys: index (1-based) to key name, e.g. com.apple.quicktime.software."""
    names: dict[int, str] = {}
    for index, (_, content, box_end) in enumerate(iso_boxes(reader, start + 8, end), 1):
        names[index] = decode_text(reader.read(content, min(box_end - content, 256)))
    return names


def _item_list(reader: BoundedReader, log: EvidenceLog, start: int, end: int, keys: dict[int, str]) -> None:
    for item_type, content, item_end in iso_boxes(reader, start, end):
        name = _SOFTWARE_ATOMS.get(item_type) or keys.get(int.from_bytes(item_type, "big"), "")
        if item_type in _SOFTWARE_ATOMS or "software" in name.lower() or "encoder" in name.lower():
            _software_atom(reader, log, name, content, item_end)


def _software_atom(reader: BoundedReader, log: EvidenceLog, name: str, start: int, end: int) -> None:
    """A text atom: an iTunes-style `data` box, or QuickTime international text."""
    head = reader.read(start, min(end - start, 16))
    if len(head) >= 16 and head[4:8] == b"data":
        length = min(int.from_bytes(head[:4], "big"), end - start) - 16
        text = reader.read(start + 16, max(0, min(length, _TEXT_LIMIT)))
    elif len(head) >= 4:
        length = min(int.from_bytes(head[:2], "big"), end - start - 4)
        text = reader.read(start + 4, max(0, min(length, _TEXT_LIMIT)))
    else:
        return
    log.software(name, decode_text(text))
