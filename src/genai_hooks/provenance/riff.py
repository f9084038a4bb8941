"""RIFF containers: WebP and WAV (RF64/BW64 included).

Chunks are walked to the end of the file, sample and pixel data skipped by their size; in
WAV the C2PA chunk usually follows `data`, so a truncated blob cannot be called clean.
"""

from __future__ import annotations

import re

from genai_hooks.provenance.c2pa import sniff_store
from genai_hooks.provenance.evidence import EvidenceLog, decode_text
from genai_hooks.provenance.id3 import sniff_id3
from genai_hooks.provenance.reader import BoundedReader, Corrupt, Window
from genai_hooks.provenance.tiff import sniff_exif
from genai_hooks.provenance.xmp import sniff_xmp

SIGNATURES = (b"RIFF", b"RF64", b"BW64")
FORMS = (b"WEBP", b"WAVE")
_XMP_CHUNKS = (b"XMP ", b"_PMX")  # WebP, WAV (Adobe)
_INFO_FIELDS = {b"ISFT": "ISFT", b"ICMT": "ICMT"}  # software, comments
_TEXT_LIMIT = 4096
_UNKNOWN_SIZE = 0xFFFFFFFF
_CHUNK_ID = re.compile(rb"[ -~]{4}")  # four printable ASCII characters


def sniff_riff(reader: BoundedReader, log: EvidenceLog) -> None:
    head = reader.read(0, 12)
    declared = int.from_bytes(head[4:8], "little")
    # Chunks may follow a wrong RIFF size; past it, anything that is no chunk is trailing junk.
    declared_end = reader.size if declared == _UNKNOWN_SIZE else 8 + declared
    pos = 12
    data_size: int | None = None  # from an RF64 ds64 chunk
    while pos + 8 <= reader.size:
        chunk = reader.read(pos, 8)
        chunk_id, length = chunk[:4], int.from_bytes(chunk[4:8], "little")
        data = pos + 8
        if chunk_id == b"ds64" and length >= 24:
            data_size = int.from_bytes(reader.read(data + 8, 8), "little")
        elif chunk_id == b"data" and length == _UNKNOWN_SIZE and data_size is not None:
            length = data_size
        if data + length > reader.size or not _CHUNK_ID.fullmatch(chunk_id):
            if pos >= declared_end:
                return
            raise Corrupt(f"bad RIFF chunk {chunk_id!r} at {pos}")
        _chunk(reader, log, chunk_id, data, length)
        pos = data + length + (length & 1)


def _chunk(reader: BoundedReader, log: EvidenceLog, chunk_id: bytes, data: int, length: int) -> None:
    if chunk_id == b"C2PA":
        sniff_store(Window(reader, [(data, length)]), log)
    elif chunk_id in _XMP_CHUNKS or chunk_id == b"EXIF":
        if not reader.fits(length):
            log.not_inspected(f"RIFF {chunk_id.decode('latin-1')} chunk is larger than the read budget")
            return
        payload = reader.read(data, length)
        if chunk_id in _XMP_CHUNKS:
            sniff_xmp(payload, log)
            return
        sniff_exif(payload, log)
    elif chunk_id == b"LIST" and length >= 4 and reader.read(data, 4) == b"INFO":
        _info(reader, log, data + 4, data + length)
    elif chunk_id == b"bext" and length >= 288:
        # Broadcast WAV: Description (256 bytes), then Originator (32): the producing software.
        log.software("bext Originator", decode_text(reader.read(data + 256, 32)))
    elif chunk_id in (b"id3 ", b"ID3 "):
        sniff_id3(Window(reader, [(data, length)]), log)


def _info(reader: BoundedReader, log: EvidenceLog, pos: int, end: int) -> None:
    while pos + 8 <= end:
        head = reader.read(pos, 8)
        field, length = head[:4], int.from_bytes(head[4:8], "little")
        if pos + 8 + length > end:
            raise Corrupt("INFO sub-chunk past its list")
        if field in _INFO_FIELDS:
            log.software(_INFO_FIELDS[field], decode_text(reader.read(pos + 8, min(length, _TEXT_LIMIT))))
        pos += 8 + length + (length & 1)
