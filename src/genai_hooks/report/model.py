"""What the disclosure report says: frozen records that the renderers only lay out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..chains import Invalid
from ..findings import Finding, Note, Severity, count
from ..manifest import Approval, GeneratedEntry, ModelEntry, Tool

# The state of one approval on the as-of date (register) or of one id an entry cites.
VALID, EXPIRING, EXPIRED, UNKNOWN = "valid", "expiring", "expired", "unknown"
UNSIGNED = "signature invalid"  # signatures are required and this approval's does not hold (GAI213): it covers nothing
# The approval status of one [[generated]] entry as a whole.
NOT_NEEDED, MISSING, COVERED, NOT_COVERED = "not needed", "missing", "covered", "not covered"


@dataclass(frozen=True)
class SnapshotRecord:
    label: str  # "index" or the commit sha, as `run` reports it
    commit: str | None  # the commit described: --rev, or HEAD under the index (None before a first commit)
    index: bool
    staged_changes: bool | None  # index only: does it differ from HEAD? (None: unknown or no HEAD)


@dataclass(frozen=True)
class ProductionRecord:
    """One root manifest: the production it declares and the scope it governs."""

    manifest: str
    scope: str  # the root manifest's directory ("" for the repository root)
    line: int | None  # of [production]; None when the root declares none
    title: str | None
    contact: str | None
    approval_pattern: str | None
    register: bool  # does it keep an [[approvals]] register?
    kind: str | None = None  # fiction | documentary | unscripted | animation; None: not declared


@dataclass(frozen=True)
class Use:
    """How much material something accounts for, over the whole snapshot."""

    files: int = 0
    deliverable_files: int = 0
    bytes: int = 0
    lfs_files: int = 0  # files stored as Git LFS pointers (their media size is counted)
    archival_files: int = 0  # files where they would be taken for real: [archival] paths, documentary deliverables


@dataclass(frozen=True)
class FileGroup:
    """Files shown as one: a frame sequence (paths equal but for the frame number), or a single file."""

    path: str  # repository path of the sequence's first frame, or of the file
    frames: int  # files in the group: 1 for a single file
    range: str | None  # the frame ranges ("1001-1012"); None for a single file
    shown: str  # how a person reads it: "sky/sky_v003.[1001-1012].exr", or the path


@dataclass(frozen=True)
class ToolRecord:
    tool: Tool
    entries: int
    use: Use


@dataclass(frozen=True)
class CitedApproval:
    id: str
    state: str  # valid | expiring | expired | unknown
    approval: Approval | None  # the register's record, when there is one
    register: bool  # False: the production keeps no register, so the id is accepted unchecked


@dataclass(frozen=True)
class EntryRecord:
    entry: GeneratedEntry
    tool: Tool | None  # None: the entry names a tool its chain does not declare (GAI106)
    use: Use
    patterns: tuple[str, ...]  # its patterns written from the repository root
    file_groups: tuple[FileGroup, ...]  # the files it wins, frame sequences grouped, by path
    needs: tuple[str, ...]  # categories needed approved: final-deliverable, sensitive ones, archival, from inputs
    uncovered: tuple[str, ...]  # of `needs`, what no current approval covers
    approvals: tuple[CitedApproval, ...]
    status: str  # not needed | missing | covered | not covered
    # the files shown to an audience as people or as real (GAI214), frame sequences grouped; the entry's
    # `disclosure` (None: missing) says how the audience is told
    to_disclose: tuple[FileGroup, ...] = ()


@dataclass(frozen=True)
class ModelRecord:
    """A [[models]] entry: the weights it declares, what they were made from and trained on, and approval."""

    entry: ModelEntry
    tool: Tool | None  # None: no tool named, or one its chain does not declare (GAI106)
    use: Use
    patterns: tuple[str, ...]  # its patterns written from the repository root
    file_groups: tuple[FileGroup, ...]
    needs: tuple[str, ...]  # approval categories its training needs (talent-likeness, third-party-ip, ...)
    uncovered: tuple[str, ...]
    approvals: tuple[CitedApproval, ...]
    status: str  # not needed | missing | covered | not covered


@dataclass(frozen=True)
class ArchivalRecord:
    """Where one manifest says material presented as real lives ([archival])."""

    manifest: str
    line: int | None
    paths: tuple[str, ...]  # as written, relative to the manifest's directory
    patterns: tuple[str, ...]  # the same, written from the repository root


@dataclass(frozen=True)
class ApprovalRecord:
    approval: Approval
    manifest: str  # the root manifest whose register holds it
    state: str  # valid | expiring | expired
    days_left: int | None  # until `expires` (negative once expired); None when it does not expire
    used_by: tuple[GeneratedEntry | ModelEntry, ...]
    pinned: int = 0  # files genai.lock pins for it (0: it names no content)
    drifted: tuple[str, ...] = ()  # pinned paths whose content in the snapshot is no longer the pinned blob
    verified: bool | None = None  # its signature holds (None: the production does not require signatures)
    signature_problem: str = ""  # why it does not, when it does not


@dataclass(frozen=True)
class ClipRecord:
    """One clip of a deliverable timeline whose media is generated, for one reason."""

    clip: str
    record_in: str  # timecode of its first frame on the timeline
    media: tuple[FileGroup, ...]
    source: str  # declared | detected | derived
    entry: GeneratedEntry | None  # declared: the entry that declares the media
    approved: bool  # approved for final-deliverable (detected and derived media never are)
    approvals: tuple[CitedApproval, ...]  # declared: what its entry cites, with their states
    evidence: str | None  # detected or derived: why the media is generated


@dataclass(frozen=True)
class TimelineRecord:
    """A deliverable timeline and the clips of it that use generated media, in timeline order."""

    path: str
    readable: bool  # False: it could not be read (GAI304), so its clips are unknown
    clips: tuple[ClipRecord, ...]


@dataclass(frozen=True)
class WithdrawalRecord:
    """Files a base entry declared generated that are still here, undeclared or short of a category (GAI205)."""

    file_groups: tuple[FileGroup, ...]
    entry: GeneratedEntry  # the entry that declared them at the base
    patterns: tuple[str, ...]  # its patterns, written from the repository root
    now: GeneratedEntry | None  # the entry that declares them now; None: no entry does
    lost: tuple[str, ...]  # sensitive categories declared at the base and not now
    changed: bool  # their content changed since the base (GAI205 is then a warning)

    @property
    def files(self) -> int:
        return sum(g.frames for g in self.file_groups)


@dataclass(frozen=True)
class Withdrawals:
    """What `--since BASE` compared: the merge base, and the declarations withdrawn since."""

    since: str  # BASE as given
    base: str | None  # the merge base of BASE and the snapshot; None before the first commit
    records: tuple[WithdrawalRecord, ...]

    @property
    def files(self) -> int:
        return sum(r.files for r in self.records)


@dataclass(frozen=True)
class RuleGroup:
    rule: str
    name: str
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.WARNING)


@dataclass(frozen=True)
class Report:
    version: str  # genai-hooks version
    as_of: datetime.date
    snapshot: SnapshotRecord
    files: int  # files in the snapshot
    productions: tuple[ProductionRecord, ...]
    tools: tuple[ToolRecord, ...]
    entries: tuple[EntryRecord, ...]
    approvals: tuple[ApprovalRecord, ...]
    rule_groups: tuple[RuleGroup, ...]
    invalid_manifests: tuple[Invalid, ...]
    notes: tuple[Note, ...]
    models: tuple[ModelRecord, ...] = ()
    archival: tuple[ArchivalRecord, ...] = ()
    undeclared_models: int = 0  # model files no [[models]] entry declares (GAI501 findings)
    timelines: tuple[TimelineRecord, ...] = ()  # deliverable timelines, by path
    withdrawals: Withdrawals | None = None  # None: no --since, so nothing to compare with
    acknowledged: tuple[RuleGroup, ...] = ()  # findings an [[acknowledged]] entry accepts, by rule
    unchecked_approvals: int = 0  # files admitted by approvals kept outside the repository ([policy] approvals)
    detected_deliverable_files: int = 0  # generated by their metadata or lineage (GAI301), in deliverable paths
    derived_deliverable_files: int = 0  # written by comps from generated media (GAI208), in deliverable paths

    @property
    def complete(self) -> bool:
        return not self.invalid_manifests

    @property
    def generated(self) -> Use:
        return Use(sum(e.use.files for e in self.entries), sum(e.use.deliverable_files for e in self.entries),
                   sum(e.use.bytes for e in self.entries), sum(e.use.lfs_files for e in self.entries),
                   sum(e.use.archival_files for e in self.entries))

    @property
    def errors(self) -> int:
        return sum(g.errors for g in self.rule_groups)

    @property
    def ready(self) -> bool:
        """Ready for delivery: no open error (an unreadable manifest is one, GAI001)."""
        return self.errors == 0 and self.complete

    @property
    def generated_in_deliverables(self) -> int:
        """Generated files in deliverable paths, however known: declared, detected or derived."""
        return (self.generated.deliverable_files + self.detected_deliverable_files
                + self.derived_deliverable_files)

    @property
    def warnings(self) -> int:
        return sum(g.warnings for g in self.rule_groups)

    @property
    def expiring(self) -> tuple[ApprovalRecord, ...]:
        """Approvals that hold on the as-of date and end within EXPIRING_DAYS, soonest first."""
        return tuple(sorted((a for a in self.approvals if a.state == EXPIRING),
                            key=lambda a: (a.days_left or 0, a.approval.id)))

    @property
    def generated_clips(self) -> int:
        """Clips (a name at a record timecode) that use generated media, over every deliverable timeline."""
        return sum(len({(c.clip, c.record_in) for c in t.clips}) for t in self.timelines)

    @property
    def unapproved_clips(self) -> int:
        return sum(len({(c.clip, c.record_in) for c in t.clips if not c.approved}) for t in self.timelines)

    @property
    def acknowledged_count(self) -> int:
        return sum(len(g.findings) for g in self.acknowledged)

    @property
    def unused_approvals(self) -> tuple[ApprovalRecord, ...]:
        return tuple(a for a in self.approvals if not a.used_by)

    @property
    def title(self) -> str:
        titles = list(dict.fromkeys(p.title for p in self.productions if p.title))
        return " · ".join(titles) if titles else "Untitled production"
