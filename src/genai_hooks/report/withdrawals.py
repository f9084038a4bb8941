"""`report --since BASE`: the declarations withdrawn since the merge base of BASE, as GAI205 names them (SPEC §9)."""

from __future__ import annotations

from ..chains import ManifestSet, directory_of
from ..changes import Base, withdrawal_candidates, withdrawn_files
from ..content import ContentReader
from ..findings import Severity
from ..gitcmd import GitRepository
from ..manifest import GeneratedEntry
from ..paths import MANIFEST_NAME
from ..runner import Outcome
from ..selection import merge_base_of
from ..snapshot import Snapshot, open_snapshot
from .files import file_groups, repository_patterns
from .model import WithdrawalRecord, Withdrawals


def merge_base(repo: str, rev: str | None, since: str) -> str | None:
    """The merge base of `since` and the snapshot; None before the first commit. An unknown BASE or a shallow
    clone without the merge base raises UsageError (exit 2) before any audit work."""
    repository = GitRepository(repo)
    try:
        return merge_base_of(repository, open_snapshot(repository, rev), since)
    finally:
        repository.close()


def withdrawals(outcome: Outcome, since: str, base_commit: str | None) -> Withdrawals:
    if base_commit is None:  # no history: nothing was declared before the snapshot
        return Withdrawals(since, None, ())
    base_snapshot = Snapshot(outcome.snapshot.repository, base_commit)
    listed = base_snapshot.named(MANIFEST_NAME)
    base = Base(base_commit, ManifestSet.read(ContentReader(base_snapshot), listed), base_snapshot.listing)
    manifests = outcome.manifests
    now_ids = outcome.snapshot.object_ids(withdrawal_candidates(base, manifests))
    # (base entry, entry now, categories lost, content changed) -> the files; entries by id
    files: dict[tuple[int, int | None, tuple[str, ...], bool], list[str]] = {}
    entries: dict[int, GeneratedEntry] = {}
    for path, before, after, lost, changed in withdrawn_files(base, manifests, now_ids):
        if manifests.severity("GAI205", directory_of(path)) is Severity.OFF:
            continue  # listed as GAI205 names them: not where the production turned it off
        entries.update((id(e), e) for e in (before, after) if e is not None)
        key = (id(before), None if after is None else id(after), lost, changed)
        files.setdefault(key, []).append(path)
    records = [WithdrawalRecord(file_groups(paths), entries[before_id],
                                repository_patterns(entries[before_id].manifest, entries[before_id].paths),
                                None if after_id is None else entries[after_id], lost, changed)
               for (before_id, after_id, lost, changed), paths in files.items()]
    return Withdrawals(since, base_commit, tuple(sorted(
        records, key=lambda r: (r.file_groups[0].path, r.entry.manifest, r.entry.line))))
