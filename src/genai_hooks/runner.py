"""One check, end to end: snapshot -> selection -> manifests -> judge -> result."""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from .approvals.lock import is_lock
from .chains import MANIFEST_LIMIT, ManifestSet
from .changes import Base, ChangeContext
from .content import ContentReader
from .early import EarlyDiff, EarlyListing, IndexLookup
from .errors import UsageError
from .findings import UNSTAGED_NOTE, Note, RunResult
from .gitcmd import GitRepository
from .judge import Options, judge
from .lineage import Origin, moved
from .media_reads import default_jobs
from .paths import MANIFEST_NAME, is_manifest, manifest_candidates, repository_paths
from .selection import ChangeSet, Selection, changed_since, select
from .snapshot import Snapshot, has_head, open_snapshot
from .timelines import GeneratedUse, is_timeline
from .vcs import describe


@dataclass
class Outcome:
    result: RunResult
    snapshot: Snapshot
    manifests: ManifestSet
    selection: Selection
    clip_uses: dict[str, list[GeneratedUse]]  # each deliverable timeline read -> its generated uses, approved too
    inherited: dict[int, tuple[str, ...]]  # id of an entry -> sensitive categories manifests above add to its files


def needs_every_manifest(selection: Selection) -> bool:
    """A full audit, a selected manifest or a timeline (whose clips may be anywhere) needs them all."""
    return selection.full_audit or bool(selection.manifests) or any(is_timeline(p) for p in selection.files)


def manifest_paths(snapshot: Snapshot, selection: Selection, candidates: list[str] | None = None) -> list[str]:
    """The manifests a run needs: all of them, or those in the chains of the selected files.

    `candidates` may be a superset (the chains of every path named): an extra manifest
    outside the selected files' chains changes nothing.
    """
    if needs_every_manifest(selection):
        return snapshot.named(MANIFEST_NAME)
    return snapshot.existing(candidates if candidates is not None else manifest_candidates(selection.files))


def run_check(*, repo: str, paths: Sequence[str] | None, rev: str | None, diff: str | None,
              as_of: datetime.date, metadata: bool, cwd: str | None = None,
              early_lookup: IndexLookup | None = None, early_diff: EarlyDiff | None = None,
              early_listing: EarlyListing | None = None, approvers: str | None = None,
              version_control: bool = False, lfs_store: str | None = None, cache: bool = True,
              jobs: int | None = None) -> Outcome:
    """Judge; `early_*` is git work on the index that cli.py started before importing this module; `approvers`:
    an allowed_signers file held outside the repository (it takes precedence over [production] approvers);
    `version_control` also reads the remote and branch (for SARIF); `lfs_store`: where a server keeps Git LFS
    objects (`pre-receive --lfs-store`), else the repository's own store; `cache`: use the evidence cache; `jobs`:
    processes that may read media (default: the CPUs available, at most 8)."""
    held = read_approvers(approvers) if approvers is not None else None
    repository = GitRepository(repo)
    content: ContentReader | None = None
    try:
        snapshot = open_snapshot(repository, rev)
        content = ContentReader(snapshot, lfs_store)
        content.approvers = held
        content.cache = cache
        content.jobs = jobs if jobs is not None else default_jobs()
        given = repository_paths(repository.toplevel, paths, cwd or os.getcwd()) if paths else None
        lookup, early, kinds = (_here(early_lookup, repository), _here(early_diff, repository),
                                _here(early_listing, repository))
        if kinds is not None and snapshot.commit is None:
            snapshot.prefetched(kinds)
        change_set = changed_since(repository, snapshot, diff, early) if diff else None
        if change_set is None and given is not None and snapshot.commit is None and has_head(repository):
            # named files against the index (the genai-hooks hook): pre-commit passes no deleted files, so
            # the staged changes of manifests are looked up here, and moves are paired against HEAD
            change_set = changed_since(repository, snapshot, "HEAD", early)
        changes = change_set.changes if change_set is not None and diff else None
        candidates = None
        chains: ManifestSet | None = None  # the manifests above the named paths, parsed while git looks them up
        if given is not None or changes is not None:  # one lookup: git reads a big index once
            named = list(given or ()) + [c.path for c in changes or () if c.status != "D"]
            candidates = manifest_candidates(named)
            if lookup is not None and snapshot.commit is None and lookup.given == named:
                first = lookup.manifests()
                if first is not None:
                    snapshot.seed(first)
                    chains = ManifestSet.read(content, snapshot.existing(candidates))
                found = lookup.result()
                if found is not None:
                    snapshot.seed(found)
            snapshot.existing(named + candidates)
        selection = select(snapshot, given, changes)
        if change_set is not None and changes is None:  # staged manifest changes, deletions included
            selection.manifests.update(c.path for c in change_set.changes if is_manifest(c.path))
        # a changed genai.lock re-judges what its approvals were given for, as a changed root manifest does
        locks = [] if selection.full_audit else [p for p in selection.files if is_lock(p)]  # an audit has them all
        locks += [c.path for c in (change_set.changes if change_set else ()) if is_lock(c.path)]
        if locks:
            selection.manifests.update(snapshot.existing([_beside(p) for p in locks]))
        _settle_missing(repository, snapshot, selection, given)
        if chains is not None and not needs_every_manifest(selection):
            manifests = chains
        else:
            manifests = ManifestSet.read(content, manifest_paths(snapshot, selection, candidates))
            manifests.complete = needs_every_manifest(selection)
        context = _change_context(repository, change_set) if change_set is not None else None
        judged = judge(snapshot, selection, manifests, content, Options(as_of, metadata), context)
        result = judged.result
        edited = content.unstaged([m.path for m in manifests.valid.values()]
                                  + [i.path for i in manifests.invalid.values()], MANIFEST_LIMIT)
        if edited:  # what is judged is said: the index's manifests, not the edits an artist has not staged
            notes = result.notes + tuple(Note(m, UNSTAGED_NOTE) for m in edited)
            result = replace(result, unstaged_manifests=tuple(edited),
                             notes=tuple(sorted(notes, key=lambda n: (n.path, n.message))))
        if version_control:
            result = replace(result, version_control=describe(repository, snapshot.commit))
    finally:
        if content is not None:
            content.close()
        repository.close()
    return Outcome(result, snapshot, manifests, selection, judged.clip_uses, judged.inherited)


