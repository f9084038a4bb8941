"""A full audit's outcome -> the report's records: one pass over the snapshot, then sizes and states."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .. import __version__
from ..approvals import Book, expiring
from ..chains import ManifestSet, directory_of
from ..content import LFS_POINTER_MAX, lfs_pointer
from ..findings import Finding
from ..manifest import Approval, GeneratedEntry, Manifest, ModelEntry, Tool
from ..models_rules import declared_models
from ..paths import is_manifest
from ..patterns import approval_matches
from ..rules import RULES
from ..runner import Outcome
from ..schema import INPUT_APPROVALS
from ..snapshot import Snapshot
from .cuts import timeline_records
from .files import file_groups, repository_patterns
from .model import (
    COVERED,
    EXPIRED,
    EXPIRING,
    MISSING,
    NOT_COVERED,
    NOT_NEEDED,
    UNKNOWN,
    UNSIGNED,
    VALID,
    ApprovalRecord,
    ArchivalRecord,
    CitedApproval,
    EntryRecord,
    ModelRecord,
    ProductionRecord,
    Report,
    RuleGroup,
    SnapshotRecord,
    ToolRecord,
    Use,
    Withdrawals,
)

_POINTER_MIN = 100  # no Git LFS pointer is shorter: its version and oid lines alone take 119 bytes


def build_model(outcome: Outcome, as_of: datetime.date, withdrawals: Withdrawals | None = None) -> Report:
    """`withdrawals`: what `--since BASE` found (None: no base to compare with)."""
    manifests, snapshot = outcome.manifests, outcome.snapshot
    declared, deliverable, archival = _generated_files(snapshot, manifests)
    files_by_entry: dict[int, list[str]] = defaultdict(list)
    for path, winner in declared.items():
        files_by_entry[id(winner)].append(path)
    files_by_model = _model_files(snapshot, manifests)
    sizes, lfs = _media_sizes(snapshot, [p for found in (files_by_entry, files_by_model)
                                         for paths in found.values() for p in paths])
    roots = _roots(manifests)
    findings = outcome.result.findings
    entries = tuple(_entry_record(manifests, entry, files_by_entry.get(id(entry), ()), (deliverable, archival),
                                  sizes, lfs, as_of, outcome.inherited.get(id(entry), ()))
                    for entry in _all_entries(manifests))
    models = tuple(_model_record(manifests, entry, files_by_model.get(id(entry), ()), sizes, lfs, as_of)
                   for entry in _all_models(manifests))
    return Report(
        version=__version__,
        as_of=as_of,
        snapshot=_snapshot_record(snapshot),
        files=len(snapshot.paths),
        productions=tuple(_production(m) for m in roots),
        tools=_tool_records(manifests, entries),
        entries=entries,
        approvals=_register(manifests, snapshot, roots, as_of),
        unchecked_approvals=outcome.result.unchecked_approvals,
        rule_groups=_rule_groups(f for f in findings if f.suppressed is None),
        invalid_manifests=tuple(sorted(manifests.invalid.values(), key=lambda i: i.path)),
        notes=tuple(outcome.result.notes),
        models=models,
        archival=tuple(_archival(m) for m in sorted(manifests.valid.values(), key=lambda m: m.path) if m.archival),
        undeclared_models=sum(len(f.files or (f.path,)) for f in findings if f.rule == "GAI501"),
        timelines=timeline_records(outcome, {id(e.entry): e for e in entries}),
        withdrawals=withdrawals,
        acknowledged=_rule_groups(f for f in findings if f.suppressed is not None),
        detected_deliverable_files=len(_finding_files(findings, "GAI301", manifests, declared)),
        derived_deliverable_files=len(_finding_files(findings, "GAI208", manifests, declared)
                                      - _finding_files(findings, "GAI301", manifests, declared)),
    )


def _finding_files(findings: Iterable[Finding], rule: str, manifests: ManifestSet,
                   declared: Mapping[str, object]) -> set[str]:
    """The deliverable files a rule found generated that no entry declares (acknowledged ones too: still there)."""
    return {p for f in findings if f.rule == rule for p in f.files or (f.path,)
            if p not in declared and manifests.is_deliverable(p)}


# -- the snapshot ---------------------------------------------------------------------------------

def _snapshot_record(snapshot: Snapshot) -> SnapshotRecord:
    repository = snapshot.repository
    if snapshot.commit is not None:
        return SnapshotRecord(snapshot.label, snapshot.commit, False, None)
    head = repository.try_run("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if not head:
        return SnapshotRecord(snapshot.label, None, True, None)
    # exit 1 (GitFailed -> None) when the index differs from HEAD
    same = repository.try_run("diff-index", "--cached", "--quiet", "--ignore-submodules", "HEAD", "--")
    return SnapshotRecord(snapshot.label, head.decode().strip(), True, same is None)


# -- generated files: which entry wins each, deliverable or not, media size -------------------------

def _generated_files(snapshot: Snapshot, manifests: ManifestSet
                     ) -> tuple[dict[str, GeneratedEntry], frozenset[str], frozenset[str]]:
    """The entry that wins each generated file, which generated files are deliverable, and which would be
    taken for real ([archival] paths, documentary deliverables)."""
    declared: dict[str, GeneratedEntry] = {}
    deliverable: list[str] = []
    archival: list[str] = []
    best, covers = manifests.generated.best, manifests.deliverables.covers
    for path in snapshot.paths:
        if is_manifest(path):
            continue  # never judged as media
        entry = best(path)
        if entry is None:
            continue
        declared[path] = entry
        delivered = covers(path)
        if delivered:
            deliverable.append(path)
        if manifests.presented_as_real(path, delivered) is not None:
            archival.append(path)
    return declared, frozenset(deliverable), frozenset(archival)


def _model_files(snapshot: Snapshot, manifests: ManifestSet) -> dict[int, list[str]]:
    """Files each [[models]] entry declares (by id of the entry)."""
    by_entry: dict[int, list[str]] = defaultdict(list)
    for path, entry in declared_models(manifests, snapshot.paths).items():
        by_entry[id(entry)].append(path)
    return by_entry


def _media_sizes(snapshot: Snapshot, paths: Sequence[str]) -> tuple[dict[str, int], frozenset[str]]:
    """Size of each file's media: a Git LFS pointer's `size` line, else the blob's size."""
    blobs = snapshot.blobs(list(paths))
    sizes = {p: blob[1] for p, blob in blobs.items() if blob is not None}
    small = sorted({blob[0] for blob in blobs.values() if blob is not None and _POINTER_MIN <= blob[1] <= LFS_POINTER_MAX})
    pointed: dict[str, int] = {}
    for blob_id, data, _ in snapshot.repository.read_objects(small, LFS_POINTER_MAX):
        size = _pointer_size(data) if data is not None else None
        if size is not None:
            pointed[blob_id] = size
    lfs = []
    for path, blob in blobs.items():
        if blob is not None and blob[0] in pointed:
            sizes[path] = pointed[blob[0]]
            lfs.append(path)
    return sizes, frozenset(lfs)


