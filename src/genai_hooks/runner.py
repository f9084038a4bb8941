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


def manifest_paths(snapshot: Snapshot, selection: Selection) -> list[str]:
    """The manifests a run needs: all of them, or those in the chains of the selected files."""
    needs_all = selection.full_audit or selection.manifests or any(is_timeline(p) for p in selection.files)
    if needs_all:
        return [p for p in snapshot.paths if p.endswith(MANIFEST_NAME) and posixpath.basename(p) == MANIFEST_NAME]
    directories = {p.rpartition("/")[0] for p in selection.files}
    candidates: set[str] = set()
    for directory in directories:
        parts = directory.split("/") if directory else []
        candidates.update("/".join(parts[:i] + [MANIFEST_NAME]) for i in range(len(parts) + 1))
    return snapshot.existing(sorted(candidates))


def run_check(*, repo: str, paths: Sequence[str] | None, rev: str | None, diff: str | None,
              as_of: datetime.date, metadata: bool, cwd: str | None = None) -> Outcome:
    repository = GitRepository(repo)
    try:
        snapshot = open_snapshot(repository, rev)
        given = repository_paths(repository, paths, cwd or os.getcwd()) if paths else None
        changes = changed_since(repository, snapshot, diff) if diff else None
        selection = select(snapshot, given, changes, MANIFEST_NAME)
        content = ContentReader(snapshot)
        manifests = ManifestSet.load(content.read_whole(manifest_paths(snapshot, selection), MANIFEST_LIMIT))
        result = judge(snapshot, selection, manifests, content, Options(as_of, metadata))
    finally:
        repository.close()
    return Outcome(result, snapshot, manifests, selection)
