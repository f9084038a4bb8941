"""`genai-hooks inspect` output: each file's readers and signals, as text for people or JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .. import __version__
from ..inspection import Inspected
from .text import printable

TEXT_CLIPS = 50  # a cut lists its first clips in text; JSON lists every one


def render_text(found: Sequence[Inspected]) -> str:
    lines: list[str] = []
    for item in found:
        if not item.read:
            continue  # said on stderr, one line
        lines.append(f"{printable(item.path)} ({item.source})")
        provenance = [s for s in item.signals if s.strength is not None]
        if not provenance:
            lines.append("  no provenance signal found")
        lines.append(f"  readers that looked: {', '.join(item.readers)}")
        shown = 0
        for signal in item.signals:
            if signal.strength is None and signal.field.startswith("clip ") and shown >= TEXT_CLIPS:
                continue
            shown += signal.field.startswith("clip ")
            strength = f" [{signal.strength}]" if signal.strength else ""
            lines.append(f"  {printable(signal.reader)}: {printable(signal.field)} = {printable(signal.value)}"
                         f"{strength}")
        clips = sum(1 for s in item.signals if s.field.startswith("clip "))
        if clips > shown:
            lines.append(f"  … and {clips - shown} more clips (--format json lists every one)")
        lines.extend(f"  not read: {printable(reason)}" for reason in item.unread)
    return "".join(line + "\n" for line in lines)


def render_json(found: Sequence[Inspected]) -> str:
    files = [{
        "path": item.path,
        "source": item.source,
        "error": item.error,
        "readers": item.readers,
        "signals": [{"reader": s.reader, "field": s.field, "value": s.value, "strength": s.strength}
                    for s in item.signals],
        "unread": item.unread,
    } for item in found]
    document = {"version": 1, "tool": {"name": "genai-hooks", "version": __version__}, "files": files}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
