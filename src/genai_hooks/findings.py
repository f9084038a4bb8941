"""What a run produces: findings with their evidence, notes, and the run's result."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


class Strength(str, enum.Enum):
    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"


@dataclass(frozen=True)
class Evidence:
    """One sign that generative AI made a file (GAI301) or that a clip uses such a file (GAI302)."""

    kind: str  # e.g. "c2pa", "xmp-digital-source-type", "png-text", "software", "clip"
    strength: Strength
    detail: str


@dataclass(frozen=True)
class ClipUse:
    """One clip of a timeline that uses the media a GAI302 finding is about, with its record timecodes."""

    name: str
    record_in: str
    record_out: str  # "" when the timeline does not say where the clip ends


@dataclass(frozen=True)
class Suppression:
    """An [[acknowledged]] entry that accepts a finding: it stays visible but no longer fails a check."""

    reason: str
    by: str
    manifest: str
    manifest_line: int


@dataclass(frozen=True)
class Finding:
    rule: str  # "GAI201"
    severity: Severity
    path: str  # repository-relative, "/"-separated
    line: int | None
    message: str
    fix: str
    manifest: str | None = None
    manifest_line: int | None = None
    files: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    subject: str | None = None  # what inside the file it is about when no line says (a clip at a timecode)
    suppressed: Suppression | None = None  # acknowledged by the production: shown, never counted
    clips: tuple[ClipUse, ...] = ()  # GAI302: every clip that uses the media, in timeline order

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line if self.line is not None else 0, self.rule, self.message)


@dataclass(frozen=True)
class Note:
    """Something seen that is no finding: an unmappable timeline reference, a path not in the snapshot."""

    path: str
    message: str


@dataclass(frozen=True)
class VersionControl:
    """Where the judged content lives, for formats that say so (SARIF): read only when one asks."""

    repository_uri: str | None  # the remote, without credentials
    branch: str | None  # the branch checked out, when it holds what was judged


@dataclass(frozen=True)
class RunResult:
    snapshot: str  # "index" or a commit sha
    files_checked: int
    findings: tuple[Finding, ...] = ()
    notes: tuple[Note, ...] = field(default=())
    inspected: int = 0  # files whose embedded provenance was read
    uninspected_formats: int = 0  # selected files in formats no reader knows: checked by path, never by content
    unchecked_approvals: int = 0  # files admitted by approvals kept outside the repository ([policy] approvals)
    version_control: VersionControl | None = None

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.WARNING)

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.suppressed is not None)


def count(findings: tuple[Finding, ...], severity: Severity) -> int:
    """Findings of a severity that count: acknowledged ones are shown but never counted."""
    return sum(1 for f in findings if f.severity is severity and f.suppressed is None)
