"""Deliverable timelines (SPEC §7, §9): generated clips (GAI302), unreadable cuts (GAI304), references that
cannot be mapped (GAI305). An unread cut cannot be cleared, so it fails closed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import editorial, provenance
from .chains import ManifestSet, directory_of
from .content import ContentReader, Unavailable
from .derived import Derivation
from .detect import Detector, describe
from .findings import ClipUse, Evidence, Finding, Note, Strength
from .manifest import GeneratedEntry
from .policy import coverage, make
from .sequences import expand_frames, frame_ranges, prefetch_frames, sample_frame, split_frame
from .snapshot import Snapshot

TIMELINE_LIMIT = 64 << 20
BUNDLE_LIMIT = 256 << 20  # an .otioz carries its media: it is read whole, so it is bounded apart
_FIRST_SHOWN = 3

# the suffixes in lower case, for Snapshot.with_extensions; is_timeline lowercases the path, so any case matches
TIMELINE_SUFFIXES = frozenset(editorial.TIMELINE_SUFFIXES)


def is_timeline(path: str) -> bool:
    """Named like a timeline, in any case (`CUT.EDL`, `cut.Otio`)."""
    return path.lower().endswith(editorial.TIMELINE_SUFFIXES)


DECLARED, DETECTED, DERIVED = "declared", "detected", "derived"  # why a clip's media is generated


@dataclass(frozen=True)
class GeneratedUse:
    """One clip's generated media, for one reason: GAI302 unless approved; the report lists them all."""

    clip: str
    record_in: str
    media: tuple[str, ...]
    reason: str
    evidence: tuple[Evidence, ...]
    source: str  # declared | detected | derived
    entry: GeneratedEntry | None  # the entry that declares the media (declared only)
    approved: bool  # approved for final-deliverable; detected and derived media never are
    record_out: str = ""  # timecode just past the clip's last frame, "" when unknown


@dataclass
class _Generated:
    """One generated media (a sequence counts as one) that a timeline uses for one reason: one GAI302."""

    evidence: tuple[Evidence, ...]
    paths: dict[str, None] = field(default_factory=dict)
    clips: list[ClipUse] = field(default_factory=list)


@dataclass
class _Media:
    """The media of one clip that is generated for one reason, as found."""

    source: str
    entry: GeneratedEntry | None
    approved: bool
    paths: list[str]


@dataclass
class _Unseen:
    """What a timeline references that cannot be judged: unmapped references, media not in the snapshot."""

    unmapped: dict[str, None]
    missing: dict[str, None]


def _display(media: tuple[str, ...]) -> str:
    if len(media) == 1:
        return media[0]
    parts = split_frame(media[0])
    if parts is None:
        return f"{media[0]} (+{len(media) - 1} more)"
    frames = [p[1] for p in (split_frame(m) for m in media) if p is not None]
    return f"{parts[0]}[{frame_ranges(frames)}]{parts[2]} ({len(media)} frames)"


def _media_name(path: str) -> str:
    """What makes frames one media: the sequence's name without its frame number, else the path."""
    parts = split_frame(path)
    return path if parts is None else f"{parts[0]}#{parts[2]}"


def _frame_order(path: str) -> tuple[int, str]:
    parts = split_frame(path)
    return (parts[1] if parts is not None else 0, path)


def _record_order(clip: ClipUse) -> tuple[int, ...]:
    """Timeline order: by record timecode, hours past 24 included; a negative timecode comes first."""
    numbers = tuple(int(n) for n in re.findall(r"\d+", clip.record_in))
    return (0, *(-n for n in numbers)) if clip.record_in.startswith("-") else (1, *numbers)


def _first(items: Mapping[str, None]) -> str:
    shown = ", ".join(repr(i) for i in list(items)[:_FIRST_SHOWN])
    return shown + (f" and {len(items) - _FIRST_SHOWN} more" if len(items) > _FIRST_SHOWN else "")


