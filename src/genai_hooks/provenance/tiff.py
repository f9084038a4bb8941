"""TIFF, BigTIFF, DNG and TIFF-structured camera raws, and the TIFF inside EXIF blocks.

IFD0 carries Software (305), XMP (700) and the C2PA manifest store (0xCD41, often after the
pixels); the EXIF IFD carries UserComment, where AUTOMATIC1111 writes its parameters in JPEGs.
ComfyUI's WebP nodes write their prompt and workflow JSON into Make and Model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NamedTuple

from genai_hooks.findings import Strength
from genai_hooks.provenance.c2pa import sniff_store
from genai_hooks.provenance.evidence import EvidenceLog, decode_text, looks_like_generation_parameters
from genai_hooks.provenance.reader import ByteWindow, Corrupt, Memory, sub_window
from genai_hooks.provenance.xmp import sniff_xmp

EXIF_PREFIX = b"Exif\x00\x00"
SOFTWARE, XMP, EXIF_IFD, USER_COMMENT, C2PA = 305, 700, 34665, 0x9286, 0xCD41
MAKE, MODEL = 0x010F, 0x0110
# Magic numbers of classic-TIFF layouts: TIFF, Panasonic RW2 ("IIU"), Olympus ORF ("IIRO", "IIRS").
_CLASSIC_MAGICS = (42, 0x55, 0x4F52, 0x5352)
SIGNATURES = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+", b"IIU\x00", b"IIRO", b"IIRS", b"MMOR")
# ComfyUI's SaveAnimatedWEBP: Model = "prompt:{json}", Make = "workflow:{json}" (then 0x010E...).
_COMFYUI_PREFIXES = {MAKE: (b"workflow:{", "workflow"), MODEL: (b"prompt:{", "prompt")}
COMFYUI_KIND = "exif-comfyui"
_TYPE_SIZES = {
    1: 1,
    2: 1,
    3: 2,
    4: 4,
    5: 8,
    6: 1,
    7: 1,
    8: 2,
    9: 4,
    10: 8,
    11: 4,
    12: 8,
    13: 4,
    16: 8,
    17: 8,
    18: 8,
}
_TEXT_LIMIT = 4096  # a software name or a parameters line; longer values are cut, not read
MAX_ENTRIES = 4096


class _Entry(NamedTuple):
    tag: int
    type: int
    values: int  # how many values of the type
    offset: int  # of the value, inline or not
    length: int  # of the value in bytes


class _Layout:
    """Byte order and offset size of one TIFF structure."""

    def __init__(self, head: bytes) -> None:
        if head[:2] == b"II":
            self.order: Literal["little", "big"] = "little"
        elif head[:2] == b"MM":
            self.order = "big"
        else:
            raise Corrupt("not a TIFF byte order")
        magic = self.int(head[2:4])
        if magic not in _CLASSIC_MAGICS and magic != 43:
            raise Corrupt("not a TIFF")
        self.big = magic == 43
        self.offset_size = 8 if self.big else 4

    def int(self, raw: bytes) -> int:
        return int.from_bytes(raw, self.order)


def sniff_tiff(window: ByteWindow, log: EvidenceLog) -> None:
    """Record the evidence of a TIFF structure (a file, or an EXIF block already in memory)."""
    head = window.read(0, min(16, window.size))
    if len(head) < 8:
        raise Corrupt("TIFF header truncated")
    layout = _Layout(head)
    first_ifd = layout.int(head[8:16]) if layout.big else layout.int(head[4:8])
    if layout.big and len(head) < 16:
        raise Corrupt("BigTIFF header truncated")
    for entry in _entries(window, layout, first_ifd):
        try:
            _ifd0_entry(window, layout, log, entry)
        except Corrupt:
            continue  # one broken entry does not hide the others


def sniff_exif(payload: bytes, log: EvidenceLog) -> None:
    """An EXIF block already read: a TIFF structure, with or without the JPEG "Exif" prefix."""
    try:
        sniff_tiff(Memory(payload[6:] if payload.startswith(EXIF_PREFIX) else payload), log)
    except Corrupt:
        pass  # a broken EXIF block says nothing, and hides nothing else


def sniff_exif_item(payload: bytes, log: EvidenceLog) -> None:
    """An EXIF item or box (HEIF, JPEG XL): a 4-byte offset to the TIFF header, then the block.

    The offset counts from the end of its own field; a payload that starts with the JPEG
    "Exif" prefix instead is read as it is.
    """
    if not payload.startswith(EXIF_PREFIX):
        header = int.from_bytes(payload[:4], "big") + 4
        payload = payload[header:] if 4 <= header <= len(payload) else b""
    sniff_exif(payload, log)


def _ifd0_entry(window: ByteWindow, layout: _Layout, log: EvidenceLog, entry: _Entry) -> None:
    if entry.tag == SOFTWARE and entry.type == 2:
        log.software("Software", decode_text(window.read(entry.offset, min(entry.length, _TEXT_LIMIT))))
    elif entry.tag == XMP:
        if not window.fits(entry.length):
            log.not_inspected("XMP in the TIFF header is larger than the read budget")
            return
        sniff_xmp(window.read(entry.offset, entry.length), log)
    elif entry.tag == C2PA:
        sniff_store(sub_window(window, entry.offset, entry.length), log)
    elif entry.tag in _COMFYUI_PREFIXES and entry.type == 2:
        prefix, what = _COMFYUI_PREFIXES[entry.tag]
        if window.read(entry.offset, min(entry.length, len(prefix))) == prefix:
            field = "Make" if entry.tag == MAKE else "Model"
            log.add(COMFYUI_KIND, Strength.MEDIUM, f"{field}: {what} JSON (ComfyUI)")
    elif entry.tag == EXIF_IFD and entry.type in (4, 13, 16, 18) and entry.values == 1:
        pointer = layout.int(window.read(entry.offset, entry.length))
        for sub in _entries(window, layout, pointer):
            if sub.tag == USER_COMMENT:
                _user_comment(window.read(sub.offset, min(sub.length, _TEXT_LIMIT)), log)


def _entries(window: ByteWindow, layout: _Layout, ifd: int) -> Iterator[_Entry]:
    """The entries of one IFD."""
    count_size, entry_size = (8, 20) if layout.big else (2, 12)
    count = layout.int(window.read(ifd, count_size))
    if count > MAX_ENTRIES:
        raise Corrupt(f"IFD of {count} entries")
    table = window.read(ifd + count_size, count * entry_size)
    field = layout.offset_size
    for index in range(count):
        entry = table[index * entry_size : (index + 1) * entry_size]
        tag, value_type = layout.int(entry[0:2]), layout.int(entry[2:4])
        value_count = layout.int(entry[4 : 4 + field])
        length = value_count * _TYPE_SIZES.get(value_type, 1)
        value_field = ifd + count_size + index * entry_size + 4 + field
        offset = value_field if length <= field else layout.int(entry[4 + field : 4 + 2 * field])
        yield _Entry(tag, value_type, value_count, offset, length)


def _user_comment(raw: bytes, log: EvidenceLog) -> None:
    """EXIF UserComment: an 8-byte character code, then the text (UTF-16 for "UNICODE")."""
    code, body = raw[:8], raw[8:]
    if code.startswith(b"UNICODE"):
        text = body.replace(b"\x00", b"").decode("latin-1")  # ASCII markers survive either byte order
    else:
        text = decode_text(body)
    if looks_like_generation_parameters(text):
        log.add(
            "exif-user-comment", Strength.MEDIUM, "UserComment: AUTOMATIC1111-style generation parameters"
        )
