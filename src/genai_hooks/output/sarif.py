"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: every rule, one result per finding."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any
from urllib.parse import quote_from_bytes

from .. import __version__
from ..findings import Finding, Note, RunResult, Severity
from ..rules import RULES, Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
# bump the suffix only if the identity of a finding changes meaning; code scanning dedups on it
FINGERPRINT_KEY = "genaiHooksFinding/v1"
# Code scanning keeps one analysis per tool, commit and category, the category being automationDetails.id up
# to its last "/"; upload-sarif's `category` input does not replace an id the log already has, so the log
# names its own, and this variable changes it (two checks of one repository, e.g. per working directory).
CATEGORY_VARIABLE = "GENAI_HOOKS_SARIF_CATEGORY"
DEFAULT_CATEGORY = "genai-hooks"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.OFF: "none"}
# GitHub shows this as the alert's severity for non-security rules
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.OFF: "recommendation"}

JSON = dict[str, Any]
_UNDECLARED = frozenset(("GAI301",))  # rules about a file no entry declares


def render(result: RunResult) -> str:
    rules = list(RULES.values())
    rule_index = {rule.id: i for i, rule in enumerate(rules)}
    run: JSON = {
        "tool": {
            "driver": {
                "name": "genai-hooks",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [_invocation(result.notes)],
        "automationDetails": {"id": f"{category()}/"},
        "results": [_result(finding, rule_index.get(finding.rule)) for finding in result.findings],
        "properties": {"snapshot": result.snapshot, "filesChecked": result.files_checked},
    }
    provenance = _version_control(result)
    if provenance is not None:
        run["versionControlProvenance"] = [provenance]
    log: JSON = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    # ASCII-only output: safe to write through any locale, and every JSON reader decodes it
    return json.dumps(log, indent=2, ensure_ascii=True) + "\n"


def category() -> str:
    """The code scanning category: GENAI_HOOKS_SARIF_CATEGORY without surrounding slashes, or genai-hooks."""
    chosen = os.environ.get(CATEGORY_VARIABLE, "").strip().strip("/")
    return _text(chosen) if chosen else DEFAULT_CATEGORY


def _version_control(result: RunResult) -> JSON | None:
    """The repository and the commit judged (none for the index); SARIF needs the repository's URI for it."""
    known = result.version_control
    if known is None or known.repository_uri is None:
        return None
    details: JSON = {"repositoryUri": known.repository_uri}
    if result.snapshot != "index":
        details["revisionId"] = result.snapshot
    if known.branch is not None:
        details["branch"] = _text(known.branch)
    return details


def artifact_uri(path: str) -> str:
    """A repository-relative path as a relative URI reference: every byte but unreserved ones and `/` encoded."""
    return quote_from_bytes(_path_bytes(path), safe="/")


def _path_bytes(path: str) -> bytes:
    try:
        # paths decoded with surrogateescape get their original bytes back
        return path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return path.encode("utf-8", "replace")


def _text(value: str) -> str:
    """Text for humans: undecodable bytes of a path become U+FFFD so the log is valid Unicode."""
    return _path_bytes(value).decode("utf-8", "replace")


def _rule_descriptor(rule: Rule) -> JSON:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} {rule.why}"},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": _LEVELS[rule.default]},
        "properties": {
            "tags": ["generative-ai", "policy"] + [f"principle-{p}" for p in rule.principles if p],
            "problem.severity": _PROBLEM_SEVERITY[rule.default],
            "precision": "high",
        },
    }


def _help_text(rule: Rule) -> str:
    return (
        f"{rule.id} {rule.name}: {rule.summary}\n\n{rule.why}\n\n{rule.principle_text}\n\n"
        f"Fix: {rule.fix}\n\nExample:\n{rule.example}\n"
    )


def _help_markdown(rule: Rule) -> str:
    if "\n" in rule.example or rule.example.lstrip().startswith("["):
        example = f"```toml\n{rule.example}\n```"
    else:
        example = rule.example
    return (
        f"**{rule.id} {rule.name}**: {rule.summary}\n\n{rule.why}\n\n_{rule.principle_text}_\n\n"
        f"**Fix:** {rule.fix}\n\n**Example:**\n\n{example}\n"
    )


def _result(finding: Finding, rule_index: int | None) -> JSON:
    result: JSON = {"ruleId": finding.rule}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result["level"] = _LEVELS[finding.severity]
    result["message"] = {"text": _text(f"{finding.message}\nFix: {finding.fix}")}
    result["locations"] = [_location(finding.path, finding.line)]
    if finding.manifest is not None and (finding.manifest, finding.manifest_line) != (
        finding.path,
        finding.line,
    ):
        declared = _location(finding.manifest, finding.manifest_line)
        declared["id"] = 1
        # an undeclared file's manifest is the one whose [[generated]] entries should cover it
        said = "should be declared in this manifest" if finding.rule in _UNDECLARED else "declared in this manifest"
        declared["message"] = {"text": said}
        result["relatedLocations"] = [declared]
    if finding.suppressed is not None:  # code scanning shows it as dismissed, with the production's reason
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": _text(f"{finding.suppressed.reason} (acknowledged by "
                                                          f"{finding.suppressed.by})"),
                                   "location": _location(finding.suppressed.manifest,
                                                         finding.suppressed.manifest_line)}]
    result["partialFingerprints"] = {FINGERPRINT_KEY: _fingerprint(finding)}
    result["properties"] = {
        "name": RULES[finding.rule].name if finding.rule in RULES else finding.rule,
        "manifest": None if finding.manifest is None else _text(finding.manifest),
        "manifestLine": finding.manifest_line,
        "files": [_text(path) for path in (finding.files or (finding.path,))],
        "evidence": [
            {"kind": e.kind, "strength": e.strength.value, "detail": _text(e.detail)}
            for e in finding.evidence
        ],
    }
    return result


def _location(path: str, line: int | None) -> JSON:
    physical: JSON = {"artifactLocation": {"uri": artifact_uri(path), "uriBaseId": SRCROOT}}
    if line is not None and line >= 1:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _fingerprint(finding: Finding) -> str:
    """Stable per rule, reported path and line, and manifest: not per message, which names counts and dates."""
    identity = [finding.rule, finding.path, str(finding.line), finding.manifest or ""]
    digest = hashlib.sha256(b"\0".join(_path_bytes(part) for part in identity))
    return digest.hexdigest()[:32]


def _invocation(notes: tuple[Note, ...]) -> JSON:
    notifications: list[JSON] = []
    for note in notes:
        notifications.append(
            {
                "level": "note",
                "message": {"text": _text(f"{note.path}: {note.message}")},
                "locations": [_location(note.path, None)],
            }
        )
    invocation: JSON = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
