"""The HTML report's building blocks: escaping, codes, badges, tables, sections. Everything quoted is escaped."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from .model import FileGroup
from .wording import FILE_GROUPS_PER_ENTRY, NOT_DECLARED, frames, more, visible


def esc(value: str) -> str:
    """Anything quoted from a manifest, a path or a message: escaped, control characters made visible."""
    return html.escape(visible(value), quote=True)


def code(value: str) -> str:
    """A path or pattern: may break anywhere to fit its column."""
    return f"<code>{esc(value)}</code>"


def ident(value: str) -> str:
    """A tool or approval id: kept on one line."""
    return f'<code class="id">{esc(value)}</code>'


def badge(label: str, tone: str) -> str:
    return f'<span class="badge {tone}">{esc(label)}</span>'


def value(pair: tuple[str, str]) -> str:
    """A declared value as plain text; a missing one as a flagged 'not declared'."""
    label, tone = pair
    return badge(label, tone) if label == NOT_DECLARED else esc(label)


def table(headers: Sequence[tuple[str, str]], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """`headers`: (label, css class); cells are HTML already."""
    head = "".join(f'<th class="{cls}">{esc(label)}</th>' if cls else f"<th>{esc(label)}</th>" for label, cls in headers)
    body = "".join("<tr>" + "".join(f'<td class="{cls}">{cell}</td>' if cls else f"<td>{cell}</td>"
                                    for (_, cls), cell in zip(headers, row)) + "</tr>" for row in rows)
    opening = f'<table class="{css}">' if css else "<table>"
    return f"{opening}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def sub(text: str) -> str:
    return f'<span class="sub">{text}</span>'


def file_list(groups: tuple[FileGroup, ...]) -> str:
    """Files or frame sequences, one to a line, at most FILE_GROUPS_PER_ENTRY."""
    items = [f"<li>{code(g.shown)}{esc(frames(g))}</li>" for g in groups[:FILE_GROUPS_PER_ENTRY]]
    rest = len(groups) - FILE_GROUPS_PER_ENTRY
    if rest > 0:
        items.append(f'<li class="more">{esc(more(rest, "more file or sequence", "more files or sequences"))}</li>')
    return f'<ul class="files">{"".join(items)}</ul>' if items else ""


def section(anchor: str, title: str, body: str, empty: str | None = None) -> str:
    if not body:
        if empty is None:
            return ""
        body = f'<p class="none">{esc(empty)}</p>'
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{body}</section>'