class TimelineJudge:
    """Judges deliverable timelines against the snapshot, the manifests and what the detector knows."""

    def __init__(self, snapshot: Snapshot, manifests: ManifestSet, content: ContentReader, detector: Detector,
                 as_of: datetime.date, derived: Mapping[str, Derivation]) -> None:
        self.snapshot = snapshot
        self.manifests = manifests
        self.content = content
        self.detector = detector
        self.as_of = as_of
        self.derived = derived
        self.findings: list[Finding] = []
        self.notes: list[Note] = []
        # each timeline read -> all its generated uses, approved ones included (what the report lists)
        self.uses: dict[str, list[GeneratedUse]] = {}

    def judge(self, timelines: list[str]) -> None:
        bundles = [t for t in timelines if t.lower().endswith(".otioz")]
        texts = self.content.read_resolved([t for t in timelines if t not in bundles], TIMELINE_LIMIT)
        texts.update(self.content.read_resolved(bundles, BUNDLE_LIMIT))
        for timeline in timelines:
            data = texts.get(timeline)
            if isinstance(data, Unavailable) or data is None:
                self._add("GAI304", timeline, f"timeline could not be read: {data.reason if data else 'missing'}")
                continue
            clips = self._read(timeline, data)
            if clips is not None:
                self._judge_clips(timeline, data, clips)

    def _add(self, rule: str, timeline: str, message: str, evidence: tuple[Evidence, ...] = (),
             subject: str | None = None, clips: tuple[ClipUse, ...] = ()) -> None:
        finding = make(self.manifests, rule, directory_of(timeline), timeline, None, message, None, None)
        if finding is not None:
            self.findings.append(Finding(finding.rule, finding.severity, finding.path, finding.line, finding.message,
                                         finding.fix, finding.manifest, finding.manifest_line, (timeline,),
                                         evidence, subject, None, clips))

    def _read(self, timeline: str, data: bytes) -> tuple[editorial.ClipReference, ...] | None:
        """The clips, read under the nearest declared frame rate, else any other the chain declares (EDL
        timecodes need one); a cut that reads under none is GAI304, never a pass."""
        _, rates = self.manifests.editorial(directory_of(timeline))
        first_error: str | None = None
        for rate in dict.fromkeys(rates or [24.0]):
            try:
                return editorial.read_timeline(timeline, data, rate=rate)
            except editorial.TimelineUnreadable as error:
                first_error = first_error or str(error)
                if not timeline.lower().endswith(".edl"):
                    break  # other formats carry their own rates
        self._add("GAI304", timeline, f"timeline could not be read safely: {first_error}")
        return None

    def _judge_clips(self, timeline: str, data: bytes, clips: tuple[editorial.ClipReference, ...]) -> None:
        mappings, _ = self.manifests.editorial(directory_of(timeline))
        mapped: dict[str, list[str]] = {}  # each distinct reference -> the repository paths it names, mapped once
        for clip in clips:
            for target in clip.targets:
                if target not in mapped:
                    mapped[target] = editorial.map_everywhere(target, timeline_path=timeline, mappings=mappings)
        prefetch_frames(self.snapshot, (c for candidates in mapped.values() for c in candidates))
        unseen = _Unseen({}, {})
        embedded = self._embedded(timeline, data, mapped)
        recorded = self.uses.setdefault(timeline, [])
        generated: dict[tuple[str, str], _Generated] = {}  # (media, reason) -> its paths and the clips using it
        for clip in clips:
            for use in self._uses(clip, mapped, unseen, embedded):
                recorded.append(use)
                if use.approved:
                    continue
                by_name: dict[str, list[str]] = {}
                for path in use.media:
                    by_name.setdefault(_media_name(path), []).append(path)
                for name, paths in by_name.items():
                    media = generated.setdefault((name, use.reason), _Generated(use.evidence))
                    media.paths.update(dict.fromkeys(paths))
                    media.clips.append(ClipUse(use.clip, use.record_in, use.record_out))
        for (_, reason), media in generated.items():
            self._generated(timeline, reason, media)
        if unseen.unmapped:
            self._add("GAI305", timeline, f"{len(unseen.unmapped)} media reference(s) cannot be mapped into the "
                      f"repository, so their clips are not cleared: {_first(unseen.unmapped)}")
        if unseen.missing:
            self.notes.append(Note(timeline, f"{len(unseen.missing)} media file(s) the cut uses are not in the "
                                             f"snapshot and no [[generated]] pattern names them: "
                                             f"{_first(unseen.missing)}"))

    def _generated(self, timeline: str, reason: str, media: _Generated) -> None:
        """One GAI302 for one generated media of the timeline: how many clips use it, the first, and every use."""
        uses = tuple(sorted(media.clips, key=_record_order))
        shown = _display(tuple(sorted(media.paths, key=_frame_order)))
        first = uses[0]
        if len(uses) == 1:
            message = f"clip '{first.name}' at {first.record_in} uses {shown}: {reason}"
        else:
            message = f"{len(uses):,} clips use {shown}, the first '{first.name}' at {first.record_in}: {reason}"
        self._add("GAI302", timeline, message, media.evidence, shown, uses)

    def _uses(self, clip: editorial.ClipReference, mapped: Mapping[str, list[str]], unseen: _Unseen,
              embedded: Mapping[str, provenance.Inspection]) -> list[GeneratedUse]:
        by_reason: dict[tuple[str, tuple[Evidence, ...]], _Media] = {}
        media: dict[str, None] = {}
        for target in clip.targets:
            candidates = mapped[target]
            if not candidates:
                unseen.unmapped[target] = None
                continue
            found = False
            for candidate in candidates:
                files = expand_frames(self.snapshot, candidate)
                media.update(dict.fromkeys(files))
                found = found or bool(files) or candidate in embedded
                if not files and candidate not in embedded:
                    entry = self.manifests.winning_entry(sample_frame(candidate))
                    if entry is not None:  # named by a [[generated]] pattern, committed or not
                        found = True
                        self._declared(entry, candidate, by_reason)
            if not found:
                unseen.missing[candidates[0]] = None
        entries: dict[str, GeneratedEntry | None] = {}  # each media path's winning entry, looked up once
        for path in media:
            entry = entries[path] = self.manifests.winning_entry(path)
            if entry is not None:
                self._declared(entry, path, by_reason)
            elif path in self.derived:
                why = self.derived[path]
                by_reason.setdefault((f"derived from generated media ({why.message()})",
                                      (Evidence("derived", Strength.STRONG, why.message()),)),
                                     _Media(DERIVED, None, False, [])).paths.append(path)
        undeclared = [m for m in media if entries[m] is None and m not in self.derived]
        inspected = dict(self.detector.inspect([m for m in undeclared if self.detector.wants(m) or
                                                m in self.detector.lineage]))
        inspected.update((m, embedded[m]) for target in clip.targets for m in mapped[target] if m in embedded)
        for path, inspection in inspected.items():
            strong = tuple(e for e in inspection.evidence if e.strength in (Strength.STRONG, Strength.MEDIUM))
            entry = entries[path] if path in entries else self.manifests.winning_entry(path)
            if strong and entry is None:
                by_reason.setdefault((f"undeclared generated media ({describe(strong[0])})", strong),
                                     _Media(DETECTED, None, False, [])).paths.append(path)
        return [GeneratedUse(clip.clip, clip.record_in, tuple(found.paths), reason, evidence, found.source,
                             found.entry, found.approved, clip.record_out)
                for (reason, evidence), found in by_reason.items()]

    def _declared(self, entry: GeneratedEntry, path: str,
                  by_reason: dict[tuple[str, tuple[Evidence, ...]], _Media]) -> None:
        approved = coverage(self.manifests, entry, True, self.as_of).approved_final
        verdict = "approved for final-deliverable" if approved else "and not approved for final-deliverable"
        key = (f"generated with '{entry.tool}' ({entry.manifest}:{entry.line}) {verdict}",
               (Evidence("declared", Strength.STRONG, f"{entry.manifest}:{entry.line} tool '{entry.tool}'"),))
        by_reason.setdefault(key, _Media(DECLARED, entry, approved, [])).paths.append(path)

    def _embedded(self, timeline: str, data: bytes,
                  mapped: Mapping[str, list[str]]) -> dict[str, provenance.Inspection]:
        """Media inside an .otioz bundle, sniffed from its first bytes (path -> inspection)."""
        if not timeline.lower().endswith(".otioz"):
            return {}
        inside = {c[len(timeline) + 1:]: c for candidates in mapped.values() for c in candidates
                  if c.startswith(timeline + "/")}
        if not inside:
            return {}
        try:
            members = editorial.bundle_members(data, list(inside), provenance.MAX_READ)
        except editorial.TimelineUnreadable as error:
            self._add("GAI304", timeline, f"bundle could not be read safely: {error}")
            return {}
        out: dict[str, provenance.Inspection] = {}
        for member, head in members.items():
            inspection = provenance.inspect(member, provenance.BytesSource(head))
            if len(head) >= provenance.MAX_READ and not inspection.evidence:
                inspection = provenance.Inspection((), "embedded media larger than the read budget")
            if inspection.uninspected:
                self._add("GAI303", timeline, f"media {member} inside the bundle could not be inspected: "
                          f"{inspection.uninspected}")
            out[inside[member]] = inspection
        return out


def judge_timelines(timelines: list[str], snapshot: Snapshot, manifests: ManifestSet, content: ContentReader,
                    detector: Detector, as_of: datetime.date, derived: Mapping[str, Derivation] | None = None
                    ) -> TimelineJudge:
    """GAI302/GAI304/GAI305 findings and notes, and every generated use of each timeline read (approved too)."""
    judge = TimelineJudge(snapshot, manifests, content, detector, as_of, derived or {})
    judge.judge(timelines)
    return judge
