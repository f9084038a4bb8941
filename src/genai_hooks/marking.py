"""Marks that should survive (SPEC §16): GAI306 provenance-marking-lost.

A mark is what a file says about itself in a machine-readable, standard form: a C2PA manifest (a
GenAI digital source type, an AI disclosure, a generative claim generator) or an IPTC digital source
type (XMP, OpenEXR). Generator records (PNG text chunks, EXIF comments) and software names are
evidence, not marks. The readers' evidence kinds say which is which.

- A deliverable that a compositing script derives from generated media carrying a mark, and that
  carries none itself, lost it in the comp (copies and moves keep their bytes, so their marks).
- With `[production] marking = "required"`, every generated deliverable among the selected files
  (declared, detected, derived) without a mark is GAI306.

Cost: derived deliverables the run already judges (and their sources, each once), the undeclared
files the detector already read (no second read), and, only where marking is required, the declared
generated deliverables among the selected files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .chains import ManifestSet, directory_of
from .derived import Derivation
from .detect import Detector
from .findings import Evidence, Finding, Strength
from .manifest import GeneratedEntry
from .policy import make
from .sequences import expand_frames

MARK_KINDS = frozenset(("c2pa", "c2pa-ai-disclosure", "c2pa-generator", "c2pa-generative-ai",
                        "xmp-digital-source-type", "exr-digital-source-type"))


def mark_of(evidence: Iterable[Evidence]) -> Evidence | None:
    """The strongest mark among a file's evidence, or None."""
    return next((e for e in evidence if e.kind in MARK_KINDS), None)


def _required(manifests: ManifestSet, path: str) -> bool:
    root = manifests.root_of(directory_of(path))
    return root is not None and root.production is not None and root.production.marking == "required"


class Marking:
    """GAI306 over one run's generated deliverables."""

    def __init__(self, manifests: ManifestSet, detector: Detector) -> None:
        self.manifests = manifests
        self.detector = detector
        self.findings: list[Finding] = []

    def _marks(self, paths: list[str]) -> dict[str, Evidence | None]:
        """Each readable media path's mark (None: it carries none); unreadable formats are left out (no claim)."""
        readable = [p for p in dict.fromkeys(paths) if self.detector.media_in(directory_of(p), [p])]
        if not readable:
            return {}
        read = self.detector.sniffed  # judge_files read these already
        found = {p: read[p] for p in readable if p in read}
        found.update(self.detector.inspect([p for p in readable if p not in read]))
        return {p: mark_of(i.evidence) for p, i in found.items() if not i.uninspected}

    def _add(self, path: str, message: str, entry: GeneratedEntry | None = None) -> None:
        finding = make(self.manifests, "GAI306", directory_of(path), path, None, message,
                       entry.manifest if entry else None, entry.line if entry else None)
        if finding is not None:
            self.findings.append(finding)

    def derived(self, derived: Mapping[str, Derivation]) -> set[str]:
        """GAI306 on derived deliverables that dropped their source's mark (or have none, marking required);
        returns the paths judged."""
        delivered = {p: d for p, d in derived.items() if self.manifests.is_deliverable(p)}
        if not delivered:
            return set()
        frames: dict[str, str] = {}  # a source as the script names it (frame tokens) -> one file of it
        for why in delivered.values():
            if why.source not in frames:
                found = expand_frames(self.detector.snapshot, why.source)
                if found:
                    frames[why.source] = found[0]
        sources = self._marks(list(frames.values()))
        outputs = self._marks(list(delivered))
        for path, why in sorted(delivered.items()):
            if path not in outputs or outputs[path] is not None:
                continue
            source = sources.get(frames.get(why.source, ""))
            if source is not None:
                self._add(path, f"{why.message()}; {why.source} carries a provenance mark ({source.kind}: "
                          f"{source.detail}) and this deliverable carries none: the comp dropped it")
            elif _required(self.manifests, path):
                self._add(path, f"{why.message()}; the production requires a C2PA or IPTC mark on every generated "
                          "deliverable and this one carries none")
        return set(delivered)

    def required(self, declared: Mapping[str, GeneratedEntry], selected: Iterable[str], judged: set[str]) -> None:
        """With marking required: GAI306 on the selected generated deliverables (declared or detected) unmarked."""
        roots = [m for m in self.manifests.valid.values()
                 if m.production is not None and m.production.marking == "required"]
        if not roots:
            return
        wanted = [p for p in selected if p not in judged and p in declared and self.manifests.is_deliverable(p)
                  and _required(self.manifests, p)]
        for path, mark in sorted(self._marks(wanted).items()):
            if mark is None:
                entry = declared[path]
                self._add(path, f"declared generated by {entry.manifest}:{entry.line} (tool '{entry.tool}') and "
                          "deliverable; the production requires a C2PA or IPTC mark on every generated deliverable "
                          "and this one carries none", entry)
        for path, evidence in sorted(self.detector.generated.items()):
            if path in judged or mark_of(evidence) is not None or not self.manifests.is_deliverable(path) \
                    or not _required(self.manifests, path):
                continue
            top = evidence[0]
            if top.strength is Strength.WEAK:
                continue  # a generator's name in Software is not enough to call the file generated
            self._add(path, f"generated ({top.kind}: {top.detail}) and deliverable; the production requires a C2PA "
                      "or IPTC mark on every generated deliverable and this one carries none")
