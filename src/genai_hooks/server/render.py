"""A push's verdict as the pusher reads it (git shows the hook's output as `remote:` lines), through the
formatters every other command uses. Formatters never judge; neither does this module."""

from __future__ import annotations

import json
from typing import Any

from ..output import render
from ..output.json_format import result_dict
from ..output.text import summary_line
from .gate import PushVerdict, RefVerdict


def render_push(verdict: PushVerdict, fmt: str) -> str:
    """text: one line per finding naming the ref, rule and path, a summary per ref, then the verdict;
    json: one document for the whole push; other formats: each judged ref's document after a line naming it."""
    if fmt == "json":
        return json.dumps(_push_dict(verdict), indent=2) + "\n"  # ASCII: a non-UTF-8 path stays \udcXX
    lines: list[str] = []
    for ref in verdict.refs:
        lines.extend(_text(ref) if fmt == "text" else _document(ref, fmt))
    lines.extend(verdict.lines)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _named(ref: RefVerdict) -> str:
    return _printable(ref.ref)


def _text(ref: RefVerdict) -> list[str]:
    if ref.scope.skipped:
        return [f"genai-hooks: {_named(ref)}: {ref.scope.skipped}"]
    if ref.scope.unjudgeable:
        return [f"genai-hooks: {_named(ref)}: {ref.scope.unjudgeable}"]
    assert ref.result is not None
    found = render(ref.result, "text", quiet=True).splitlines()
    # a finding's line (unindented) names its ref; its fix and file-count lines follow it indented
    lines = [line if line.startswith(" ") else f"{_named(ref)}: {line}" for line in found]
    summary = summary_line(ref.result).replace("genai-hooks: ", f"genai-hooks: {_named(ref)}: ", 1)
    return [*lines, f"{summary} {_against(ref)}"]


def _document(ref: RefVerdict, fmt: str) -> list[str]:
    if ref.result is None:
        return _text(ref)
    return [f"genai-hooks: {_named(ref)}: {fmt} follows {_against(ref)}", render(ref.result, fmt)]


def _against(ref: RefVerdict) -> str:
    base = ref.scope.base
    if base:
        return f"[changes since {base[:12]}]"
    return "[every file: no merge base with the ref's old commit or the default branch]"


def _push_dict(verdict: PushVerdict) -> dict[str, Any]:
    return {
        "version": 1,
        "verdict": verdict.status.value,
        "refs": [{"ref": r.ref, "old": r.scope.update.old, "new": r.scope.update.new, "commit": r.scope.commit,
                  "base": r.scope.base, "skipped": r.scope.skipped, "unjudgeable": r.scope.unjudgeable,
                  "result": None if r.result is None else result_dict(r.result)} for r in verdict.refs],
        "breakglass": verdict.breakglass,
        "messages": list(verdict.lines),
    }


def _printable(text: str) -> str:
    """A ref name may hold bytes that reshape a terminal: show them escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
