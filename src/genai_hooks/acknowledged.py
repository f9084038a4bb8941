"""Acknowledged findings (SPEC §12): a root's `[[acknowledged]]` entries accept findings of some rules on some
paths. They keep their severity and stay in every output, marked, but no longer fail a check; in a full
audit an entry that matches nothing, or has ended, is GAI402.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from .chains import ManifestSet, directory_of
from .findings import Finding, Suppression
from .manifest import Acknowledgement
from .policy import make
from .schema import ACKNOWLEDGEABLE
from .sequences import split_frame


def acknowledge(findings: list[Finding], manifests: ManifestSet, as_of: datetime.date, *,
                audit: bool) -> list[Finding]:
    """`findings` with the acknowledged ones marked, and GAI402 on stale entries in a full audit."""
    used: set[int] = set()
    out: list[Finding] = []
    for finding in findings:
        entry = _entry(finding, manifests, as_of) if finding.rule in ACKNOWLEDGEABLE else None
        if entry is not None:
            used.add(id(entry))
            finding = replace(finding, suppressed=Suppression(entry.reason, entry.by, entry.manifest, entry.line))
        out.append(finding)
    if audit:
        out.extend(_stale(manifests, used, as_of))
    return out


def _entry(finding: Finding, manifests: ManifestSet, as_of: datetime.date) -> Acknowledgement | None:
    """The root's entry acknowledging `finding` (all its files, for a sequence), if one holds today."""
    root = manifests.root_of(directory_of(finding.path))
    if root is None:
        return None
    paths = finding.files or (finding.path,)
    for entry in root.acknowledged:
        if entry.rule == finding.rule and (entry.until is None or entry.until >= as_of) and all(
                any(pattern.matches(path) for pattern in entry.patterns) for path in paths):
            return entry
    return None


def _stale(manifests: ManifestSet, used: set[int], as_of: datetime.date) -> list[Finding]:
    found: list[Finding | None] = []
    for manifest in manifests.valid.values():
        for entry in manifest.acknowledged:
            where = directory_of(entry.manifest)
            if entry.until is not None and entry.until < as_of:
                found.append(make(manifests, "GAI402", where, entry.manifest, entry.line,
                                  f"acknowledgement of {entry.rule} on {', '.join(entry.paths)} ended on "
                                  f"{entry.until}: its findings count again", entry.manifest, entry.line))
            elif id(entry) not in used:
                found.append(make(manifests, "GAI402", where, entry.manifest, entry.line,
                                  f"acknowledgement of {entry.rule} on {', '.join(entry.paths)} matches no finding",
                                  entry.manifest, entry.line))
    return [f for f in found if f is not None]


def entries_for(findings: list[Finding], manifests: ManifestSet, as_of: datetime.date) -> str:
    """Ready-to-paste [[acknowledged]] entries for the open findings of the rules that can be acknowledged,
    one per rule and root manifest; `reason` and `by` are left for a person to fill in."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for finding in findings:
        if finding.rule not in ACKNOWLEDGEABLE or finding.suppressed is not None:
            continue
        root = manifests.root_of(directory_of(finding.path))
        base = root.directory if root is not None else ""
        paths = grouped.setdefault((root.path if root else "genai.toml", finding.rule), [])
        for path in _as_patterns(finding.files or (finding.path,)):
            relative = path[len(base) + 1:] if base else path
            if relative not in paths:
                paths.append(relative)
    if not grouped:
        return "# genai-hooks acknowledge: no open finding of GAI103-105, GAI301, GAI303, GAI305 or GAI401.\n"
    blocks = [(f"# genai-hooks acknowledge ({as_of}): open findings of the rules a production may accept.\n"
               "# Check each, fill in `reason` and `by`, and paste the entries you accept into the root manifest\n"
               "# named above them (production and legal review it). Paths are relative to that manifest.")]
    for (manifest, rule), paths in sorted(grouped.items()):
        listed = ",\n".join(f"    {_toml(p)}" for p in paths)
        blocks.append(f"# {manifest}\n[[acknowledged]]\nrule = \"{rule}\"\npaths = [\n{listed},\n]\n"
                      'reason = ""   # why it is acceptable (a licence, an invoice, a check)\n'
                      'by = ""       # who checked it\n'
                      f"# until = {as_of + datetime.timedelta(days=365)}")
    return "\n\n".join(blocks) + "\n"


def _as_patterns(paths: tuple[str, ...]) -> list[str]:
    """Paths, a frame sequence written once with a frame token (`sky.####.exr`)."""
    if len(paths) < 2:
        return list(paths)
    parts = [split_frame(p) for p in paths]
    heads = {(p[0], p[2]) for p in parts if p is not None}
    if None in parts or len(heads) != 1:
        return list(paths)
    (head, ext), = heads
    width = len(str(min(p[1] for p in parts if p is not None)))
    escaped = "".join("\\" + c if c in "*?[]#%$<{}!\\" else c for c in head)
    return [f"{escaped}{'#' * width}{ext}"]


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
