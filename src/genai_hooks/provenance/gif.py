"""GIF: the XMP application extension ("XMP DataXMP"), C2PA ("C2PA_GIF", as c2pa-rs writes
it before the first image) and comment extensions.

Blocks are walked to the trailer, since XMP may follow the frames. Image data is a chain of
sub-blocks of at most 255 bytes whose lengths must each be read: a full sub-block is skipped
by reading only the next length byte, so frames cost about 1/256 of their size, and the
number of reads is capped (a file with more frames than that is uninspected, never clean).
"""

from __future__ import annotations

from genai_hooks.provenance.c2pa import sniff_store
from genai_hooks.provenance.evidence import EvidenceLog, decode_text
from genai_hooks.provenance.reader import BoundedReader, Corrupt, Memory
from genai_hooks.provenance.xmp import sniff_xmp

SIGNATURES = (b"GIF87a", b"GIF89a")
XMP_APPLICATION = b"XMP DataXMP"
C2PA_APPLICATION = b"C2PA_GIF\x01\x00\x00"
_TRAILER, _EXTENSION, _IMAGE = 0x3B, 0x21, 0x2C
_APPLICATION, _COMMENT = 0xFF, 0xFE
MAX_BLOCKS = 1 << 16
MAX_READS = 1 << 17  # skipping full sub-blocks one length byte at a time: about 32 MiB of frames
_FILL = 4096  # bytes read at once where content is wanted
_SHORT_FILL = 256  # read-ahead among short sub-blocks of image data
_BIG_FILL = 64 * 1024  # read-ahead through frames when the rest of the file is affordable
_RESERVE = 256 * 1024  # budget kept for metadata after the frames
_COMMENT_LIMIT = 4096
_UNLIMITED = 1 << 62


class _TooManyReads(Exception):
    """Skipping frames would take more reads than a file is worth."""


def sniff_gif(reader: BoundedReader, log: EvidenceLog) -> None:
    cursor = _Cursor(reader)
    screen = cursor.take(0, 13)
    pos = 13 + _color_table(screen[10])
    try:
        for _ in range(MAX_BLOCKS):
            introducer = cursor.take(pos, 1)[0]
            if introducer == _TRAILER:
                return
            if introducer == _EXTENSION:
                pos = _extension(cursor, log, cursor.take(pos + 1, 1)[0], pos + 2)
            elif introducer == _IMAGE:
                descriptor = cursor.take(pos + 1, 9)
                pos += 10 + _color_table(descriptor[8]) + 1  # then the LZW minimum code size
                pos, _ = cursor.sub_blocks(pos, 0)
            else:
                raise Corrupt(f"no GIF block at {pos}")
    except _TooManyReads:
        pass
    log.not_inspected("GIF has more frames than are walked; metadata may follow them")


def _color_table(packed: int) -> int:
    """The size of the colour table a screen or image descriptor's packed byte announces."""
    return 3 << ((packed & 0x07) + 1) if packed & 0x80 else 0


def _extension(cursor: _Cursor, log: EvidenceLog, label: int, pos: int) -> int:
    if label == _COMMENT:
        end, pieces = cursor.sub_blocks(pos, _COMMENT_LIMIT)
        log.software("GIF comment", decode_text(b"".join(pieces)))
        return end
    if label != _APPLICATION or cursor.take(pos, 1)[0] != 11:
        return cursor.sub_blocks(pos, 0)[0]
    application = cursor.take(pos + 1, 11)
    wanted = application in (XMP_APPLICATION, C2PA_APPLICATION)
    end, pieces = cursor.sub_blocks(pos + 12, _UNLIMITED if wanted else 0)
    if application == C2PA_APPLICATION:
        sniff_store(Memory(b"".join(pieces)), log)
    elif application == XMP_APPLICATION:
        sniff_xmp(_xmp_text(pieces), log)
    return end


def _xmp_text(pieces: list[bytes]) -> bytes:
    """The XMP packet: written raw by Adobe (its bytes read as sub-block lengths, a "magic trailer"
    ending the chain) or split into proper sub-blocks (c2pa-rs)."""
    raw = b"".join(bytes((len(piece),)) + piece for piece in pieces)
    return raw if raw[:1] == b"<" else b"".join(pieces)


class _Cursor:
    """Reads the file through a small buffer, counting reads."""

    def __init__(self, reader: BoundedReader) -> None:
        self.reader = reader
        self.start = 0
        self.buffer = b""
        self.reads = 0

    def take(self, pos: int, length: int, fill: int = _FILL) -> bytes:
        if not (self.start <= pos and pos + length <= self.start + len(self.buffer)):
            self.reads += 1
            if self.reads > MAX_READS:
                raise _TooManyReads
            # Read ahead only within what is readable and affordable; the bytes asked for, always.
            ahead = min(fill, self.reader.size - pos, self.reader.available - pos, self.reader.remaining)
            self.buffer, self.start = self.reader.read(pos, max(length, ahead)), pos
        return self.buffer[pos - self.start : pos - self.start + length]

    def skip_fill(self, pos: int, size: int) -> int:
        """How much to read ahead through image data: all of it when the rest of the file fits
        the budget with room to spare (fewer reads), else only the next length byte."""
        if self.reader.size - pos + _RESERVE <= self.reader.remaining:
            return _BIG_FILL
        return 1 if size == 255 else _SHORT_FILL  # full sub-blocks: read only the next length

    def sub_blocks(self, pos: int, limit: int) -> tuple[int, list[bytes]]:
        """Walk a chain of sub-blocks: where it ends, and up to `limit` bytes of its content."""
        if limit == 0:
            return self.skip(pos), []
        pieces: list[bytes] = []
        kept = 0
        while True:
            size = self.take(pos, 1)[0]
            if size == 0:
                return pos + 1, pieces
            if kept < limit:
                pieces.append(self.take(pos + 1, size))
                kept += size
            pos += 1 + size

    def skip(self, pos: int) -> int:
        """Skip a chain of sub-blocks (image data); where it ends."""
        fill = 1  # image data is mostly full sub-blocks: start by reading lengths only
        while True:
            self.take(pos, 1, fill)
            buffer, base = self.buffer, self.start
            index, size = pos - base, 0
            while index < len(buffer):  # through what is buffered, without a call per sub-block
                size = buffer[index]
                if size == 0:
                    return base + index + 1
                index += 1 + size
            pos = base + index
            fill = self.skip_fill(pos, size)
