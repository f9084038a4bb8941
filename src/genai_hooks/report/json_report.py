"""The report as JSON: a stable, versioned shape (docs/report.md documents every field)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from ..manifest import GeneratedEntry
from ..output.json_format import finding_dict
from .model import (
    ApprovalRecord,
    CitedApproval,
    ClipRecord,
    EntryRecord,
    FileGroup,
    ModelRecord,
    Report,
    RuleGroup,
    TimelineRecord,
    ToolRecord,
    Use,
    Withdrawals,
)
from .wording import verdict

REPORT_VERSION = 1


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _use(use: Use) -> dict[str, int]:
    return {"files": use.files, "deliverable_files": use.deliverable_files, "bytes": use.bytes,
            "lfs_files": use.lfs_files}


def _cited(cited: tuple[CitedApproval, ...]) -> list[dict[str, Any]]:
    return [{"id": c.id, "state": c.state, "registered": c.approval is not None} for c in cited]


def _groups(groups: tuple[FileGroup, ...]) -> list[dict[str, Any]]:
    return [{"path": g.path, "frames": g.frames, "range": g.range} for g in groups]


def _where(entry: GeneratedEntry | None) -> dict[str, Any] | None:
    return {"manifest": entry.manifest, "line": entry.line} if entry is not None else None


def _tool(record: ToolRecord) -> dict[str, Any]:
    t = record.tool
    return {
        "id": t.id, "manifest": t.manifest, "line": t.line, "vendor": t.vendor, "product": t.product,
        "trains_on_inputs": t.trains_on_inputs, "retains_inputs": t.retains_inputs, "environment": t.environment,
        "terms": t.terms, "disclosed": _date(t.disclosed), "markers": list(t.markers),
        "entries": record.entries, **_use(record.use),
    }


def _entry(record: EntryRecord) -> dict[str, Any]:
    e, tool = record.entry, record.tool
    return {
        "manifest": e.manifest, "line": e.line, "paths": list(e.paths), "repository_paths": list(record.patterns),
        "tool": e.tool,
        "tool_declaration": {"manifest": tool.manifest, "line": tool.line} if tool is not None else None,
        "purpose": e.purpose, "sensitive": list(e.sensitive), "inputs": list(e.inputs),
        "approval_status": record.status, "needs": list(record.needs), "uncovered": list(record.uncovered),
        "approvals": _cited(record.approvals),
        **_use(record.use), "archival_files": record.use.archival_files,
        "file_groups": _groups(record.file_groups),
        "disclosure": ({"method": e.disclosure.method, "reference": e.disclosure.reference,
                        "reason": e.disclosure.reason} if e.disclosure is not None else None),
        "to_disclose": _groups(record.to_disclose),
    }


def _model(record: ModelRecord) -> dict[str, Any]:
    e, tool = record.entry, record.tool
    return {
        "manifest": e.manifest, "line": e.line, "paths": list(e.paths), "repository_paths": list(record.patterns),
        "tool": e.tool,
        "tool_declaration": {"manifest": tool.manifest, "line": tool.line} if tool is not None else None,
        "base": e.base, "purpose": e.purpose, "trained_on": list(e.trained_on),
        "approval_status": record.status, "needs": list(record.needs), "uncovered": list(record.uncovered),
        "approvals": _cited(record.approvals), **_use(record.use), "file_groups": _groups(record.file_groups),
    }


def _approval(record: ApprovalRecord) -> dict[str, Any]:
    a = record.approval
    return {
        "id": a.id, "manifest": record.manifest, "line": a.line, "covers": list(a.covers), "granted_by": a.granted_by,
        "date": _date(a.date), "expires": _date(a.expires), "consent": a.consent, "union": a.union,
        "consent_terms": ({"scope": a.consent_terms.scope, "represented_by": a.consent_terms.represented_by,
                           "estate": a.consent_terms.estate, "minor": a.consent_terms.minor}
                          if a.consent_terms is not None and a.consent_terms.table else None),
        "state": record.state, "days_left": record.days_left, "pinned_files": record.pinned,
        "changed_since_pinned": list(record.drifted), "signed_by": a.signed_by, "signature_verified": record.verified,
        "signature_problem": record.signature_problem or None,
        "used_by": [{"manifest": e.manifest, "line": e.line} for e in record.used_by],
    }


def _clip(clip: ClipRecord) -> dict[str, Any]:
    return {"clip": clip.clip, "record_in": clip.record_in, "media": _groups(clip.media), "source": clip.source,
            "entry": _where(clip.entry), "approved": clip.approved, "approvals": _cited(clip.approvals),
            "evidence": clip.evidence}


def _timeline(record: TimelineRecord) -> dict[str, Any]:
    return {"path": record.path, "readable": record.readable, "clips": [_clip(c) for c in record.clips]}


def _withdrawals(found: Withdrawals | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"since": found.since, "base": found.base, "files": found.files, "declarations": [
        {"entry": {"manifest": r.entry.manifest, "line": r.entry.line, "paths": list(r.entry.paths),
                   "repository_paths": list(r.patterns), "tool": r.entry.tool, "purpose": r.entry.purpose,
                   "sensitive": list(r.entry.sensitive)},
         "now": _where(r.now), "lost": list(r.lost), "changed": r.changed, "files": r.files,
         "file_groups": _groups(r.file_groups)}
        for r in found.records]}


def _rule_group(group: RuleGroup) -> dict[str, Any]:
    return {"rule": group.rule, "name": group.name, "count": len(group.findings), "errors": group.errors,
            "warnings": group.warnings, "findings": [finding_dict(f) for f in group.findings]}


def report_dict(report: Report) -> dict[str, Any]:
    generated = report.generated
    snapshot = report.snapshot
    invalid: list[dict[str, Any]] = [
        {"path": i.path, "problems": [{"line": p.line, "message": p.message} for p in i.problems]}
        for i in report.invalid_manifests]
    return {
        "version": REPORT_VERSION,
        "tool": {"name": "genai-hooks", "version": report.version},
        "as_of": report.as_of.isoformat(),
        "snapshot": {"label": snapshot.label, "commit": snapshot.commit, "index": snapshot.index,
                     "staged_changes": snapshot.staged_changes},
        "complete": report.complete,
        "verdict": {"ready": report.ready, "text": verdict(report), "open_errors": report.errors},
        "summary": {
            "files": report.files, "generated_files": generated.files,
            "generated_in_deliverables": {"total": report.generated_in_deliverables,
                                          "declared": generated.deliverable_files,
                                          "detected": report.detected_deliverable_files,
                                          "derived": report.derived_deliverable_files},
            "generated_deliverable_files": generated.deliverable_files, "generated_bytes": generated.bytes,
            "generated_archival_files": generated.archival_files,
            "tools": len(report.tools), "entries": len(report.entries), "approvals": len(report.approvals),
            "unchecked_approvals": report.unchecked_approvals,
            "models": len(report.models), "undeclared_models": report.undeclared_models,
            "errors": report.errors, "warnings": report.warnings, "acknowledged": report.acknowledged_count,
            "timelines": len(report.timelines), "generated_clips": report.generated_clips,
            "unapproved_clips": report.unapproved_clips, "expiring_approvals": len(report.expiring),
            "withdrawn_files": report.withdrawals.files if report.withdrawals is not None else None,
        },
        "productions": [{"manifest": p.manifest, "scope": p.scope, "line": p.line, "title": p.title,
                         "contact": p.contact, "approval_pattern": p.approval_pattern, "register": p.register,
                         "kind": p.kind}
                        for p in report.productions],
        "tools": [_tool(t) for t in report.tools],
        "generated": [_entry(e) for e in report.entries],
        "models": [_model(m) for m in report.models],
        "archival": [{"manifest": a.manifest, "line": a.line, "paths": list(a.paths),
                      "repository_paths": list(a.patterns)} for a in report.archival],
        "timelines": [_timeline(t) for t in report.timelines],
        "withdrawn": _withdrawals(report.withdrawals),
        "approvals": [_approval(a) for a in report.approvals],
        "expiring": [{"id": a.approval.id, "manifest": a.manifest, "expires": _date(a.approval.expires),
                      "days_left": a.days_left} for a in report.expiring],
        "findings": {"errors": report.errors, "warnings": report.warnings,
                     "rules": [_rule_group(g) for g in report.rule_groups]},
        "acknowledged": {"count": report.acknowledged_count,
                         "rules": [_rule_group(g) for g in report.acknowledged]},
        "invalid_manifests": invalid,
        "notes": [{"path": n.path, "message": n.message} for n in report.notes],
    }


def render(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
