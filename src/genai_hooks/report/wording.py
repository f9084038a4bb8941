"""Words shared by the Markdown and HTML reports: sizes, attestations, states, and their tone."""

from __future__ import annotations

import re

from ..schema import CONSENTED
from .model import (
    COVERED,
    EXPIRED,
    EXPIRING,
    MISSING,
    NOT_COVERED,
    NOT_NEEDED,
    UNKNOWN,
    UNSIGNED,
    VALID,
    ApprovalRecord,
    CitedApproval,
    ClipRecord,
    EntryRecord,
    FileGroup,
    ModelRecord,
    Report,
    SnapshotRecord,
    WithdrawalRecord,
    Withdrawals,
)

# Tones: how a renderer may colour a value. ok = as the guidance wants; warn = look at it; bad = a problem.
OK, WARN, BAD, PLAIN = "ok", "warn", "bad", "plain"
NOT_DECLARED = "not declared"
FINDINGS_PER_RULE = 200  # beyond this only the JSON report lists the rest: a report must stay readable
FILE_GROUPS_PER_ENTRY = 50  # files or frame sequences listed under one entry, for the same reason
CLIPS_PER_TIMELINE = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """One line, control characters shown as escapes (a file name may hold a newline)."""
    return _CONTROL.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def human_size(size: int) -> str:
    """Bytes in binary units, as file browsers on production workstations show them."""
    if size < 1024:
        return plural(size, "byte")
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            return f"{value:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover - the loop always returns


def attestation(value: bool | None) -> tuple[str, str]:
    """trains_on_inputs / retains_inputs: only an explicit false meets principle 2."""
    if value is None:
        return NOT_DECLARED, BAD
    return ("yes", BAD) if value else ("no", OK)


def environment(value: str | None) -> tuple[str, str]:
    if value is None:
        return NOT_DECLARED, WARN
    return value, WARN if value == "consumer" else OK


def declared(value: str | None, missing_tone: str = WARN) -> tuple[str, str]:
    return (value, PLAIN) if value else (NOT_DECLARED, missing_tone)


def cited_state(cited: CitedApproval) -> tuple[str, str]:
    """One approval id an entry cites, as the contact should read it."""
    if cited.state == UNKNOWN:
        return "unknown (not in the register or not a valid id)", BAD
    if cited.state == UNSIGNED:
        return "signature invalid: covers nothing", BAD
    if not cited.register:
        return "accepted unchecked (kept outside the repository)", WARN
    expires = cited.approval.expires if cited.approval is not None else None
    if cited.state == EXPIRED:
        return f"expired {expires}", BAD
    if cited.state == EXPIRING:
        return f"valid, expires {expires}", WARN
    return ("valid" + (f" until {expires}" if expires else "")), OK


def entry_status(record: EntryRecord | ModelRecord) -> tuple[str, str]:
    if record.status == NOT_NEEDED:
        return "not needed", PLAIN
    if record.status == MISSING:
        return f"missing: needed for {', '.join(record.needs)}", BAD
    if record.status == NOT_COVERED:
        return f"not covered: {', '.join(record.uncovered)}", BAD
    assert record.status == COVERED
    return ("covers " + ", ".join(record.needs) if record.needs else "cited"), OK


def consent(record: ApprovalRecord) -> tuple[str, str] | None:
    """The consent record an approval names; flagged when it covers talent likeness or union work without one
    (GAI211); None when it neither names one nor needs one."""
    a = record.approval
    if a.consent:
        terms = a.consent_terms
        if terms is None or not terms.table:
            return a.consent, PLAIN
        said = [f"scope: {terms.scope}"] if terms.scope else []
        said += [f"represented by {terms.represented_by}"] if terms.represented_by else []
        said += [f"estate: {terms.estate}"] if terms.estate else []
        said += ["a minor"] if terms.minor else []
        return a.consent + (f" ({'; '.join(said)})" if said else ""), PLAIN
    if any(c in CONSENTED for c in a.covers):
        return "not recorded", BAD
    return None


