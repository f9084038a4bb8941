"""JPEG: APP1 EXIF and XMP (standard and extended), APP11 JUMBF (C2PA) segments.

Segments are walked up to the first scan; a C2PA manifest store that spans several APP11
segments is joined (by box instance, in packet order) into one window, read lazily.
"""

from __future__ import annotations

from genai_hooks.provenance.c2pa import sniff_store
from genai_hooks.provenance.evidence import EvidenceLog
from genai_hooks.provenance.reader import BoundedReader, Corrupt, Window
from genai_hooks.provenance.tiff import EXIF_PREFIX, sniff_exif
from genai_hooks.provenance.xmp import sniff_xmp

SIGNATURE = b"\xff\xd8\xff"
_EXIF = EXIF_PREFIX
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_EXTENSION = b"http://ns.adobe.com/xmp/extension/\x00"
_APP1, _APP11, _SOS, _EOI = 0xE1, 0xEB, 0xDA, 0xD9
_STANDALONE = {0x01} | set(range(0xD0, 0xD8))  # TEM and RSTn carry no length


# One APP11 packet: sequence number, file offset and length of its payload, box header size.
_Packet = tuple[int, int, int, int]


def sniff_jpeg(reader: BoundedReader, log: EvidenceLog) -> None:
    jumbf: dict[int, list[_Packet]] = {}
    extended: dict[bytes, list[tuple[int, bytes]]] = {}
    try:
        _walk_segments(reader, log, jumbf, extended)
    finally:
        for packets in jumbf.values():
            _sniff_jumbf(reader, log, packets)
        for pieces in extended.values():
            sniff_xmp(b"".join(piece for _, piece in sorted(pieces)), log)


def _walk_segments(
    reader: BoundedReader,
    log: EvidenceLog,
    jumbf: dict[int, list[_Packet]],
    extended: dict[bytes, list[tuple[int, bytes]]],
) -> None:
    pos = 2
    while pos + 2 <= reader.size:
        marker = reader.read(pos, 2)
        if marker[0] != 0xFF:
            raise Corrupt(f"no JPEG marker at {pos}")
        code = marker[1]
        if code == 0xFF:  # fill byte
            pos += 1
            continue
        if code in _STANDALONE:
            pos += 2
            continue
        if code in (_SOS, _EOI):
            return
        length = int.from_bytes(reader.read(pos + 2, 2), "big")
        if length < 2:
            raise Corrupt(f"JPEG segment length {length}")
        start, size = pos + 4, length - 2
        if code == _APP1:
            _app1(reader, log, start, size, extended)
        elif code == _APP11 and size >= 16:
            head = reader.read(start, 16)
            if head[:2] == b"JP":
                instance, sequence = int.from_bytes(head[2:4], "big"), int.from_bytes(head[4:8], "big")
                header = 16 if int.from_bytes(head[8:12], "big") == 1 else 8
                jumbf.setdefault(instance, []).append((sequence, start + 8, size - 8, header))
        pos = start + size


def _app1(
    reader: BoundedReader,
    log: EvidenceLog,
    start: int,
    size: int,
    extended: dict[bytes, list[tuple[int, bytes]]],
) -> None:
    prefix = reader.read(start, min(size, len(_XMP_EXTENSION)))
    if not (prefix.startswith((_EXIF, _XMP)) or prefix == _XMP_EXTENSION):
        return
    if not reader.fits(size):
        log.not_inspected("JPEG metadata segment is larger than the read budget")
        return
    payload = reader.read(start, size)
    if payload.startswith(_EXIF):
        sniff_exif(payload, log)
    elif payload.startswith(_XMP):
        sniff_xmp(payload[len(_XMP) :], log)
    else:
        body = payload[len(_XMP_EXTENSION) :]  # GUID (32), full length (4), offset (4), chunk
        if len(body) >= 40:
            extended.setdefault(body[:32], []).append((int.from_bytes(body[36:40], "big"), body[40:]))


def _sniff_jumbf(reader: BoundedReader, log: EvidenceLog, packets: list[_Packet]) -> None:
    """Join one box instance's APP11 packets; every packet after the first repeats the box header."""
    packets = sorted(packets)
    first_header = packets[0][3]
    extents = [(packets[0][1], packets[0][2])]
    for _, offset, length, _ in packets[1:]:
        if length > first_header:
            extents.append((offset + first_header, length - first_header))
    try:
        sniff_store(Window(reader, extents), log)
    except Corrupt:
        pass  # segments that do not join into a store say nothing
