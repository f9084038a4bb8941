"""Rules over a snapshot's selection: which findings a run reports (SPEC §3, 'Which findings')."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from . import policy
from .acknowledged import acknowledge
from .audience import derived_as_real
from .chains import ManifestSet, directory_of
from .changes import ChangeContext, weakened, withdrawal_candidates, withdrawn
from .content import ContentReader
from .datasets import dataset_files, judge_datasets
from .declaration import collapse_fixes
from .derived import Derivation, Derivations, comp_scripts, derived_findings
from .detect import Detector, unreadable_formats
from .findings import Finding, Note, RunResult, Strength
from .lineage import Lineage, Origin, find_origins
from .listing import at_or_below
from .manifest import GeneratedEntry, Tool
from .marking import Marking
from .models_rules import judge_models
from .paths import MANIFEST_NAME, is_manifest
from .patterns import Matcher
from .production import production_findings
from .progress import progress
from .selection import Selection
from .sequences import group_sequences
from .snapshot import Snapshot
from .timelines import TIMELINE_SUFFIXES, GeneratedUse, is_timeline, judge_timelines

_NARROWED_FROM = 10_000  # paths in a policy pass before those below no pattern are passed over in bulk


@dataclass(frozen=True)
class Options:
    as_of: datetime.date
    metadata: bool = True


class Judgement:
    """Collects the findings of one run; each entry and tool is judged at most once."""

    def __init__(self, snapshot: Snapshot, manifests: ManifestSet, content: ContentReader, options: Options) -> None:
        self.snapshot = snapshot
        self.manifests = manifests
        self.content = content
        self.options = options
        self.findings: list[Finding] = []
        self.notes: list[Note] = []
        self._entries: dict[int, GeneratedEntry] = {}
        self._tools: dict[int, Tool] = {}
        self._invalid: set[str] = set()
        self._roots: set[str] = set()  # directories of the valid root manifests the judged files' chains start at
        self._inherited: dict[int, set[str]] = {}  # entry -> sensitive categories its files inherit
        self._pinned: dict[int, list[tuple[str, dict[str, str] | None]]] = {}  # entry -> approvals pinning content
        self._pin_files: list[tuple[str, GeneratedEntry]] = []
        self.declared: dict[str, GeneratedEntry] = {}  # every file the policy pass found declared, and its entry
        self.unchecked: set[str] = set()  # files an approval kept outside the repository admitted, unchecked

    def use_entry(self, entry: GeneratedEntry) -> None:
        if id(entry) not in self._entries:
            self._entries[id(entry)] = entry
            tool = self.manifests.tool_for(entry)
            if tool is not None:
                self._tools[id(tool)] = tool

    def report_invalid_in_chain(self, directory: str) -> None:
        """GAI001 of every manifest (and genai.lock) in the chain of `directory`; the root's own rules (GAI002) too."""
        chain = self.manifests.chain_dirs(directory)
        if chain and chain[0] in self.manifests.valid:
            self._roots.add(chain[0])
        for chain_dir in chain:
            if chain_dir in self.manifests.invalid or chain_dir in self.manifests.lock_problems:
                self._invalid.add(chain_dir)

    def tool_label(self, entry: GeneratedEntry) -> str:
        tool = self.manifests.tool_for(entry)
        return f"'{entry.tool}'" + (f" ({tool.vendor})" if tool and tool.vendor else "")

    def policy_pass(self, paths: list[str], *, audit: bool, ascii: bool | None = None) -> None:
        """GAI201/GAI204 on each generated file; remember the entries and tools those files use.

        Work is per directory where it can be: most files share their directory's answer. Only files at or below
        a pattern's prefix can be declared: with every path ASCII (its own key; `ascii` None: looked at here), the
        rest are passed over.
        """
        manifests = self.manifests
        generated, deliverables = manifests.generated, manifests.deliverables
        if len(paths) > _NARROWED_FROM and not generated.ignore_case and (
                ascii if ascii is not None else all(p.isascii() for p in paths)):
            narrowed = at_or_below(paths, generated.prefixes())
            if narrowed is not None:
                roots, invalid = manifests.chains_below(paths)  # report_invalid_in_chain of every directory
                self._roots.update(roots)
                self._invalid.update(invalid)
                paths = narrowed
        matched: set[int] = set()
        as_of = self.options.as_of
        directory: str | None = None
        view = None
        tick = progress().step
        for path in _ticking(paths, lambda done: tick("judged", done, len(paths))):
            key = path if path.isascii() else generated.key(path)  # patterns compare in NFC
            slash = path.rfind("/")
            here = path[:slash] if slash >= 0 else ""
            if here != directory:
                directory = here
                view = generated.view(key.rpartition("/")[0])
                self.report_invalid_in_chain(here)
                sensitive_whole = [e for e in view.whole if e.sensitive]
                sensitive_per_file = [c for c in view.per_file if c[2].sensitive]
                if audit:
                    matched.update(id(e) for e in view.whole)
                    unmarked = [c for c in view.per_file if id(c[2]) not in matched]
            assert view is not None
            if not view.whole and not view.per_file:
                continue
            if is_manifest(path):
                continue
            if audit and unmarked:
                for matcher, offset, entry in unmarked:
                    if matcher.match(key, offset):
                        matched.add(id(entry))
                unmarked = [c for c in unmarked if id(c[2]) not in matched]
            best = view.best_whole
            for matcher, offset, entry in view.challengers:
                if matcher.match(key, offset):
                    best = entry
                    break
            if best is None:
                continue
            self.declared[path] = best
            self.use_entry(best)
            inherited = _inherited_sensitive(key, best, sensitive_whole, sensitive_per_file)
            if inherited:
                self._inherited.setdefault(id(best), set()).update(inherited)
            deliverable = deliverables.covers(path)
            if deliverable or best.sensitive or inherited or best.approvals or manifests.archival:
                self.findings.extend(policy.file_findings(
                    manifests, path, best, self.tool_label(best), deliverable, as_of, inherited))
            if best.approvals:
                self._cites(path, best, deliverable or bool(best.sensitive or inherited or best.inputs))
        if audit:
            for manifest in manifests.valid.values():
                for entry in manifest.generated:
                    self.use_entry(entry)
                    if id(entry) not in matched:
                        stale = policy.stale_finding(manifests, entry)
                        if stale is not None:
                            self.findings.append(stale)

    def _cites(self, path: str, entry: GeneratedEntry, needs_approval: bool) -> None:
        """Remember a file whose entry cites approvals: pinned ones are checked against its blob (GAI212), and
        unchecked ones are counted."""
        pinned = self._pinned.get(id(entry))
        if pinned is None:
            pinned = self._pinned[id(entry)] = policy.pinned_by(self.manifests, entry, self.options.as_of)
        if pinned:
            self._pin_files.append((path, entry))
        if needs_approval and self.manifests.cited(entry, self.options.as_of).unchecked:
            self.unchecked.add(path)

    def pins(self) -> None:
        """GAI212 on the files whose approvals pin content: blob ids the snapshot already lists, no blob read."""
        if not self._pin_files:
            return
        current = self.snapshot.object_ids([p for p, _ in self._pin_files])
        for path, entry in self._pin_files:
            self.findings.extend(policy.pin_findings(self.manifests, path, current.get(path), entry,
                                                     self._pinned[id(entry)]))

    def submodules(self, paths: set[str]) -> None:
        """A submodule under a deliverable path: delivered content this repository cannot inspect (GAI303)."""
        for path in sorted(paths):
            if self.manifests.is_deliverable(path):
                finding = policy.make(self.manifests, "GAI303", directory_of(path), path, None,
                                      "a submodule under a deliverable path: its content lives in another "
                                      "repository and is not inspected", None, None)
                if finding is not None:
                    self.findings.append(finding)
            else:
                self.notes.append(Note(path, "a submodule: its content lives in another repository; not judged"))

    def select_manifest(self, path: str) -> None:
        """All rules of a selected manifest: its tools and entries, and its GAI001."""
        directory = directory_of(path)
        manifest = self.manifests.valid.get(directory)
        if manifest is not None and manifest.path == path:
            for entry in manifest.generated:
                self.use_entry(entry)
            for tool in manifest.tools:
                self._tools[id(tool)] = tool
        self.report_invalid_in_chain(directory)

    def unapplied(self) -> tuple[str, ...]:  # the invalid manifests reported (GAI001): nothing they declare applied
        return tuple(sorted(self.manifests.invalid[d].path for d in self._invalid if d in self.manifests.invalid))

    def inherited(self) -> dict[int, tuple[str, ...]]:
        """Entry id -> the sensitive categories its files inherit from manifests above (sorted)."""
        return {entry: tuple(sorted(found)) for entry, found in self._inherited.items()}

    def finish(self) -> None:
        inherited = self.inherited()
        for entry in self._entries.values():
            self.findings.extend(policy.entry_findings(self.manifests, entry, inherited.get(id(entry), ()),
                                                       self.options.as_of))
        for tool in self._tools.values():
            self.findings.extend(policy.tool_findings(self.manifests, tool))
        self.findings.extend(production_findings(self.manifests, sorted(self._roots)))
        for directory in self._invalid:
            for invalid in (self.manifests.invalid.get(directory), self.manifests.lock_problems.get(directory)):
                if invalid is None:
                    continue
                for problem in invalid.problems:
                    finding = policy.make(self.manifests, "GAI001", directory, invalid.path, problem.line,
                                          problem.message, invalid.path, problem.line)
                    if finding is not None:
                        self.findings.append(finding)


