"""What a run judges: the change since a base (`--diff`, the hooks' staged change) and the files selected from
the snapshot by it and by the paths named."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .early import EarlyDiff
from .errors import UsageError
from .gitcmd import GitFailed, GitRepository, decode_paths
from .listing import GITLINK
from .paths import DIFF_ARGS, MANIFEST_NAME, is_manifest
from .revisions import SHALLOW_ADVICE, head_commit, is_shallow, resolve_commit
from .snapshot import Snapshot


@dataclass(frozen=True)
class Change:
    status: str  # A M T D (U: unmerged)
    path: str
    object_id: str | None = None  # the new content's id (None for D and for a submodule)
    mode: str = ""  # the new mode ("120000" a symlink, "160000" a submodule; "" when deleted)
    old_id: str | None = None  # the content's id at the base (None for A)


@dataclass(frozen=True)
class ChangeSet:
    """What a change did: its base (the merge base; None before the first commit) and its changes."""

    base: str | None
    changes: list[Change]


def changed_since(repository: GitRepository, snapshot: Snapshot, base: str,
                  early: EarlyDiff | None = None) -> ChangeSet:
    """Files added, modified or deleted between merge-base(BASE, snapshot) and the snapshot.

    With no commit yet (the first commit, judged from the index), everything staged is added,
    whatever BASE is: there is no history to compare with, and judging too much never hides a violation.
    `early` is the same diff of the index, started by cli.py before the heavy imports.
    """
    head = snapshot.commit or head_commit(repository)
    if head is None:
        listing = snapshot.listing
        return ChangeSet(None, [Change("A", path, listing.id_at(i)) for i, path in enumerate(listing.paths)])
    merge_base = _merge_base(repository, base, head)
    raw = None
    if snapshot.commit:
        raw = repository.run(*DIFF_ARGS, merge_base, snapshot.commit, "--")
    elif early is not None and (early.head, early.merge_base) == (head, merge_base):
        raw = early.result()
    if raw is None:
        raw = repository.run(*DIFF_ARGS, "--cached", merge_base, "--")
    changes = parse_raw_diff(raw)
    # the diff names the new content (and mode) of every changed file: no second read of a big index for them
    snapshot.seed({c.path: c.object_id for c in changes}, {c.path: c.mode for c in changes if c.mode})
    if snapshot.commit is None and merge_base == head:  # the staged changes: elsewhere the index is HEAD
        snapshot.same_as(head)
    return ChangeSet(merge_base, changes)


def merge_base_of(repository: GitRepository, snapshot: Snapshot, base: str) -> str | None:
    """The merge base of BASE and the snapshot (`changed_since`'s base, without the diff); None before the first
    commit. An unknown BASE, or a shallow clone or history without the merge base, raises UsageError."""
    head = snapshot.commit or head_commit(repository)
    return None if head is None else _merge_base(repository, base, head)


def _merge_base(repository: GitRepository, base: str, head: str) -> str:
    base_commit = resolve_commit(repository, base)
    try:
        return repository.run("merge-base", base_commit, head).decode().strip()
    except GitFailed:
        if is_shallow(repository):
            raise UsageError(f"no merge base between {base} and {head[:12]}: {SHALLOW_ADVICE}") from None
        raise UsageError(f"{base} and {head[:12]} have no common history (no merge base)") from None


def parse_raw_diff(raw: bytes) -> list[Change]:
    """`git diff --raw -z --no-renames` -> changes, with the old and new ids and the new mode."""
    fields = decode_paths(raw)
    changes: list[Change] = []
    i = 0
    while i < len(fields):
        _, new_mode, old_id, new_id, status = fields[i].lstrip(":").split(" ")
        kind = status[:1]
        # no content: deleted, unmerged (all zeros), or a submodule
        object_id = None if new_mode in ("000000", GITLINK) or not new_id.strip("0") else new_id
        old = old_id if old_id.strip("0") else None
        if kind in ("R", "C"):  # only with rename detection, which genai-hooks does not ask for
            changes.append(Change(kind, fields[i + 2], object_id, new_mode, old))
            i += 3
        else:
            changes.append(Change(kind, fields[i + 1], object_id, "" if kind == "D" else new_mode, old))
            i += 2
    return changes


@dataclass
class Selection:
    """Files whose content is judged, and the manifests whose scope is brought in."""

    files: list[str]
    full_audit: bool
    manifests: set[str] = field(default_factory=set)  # selected genai.toml paths, deleted ones included
    missing: list[str] = field(default_factory=list)  # given paths that are not in the snapshot
    submodules: set[str] = field(default_factory=set)  # selected submodule paths: their content is not ours


def _within(path: str, directories: Iterable[str]) -> bool:
    return any(not d or path == d or path.startswith(d + "/") for d in directories)


def select(snapshot: Snapshot, given: Sequence[str] | None, changes: list[Change] | None) -> Selection:
    """Selection from given PATHs and/or --diff changes; neither means a full audit."""
    if given is None and changes is None:
        return Selection(snapshot.paths, True, set(snapshot.named(MANIFEST_NAME)), submodules=set(snapshot.gitlinks))
    chosen: set[str] = set()
    deleted_manifests: set[str] = set()
    missing: list[str] = []
    submodules: set[str] = set()
    if given is not None:
        files = set(snapshot.existing(given))
        gitlinks = snapshot.gitlinks
        for path in given:
            if path in files:
                chosen.add(path)
                continue
            inside = snapshot.below(path)
            held = {g for g in gitlinks if _within(g, (path,))}
            submodules.update(held)
            if inside:
                chosen.update(inside)
            elif is_manifest(path):
                deleted_manifests.add(path)  # a deleted manifest: its scope is judged without it
            elif not held:
                missing.append(path)
    if changes is not None:
        changed = {c.path for c in changes if c.status != "D" and c.mode != GITLINK}
        added_submodules = {c.path for c in changes if c.status != "D" and c.mode == GITLINK}
        deleted = {c.path for c in changes if c.status == "D" and is_manifest(c.path)}
        if given is None:
            chosen, deleted_manifests, submodules = changed, deleted, added_submodules
        else:
            chosen &= changed
            submodules &= added_submodules
            deleted_manifests = {m for m in deleted if _within(m, given)}
            missing = [p for p in missing if p not in deleted]
    manifests = {p for p in chosen if is_manifest(p)} | deleted_manifests
    return Selection(sorted(chosen), False, manifests, missing, submodules)
