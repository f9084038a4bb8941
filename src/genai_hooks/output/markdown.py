"""Markdown for pull-request comments and the GitHub step summary: a summary line, a table, the notes."""

from __future__ import annotations

import re

from ..findings import Finding, RunResult, Severity
from ..rules import RULES
from . import decodable
from .inert_markdown import quoted_prose

# GitHub refuses comments over 65,536 characters; leave room for whatever the caller adds
MAX_CHARS = 60_000
HEADING = "## genai-hooks"
_TRAILERS = 300

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|~#!&{}()])")
_BACKTICK_RUN = re.compile(r"`+")

_CONTROL_NAMES = {chr(code): f"\\x{code:02x}" for code in list(range(32)) + [127]}
_CONTROL_NAMES.update({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def render(result: RunResult) -> str:
    lines: list[str] = [HEADING, "", summary_line(result), ""]
    # what is left after the heading, the notes heading and the "not shown" lines
    budget = MAX_CHARS - sum(len(line) + 1 for line in lines) - _TRAILERS
    if result.findings:
        lines.extend(_findings_table(result.findings, budget // 2 if result.notes else budget))
        lines.append("")
    if result.notes:
        lines.append("### Notes")
        lines.append("")
        used = sum(len(line) + 1 for line in lines)
        lines.extend(_notes(result, MAX_CHARS - used - _TRAILERS))
        lines.append("")
    return "\n".join(lines)


def summary_line(result: RunResult) -> str:
    files = _plural(result.files_checked, "file")
    where = "the index" if result.snapshot == "index" else f"commit `{result.snapshot[:12]}`"
    if result.suppressed:
        files += f", {result.suppressed} acknowledged"
    if result.errors:
        counts = f"{_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')}"
        return f"**Failed:** {counts} in {files} checked ({where})."
    if result.warnings:
        return f"**Passed** with {_plural(result.warnings, 'warning')} in {files} checked ({where})."
    return f"**Passed:** no findings in {files} checked ({where})."


def code_span(text: str) -> str:
    """Text shown literally in a table cell, whatever it holds: pipes, backticks, newlines, spaces."""
    visible = _visible(text).replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICK_RUN.findall(visible)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if visible[:1] in ("`", " ") or visible[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{visible}{pad}{fence}"


def inline_text(text: str) -> str:
    """Prose in a table cell: punctuation escaped, words GitHub could link or ping as code, line breaks as <br>."""
    return "<br>".join(quoted_prose(_visible(line), _escape, code_span) for line in text.splitlines())


def _escape(text: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def _findings_table(findings: tuple[Finding, ...], budget: int) -> list[str]:
    rows = ["| Severity | Rule | Path | Line | Message |", "|---|---|---|---:|---|"]
    used = sum(len(row) + 1 for row in rows)
    for shown, finding in enumerate(findings):
        row = _row(finding)
        if used + len(row) + 1 > budget:
            rest = len(findings) - shown
            rows.append("")
            rows.append(
                f"_{_plural(rest, 'more finding')} not shown here; the job log, JSON and SARIF "
                "outputs list every finding._"
            )
            break
        rows.append(row)
        used += len(row) + 1
    return rows


def _row(finding: Finding) -> str:
    name = RULES[finding.rule].name if finding.rule in RULES else ""
    severity = "**error**" if finding.severity is Severity.ERROR else finding.severity.value
    message = inline_text(finding.message)
    if finding.suppressed is not None:
        severity = f"{finding.severity.value} (acknowledged)"
        message += "<br>" + inline_text(f"Acknowledged by {finding.suppressed.by}: {finding.suppressed.reason}")
    for evidence in finding.evidence:
        message += "<br>" + inline_text(
            f"Evidence ({evidence.strength.value}, {evidence.kind}): {evidence.detail}"
        )
    # the fix comes from the rule catalogue, whose code spans are meant to render
    fix = " ".join(finding.fix.splitlines()).replace("|", "\\|")
    cells = [
        severity,
        f"{finding.rule} {name}".strip(),
        code_span(finding.path),
        "" if finding.line is None else str(finding.line),
        f"{message}<br>**Fix:** {fix}",
    ]
    return "| " + " | ".join(cells) + " |"


def _notes(result: RunResult, budget: int) -> list[str]:
    lines: list[str] = []
    used = 0
    for shown, note in enumerate(result.notes):
        line = f"- {code_span(note.path)}: {inline_text(note.message)}"
        if used + len(line) + 1 > budget:
            lines.append(f"- _{_plural(len(result.notes) - shown, 'more note')} not shown._")
            break
        lines.append(line)
        used += len(line) + 1
    return lines


def _visible(text: str) -> str:
    """Control characters spelled out (a newline in a path reads as \\n); undecodable bytes as U+FFFD."""
    text = decodable(text)
    return "".join(_CONTROL_NAMES.get(char, char) if char < " " or char == "\x7f" else char for char in text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