def _inherited_sensitive(key: str, best: GeneratedEntry, whole: list[GeneratedEntry],
                         per_file: list[tuple[Matcher, int, GeneratedEntry]]) -> tuple[str, ...]:
    """Sensitive categories that entries of manifests above the winning one declare for the path `key`.

    The nearest entry wins for everything else, but a nested manifest must not drop what the root
    says about a file (talent likeness, say): nested manifests add, never weaken.
    """
    if not whole and not per_file:
        return ()
    depth = len(best.manifest)
    found = {s for e in whole if len(e.manifest) < depth for s in e.sensitive}
    found.update(s for matcher, offset, e in per_file
                 if len(e.manifest) < depth and matcher.match(key, offset) for s in e.sensitive)
    found.difference_update(best.sensitive)
    return tuple(sorted(found))


def _ticking(paths: list[str], tick: Callable[[int], None], every: int = 1 << 16) -> Iterator[str]:
    """`paths`, calling `tick` with the count done before each block (no per-path counting)."""
    for start in range(0, len(paths), every):
        tick(start)
        yield from paths[start:start + every]


class _Everything:
    """Every manifest of the snapshot, read once when a rule must look beyond the selected files' chains."""

    def __init__(self, snapshot: Snapshot, manifests: ManifestSet, content: ContentReader) -> None:
        self._snapshot, self._content = snapshot, content
        self._all = manifests if manifests.complete else None

    def __call__(self) -> ManifestSet:
        if self._all is None:
            every = self._snapshot.named(MANIFEST_NAME)
            self._all = ManifestSet.read(self._content, every)
            self._all.complete = True
        return self._all


