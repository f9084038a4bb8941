"""Permission to train (SPEC §16): GAI503 on a file of a `[[models]] dataset` whose own metadata forbids
training AI on it (CAWG training-and-data-mining assertions, IPTC/PLUS `plus:DataMining`).

The readers report that fact beside the evidence, in the same pass (`Inspection.training_not_permitted`);
this module only asks the detector to inspect the dataset files among the run's paths, so a run reads
no file it would not judge, and each at most once (MAX_READ bytes, XMP sidecars merged).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from .chains import ManifestSet, directory_of
from .detect import Detector, is_sidecar
from .findings import Finding
from .manifest import ModelEntry
from .patterns import CompiledPattern
from .policy import make

_CHUNK = 4096


def dataset_files(manifests: ManifestSet, paths: Iterable[str]) -> dict[str, ModelEntry]:
    """The paths a `[[models]] dataset` pattern matches, with the entry (the nearest manifest's first)."""
    declared: list[tuple[str, CompiledPattern, ModelEntry]] = sorted(
        ((manifest.directory, pattern, entry) for manifest in manifests.valid.values() for entry in manifest.models
         for pattern in entry.dataset), key=lambda found: -len(found[0]))
    if not declared:
        return {}
    found: dict[str, ModelEntry] = {}
    for path in paths:
        if is_sidecar(path):
            continue  # its facts reach the media it describes
        for directory, pattern, entry in declared:
            if (not directory or path.startswith(directory + "/")) and pattern.matches(path):
                found[path] = entry
                break
    return found


def judge_datasets(manifests: ManifestSet, detector: Detector, files: Mapping[str, ModelEntry]) -> list[Finding]:
    """GAI503 on each dataset file (`dataset_files`) whose own metadata (or its XMP sidecar) forbids training;
    run after the detector's judge_files, whose reads of watched files it reuses."""
    if not files:
        return []
    by_directory: dict[str, list[str]] = {}
    for path in files:
        by_directory.setdefault(directory_of(path), []).append(path)
    wanted = [p for directory, group in sorted(by_directory.items()) for p in detector.media_in(directory, group)]
    read = detector.sniffed
    known = {p: read[p].training_not_permitted for p in wanted if p in read}  # judge_files read these already
    unread = [p for p in wanted if p not in read]
    for start in range(0, len(unread), _CHUNK):
        known.update((p, i.training_not_permitted)
                     for p, i in detector.inspect(unread[start:start + _CHUNK], remember=False).items())
    findings: list[Finding] = []
    for path, facts in sorted(known.items()):
        if facts:
            entry = files[path]
            top = facts[0]
            finding = make(
                manifests, "GAI503", directory_of(path), path, None,
                f"in the dataset of the [[models]] entry at {entry.manifest}:{entry.line}, and its own metadata "
                f"forbids training AI on it ({top.kind}: {top.detail})", entry.manifest, entry.line)
            if finding is not None:
                findings.append(replace(finding, evidence=facts))
    return findings
