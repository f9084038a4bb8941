"""The manifest rules: tools (GAI101-106), entries and approvals (GAI201-204), stale entries (GAI401)."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass

from .chains import ManifestSet, directory_of
from .findings import Finding, Severity
from .manifest import Approval, GeneratedEntry, Manifest, Tool
from .patterns import approval_matches
from .rules import RULES


@dataclass(frozen=True)
class Coverage:
    """What an entry's approvals establish for one file."""

    approved_final: bool  # approved for final-deliverable use
    problems: tuple[str, ...]  # GAI204 reasons for this file


def make(manifests: ManifestSet, rule: str, directory: str, path: str, line: int | None, message: str,
         manifest: str | None, manifest_line: int | None, fix: str | None = None) -> Finding | None:
    severity = manifests.severity(rule, directory)
    if severity is Severity.OFF:
        return None
    return Finding(rule, severity, path, line, message, fix or RULES[rule].fix, manifest, manifest_line, (path,))


def tool_findings(manifests: ManifestSet, tool: Tool) -> list[Finding]:
    where = directory_of(tool.manifest)
    label = f"tool '{tool.id}'" + (f" ({tool.vendor})" if tool.vendor else "")
    checks = [
        ("GAI101", tool.trains_on_inputs is not False,
         f"{label} does not declare trains_on_inputs = false: it may train on production material"),
        ("GAI102", tool.retains_inputs is not False,
         f"{label} does not declare retains_inputs = false: it may store or reuse production material"),
        ("GAI103", tool.environment in (None, "consumer"),
         f"{label} runs in a consumer environment" if tool.environment == "consumer"
         else f"{label} does not say where it runs (environment = enterprise | on-premises | consumer)"),
        ("GAI104", not tool.terms, f"{label} names no reviewed contract or terms"),
        ("GAI105", tool.disclosed is None, f"{label} has no date it was disclosed to the production's contact"),
    ]
    found = [make(manifests, rule, where, tool.manifest, tool.line, message, tool.manifest, tool.line)
             for rule, fires, message in checks if fires]
    return [f for f in found if f is not None]


def entry_findings(manifests: ManifestSet, entry: GeneratedEntry, inherited: tuple[str, ...] = ()) -> list[Finding]:
    """GAI106, GAI202, GAI203 on one entry; `inherited`: sensitive categories its files get from above."""
    where = directory_of(entry.manifest)
    found: list[Finding | None] = []

    def add(rule: str, message: str, fix: str | None = None) -> None:
        found.append(make(manifests, rule, where, entry.manifest, entry.line, message, entry.manifest, entry.line, fix))

    tool = manifests.tool_for(entry)
    root = manifests.root_of(where)
    if tool is None:
        declared = sorted({t.id for m in manifests.chain(where) for t in m.tools})
        near = difflib.get_close_matches(entry.tool, declared, n=1)
        add("GAI106", f"entry names tool '{entry.tool}', which no manifest from the root down to this one declares"
            + (f"; did you mean '{near[0]}'?" if near else ""))
    elif root is not None and tool.manifest != root.path and not root.nested_tools:
        add("GAI107", f"entry uses tool '{entry.tool}', declared in the nested manifest {tool.manifest}; the "
            f"production vets tools in its root manifest {root.path}")
    if entry.sensitive and not entry.approvals:
        add("GAI202", f"entry involves {', '.join(entry.sensitive)} but cites no written approval")
    elif inherited and not entry.approvals:
        add("GAI202", f"a manifest above declares files of this entry {', '.join(inherited)}, "
            "but the entry cites no written approval (nested manifests cannot drop sensitive categories)")
    pattern = root.production.approval_pattern if root and root.production else None
    for approval_id in entry.approvals:
        if pattern is not None and not approval_matches(pattern, approval_id):
            add("GAI203", f"approval '{approval_id}' does not match the production's approval_pattern '{pattern}'")
        elif root is not None and root.approvals is not None and _lookup(root, approval_id) is None:
            add("GAI203", f"approval '{approval_id}' is not in the approval register of {root.path}")
    return [f for f in found if f is not None]


def _lookup(root: Manifest, approval_id: str) -> Approval | None:
    for approval in root.approvals or ():
        if approval.id == approval_id:
            return approval
    return None


def coverage(manifests: ManifestSet, entry: GeneratedEntry, deliverable: bool, as_of: datetime.date,
             inherited: tuple[str, ...] = ()) -> Coverage:
    """Judge an entry's approvals for one file: needed categories, expiry, the register."""
    if not entry.approvals:
        return Coverage(False, ())
    root = manifests.root_of(directory_of(entry.manifest))
    pattern = root.production.approval_pattern if root and root.production else None
    wellformed = [a for a in entry.approvals if pattern is None or approval_matches(pattern, a)]
    if root is None or root.approvals is None:  # no register: any well-formed id covers everything
        return Coverage(bool(wellformed), ())
    resolved = [a for a in (_lookup(root, i) for i in wellformed) if a is not None]
    if not resolved:
        return Coverage(False, ())  # GAI203 says why
    current = [a for a in resolved if a.expires is None or a.expires >= as_of]
    covered = {c for a in current for c in a.covers}
    needed = (["final-deliverable"] if deliverable else []) + list(entry.sensitive) + list(inherited)
    missing = [c for c in needed if c not in covered]
    problems: list[str] = []
    if missing:
        expired = [a for a in resolved if a not in current]
        for approval in expired:
            problems.append(f"approval {approval.id} expired on {approval.expires}")
        ids = ", ".join(a.id for a in current)
        problems.append(f"approval{'s' if len(current) > 1 else ''} {ids} do{'es' if len(current) == 1 else ''} "
                        f"not cover {', '.join(missing)}" if current
                        else f"no current approval covers {', '.join(missing)}")
    return Coverage("final-deliverable" in covered, tuple(problems))


def file_findings(manifests: ManifestSet, path: str, entry: GeneratedEntry, tool_label: str, deliverable: bool,
                  as_of: datetime.date, inherited: tuple[str, ...] = ()) -> list[Finding]:
    directory = directory_of(path)
    found: list[Finding | None] = []
    where = f"{entry.manifest}:{entry.line}"
    if deliverable and not entry.approvals:
        found.append(make(manifests, "GAI201", directory, path, None,
                          f"generated with {tool_label} (entry at {where}) and in a deliverable path without written approval",
                          entry.manifest, entry.line))
    if entry.approvals and (deliverable or entry.sensitive or inherited):
        judged = coverage(manifests, entry, deliverable, as_of, inherited)
        if judged.problems:
            found.append(make(manifests, "GAI204", directory, path, None,
                              f"generated with {tool_label} (entry at {where}): " + "; ".join(judged.problems),
                              entry.manifest, entry.line))
    return [f for f in found if f is not None]


def stale_finding(manifests: ManifestSet, entry: GeneratedEntry) -> Finding | None:
    return make(manifests, "GAI401", directory_of(entry.manifest), entry.manifest, entry.line,
                f"entry's patterns match no file: {', '.join(entry.paths)}", entry.manifest, entry.line)
