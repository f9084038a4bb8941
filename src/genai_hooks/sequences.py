"""Frame sequences: the findings of one rule on the frames of one sequence become one finding."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import replace

from .findings import Finding
from .patterns import PatternError, compile_pattern
from .snapshot import Snapshot

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


def group_sequences(findings: Iterable[Finding]) -> list[Finding]:
    groups: dict[tuple[object, ...], list[tuple[int, Finding]]] = {}
    single: list[Finding] = []
    for finding in findings:
        parts = split_frame(finding.path) if finding.line is None else None
        if parts is None:
            single.append(finding)
            continue
        head, frame, ext = parts
        key = (finding.rule, finding.severity, finding.message, finding.manifest, finding.manifest_line, head, ext)
        groups.setdefault(key, []).append((frame, finding))
    for group_key, members in groups.items():
        if len(members) == 1:
            single.append(members[0][1])
            continue
        members.sort(key=lambda m: m[0])
        first = members[0][1]
        head, ext = str(group_key[5]), str(group_key[6])
        frames = [frame for frame, _ in members]
        name = f"{posixpath.basename(head)}[{frame_ranges(frames)}]{ext}"
        single.append(replace(
            first,
            message=f"{name}, {len(members)} frames: {first.message}",
            files=tuple(f.path for _, f in members),
        ))
    return single


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
