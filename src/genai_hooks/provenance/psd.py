"""Photoshop PSD and PSB: the image resources section (XMP 1060, EXIF 1058/1059, C2PA).

The image resources come before layers and pixels, so nothing past them is read. C2PA has no
registered resource ID, so any resource whose data starts a JUMBF superbox is read as a store.
"""

from __future__ import annotations

from genai_hooks.provenance.c2pa import looks_like_store, sniff_store
from genai_hooks.provenance.evidence import EvidenceLog
from genai_hooks.provenance.reader import BoundedReader, Corrupt, Window
from genai_hooks.provenance.tiff import sniff_exif
from genai_hooks.provenance.xmp import sniff_xmp

SIGNATURE = b"8BPS"
XMP_RESOURCE = 1060
EXIF_RESOURCES = (1058, 1059)
_RESOURCE_SIGNATURES = {b"8BIM", b"MeSa", b"AgHg", b"PHUT", b"DCSR"}


def sniff_psd(reader: BoundedReader, log: EvidenceLog) -> None:
    header = reader.read(0, 26)
    if int.from_bytes(header[4:6], "big") not in (1, 2):
        raise Corrupt("unknown PSD version")
    color_mode_length = int.from_bytes(reader.read(26, 4), "big")
    section = 30 + color_mode_length
    section_length = int.from_bytes(reader.read(section, 4), "big")
    pos, end = section + 4, section + 4 + section_length
    if end > reader.size:
        raise Corrupt("image resources section past the end")
    while pos + 12 <= end:
        head = reader.read(pos, 7)
        if head[:4] not in _RESOURCE_SIGNATURES:
            raise Corrupt(f"no image resource at {pos}")
        resource_id = int.from_bytes(head[4:6], "big")
        name_size = (1 + head[6] + 1) & ~1  # Pascal string, padded to even
        size_at = pos + 6 + name_size
        length = int.from_bytes(reader.read(size_at, 4), "big")
        data = size_at + 4
        if data + length > end:
            raise Corrupt(f"image resource {resource_id} past its section")
        _resource(reader, log, resource_id, data, length)
        pos = data + length + (length & 1)


def _resource(reader: BoundedReader, log: EvidenceLog, resource_id: int, data: int, length: int) -> None:
    if resource_id == XMP_RESOURCE or resource_id in EXIF_RESOURCES:
        if not reader.fits(length):
            log.not_inspected("PSD metadata resource is larger than the read budget")
            return
        payload = reader.read(data, length)
        if resource_id == XMP_RESOURCE:
            sniff_xmp(payload, log)
            return
        sniff_exif(payload, log)
    elif length >= 16 and looks_like_store(reader.read(data, 8)):
        sniff_store(Window(reader, [(data, length)]), log)
