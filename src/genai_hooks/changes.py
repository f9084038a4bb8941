"""Rules that compare a change with its base (SPEC §9): withdrawn declarations (GAI205) and a weakened
policy (GAI206). They read two ManifestSets, the base's and the snapshot's, and never run git.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .approvals import Book
from .approvals.lock import is_lock
from .chains import ManifestSet, directory_of
from .findings import Finding, Severity
from .lineage import Origin
from .listing import Listing
from .manifest import GeneratedEntry, Manifest
from .paths import is_manifest
from .pattern_index import PatternIndex
from .policy import make
from .rules import RULES
from .selection import Change

_RANK = {Severity.OFF: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Base:
    """The base of a change: its commit, what it declared, and its files with their object ids."""

    commit: str
    manifests: ManifestSet
    listing: Listing

    @property
    def label(self) -> str:
        return self.commit[:12]


@dataclass(frozen=True)
class ChangeContext:
    """A check of a change: what changed, and what its base declared where the rules need it."""

    changes: list[Change]
    base: Base | None  # every manifest and file of the base, when a manifest changed (else None)
    moved: Mapping[str, Origin]  # path -> the base file, declared generated, whose content it holds


def _signature(entry: GeneratedEntry) -> tuple[object, ...]:
    """An entry as a declaration: the same manifest, patterns, tool and categories declare the same files."""
    return (entry.manifest, entry.paths, entry.tool, tuple(sorted(entry.sensitive)))


def declared_categories(manifests: ManifestSet, path: str) -> tuple[GeneratedEntry | None, frozenset[str]]:
    """The entry that declares `path` and its sensitive categories, with those manifests above add."""
    winner = manifests.winning_entry(path)
    if winner is None:
        return None, frozenset()
    depth = len(winner.manifest)
    inherited = {s for e in manifests.generated.matches(path) if len(e.manifest) < depth for s in e.sensitive}
    return winner, frozenset(winner.sensitive) | inherited


class Withdrawal(NamedTuple):
    """A file the base declared generated that is still here, now undeclared or missing a category."""

    path: str
    before: GeneratedEntry  # the entry that declared it at the base
    after: GeneratedEntry | None  # the entry that declares it now; None: no entry does
    lost: tuple[str, ...]  # sensitive categories declared at the base and not now, sorted
    changed: bool  # its content changed since the base


def withdrawn_files(base: Base, manifests: ManifestSet, now_ids: Mapping[str, str | None]) -> Iterator[Withdrawal]:
    """The withdrawals GAI205 judges, whatever its severity (`withdrawn` leaves out those where it is off).

    `now_ids`: the snapshot's object id of each file `withdrawal_candidates` named (None: gone).
    """
    for path, now_id in now_ids.items():
        if now_id is None:  # deleted or moved: a move is lineage's business
            continue
        before, had = declared_categories(base.manifests, path)
        if before is None:
            continue
        after, has = declared_categories(manifests, path)
        lost = tuple(sorted(had - has))
        if after is not None and not lost:
            continue
        yield Withdrawal(path, before, after, lost, base.listing.object_id(path) != now_id)


def withdrawn(base: Base, manifests: ManifestSet, now_ids: Mapping[str, str | None]) -> list[Finding]:
    """GAI205: files the base declared generated that are still here, now undeclared or missing a category.

    `now_ids`: the snapshot's object id of each file `withdrawal_candidates` named (None: gone).
    """
    findings: list[Finding] = []
    for path, before, after, lost, changed in withdrawn_files(base, manifests, now_ids):
        where = f"{before.manifest}:{before.line}"
        if after is None:
            message = (f"declared generated at {base.label} by {where} (tool '{before.tool}'), and no entry "
                       "declares it now")
        else:
            message = (f"declared {', '.join(lost)} at {base.label} by {where}; its entry now "
                       f"({after.manifest}:{after.line}) does not")
        finding = make(manifests, "GAI205", directory_of(path), path, None, message, before.manifest, before.line)
        if finding is None:
            continue
        if changed and finding.severity is Severity.ERROR:  # new content: the withdrawal may be honest
            finding = Finding(finding.rule, Severity.WARNING, finding.path, finding.line,
                              message + "; its content changed too", finding.fix, finding.manifest,
                              finding.manifest_line, finding.files)
        findings.append(finding)
    return findings


def withdrawal_candidates(base: Base, manifests: ManifestSet) -> list[str]:
    """Base files a base entry that the snapshot no longer has declared (only they can be withdrawn)."""
    kept = {_signature(e) for m in manifests.valid.values() for e in m.generated}
    gone: PatternIndex[GeneratedEntry] = PatternIndex()
    prefixes: set[str] = set()
    for manifest in base.manifests.valid.values():
        for entry in manifest.generated:
            if _signature(entry) not in kept:
                for pattern in entry.patterns:
                    gone.add(pattern, entry)
                    prefixes.add(pattern.prefix)
    if not gone:
        return []
    found: list[str] = []
    for prefix in _outermost(prefixes):
        found.extend(p for p in _below(base.listing, prefix) if not is_manifest(p) and gone.covers(p))
    return found


def _outermost(prefixes: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for prefix in sorted(prefixes):
        if not any(not k or prefix == k or prefix.startswith(k + "/") for k in kept):
            kept.append(prefix)
    return kept


def _below(listing: Listing, prefix: str) -> list[str]:
    """The listed file `prefix` names, or the files below it."""
    paths = listing.paths
    if not prefix:
        return paths
    exact = [prefix] if listing.position(prefix) is not None else []
    return exact + paths[bisect.bisect_left(paths, prefix + "/"):bisect.bisect_left(paths, prefix + "0")]


# -- GAI206 -------------------------------------------------------------------------------------------------------


def weakened(base: Base, manifests: ManifestSet, changes: Iterable[Change]) -> list[Finding]:
    """GAI206: the production's rules got weaker between the base and the snapshot."""
    changes = list(changes)
    touched = {c.path for c in changes if is_manifest(c.path)}
    locks = {c.path for c in changes if is_lock(c.path)}
    if not touched and not locks:
        return []
    findings: list[Finding | None] = []

    def add(manifest: str, table: str | None, message: str, fix: str | None = None) -> None:
        now = manifests.valid.get(directory_of(manifest))
        line = now.tables.get(table, 1) if now is not None and table else 1
        findings.append(make(manifests, "GAI206", directory_of(manifest), manifest, line, message, manifest, line,
                             fix))

    before_roots = _roots(base.manifests)
    now_roots = _roots(manifests)
    for lock in sorted(locks):
        directory = directory_of(lock)
        for said in _unpinned(base.manifests.books.get(directory), manifests.books.get(directory)):
            findings.append(make(manifests, "GAI206", directory, lock, None, said, lock, None,
                                 "Pins record what each approval was given for; removing them lets any content cite "
                                 "the approval. Restore them, or revoke the approval in the register instead."))
    for path in sorted(touched):
        directory = directory_of(path)
        old, new = base.manifests.valid.get(directory), manifests.valid.get(directory)
        if old is not None and new is not None:
            if path in before_roots and path in now_roots:
                for message in _weaker_root(old, new):
                    add(path, message[0], message[1])
            removed = sorted({p.text for p in old.deliverables} - {p.text for p in new.deliverables})
            if removed:
                add(path, "deliverables", f"deliverable paths removed: {', '.join(removed)}")
            removed = sorted({p.text for p in old.archival} - {p.text for p in new.archival})
            if removed:
                add(path, "archival", f"archival paths removed: {', '.join(removed)}")
        elif old is not None and new is None and path in before_roots:
            below = sorted(p for p in now_roots if directory_of(p).startswith(directory + "/") or not directory)
            if below:
                add(path, None, f"the root manifest is gone; {', '.join(below)} now act as root manifests, with "
                    "their own [policy], [detect] and approval register")
            else:
                add(path, None, "the root manifest is gone from the snapshot: nothing declares, approves or governs "
                    f"the files below {directory + '/' if directory else 'the repository root'} any more")
        if new is not None and path in now_roots and path not in before_roots:
            under = sorted(p for p in before_roots if p != path and
                           (not directory or directory_of(p).startswith(directory + "/")))
            if under:
                add(path, None, f"a new root above {', '.join(under)}: their [production], [[approvals]], "
                    "[detect] and [policy] tables no longer apply")
    return [f for f in findings if f is not None]


