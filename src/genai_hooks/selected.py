"""The one path from an entry point's Scope to what is judged: the snapshot's files it selects, the change since
its base, and the manifests that govern them. Whatever the entry point, a file's verdict is computed from these.

A HeadStart's parts are used only where they are the very work this path would do (the same repository, the same
index, the same paths): they make a hook faster, never different.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from .approvals.lock import is_lock
from .chains import ManifestSet
from .content import ContentReader
from .early import EarlyDiff, EarlyListing, IndexLookup
from .errors import UsageError
from .gitcmd import GitRepository
from .paths import MANIFEST_NAME, is_manifest, manifest_candidates, repository_paths
from .revisions import has_head
from .scope import HeadStart, Scope
from .selection import ChangeSet, Selection, changed_since, select
from .snapshot import Snapshot
from .timelines import is_timeline


@dataclass
class Selected:
    """What a scope comes to in a snapshot: the files judged, the change (when there is a base), the manifests."""

    selection: Selection
    change_set: ChangeSet | None
    manifests: ManifestSet


def select_scope(repository: GitRepository, snapshot: Snapshot, content: ContentReader, scope: Scope,
                 started: HeadStart) -> Selected:
    """The files `scope` selects in `snapshot`, the change since its base, and the manifests that govern them."""
    given = repository_paths(repository.toplevel, scope.paths, scope.cwd or os.getcwd()) if scope.paths else None
    lookup, early, kinds = (_here(started.lookup, repository), _here(started.diff, repository),
                            _here(started.listing, repository))
    if kinds is not None and snapshot.commit is None:
        snapshot.prefetched(kinds)
    change_set = changed_since(repository, snapshot, scope.diff, early) if scope.diff else None
    if change_set is None and given is not None and snapshot.commit is None and has_head(repository):
        # named files against the index (the genai-hooks hook): pre-commit passes no deleted files, so
        # the staged changes of manifests are looked up here, and moves are paired against HEAD
        change_set = changed_since(repository, snapshot, "HEAD", early)
    changes = change_set.changes if change_set is not None and scope.diff else None
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
    return Selected(selection, change_set, manifests)


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


_Started = TypeVar("_Started", IndexLookup, EarlyDiff, EarlyListing)


def _here(started: _Started | None, repository: GitRepository) -> _Started | None:
    """Git work started early, if it ran in this repository."""
    return started if started is not None and os.path.samefile(started.toplevel, repository.toplevel) else None


def _beside(lock: str) -> str:
    directory = lock.rpartition("/")[0]
    return f"{directory}/{MANIFEST_NAME}" if directory else MANIFEST_NAME


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
