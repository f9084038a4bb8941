"""Microsoft compound files (MS-CFB), the container of AAF, checked before pyaaf2 reads one.

pyaaf2 trusts the file: a sector chain that loops, a stream that claims more bytes than its
sectors hold, or two streams sharing sectors make it loop, allocate what the file claims, or read
the same bytes again and again. Here every sector and mini sector must belong to one chain at
most, every chain must end inside the file, every stream must fit its chain, and the directory
must be a tree no deeper than MAX_STORAGE_DEPTH. What passes can be read in time and memory
bounded by the file's size.
"""

from __future__ import annotations

import struct
import sys
from array import array

from genai_hooks.editorial.model import TimelineUnreadable

MAX_STORAGE_DEPTH = 100  # storages inside storages; an AAF nests one per object level

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER = struct.Struct("<8s16s5H6x9L")  # up to the DIFAT's first sector and count; its first 109 ids follow
_HEADER_DIFAT = struct.Struct("<109L")
_ENTRY = struct.Struct("<64sHBB3L16sL16sLQ")  # a 128-byte directory entry
_MAX_SECTOR = 0xFFFFFFFA  # larger values are markers: DIFSECT, FATSECT, ENDOFCHAIN, FREESECT, NOSTREAM
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_NO_STREAM = 0xFFFFFFFF
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096
_STORAGE, _STREAM, _ROOT = 1, 2, 5


def _unreadable(reason: str) -> TimelineUnreadable:
    return TimelineUnreadable("not a readable AAF file: " + reason)


class _Sectors:
    """The sectors of one file or mini stream, each handed to one chain at most."""

    def __init__(self, table: array[int], count: int, kind: str) -> None:
        self.table, self.count, self.kind = table, count, kind
        self.used = bytearray(count)

    def claim(self, sector: int) -> None:
        if sector >= self.count:
            raise _unreadable(f"a {self.kind} chain points past the end of the file")
        if self.used[sector]:
            raise _unreadable(f"a {self.kind} is used twice (a loop or shared data)")
        self.used[sector] = 1

    def chain(self, start: int) -> list[int]:
        chain = []
        sector = start
        while sector != _END_OF_CHAIN:
            if sector > _MAX_SECTOR or sector >= len(self.table):
                raise _unreadable(f"a {self.kind} chain is broken")
            self.claim(sector)
            chain.append(sector)
            sector = self.table[sector]
        return chain


