"""Path text as compositing applications write it: frame tokens, absolute or relative, Fusion path maps.

Nothing here maps into the repository or touches a file system; the caller applies `[editorial]
path_map` and matches frame tokens like those of manifest patterns.
"""

from __future__ import annotations

import re

# Frame tokens a pattern understands: `####` (one digit each), `%04d`, `%d`.
_FRAME_TOKEN = re.compile(r"#+|%0?\d*d")
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:")
# A Fusion path map is a name of two characters or more before ":"; one letter is a Windows drive.
_FUSION_PATH_MAP = re.compile(r"([A-Za-z][A-Za-z0-9_]+):")
_TRAILING_DIGITS = re.compile(r"[0-9]+\Z")
_BRACKET_RANGE = re.compile(r"\[(-?[0-9]+)-(-?[0-9]+)\]")
# Containers that hold every frame in one file: a Saver writes no frame number into their names.
_MOVIE_EXTENSIONS = frozenset((
    "mov", "mp4", "m4v", "mxf", "avi", "mkv", "webm", "mpg", "mpeg", "wmv", "braw", "r3d", "ari",
    "wav", "aif", "aiff", "mp3", "m4a", "gif",
))
_MOVIE_FORMAT_ID = re.compile(r"movie|quicktime|mxf|avi|mp4|wav", re.IGNORECASE)


def has_frame_token(path: str) -> bool:
    return _FRAME_TOKEN.search(path) is not None


def is_absolute(path: str) -> bool:
    """A POSIX, home, UNC or drive path; anything else is relative to a directory."""
    return path.startswith(("/", "\\", "~")) or _WINDOWS_DRIVE.match(path) is not None


def fusion_path_map(path: str) -> tuple[str, str] | None:
    """(path map name, rest) for `Comp:renders/a.exr`; None for a plain path or a drive letter."""
    found = _FUSION_PATH_MAP.match(path)
    if found is None:
        return None
    return found.group(1), path[found.end():]


def fusion_frames(path: str, *, saving: bool, single_frame: bool, format_id: str) -> tuple[str, bool]:
    """(path, is a sequence): a Fusion frame number in the file name becomes a printf token.

    A Saver writes the frame number where the name has digits before the extension, with as many
    digits as written (`sky.0000.exr` → `sky.%04d.exr`), and appends four digits otherwise
    (`sky.exr` → `sky%04d.exr`). A Loader reads the sequence its first file's number starts,
    unless the clip is a single frame (`StartFrame = -1`). Movie containers hold all frames.
    """
    directory, slash, name = _split_name(path)
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, dot, extension = name, "", ""
    if single_frame or _is_movie(extension, format_id) or not name:
        return path, False
    digits = _TRAILING_DIGITS.search(stem)
    if digits is not None:
        count = len(digits.group())
        token = "%d" if count == 1 else f"%0{count}d"
        return directory + slash + stem[:digits.start()] + token + dot + extension, True
    if saving:
        return directory + slash + stem + "%04d" + dot + extension, True
    return path, False


def bracket_range_frames(path: str) -> tuple[str, bool]:
    """DaVinci Resolve names a sequence `sky.[1001-1100].exr`; that becomes `sky.%04d.exr`."""
    found = _BRACKET_RANGE.search(path)
    if found is None:
        return path, False
    width = len(found.group(1).lstrip("-"))
    token = "%d" if width == 1 else f"%0{width}d"
    return path[:found.start()] + token + path[found.end():], True


def _split_name(path: str) -> tuple[str, str, str]:
    cut = max(path.rfind("/"), path.rfind("\\"))
    if cut < 0:
        return "", "", path
    return path[:cut], path[cut], path[cut + 1:]


def _is_movie(extension: str, format_id: str) -> bool:
    return extension.lower() in _MOVIE_EXTENSIONS or _MOVIE_FORMAT_ID.search(format_id) is not None
