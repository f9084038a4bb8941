"""One check, end to end: snapshot -> selection -> manifests -> judge -> result."""

from __future__ import annotations

import datetime
import os
import posixpath
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

from . import provenance
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


def wants_content(path: str, *, metadata: bool = True) -> bool:
    """Paths whose blob may be read: manifests, inspectable media, sidecars, timelines."""
    return posixpath.basename(path) == MANIFEST_NAME or is_timeline(path) or (metadata and provenance.is_inspectable(path))


def load(repo: str, rev: Optional[str], *, metadata: bool = True
         ) -> Tuple[GitRepository, Snapshot, ManifestSet, ContentReader]:
    repository = GitRepository(repo)
    snapshot = open_snapshot(repository, rev, lambda path: wants_content(path, metadata=metadata))
    content = ContentReader(snapshot)
    manifest_paths = [p for p in snapshot.blob_ids if posixpath.basename(p) == MANIFEST_NAME]
    manifests = ManifestSet.load(content.read_whole(manifest_paths, MANIFEST_LIMIT))
    return repository, snapshot, manifests, content


def run_check(*, repo: str, paths: Optional[Sequence[str]], rev: Optional[str], diff: Optional[str],
              as_of: datetime.date, metadata: bool, cwd: Optional[str] = None) -> Outcome:
    repository, snapshot, manifests, content = load(repo, rev, metadata=metadata)
    try:
        given = repository_paths(repository, paths, cwd or os.getcwd()) if paths else None
        changes = changed_since(repository, snapshot, diff) if diff else None
        selection = select(snapshot, given, changes, MANIFEST_NAME)
        result = judge(snapshot, selection, manifests, content, Options(as_of, metadata))
    finally:
        repository.close()
    return Outcome(result, snapshot, manifests, selection)
