"""A zip archive's central directory, read with bounds: never a member's data, never decompressed."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from genai_hooks.provenance.reader import BoundedReader, BudgetExhausted, Corrupt

EOCD = b"PK\x05\x06"
EOCD_SIZE = 22
MAX_COMMENT = 0xFFFF
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_EOCD = b"PK\x06\x06"
ENTRY = b"PK\x01\x02"
ENTRY_SIZE = 46
LOCAL = b"PK\x03\x04"
LOCAL_SIZE = 30
MAX_MEMBERS = 100_000  # members parsed; a Stable Diffusion checkpoint holds a few thousand


@dataclass(frozen=True)
class ZipMember:
    name: str
    method: int  # 0 stored, 8 deflated...
    compressed_size: int
    size: int
    header_offset: int  # where the member's local header starts


@dataclass(frozen=True)
class CentralDirectory:
    members: tuple[ZipMember, ...]
    declared: int  # how many members the end record declares
    complete: bool  # whether every declared member was read


def central_directory(reader: BoundedReader) -> CentralDirectory:
    """The members listed by the central directory (as many as fit the read budget)."""
    tail_size = min(reader.size, EOCD_SIZE + MAX_COMMENT)
    tail_start = reader.size - tail_size
    tail = reader.read(tail_start, tail_size)
    end = _end_record(tail)
    (_, disk, cd_disk, _, declared, cd_size, cd_offset, _) = struct.unpack("<4s4H2IH", tail[end : end + 22])
    if 0xFFFF in (disk, cd_disk, declared) or 0xFFFFFFFF in (cd_size, cd_offset):
        declared, cd_size, cd_offset = _zip64_end(reader, tail_start + end)
    if cd_offset + cd_size > tail_start + end:
        raise Corrupt(f"central directory of {cd_size} bytes at {cd_offset} overlaps its end record")
    if declared * ENTRY_SIZE > cd_size:
        raise Corrupt(f"{declared} members cannot fit a {cd_size}-byte central directory")
    within = min(cd_size, reader.remaining)
    if within == 0 and cd_size:
        raise BudgetExhausted("no budget left for the central directory")
    members = _entries(reader.read(cd_offset, within), min(declared, MAX_MEMBERS))
    return CentralDirectory(tuple(members), declared, len(members) == declared)


def _end_record(tail: bytes) -> int:
    """The offset in `tail` of the end record whose comment runs exactly to the end of the file."""
    position = tail.rfind(EOCD)
    while position >= 0:
        if position + EOCD_SIZE <= len(tail):
            comment = int.from_bytes(tail[position + 20 : position + 22], "little")
            if position + EOCD_SIZE + comment == len(tail):
                return position
        position = tail.rfind(EOCD, 0, position)
    raise Corrupt("no zip end of central directory record")


def _zip64_end(reader: BoundedReader, end_record: int) -> tuple[int, int, int]:
    if end_record < 20:
        raise Corrupt("zip64 fields without a zip64 locator")
    locator = reader.read(end_record - 20, 20)
    if locator[:4] != ZIP64_LOCATOR:
        raise Corrupt("zip64 fields without a zip64 locator")
    record_offset = int.from_bytes(locator[8:16], "little")
    record = reader.read(record_offset, 56) if record_offset + 56 <= end_record - 20 else b""
    if record[:4] != ZIP64_EOCD:
        raise Corrupt(f"no zip64 end record at {record_offset}")
    declared, cd_size, cd_offset = struct.unpack("<3Q", record[32:56])
    return int(declared), int(cd_size), int(cd_offset)


def _entries(data: bytes, limit: int) -> list[ZipMember]:
    members: list[ZipMember] = []
    position = 0
    while len(members) < limit and position + ENTRY_SIZE <= len(data):
        if data[position : position + 4] != ENTRY:
            raise Corrupt(f"central directory entry {len(members)} has a bad signature")
        fields = struct.unpack("<4s6H3I5H2I", data[position : position + ENTRY_SIZE])
        flags, method = fields[3], fields[4]
        compressed, size = fields[8], fields[9]
        name_length, extra_length, comment_length = fields[10], fields[11], fields[12]
        offset = fields[16]
        name_start = position + ENTRY_SIZE
        following = name_start + name_length + extra_length + comment_length
        if following > len(data):
            break  # the rest lies past the part of the directory read
        raw_name = data[name_start : name_start + name_length]
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        extra = data[name_start + name_length : name_start + name_length + extra_length]
        size, compressed, offset = _zip64_sizes(extra, size, compressed, offset)
        members.append(ZipMember(name, method, compressed, size, offset))
        position = following
    return members


def _zip64_sizes(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    """Sizes and offset from the zip64 extra field (0x0001), for the values saturated at 0xFFFFFFFF."""
    position = 0
    while position + 4 <= len(extra):
        kind, length = struct.unpack("<2H", extra[position : position + 4])
        body = extra[position + 4 : position + 4 + length]
        if kind == 1:
            values = [int.from_bytes(body[i : i + 8], "little") for i in range(0, len(body) - 7, 8)]
            if size == 0xFFFFFFFF and values:
                size = values.pop(0)
            if compressed == 0xFFFFFFFF and values:
                compressed = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
            break
        position += 4 + length
    return size, compressed, offset


def member_data(reader: BoundedReader, member: ZipMember, limit: int) -> bytes:
    """The first `limit` bytes of a stored (uncompressed) member's data."""
    header = reader.read(member.header_offset, LOCAL_SIZE)
    if header[:4] != LOCAL:
        raise Corrupt(f"no local header for {member.name!r} at {member.header_offset}")
    name_length, extra_length = struct.unpack("<2H", header[26:30])
    start = member.header_offset + LOCAL_SIZE + name_length + extra_length
    return reader.read(start, min(member.compressed_size, limit, max(0, reader.size - start)))