def _pointer_size(data: bytes) -> int | None:
    pointer = lfs_pointer(data)
    return pointer.size if pointer else None


# -- manifests ---------------------------------------------------------------------------------------

def _roots(manifests: ManifestSet) -> list[Manifest]:
    """Valid manifests with no manifest (valid or not) above them, by path."""
    return sorted((m for d, m in manifests.valid.items() if manifests.chain_dirs(d)[0] == d), key=lambda m: m.path)


def _production(root: Manifest) -> ProductionRecord:
    p = root.production
    return ProductionRecord(root.path, root.directory, p.line if p else None, p.title if p else None,
                            p.contact if p else None, p.approval_pattern if p else None, root.approvals is not None,
                            p.kind if p else None)


def _all_entries(manifests: ManifestSet) -> list[GeneratedEntry]:
    return sorted((e for m in manifests.valid.values() for e in m.generated), key=lambda e: (e.manifest, e.line))


def _all_models(manifests: ManifestSet) -> list[ModelEntry]:
    return sorted((e for m in manifests.valid.values() for e in m.models), key=lambda e: (e.manifest, e.line))


def _use(paths: Iterable[str], deliverable: frozenset[str], sizes: dict[str, int], lfs: frozenset[str],
         archival: frozenset[str] = frozenset()) -> Use:
    listed = list(paths)
    return Use(len(listed), sum(1 for p in listed if p in deliverable), sum(sizes.get(p, 0) for p in listed),
               sum(1 for p in listed if p in lfs), sum(1 for p in listed if p in archival))