def _origins(snapshot: Snapshot, selection: Selection, manifests: ManifestSet, content: ContentReader,
             judgement: Judgement, change: ChangeContext | None, everything: _Everything,
             ) -> dict[str, Origin | None]:
    """Undeclared selected files that are generated by lineage (None: a link out of the repository)."""
    lineage = Lineage(snapshot, manifests, content)
    found = find_origins(lineage, selection, judgement.declared, change.moved if change is not None else None,
                         everything)
    judgement.notes.extend(Note(p, "a chain of symbolic links that goes round (or deeper than 16 links); not followed")
                           for p in lineage.cycles)
    return found


def _derivations(snapshot: Snapshot, selection: Selection, manifests: ManifestSet, content: ContentReader,
                 judgement: Judgement, origins: Mapping[str, Origin | None], everything: _Everything,
                 policy_paths: list[str], detector: Detector) -> tuple[dict[str, Derivation], Derivations | None]:
    """Files derived through compositing scripts, read only when a deliverable path could be affected. What a
    script reads is generated when declared, by lineage, or by its own metadata (detected: SPEC §13)."""
    chosen = comp_scripts(selection.files) if not selection.full_audit else []
    touched = selection.full_audit or chosen or selection.manifests or any(
        manifests.is_deliverable(p) or manifests.archival.covers(p)
        for p in selection.files if p not in judgement.declared)
    scripts = comp_scripts(snapshot) if touched else []
    if not scripts:
        return {}, None
    every = everything()

    if every is not manifests:  # the scripts' sources may lie outside the selected files' chains
        detector = Detector(snapshot, every, content, enabled=detector.enabled, lineage=detector.lineage)

    def generated(path: str) -> str | None:
        entry = every.winning_entry(path)
        if entry is not None:
            return f"declared generated by {entry.manifest}:{entry.line} (tool '{entry.tool}')"
        origin = origins.get(path)
        if origin is not None:
            return origin.evidence().detail
        found = detector.inspect([path]).get(path) if detector.wants(path) else None
        telling = [e for e in found.evidence if e.strength is not Strength.WEAK] if found is not None else []
        return f"detected generated ({telling[0].kind}: {telling[0].detail})" if telling else None

    def prepare(paths: list[str]) -> None:  # what the scripts read, sniffed in one batch before they are followed
        detector.inspect([p for p in paths if p not in origins and every.winning_entry(p) is None
                          and detector.wants(p)])

    derivations = Derivations(snapshot, every, content, generated, prepare)
    wanted = set(policy_paths) | set(selection.files)
    # a named run follows the scripts that could touch what it judges; a selected manifest's scope may hold the
    # source of any script, an audit judges everything
    derived = derivations.follow(scripts, None if selection.full_audit or selection.manifests else wanted, chosen)
    # a selected manifest brings the comps that read its files under the rules (a comp committed before its sources
    # were declared makes its renders GAI208 in the commit that declares them)
    scopes = tuple(d + "/" if d else "" for d in (directory_of(m) for m in selection.manifests))
    return {p: d for p, d in derived.items() if selection.full_audit or p in wanted or d.script in chosen
            or (scopes and d.source.startswith(scopes))}, derivations


