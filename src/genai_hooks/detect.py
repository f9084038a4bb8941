"""Undeclared generated media (GAI301) and content that could not be inspected (GAI303)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from . import provenance
from .audience import detected_as_real, detected_undisclosed
from .chains import ManifestSet, directory_of
from .content import ContentReader
from .declaration import declaring_fix, needs_approval
from .findings import Evidence, Finding, Note, Severity, Strength
from .policy import make
from .progress import progress
from .selection import Selection
from .snapshot import Snapshot

_CHUNK = 4096
_STRENGTH_ORDER = {Strength.STRONG: 0, Strength.MEDIUM: 1, Strength.WEAK: 2}


def is_sidecar(path: str) -> bool:
    return path.lower().endswith(".xmp")


@dataclass
class _Chunk:
    """Paths taken for inspection: those known already, those to read, their sidecars, their contents (paths of
    one content under one reader's markers: read once) and the requests made of the readers."""

    known: dict[str, provenance.Inspection]
    todo: list[str]
    sidecars: dict[str, list[str]]
    twins: dict[tuple[str, str, tuple[str, ...]], list[str]]
    requests: dict[str, tuple[str | None, str, tuple[str, ...]]]


class Detector:
    """Sniffs embedded provenance; caches each file's inspection for the timeline rule."""

    def __init__(self, snapshot: Snapshot, manifests: ManifestSet, content: ContentReader, *, enabled: bool,
                 lineage: Mapping[str, Evidence] | None = None) -> None:
        self.snapshot = snapshot
        self.manifests = manifests
        self.content = content
        self.enabled = enabled
        self.lineage = lineage or {}  # undeclared files whose content is a declared file's (lineage.py)
        self.inspected = 0  # files whose metadata judge_files read
        self.notes: list[Note] = []
        self._cache: dict[str, provenance.Inspection] = {}
        self._markers: dict[str, tuple[str, ...]] = {}
        self._detecting: dict[str, bool] = {}
        self._xmp_cache: dict[str, dict[str, str]] = {}
        self.generated: dict[str, tuple[Evidence, ...]] = {}  # undeclared files judge_files found generated
        self._watched: frozenset[str] = frozenset()
        self.sniffed: dict[str, provenance.Inspection] = {}  # watched files judge_files read, so no rule reads twice

    def watch(self, paths: Iterable[str]) -> None:
        """Remember the inspections of these paths if judge_files reads them (GAI306, GAI503 read nothing twice)."""
        self._watched = frozenset(paths)

    def wants(self, path: str) -> bool:
        """Is `path` media this run sniffs? (Not a manifest or sidecar, not ignored, detection on.)"""
        return bool(self.media_in(path.rpartition("/")[0], [path]))

    def media_in(self, directory: str, files: list[str]) -> list[str]:
        """The files of `directory` this run sniffs, a directory at a time (pattern views work so)."""
        if not self.enabled or not self._detecting_in(directory):
            return []
        media = provenance.media_only(files)
        if self.manifests.ignored:
            media = self.manifests.ignored.uncovered(directory, media)
        return media

    def _detecting_in(self, directory: str) -> bool:
        on = self._detecting.get(directory)
        if on is None:
            root = self.manifests.root_of(directory)
            on = root is None or root.detect_metadata
            self._detecting[directory] = on
        return on

    def markers(self, path: str) -> tuple[str, ...]:
        return self.markers_in(path.rpartition("/")[0])

    def markers_in(self, directory: str) -> tuple[str, ...]:
        """The markers of every tool declared in the chain of `directory`."""
        found = self._markers.get(directory)
        if found is None:
            found = tuple(m for manifest in self.manifests.chain(directory) for tool in manifest.tools
                          for m in tool.markers)
            self._markers[directory] = found
        return found

    def sidecars_of(self, paths: list[str]) -> dict[str, list[str]]:
        """XMP sidecars (NAME.xmp, NAME.EXT.xmp, any case) present in the snapshot, by media path.

        Candidates come from one listing per directory (see Snapshot.names_in: the snapshot's
        own trees, never the working tree alone), then are confirmed in the snapshot: sidecars are
        rare, and looking up four names per frame would cost more than the sniffing itself.
        """
        self._xmp_names({p.rpartition("/")[0] for p in paths})
        candidates: dict[str, list[str]] = {}
        for path in paths:
            directory, _, name = path.rpartition("/")
            xmps = self._xmp_cache[directory]
            if not xmps:
                continue
            stem = posixpath.splitext(name)[0].lower()
            found = [xmps[key] for key in (stem + ".xmp", name.lower() + ".xmp") if key in xmps]
            if found:
                candidates[path] = [f"{directory}/{n}" if directory else n for n in found]
        present = set(self.snapshot.existing([c for found in candidates.values() for c in found]))
        return {p: [c for c in found if c in present] for p, found in candidates.items()}

    def _xmp_names(self, directories: set[str]) -> None:
        """Remember, for each directory, lower-cased name -> name of its .xmp candidates."""
        todo = sorted(d for d in directories if d not in self._xmp_cache)
        if todo:
            for directory, names in self.snapshot.names_in(todo, ".xmp").items():
                self._xmp_cache[directory] = {n.lower(): n for n in names}

    def media_of_sidecar(self, sidecar: str) -> list[str]:
        stem = sidecar[:-4]
        if self.snapshot.existing([stem]):
            return [stem]
        directory = directory_of(sidecar)
        return [p for p in self.snapshot.below(directory) if p.startswith(stem + ".") and
                "/" not in p[len(stem):] and not is_sidecar(p)]

    def inspect(self, paths: Iterable[str], *, remember: bool = True) -> dict[str, provenance.Inspection]:
        """Inspect each path (and its XMP sidecars), reading at most MAX_READ bytes of each file."""
        return next(self.inspect_chunks([list(paths)], remember=remember))

    def inspect_chunks(self, chunks: Iterable[list[str]], *, remember: bool = True
                       ) -> Iterator[dict[str, provenance.Inspection]]:
        """`inspect` of each chunk in turn; the reading of the next chunk starts before this one is answered."""
        taken: list[_Chunk] = []

        def requests() -> Iterator[dict[str, tuple[str | None, str, tuple[str, ...]]]]:
            for paths in chunks:
                chunk = self._take(paths)
                taken.append(chunk)
                yield chunk.requests

        for raw in self.content.inspect_media_many(requests()):
            yield self._answer(taken.pop(0), raw, remember)

    def _take(self, paths: list[str]) -> _Chunk:
        wanted = list(dict.fromkeys(paths))
        known = {p: self._cache[p] for p in wanted if p in self._cache}
        todo = [p for p in wanted if p not in known]
        sidecars = self.sidecars_of(todo)
        with_sidecars = todo + sorted({s for found in sidecars.values() for s in found})
        # each distinct content is sniffed once: a held frame or a slate is often the same blob many times
        ids = self.snapshot.object_ids(with_sidecars)  # sizes are looked up only for what the evidence cache lacks
        twins: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}  # (blob, extension, markers) -> paths
        for directory, files in _by_directory(with_sidecars).items():
            markers = self.markers_in(directory)
            for path in files:
                blob = ids.get(path)
                key = (blob, provenance.extension(path), markers) if blob else (path, "", markers)
                twins.setdefault(key, []).append(path)
        requests = {same[0]: (key[0] if key[1] else None, key[1], key[2]) for key, same in twins.items()}
        return _Chunk(known, todo, sidecars, twins, requests)

    def _answer(self, chunk: _Chunk, raw: dict[str, provenance.Inspection], remember: bool
                ) -> dict[str, provenance.Inspection]:
        for same in chunk.twins.values():
            for path in same[1:]:
                raw[path] = raw[same[0]]
        out = chunk.known
        empty = provenance.Inspection((), None)
        for path in chunk.todo:
            own = raw.get(path, empty)
            found = chunk.sidecars.get(path)
            if found:  # replace(), not a new Inspection: facts beside the evidence (training) must survive
                evidence, training = list(own.evidence), list(own.training_not_permitted)
                for sidecar in found:
                    evidence.extend(e for e in raw.get(sidecar, empty).evidence if e not in evidence)
                    training.extend(t for t in raw.get(sidecar, empty).training_not_permitted if t not in training)
                evidence.sort(key=lambda e: _STRENGTH_ORDER[e.strength])
                training.sort(key=lambda e: _STRENGTH_ORDER[e.strength])
                own = replace(own, evidence=tuple(evidence), training_not_permitted=tuple(training))
            if path in self.lineage:
                own = replace(own, evidence=(self.lineage[path], *own.evidence))
            out[path] = own
            if remember:
                self._cache[path] = own
        return out

    def judge_files(self, selected: Iterable[str]) -> list[Finding]:
        selected = list(selected)
        # lineage is no sniffing: it holds with detection off, for files of any format, ignored ones included
        findings = [f for path in selected if path in self.lineage and not self.wants(path)
                    for f in self._findings(path, provenance.Inspection((self.lineage[path],), None))]
        if not self.enabled:
            return findings
        targets: dict[str, None] = {}
        for path in selected:
            if is_sidecar(path):
                targets.update(dict.fromkeys(self.media_of_sidecar(path)))
            else:
                targets[path] = None
        candidates: list[str] = []
        for directory, files in _by_directory(targets).items():
            # declared files are not GAI301's business
            candidates.extend(self.manifests.generated.uncovered(directory, self.media_in(directory, files)))
        self.inspected += len(candidates)
        if not self.snapshot.listed:  # one lookup for all: large batches use one listing (a listing needs none)
            self.snapshot.object_ids(candidates)
        chunks = (candidates[start:start + _CHUNK] for start in range(0, len(candidates), _CHUNK))
        for number, found in enumerate(self.inspect_chunks(chunks, remember=False)):  # bounded memory
            progress().step("read the metadata of", number * _CHUNK, len(candidates))
            for path, inspection in found.items():
                if inspection.evidence or inspection.uninspected:
                    findings.extend(self._findings(path, inspection))
                if inspection.evidence:  # what marks it carries, for GAI306 without a second read
                    self.generated[path] = inspection.evidence
                if path in self._watched:
                    self.sniffed[path] = inspection
        return findings

    def _findings(self, path: str, inspection: provenance.Inspection) -> list[Finding]:
        out: list[Finding | None] = []
        directory = directory_of(path)
        if inspection.evidence:
            top = inspection.evidence[0]
            weak = top.strength is Strength.WEAK
            if top.kind == "lineage":
                said = f"its content is generated ({top.detail})"
            elif weak:
                said = f"metadata names a generative-AI tool ({describe(top)})"
            else:
                said = f"embedded metadata says generative AI made this file ({describe(top)})"
            where = needs_approval(self.manifests, path)
            if where is not None:  # one round trip: the entry that clears it needs the approval too
                said += (f", and no [[generated]] entry declares it; it is {where.said}, so its entry needs a written "
                         f"approval covering {' and '.join(where.categories)}")
            else:
                said += ", and no [[generated]] entry declares it"
            finding = make(self.manifests, "GAI301", directory, path, None, said, None, None,
                           declaring_fix(self.manifests, path, inspection.evidence, where))
            if finding is not None:
                # weak evidence warns by default; a production that set GAI301's severity is obeyed
                if weak and finding.severity is Severity.ERROR and not self.manifests.severity_set("GAI301",
                                                                                                  directory):
                    finding = replace(finding, severity=Severity.WARNING)
                out.append(replace(finding, evidence=inspection.evidence))
            out.append(detected_as_real(self.manifests, path, inspection.evidence))  # GAI210
            out.append(detected_undisclosed(self.manifests, path, inspection.evidence))  # GAI214
        if inspection.uninspected:
            out.append(make(self.manifests, "GAI303", directory, path, None,
                            f"content could not be inspected: {inspection.uninspected}", None, None))
        return [f for f in out if f is not None]


