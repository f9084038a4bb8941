"""Lineage through compositing scripts (SPEC §9): a script that reads generated media makes everything
it writes derived, transitively through other scripts and precomps, whether or not the intermediate
renders are committed. A derived file in a deliverable path that no approved entry declares is GAI208.

Script paths are mapped like timeline references (`[editorial] path_map` of the script's chain, else
relative to the script) and compared with frame tokens written alike (`####` = `%04d` = `$F4`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from . import comps
from .chains import ManifestSet, directory_of
from .content import ContentReader
from .editorial import map_everywhere
from .findings import Finding, Note
from .policy import make
from .script_reads import read_scripts
from .sequences import canonical_frames, expand_frames, prefetch_frames, sample_frame
from .snapshot import Snapshot


@dataclass(frozen=True)
class Derivation:
    """Why a file is derived: the script that writes it, and the generated media that script reads."""

    script: str
    node: str
    source: str  # the generated path the script (or a script it depends on) reads
    reason: str  # why that source is generated

    def message(self) -> str:
        return f"written by {self.script} ({self.node}), which reads {self.source} ({self.reason})"


@dataclass
class _Script:
    path: str
    reads: list[tuple[str, str]]  # (mapped path, canonical frames)
    writes: list[tuple[str, str, str]]  # (mapped path, canonical frames, node)
    pulls: list[str]  # other scripts it renders inline (mapped paths)
    source: tuple[str, str] | None = None  # (generated path read, why) once known
    relative: list[tuple[comps.ScriptPath, list[str]]] = field(default_factory=list)  # relative reads, resolved


COMP_PATHSPECS = tuple(f":(icase)*{s}" for s in comps.COMP_SUFFIXES)


def comp_scripts(where: Snapshot | list[str]) -> list[str]:
    """The compositing scripts of a snapshot, or among some paths (named in any case)."""
    if isinstance(where, list):
        return [p for p in where if p.lower().endswith(comps.COMP_SUFFIXES)]
    return where.ending_with(comps.COMP_SUFFIXES, pathspecs=COMP_PATHSPECS, any_case=True)


class Derivations:
    """Reads every compositing script once and follows generated media through them."""

    def __init__(self, snapshot: Snapshot, manifests: ManifestSet, content: ContentReader,
                 generated: Callable[[str], str | None],
                 prepare: Callable[[list[str]], None] | None = None) -> None:
        """`generated(path)`: why a snapshot file is generated (declared, lineage, detected), or None; `prepare`: told
        every file the scripts read before `generated` is asked about them one by one."""
        self.snapshot = snapshot
        self.manifests = manifests
        self.content = content
        self.generated = generated
        self.prepare = prepare
        self.notes: list[Note] = []
        self.findings: list[Finding] = []  # GAI303 on scripts that could not be read

    def follow(self, scripts: list[str], targets: Collection[str] | None = None,
               chosen: Collection[str] = ()) -> dict[str, Derivation]:
        """Derived snapshot files (path -> why), from the scripts at `scripts`. With `targets`, only the scripts that
        could make a target derived are followed — those writing into a target's folder or the `chosen` scripts, and
        the scripts and precomps they build on — so a commit's cost follows the scripts that touch it (every script
        is still read: one that cannot be read is reported wherever it lies)."""
        read = self._read(scripts)
        if targets is not None:
            read = _relevant(read, targets, chosen)
        prefetch_frames(self.snapshot, [m for script in read.values()
                                        for m in [*(r for r, _ in script.reads), *(w for w, _, _ in script.writes)]])
        expanded: dict[str, list[str]] = {}

        def frames(mapped: str) -> list[str]:  # a path read by several scripts is expanded once
            if mapped not in expanded:
                expanded[mapped] = expand_frames(self.snapshot, mapped)
            return expanded[mapped]

        if self.prepare is not None:
            self.prepare(sorted({p for script in read.values() for mapped, _ in script.reads for p in frames(mapped)}))
        by_canonical: dict[str, list[_Script]] = {}
        for script in read.values():
            for _, canonical, _ in script.writes:
                by_canonical.setdefault(canonical, []).append(script)
        for script in read.values():  # direct reads of generated media
            script.source = self._generated_read(script, frames)
        changed = True
        while changed:  # derived writes read by other scripts, and precomps rendered inline
            changed = False
            for script in read.values():
                if script.source is not None:
                    continue
                for mapped, canonical in script.reads:
                    writer = next((w for w in by_canonical.get(canonical, ()) if w.source is not None), None)
                    if writer is not None:
                        assert writer.source is not None
                        script.source = (mapped, f"written by {writer.path} from {writer.source[0]}")
                        break
                if script.source is None:
                    for pulled in script.pulls:
                        inner = read.get(pulled)
                        if inner is not None and inner.source is not None:
                            script.source = (pulled, f"a precomp reading {inner.source[0]}")
                            break
                if script.source is not None:
                    changed = True
        for script in read.values():  # a relative read that names nothing: the artist's path is not what we read
            for reference, resolutions in script.relative:
                if not any(frames(m) or self.manifests.winning_entry(sample_frame(m)) for m in resolutions):
                    self.notes.append(Note(script.path, f"{reference.node} (line {reference.line}) reads the "
                                           f"relative path {reference.path!r}, which resolves to nothing in the "
                                           "snapshot (against the project directory, the script's directory or the "
                                           "repository root); not traced"))
        derived: dict[str, Derivation] = {}
        for script in read.values():
            if script.source is None:
                continue
            for mapped, _, node in script.writes:
                for path in frames(mapped):
                    derived.setdefault(path, Derivation(script.path, node, *script.source))
        return derived

    def _generated_read(self, script: _Script, frames: Callable[[str], list[str]]) -> tuple[str, str] | None:
        for mapped, _ in script.reads:
            entry = self.manifests.winning_entry(sample_frame(mapped))  # declared, committed or not
            if entry is not None:
                return mapped, f"declared generated by {entry.manifest}:{entry.line} (tool '{entry.tool}')"
            for path in frames(mapped):
                why = self.generated(path)
                if why is not None:
                    return mapped, why
        return None

    def _read(self, scripts: list[str]) -> dict[str, _Script]:
        read: dict[str, _Script] = {}
        for path, parsed in read_scripts(self.content, scripts).items():
            if isinstance(parsed, str):
                self._unreadable(path, parsed)
                continue
            if parsed is None:
                continue
            mappings, _ = self.manifests.editorial(directory_of(path))
            reads, writes, pulls = (
                [(r, _resolutions(r, path, mappings)) for r in references]
                for references in (parsed.reads, parsed.writes, parsed.scripts))
            read[path] = _Script(path, [(m, canonical_frames(m)) for _, ms in reads for m in ms],
                                 [(m, canonical_frames(m), w.node) for w, ms in writes for m in ms],
                                 [m for _, ms in pulls for m in ms],
                                 relative=[(r, ms) for r, ms in reads if r.resolved and ms and _relative(r.path)])
            outside = [r.path for r, ms in (*reads, *writes, *pulls) if r.resolved and not ms]
            if outside:  # a facility path no path_map maps, or one climbing out of the repository
                self.notes.append(Note(path, f"{len(outside)} path(s) outside the repository, so not traced "
                                             f"(add an [editorial] path_map prefix): {outside[0]!r}"))
            unresolved = sum(1 for r, _ in (*reads, *writes, *pulls) if not r.resolved)
            if not parsed.complete:  # fail closed where it matters: what it writes may be delivered
                first = parsed.notes[0] if parsed.notes else "part of the script was not read"
                into = [m for _, ms in writes for m in ms if self.manifests.is_deliverable(m)]
                self._unreadable(path, f"read in part: {first}", writes_into=into[0] if into else None)
            elif unresolved:
                first = parsed.notes[0] if parsed.notes else "a path could not be resolved"
                self.notes.append(Note(path, f"{unresolved} path(s) not resolved, so not traced: {first}"))
        return read

    def _unreadable(self, path: str, reason: str, writes_into: str | None = None) -> None:
        """GAI304 (an error) for a script in a deliverable path or whose readable part writes into one: what it
        renders cannot be cleared; GAI303 for any other script (SPEC §13)."""
        if self.manifests.is_deliverable(path) or writes_into is not None:
            where = "it lies in a deliverable path" if writes_into is None else f"it writes into {writes_into}"
            finding = make(self.manifests, "GAI304", directory_of(path), path, None,
                           f"compositing script could not be read completely ({reason}) and {where}: what it "
                           "renders into deliverables cannot be cleared", None, None,
                           "Repair or re-save the script from Nuke/Fusion so it reads completely (or remove it from "
                           "the deliverable path); genai-hooks never clears what it could not read.")
        else:
            finding = make(self.manifests, "GAI303", directory_of(path), path, None,
                           f"compositing script could not be read ({reason}); what it writes is not traced", None, None)
        if finding is not None:
            self.findings.append(finding)


def _relevant(read: dict[str, _Script], targets: Collection[str], chosen: Collection[str]) -> dict[str, _Script]:
    """The scripts that write into a target's folder or are chosen, and, transitively, those writing into the folders
    they read from and the precomps they pull in: a reverse index of written folders (SPEC §17)."""
    writers: dict[str, list[_Script]] = {}
    for script in read.values():
        for mapped, _, _ in script.writes:
            writers.setdefault(mapped.rpartition("/")[0], []).append(script)
    todo = [s for folder in {t.rpartition("/")[0] for t in targets} for s in writers.get(folder, ())]
    todo += [read[c] for c in chosen if c in read]
    relevant: dict[str, _Script] = {}
    while todo:
        script = todo.pop()
        if script.path in relevant:
            continue
        relevant[script.path] = script
        todo += [w for mapped, _ in script.reads for w in writers.get(mapped.rpartition("/")[0], ())]
        todo += [read[p] for p in script.pulls if p in read]
    return {p: s for p, s in read.items() if p in relevant}  # in the order read


def _relative(path: str) -> bool:
    written = path.replace("\\", "/")
    return not (written.startswith("/") or "://" in written or (len(written) > 1 and written[1] == ":"))


def _resolutions(reference: comps.ScriptPath, script: str, mappings: list[tuple[str, str]]) -> list[str]:
    """Every repository path a script's reference may name (SPEC §18): mapped facility paths; a relative one
    against the project directory or the script's directory (as read), and against the repository root, as
    artists launching from the show's root use them."""
    if not reference.resolved:
        return []
    found = map_everywhere(reference.path, timeline_path=script, mappings=mappings)
    if _relative(reference.path):
        rooted = posixpath.normpath(reference.path.replace("\\", "/"))
        if rooted not in (".", "..") and not rooted.startswith("../"):
            found.append(rooted)
    return list(dict.fromkeys(found))


def derived_findings(manifests: ManifestSet, derived: Mapping[str, Derivation],
                     declared: Callable[[str], bool]) -> list[Finding]:
    """GAI208 on each derived file in a deliverable path that no entry declares (declared ones meet GAI201/204)."""
    findings: list[Finding] = []
    for path, why in sorted(derived.items()):
        if declared(path) or not manifests.is_deliverable(path):
            continue
        finding = make(manifests, "GAI208", directory_of(path), path, None,
                       why.message() + "; no entry with an approval covering final-deliverable declares this file",
                       None, None)
        if finding is not None:
            findings.append(finding)
    return findings
