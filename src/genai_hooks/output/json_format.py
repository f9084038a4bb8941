"""JSON output (SPEC §5): a stable shape for scripts."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..findings import Finding, RunResult
from ..rules import RULES


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "name": RULES[finding.rule].name,
        "severity": finding.severity.value,
        "path": finding.path,
        "line": finding.line,
        "message": finding.message,
        "fix": finding.fix,
        "manifest": finding.manifest,
        "manifest_line": finding.manifest_line,
        "files": list(finding.files or (finding.path,)),
        "evidence": [{"kind": e.kind, "strength": e.strength.value, "detail": e.detail} for e in finding.evidence],
        "suppressed": None if finding.suppressed is None else {
            "reason": finding.suppressed.reason, "by": finding.suppressed.by,
            "manifest": finding.suppressed.manifest, "manifest_line": finding.suppressed.manifest_line},
        "clips": [{"name": c.name, "record_in": c.record_in, "record_out": c.record_out} for c in finding.clips],
    }


def result_dict(result: RunResult) -> dict[str, Any]:
    return {
        "version": 1,
        "tool": {"name": "genai-hooks", "version": __version__},
        "snapshot": result.snapshot,
        "summary": {"files_checked": result.files_checked, "errors": result.errors, "warnings": result.warnings,
                    "suppressed": result.suppressed, "inspected": result.inspected,
                    "uninspected_formats": result.uninspected_formats,
                    "unchecked_approvals": result.unchecked_approvals},
        "findings": [finding_dict(f) for f in result.findings],
        "notes": [{"path": n.path, "message": n.message} for n in result.notes],
    }


def render(result: RunResult) -> str:
    return json.dumps(result_dict(result), indent=2, ensure_ascii=False) + "\n"