# Media formats productions hold that no reader of genai-hooks knows: images, camera raws, video, audio and
# scene caches. Their content is never inspected, so a summary counts them apart instead of as inspected.
_UNREAD_MEDIA = frozenset((
    ".bmp", ".tga", ".ico", ".hdr", ".pic", ".sgi", ".rgb", ".ppm", ".pgm", ".pbm", ".pnm", ".jp2", ".j2k",
    ".jpx", ".ktx", ".ktx2", ".dds", ".cin", ".tx", ".xcf", ".kra", ".ora", ".afphoto",
    ".cr3", ".raf", ".x3f", ".ari", ".r3d", ".braw", ".crw", ".mrw", ".rwl",
    ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".m2v", ".ts", ".mts", ".m2ts", ".wmv", ".flv", ".ogv", ".vob",
    ".dv", ".y4m", ".ivf", ".h264", ".h265", ".hevc",
    ".flac", ".ogg", ".oga", ".opus", ".aac", ".aif", ".aiff", ".wma", ".ac3", ".caf", ".amr", ".ape",
    ".usd", ".usda", ".usdc", ".usdz", ".abc", ".fbx", ".obj", ".blend", ".ma", ".mb", ".hip", ".hiplc",
    ".c4d", ".max", ".gltf", ".glb", ".ply", ".stl", ".vdb", ".bgeo",
))


def unreadable_formats(snapshot: Snapshot, selection: Selection) -> int:
    """How many selected files are media in formats no reader of genai-hooks knows (never inspected by content)."""
    if selection.full_audit:
        return len(snapshot.with_extensions(_UNREAD_MEDIA))
    return sum(1 for p in selection.files if provenance.extension(p) in _UNREAD_MEDIA)


def _by_directory(paths: Iterable[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for path in paths:
        grouped.setdefault(path.rpartition("/")[0], []).append(path)
    return grouped


def describe(evidence: Evidence) -> str:
    return f"{evidence.kind}: {evidence.detail}"