@dataclass(frozen=True)
class Judged:
    """One run's verdict, and what the disclosure report takes from the audit rather than working out again."""

    result: RunResult
    clip_uses: dict[str, list[GeneratedUse]]  # each deliverable timeline read -> its generated uses, approved too
    inherited: dict[int, tuple[str, ...]]  # id of an entry -> sensitive categories manifests above add to its files


def judge(snapshot: Snapshot, selection: Selection, manifests: ManifestSet, content: ContentReader,
          options: Options, change: ChangeContext | None = None) -> Judged:
    judgement = Judgement(snapshot, manifests, content, options)
    if change is not None and change.base is not None:
        candidates = withdrawal_candidates(change.base, manifests)
        judgement.findings.extend(withdrawn(change.base, manifests, snapshot.object_ids(candidates)))
        judgement.findings.extend(weakened(change.base, manifests, change.changes))
    if selection.full_audit:
        policy_paths = snapshot.paths
    else:
        scope: dict[str, None] = dict.fromkeys(selection.files)
        for manifest_path in sorted(selection.manifests):
            judgement.select_manifest(manifest_path)
            scope.update(dict.fromkeys(snapshot.below(directory_of(manifest_path))))
        policy_paths = sorted(scope)
    policy.verify_signatures_ahead(manifests, policy_paths, selection.full_audit, options.as_of)
    judgement.policy_pass(policy_paths, audit=selection.full_audit,
                          ascii=snapshot.listing.ascii if selection.full_audit else None)
    judgement.pins()
    judgement.submodules(selection.submodules | {g for m in selection.manifests for g in snapshot.gitlinks
                                                 if g.startswith(directory_of(m) + "/") or not directory_of(m)})

    everything = _Everything(snapshot, manifests, content)
    origins = _origins(snapshot, selection, manifests, content, judgement, change, everything)
    judgement.notes.extend(Note(p, "a symbolic link out of the repository: what it shows is not judged")
                           for p, o in origins.items() if o is None)
    evidence = {p: o.evidence() for p, o in origins.items() if o is not None}
    detector = Detector(snapshot, manifests, content, enabled=options.metadata, lineage=evidence)
    derived, derivations = _derivations(snapshot, selection, manifests, content, judgement, origins, everything,
                                        policy_paths, detector)  # in an audit, what the scripts read is read once
    if derivations is not None:
        judgement.findings.extend(derivations.findings)
        judgement.notes.extend(derivations.notes)
        every = everything()
        judgement.findings.extend(derived_findings(every, derived, lambda p: every.winning_entry(p) is not None))
        judgement.findings.extend(derived_as_real(every, derived, lambda p: every.winning_entry(p) is not None))
    datasets = dataset_files(manifests, policy_paths)
    detector.watch([*datasets, *derived])  # GAI503 and GAI306 reuse what judge_files reads
    judgement.findings.extend(detector.judge_files(selection.files))
    marking = Marking(manifests, detector)  # GAI306: after judge_files, whose reads it reuses
    marking.required(judgement.declared, selection.files, marking.derived(derived))
    judgement.findings.extend(marking.findings)
    judgement.findings.extend(judge_models(selection, manifests, content, options.as_of, policy_paths))
    judgement.findings.extend(judge_datasets(manifests, detector, datasets))  # after judge_files
    judgement.findings.extend(policy.register_findings(manifests, selection.full_audit, selection.manifests,
                                                           options.as_of))
    judgement.notes.extend(detector.notes)

    if selection.manifests or selection.full_audit:  # a manifest's deliverable paths may hold any timeline
        candidates = snapshot.with_extensions(TIMELINE_SUFFIXES, is_timeline)
    else:
        candidates = [p for p in policy_paths if is_timeline(p)]
    timelines = [p for p in candidates if manifests.is_deliverable(p)]
    uses: dict[str, list[GeneratedUse]] = {}
    if timelines:
        cuts = judge_timelines(timelines, snapshot, manifests, content, detector, options.as_of, derived)
        judgement.findings.extend(cuts.findings)
        judgement.notes.extend(cuts.notes)
        uses = cuts.uses

    judgement.finish()
    grouped = acknowledge(collapse_fixes(group_sequences(judgement.findings)), manifests, options.as_of,
                          audit=selection.full_audit)
    unique = {(f.rule, f.path, f.line, f.message): f for f in grouped}
    ordered = tuple(sorted(unique.values(), key=lambda f: f.sort_key))
    notes = [Note(p, "not in the snapshot; skipped") for p in selection.missing] + judgement.notes
    result = RunResult(snapshot.label, len(policy_paths), ordered,  # a selected manifest's scope is checked too
                       tuple(sorted(set(notes), key=lambda n: (n.path, n.message))), detector.inspected,
                       unreadable_formats(snapshot, selection), len(judgement.unchecked),
                       unapplied=judgement.unapplied())
    return Judged(result, uses, judgement.inherited())
