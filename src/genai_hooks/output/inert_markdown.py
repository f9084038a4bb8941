"""Quoted text in GitHub-flavoured Markdown that can neither ping anyone nor become a link.

GFM autolinks `http://`, `https://`, `www.` and e-mail addresses in text, and GitHub turns `@name` and
`@org/team` into mentions; neither happens inside a code span. Every Markdown renderer (the pull-request
comment, the step summary, the disclosure report) quotes manifests, paths, file metadata and timelines
through `quoted_prose`, with its own escaping and its own code spans.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Code spans, not `@&#8203;name`: the word reads the same raw and rendered, and copies intact (an address works)
LINKABLE = re.compile(r"@|://|www\.", re.IGNORECASE)
_WORD = re.compile(r"\S+")
# punctuation around a word reads better outside its code span: "(www.x.org)." keeps "(" and ")." as prose
_AROUND = re.compile(r"([(\[{<'\"*_~]*)(.*?)([.,;:!?)\]}>'\"*_~]*)", re.DOTALL)


def quoted_prose(line: str, escape: Callable[[str], str], code: Callable[[str], str]) -> str:
    """One visible line: each word holding `@`, `://` or `www.` shown by `code`, everything else by `escape`."""

    def word(match: re.Match[str]) -> str:
        whole = match.group()
        if not LINKABLE.search(whole):
            return escape(whole)
        around = _AROUND.fullmatch(whole)
        lead, core, trail = around.groups() if around else ("", whole, "")
        if not LINKABLE.search(core):  # "www." would lose the dot that makes it linkable
            lead, core, trail = "", whole, ""
        return escape(lead) + code(core) + escape(trail)

    return _WORD.sub(word, line)
