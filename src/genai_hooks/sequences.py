"""Frame sequences: the findings of one rule on the frames of one sequence become one finding."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import replace

from .findings import Finding

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
