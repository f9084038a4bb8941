"""A minimal, bounded CBOR decoder (RFC 8949) for C2PA claims and assertions.

Decoding rather than scanning bytes, so that a URI counts only where it is an action's
digitalSourceType, and the claim generator can be named. Depth and item counts are capped.
"""

from __future__ import annotations

import struct
from typing import Any

MAX_DEPTH = 32
MAX_ITEMS = 100_000


class CborError(ValueError):
    """Malformed or over-limit CBOR."""


def decode(data: bytes) -> Any:
    """The first CBOR data item in `data`."""
    decoder = _Decoder(data)
    return decoder.item(0)


class _Decoder:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.items = 0

    def take(self, length: int) -> bytes:
        if length < 0 or self.pos + length > len(self.data):
            raise CborError("truncated")
        chunk = self.data[self.pos : self.pos + length]
        self.pos += length
        return chunk

    def head(self) -> tuple[int, int, int]:
        """Major type, additional info, and argument (-1 for indefinite length)."""
        initial = self.take(1)[0]
        major, info = initial >> 5, initial & 0x1F
        if info < 24:
            return major, info, info
        if info in (24, 25, 26, 27):
            size = 1 << (info - 24)
            return major, info, int.from_bytes(self.take(size), "big")
        if info == 31 and major in (2, 3, 4, 5, 7):
            return major, info, -1
        raise CborError(f"reserved additional info {info}")

    def item(self, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise CborError("nested too deeply")
        self.items += 1
        if self.items > MAX_ITEMS:
            raise CborError("too many items")
        major, info, arg = self.head()
        if major == 0:
            return arg
        if major == 1:
            return -1 - arg
        if major in (2, 3):
            raw = self.take(arg) if arg >= 0 else self.chunks(major, depth)
            return raw if major == 2 else raw.decode("utf-8", errors="replace")
        if major == 4:
            return self.array(arg, depth)
        if major == 5:
            return self.map(arg, depth)
        if major == 6:
            return self.item(depth + 1)  # a tag: its content is what matters here
        return self.simple(info, arg)

    def chunks(self, major: int, depth: int) -> bytes:
        parts: list[bytes] = []
        while True:
            chunk_major, _, arg = self.head()
            if chunk_major == 7 and arg == -1:
                return b"".join(parts)
            if chunk_major != major or arg < 0:
                raise CborError("bad indefinite-length string")
            parts.append(self.take(arg))

    def array(self, count: int, depth: int) -> list[Any]:
        values: list[Any] = []
        while count < 0 or len(values) < count:
            if count < 0 and self.data[self.pos : self.pos + 1] == b"\xff":
                self.pos += 1
                break
            values.append(self.item(depth + 1))
        return values

    def map(self, count: int, depth: int) -> dict[Any, Any]:
        entries: dict[Any, Any] = {}
        done = 0
        while count < 0 or done < count:
            if count < 0 and self.data[self.pos : self.pos + 1] == b"\xff":
                self.pos += 1
                break
            key = self.item(depth + 1)
            value = self.item(depth + 1)
            if isinstance(key, (str, int, bytes)):
                entries[key] = value
            done += 1
        return entries

    def simple(self, info: int, arg: int) -> Any:
        if arg == -1:
            raise CborError("unexpected break")
        if info == 25:
            return struct.unpack(">e", arg.to_bytes(2, "big"))[0]
        if info == 26:
            return struct.unpack(">f", arg.to_bytes(4, "big"))[0]
        if info == 27:
            return struct.unpack(">d", arg.to_bytes(8, "big"))[0]
        return {20: False, 21: True, 22: None}.get(arg)
