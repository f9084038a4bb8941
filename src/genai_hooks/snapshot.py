"""Which content is judged (the index or a commit) and which files are selected."""

from __future__ import annotations

import bisect
import os
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .errors import UsageError
from .gitcmd import GitFailed, GitRepository, decode_paths

_LOOKUPS_BEFORE_LISTING = 50_000
SHALLOW_ADVICE = ("this is a shallow clone; fetch the full history (actions/checkout with `fetch-depth: 0`, "
                  "or `git fetch --unshallow`) and run again")


class Snapshot:
    """The files of the index or of one commit, without submodules.

    A check of given paths never lists the whole snapshot: it looks paths up one batch at a
    time (`cat-file --batch-check`), so a 10,000-file commit in a million-file repository
    costs what those files cost. The full, sorted listing is read only when asked for.
    """

    def __init__(self, repository: GitRepository, commit: str | None) -> None:
        self.repository = repository
        self.commit = commit  # None: the index
        self._paths: list[str] | None = None
        self._members: frozenset[str] | None = None
        self._objects: dict[str, tuple[str, str, int] | None] = {}  # path -> (type, id, size)

    @property
    def label(self) -> str:
        return self.commit or "index"

    @property
    def listed(self) -> bool:
        return self._paths is not None

    @property
    def paths(self) -> list[str]:
        """Every file, sorted (read on first use)."""
        if self._paths is None:
            self._paths = _list(self.repository, self.commit)
        return self._paths

    def _lookup(self, paths: Sequence[str]) -> dict[str, tuple[str, str, int] | None]:
        todo = [p for p in dict.fromkeys(paths) if p not in self._objects]
        # a `REV:path` lookup walks trees each time; `:path` is a search of the index
        if len(todo) > (_LOOKUPS_BEFORE_LISTING if self.commit is None else _LOOKUPS_BEFORE_LISTING // 25):
            self._objects.update(self._from_listing(set(todo)))
        elif todo:
            prefix = self.commit or ""
            self._objects.update(self.repository.objects([f"{prefix}:{p}" for p in todo], todo))
        return {p: self._objects.get(p) for p in paths}

    def _from_listing(self, wanted: set[str]) -> dict[str, tuple[str, str, int] | None]:
        """Object ids from one detailed listing: one `path:name` lookup walks trees each time."""
        if self.commit is None:
            raw = self.repository.run("ls-files", "--stage", "-z")
        else:
            raw = self.repository.run("ls-tree", "-r", "-z", "--full-tree", self.commit)
        ids: dict[str, tuple[str, str]] = {}
        for record in decode_paths(raw):
            meta, _, path = record.partition("\t")
            if path in wanted:
                fields = meta.split(" ")
                object_id = fields[1] if self.commit is None else fields[2]
                ids[path] = ("commit" if fields[0] == "160000" else "blob", object_id)
        unique = sorted({object_id for kind, object_id in ids.values() if kind == "blob"})
        sizes = self.repository.objects(unique, unique)
        found: dict[str, tuple[str, str, int] | None] = dict.fromkeys(wanted)
        for path, (kind, object_id) in ids.items():
            size = sizes.get(object_id)
            found[path] = (kind, object_id, size[2] if size else 0) if kind == "commit" or size else None
        return found

    def existing(self, paths: Sequence[str]) -> list[str]:
        """The given paths that are files of the snapshot."""
        if self._paths is not None:
            if self._members is None:
                self._members = frozenset(self._paths)
            return [p for p in paths if p in self._members]
        return [p for p, found in self._lookup(paths).items() if found is not None and found[0] == "blob"]

    def blobs(self, paths: Sequence[str]) -> dict[str, tuple[str, int] | None]:
        """(blob id, size) of each path; None for what is not a blob (a conflict, a submodule)."""
        return {p: (found[1], found[2]) if found is not None and found[0] == "blob" else None
                for p, found in self._lookup(paths).items()}

    def below(self, directory: str) -> list[str]:
        """Files inside `directory` ("" = everything), sorted."""
        if not directory:
            return self.paths
        if self._paths is None:
            found = _list(self.repository, self.commit, ":(literal)" + directory + "/")
            return found
        start = bisect.bisect_left(self._paths, directory + "/")
        end = bisect.bisect_left(self._paths, directory + "0")  # "0" sorts right after "/"
        return self._paths[start:end]


def open_snapshot(repository: GitRepository, rev: str | None) -> Snapshot:
    return Snapshot(repository, None if rev is None else resolve_commit(repository, rev))


def _list(repository: GitRepository, commit: str | None, pathspec: str | None = None) -> list[str]:
    """Names only, the cheapest listing git has; sorted, deduplicated, submodules left out."""
    spec = ("--", pathspec) if pathspec else ()
    if commit is None:
        raw = repository.try_run("ls-files", "-z", "--deduplicate", *spec)  # conflicts: one line, not three
        if raw is None:  # git < 2.31
            raw = repository.run("ls-files", "-z", *spec)
    else:
        raw = repository.run("ls-tree", "-r", "-z", "--name-only", "--full-tree", commit, *spec)
    paths = decode_paths(raw)
    paths.sort()
    if commit is None and len(paths) > 1 and any(a == b for a, b in zip(paths, paths[1:])):
        paths = list(dict.fromkeys(paths))
    if paths and (pathspec or paths[bisect.bisect_left(paths, ".gitmodules") % len(paths)] == ".gitmodules"):
        gitlinks = set(_submodule_paths(repository, commit))
        if gitlinks:
            paths = [p for p in paths if p not in gitlinks]
    return paths


def _submodule_paths(repository: GitRepository, commit: str | None) -> tuple[str, ...]:
    raw = repository.try_run("config", "-z", "--blob", f"{commit or ''}:.gitmodules", "--get-regexp",
                             r"^submodule\..*\.path$")
    if not raw:
        return ()
    return tuple(entry.partition("\n")[2] for entry in decode_paths(raw))


def resolve_commit(repository: GitRepository, rev: str) -> str:
    if rev.startswith("-"):
        raise UsageError(f"unknown revision {rev!r}")
    try:
        return repository.run("rev-parse", "--verify", "--quiet", "--end-of-options",
                              f"{rev}^{{commit}}").decode().strip()
    except GitFailed:
        if is_shallow(repository):
            raise UsageError(f"unknown revision {rev!r}: {SHALLOW_ADVICE}") from None
        if _head(repository) is None:
            raise UsageError(f"unknown revision {rev!r}: the repository has no commit yet "
                             "(without --rev, genai-hooks judges the staged files)") from None
        raise UsageError(f"unknown revision {rev!r}; check the name with `git log --oneline`") from None


def is_shallow(repository: GitRepository) -> bool:
    return repository.try_run("rev-parse", "--is-shallow-repository") == b"true\n"


@dataclass(frozen=True)
class Change:
    status: str  # A M R C T D
    path: str  # new path (old path for D)


def changed_since(repository: GitRepository, snapshot: Snapshot, base: str) -> list[Change]:
    """Files added, modified, renamed or deleted between merge-base(BASE, snapshot) and the snapshot."""
    base_commit = resolve_commit(repository, base)
    head = snapshot.commit or _head(repository)
    if head is None:  # the first commit: everything in the index is new
        return [Change("A", path) for path in snapshot.paths]
    try:
        merge_base = repository.run("merge-base", base_commit, head).decode().strip()
    except GitFailed:
        if is_shallow(repository):
            raise UsageError(f"no merge base between {base} and {head[:12]}: {SHALLOW_ADVICE}") from None
        raise UsageError(f"{base} and {head[:12]} have no common history (no merge base)") from None
    args = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--ignore-submodules"]
    if snapshot.commit:
        raw = repository.run(*args, merge_base, snapshot.commit, "--")
    else:
        raw = repository.run(*args, "--cached", merge_base, "--")
    return parse_name_status(raw)


def _head(repository: GitRepository) -> str | None:
    out = repository.try_run("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    return out.decode().strip() if out else None


def parse_name_status(raw: bytes) -> list[Change]:
    fields = decode_paths(raw)
    changes: list[Change] = []
    i = 0
    while i < len(fields):
        status = fields[i][:1]
        if status in ("R", "C"):
            changes.append(Change(status, fields[i + 2]))
            if status == "R":
                changes.append(Change("D", fields[i + 1]))
            i += 3
        else:
            changes.append(Change(status, fields[i + 1]))
            i += 2
    return changes


def repository_paths(repository: GitRepository, given: Sequence[str], cwd: str) -> list[str]:
    """PATHs as the user typed them (relative to `cwd`, as in git) -> repository paths."""
    top = os.path.realpath(repository.toplevel)
    here = os.path.realpath(cwd)
    base = os.path.relpath(here, top).replace(os.sep, "/")
    if base == os.curdir:
        base = ""
    out = []
    for raw in given:
        if os.path.isabs(raw):
            relative = os.path.relpath(os.path.normpath(raw), top).replace(os.sep, "/")
        else:
            relative = posixpath.normpath(posixpath.join(base, raw.replace(os.sep, "/")))
        if relative == ".." or relative.startswith("../"):
            raise UsageError(f"{raw}: outside the repository {repository.toplevel}")
        out.append("" if relative == "." else relative)
    return out


@dataclass
class Selection:
    """Files whose content is judged, and the manifests whose scope is brought in."""

    files: list[str]
    full_audit: bool
    manifests: set[str] = field(default_factory=set)  # selected genai.toml paths, deleted ones included
    missing: list[str] = field(default_factory=list)  # given paths that are not in the snapshot


def _within(path: str, directories: Iterable[str]) -> bool:
    return any(not d or path == d or path.startswith(d + "/") for d in directories)


def select(snapshot: Snapshot, given: Sequence[str] | None, changes: list[Change] | None,
           manifest_name: str) -> Selection:
    """Selection from given PATHs and/or --diff changes; neither means a full audit."""
    def is_manifest(path: str) -> bool:
        return path.endswith(manifest_name) and posixpath.basename(path) == manifest_name

    if given is None and changes is None:
        suffixed = [p for p in snapshot.paths if p.endswith(manifest_name)]
        return Selection(snapshot.paths, True, {p for p in suffixed if is_manifest(p)})
    chosen: set[str] = set()
    deleted_manifests: set[str] = set()
    missing: list[str] = []
    if given is not None:
        files = set(snapshot.existing(given))
        for path in given:
            if path in files:
                chosen.add(path)
                continue
            inside = snapshot.below(path)
            if inside:
                chosen.update(inside)
            elif is_manifest(path):
                deleted_manifests.add(path)  # a deleted manifest: its scope is judged without it
            else:
                missing.append(path)
    if changes is not None:
        changed = {c.path for c in changes if c.status != "D"}
        deleted = {c.path for c in changes if c.status == "D" and is_manifest(c.path)}
        if given is None:
            chosen, deleted_manifests = changed, deleted
        else:
            chosen &= changed
            deleted_manifests = {m for m in deleted if _within(m, given)}
            missing = [p for p in missing if p not in deleted]
    manifests = {p for p in chosen if is_manifest(p)} | deleted_manifests
    return Selection(sorted(chosen), False, manifests, missing)
