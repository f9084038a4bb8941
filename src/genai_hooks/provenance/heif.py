"""HEIF, HEIC and AVIF items: XMP (`mime` items of type application/rdf+xml) and EXIF items.

A top-level `meta` box lists items in `iinf` and says where their bytes lie in `iloc`: in the
file (usually inside `mdat`) or in the `meta` box's own `idat`. Only the XMP and EXIF items
are read; image items and tiles cost nothing. C2PA sits in a top-level `uuid` box, read by
the ISO BMFF walker like an MP4's.
"""

from __future__ import annotations

from typing import NamedTuple

from genai_hooks.provenance.evidence import EvidenceLog, decode_text
from genai_hooks.provenance.reader import BoundedReader, Corrupt, Memory, inflate, iso_boxes
from genai_hooks.provenance.tiff import sniff_exif_item
from genai_hooks.provenance.xmp import sniff_xmp

XMP_CONTENT_TYPES = ("application/rdf+xml", "application/xmp+xml", "text/xml", "application/xml")
MAX_ITEMS = 4096  # grid images list hundreds of tiles; more than this is hostile
_MAX_TABLE = 256 * 1024  # iinf and iloc are a few kilobytes; bigger is not worth the budget
_FIELD_SIZES = (0, 4, 8)


class _Item(NamedTuple):
    item_type: bytes  # b"mime", b"Exif", b"hvc1"... (b"" for infe versions 0 and 1)
    content_type: str
    encoding: str


class _Location(NamedTuple):
    method: int  # 0: file offsets, 1: offsets in idat
    extents: tuple[tuple[int, int], ...]  # (offset, length); a length of 0 runs to the end


def sniff_meta(reader: BoundedReader, log: EvidenceLog, start: int, end: int) -> None:
    """The content of a top-level `meta` full box (version and flags at `start`)."""
    items: dict[int, _Item] = {}
    locations: dict[int, _Location] = {}
    idat: tuple[int, int] | None = None
    for box_type, content, box_end in iso_boxes(reader, start + 4, end):
        if box_type == b"iinf":
            items = _item_infos(_table(reader, log, content, box_end))
        elif box_type == b"iloc":
            locations = _locations(_table(reader, log, content, box_end))
        elif box_type == b"idat":
            idat = (content, box_end)
    for item_id, item in items.items():
        kind = _metadata_kind(item)
        location = locations.get(item_id)
        if kind and location is not None:
            payload = _item_bytes(reader, log, location, idat)
            if payload is not None:
                _sniff_item(reader, log, kind, item, payload)


def _table(reader: BoundedReader, log: EvidenceLog, start: int, end: int) -> bytes:
    if end - start > _MAX_TABLE or not reader.fits(end - start):
        log.not_inspected("HEIF item table is larger than the read budget")
        return b""
    return reader.read(start, end - start)


def _metadata_kind(item: _Item) -> str:
    if item.item_type == b"Exif":
        return "exif"
    if item.item_type in (b"mime", b"") and item.content_type.lower() in XMP_CONTENT_TYPES:
        return "xmp"
    return ""


def _item_infos(table: bytes) -> dict[int, _Item]:
    """Item id to type, from the `infe` boxes of an `iinf` full box."""
    if len(table) < 6:
        return {}
    count_size = 2 if table[0] == 0 else 4
    count = int.from_bytes(table[4 : 4 + count_size], "big")
    if count > MAX_ITEMS:
        raise Corrupt(f"HEIF iinf of {count} items")
    items: dict[int, _Item] = {}
    for box_type, content, end in iso_boxes(Memory(table), 4 + count_size, len(table)):
        if box_type == b"infe" and end - content >= 8 and len(items) < MAX_ITEMS:
            item_id, item = _item_info(table[content:end])
            items[item_id] = item
    return items


def _item_info(entry: bytes) -> tuple[int, _Item]:
    version = entry[0]
    if version >= 2:
        id_size = 4 if version >= 3 else 2
        item_id = int.from_bytes(entry[4 : 4 + id_size], "big")
        item_type = entry[6 + id_size : 10 + id_size]
        strings = entry[10 + id_size :].split(b"\x00")
        # item_name, then for mime items content_type and an optional content_encoding
        if item_type != b"mime":
            return item_id, _Item(item_type, "", "")
        fields = strings[1:3] + [b"", b""]
    else:
        item_id = int.from_bytes(entry[4:6], "big")
        item_type = b""
        fields = entry[8:].split(b"\x00")[1:3] + [b"", b""]
    return item_id, _Item(item_type, decode_text(fields[0]), decode_text(fields[1]))


def _locations(table: bytes) -> dict[int, _Location]:
    """Item id to where its bytes lie, from an `iloc` full box (versions 0 to 2)."""
    if len(table) < 8:
        return {}
    version = table[0]
    offset_size, length_size = table[4] >> 4, table[4] & 0x0F
    base_size, index_size = table[5] >> 4, (table[5] & 0x0F if version in (1, 2) else 0)
    if any(size not in _FIELD_SIZES for size in (offset_size, length_size, base_size, index_size)):
        raise Corrupt("HEIF iloc field sizes")
    cursor = _Cursor(table, 6)
    wide = 4 if version >= 2 else 2
    count = cursor.int(wide)
    if count > MAX_ITEMS:
        raise Corrupt(f"HEIF iloc of {count} items")
    found: dict[int, _Location] = {}
    for _ in range(count):
        item_id = cursor.int(wide)
        method = cursor.int(2) & 0x0F if version in (1, 2) else 0
        cursor.int(2)  # data_reference_index: 0 is this file
        base = cursor.int(base_size)
        extents = []
        for _ in range(cursor.int(2)):
            cursor.int(index_size)
            extents.append((base + cursor.int(offset_size), cursor.int(length_size)))
        found[item_id] = _Location(method, tuple(extents))
    return found


def _item_bytes(
    reader: BoundedReader, log: EvidenceLog, location: _Location, idat: tuple[int, int] | None
) -> bytes | None:
    if location.method == 1:
        if idat is None:
            raise Corrupt("HEIF item in an absent idat")
        origin, limit = idat
    elif location.method == 0:
        origin, limit = 0, reader.size
    else:
        return None  # constructed from another item: never metadata in practice
    extents = []
    for offset, length in location.extents:
        start = origin + offset
        length = length or (limit - start if len(location.extents) == 1 else 0)
        if start < origin or length < 0 or start + length > limit:
            raise Corrupt("HEIF item extent past its data")
        extents.append((start, length))
    total = sum(length for _, length in extents)
    if not reader.fits(total):
        log.not_inspected("HEIF metadata item is larger than the read budget")
        return None
    return b"".join(reader.read(start, length) for start, length in extents)


def _sniff_item(reader: BoundedReader, log: EvidenceLog, kind: str, item: _Item, payload: bytes) -> None:
    if item.encoding:
        if item.encoding.lower() != "deflate":
            log.not_inspected(f"HEIF XMP item in {item.encoding!r} encoding cannot be read")
            return
        payload, complete = inflate(reader, payload, reader.remaining)
        if not complete:
            log.not_inspected("compressed HEIF XMP item is larger than the read budget")
    if kind == "xmp":
        sniff_xmp(payload, log)
        return
    sniff_exif_item(payload, log)


class _Cursor:
    def __init__(self, data: bytes, pos: int) -> None:
        self.data = data
        self.pos = pos

    def int(self, size: int) -> int:
        if self.pos + size > len(self.data):
            raise Corrupt("HEIF table truncated")
        value = int.from_bytes(self.data[self.pos : self.pos + size], "big")
        self.pos += size
        return value
