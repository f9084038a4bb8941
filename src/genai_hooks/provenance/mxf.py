"""MXF (SMPTE 377M): the Identification sets of the header partition's metadata.

Each application that wrote or modified the file adds an Identification set naming itself
(ProductName, CompanyName, Platform, as UTF-16BE strings); a known generator name there is
weak evidence. The header partition comes first, after an optional run-in of up to 64 KiB;
only KLV keys and lengths are read until an Identification set is met, so essence is skipped.
"""

from __future__ import annotations

from genai_hooks.provenance.evidence import EvidenceLog
from genai_hooks.provenance.reader import BoundedReader, ByteWindow, Corrupt, Memory, Unreachable, sub_window

UL_PREFIX = bytes.fromhex("060e2b34")
HEADER_PARTITION = bytes.fromhex("060e2b34020501010d01020101020000")  # byte 14: open/closed...
_PARTITION = HEADER_PARTITION[:13]  # then 2, 3 or 4 (header, body, footer); 5 is the primer pack
# Keys compared around byte 7, the registry version, which writers vary.
_FILL = bytes.fromhex("060e2b34010101"), bytes.fromhex("0301021001000000")
_IDENTIFICATION = bytes.fromhex("060e2b34025301"), bytes.fromhex("0d01010101013000")
_ESSENCE = bytes.fromhex("060e2b34010201010d0103")
# Identification local tags worth reading, as shown in evidence.
_NAMES = {0x3C01: "CompanyName", 0x3C02: "ProductName", 0x3C08: "Platform"}
RUN_IN = 65536
MAX_SETS = 20_000
_WHOLE = 256 * 1024  # header metadata read at once up to this size; walked key by key beyond
_VALUE_LIMIT = 64 * 1024


def sniff_mxf(reader: BoundedReader, log: EvidenceLog) -> None:
    start = _header_partition(reader)
    if start is None:
        return
    _, value, length = _klv(reader, start)
    if length < 40:
        raise Corrupt("MXF partition pack too short")
    header_bytes = int.from_bytes(reader.read(value + 32, 8), "big")
    pos = value + length
    while pos + 17 <= reader.size and _matches(reader.read(pos, 16), _FILL):  # KAG alignment
        _, fill_value, fill_length = _klv(reader, pos)
        pos = fill_value + fill_length
    if 0 < header_bytes <= _WHOLE and pos + header_bytes <= reader.size and reader.fits(header_bytes):
        region: ByteWindow = Memory(reader.read(pos, header_bytes))
    else:
        end = min(reader.size, pos + header_bytes) if header_bytes else reader.size
        region = sub_window(reader, pos, end - pos)
    _walk(region, log, bounded=header_bytes > 0)


def _header_partition(reader: BoundedReader) -> int | None:
    """Where the header partition pack starts: at 0, or after a run-in."""
    if reader.read_prefix(16)[:14] == HEADER_PARTITION[:14]:
        return 0
    span = min(reader.size, RUN_IN + 16)
    if span > reader.available:
        raise Unreachable("the MXF run-in lies beyond what could be read")
    found = reader.read(0, span).find(HEADER_PARTITION[:14])
    return found if found >= 0 else None


def _walk(region: ByteWindow, log: EvidenceLog, *, bounded: bool) -> None:
    """Read each Identification set of the header metadata; stop at essence or the next partition."""
    pos = 0
    for _ in range(MAX_SETS):
        if pos + 17 > region.size:
            return
        key, value, length = _klv(region, pos)
        if not bounded and (_is_partition(key) or key.startswith(_ESSENCE)):
            return
        if _matches(key, _IDENTIFICATION):
            _identification(region.read(value, min(length, _VALUE_LIMIT)), log)
        pos = value + length
    log.not_inspected("MXF header metadata has too many sets to walk")


def _klv(window: ByteWindow, pos: int) -> tuple[bytes, int, int]:
    """Key, value offset and value length of the KLV at `pos` (BER-coded length)."""
    head = window.read(pos, min(25, window.size - pos))
    if len(head) < 17 or head[:4] != UL_PREFIX:
        raise Corrupt(f"no MXF key at {pos}")
    first = head[16]
    if first < 0x80:
        length, size = first, 1
    else:
        size = 1 + (first & 0x7F)
        if size > 9 or len(head) < 16 + size:
            raise Corrupt("MXF BER length too long")
        length = int.from_bytes(head[17 : 16 + size], "big")
    value = pos + 16 + size
    if value + length > window.size:
        raise Corrupt(f"MXF value of {length} bytes past the end")
    return head[:16], value, length


def _is_partition(key: bytes) -> bool:
    return key[:13] == _PARTITION and key[13] in (2, 3, 4)


def _matches(key: bytes, pattern: tuple[bytes, bytes]) -> bool:
    return key[:7] == pattern[0] and key[8:16] == pattern[1]


def _identification(body: bytes, log: EvidenceLog) -> None:
    """Local set: 2-byte tag, 2-byte length, value."""
    pos = 0
    while pos + 4 <= len(body):
        tag, length = (
            int.from_bytes(body[pos : pos + 2], "big"),
            int.from_bytes(body[pos + 2 : pos + 4], "big"),
        )
        if tag in _NAMES:
            text = body[pos + 4 : pos + 4 + length].decode("utf-16-be", errors="replace")
            log.software(f"MXF {_NAMES[tag]}", text.replace("\x00", " ").strip())
        pos += 4 + length
