"""GitHub Actions workflow commands: one annotation per finding, notes as notices, a closing summary."""

from __future__ import annotations

import re

from ..findings import Finding, RunResult, Severity
from ..rules import RULES
from . import decodable, markdown

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.OFF: "notice"}


def render(result: RunResult) -> str:
    lines: list[str] = [_annotation(finding) for finding in result.findings]
    lines.extend(
        _command("notice", {"file": note.path, "title": "genai-hooks note"}, note.message)
        for note in result.notes
    )
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def step_summary(result: RunResult) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: annotations are capped per step, the summary lists them all."""
    return markdown.render(result)


def summary(result: RunResult) -> str:
    errors = f"{result.errors} error" + ("" if result.errors == 1 else "s")
    warnings = f"{result.warnings} warning" + ("" if result.warnings == 1 else "s")
    files = f"{result.files_checked} file" + ("" if result.files_checked == 1 else "s")
    return f"genai-hooks: {errors}, {warnings} in {files} checked."


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding) -> str:
    name = RULES[finding.rule].name if finding.rule in RULES else ""
    properties = {
        "file": finding.path,
        "line": _line(finding.line),
        "title": f"{finding.rule} {name}".strip(),
    }
    if finding.suppressed is not None:  # shown, never failing: a notice naming who accepted it
        return _command("notice", {**properties, "title": f"{properties['title']} (acknowledged)"},
                        f"{finding.message}\nAcknowledged by {finding.suppressed.by}: {finding.suppressed.reason}")
    return _command(_COMMANDS[finding.severity], properties, f"{finding.message}\nFix: {finding.fix}")


def _line(line: int | None) -> str | None:
    return None if line is None or line < 1 else str(line)


def _command(command: str, properties: dict[str, str | None], message: str) -> str:
    rendered = ",".join(
        f"{key}={escape_property(_text(value))}" for key, value in properties.items() if value
    )
    return f"::{command} {rendered}::{escape_data(_text(message))}"


def _text(value: str) -> str:
    """Undecodable path bytes become U+FFFD; control characters other than line breaks and tabs are
    spelled out as \\xNN so a path cannot drive the log viewer's terminal escapes."""
    value = decodable(value)
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", value)
