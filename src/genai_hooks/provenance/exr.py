"""OpenEXR: header attributes of every part (single- and multi-part files).

Every `string` and `stringvector` attribute is read (software, comments, and any other a
pipeline adds, but for lone file paths): a known generator name there is weak evidence, an XMP
packet is parsed, and a GenAI IPTC digital source type is strong. Pixels are never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from genai_hooks.provenance.evidence import EvidenceLog, decode_text
from genai_hooks.provenance.reader import BoundedReader, Corrupt
from genai_hooks.provenance.xmp import sniff_xmp

SIGNATURE = b"\x76\x2f\x31\x01"
EXR_SOURCE_TYPE_KIND = "exr-digital-source-type"
_MULTIPART = 0x1000
_NAME_LIMIT = 256  # attribute and type names: 31 bytes, 255 with long names
_VALUE_LIMIT = 64 * 1024  # strings read whole up to this; longer ones only when they hold XMP
MAX_PARTS = 4096
_TOOL_ATTRIBUTES = ("software", "comments")
_LONE_PATH = re.compile(r"\S*[/\\]\S*")


def sniff_exr(reader: BoundedReader, log: EvidenceLog) -> None:
    header = _Cursor(reader)
    multipart = bool(int.from_bytes(header.take(4, 4), "little") & _MULTIPART)
    pos, parts, attributes = 8, 0, 0
    while True:
        name, type_name, size, pos = header.attribute(pos)
        if not name:  # end of a header; in a multi-part file, an empty header ends the list
            parts += 1
            if not multipart or attributes == 0 or parts >= MAX_PARTS:
                return
            attributes = 0
            continue
        if size < 0 or pos + size > reader.size:
            raise Corrupt(f"EXR attribute {name.decode('latin-1')!r} of {size} bytes")
        if type_name in (b"string", b"stringvector"):
            for value in _strings(header, type_name, pos, size):
                _attribute(log, name.decode("latin-1"), value)
        attributes += 1
        pos += size


class _Cursor:
    """Reads the header in blocks: names end in NUL, so their length is only known once read."""

    BLOCK = 4096

    def __init__(self, reader: BoundedReader) -> None:
        self.reader = reader
        self.start = 0
        self.buffer = b""

    def take(self, pos: int, length: int) -> bytes:
        if not (self.start <= pos and pos + length <= self.start + len(self.buffer)):
            block = max(length, min(self.BLOCK, self.reader.available - pos, self.reader.remaining))
            self.buffer, self.start = self.reader.read(pos, min(block, self.reader.size - pos)), pos
        return self.buffer[pos - self.start : pos - self.start + length]

    def attribute(self, pos: int) -> tuple[bytes, bytes, int, int]:
        """The attribute at `pos`: its name (b"" where a header ends), type name, value size and the value's
        position (past the name where a header ends)."""
        buffer, here = self.buffer, pos - self.start
        if 0 <= here < len(buffer):  # most attributes lie whole in the block already read: no call per field
            end = buffer.find(b"\x00", here, here + _NAME_LIMIT)
            if end == here:
                return b"", b"", 0, pos + 1
            typed = buffer.find(b"\x00", end + 1, end + 1 + _NAME_LIMIT) if end > here else -1
            if typed >= 0 and typed + 5 <= len(buffer):
                return (buffer[here:end], buffer[end + 1:typed],
                        int.from_bytes(buffer[typed + 1:typed + 5], "little", signed=True), self.start + typed + 5)
        name, pos = self.name(pos)
        if not name:
            return b"", b"", 0, pos
        type_name, pos = self.name(pos)
        return name, type_name, int.from_bytes(self.take(pos, 4), "little", signed=True), pos + 4

    def name(self, pos: int) -> tuple[bytes, int]:
        """A NUL-terminated name at `pos`, and the position after it."""
        raw = self.take(pos, min(_NAME_LIMIT, self.reader.size - pos))
        end = raw.find(b"\x00")
        if end < 0:
            raise Corrupt("EXR name without terminator")
        return raw[:end], pos + end + 1


def _strings(header: _Cursor, type_name: bytes, pos: int, size: int) -> Iterator[bytes]:
    raw = header.take(pos, min(size, _VALUE_LIMIT))
    if type_name == b"string":
        if size > len(raw) and b"xmpmeta" in raw and header.reader.fits(size - len(raw)):
            raw += header.reader.read(pos + len(raw), size - len(raw))
        yield raw
        return
    offset = 0
    while offset + 4 <= len(raw):
        length = int.from_bytes(raw[offset : offset + 4], "little", signed=True)
        if length < 0:
            raise Corrupt("negative EXR string length")
        yield raw[offset + 4 : offset + 4 + length]
        offset += 4 + length


def _attribute(log: EvidenceLog, name: str, raw: bytes) -> None:
    if b"<x:xmpmeta" in raw or b"<rdf:RDF" in raw:
        sniff_xmp(raw, log)
        return
    value = decode_text(raw)
    if log.source_type(EXR_SOURCE_TYPE_KIND, value, f"attribute {name}"):
        return
    # A lone file path (nuke/input/filename...) names where pixels came from, not what made them.
    if name in _TOOL_ATTRIBUTES or not _LONE_PATH.fullmatch(value.strip()):
        log.software(name, value)