def made_from(record: ModelRecord) -> str:
    """What a model was made from: its base model and the tool that trained or runs it."""
    e = record.entry
    parts = [f"base {e.base}"] if e.base else []
    if e.tool:
        parts.append(f"tool {e.tool}" + (f" ({record.tool.vendor})" if record.tool is not None else
                                         ", which no manifest in its chain declares"))
    return "; ".join(parts)


def unchecked_warning(files: int) -> str:
    return (f"{plural(files, 'generated file')} rely on approvals kept outside the repository "
            '([policy] approvals = "external"): their ids were accepted unchecked, and this report cannot show what '
            "they cover.")


def pins_text(record: ApprovalRecord) -> str:
    """What an approval was given for, and whether the snapshot still holds exactly that."""
    if not record.pinned:
        return "no content pinned (any file its entries declare may cite it)"
    said = f"{plural(record.pinned, 'file')} pinned in genai.lock"
    if record.drifted:
        shown = ", ".join(record.drifted[:3]) + (f" and {len(record.drifted) - 3} more" if len(record.drifted) > 3 else "")
        said += f"; {plural(len(record.drifted), 'file')} changed since: {shown}"
    return said


def signature_text(record: ApprovalRecord) -> tuple[str, str]:
    if record.verified is None:
        return ("not required" + (f" (signed by {record.approval.signed_by})" if record.approval.signed_by else "")), PLAIN
    if record.verified:
        return f"signed by {record.approval.signed_by}, verified", OK
    return f"not valid: {record.signature_problem}", BAD


def approval_state(record: ApprovalRecord) -> tuple[str, str]:
    if record.state == EXPIRED:
        return f"expired ({plural(-(record.days_left or 0), 'day')} ago)", BAD
    if record.state == EXPIRING:
        return f"expires in {plural(record.days_left or 0, 'day')}", WARN
    assert record.state == VALID
    return "valid", OK


def frames(group: FileGroup) -> str:
    """What follows a file group's path: its frame count, for a sequence."""
    return f", {group.frames} frames" if group.range is not None else ""


def more(count: int, noun: str, nouns: str | None = None) -> str:
    return f"… and {plural(count, noun, nouns)}; the JSON report lists every one"


def clip_source(clip: ClipRecord) -> str:
    """Why a clip's media is generated: the entry that declares it, or the evidence found."""
    if clip.entry is not None:
        e = clip.entry
        return f"declared by {e.manifest}:{e.line} (tool {e.tool}" + (f", {e.purpose})" if e.purpose else ")")
    return f"{clip.source}, no entry declares it: {clip.evidence or 'no detail'}"


def clip_approval(clip: ClipRecord) -> tuple[str, str]:
    return ("approved for final-deliverable", OK) if clip.approved else ("not approved for final-deliverable", BAD)


def withdrawal_now(record: WithdrawalRecord) -> str:
    if record.now is None:
        return f"no entry declares {'it' if record.files == 1 else 'them'} now"
    return (f"now declared by {record.now.manifest}:{record.now.line} without "
            f"{', '.join(record.lost)}")


def withdrawal_content(record: WithdrawalRecord) -> tuple[str, str]:
    """GAI205 is an error while the content is unchanged: the same media simply lost its declaration."""
    return ("content changed since the base", WARN) if record.changed else ("content unchanged", BAD)


def since_text(withdrawals: Withdrawals) -> str:
    if withdrawals.base is None:
        return f"since {withdrawals.since}: the snapshot has no history, so nothing was declared before it"
    return f"since the merge base with {withdrawals.since} ({withdrawals.base[:12]})"


# Without --since: (before the command, the command, after it)
NO_BASE = ("Not compared: a single snapshot has no base to compare with.", "genai-hooks report --since BASE",
           "lists the declarations withdrawn since the merge base of BASE (GAI205).")


