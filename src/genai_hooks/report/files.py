"""Paths as the contact reads them: patterns written from the repository root, files grouped into frame
sequences (the grouping findings use, SPEC §3)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..chains import directory_of
from ..sequences import frame_ranges, split_frame
from .model import FileGroup

_PATTERN_CHARACTERS = re.compile(r"[\\*?\[\]#%$<]")  # what would read as a pattern in a directory name


def repository_patterns(manifest: str, patterns: Iterable[str]) -> tuple[str, ...]:
    """A manifest's patterns joined to its directory, which is escaped so the result still reads as a pattern."""
    directory = _PATTERN_CHARACTERS.sub(lambda m: "\\" + m.group(), directory_of(manifest))
    return tuple(f"{directory}/{p}" if directory else p for p in patterns)


def file_groups(paths: Iterable[str]) -> tuple[FileGroup, ...]:
    """Paths equal but for the frame number (`sky.1001.exr`, `sky_1001.exr`) become one group, by path."""
    sequences: dict[tuple[str, str], list[tuple[int, str]]] = {}
    groups: list[FileGroup] = []
    for path in paths:
        parts = split_frame(path)
        if parts is None:
            groups.append(FileGroup(path, 1, None, path))
        else:
            sequences.setdefault((parts[0], parts[2]), []).append((parts[1], path))
    for (head, extension), members in sequences.items():
        if len(members) == 1:
            groups.append(FileGroup(members[0][1], 1, None, members[0][1]))
            continue
        members.sort()
        ranges = frame_ranges([frame for frame, _ in members])
        groups.append(FileGroup(members[0][1], len(members), ranges, f"{head}[{ranges}]{extension}"))
    return tuple(sorted(groups, key=lambda g: g.path))
