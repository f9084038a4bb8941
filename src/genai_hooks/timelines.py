"""Generated clips cut into deliverable timelines (GAI302); unreadable timelines (GAI303)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from . import editorial
from .chains import ManifestSet, directory_of
from .content import ContentReader
from .detect import Detector, describe
from .findings import Evidence, Finding, Note, Strength
from .policy import coverage, make
from .sequences import expand_frames, frame_ranges, split_frame
from .snapshot import Snapshot

TIMELINE_LIMIT = 64 << 20


# str.endswith on a tuple is fast enough for a million paths; lower, upper and title case cover real names
TIMELINE_SUFFIXES = tuple(sorted({f(s) for s in editorial.TIMELINE_SUFFIXES for f in (str.lower, str.upper, str.title)}))


def is_timeline(path: str) -> bool:
    return path.endswith(TIMELINE_SUFFIXES)


@dataclass(frozen=True)
class _Use:
    """One clip's generated, unapproved media."""

    clip: str
    record_in: str
    media: tuple[str, ...]
    reason: str
    evidence: tuple[Evidence, ...]


def _display(media: tuple[str, ...]) -> str:
    if len(media) == 1:
        return media[0]
    parts = split_frame(media[0])
    if parts is None:
        return f"{media[0]} (+{len(media) - 1} more)"
    frames = [p[1] for p in (split_frame(m) for m in media) if p is not None]
    return f"{parts[0]}[{frame_ranges(frames)}]{parts[2]} ({len(media)} frames)"


def judge_timelines(timelines: list[str], snapshot: Snapshot, manifests: ManifestSet, content: ContentReader,
                    detector: Detector, as_of: datetime.date) -> tuple[list[Finding], list[Note]]:
    findings: list[Finding | None] = []
    notes: list[Note] = []
    texts = content.read_whole(timelines, TIMELINE_LIMIT)
    for timeline in timelines:
        directory = directory_of(timeline)
        data = texts.get(timeline)
        if data is None:
            findings.append(make(manifests, "GAI303", directory, timeline, None,
                                 "timeline could not be read (missing or over 64 MiB)", None, None))
            continue
        path_map, rate = manifests.editorial(directory)
        try:
            clips = editorial.read_timeline(timeline, data, rate=rate or 24.0)
        except editorial.TimelineUnreadable as error:
            findings.append(make(manifests, "GAI303", directory, timeline, None,
                                 f"timeline could not be read safely: {error}", None, None))
            continue
        if clips is None:
            continue
        for use in _generated_uses(timeline, clips, snapshot, manifests, detector, path_map, as_of, notes):
            finding = make(manifests, "GAI302", directory, timeline, None,
                           f"clip '{use.clip}' at {use.record_in} uses {_display(use.media)}: {use.reason}",
                           None, None)
            if finding is not None:
                findings.append(Finding(finding.rule, finding.severity, finding.path, finding.line, finding.message,
                                        finding.fix, finding.manifest, finding.manifest_line, (timeline,),
                                        use.evidence, f"clip '{use.clip}' at {use.record_in}"))
    return [f for f in findings if f is not None], notes


def _generated_uses(timeline: str, clips: tuple[editorial.ClipReference, ...], snapshot: Snapshot,
                    manifests: ManifestSet, detector: Detector, path_map: dict[str, str], as_of: datetime.date,
                    notes: list[Note]) -> list[_Use]:
    uses: list[_Use] = []
    for clip in clips:
        media: list[str] = []
        for target in clip.targets:
            mapped = editorial.map_reference(target, timeline_path=timeline, path_map=path_map)
            if mapped is None:
                notes.append(Note(timeline, f"clip '{clip.clip}': media reference {target!r} cannot be mapped "
                                            "into the repository (add an [editorial] path_map prefix)"))
                continue
            found = expand_frames(snapshot, mapped)
            if not found:
                notes.append(Note(timeline, f"clip '{clip.clip}': media {mapped!r} is not in the snapshot"))
            media.extend(found)
        by_reason: dict[tuple[str, tuple[Evidence, ...]], list[str]] = {}
        undeclared = [m for m in dict.fromkeys(media) if manifests.winning_entry(m) is None]
        inspected = detector.inspect([m for m in undeclared if detector.wants(m)]) if detector.enabled else {}
        for path in dict.fromkeys(media):
            key: tuple[str, tuple[Evidence, ...]]
            entry = manifests.winning_entry(path)
            if entry is not None:
                if coverage(manifests, entry, True, as_of).approved_final:
                    continue
                key = ((f"generated with '{entry.tool}' ({entry.manifest}:{entry.line}) and not approved "
                       "for final-deliverable"),
                       (Evidence("declared", Strength.STRONG, f"{entry.manifest}:{entry.line} tool '{entry.tool}'"),))
            else:
                inspection = inspected.get(path)
                strong = tuple(e for e in (inspection.evidence if inspection else ())
                               if e.strength in (Strength.STRONG, Strength.MEDIUM))
                if not strong:
                    continue
                key = (f"undeclared generated media ({describe(strong[0])})", tuple(strong))
            by_reason.setdefault(key, []).append(path)
        for (reason, evidence), paths in by_reason.items():
            uses.append(_Use(clip.clip, clip.record_in, tuple(paths), reason, evidence))
    return uses
