"""All manifests of a snapshot, each file's chain, and the indexes that answer 'generated? deliverable?'."""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING

from .approvals import Book, Cited, Signers, cite
from .approvals.facts import LockProblems, read_books
from .findings import Severity
from .listing import holds_below
from .manifest import GeneratedEntry, Manifest, ManifestInvalid, ModelEntry, Tool, parse_manifest
from .manifest_reader import Problem
from .pattern_index import PatternIndex
from .rules import RULES
from .schema import DEPICTING

if TYPE_CHECKING:
    from .content import ContentReader

MANIFEST_LIMIT = 4 << 20  # a genai.toml larger than this is not read


@dataclass(frozen=True)
class Invalid:
    path: str
    problems: tuple[Problem, ...]


def _ancestors(directory: str) -> list[str]:
    """"" and every ancestor of `directory`, itself included, root first."""
    if not directory:
        return [""]
    parts = directory.split("/")
    return [""] + ["/".join(parts[: i + 1]) for i in range(len(parts))]


def directory_of(path: str) -> str:
    return posixpath.dirname(path)


@dataclass
class ManifestSet:
    valid: dict[str, Manifest]  # by directory
    invalid: dict[str, Invalid]  # by directory
    generated: PatternIndex[GeneratedEntry] = field(default_factory=lambda: PatternIndex(rank=entry_rank))
    deliverables: PatternIndex[Manifest] = field(default_factory=lambda: PatternIndex(ignore_case=True))
    ignored: PatternIndex[Manifest] = field(default_factory=PatternIndex)
    archival: PatternIndex[Manifest] = field(default_factory=lambda: PatternIndex(ignore_case=True))
    models: PatternIndex[ModelEntry] = field(default_factory=lambda: PatternIndex(rank=entry_rank))
    complete: bool = False  # every manifest of the snapshot, not only the chains of some files
    books: dict[str, Book] = field(default_factory=dict)  # by root directory: register, pins, approvers
    lock_problems: dict[str, LockProblems] = field(default_factory=dict)  # by directory: an invalid genai.lock
    _chains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _cited: dict[tuple[int, datetime.date], Cited] = field(default_factory=dict)  # by id of an entry held here

    @classmethod
    def read(cls, content: ContentReader, paths: Iterable[str]) -> ManifestSet:
        """The manifests at `paths` in `content`'s snapshot (one over MANIFEST_LIMIT bytes is unreadable), with
        each root's approval facts (genai.lock, approvers)."""
        manifests = cls.load(content.read_whole(paths, MANIFEST_LIMIT))
        roots = {d: m for d, m in manifests.valid.items() if manifests.chain_dirs(d)[0] == d}
        nested = [d for d in manifests.valid if d not in roots]
        manifests.books, manifests.lock_problems = read_books(
            roots, nested, content.read_whole, content.snapshot.existing, content.approvers)
        return manifests

    @classmethod
    def load(cls, texts: Mapping[str, bytes | None]) -> ManifestSet:
        """Parse every genai.toml (path -> content; None: unreadable) and check each chain."""
        directories = {directory_of(p): p for p in texts}
        valid: dict[str, Manifest] = {}
        invalid: dict[str, Invalid] = {}
        for directory in sorted(directories, key=lambda d: (d.count("/") if d else -1, d)):
            path = directories[directory]
            above = [a for a in _ancestors(directory)[:-1] if a in directories]
            data = texts[path]
            if data is None:
                invalid[directory] = Invalid(path, (Problem(1, "the manifest could not be read from the snapshot"),))
                continue
            try:
                manifest = parse_manifest(path, data, is_root=not above)
            except ManifestInvalid as error:
                invalid[directory] = Invalid(path, tuple(error.problems))
                continue
            clash = _duplicate_tools(manifest, [valid[a] for a in above if a in valid])
            if clash:
                invalid[directory] = Invalid(path, tuple(clash))
                continue
            valid[directory] = manifest
        result = cls(valid, invalid)
        result._index()
        return result

    def _index(self) -> None:
        for manifest in self.valid.values():
            for entry in manifest.generated:
                for pattern in entry.patterns:
                    self.generated.add(pattern, entry)
            for pattern in manifest.deliverables:
                self.deliverables.add(pattern, manifest)
            for pattern in manifest.detect_ignore:
                self.ignored.add(pattern, manifest)
            for pattern in manifest.archival:
                self.archival.add(pattern, manifest)
            for model in manifest.models:
                for pattern in model.patterns:
                    self.models.add(pattern, model)

    def chain_dirs(self, directory: str) -> tuple[str, ...]:
        """Directories holding a manifest (valid or not) from the root down to `directory`."""
        cached = self._chains.get(directory)
        if cached is None:
            cached = tuple(a for a in _ancestors(directory) if a in self.valid or a in self.invalid)
            self._chains[directory] = cached
        return cached

    def chains_below(self, paths: list[str]) -> tuple[set[str], set[str]]:
        """The valid roots heading, and the invalid manifests or genai.locks in, the chain of any directory holding
        one of the sorted `paths`: worked out a manifest at a time (a directory holding a manifest is in the chain
        of every file below it, and heads it when none lies above)."""
        roots: set[str] = set()
        invalid: set[str] = set()
        for directory in set(self.valid) | set(self.invalid):
            if holds_below(paths, directory):
                if directory in self.valid and self.chain_dirs(directory)[0] == directory:
                    roots.add(directory)
                if directory in self.invalid or directory in self.lock_problems:
                    invalid.add(directory)
        return roots, invalid

    def chain(self, directory: str) -> list[Manifest]:
        return [self.valid[d] for d in self.chain_dirs(directory) if d in self.valid]

    def root_of(self, directory: str) -> Manifest | None:
        dirs = self.chain_dirs(directory)
        return self.valid.get(dirs[0]) if dirs else None

    def book_of(self, directory: str) -> Book | None:
        """The approvals of the production governing `directory`: its root's register, pins and approvers."""
        dirs = self.chain_dirs(directory)
        if not dirs or dirs[0] not in self.valid:
            return None
        book = self.books.get(dirs[0])
        if book is None:  # read without the snapshot (ManifestSet.load): the register, and no signer can be read
            root = self.valid[dirs[0]]
            approvers = root.production.approvers if root.production else None
            book = self.books[dirs[0]] = Book(root, signers=Signers.of(approvers, None) if approvers else None)
        return book

    def tool_for(self, entry: GeneratedEntry | ModelEntry) -> Tool | None:
        if entry.tool is None:
            return None
        for manifest in reversed(self.chain(directory_of(entry.manifest))):
            for tool in manifest.tools:
                if tool.id == entry.tool:
                    return tool
        return None

    def cited(self, entry: GeneratedEntry | ModelEntry, as_of: datetime.date) -> Cited:
        """What the approvals `entry` cites establish on `as_of`: judged once per entry, not once per frame."""
        key = (id(entry), as_of)
        found = self._cited.get(key)
        if found is None:
            found = cite(self.book_of(directory_of(entry.manifest)), entry.approvals, as_of)
            self._cited[key] = found
        return found

    def winning_entry(self, path: str) -> GeneratedEntry | None:
        """The nearest manifest's last matching [[generated]] entry."""
        return self.generated.best(path)

    def is_deliverable(self, path: str) -> bool:
        return self.deliverables.covers(path)

    def gate_anchors(self) -> frozenset[str]:
        """Where deliverable and archival paths lie: the literal prefixes of their patterns, as keys (lower case,
        NFC: both indexes ignore case); "" when one may lie anywhere."""
        return self.deliverables.prefixes() | self.archival.prefixes()

    def gate_scoped(self, paths: Iterable[str]) -> list[str]:
        """The paths in a deliverable or an archival path (where a silent pass would matter), a directory at a
        time."""
        out: list[str] = []
        for directory, group in groupby(paths, key=lambda p: p.rpartition("/")[0]):
            names = list(group)
            found = self.deliverables.covered(directory, names)
            if self.archival and len(found) < len(names):
                chosen = set(found) | set(self.archival.covered(directory, names))
                found = [p for p in names if p in chosen]
            out.extend(found)
        return out

    def documentary(self, directory: str) -> bool:
        root = self.root_of(directory)
        return root is not None and root.production is not None and root.production.kind == "documentary"

    def presented_as_real(self, path: str, deliverable: bool | None = None) -> str | None:
        """Why generated material at `path` would be taken for real (GAI210), or None: an [archival] path,
        or a deliverable of a documentary. `deliverable`: already known, saves a lookup."""
        if self.archival and self.archival.covers(path):
            return "in an archival path"
        if self.documentary(directory_of(path)) and (self.is_deliverable(path) if deliverable is None
                                                     else deliverable):
            return "a deliverable of a documentary production"
        return None

    def disclosure_needed(self, path: str, categories: Iterable[str], deliverable: bool) -> str | None:
        """Why a generated file must be disclosed to the audience (GAI214), or None: a deliverable that depicts
        people (its categories, inherited ones included) or would be taken for real."""
        if not deliverable:
            return None
        depicts = [c for c in dict.fromkeys(categories) if c in DEPICTING]
        if depicts:
            return f"depicts {', '.join(depicts)}"
        return self.presented_as_real(path, deliverable)

    def severity(self, rule: str, directory: str) -> Severity:
        if rule == "GAI001":
            return Severity.ERROR
        root = self.root_of(directory)
        if root is not None and rule in root.severity:
            return root.severity[rule]
        if rule == "GAI214" and root is not None and root.production is not None \
                and "EU" in root.production.territories:
            return Severity.ERROR  # EU AI Act Art. 50(4): a deepfake released in the EU is disclosed
        return RULES[rule].default

    def severity_set(self, rule: str, directory: str) -> bool:
        """Whether the root's [policy] names this rule's severity (the production decided, not the default)."""
        root = self.root_of(directory)
        return root is not None and rule in root.severity

    def editorial(self, directory: str) -> tuple[list[tuple[str, str]], list[float]]:
        """The chain's path_map mappings, root first, every one kept (a nested manifest adds a mapping, it
        never replaces the root's), and its declared frame rates, nearest first."""
        mappings: list[tuple[str, str]] = []
        rates: list[float] = []
        for manifest in self.chain(directory):
            mappings.extend(manifest.path_map)
            if manifest.rate is not None:
                rates.insert(0, manifest.rate)
        return mappings, rates


def entry_rank(entry: GeneratedEntry | ModelEntry) -> tuple[int, int]:
    """Nearest manifest first (in one chain a deeper manifest has a longer path), then the last entry."""
    return (len(entry.manifest), entry.index)


def _duplicate_tools(manifest: Manifest, above: list[Manifest]) -> list[Problem]:
    declared = {tool.id: m.path for m in above for tool in m.tools}
    return [Problem(tool.line, f"tool id '{tool.id}' is already declared in {declared[tool.id]}; "
                    "ids are unique across a chain") for tool in manifest.tools if tool.id in declared]


__all__ = ["Invalid", "ManifestSet", "directory_of"]