def _unpinned(before: Book | None, now: Book | None) -> list[str]:
    """What a change to a root's genai.lock took away: the lock itself, or pins of approvals."""
    if before is None or before.lock is None:
        return []
    if now is None or now.lock is None:
        pinned = sum(len(b.files) for b in before.lock.blocks)
        return [(f"genai.lock removed: {pinned} pinned file{'s' if pinned != 1 else ''} no longer bind "
                "their approvals to content")] if pinned else []
    found = []
    for block in before.lock.blocks:
        kept = now.lock.block(block.approval)
        gone = sorted({p for p, _ in block.files} - {p for p, _ in (kept.files if kept else ())})
        if gone:
            shown = ", ".join(gone[:3]) + (f" and {len(gone) - 3} more" if len(gone) > 3 else "")
            found.append(f"pins removed from approval {block.approval}: {shown}")
    return found


def _roots(manifests: ManifestSet) -> set[str]:
    return {m.path for d, m in manifests.valid.items() if manifests.chain_dirs(d)[0] == d}


def _weaker_root(old: Manifest, new: Manifest) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for rule_id, rule in RULES.items():
        before, after = old.severity.get(rule_id, rule.default), new.severity.get(rule_id, rule.default)
        if _RANK[after] < _RANK[before]:
            found.append(("policy", f"{rule_id} ({rule.name}) lowered from {before.value} to {after.value}"))
    if old.detect_metadata and not new.detect_metadata:
        found.append(("detect", "[detect] metadata turned off: embedded provenance is no longer read"))
    ignored = sorted({p.text for p in new.detect_ignore} - {p.text for p in old.detect_ignore})
    if ignored:
        found.append(("detect", f"[detect] ignore now skips {', '.join(ignored)}"))
    if old.approvals_mode != "external" and new.approvals_mode == "external":
        found.append(("policy", 'approvals = "external": approval ids are no longer checked against the register'))
    if (old.production and old.production.approvers) and not (new.production and new.production.approvers):
        found.append(("production", "approvers removed: register approvals no longer need an approver's signature"))
    if new.nested_tools and not old.nested_tools:
        found.append(("policy", "nested_tools turned on: nested manifests may now vet their own tools"))
    was, now = (m.production.kind if m.production else None for m in (old, new))
    if was == "documentary" and now != "documentary":
        found.append(("production", (f"kind changed from documentary to {now or 'unset'}: generated deliverables "
                      "no longer need an approval covering archival")))
    territories = [m.production.territories if m.production else () for m in (old, new)]
    if "EU" in territories[0] and "EU" not in territories[1] and "GAI214" not in new.severity:
        found.append(("production", ('"EU" removed from territories: a missing deepfake disclosure (GAI214) is no '
                      "longer an error")))
    marking = [m.production.marking if m.production else None for m in (old, new)]
    if marking[0] == "required" and marking[1] != "required":
        found.append(("production", ('marking no longer "required": generated deliverables may go out without a '
                      "C2PA or IPTC mark (GAI306)")))
    accepted = sorted({f"{a.rule} on {', '.join(a.paths)}" for a in new.acknowledged} -
                      {f"{a.rule} on {', '.join(a.paths)}" for a in old.acknowledged})
    if accepted:  # acknowledged findings no longer fail: production and legal should see each one
        found.append(("acknowledged", f"findings newly acknowledged: {'; '.join(accepted)}"))
    return found
