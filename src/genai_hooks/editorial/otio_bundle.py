""".otioz bundles: a zip holding `content.otio`, `version.txt` and the media under `media/`.

The zip is hostile input. Before any member is decompressed the archive must be one zip on one
"disk", with at most MAX_BUNDLE_MEMBERS members listed in at most MAX_CENTRAL_DIRECTORY bytes, no
encrypted member, no name that is absolute or climbs with `..`, no name twice, and no two members
sharing bytes (the overlapping-file zip bomb). A member is never decompressed beyond what is asked
for, and none may claim a compression ratio above MAX_COMPRESSION_RATIO. A `.otiod` bundle is a
directory: its `content.otio` is an ordinary `.otio` file.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterable

from genai_hooks.editorial.model import MAX_TIMELINE_BYTES, TimelineUnreadable, short_reason

CONTENT_MEMBER = "content.otio"  # where OpenTimelineIO's otioz adapter writes the timeline
MAX_BUNDLE_MEMBERS = 10_000
MAX_CENTRAL_DIRECTORY = 4 * 1024 * 1024  # zipfile builds an object per listed member
MAX_COMPRESSION_RATIO = 1_000  # deflate tops out near 1,030:1; more is bzip2/LZMA bombs or lying sizes

_END = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_ENCRYPTED = 0x1
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def otioz_content(data: bytes) -> bytes:
    """The bytes of the bundle's `content.otio`, at most MAX_TIMELINE_BYTES of them."""
    content = read_member(data, CONTENT_MEMBER, MAX_TIMELINE_BYTES + 1)
    if content is None:
        raise TimelineUnreadable(f"OpenTimelineIO bundle without {CONTENT_MEMBER}")
    if len(content) > MAX_TIMELINE_BYTES:
        raise TimelineUnreadable(
            f"{CONTENT_MEMBER} larger than {MAX_TIMELINE_BYTES // (1024 * 1024)} MiB; not read")
    return content


def read_member(data: bytes, member: str, limit: int) -> bytes | None:
    """At most `limit` decompressed bytes of `member`, None when the bundle has no such file."""
    return read_members(data, [member], limit).get(member)


def read_members(data: bytes, members: Iterable[str], limit: int) -> dict[str, bytes]:
    """At most `limit` decompressed bytes of each of `members` the bundle has, the archive checked once."""
    archive = _checked_archive(data)
    by_name = {info.filename.replace("\\", "/"): info for info in archive.infolist() if not info.is_dir()}
    found = {}
    for member in members:
        info = by_name.get(member.replace("\\", "/"))
        if info is None:
            continue
        try:
            with archive.open(info) as stream:
                found[member] = stream.read(max(0, limit))
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError) as error:
            reason = short_reason(error)
            raise TimelineUnreadable(f"bundle member {info.filename} cannot be read: {reason}") from None
    return found


def _checked_archive(data: bytes) -> zipfile.ZipFile:
    directory_start = _check_central_directory(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError) as error:
        raise TimelineUnreadable("not a readable zip archive: " + short_reason(error)) from None
    infos = archive.infolist()
    if len(infos) > MAX_BUNDLE_MEMBERS:
        raise TimelineUnreadable(f"bundle with more than {MAX_BUNDLE_MEMBERS:,} members; not read")
    names = set()
    for info in infos:
        name = info.filename.replace("\\", "/")
        if info.flag_bits & _ENCRYPTED:
            raise TimelineUnreadable(f"bundle member {name} is encrypted; not read")
        if name.startswith("/") or _WINDOWS_DRIVE.match(name) or ".." in name.split("/"):
            raise TimelineUnreadable(f"bundle member name {name!r} points outside the bundle; not read")
        if name in names:
            raise TimelineUnreadable(f"bundle member {name} is listed twice; not read")
        names.add(name)
        if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise TimelineUnreadable(
                f"bundle member {name} claims a compression ratio above {MAX_COMPRESSION_RATIO:,}:1")
    _check_no_overlap(data, infos, directory_start)
    return archive


def _check_central_directory(data: bytes) -> int:
    """Where the central directory starts, once its size and member count are known to be bounded."""
    end = data.rfind(_END_SIGNATURE, max(0, len(data) - _END.size - 0xFFFF))
    if end < 0 or end + _END.size > len(data):
        raise TimelineUnreadable("not a zip archive")
    _, disk, directory_disk, _, members, size, _, _ = _END.unpack_from(data, end)
    directory_end = end
    locator = end - _ZIP64_LOCATOR.size
    if locator >= 0 and data[locator:locator + 4] == b"PK\x06\x07":
        zip64_end = _ZIP64_LOCATOR.unpack_from(data, locator)[2]
        if zip64_end + _ZIP64_END.size > len(data) or data[zip64_end:zip64_end + 4] != b"PK\x06\x06":
            raise TimelineUnreadable("not a readable zip archive: broken zip64 end record")
        fields = _ZIP64_END.unpack_from(data, zip64_end)
        disk, directory_disk, members, size = fields[4], fields[5], fields[7], fields[8]
        directory_end = zip64_end
    if disk != 0 or directory_disk != 0:
        raise TimelineUnreadable("zip archive split over several disks; not read")
    if members > MAX_BUNDLE_MEMBERS:
        raise TimelineUnreadable(f"bundle with more than {MAX_BUNDLE_MEMBERS:,} members; not read")
    if size > MAX_CENTRAL_DIRECTORY:
        raise TimelineUnreadable(f"bundle whose member list exceeds {MAX_CENTRAL_DIRECTORY // 1024:,} KiB")
    return int(directory_end - size)


def _check_no_overlap(data: bytes, infos: list[zipfile.ZipInfo], directory_start: int) -> None:
    """Each member's bytes end before the next member's header: no member reuses another's data.

    zipfile has already added the length of anything before the archive (a self-extracting stub)
    to each `header_offset`.
    """
    ordered = sorted(infos, key=lambda info: info.header_offset)
    for index, info in enumerate(ordered):
        start = info.header_offset
        if start < 0 or start + _LOCAL_HEADER.size > len(data):
            raise TimelineUnreadable(f"bundle member {info.filename} lies outside the archive; not read")
        header = _LOCAL_HEADER.unpack_from(data, start)
        if header[0] != b"PK\x03\x04":
            raise TimelineUnreadable(f"bundle member {info.filename} has no local header; not read")
        end = start + _LOCAL_HEADER.size + header[10] + header[11] + info.compress_size  # name, extra field
        following = ordered[index + 1].header_offset if index + 1 < len(ordered) else directory_start
        if end > following:
            raise TimelineUnreadable(f"bundle members overlap at {info.filename}; not read")
