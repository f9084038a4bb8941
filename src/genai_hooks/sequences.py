"""Frame sequences: the findings of one rule on the frames of one sequence become one finding."""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from typing import Dict, Iterable, List, Optional, Tuple

from .findings import Finding

# The digits between a '.' or '_' and the extension: sky.1001.exr, sky_1001.exr (v003 is a version).
_FRAME = re.compile(r"\A(?P<head>.*[._])(?P<frame>-?[0-9]+)(?P<ext>\.[^./]+)\Z", re.S)


def split_frame(path: str) -> Optional[Tuple[str, int, str]]:
    found = _FRAME.match(path)
    if found is None:
        return None
    return found.group("head"), int(found.group("frame")), found.group("ext")


def frame_ranges(frames: List[int], most: int = 4) -> str:
    runs: List[Tuple[int, int]] = []
    for frame in sorted(set(frames)):
        if runs and frame == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], frame)
        else:
            runs.append((frame, frame))
    text = ",".join(f"{a}-{b}" if a != b else str(a) for a, b in runs[:most])
    return text + (",…" if len(runs) > most else "")


def group_sequences(findings: Iterable[Finding]) -> List[Finding]:
    groups: Dict[Tuple[object, ...], List[Tuple[int, Finding]]] = {}
    single: List[Finding] = []
    for finding in findings:
        parts = split_frame(finding.path) if finding.line is None else None
        if parts is None:
            single.append(finding)
            continue
        head, frame, ext = parts
        key = (finding.rule, finding.severity, finding.message, finding.manifest, finding.manifest_line, head, ext)
        groups.setdefault(key, []).append((frame, finding))
    for key, members in groups.items():
        if len(members) == 1:
            single.append(members[0][1])
            continue
        members.sort(key=lambda m: m[0])
        first = members[0][1]
        head, ext = str(key[5]), str(key[6])
        frames = [frame for frame, _ in members]
        name = f"{posixpath.basename(head)}[{frame_ranges(frames)}]{ext}"
        single.append(replace(
            first,
            message=f"{name}, {len(members)} frames: {first.message}",
            files=tuple(f.path for _, f in members),
        ))
    return single
