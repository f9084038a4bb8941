"""Lua tokens as Fusion writes its `.comp` tables: names, strings, numbers and punctuation; never run.

One pass over the text with one regular expression whose alternatives cannot backtrack into each
other; long strings (`[[...]]`, `[==[...]==]`) and long comments are found with `str.find`. A
table nobody reads is passed over by stopping only at braces, strings and comments; a table of
plain fields is read by one match. Tokens carry positions; lines are counted only when asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

NAME, STRING, NUMBER, PUNCT, UNTERMINATED, OTHER = range(6)

_STRINGS = r""""[^"\\\n]*(?:\\(?:\r\n|.)[^"\\\n]*)*"|'[^'\\\n]*(?:\\(?:\r\n|.)[^'\\\n]*)*'"""
# Alternatives by how often Fusion writes them; group numbers are what `lastindex` reports.
_TOKEN = re.compile(
    r"""[ \t\n\r\f\v]*(?:([{}=,;()\]])|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|("""
    + _STRINGS
    + r""")|(-?(?:0[xX][0-9A-Fa-f]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?))"""
    r"""|((?:--)?\[=*\[)|(\[)|(--[^\n]*)|(["'])|([^ \t\n\r\f\v]))""",
    re.DOTALL,
)
_PUNCT, _NAME, _STRING, _NUMBER, _LONG, _BRACKET, _COMMENT, _QUOTE = range(1, 9)
# What matters when passing over a table: braces, and strings and comments that may hold braces.
_SKIP_MARK = re.compile(_STRINGS + r"""|(?:--)?\[=*\[|--[^\n]*|[{}]""", re.DOTALL)
# A table nested at most three deep, without long strings or comments, matched in one go. Each part
# starts with a character the run before it cannot take, so there is one way to match, and a failed
# match costs time linear in what it looked at.
_PLAIN_RUN = r"""[^{}"'\-\[]*"""
_ITEM = _STRINGS + r"""|-(?!-)|--(?!\[=*\[)[^\n]*(?=\n|\Z)|\[(?!=*\[)"""
_NESTED = r"\{" + _PLAIN_RUN + r"(?:(?:" + _ITEM + r")" + _PLAIN_RUN + r")*\}"
for _ in range(2):
    _NESTED = r"\{" + _PLAIN_RUN + r"(?:(?:" + _ITEM + "|" + _NESTED + r")" + _PLAIN_RUN + r")*\}"
_SHALLOW_TABLE = re.compile(_NESTED, re.DOTALL)
# A table of plain fields only, `{ ID = "Clip1", StartFrame = 1001, Saving = true }`: each field ends in
# `,`/`;` or just before `}`, so the body matches in one way only, in linear time.
_FIELD = (r"""[ \t\n\r\f\v]*([A-Za-z_][A-Za-z0-9_]*)[ \t\n\r\f\v]*=[ \t\n\r\f\v]*"""
          r"""(""" + _STRINGS + r"""|-?[0-9][0-9A-Za-z.+\-]*|[A-Za-z_][A-Za-z0-9_]*)"""
          r"""[ \t\n\r\f\v]*(?:[,;]|(?=\}))""")
_FLAT_TABLE = re.compile(r"(?:" + _FIELD + r")*[ \t\n\r\f\v]*\}", re.DOTALL)
_FLAT_FIELD = re.compile(_FIELD, re.DOTALL)
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u\{[0-9A-Fa-f]{1,8}\}|[0-9]{1,3}|z\s*|\r\n|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\n": "\n"}


class LuaTokens:
    """(kind, value, position) for each token, a string's value decoded and its position its start.

    UNTERMINATED stands for a quote the line ends inside (reading goes on) or for a long string or
    comment that the text ends inside (the last token). Right after a `{` token, `skip_table` or
    `flat_table` may take the table over; reading goes on after its `}`.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._after_brace = 0  # where the text after the last `{` token starts
        self._resume = -1  # set when a table was taken over: where reading goes on
        self._line_position = 0  # line_at counts from here...
        self._line = 1  # ...which is on this line

    def __iter__(self) -> Iterator[tuple[int, str, int]]:
        text, position = self.text, 0
        while position < len(text):
            resume = -1
            for token in _TOKEN.finditer(text, position):
                group = token.lastindex
                if group == _PUNCT:
                    value = token.group(group)
                    if value == "{":
                        self._after_brace = token.end()
                    yield PUNCT, value, token.end()
                    if self._resume >= 0:
                        resume, self._resume = self._resume, -1
                        break
                elif group == _NAME:
                    yield NAME, token.group(group), token.end()
                elif group == _STRING:
                    raw = token.group(group)[1:-1]
                    yield STRING, (_decode(raw) if "\\" in raw else raw), token.start(group)
                elif group == _NUMBER:
                    yield NUMBER, token.group(group), token.end()
                elif group == _LONG:
                    close, closer = _long_close(text, token)
                    if close < 0:
                        yield UNTERMINATED, "long string or comment", token.start(group)
                        return
                    if not token.group(group).startswith("--"):
                        yield STRING, text[token.end():close].removeprefix("\n"), token.start(group)
                    resume = close + len(closer)
                    break
                elif group == _BRACKET:
                    yield PUNCT, "[", token.end()
                elif group == _QUOTE:
                    yield UNTERMINATED, "string", token.start(group)
                elif group != _COMMENT and group is not None:
                    yield OTHER, token.group(group), token.end()
            if resume < 0:
                return
            position = resume

    def line_at(self, position: int) -> int:
        """The line of `position`; cheap for positions that mostly grow, as reading goes."""
        if position >= self._line_position:
            self._line += self.text.count("\n", self._line_position, position)
        else:
            self._line -= self.text.count("\n", position, self._line_position)
        self._line_position = position
        return self._line

    def skip_table(self) -> bool:
        """Pass over the table whose `{` was the last token; False when the text ends inside it."""
        text, depth, position = self.text, 1, self._after_brace
        shallow = _SHALLOW_TABLE.match(text, position - 1)
        if shallow is not None:
            self._resume = shallow.end()
            return True
        while True:
            restart = -1
            for mark in _SKIP_MARK.finditer(text, position):
                found = mark.group()
                if found == "{":
                    depth += 1
                elif found == "}":
                    depth -= 1
                    if depth == 0:
                        self._resume = mark.end()
                        return True
                elif found.startswith(("[", "--[")):
                    close, closer = _long_close(text, mark)
                    if close >= 0:
                        restart = close + len(closer)
                    break
            if restart < 0:
                self._resume = len(text)
                return False
            position = restart

    def flat_table(self) -> dict[str, tuple[str, int]] | None:
        """name → (value, position) of the table whose `{` was the last token, when all its fields
        are plain; None, and nothing taken over, when it holds anything else.
        """
        text, start = self.text, self._after_brace
        table = _FLAT_TABLE.match(text, start)
        if table is None:
            return None
        fields: dict[str, tuple[str, int]] = {}
        for field in _FLAT_FIELD.finditer(text, start, table.end() - 1):
            value = field.group(2)
            if value[0] in "\"'":
                value = _decode(value[1:-1]) if "\\" in value else value[1:-1]
            fields[field.group(1)] = (value, field.start(2))
        self._resume = table.end()
        return fields


def _long_close(text: str, opener: re.Match[str]) -> tuple[int, str]:
    """Where the long string or comment that `opener` starts ends, and its closing bracket; -1 if never."""
    closer = "]" + "=" * opener.group().count("=") + "]"
    return text.find(closer, opener.end()), closer


def _decode(raw: str) -> str:
    return _ESCAPE.sub(_unescape, raw)


def _unescape(escape: re.Match[str]) -> str:
    body = escape.group()[1:]
    head = body[0]
    if head in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[head]
    if head == "\r":
        return "\n"
    if head == "x" and len(body) == 3:
        return chr(int(body[1:], 16))
    if head == "u" and body.startswith("u{"):
        code = int(body[2:-1], 16)
        return "\ufffd" if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else chr(code)
    if head.isdigit():
        return chr(min(int(body), 255))
    if head == "z":
        return ""
    return body  # \\ \" \' and any other character stands for itself
