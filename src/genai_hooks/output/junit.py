"""JUnit XML for CI test reports (GitLab, Jenkins): each error a failed test case, warnings passing ones."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..findings import Finding, RunResult, Severity
from ..rules import RULES
from . import decodable

SUITE = "genai-hooks"

# XML 1.0 allows tab, newline and carriage return among the C0 controls, and no surrogates or U+FFFE/U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render(result: RunResult) -> str:
    failures = result.errors  # acknowledged errors pass
    names = case_names(result.findings)
    cases = [_testcase(finding, name) for finding, name in zip(result.findings, names)] or [_clean_run(result)]
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0"}
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts, "skipped": "0"})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "snapshot", "value": _xml_text(result.snapshot)})
    ET.SubElement(properties, "property", {"name": "files_checked", "value": str(result.files_checked)})
    suite.extend(cases)
    if result.notes:
        notes = ET.SubElement(suite, "system-out")
        notes.text = "\n".join(_xml_text(f"note: {note.path}: {note.message}") for note in result.notes)
    ET.indent(root)
    # ASCII with character references: the file reads the same whatever encoding writes it
    encoded: bytes = ET.tostring(root, encoding="us-ascii", xml_declaration=False)
    body = encoded.decode("ascii")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def case_names(findings: tuple[Finding, ...]) -> list[str]:
    """Rule, path, and line or subject (a clip at a timecode); a name still shared gets " (2)", " (3)", in order."""
    natural = [_xml_text(_case_name(finding)) for finding in findings]
    reserved = set(natural)  # a suffixed name must not take the name another finding has by itself
    names: list[str] = []
    used: set[str] = set()
    last_count: dict[str, int] = {}  # resume counting where the name left off: linear for 100,000 clips
    for name in natural:
        unique = name
        if unique in used:
            count = last_count.get(name, 1)
            while unique in used or unique in reserved:
                count += 1
                unique = f"{name} ({count})"
            last_count[name] = count
        used.add(unique)
        names.append(unique)
    return names


def _case_name(finding: Finding) -> str:
    where = finding.path if finding.line is None else f"{finding.path}:{finding.line}"
    return f"{finding.rule} {where}" + (f": {finding.subject}" if finding.subject else "")


def _testcase(finding: Finding, case_name: str) -> ET.Element:
    name = RULES[finding.rule].name if finding.rule in RULES else ""
    attributes = {"classname": f"{finding.rule} {name}".strip(), "name": case_name}
    attributes["file"] = _xml_text(finding.path)
    if finding.line is not None:
        attributes["line"] = str(finding.line)
    case = ET.Element("testcase", attributes)
    details = _xml_text(_details(finding))
    if finding.severity is Severity.ERROR and finding.suppressed is None:
        failure = ET.SubElement(
            case, "failure", {"message": _xml_text(finding.message), "type": finding.rule}
        )
        failure.text = details
    else:
        status = f"{finding.severity.value}, acknowledged" if finding.suppressed else finding.severity.value
        ET.SubElement(case, "system-out").text = f"{status}: {details}"
    return case


def _details(finding: Finding) -> str:
    lines: list[str] = [finding.message, f"Fix: {finding.fix}"]
    if finding.manifest is not None:
        where = (
            finding.manifest
            if finding.manifest_line is None
            else f"{finding.manifest}:{finding.manifest_line}"
        )
        lines.append(f"Manifest: {where}")
    if len(finding.files) > 1:
        lines.append(f"Files ({len(finding.files)}):")
        lines.extend(f"  {path}" for path in finding.files)
    for evidence in finding.evidence:
        lines.append(f"Evidence ({evidence.strength.value}, {evidence.kind}): {evidence.detail}")
    return "\n".join(lines)


def _clean_run(result: RunResult) -> ET.Element:
    case = ET.Element("testcase", {"classname": SUITE, "name": SUITE})
    ET.SubElement(case, "system-out").text = f"No findings in {result.files_checked} files checked."
    return case


def _xml_text(value: str) -> str:
    """Undecodable path bytes become U+FFFD; characters XML 1.0 cannot hold are spelled out as \\xNN."""
    value = decodable(value)
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", value)
