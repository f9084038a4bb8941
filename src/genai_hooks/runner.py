"""One check, end to end: snapshot -> selection -> manifests -> judge -> result."""

from __future__ import annotations

import datetime
import os
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from .chains import ManifestSet
from .content import ContentReader
from .findings import RunResult
from .gitcmd import GitRepository
from .judge import Options, judge
from .manifest import MANIFEST_NAME
from .snapshot import Selection, Snapshot, changed_since, open_snapshot, repository_paths, select
from .timelines import is_timeline

MANIFEST_LIMIT = 4 << 20


@dataclass
class Outcome:
    result: RunResult
    snapshot: Snapshot
    manifests: ManifestSet
    selection: Selection


def _manifest_candidates(paths: Sequence[str]) -> list[str]:
    """genai.toml in every directory from the root down to each path's directory."""
    candidates: set[str] = set()
    for directory in {p.rpartition("/")[0] for p in paths}:
        parts = directory.split("/") if directory else []
        candidates.update("/".join([*parts[:i], MANIFEST_NAME]) for i in range(len(parts) + 1))
    return sorted(candidates)


def manifest_paths(snapshot: Snapshot, selection: Selection, candidates: list[str] | None = None) -> list[str]:
    """The manifests a run needs: all of them, or those in the chains of the selected files.

    `candidates` may be a superset (the chains of every path named): an extra manifest
    outside the selected files' chains changes nothing.
    """
    needs_all = selection.full_audit or selection.manifests or any(is_timeline(p) for p in selection.files)
    if needs_all:
        return [p for p in snapshot.paths if p.endswith(MANIFEST_NAME) and posixpath.basename(p) == MANIFEST_NAME]
    return snapshot.existing(candidates if candidates is not None else _manifest_candidates(selection.files))


def run_check(*, repo: str, paths: Sequence[str] | None, rev: str | None, diff: str | None,
              as_of: datetime.date, metadata: bool, cwd: str | None = None) -> Outcome:
    repository = GitRepository(repo)
    try:
        snapshot = open_snapshot(repository, rev)
        given = repository_paths(repository, paths, cwd or os.getcwd()) if paths else None
        changes = changed_since(repository, snapshot, diff) if diff else None
        candidates = None
        if given is not None or changes is not None:  # one lookup: git reads a big index once
            named = list(given or ()) + [c.path for c in changes or () if c.status != "D"]
            candidates = _manifest_candidates(named)
            snapshot.existing(named + candidates)
        selection = select(snapshot, given, changes, MANIFEST_NAME)
        content = ContentReader(snapshot)
        manifests = ManifestSet.load(content.read_whole(manifest_paths(snapshot, selection, candidates), MANIFEST_LIMIT))
        result = judge(snapshot, selection, manifests, content, Options(as_of, metadata))
    finally:
        repository.close()
    return Outcome(result, snapshot, manifests, selection)
