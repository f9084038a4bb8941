"""Patterns indexed by their literal prefix (see patterns.py): a file meets only the patterns whose prefix is
one of its ancestors, and a directory's files share its view of them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, TypeVar

from .patterns import CompiledPattern, Matcher, compile_matcher, match_key

T = TypeVar("T")


@dataclass
class _Bucket(Generic[T]):
    literal: list[T] = field(default_factory=list)  # patterns equal to the prefix: cover it and below
    sources: list[tuple[str, bool, T]] = field(default_factory=list)  # (regex, linear, payload), compiled late
    _compiled: list[tuple[Matcher, T]] | None = None

    def regex(self, ignore_case: bool) -> list[tuple[Matcher, T]]:
        if self._compiled is None or len(self._compiled) != len(self.sources):
            self._compiled = [(compile_matcher(source, linear=linear, ignore_case=ignore_case), payload)
                              for source, linear, payload in self.sources]
        return self._compiled


@dataclass
class DirectoryView(Generic[T]):
    """What the patterns say about the files of one directory."""

    whole: list[T]  # payloads whose patterns cover every file of the directory
    per_file: list[tuple[Matcher, int, T]]  # (matcher, offset into the path key, payload), best rank first
    best_whole: T | None
    challengers: list[tuple[Matcher, int, T]]  # per_file entries that outrank best_whole


_EMPTY_VIEW: DirectoryView[Any] = DirectoryView([], [], None, [])


class PatternIndex(Generic[T]):
    """Many patterns, each carrying a payload ranked by `rank`; answers per file in near-constant time.

    Patterns sit in buckets by literal prefix; a directory's view gathers the buckets of its
    ancestors once, and the files of that directory only test the patterns that need a file name.
    Views and matchers work on path *keys* (`key`): NFC, and lower-cased in an index that ignores case.
    """

    def __init__(self, rank: Callable[[T], Any] = lambda payload: 0, *, ignore_case: bool = False) -> None:
        self._rank = rank
        self.ignore_case = ignore_case
        self._buckets: dict[str, _Bucket[T]] = {}
        self._children: dict[str, _Bucket[T]] = {}  # literal patterns by parent directory
        self._views: dict[str, DirectoryView[T]] = {}

    def key(self, path: str) -> str:
        """How this index compares `path`: Unicode NFC, lower-cased when it ignores case."""
        key = match_key(path)
        return key.lower() if self.ignore_case else key

    def add(self, pattern: CompiledPattern, payload: T) -> None:
        bucket = self._buckets.setdefault(pattern.prefix, _Bucket())
        if pattern.rest is None:
            bucket.literal.append(payload)
            parent, _, name = pattern.prefix.rpartition("/")
            self._children.setdefault(parent, _Bucket()).sources.append(
                (re.escape(name) + r"(?:/.*)?\Z", True, payload))
        else:
            bucket.sources.append((pattern.rest, pattern.linear, payload))
        self._views.clear()

    def prefixes(self) -> frozenset[str]:
        """The literal prefixes (as keys) of the patterns: every path a pattern covers lies at or below one."""
        return frozenset(self._buckets)

    def __bool__(self) -> bool:
        return bool(self._buckets)

    def view(self, directory: str) -> DirectoryView[T]:
        """The view of a directory given as a key (`key(directory)`)."""
        cached = self._views.get(directory)
        if cached is not None:
            return cached
        whole: list[T] = []
        per_file: list[tuple[Matcher, int, T]] = []
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
            for matcher, payload in bucket.regex(self.ignore_case):
                if below and matcher.match(below):
                    whole.append(payload)
                else:
                    per_file.append((matcher, offset, payload))
        offset = len(directory) + 1 if directory else 0
        children = self._children.get(directory)
        if children is not None:
            per_file.extend((matcher, offset, payload) for matcher, payload in children.regex(self.ignore_case))
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
        key = self.key(path)
        view = self.view(key.rpartition("/")[0])
        yield from view.whole
        for matcher, offset, payload in view.per_file:
            if matcher.match(key, offset):
                yield payload

    def best(self, path: str) -> T | None:
        """The highest-ranked payload covering `path`."""
        key = self.key(path)
        view = self.view(key.rpartition("/")[0])
        for matcher, offset, payload in view.challengers:
            if matcher.match(key, offset):
                return payload
        return view.best_whole

    def uncovered(self, directory: str, names: list[str]) -> list[str]:
        """The files of `directory` (repository paths) that no pattern covers, a directory at a time."""
        view = self.view(self.key(directory))
        if view.whole:
            return []
        if not view.per_file:
            return names
        keyed = [(p, self.key(p)) for p in names]
        return [p for p, key in keyed if not any(matcher.match(key, offset) for matcher, offset, _ in view.per_file)]

    def covered(self, directory: str, names: list[str]) -> list[str]:
        """The files of `directory` (repository paths) some pattern covers, a directory at a time."""
        view = self.view(self.key(directory))
        if view.whole or not view.per_file:
            return names if view.whole else []
        return [p for p in names if any(matcher.match(self.key(p), offset) for matcher, offset, _ in view.per_file)]

    def covers(self, path: str) -> bool:
        key = self.key(path)
        view = self.view(key.rpartition("/")[0])
        if view.whole:
            return True
        return any(matcher.match(key, offset) for matcher, offset, _ in view.per_file)
