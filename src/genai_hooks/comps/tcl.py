"""TCL as Nuke writes it, read without evaluating: commands of bare, "quoted" and {braced} words.

A script is a sequence of commands (`Read {...}`, `push $N1`, `end_group`), each on its own line
or separated by `;`; a node's braced body is a TCL list of knob names and values. Braces and
brackets nest by counting, never by recursion, so time is linear in the text and no nesting depth
can exhaust the stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

BARE, QUOTED, BRACED = 0, 1, 2

_BLANK = re.compile(r"(?:[ \t\r\f\v]|\\\n)+")  # within a command; a backslash-newline continues it
_BETWEEN_COMMANDS = re.compile(r"[ \t\r\f\v;]+")
_LIST_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # TCL separates words by ASCII whitespace only
_COMMAND_RUN = re.compile(r"[^ \t\n\r\f\v;\[\\]+")  # a bare word ends at `;` in a command...
_LIST_RUN = re.compile(r"[^ \t\n\r\f\v\[\\]+")  # ...and not in a list
_QUOTED = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACE_MARK = re.compile(r"\\.|[{}]", re.DOTALL)
_BRACKET_MARK = re.compile(r"\\.|[\[\]]", re.DOTALL)
# `Class {` + lines without braces + `}`, as Nuke saves most nodes: the same two words as the
# general reading, found by one linear match. A backslash may escape anything but a brace, a
# backslash or a newline (those change how braces count, and take the general reading).
_PLAIN_LINE = r"[^{}\\\n]*(?:\\[^{}\\\n][^{}\\\n]*)*\n"
_PLAIN_NODE = re.compile(
    r"([A-Za-z_][A-Za-z0-9_.]*)[ \t]+\{([ \t\r]*\n(?:" + _PLAIN_LINE + r")*?[ \t]*)\}(?=[ \t\r\f\v]*(?:\n|;|\Z))"
)
# A one-line command without braces, quotes or backslashes, its brackets closed on the line:
# `set N5a3c4800 [stack 0]`, `push $N5a3c4800`, `version 15.0 v4`, `end_group`.
_SIMPLE_LINE = re.compile(r'[^\n;{}\[\]\\"]*(?:\[[^\n;{}\[\]\\"]*\][^\n;{}\[\]\\"]*)*(?=\n|\Z)')
_SPACE = re.compile(r"[ \t\r\f\v]")
# One knob and its value, both plain words or the value quoted: most pairs of a node body.
_PLAIN_PAIR = re.compile(
    r'[ \t\n\r\f\v]*([^ \t\n\r\f\v"{}\[\\]+)[ \t\n\r\f\v]+'
    r'(?:([^ \t\n\r\f\v"{}\[\\]+)|"([^"\\]*(?:\\.[^"\\]*)*)")(?=[ \t\n\r\f\v]|\Z)',
    re.DOTALL,
)
_BACKSLASH = re.compile(r"\\(?:x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|[0-7]{1,3}|\n[ \t]*|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


class Word(NamedTuple):
    kind: int  # BARE, QUOTED or BRACED
    start: int  # first character of the content (inside quotes or braces)
    end: int  # one past the last character of the content
    line: int
    closed: bool  # False: the text ended before the closing quote, brace or bracket


class Statement(NamedTuple):
    """A top-level command a Nuke reader acts on: a node with its body, or a command of one word."""

    line: int
    head: str  # a node's class (the word before its body), or the command's only word (`end_group`)
    body: Word | None  # the node's braced body; None for a one-word command
    closed: bool  # False: the text ends inside this command


def statements(text: str) -> Iterator[Statement]:
    """The nodes and one-word commands of a script; `push`, `set` and other commands are skipped."""
    position, end, line = 0, len(text), 1
    while True:
        position, line = _skip_separators(text, position, end, line)
        if position >= end:
            return
        plain = _PLAIN_NODE.match(text, position, end)
        if plain is not None:
            body = Word(BRACED, plain.start(2), plain.end(2), line, True)
            yield Statement(line, plain.group(1), body, True)
            line += text.count("\n", position, plain.end())
            position = plain.end()
            continue
        simple = _SIMPLE_LINE.match(text, position, end)
        if simple is not None:
            command = simple.group().rstrip(" \t\r\f\v")
            if _SPACE.search(command) is None:
                yield Statement(line, command, None, True)
            position = simple.end()
            continue
        command_line = line
        words, position, line = _command(text, position, end, line)
        last = words[-1]
        if len(words) >= 2 and last.kind == BRACED:
            head = word_text(text, words[-2]) if words[-2].kind == BARE else ""
            yield Statement(command_line, head, last, last.closed)
        elif len(words) == 1 and last.kind == BARE:
            yield Statement(command_line, word_text(text, last), None, last.closed)
        elif not last.closed:
            yield Statement(command_line, "", None, False)


def _command(text: str, position: int, end: int, line: int) -> tuple[list[Word], int, int]:
    """The words of the command at `position` (one at least), where the text after it starts, its line."""
    words: list[Word] = []
    while position < end:
        blank = _BLANK.match(text, position, end)
        if blank is not None:
            line += text.count("\n", position, blank.end())
            position = blank.end()
            if position >= end:
                break
        if text[position] in "\n;":
            break
        word, position = _word(text, position, end, line, _COMMAND_RUN)
        line += text.count("\n", word.start, position)
        words.append(word)
    return words, position, line


_SEPARATOR_STARTS = frozenset(" \t\r\f\v;\n#\\")


def _skip_separators(text: str, position: int, end: int, line: int) -> tuple[int, int]:
    while position < end:
        character = text[position]
        if character not in _SEPARATOR_STARTS:
            break
        if character == "\n":
            line += 1
            position += 1
        elif character == "#":
            newline = text.find("\n", position, end)
            position = end if newline < 0 else newline
        else:
            blank = _BETWEEN_COMMANDS.match(text, position, end) or _BLANK.match(text, position, end)
            if blank is None:
                break
            line += text.count("\n", position, blank.end())
            position = blank.end()
    return position, line


def list_pairs(text: str, start: int, end: int, line: int, wanted: frozenset[str]) -> list[tuple[str, Word]]:
    """(name, value) of each pair of the TCL list `text[start:end]` whose name is in `wanted`."""
    found: list[tuple[str, Word]] = []
    position = counted = start  # `line` is the line of `counted`: newlines are counted once
    while position < end:
        pair = _PLAIN_PAIR.match(text, position, end)
        if pair is not None:
            position = pair.end()
            if pair.group(1) in wanted:
                line += text.count("\n", counted, pair.start(1))
                counted = pair.start(1)
                found.append((pair.group(1), _pair_value(pair, line)))
            continue
        words: list[Word] = []
        while len(words) < 2:
            space = _LIST_SPACE.match(text, position, end)
            position = position if space is None else space.end()
            if position >= end:
                return found  # a name without a value names nothing
            word, position = _word(text, position, end, 0, _LIST_RUN)
            words.append(word)
        name = word_text(text, words[0])
        if name in wanted:
            line += text.count("\n", counted, words[0].start)
            counted = words[0].start
            value_line = line + text.count("\n", words[0].start, words[1].start)
            found.append((name, words[1]._replace(line=value_line)))
    return found


def _pair_value(pair: re.Match[str], line: int) -> Word:
    if pair.group(2) is not None:
        return Word(BARE, pair.start(2), pair.end(2), line, True)
    return Word(QUOTED, pair.start(3), pair.end(3), line, True)


def _word(text: str, position: int, end: int, line: int, bare_run: re.Pattern[str]) -> tuple[Word, int]:
    """The word starting at `position`, and where the text after it starts."""
    character = text[position]
    if character == "{":
        close = _closing(text, position + 1, end, _BRACE_MARK, "{")
        if close < 0:
            return Word(BRACED, position + 1, end, line, False), end
        return Word(BRACED, position + 1, close, line, True), close + 1
    if character == '"':
        quoted = _QUOTED.match(text, position, end)
        if quoted is None:
            return Word(QUOTED, position + 1, end, line, False), end
        return Word(QUOTED, position + 1, quoted.end() - 1, line, True), quoted.end()
    start = position
    while position < end:
        run = bare_run.match(text, position, end)
        if run is not None:
            position = run.end()
            if position >= end:
                break
        character = text[position]
        if character == "[":
            close = _closing(text, position + 1, end, _BRACKET_MARK, "[")
            if close < 0:
                return Word(BARE, start, end, line, False), end
            position = close + 1
        elif character == "\\" and position + 1 < end and text[position + 1] != "\n":
            position += 2
        else:
            break
    if position == start:
        position += 1  # a lone backslash before the end: a word of itself, so reading moves on
    return Word(BARE, start, position, line, True), position


def _closing(text: str, position: int, end: int, marks: re.Pattern[str], opening: str) -> int:
    """Index of the bracket that closes one already open, or -1 when the text ends first."""
    depth = 1
    for mark in marks.finditer(text, position, end):
        found = mark.group()
        if found == opening:
            depth += 1
        elif len(found) == 1:
            depth -= 1
            if depth == 0:
                return mark.start()
    return -1


def word_text(text: str, word: Word) -> str:
    """The value a word stands for: braced words literally, others with backslash escapes decoded."""
    raw = text[word.start:word.end]
    if word.kind == BRACED or "\\" not in raw:
        return raw
    return _BACKSLASH.sub(_unescape, raw)


def _unescape(escape: re.Match[str]) -> str:
    body = escape.group()[1:]
    head = body[0]
    if head in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[head]
    if head == "\n":
        return " "
    if head in "xu" and len(body) > 1:
        return _character(int(body[1:], 16))
    if head.isdigit() and head not in "89":
        return _character(int(body, 8))
    return body  # any other escaped character stands for itself: \[ \$ \" \\ \{


def _character(code: int) -> str:
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)  # a lone surrogate cannot be printed