def check_compound_file(data: bytes) -> None:
    """Raise TimelineUnreadable unless `data` is a compound file pyaaf2 can read in bounded work."""
    if len(data) < 512 or not data.startswith(_MAGIC):
        raise _unreadable("no compound file header")
    header = _HEADER.unpack_from(data)
    byte_order, sector_shift, mini_shift = header[4], header[5], header[6]
    first_directory, mini_cutoff, first_mini_fat, first_difat, difat_count = (
        header[9], header[11], header[12], header[14], header[15])
    if byte_order != 0xFFFE or sector_shift not in (9, 12) or mini_shift != 6 or mini_cutoff != _MINI_CUTOFF:
        raise _unreadable("unsupported compound file layout")
    sector_size = 1 << sector_shift
    if len(data) % sector_size:
        raise _unreadable("truncated in the middle of a sector")
    sector_count = len(data) // sector_size - 1  # the header fills the first
    sectors = _Sectors(array("I"), sector_count, "sector")
    fat_sectors = _fat_sectors(data, header, sectors, sector_size, first_difat, difat_count)
    fat = _sector_ids(_read_chain(data, fat_sectors, sector_size))
    sectors.table = fat
    if len(fat) < sector_count:
        raise _unreadable("the sector table does not cover the file")
    directory = _read_chain(data, sectors.chain(first_directory), sector_size)
    mini_table = _sector_ids(_read_chain(data, sectors.chain(first_mini_fat), sector_size)
                             if first_mini_fat != _END_OF_CHAIN else b"")
    entries = len(directory) // _ENTRY.size
    if entries == 0:
        raise _unreadable("no directory")
    root = _ENTRY.unpack_from(directory, 0)
    if root[2] != _ROOT:
        raise _unreadable("no root directory entry")
    mini_stream = sectors.chain(root[10]) if root[10] <= _MAX_SECTOR else []
    minis = _Sectors(mini_table, len(mini_stream) * (sector_size // _MINI_SECTOR), "mini sector")
    _check_directory(directory, entries, sectors, minis, sector_size)


def _fat_sectors(data: bytes, header: tuple[int, ...], sectors: _Sectors, sector_size: int,
                 first_difat: int, difat_count: int) -> list[int]:
    """The sectors of the sector table, from the header's list and the DIFAT chain after it."""
    ids_per_sector = sector_size // 4
    needed = -(-sectors.count // ids_per_sector)  # sector-table sectors a file of this size can use
    if difat_count > needed // (ids_per_sector - 1) + 1:
        raise _unreadable("more DIFAT sectors than the file can use")
    listed = list(_HEADER_DIFAT.unpack_from(data, _HEADER.size))
    sector = first_difat
    for _ in range(difat_count):
        if sector > _MAX_SECTOR:
            break  # pyaaf2 stops at a marker too
        sectors.claim(sector)
        offset = (sector + 1) * sector_size
        block = struct.unpack_from(f"<{ids_per_sector}L", data, offset)
        listed.extend(block[:-1])
        sector = block[-1]
    fat_sectors = [sector for sector in listed if sector <= _MAX_SECTOR]
    if not fat_sectors or len(fat_sectors) > needed:
        raise _unreadable("a sector table of the wrong size")
    for sector in fat_sectors:
        sectors.claim(sector)
    return fat_sectors


def _sector_ids(raw: bytes) -> array[int]:
    ids = array("I", raw)  # 32 bits on every platform pyaaf2 runs on; "L" is 64 on some
    if sys.byteorder == "big":
        ids.byteswap()
    return ids


def _read_chain(data: bytes, chain: list[int], sector_size: int) -> bytes:
    return b"".join(data[(sector + 1) * sector_size:(sector + 2) * sector_size] for sector in chain)


def _check_directory(directory: bytes, entries: int, sectors: _Sectors, minis: _Sectors,
                     sector_size: int) -> None:
    """Every entry reachable from the root once, storages at most MAX_STORAGE_DEPTH deep, streams that fit."""
    seen = bytearray(entries)
    seen[0] = 1
    pending = [(_ENTRY.unpack_from(directory, 0)[6], 1)]  # (a storage's child tree, its depth)
    while pending:
        entry_id, depth = pending.pop()
        if entry_id == _NO_STREAM:
            continue
        if entry_id >= entries or seen[entry_id]:
            raise _unreadable("the directory loops or points past its end")
        seen[entry_id] = 1
        entry = _ENTRY.unpack_from(directory, entry_id * _ENTRY.size)
        kind, left, right, child, start, size = entry[2], entry[4], entry[5], entry[6], entry[10], entry[11]
        pending.extend(((left, depth), (right, depth)))
        if kind == _STORAGE:
            if depth >= MAX_STORAGE_DEPTH:
                raise _unreadable(f"storages nested deeper than {MAX_STORAGE_DEPTH}")
            pending.append((child, depth + 1))
        elif kind == _STREAM:
            _check_stream(start, size, sectors, minis, sector_size)
        else:
            raise _unreadable("a directory entry of unknown type")


def _check_stream(start: int, size: int, sectors: _Sectors, minis: _Sectors, sector_size: int) -> None:
    if size == 0:
        return
    if size < _MINI_CUTOFF:
        if len(minis.chain(start)) * _MINI_SECTOR < size:
            raise _unreadable("a stream larger than its sectors")
    elif len(sectors.chain(start)) * sector_size < size:
        raise _unreadable("a stream larger than its sectors")
