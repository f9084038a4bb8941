"""Undeclared generated media (GAI301) and content that could not be inspected (GAI303)."""

from __future__ import annotations

import bisect
import posixpath
from dataclasses import replace
from typing import Dict, Iterable, List, Optional, Tuple

from . import provenance
from .chains import ManifestSet, directory_of
from .content import ContentReader, Unavailable
from .findings import Evidence, Finding, Note, Severity, Strength
from .manifest import MANIFEST_NAME
from .policy import make
from .snapshot import Snapshot

_STRENGTH_ORDER = {Strength.STRONG: 0, Strength.MEDIUM: 1, Strength.WEAK: 2}


def is_sidecar(path: str) -> bool:
    return path.lower().endswith(".xmp")


class Detector:
    """Sniffs embedded provenance; caches each file's inspection for the timeline rule."""

    def __init__(self, snapshot: Snapshot, manifests: ManifestSet, content: ContentReader, *, enabled: bool) -> None:
        self.snapshot = snapshot
        self.manifests = manifests
        self.content = content
        self.enabled = enabled
        self.notes: List[Note] = []
        self._cache: Dict[str, provenance.Inspection] = {}
        self._markers: Dict[str, Tuple[str, ...]] = {}

    def wants(self, path: str) -> bool:
        return (self.enabled and posixpath.basename(path) != MANIFEST_NAME and provenance.is_inspectable(path)
                and not is_sidecar(path) and self.manifests.detects_metadata(path))

    def markers(self, path: str) -> Tuple[str, ...]:
        directory = directory_of(path)
        found = self._markers.get(directory)
        if found is None:
            found = tuple(m for manifest in self.manifests.chain(directory) for tool in manifest.tools
                          for m in tool.markers)
            self._markers[directory] = found
        return found

    def sidecars(self, path: str) -> List[str]:
        stem = posixpath.splitext(path)[0]
        return [c for c in (stem + ".xmp", path + ".xmp", stem + ".XMP", path + ".XMP") if c in self.snapshot.members]

    def media_of_sidecar(self, sidecar: str) -> List[str]:
        stem = sidecar[:-4]
        if stem in self.snapshot.members:
            return [stem]
        paths = self.snapshot.paths
        start = bisect.bisect_left(paths, stem + ".")
        out = []
        for candidate in paths[start:]:
            if not candidate.startswith(stem + "."):
                break
            if "/" not in candidate[len(stem):] and not is_sidecar(candidate):
                out.append(candidate)
        return out

    def inspect(self, paths: Iterable[str]) -> Dict[str, provenance.Inspection]:
        """Inspect each path (and its XMP sidecars), reading at most MAX_READ bytes of each file."""
        todo = [p for p in dict.fromkeys(paths) if p not in self._cache]
        sidecars = {p: self.sidecars(p) for p in todo}
        wanted = todo + [s for found in sidecars.values() for s in found if s not in self._cache]
        raw: Dict[str, provenance.Inspection] = {}
        for path, source in self.content.media_sources(sorted(set(wanted))):
            if isinstance(source, Unavailable):
                raw[path] = provenance.Inspection((), source.reason)
                continue
            try:
                raw[path] = provenance.inspect(path, source, markers=self.markers(path))
            finally:
                if isinstance(source, provenance.FileSource):
                    source.close()
        for path in todo:
            own = raw.get(path, provenance.Inspection((), None))
            evidence = list(own.evidence)
            for sidecar in sidecars[path]:
                evidence.extend(e for e in raw.get(sidecar, provenance.Inspection((), None)).evidence
                                if e not in evidence)
            evidence.sort(key=lambda e: _STRENGTH_ORDER[e.strength])
            self._cache[path] = provenance.Inspection(tuple(evidence), own.uninspected)
        return {p: self._cache[p] for p in paths}

    def judge_files(self, selected: Iterable[str]) -> List[Finding]:
        targets: Dict[str, None] = {}
        for path in selected:
            if is_sidecar(path):
                targets.update(dict.fromkeys(self.media_of_sidecar(path)))
            else:
                targets[path] = None
        candidates = [p for p in targets if self.wants(p) and self.manifests.winning_entry(p) is None]
        findings: List[Finding] = []
        for path, inspection in self.inspect(candidates).items():
            findings.extend(self._findings(path, inspection))
        return findings

    def _findings(self, path: str, inspection: provenance.Inspection) -> List[Finding]:
        out: List[Optional[Finding]] = []
        directory = directory_of(path)
        if inspection.evidence:
            top = inspection.evidence[0]
            weak = top.strength is Strength.WEAK
            finding = make(self.manifests, "GAI301", directory, path, None,
                           (f"metadata names a generative-AI tool ({describe(top)})" if weak
                            else f"embedded metadata says generative AI made this file ({describe(top)})")
                           + ", and no [[generated]] entry declares it", None, None)
            if finding is not None:
                if weak and finding.severity is Severity.ERROR:
                    finding = replace(finding, severity=Severity.WARNING)
                out.append(replace(finding, evidence=inspection.evidence))
        if inspection.uninspected:
            out.append(make(self.manifests, "GAI303", directory, path, None,
                            f"content could not be inspected: {inspection.uninspected}", None, None))
        return [f for f in out if f is not None]


def describe(evidence: Evidence) -> str:
    return f"{evidence.kind}: {evidence.detail}"


