"""Paths as the contact reads them: patterns written from the repository root, files grouped into frame
sequences (the grouping findings use, SPEC §3)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..chains import directory_of
from ..sequences import frame_sequences
from .model import FileGroup

_PATTERN_CHARACTERS = re.compile(r"[\\*?\[\]#%$<]")  # what would read as a pattern in a directory name


def repository_patterns(manifest: str, patterns: Iterable[str]) -> tuple[str, ...]:
    """A manifest's patterns joined to its directory, which is escaped so the result still reads as a pattern."""
    directory = _PATTERN_CHARACTERS.sub(lambda m: "\\" + m.group(), directory_of(manifest))
    return tuple(f"{directory}/{p}" if directory else p for p in patterns)


def file_groups(paths: Iterable[str]) -> tuple[FileGroup, ...]:
    """Paths equal but for the frame number (`sky.1001.exr`, `sky_1001.exr`) become one group, by path."""
    groups = [FileGroup(s.members[0], len(s.members), s.ranges, f"{s.head}[{s.ranges}]{s.ext}") if s.frames
              else FileGroup(s.members[0], 1, None, s.members[0])
              for s in frame_sequences(sorted(paths), lambda path: path)]  # sorted: a frame's ties by path
    return tuple(sorted(groups, key=lambda g: g.path))
