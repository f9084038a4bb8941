"""A media reference as a timeline writes it → a path in the repository.

A reference is a `file://` URL, a POSIX or Windows path, or a URL of another scheme. `file://`
URLs are decoded, Windows separators become `/`, the longest matching `path_map` prefix is
replaced by its repository path, and what remains relative resolves against the timeline's
directory — for an `.otioz` bundle, the bundle itself, as if it were one (`media/x.mov` in
`cut.otioz` is `cut.otioz/media/x.mov`). Anything else — another scheme, an unmapped absolute
path, a `..` that climbs above the repository root, a directory — cannot be mapped and yields None.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping

# Two characters or more: "C:" is a Windows drive, not a URL scheme.
_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_URL_DRIVE = re.compile(r"^/[A-Za-z][:|]")  # file:///C:/... and the old file:///C|/...
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def map_reference(target: str, *, timeline_path: str, path_map: Mapping[str, str]) -> str | None:
    """The repository-relative, "/"-separated path `target` names, or None when it cannot be mapped."""
    local = _local_path(target)
    if local is None or local.rsplit("/", 1)[-1] in ("", ".", ".."):
        return None  # nothing, or a directory: no media file
    mapped = _apply_path_map(local, path_map)
    if mapped is not None:
        return _normalise(mapped)
    if _is_absolute(local):
        return None
    return _normalise(reference_directory(timeline_path) + "/" + local)


def map_everywhere(target: str, *, timeline_path: str, mappings: Iterable[tuple[str, str]]) -> list[str]:
    """Every repository path `target` names under one of `mappings` (facility prefix -> repository path),
    or relative to the timeline; empty when it cannot be mapped at all. A reference is judged under every
    mapping that applies, so a nested manifest's mapping never hides what the root's says."""
    found = [m for m in (map_reference(target, timeline_path=timeline_path, path_map={prefix: repository})
                         for prefix, repository in mappings) if m is not None]
    relative = map_reference(target, timeline_path=timeline_path, path_map={})
    if relative is not None:
        found.append(relative)
    return list(dict.fromkeys(found))


def reference_directory(timeline_path: str) -> str:
    """The directory a timeline's relative references resolve against; an `.otioz` is one itself."""
    path = timeline_path.replace("\\", "/")
    return path if path.lower().endswith(".otioz") else posixpath.dirname(path)


def _local_path(target: str) -> str | None:
    """The file path a reference names, "/"-separated, or None for a URL of another scheme."""
    reference = target.strip()
    if not reference or "\x00" in reference:
        return None
    scheme = _URL_SCHEME.match(reference)
    if scheme is not None:
        if scheme.group(1).lower() != "file":
            return None
        reference = _file_url_path(reference[scheme.end():])
    return reference.replace("\\", "/")


def _file_url_path(rest: str) -> str:
    """The path of a file URL after "file:"; `#` and `?` stay in the path, as tools write frame tokens raw."""
    authority = ""
    path = rest
    if rest.startswith("//"):
        slash = rest.find("/", 2)
        authority, path = (rest[2:], "") if slash < 0 else (rest[2:slash], rest[slash:])
    path = _percent_decode(path)
    if _URL_DRIVE.match(path):
        path = path[1] + ":" + path[3:]
    authority = _percent_decode(authority)
    if authority and authority.lower() != "localhost":
        return "//" + authority + path  # a UNC share: \\server\share\...
    return path


def _percent_decode(text: str) -> str:
    """Decode %XX escapes as UTF-8, except control bytes, so a printf frame token (`%04d`) survives."""
    return _PERCENT_RUN.sub(lambda run: _decode_escape_run(run.group(0)), text)


def _decode_escape_run(run: str) -> str:
    pieces = []
    pending = bytearray()
    for index in range(0, len(run), 3):
        escape = run[index:index + 3]
        value = int(escape[1:], 16)
        if value < 0x20 or value == 0x7F:
            pieces.append(_decode_bytes(pending))
            pending = bytearray()
            pieces.append(escape)
        else:
            pending.append(value)
    pieces.append(_decode_bytes(pending))
    return "".join(pieces)


def _decode_bytes(raw: bytearray) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(f"%{byte:02X}" for byte in raw)  # not UTF-8: keep it as written


def _apply_path_map(local: str, path_map: Mapping[str, str]) -> str | None:
    """`local` with its longest matching facility prefix replaced by a repository path, or None."""
    best: tuple[int, str, str] | None = None
    for facility_prefix, repository_path in path_map.items():
        prefix = _local_path(facility_prefix)
        if prefix is None:
            continue
        remainder = _remainder_after(local, prefix)
        if remainder is None:
            continue
        candidate = (len(prefix.rstrip("/")), repository_path, remainder)
        if best is None or candidate[0] > best[0]:
            best = candidate
    if best is None:
        return None
    _, repository_path, remainder = best
    return repository_path.replace("\\", "/") + "/" + remainder


def _remainder_after(local: str, prefix: str) -> str | None:
    """What follows `prefix` in `local` at a directory boundary; Windows prefixes ignore case."""
    directory = prefix.rstrip("/")
    if not directory:
        return local[1:] if prefix and local.startswith("/") else None  # "/" maps every POSIX path
    head = local[:len(directory)]
    if _WINDOWS_DRIVE.match(directory) or directory.startswith("//"):
        same = head.lower() == directory.lower()
    else:
        same = head == directory
    if not same:
        return None
    rest = local[len(directory):]
    if rest and not rest.startswith("/"):
        return None  # "/mnt/show" does not cover "/mnt/showreel"
    return rest[1:]


def _is_absolute(path: str) -> bool:
    return path.startswith(("/", "~")) or _WINDOWS_DRIVE.match(path) is not None


def _normalise(path: str) -> str | None:
    """Collapse `.`, `..` and empty segments; None when `..` climbs above the root or nothing remains."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not segments:
                return None
            segments.pop()
        else:
            segments.append(segment)
    return "/".join(segments) if segments else None
