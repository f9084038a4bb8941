"""Which content is judged (the index or a commit) and which files are selected."""

from __future__ import annotations

import bisect
import os
import posixpath
from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from .errors import UsageError
from .gitcmd import GitFailed, GitRepository, decode_paths

SHALLOW_ADVICE = ("this is a shallow clone; fetch the full history (actions/checkout with `fetch-depth: 0`, "
                  "or `git fetch --unshallow`) and run again")


@dataclass
class Snapshot:
    """The files of the index or of one commit, sorted, without submodules."""

    repository: GitRepository
    commit: Optional[str]  # None: the index
    paths: List[str]
    blob_ids: Dict[str, str]  # path -> blob sha, for the paths whose content may be read
    submodules: Tuple[str, ...] = ()
    _members: Optional[FrozenSet[str]] = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return self.commit or "index"

    @property
    def members(self) -> FrozenSet[str]:
        if self._members is None:
            self._members = frozenset(self.paths)
        return self._members

    def below(self, directory: str) -> List[str]:
        """Paths inside `directory` ("" = everything)."""
        if not directory:
            return self.paths
        prefix = directory + "/"
        start = bisect.bisect_left(self.paths, prefix)
        end = bisect.bisect_left(self.paths, directory + "0")  # "0" sorts right after "/"
        return self.paths[start:end]


def open_snapshot(repository: GitRepository, rev: Optional[str], wants_content: Callable[[str], bool]) -> Snapshot:
    """List the index (rev None) or commit REV; keep blob ids of the paths `wants_content` names."""
    if rev is None:
        raw = repository.run("ls-files", "--stage", "-z")
        commit = None
    else:
        commit = resolve_commit(repository, rev)
        raw = repository.run("ls-tree", "-r", "-z", "--full-tree", commit)
    paths: List[str] = []
    blob_ids: Dict[str, str] = {}
    submodules: List[str] = []
    last = None
    for record in decode_paths(raw):
        meta, _, path = record.partition("\t")
        if path == last:  # conflicted index: stages 1-3 of one path
            continue
        last = path
        if meta.startswith("160000"):
            submodules.append(path)
            continue
        paths.append(path)
        if wants_content(path) and not meta.startswith("120000"):  # symlinks have no content to judge
            blob_ids[path] = meta.split(" ")[1] if rev is None else meta.split(" ")[2]
    paths.sort()
    return Snapshot(repository, commit, paths, blob_ids, tuple(submodules))


def resolve_commit(repository: GitRepository, rev: str) -> str:
    if rev.startswith("-"):
        raise UsageError(f"unknown revision {rev!r}")
    try:
        return repository.run("rev-parse", "--verify", "--quiet", "--end-of-options",
                              f"{rev}^{{commit}}").decode().strip()
    except GitFailed:
        if is_shallow(repository):
            raise UsageError(f"unknown revision {rev!r}: {SHALLOW_ADVICE}") from None
        raise UsageError(f"unknown revision {rev!r}; check the name with `git log --oneline`") from None


def is_shallow(repository: GitRepository) -> bool:
    return repository.try_run("rev-parse", "--is-shallow-repository") == b"true\n"


@dataclass(frozen=True)
class Change:
    status: str  # A M R C T D
    path: str  # new path (old path for D)


def changed_since(repository: GitRepository, snapshot: Snapshot, base: str) -> List[Change]:
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


def _head(repository: GitRepository) -> Optional[str]:
    out = repository.try_run("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    return out.decode().strip() if out else None


def parse_name_status(raw: bytes) -> List[Change]:
    fields = decode_paths(raw)
    changes: List[Change] = []
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


def repository_paths(repository: GitRepository, given: Sequence[str], cwd: str) -> List[str]:
    """PATHs as the user typed them (relative to `cwd`, as in git) -> repository paths."""
    top = os.path.realpath(repository.toplevel)
    here = os.path.realpath(cwd)
    out = []
    for raw in given:
        relative = os.path.relpath(os.path.normpath(os.path.join(here, raw)), top)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            raise UsageError(f"{raw}: outside the repository {repository.toplevel}")
        out.append("" if relative == os.curdir else relative.replace(os.sep, "/"))
    return out


@dataclass
class Selection:
    """Files whose content is judged, and the manifests whose scope is brought in."""

    files: List[str]
    full_audit: bool
    manifests: Set[str] = field(default_factory=set)  # selected genai.toml paths, deleted ones included
    missing: List[str] = field(default_factory=list)  # given paths that are not in the snapshot


def _within(path: str, directories: Iterable[str]) -> bool:
    return any(not d or path == d or path.startswith(d + "/") for d in directories)


def select(snapshot: Snapshot, given: Optional[Sequence[str]], changes: Optional[List[Change]],
           manifest_name: str) -> Selection:
    """Selection from given PATHs and/or --diff changes; neither means a full audit."""
    def is_manifest(path: str) -> bool:
        return posixpath.basename(path) == manifest_name

    if given is None and changes is None:
        return Selection(list(snapshot.paths), True, {p for p in snapshot.paths if is_manifest(p)})
    members = snapshot.members
    chosen: Set[str] = set()
    deleted_manifests: Set[str] = set()
    missing: List[str] = []
    if given is not None:
        for path in given:
            if path in members:
                chosen.add(path)
            elif snapshot.below(path):
                chosen.update(snapshot.below(path))
            elif is_manifest(path):
                deleted_manifests.add(path)  # a deleted manifest: its scope is judged without it
            else:
                missing.append(path)
    if changes is not None:
        changed = {c.path for c in changes if c.status != "D" and c.path in members}
        deleted = {c.path for c in changes if c.status == "D" and is_manifest(c.path)}
        if given is None:
            chosen, deleted_manifests = changed, deleted
        else:
            chosen &= changed
            deleted_manifests = {m for m in deleted if _within(m, given)}
            missing = [p for p in missing if p not in deleted]
    manifests = {p for p in chosen if is_manifest(p)} | deleted_manifests
    return Selection(sorted(chosen), False, manifests, missing)
