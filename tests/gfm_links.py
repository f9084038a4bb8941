"""What GitHub would turn into a link or a mention in Markdown, found as a stricter reader than GitHub itself.

No CommonMark+GFM renderer is installed in the venv (no markdown-it-py with linkify, no cmarkgfm), so this
reads the text outside code spans the way cmark-gfm's autolink extension and GitHub's mention filter do, but
stricter: backslash escapes and HTML entities are decoded first (GitHub's mention filter sees rendered text,
where `\\@jane` and `&#64;jane` are `@jane`), and `www.` or a scheme counts anywhere, not only after a space.
"""

from __future__ import annotations

import html
import re

# cmark-gfm autolinks these schemes and `www.`; GitHub's MentionFilter pings `@user` and `@org/team`
_URL = re.compile(r"(?:https?|ftp)://\S*|www\.\S*", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+")
_MENTION = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z][A-Za-z0-9_-]*)?")
# one pass, as CommonMark reads them: `\&#64;` is the text "&#64;", not an "@"
_ESCAPE_OR_ENTITY = re.compile(r"\\([!-/:-@\[-`{-~])|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BACKTICKS = re.compile(r"`+")
_CELL_BORDER = re.compile(r"(?<!\\)\|")


def outside_code_spans(line: str) -> str:
    """One line with its code spans (CommonMark: matching backtick runs, not after a backslash) blanked out."""
    kept: list[str] = []
    i = 0
    while i < len(line):
        if line[i] == "\\":
            kept.append(line[i : i + 2])
            i += 2
            continue
        opener = _BACKTICKS.match(line, i)
        if opener is None:
            kept.append(line[i])
            i += 1
            continue
        closer = next((m for m in _BACKTICKS.finditer(line, opener.end()) if len(m.group()) == len(opener.group())),
                      None)
        if closer is None:
            kept.append(opener.group())
            i = opener.end()
        else:
            kept.append(" ")
            i = closer.end()
    return "".join(kept)


def prose(markdown: str) -> list[str]:
    """The text outside code spans, per line and per table cell (a code span never crosses a cell border)."""
    parts: list[str] = []
    for line in markdown.splitlines():
        cells = _CELL_BORDER.split(line) if line.startswith("|") else [line]
        parts.extend(outside_code_spans(cell) for cell in cells)
    return parts


def linked(markdown: str) -> list[str]:
    """Every URL, `www.` address, e-mail address and mention GitHub could make of the text outside code spans."""
    found: list[str] = []
    for part in prose(markdown):
        text = _ESCAPE_OR_ENTITY.sub(lambda m: m.group(1) or html.unescape(m.group()), part)
        found.extend(m.group() for pattern in (_URL, _EMAIL, _MENTION) for m in pattern.finditer(text))
    return found


def raw_html(markdown: str, tag: str) -> bool:
    """Whether `<tag` opens an element outside code spans (an unescaped `<`)."""
    return any(re.search(rf"(?<!\\)<{tag}\b", part, re.IGNORECASE) for part in prose(markdown))
