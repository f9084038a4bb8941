"""Bounded reading: media sources, a byte budget over them, and windows parsers walk.

Every parser reads through a `BoundedReader`, which refuses to read more than the budget
(decompressed text included) and tells apart three ways a read can fail: the structure
points past the end of the content (`Corrupt`), the bytes exist but were not reachable
(`Unreachable`: a truncated blob of a larger file), or the budget is spent (`BudgetExhausted`).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Union

if TYPE_CHECKING:  # only for annotations: typing_extensions is no runtime dependency
    from typing_extensions import Self

MAX_READ = 1 << 20  # 1 MiB budget per file, decompressed text included
GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib's window bits for a gzip member


class MediaSource(Protocol):
    """Random access to one file's content, of which the first `available` bytes can be read."""

    @property
    def size(self) -> int: ...

    @property
    def available(self) -> int: ...

    def read(self, offset: int, length: int) -> bytes: ...


class FileSource:
    """A real file opened by path: seekable, every byte available."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        # Unbuffered so that what we ask for is what the disk gives: no hidden read-ahead.
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 -- closed by close() / __exit__
        self.size: int = os.fstat(self._file.fileno()).st_size
        self.available: int = self.size

    def read(self, offset: int, length: int) -> bytes:
        if offset < 0 or length <= 0 or offset >= self.available:
            return b""
        self._file.seek(offset)
        parts = []
        wanted = min(length, self.available - offset)
        while wanted > 0:
            part = self._file.read(wanted)
            if not part:
                break
            parts.append(part)
            wanted -= len(part)
        return b"".join(parts)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class BytesSource:
    """Content held in memory; `size` may exceed the bytes held (a truncated read of a larger file)."""

    def __init__(self, data: bytes, size: int | None = None) -> None:
        self._data = bytes(data)
        self.size: int = len(self._data) if size is None else max(0, size)
        self.available: int = min(len(self._data), self.size)

    def read(self, offset: int, length: int) -> bytes:
        if offset < 0 or length <= 0 or offset >= self.available:
            return b""
        return self._data[offset : min(offset + length, self.available)]


class MediaError(Exception):
    """The content could not be parsed any further."""


class Corrupt(MediaError):
    """The structure contradicts itself or points past the end of the content."""


class Unreachable(MediaError):
    """The bytes needed exist in the file but lie beyond what can be read of it."""


class BudgetExhausted(MediaError):
    """Reading on would exceed the per-file read budget."""


class BoundedReader:
    """Reads from a source under a byte budget; every read is exact or raises a `MediaError`."""

    def __init__(self, source: MediaSource, budget: int = MAX_READ) -> None:
        self.source = source
        self.size = max(0, int(source.size))
        self.available = max(0, min(int(source.available), self.size))
        self.budget = budget
        self.used = 0

    @property
    def remaining(self) -> int:
        return max(0, self.budget - self.used)

    def fits(self, length: int) -> bool:
        return 0 <= length <= self.remaining

    def charge(self, length: int) -> None:
        """Count bytes produced without reading (decompressed text) against the budget."""
        if length > self.remaining:
            raise BudgetExhausted(f"{length} bytes past the read budget")
        self.used += length

    def read(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0 or offset + length > self.size:
            raise Corrupt(f"read of {length} bytes at {offset} past the end ({self.size})")
        if length == 0:
            return b""
        if offset + length > self.available:
            raise Unreachable(f"bytes {offset}-{offset + length} lie beyond the {self.available} readable")
        self.charge(length)
        data = self.source.read(offset, length)
        if len(data) != length:
            raise Unreachable(f"short read at {offset}: {len(data)} of {length} bytes")
        return data

    def read_prefix(self, length: int) -> bytes:
        """The first bytes of the content, as many as exist and are readable (for magic sniffing)."""
        return self.read(0, min(length, self.available))


class Window:
    """A run of logical bytes made of extents of the file (one for a chunk, several for JPEG APP11)."""

    def __init__(self, reader: BoundedReader, extents: Sequence[tuple[int, int]]) -> None:
        self.reader = reader
        self.extents = tuple(extents)
        self.size = sum(length for _, length in self.extents)

    def fits(self, length: int) -> bool:
        return self.reader.fits(length)

    def read(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0 or offset + length > self.size:
            raise Corrupt(f"read of {length} bytes at {offset} past the end of a {self.size}-byte window")
        parts = []
        base = 0
        for start, extent in self.extents:
            if length <= 0:
                break
            if offset < base + extent:
                inner = offset - base
                take = min(extent - inner, length)
                parts.append(self.reader.read(start + inner, take))
                offset += take
                length -= take
            base += extent
        return b"".join(parts)


class Memory:
    """Bytes already read (and paid for) presented as a window, e.g. an EXIF block inside a JPEG."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.size = len(data)

    def fits(self, length: int) -> bool:
        return True  # already read and paid for

    def read(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0 or offset + length > self.size:
            raise Corrupt(f"read of {length} bytes at {offset} past the end of {self.size} bytes")
        return self.data[offset : offset + length]


ByteWindow = Union[BoundedReader, Window, Memory]


def sub_window(window: ByteWindow, offset: int, length: int) -> ByteWindow:
    """`length` bytes of a window from `offset`, read lazily where the window is the file."""
    if offset < 0 or length < 0 or offset + length > window.size:
        raise Corrupt(f"{length} bytes at {offset} past the end of a {window.size}-byte window")
    if isinstance(window, Memory):
        return Memory(window.data[offset : offset + length])
    if isinstance(window, BoundedReader):
        return Window(window, [(offset, length)])
    extents = []
    base = 0
    for start, extent in window.extents:
        low, high = max(offset, base), min(offset + length, base + extent)
        if low < high:
            extents.append((start + low - base, high - low))
        base += extent
    return Window(window.reader, extents)


def inflate(
    reader: BoundedReader, compressed: bytes, limit: int, wbits: int = zlib.MAX_WBITS
) -> tuple[bytes, bool]:
    """Decompress zlib data (gzip with `wbits=GZIP_WBITS`), producing at most `limit` bytes
    (charged to the budget).

    Returns the text and whether it is complete; a zlib bomb costs `limit` bytes, never more.
    """
    limit = max(0, min(limit, reader.remaining))
    if limit == 0:  # zlib reads a max_length of 0 as "no limit"
        return b"", not compressed
    engine = zlib.decompressobj(wbits)
    try:
        text = engine.decompress(compressed, limit)
    except zlib.error as exc:
        raise Corrupt(f"bad zlib stream: {exc}") from None
    reader.charge(len(text))
    complete = engine.eof or (not engine.unconsumed_tail and len(text) < limit)
    return text, complete


class Readable(Protocol):
    def read(self, offset: int, length: int) -> bytes: ...


def iso_boxes(source: Readable, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, content start, end) of each ISO BMFF box in [start, end) (MP4 boxes, JUMBF boxes).

    A size of 1 means a 64-bit size follows; 0 runs to `end`.
    """
    pos = start
    while pos + 8 <= end:
        head = source.read(pos, 8)
        size, box_type, header = int.from_bytes(head[:4], "big"), head[4:8], 8
        if size == 1:
            size, header = int.from_bytes(source.read(pos + 8, 8), "big"), 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise Corrupt(f"box {box_type!r} of {size} bytes at {pos}")
        yield box_type, pos + header, pos + size
        pos += size
