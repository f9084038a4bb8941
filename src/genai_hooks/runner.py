"""One check, end to end: scope -> snapshot -> selected files and their manifests -> change base -> judge -> result.

docs/architecture.md draws it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from .approvals.lock import is_lock
from .chains import MANIFEST_LIMIT, ManifestSet
from .changes import Base, ChangeContext
from .content import ContentReader
from .errors import UsageError
from .findings import UNSTAGED_NOTE, Note, RunResult
from .gitcmd import GitRepository
from .judge import Options, judge
from .lineage import Origin, moved
from .media_reads import default_jobs
from .paths import MANIFEST_NAME, is_manifest, manifest_candidates
from .scope import HeadStart, Scope
from .selected import select_scope
from .selection import ChangeSet, Selection
from .snapshot import Snapshot, open_snapshot
from .timelines import GeneratedUse
from .vcs import describe


@dataclass
class Outcome:
    result: RunResult
    snapshot: Snapshot
    manifests: ManifestSet
    selection: Selection
    clip_uses: dict[str, list[GeneratedUse]]  # each deliverable timeline read -> its generated uses, approved too
    inherited: dict[int, tuple[str, ...]]  # id of an entry -> sensitive categories manifests above add to its files


def run_check(scope: Scope, *, repo: str, as_of: datetime.date, metadata: bool, started: HeadStart | None = None,
              approvers: str | None = None, version_control: bool = False, lfs_store: str | None = None,
              cache: bool = True, jobs: int | None = None) -> Outcome:
    """Judge the files `scope` selects. Whatever the entry point, the same steps: the snapshot, the files selected
    and their manifests (selection.select_scope), the change's base, the judge; the run's settings change how,
    never what: `started`, git's work on the index begun before the heavy imports; `approvers`, an
    allowed_signers file held outside the repository (it takes precedence over [production] approvers);
    `version_control` also reads the remote and branch (for SARIF); `lfs_store`, where a server keeps Git LFS
    objects (`pre-receive --lfs-store`), else the repository's own store; `cache`, use the evidence cache;
    `jobs`, processes that may read media (default: the CPUs available, at most 8)."""
    held = read_approvers(approvers) if approvers is not None else None
    repository = GitRepository(repo)
    content: ContentReader | None = None
    try:
        snapshot = open_snapshot(repository, scope.rev)
        content = ContentReader(snapshot, lfs_store)
        content.approvers = held
        content.cache = cache
        content.jobs = jobs if jobs is not None else default_jobs()
        selected = select_scope(repository, snapshot, content, scope, started or HeadStart())
        selection, manifests = selected.selection, selected.manifests
        context = _change_context(repository, selected.change_set) if selected.change_set is not None else None
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
