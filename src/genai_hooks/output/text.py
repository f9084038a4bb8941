"""Text output: what an artist reads when a commit is blocked — one glance, then the fix."""

from __future__ import annotations

from ..findings import UNSTAGED_NOTE, RunResult
from ..rules import RULES

_COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m", "dim": "\033[2m", "bold": "\033[1m", "reset": "\033[0m"}


def _printable(text: str) -> str:
    """Paths may hold newlines or escape sequences; never let them reshape the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


printable = _printable  # other text outputs (inspect) print paths and metadata the same way


def render(result: RunResult, *, color: bool = False, quiet: bool = False) -> str:
    """Findings, then notes and one summary line; a clean run is that line alone, `quiet` the findings alone."""
    def paint(kind: str, text: str) -> str:
        return f"{_COLORS[kind]}{text}{_COLORS['reset']}" if color else text

    lines: list[str] = []
    # root cause first: what an invalid manifest would have declared is missing from everything after it
    causes = [f for f in result.findings if f.rule == "GAI001"]
    rest = [f for f in result.findings if f.rule != "GAI001"]
    for finding in causes + rest:
        if rest and finding is rest[0] and result.unapplied and not quiet:
            lines.append(paint("bold", unapplied_line(result, more=True)))
        where = _printable(finding.path) + (f":{finding.line}" if finding.line is not None else "")
        label = finding.severity.value
        if finding.suppressed is not None:
            label = f"{label}, acknowledged"
        lines.append(f"{paint('bold', where)}: {paint(finding.severity.value, label)} {finding.rule} "
                     f"{RULES[finding.rule].name}: {_printable(finding.message)}")
        if finding.suppressed is not None:
            lines.append(f"  acknowledged by {_printable(finding.suppressed.by)}: "
                         f"{_printable(finding.suppressed.reason)}")
        else:
            first, *more = finding.fix.split("\n")  # a fix may show a whole entry to paste, a line each
            lines.append(f"  fix: {_printable(first)}")
            lines.extend(f"       {_printable(line)}" for line in more)
        if len(finding.files) > 1:
            lines.append(paint("dim", f"  files: {len(finding.files)} ({_printable(finding.files[0])} … "
                                      f"{_printable(finding.files[-1])})"))
    if quiet:
        return "".join(line + "\n" for line in lines)
    if result.unapplied and not rest:
        lines.append(paint("bold", unapplied_line(result, more=False)))
    if result.findings:  # a passing commit prints one line: notes are for whoever reads the findings
        lines.extend(paint("dim", f"{_printable(n.path)}: note: {_printable(n.message)}") for n in result.notes
                     if n.message != UNSTAGED_NOTE)
    lines.extend(paint("bold", f"{_printable(m)}: note: {UNSTAGED_NOTE}") for m in result.unstaged_manifests)
    if result.unchecked_approvals:  # the production opted out of the register: say what that let through
        lines.append(paint("bold", unchecked_line(result.unchecked_approvals)))
    lines.append(paint("error" if result.errors else "bold", summary_line(result)))
    return "\n".join(lines) + "\n"


def unapplied_line(result: RunResult, *, more: bool) -> str:
    """The manifests that were not applied; `more`: findings follow that may stem from them."""
    many = len(result.unapplied) > 1
    said = (f"genai-hooks: not applied: {', '.join(_printable(p) for p in result.unapplied)} "
            f"({'they are' if many else 'it is'} invalid, so nothing {'they declare' if many else 'it declares'} "
            "counted)")
    return said + (f"; the findings below may follow from {'them' if many else 'it'}" if more else "")


def unchecked_line(files: int) -> str:
    return (f"genai-hooks: {_plural(files, 'file')} admitted by approvals kept outside the repository, unchecked "
            '([policy] approvals = "external")')


def summary_line(result: RunResult) -> str:
    errors, warnings = result.errors, result.warnings
    verdict = "blocked" if errors else "passed"
    summary = (f"genai-hooks: {verdict} — {_plural(errors, 'error')}, {_plural(warnings, 'warning')} in "
               f"{_plural(result.files_checked, 'file')} checked ({result.snapshot})")
    if result.suppressed:
        summary += f" ({result.suppressed} acknowledged)"
    if result.uninspected_formats:  # checked by path only: never counted as inspected
        summary += f"; {result.uninspected_formats} in formats genai-hooks cannot read"
    if result.notes and not result.findings:
        summary += f"; {_plural(len(result.notes), 'note')} (--format json lists them)"
    if errors:
        summary += "; run `genai-hooks explain RULE` for details"
    return summary


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
