"""Where things are in a TOML text: the line of every table header and key.

tomllib returns values without positions; findings must name lines, so this scanner walks the
text once, skipping strings and multi-line values, and records headers and keys as they appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_KEY = re.compile(r"""\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*=""")


def split_dotted(text: str) -> tuple[str, ...]:
    """`tools."my tool".vendor` -> ("tools", "my tool", "vendor")."""
    parts: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c in " \t.":
            i += 1
        elif c == '"':
            m = re.match(r'"((?:[^"\\]|\\.)*)"', text[i:])
            if not m:
                break
            parts.append(m.group(1).encode("utf-8", "surrogatepass").decode("unicode_escape", "replace")
                         if "\\" in m.group(1) else m.group(1))
            i += m.end()
        elif c == "'":
            end = text.find("'", i + 1)
            if end < 0:
                break
            parts.append(text[i + 1:end])
            i = end + 1
        else:
            m = _BARE.match(text, i)
            if not m:
                break
            parts.append(m.group(0))
            i = m.end()
    return tuple(parts)


@dataclass
class Header:
    name: tuple[str, ...]
    array: bool  # [[name]]
    line: int
    keys: dict[tuple[str, ...], int] = field(default_factory=dict)


@dataclass
class TomlLines:
    root_keys: dict[tuple[str, ...], int]
    headers: list[Header]
    _arrays: dict[tuple[str, ...], list[Header]] | None = None

    def table(self, name: tuple[str, ...]) -> Header | None:
        for header in self.headers:
            if header.name == name and not header.array:
                return header
        return None

    def array_item(self, name: tuple[str, ...], index: int) -> Header | None:
        if self._arrays is None:
            self._arrays = {}
            for header in self.headers:
                if header.array:
                    self._arrays.setdefault(header.name, []).append(header)
        items = self._arrays.get(name, [])
        return items[index] if index < len(items) else None

    def key_line(self, header: Header | None, key: str, default: int) -> int:
        keys = header.keys if header is not None else self.root_keys
        for dotted, line in keys.items():
            if dotted[0] == key:
                return line
        return default


_ONE_LINE_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'[^']*'""")


def _strip_strings(line: str, state: dict[str, str | None]) -> str:
    """Blank out string contents and comments, tracking multi-line strings across lines."""
    if not state.get("ml") and '"""' not in line and "'''" not in line:  # the common case, in C
        return _ONE_LINE_STRING.sub('""', line).partition("#")[0]
    out: list[str] = []
    i = 0
    while i < len(line):
        open_ml = state.get("ml")
        if open_ml:
            end = line.find(open_ml, i)
            if end < 0:
                return "".join(out)
            i = end + 3
            state["ml"] = None
            out.append('""')
            continue
        c = line[i]
        if c == "#":
            break
        if line.startswith('"""', i) or line.startswith("'''", i):
            state["ml"] = line[i:i + 3]
            i += 3
            continue
        if c in "\"'":
            j = i + 1
            while j < len(line) and line[j] != c:
                j += 2 if c == '"' and line[j] == "\\" else 1
            out.append('""')  # contents blanked: brackets inside strings are not structure
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def scan(text: str) -> TomlLines:
    root: dict[tuple[str, ...], int] = {}
    headers: list[Header] = []
    state: dict[str, str | None] = {"ml": None}
    depth = 0  # open brackets/braces of a multi-line value
    for number, raw in enumerate(text.splitlines(), start=1):
        at_start_ml = state.get("ml") is not None
        line = _strip_strings(raw, state)
        if at_start_ml:
            continue
        stripped = line.strip()
        if depth == 0 and stripped.startswith("["):
            array = stripped.startswith("[[")
            text_ = raw.strip()
            inner = text_[2:text_.find("]]")] if array else text_[1:text_.find("]")]
            headers.append(Header(split_dotted(inner), array, number))
            continue
        if depth == 0:
            m = _KEY.match(raw)
            if m:
                target = headers[-1].keys if headers else root
                target.setdefault(split_dotted(m.group(1)), number)
        depth = max(0, depth + line.count("[") + line.count("{") - line.count("]") - line.count("}"))
    return TomlLines(root, headers)


_STOPPED = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*\Z")


def parse_error(message: str, text: str) -> tuple[int, int, str]:
    """A TOML parser's error -> (line, column, reason) where it stopped; the end of a cut-short file is its last
    character, not line 1."""
    found = _STOPPED.search(message)
    reason = message[:found.start()] if found else message
    if found is not None and found.group(1) is not None:
        return int(found.group(1)), int(found.group(2)), reason
    if found is None:
        return 1, 1, reason
    body = text.removesuffix("\n")
    last = body.rsplit("\n", 1)[-1]
    return body.count("\n") + 1, len(last) + 1, reason + " at the end of the file (is it cut short?)"
