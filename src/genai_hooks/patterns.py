"""Manifest patterns: compile them (frame tokens, `**`, classes) and match millions of paths fast.

A pattern is anchored to its manifest's directory. Its leading literal segments form a *prefix*
(a repository path); the matcher indexes patterns by prefix, so a file only meets the patterns
whose prefix is one of its ancestors: cost per file grows with path depth, not pattern count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from re import Pattern
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")

# A frame number as a renderer writes it with padding N: exactly N digits, or more without a leading zero.
_UDIM = "(?:100[1-9]|10[1-9][0-9]|1[1-9][0-9]{2}|[2-9][0-9]{3})"
_PRINTF = re.compile(r"%0?(\d*)d")
_HOUDINI = re.compile(r"\$F(\d*)")
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
_UNESCAPE = re.compile(r"\\(.)")
_SPECIAL = re.compile(r"[\\*?\[#%$<]")  # a segment without these is literal text


class PatternError(ValueError):
    """A pattern that cannot be compiled; `suggestion` is a corrected pattern when one is obvious."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def frame_regex(padding: int) -> str:
    if padding <= 1:
        return "-?(?:[0-9]|[1-9][0-9]+)"
    return f"-?(?:[0-9]{{{padding}}}|[1-9][0-9]{{{padding},}})"


@dataclass(frozen=True)
class CompiledPattern:
    text: str  # as written in the manifest
    prefix: str  # repository path of the leading literal segments ("" = repository root)
    rest: str | None  # regex for the path below `prefix` (and anything under it); None: literal

    def matches(self, path: str) -> bool:
        """Does this pattern cover `path` (a repository path)? For tests and one-off checks."""
        if self.prefix:
            if path == self.prefix:
                return self.rest is None
            if not path.startswith(self.prefix + "/"):
                return False
            remainder = path[len(self.prefix) + 1:]
        else:
            remainder = path
        return self.rest is None or re.match(self.rest, remainder, re.DOTALL) is not None


def _join(base: str, rel: str) -> str:
    if not base:
        return rel
    return f"{base}/{rel}" if rel else base


def _segment_regex(segment: str, pattern: str) -> tuple[str, bool]:
    """Translate one segment to a regex; return (regex, is_literal)."""
    if not _SPECIAL.search(segment):
        return re.escape(segment), True
    out: list[str] = []
    literal = True
    i = 0
    n = len(segment)
    while i < n:
        c = segment[i]
        if c == "\\":
            if i + 1 >= n:
                raise PatternError(f"pattern {pattern!r} ends with a lone '\\'")
            out.append(re.escape(segment[i + 1]))
            i += 2
            continue
        if c == "*":
            if segment.startswith("**", i):
                head, tail = segment[:i], segment[i + 2:]
                fixed = "/".join(part for part in (head.rstrip("/"), "**", ("*" + tail) if tail else "") if part)
                raise PatternError(
                    f"'**' must be a whole path segment in {pattern!r}",
                    suggestion=pattern.replace(segment, fixed.replace("***", "**/*"), 1)
                    if head or tail else None,
                )
            out.append("[^/]*")
            literal = False
            i += 1
            continue
        if c == "?":
            out.append("[^/]")
            literal = False
            i += 1
            continue
        if c == "[":
            end = segment.find("]", i + 2 if segment.startswith("[!", i) else i + 1)
            if end < 0:
                raise PatternError(f"unclosed '[' in {pattern!r}")
            body = segment[i + 1:end]
            negate = body.startswith("!")
            if negate:
                body = body[1:]
            if not body:
                raise PatternError(f"empty character class in {pattern!r}")
            escaped = "".join("\\" + ch if ch in "\\^]" else ch for ch in body)
            try:
                re.compile(f"[{escaped}]")
            except re.error as error:  # a range like [z-a]
                raise PatternError(f"bad character class [{segment[i + 1:end]}] in {pattern!r}: {error.msg}") from None
            out.append(f"[^/{escaped}]" if negate else f"[{escaped}]")
            literal = False
            i = end + 1
            continue
        if c == "#":
            run = len(segment[i:]) - len(segment[i:].lstrip("#"))
            out.append(frame_regex(run))
            literal = False
            i += run
            continue
        if c == "%":
            m = _PRINTF.match(segment, i)
            if m:
                out.append(frame_regex(int(m.group(1) or 1)))
                literal = False
                i = m.end()
                continue
        if c == "$":
            m = _HOUDINI.match(segment, i)
            if m:
                out.append(frame_regex(int(m.group(1) or 1)))
                literal = False
                i = m.end()
                continue
        if c == "<" and segment.startswith("<UDIM>", i):
            out.append(_UDIM)
            literal = False
            i += len("<UDIM>")
            continue
        out.append(re.escape(c))
        i += 1
    return "".join(out), literal


