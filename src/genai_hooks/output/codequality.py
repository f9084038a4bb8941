"""GitLab Code Quality: a JSON array of issues for `artifacts:reports:codequality`, one per finding.

GitLab reads `description`, `check_name`, `fingerprint`, `severity`, `location.path` and
`location.lines.begin` and ignores the rest of the Code Climate format. The merge request widget
compares the fingerprints of the source and target branches' reports and shows findings with one
fingerprint as one entry, so a fingerprint must name one finding, and the same finding on the next
commit: it never depends on the commit, a line number or counts in the message.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..findings import Finding, RunResult, Severity
from ..rules import RULES
from ..sequences import split_frame
from . import decodable

# Acknowledged findings stay in the report as `info`, as they stay visible in every other format but never
# fail a check: GitLab draws `info` as no problem, and a finding that comes back unacknowledged keeps its
# fingerprint, so the widget shows it as changed in severity rather than as new.
_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.OFF: "info"}
_DIGITS = re.compile(r"[0-9]+")
# bump the version only if the identity of a finding changes meaning: GitLab would show every finding as new
_IDENTITY_VERSION = "genai-hooks/codequality/v1"


def render(result: RunResult) -> str:
    fingerprints = fingerprints_of(result.findings)
    issues = [_issue(finding, fingerprint) for finding, fingerprint in zip(result.findings, fingerprints)]
    # ASCII-only: no byte order mark or locale can get in the way of GitLab's JSON parser
    return json.dumps(issues, indent=2, ensure_ascii=True) + "\n"


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    rule = RULES.get(finding.rule)
    description = f"{finding.rule} {rule.name if rule else finding.rule}: {finding.message}"
    severity = _SEVERITIES[finding.severity]
    if finding.suppressed is not None:
        description += f" (acknowledged by {finding.suppressed.by}: {finding.suppressed.reason})"
        severity = "info"
    return {
        "description": decodable(description),
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {
            "path": decodable(finding.path),
            "lines": {"begin": finding.line if finding.line is not None and finding.line >= 1 else 1},
        },
    }


def fingerprints_of(findings: tuple[Finding, ...]) -> list[str]:
    """One fingerprint per finding, distinct within the run; findings that share an identity are numbered in
    the order the run sorts them (by path, line and rule), which keeps the numbering as stable as it can be."""
    seen: dict[bytes, int] = {}
    fingerprints: list[str] = []
    for finding in findings:
        identity = _identity(finding)
        seen[identity] = occurrence = seen.get(identity, 0) + 1
        if occurrence > 1:
            identity += b"\0#%d" % occurrence
        fingerprints.append(hashlib.sha256(identity).hexdigest()[:32])
    return fingerprints


def _identity(finding: Finding) -> bytes:
    """What stays the same when the same finding is found on another commit.

    A frame sequence is its name without the frame number (new frames do not make it new); a finding on a
    line (a manifest entry, a node in a script) is told apart from others in its file by its message with
    the numbers taken out, since lines move when anything above them changes.
    """
    where = finding.path
    if len(finding.files) > 1:
        frame = split_frame(finding.path)
        if frame is not None:
            where = f"{frame[0]}#{frame[2]}"
    parts = [_IDENTITY_VERSION, finding.rule, where, finding.subject or ""]
    if finding.line is not None:
        parts.append(_DIGITS.sub("#", finding.message))
    return b"\0".join(part.encode("utf-8", "surrogatepass") for part in parts)
