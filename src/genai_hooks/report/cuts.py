"""Where generated media sits in each deliverable timeline, as the audit read it: every generated use, approved
ones included (the audit reports only the unapproved ones, as GAI302)."""

from __future__ import annotations

from collections.abc import Mapping

from ..detect import describe
from ..runner import Outcome
from ..timelines import DECLARED, DERIVED, GeneratedUse, is_timeline
from .files import file_groups
from .model import ClipRecord, EntryRecord, TimelineRecord


def timeline_records(outcome: Outcome, entries: Mapping[int, EntryRecord]) -> tuple[TimelineRecord, ...]:
    """Each deliverable timeline with its generated clips; `entries`: id of an entry -> its record."""
    manifests, uses = outcome.manifests, outcome.clip_uses
    unread = {f.path for f in outcome.result.findings if f.rule == "GAI304"}
    records = []
    for timeline in outcome.snapshot.paths:
        if not is_timeline(timeline) or not manifests.is_deliverable(timeline):
            continue
        if timeline in uses:
            records.append(TimelineRecord(timeline, True, tuple(_clip(u, entries) for u in uses[timeline])))
        elif timeline in unread:  # otherwise it is no timeline at all (an .xml of another kind)
            records.append(TimelineRecord(timeline, False, ()))
    return tuple(records)


def _clip(use: GeneratedUse, entries: Mapping[int, EntryRecord]) -> ClipRecord:
    record = entries.get(id(use.entry)) if use.entry is not None else None
    return ClipRecord(use.clip, use.record_in, file_groups(use.media), use.source, use.entry, use.approved,
                      record.approvals if record is not None else (),
                      _evidence(use))


def _evidence(use: GeneratedUse) -> str | None:
    """Why undeclared media is generated: the derivation, or the evidence found in it (kind named)."""
    if use.source == DECLARED or not use.evidence:
        return None
    return use.evidence[0].detail if use.source == DERIVED else describe(use.evidence[0])
