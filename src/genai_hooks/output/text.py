"""Text output: what an artist reads when a commit is blocked — one glance, then the fix."""

from __future__ import annotations

from ..findings import RunResult
from ..rules import RULES

_COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m", "dim": "\033[2m", "bold": "\033[1m", "reset": "\033[0m"}


def _printable(text: str) -> str:
    """Paths may hold newlines or escape sequences; never let them reshape the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def render(result: RunResult, *, color: bool = False) -> str:
    def paint(kind: str, text: str) -> str:
        return f"{_COLORS[kind]}{text}{_COLORS['reset']}" if color else text

    lines: list[str] = []
    for finding in result.findings:
        where = _printable(finding.path) + (f":{finding.line}" if finding.line is not None else "")
        label = finding.severity.value
        lines.append(f"{paint('bold', where)}: {paint(label, label)} {finding.rule} "
                     f"{RULES[finding.rule].name}: {_printable(finding.message)}")
        lines.append(f"  fix: {_printable(finding.fix)}")
        if len(finding.files) > 1:
            lines.append(paint("dim", f"  files: {len(finding.files)} ({_printable(finding.files[0])} … "
                                      f"{_printable(finding.files[-1])})"))
    for note in result.notes:
        lines.append(paint("dim", f"{_printable(note.path)}: note: {_printable(note.message)}"))
    errors, warnings = result.errors, result.warnings
    verdict = "blocked" if errors else "passed"
    summary = (f"genai-hooks: {verdict} — {errors} error{'s' if errors != 1 else ''}, "
               f"{warnings} warning{'s' if warnings != 1 else ''} in {result.files_checked} "
               f"file{'s' if result.files_checked != 1 else ''} checked ({result.snapshot})")
    if errors:
        summary += "; run `genai-hooks explain RULE` for details"
    lines.append(paint("error" if errors else "bold", summary))
    return "\n".join(lines) + "\n"