def approval_state(approval: Approval, as_of: datetime.date) -> str:
    """valid, expiring (holds on `as_of` and ends within EXPIRING_DAYS) or expired; it holds through `expires`."""
    if approval.expires is None:
        return VALID
    if approval.expires < as_of:
        return EXPIRED
    return EXPIRING if expiring(approval, as_of) else VALID


def _cite(book: Book | None, approval_id: str, as_of: datetime.date) -> CitedApproval:
    """One approval id as policy.coverage judges it: pattern first, then the register (or, with approvals kept
    outside the repository, accepted unchecked), then its signature where one is required."""
    root = book.root if book is not None else None
    pattern = root.production.approval_pattern if root is not None and root.production else None
    if book is None or (pattern is not None and not approval_matches(pattern, approval_id)):
        return CitedApproval(approval_id, UNKNOWN, None, True)
    approval = book.lookup(approval_id)
    if approval is None:
        return CitedApproval(approval_id, VALID, None, False) if book.external else \
            CitedApproval(approval_id, UNKNOWN, None, True)
    if not book.signature(approval, as_of).ok:
        return CitedApproval(approval_id, UNSIGNED, approval, True)
    return CitedApproval(approval_id, approval_state(approval, as_of), approval, True)


def _entry_record(manifests: ManifestSet, entry: GeneratedEntry, paths: Sequence[str],
                  where: tuple[frozenset[str], frozenset[str]], sizes: dict[str, int], lfs: frozenset[str],
                  as_of: datetime.date, inherited: tuple[str, ...]) -> EntryRecord:
    """`where`: the generated files in deliverable paths, and those that would be taken for real; `inherited`:
    the sensitive categories manifests above add to the entry's files (the audit's GAI204 counts them too)."""
    use = _use(paths, where[0], sizes, lfs, where[1])
    needs = tuple(dict.fromkeys((("final-deliverable",) if use.deliverable_files else ()) + entry.sensitive
                                + inherited + (("archival",) if use.archival_files else ())
                                + _input_needs(entry.inputs)))
    cited, uncovered, status = _approval(manifests, entry.manifest, entry.approvals, needs, as_of)
    shown = [p for p in paths if p in where[0]
             and manifests.disclosure_needed(p, entry.sensitive + inherited, True) is not None]
    return EntryRecord(entry, manifests.tool_for(entry), use, repository_patterns(entry.manifest, entry.paths),
                       file_groups(paths), needs, uncovered, cited, status, file_groups(shown))


def _model_record(manifests: ManifestSet, entry: ModelEntry, paths: Sequence[str], sizes: dict[str, int],
                  lfs: frozenset[str], as_of: datetime.date) -> ModelRecord:
    needs = _input_needs(entry.trained_on)
    cited, uncovered, status = _approval(manifests, entry.manifest, entry.approvals, needs, as_of)
    return ModelRecord(entry, manifests.tool_for(entry), _use(paths, frozenset(), sizes, lfs),
                       repository_patterns(entry.manifest, entry.paths), file_groups(paths), needs, uncovered, cited,
                       status)


