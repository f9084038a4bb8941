"""Sequential reading through a bounded reader, a block at a time (GGUF pairs, protobuf fields)."""

from __future__ import annotations

from typing import Literal

from genai_hooks.provenance.reader import BoundedReader, Corrupt

ByteOrder = Literal["little", "big"]

BLOCK = 64 * 1024  # one read per block keeps tiny fields from costing a read each


class Cursor:
    """A position in the content; `take` reads (charged to the budget by block), `skip` reads nothing."""

    def __init__(self, reader: BoundedReader, position: int = 0, end: int | None = None) -> None:
        self.reader = reader
        self.position = position
        self.end = reader.size if end is None else min(end, reader.size)
        self._block = b""
        self._block_start = 0

    @property
    def left(self) -> int:
        return self.end - self.position

    def take(self, length: int) -> bytes:
        if length < 0 or length > self.left:
            raise Corrupt(f"{length} bytes at {self.position} past the end ({self.end})")
        inner = self.position - self._block_start
        if inner < 0 or inner + length > len(self._block):
            self._load(length)
            inner = 0
        self.position += length
        return self._block[inner : inner + length]

    def skip(self, length: int) -> None:
        if length < 0 or length > self.left:
            raise Corrupt(f"skip of {length} bytes at {self.position} past the end ({self.end})")
        self.position += length

    def _load(self, length: int) -> None:
        reader = self.reader
        size = max(length, min(BLOCK, self.end - self.position))
        # never let read-ahead make a readable field unreachable, nor spend budget the field needs
        if self.position + length <= reader.available:
            size = min(size, reader.available - self.position)
        if length <= reader.remaining:
            size = min(size, reader.remaining)
        self._block = reader.read(self.position, size)
        self._block_start = self.position

    def uint(self, width: int, order: ByteOrder = "little") -> int:
        return int.from_bytes(self.take(width), order)

    def varint(self) -> int:
        """A protobuf base-128 varint (at most 10 bytes)."""
        value = 0
        for shift in range(0, 70, 7):
            byte = self.take(1)[0]
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
        raise Corrupt(f"varint longer than 10 bytes at {self.position}")
