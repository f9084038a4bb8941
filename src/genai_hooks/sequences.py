"""Frame sequences: the findings of one rule on the frames of one sequence become one finding."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from .findings import Finding
from .patterns import PatternError, compile_pattern
from .snapshot import Snapshot

T = TypeVar("T")

# A frame token as scripts and timelines write one (Nuke #, printf %04d, Houdini $F4, a UDIM, an EDL range).
FRAME_TOKEN = re.compile(r"#+|%0?\d*d|\$F\d*|<UDIM>|\[[0-9]+-[0-9]+\]")
_PADDED = re.compile(r"#+|%0?\d*d|\$F\d*")
# The digits between a '.' or '_' and the extension: sky.1001.exr, sky_1001.exr (v003 is a version).
_FRAME = re.compile(r"\A(?P<head>.*[._])(?P<frame>-?[0-9]+)(?P<ext>\.[^./]+)\Z", re.DOTALL)


def split_frame(path: str) -> tuple[str, int, str] | None:
    found = _FRAME.match(path)
    if found is None:
        return None
    return found.group("head"), int(found.group("frame")), found.group("ext")


def frame_ranges(frames: list[int], most: int = 4) -> str:
    runs: list[tuple[int, int]] = []
    for frame in sorted(set(frames)):
        if runs and frame == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], frame)
        else:
            runs.append((frame, frame))
    text = ",".join(f"{a}-{b}" if a != b else str(a) for a, b in runs[:most])
    return text + (",…" if len(runs) > most else "")


@dataclass(frozen=True)
class Frames(Generic[T]):
    """Items shown as one: those whose paths are equal but for the frame number, in frame order, or one item."""

    members: list[T]
    frames: list[int]  # the members' frame numbers; empty for a single item
    head: str = ""  # the path before the frame number
    ext: str = ""  # the extension after it

    @property
    def ranges(self) -> str:
        return frame_ranges(self.frames)


def _no_key(_: object) -> None:
    return None


def frame_sequences(items: Iterable[T], path_of: Callable[[T], str | None],
                    key: Callable[[T], Hashable] = _no_key) -> list[Frames[T]]:
    """Items whose paths (`path_of`; None: never a frame) are equal but for the frame number, and equal by `key`,
    become one sequence. The items no sequence holds come first, in order, then each sequence (or lone frame) in
    the order its first frame came; ties in frame number keep their order."""
    sequences: dict[tuple[Hashable, str, str], list[tuple[int, T]]] = {}
    found: list[Frames[T]] = []
    for item in items:
        path = path_of(item)
        parts = split_frame(path) if path is not None else None
        if parts is None:
            found.append(Frames([item], []))
        else:
            sequences.setdefault((key(item), parts[0], parts[2]), []).append((parts[1], item))
    for (_, head, ext), members in sequences.items():
        if len(members) == 1:
            found.append(Frames([members[0][1]], []))
        else:
            members.sort(key=lambda m: m[0])
            found.append(Frames([m for _, m in members], [frame for frame, _ in members], head, ext))
    return found


def group_sequences(findings: Iterable[Finding]) -> list[Finding]:
    grouped: list[Finding] = []
    for sequence in frame_sequences(findings, lambda f: f.path if f.line is None else None,
                                    lambda f: (f.rule, f.severity, f.message, f.manifest, f.manifest_line)):
        first = sequence.members[0]
        if not sequence.frames:
            grouped.append(first)
            continue
        name = f"{posixpath.basename(sequence.head)}[{sequence.ranges}]{sequence.ext}"
        grouped.append(replace(
            first,
            message=f"{name}, {len(sequence.members)} frames: {first.message}",
            files=tuple(f.path for f in sequence.members),
        ))
    return grouped


def _padding(token: str) -> int:
    """The padding a frame token asks for: `####` 4, `%04d` 4, `$F4` 4, `%d` and `$F` 1."""
    if token.startswith("#"):
        return len(token)
    digits = token.strip("%$Fd").lstrip("0")
    return int(digits) if digits.isdigit() else 1


def canonical_frames(path: str) -> str:
    """A path with every frame token written alike (`%04d`), so `sky.####.exr` and `sky.$F4.exr` compare equal."""
    def printf(token: re.Match[str]) -> str:
        width = _padding(token.group(0))
        return f"%0{width}d" if width > 1 else "%d"
    return _PADDED.sub(printf, path)


def sample_frame(path: str) -> str:
    """A path with its frame tokens replaced by a frame number a renderer would write (1001)."""
    return FRAME_TOKEN.sub(lambda t: "1001".zfill(_padding(t.group(0))) if _PADDED.fullmatch(t.group(0))
                           else "1001", path)


def expand_frames(snapshot: Snapshot, path: str) -> list[str]:
    """A repository path, maybe holding frame tokens or an `[1001-1100]` range -> the snapshot files it names."""
    if snapshot.existing([path]):
        return [path]
    directory, _, name = path.rpartition("/")
    if not FRAME_TOKEN.search(name):
        return []
    try:
        pattern = compile_pattern(re.sub(r"\[[0-9]+-[0-9]+\]", "*", name), directory)
    except PatternError:
        return []
    offset = len(directory) + 1 if directory else 0
    return [p for p in snapshot.below(directory) if "/" not in p[offset:] and pattern.matches(p)]


def prefetch_frames(snapshot: Snapshot, paths: Iterable[str]) -> None:
    """Ready `expand_frames` for many paths at once: one lookup of them, one listing of their directories."""
    wanted = list(paths)
    snapshot.prefetch(wanted, {p.rpartition("/")[0] for p in wanted if FRAME_TOKEN.search(p.rpartition("/")[2])})