def compile_pattern(pattern: str, base: str = "") -> CompiledPattern:
    """Compile `pattern`, written in the manifest of directory `base` (a repository path)."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError("a pattern must be a non-empty string")
    if pattern.startswith("/") or _DRIVE.match(pattern):
        raise PatternError(f"pattern {pattern!r} is absolute; patterns are relative to the manifest's directory")
    segments = [s for s in pattern.rstrip("/").split("/") if s not in ("", ".")]
    if not segments:
        raise PatternError(f"pattern {pattern!r} selects nothing")
    if ".." in segments:
        raise PatternError(f"pattern {pattern!r} leaves the manifest's directory ('..')")

    prefix_parts: list[str] = []
    index = 0
    for index, segment in enumerate(segments):
        regex, literal = ("", False) if segment == "**" else _segment_regex(segment, pattern)
        if not literal:
            break
        prefix_parts.append(_UNESCAPE.sub(r"\1", segment) if "\\" in segment else segment)
    else:
        return CompiledPattern(pattern, _join(base, "/".join(prefix_parts)), None)

    pieces: list[str] = []
    rest = segments[index:]
    for position, segment in enumerate(rest):
        last = position == len(rest) - 1
        if segment == "**":
            # zero or more directories; trailing: at least something below
            pieces.append(".+" if last else "(?:[^/]+/)*")
            continue
        regex, _ = _segment_regex(segment, pattern)
        pieces.append(regex if last else regex + "/")
    body = "".join(pieces)
    body = body.removesuffix("/")
    return CompiledPattern(pattern, _join(base, "/".join(prefix_parts)), f"(?:{body})(?:/.*)?\\Z")


@dataclass
class _Bucket(Generic[T]):
    literal: list[T] = field(default_factory=list)  # patterns equal to the prefix: cover it and below
    sources: list[tuple[str, T]] = field(default_factory=list)  # compiled when a directory first needs them
    _compiled: list[tuple[Pattern[str], T]] | None = None

    @property
    def regex(self) -> list[tuple[Pattern[str], T]]:
        if self._compiled is None or len(self._compiled) != len(self.sources):
            self._compiled = [(re.compile(source, re.DOTALL), payload) for source, payload in self.sources]
        return self._compiled


@dataclass
class DirectoryView(Generic[T]):
    """What the patterns say about the files of one directory."""

    whole: list[T]  # payloads whose patterns cover every file of the directory
    per_file: list[tuple[Pattern[str], int, T]]  # (regex, offset into the path, payload), best rank first
    best_whole: T | None
    challengers: list[tuple[Pattern[str], int, T]]  # per_file entries that outrank best_whole


_EMPTY_VIEW: DirectoryView[Any] = DirectoryView([], [], None, [])


class PatternIndex(Generic[T]):
    """Many patterns, each carrying a payload ranked by `rank`; answers per file in near-constant time.

    Patterns sit in buckets by literal prefix; a directory's view gathers the buckets of its
    ancestors once, and the files of that directory only test the patterns that need a file name.
    """

    def __init__(self, rank: Callable[[T], Any] = lambda payload: 0) -> None:
        self._rank = rank
        self._buckets: dict[str, _Bucket[T]] = {}
        self._children: dict[str, _Bucket[T]] = {}  # literal patterns by parent directory
        self._views: dict[str, DirectoryView[T]] = {}

    def add(self, pattern: CompiledPattern, payload: T) -> None:
        bucket = self._buckets.setdefault(pattern.prefix, _Bucket())
        if pattern.rest is None:
            bucket.literal.append(payload)
            parent, _, name = pattern.prefix.rpartition("/")
            self._children.setdefault(parent, _Bucket()).sources.append((re.escape(name) + r"(?:/.*)?\Z", payload))
        else:
            bucket.sources.append((pattern.rest, payload))
        self._views.clear()

    def __bool__(self) -> bool:
        return bool(self._buckets)

    def view(self, directory: str) -> DirectoryView[T]:
        cached = self._views.get(directory)
        if cached is not None:
            return cached
        whole: list[T] = []
        per_file: list[tuple[Pattern[str], int, T]] = []
        ancestors = [""]
        slash = directory.find("/")
        while slash >= 0:
            ancestors.append(directory[:slash])
            slash = directory.find("/", slash + 1)
        if directory:
            ancestors.append(directory)
        buckets = self._buckets
        if not any(a in buckets for a in ancestors) and directory not in self._children:
            view: DirectoryView[T] = _EMPTY_VIEW
            self._views[directory] = view
            return view
        for ancestor in ancestors:
            bucket = self._buckets.get(ancestor)
            if bucket is None:
                continue
            if ancestor:
                whole.extend(bucket.literal)
            offset = len(ancestor) + 1 if ancestor else 0
            below = directory[offset:] if ancestor != directory else ""
            for regex, payload in bucket.regex:
                if below and regex.match(below):
                    whole.append(payload)
                else:
                    per_file.append((regex, offset, payload))
        offset = len(directory) + 1 if directory else 0
        children = self._children.get(directory)
        if children is not None:
            per_file.extend((regex, offset, payload) for regex, payload in children.regex)
        rank = self._rank
        if len(per_file) > 1:
            per_file.sort(key=lambda item: rank(item[2]), reverse=True)
        best_whole = max(whole, key=rank) if whole else None
        floor = rank(best_whole) if best_whole is not None else None
        challengers = [c for c in per_file if floor is None or rank(c[2]) > floor]
        view = DirectoryView(whole, per_file, best_whole, challengers)
        if len(self._views) > 200_000:
            self._views.clear()
        self._views[directory] = view
        return view

    def matches(self, path: str) -> Iterator[T]:
        """Every payload whose pattern covers `path` (once per matching pattern)."""
        view = self.view(path.rpartition("/")[0])
        yield from view.whole
        for regex, offset, payload in view.per_file:
            if regex.match(path, offset):
                yield payload

    def best(self, path: str) -> T | None:
        """The highest-ranked payload covering `path`."""
        view = self.view(path.rpartition("/")[0])
        for regex, offset, payload in view.challengers:
            if regex.match(path, offset):
                return payload
        return view.best_whole

    def uncovered(self, directory: str, names: list[str]) -> list[str]:
        """The files of `directory` (repository paths) that no pattern covers, a directory at a time."""
        view = self.view(directory)
        if view.whole:
            return []
        if not view.per_file:
            return names
        return [p for p in names if not any(regex.match(p, offset) for regex, offset, _ in view.per_file)]

    def covers(self, path: str) -> bool:
        view = self.view(path.rpartition("/")[0])
        if view.whole:
            return True
        return any(regex.match(path, offset) for regex, offset, _ in view.per_file)