_Started = TypeVar("_Started", IndexLookup, EarlyDiff, EarlyListing)


def _here(started: _Started | None, repository: GitRepository) -> _Started | None:
    """Git work cli.py started early, if it ran in this repository."""
    return started if started is not None and os.path.samefile(started.toplevel, repository.toplevel) else None


def _beside(lock: str) -> str:
    directory = lock.rpartition("/")[0]
    return f"{directory}/{MANIFEST_NAME}" if directory else MANIFEST_NAME


def read_approvers(path: str) -> tuple[str, bytes]:
    """`--approvers FILE`: an allowed_signers file this run trusts; one that cannot be used is exit 2, never a pass."""
    from .approvals.signatures import SIGNERS_LIMIT, signers_problem

    try:
        with open(path, "rb") as stream:
            data = stream.read(SIGNERS_LIMIT + 1)
    except OSError as error:
        raise UsageError(f"--approvers {path}: {error.strerror or error}") from None
    problem = signers_problem(data)
    if problem is not None:
        raise UsageError(f"--approvers {path}: {problem}")
    return f"--approvers {path}", data


def _change_context(repository: GitRepository, change_set: ChangeSet) -> ChangeContext:
    """What the change's base declared, read only as far as the change needs it."""
    if change_set.base is None:  # the first commit: nothing was declared before it
        return ChangeContext(change_set.changes, None, {})
    base_snapshot = Snapshot(repository, change_set.base)
    base_content = ContentReader(base_snapshot)
    base = None
    if any(is_manifest(c.path) or is_lock(c.path) for c in change_set.changes):  # withdrawals and weakening
        listed = base_snapshot.named(MANIFEST_NAME)
        base = Base(change_set.base, ManifestSet.read(base_content, listed), base_snapshot.listing)
    pairs = moved(change_set.changes)  # content that left a base path: was it declared there?
    origins: dict[str, Origin] = {}
    if pairs:
        declared_then = base.manifests if base is not None else ManifestSet.read(
            base_content, base_snapshot.existing(manifest_candidates(sorted(set(pairs.values())))))
        for path, old in pairs.items():
            entry = declared_then.winning_entry(old)
            if entry is not None:
                origins[path] = Origin("moved from", old, entry, f" at {change_set.base[:12]}")
    return ChangeContext(change_set.changes, base, origins)


def _settle_missing(repository: GitRepository, snapshot: Snapshot, selection: Selection,
                    given: Sequence[str] | None) -> None:
    """Named paths the snapshot lacks: a deleted manifest is judged, a deleted file or one on disk only is a
    note, and a path that is nowhere is an error (a typo must not pass as "0 files checked")."""
    named = set(given or ())
    absent = sorted({m for m in selection.manifests & named if not snapshot.existing([m])} | set(selection.missing))
    if not absent:
        return
    before = f"{snapshot.commit}^" if snapshot.commit else "HEAD"
    earlier = repository.object_ids([f"{before}:{p}" for p in absent], absent)
    for manifest in selection.manifests & set(absent):
        if earlier[manifest] is None:  # never there: no deleted manifest to judge
            selection.manifests.discard(manifest)
            selection.missing.append(manifest)
    nowhere = [p for p in selection.missing if earlier.get(p) is None
               and (repository.bare or not os.path.lexists(os.path.join(repository.toplevel, *p.split("/"))))]
    if nowhere:
        shown = ", ".join(repr(p) for p in nowhere[:3]) + (f" and {len(nowhere) - 3} more" if len(nowhere) > 3 else "")
        raise UsageError(f"{shown}: neither in the {'index' if snapshot.commit is None else 'commit'}, nor on disk, "
                         "nor deleted by it; check the path (nothing was judged)")