def expiring_text(record: ApprovalRecord) -> str:
    a = record.approval
    left = "today is its last day" if record.days_left == 0 else f"{plural(record.days_left or 0, 'day')} left"
    return f"expires {a.expires}, {left}; covers {', '.join(a.covers)}"


def snapshot_text(snapshot: SnapshotRecord) -> str:
    if not snapshot.index:
        return f"commit {snapshot.commit}"
    if snapshot.commit is None:
        return "the staged files (index), before any commit"
    if snapshot.staged_changes:
        return f"the staged files (index): commit {snapshot.commit} plus staged changes"
    return f"the staged files (index), identical to commit {snapshot.commit}"


def where(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line is not None else path


def verdict(report: Report) -> str:
    """The answer the contact reads first."""
    return "Ready for delivery" if report.ready else f"Not ready: {plural(max(report.errors, 1), 'open error')}"


def headline(report: Report) -> str:
    """Every generated file in deliverable paths, declared or not."""
    total = report.generated_in_deliverables
    return (f"{plural(total, 'generated file')} in deliverable paths: {report.generated.deliverable_files} "
            f"declared, {report.detected_deliverable_files} detected by their metadata or as copies and not "
            f"declared, {report.derived_deliverable_files} derived from generated media by compositing scripts "
            "and not declared.")


def summary_sentences(report: Report) -> tuple[str, ...]:
    generated = report.generated
    used_tools = sum(1 for t in report.tools if t.entries)
    entries = plural(len(report.entries), "[[generated]] entry", "[[generated]] entries")
    files = (f"{plural(generated.files, 'generated file')} ({generated.deliverable_files} in deliverable paths), "
             f"{human_size(generated.bytes)}, declared by {entries} "
             f"using {used_tools} of {plural(len(report.tools), 'declared tool')}.")
    states = [a.state for a in report.approvals]
    approvals = (f"{plural(len(states), 'approval')} in the register: {states.count(VALID)} valid, "
                 f"{states.count(EXPIRING)} expiring within 30 days, {states.count(EXPIRED)} expired"
                 + (f"; {len(report.unused_approvals)} cited by no entry." if report.unused_approvals else ".")
                 if states else "No approval register is kept.")
    findings = (f"Open findings: {plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}"
                if report.errors or report.warnings else "No open findings")
    acknowledged = report.acknowledged_count
    findings += f"; {acknowledged} acknowledged." if acknowledged else "."
    extra: list[str] = []
    if report.timelines:
        extra.append(f"{plural(report.generated_clips, 'clip')} using generated media in "
                     f"{plural(len(report.timelines), 'deliverable timeline')}, {report.unapproved_clips} not "
                     "approved for final-deliverable.")
    if report.withdrawals is not None:
        extra.append(f"{plural(report.withdrawals.files, 'file')} whose declaration was withdrawn "
                     f"{since_text(report.withdrawals)}.")
    if report.models or report.undeclared_models:
        declared = sum(m.use.files for m in report.models)
        extra.append(f"{plural(len(report.models), '[[models]] entry', '[[models]] entries')} declaring "
                     f"{plural(declared, 'model file')}; {plural(report.undeclared_models, 'model file')} no entry "
                     "declares.")
    if report.archival or generated.archival_files:
        extra.append(f"{plural(generated.archival_files, 'generated file')} where {'it' if generated.archival_files == 1 else 'they'} "
                     "would be taken for real ([archival] paths, documentary deliverables).")
    return (files, *extra, approvals, findings)


def incomplete_warning(report: Report) -> str:
    count = len(report.invalid_manifests)
    return (f"This report is incomplete: {plural(count, 'manifest')} could not be read "
            f"({', '.join(i.path for i in report.invalid_manifests)}), so what "
            f"{'it declares' if count == 1 else 'they declare'} is missing below. Fix the GAI001 findings and "
            "report again.")