def _archival(manifest: Manifest) -> ArchivalRecord:
    paths = tuple(p.text for p in manifest.archival)
    return ArchivalRecord(manifest.path, manifest.tables.get("archival"), paths,
                          repository_patterns(manifest.path, paths))


def _input_needs(inputs: Iterable[str]) -> tuple[str, ...]:
    """What approvals the material fed in or trained on needs (GAI209, GAI502)."""
    return tuple(INPUT_APPROVALS[i] for i in inputs if i in INPUT_APPROVALS)


def _approval(manifests: ManifestSet, manifest: str, approval_ids: tuple[str, ...], needs: tuple[str, ...],
              as_of: datetime.date) -> tuple[tuple[CitedApproval, ...], tuple[str, ...], str]:
    """The cited approvals' states, what of `needs` they leave uncovered, and the status that sums them up."""
    book = manifests.book_of(directory_of(manifest))
    cited = tuple(_cite(book, i, as_of) for i in approval_ids)
    current = [c for c in cited if c.state in (VALID, EXPIRING)]
    if any(not c.register for c in current):  # no register: a well-formed id covers every category
        covered = set(needs)
    else:
        covered = {category for c in current if c.approval is not None for category in c.approval.covers}
    uncovered = tuple(n for n in needs if n not in covered)
    if not cited:
        status = MISSING if needs else NOT_NEEDED
    else:
        status = NOT_COVERED if uncovered else COVERED
    return cited, uncovered, status


def _tool_records(manifests: ManifestSet, entries: Sequence[EntryRecord]) -> tuple[ToolRecord, ...]:
    tools: list[Tool] = sorted((t for m in manifests.valid.values() for t in m.tools), key=lambda t: (t.manifest, t.line))
    users: dict[int, list[EntryRecord]] = defaultdict(list)
    for record in entries:
        if record.tool is not None:
            users[id(record.tool)].append(record)
    records = []
    for tool in tools:
        used = users.get(id(tool), [])
        records.append(ToolRecord(tool, len(used), Use(
            sum(r.use.files for r in used), sum(r.use.deliverable_files for r in used),
            sum(r.use.bytes for r in used), sum(r.use.lfs_files for r in used))))
    return tuple(records)


def _register(manifests: ManifestSet, snapshot: Snapshot, roots: Sequence[Manifest],
              as_of: datetime.date) -> tuple[ApprovalRecord, ...]:
    citing: dict[tuple[str, str], list[GeneratedEntry | ModelEntry]] = defaultdict(list)
    every: list[GeneratedEntry | ModelEntry] = [*_all_entries(manifests), *_all_models(manifests)]
    for entry in every:
        root = manifests.root_of(directory_of(entry.manifest))
        if root is not None:
            for approval_id in dict.fromkeys(entry.approvals):
                citing[(root.path, approval_id)].append(entry)
    records = []
    for root in roots:
        book = manifests.book_of(root.directory)
        for approval in sorted(root.approvals or (), key=lambda a: a.id):
            days = (approval.expires - as_of).days if approval.expires is not None else None
            pins = (book.pinned(approval.id) if book is not None else None) or {}
            now = snapshot.object_ids(sorted(pins)) if pins else {}
            drifted = tuple(p for p in sorted(pins) if now.get(p) is not None and now[p] != pins[p])
            verdict = book.signature(approval, as_of) if book is not None and book.signed else None
            records.append(ApprovalRecord(
                approval, root.path, approval_state(approval, as_of), days,
                tuple(citing.get((root.path, approval.id), ())), len(pins), drifted,
                None if verdict is None else verdict.ok, verdict.reason if verdict is not None else ""))
    return tuple(records)


# -- findings ----------------------------------------------------------------------------------------

def _rule_groups(findings: Iterable[Finding]) -> tuple[RuleGroup, ...]:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule].append(finding)
    return tuple(RuleGroup(rule, RULES[rule].name, tuple(sorted(found, key=lambda f: f.sort_key)))
                 for rule, found in sorted(by_rule.items()))

