"""Model weights in the snapshot (SPEC §10, "Models"): the rules over `[[models]]` and the files they declare.

- GAI501: a selected file whose content is model weights (models.inspect_model) and that no
  `[[models]]` entry of its chain declares; GAI303 when its metadata could not be fully read.
- GAI502: an entry trained on talent material, third-party IP or personal data whose approvals do
  not cover talent-likeness, third-party-ip or personal-data; GAI106-108, GAI203 and GAI211 as for
  `[[generated]]` entries; GAI207 on the model files of an entry whose approval is ending; GAI401
  for an entry that matches nothing in a full audit.

Only files whose content is selected are opened (as for GAI301), only those whose name carries a
model extension (models.may_be_model), and at most 1 MiB of each, LFS pointers resolved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import replace

from . import policy
from .approvals import expiring_soon
from .chains import ManifestSet, directory_of
from .content import ContentReader, Unavailable
from .findings import Evidence, Finding, Strength
from .manifest import ModelEntry
from .models import MODEL_EXTENSIONS, ModelInspection, inspect_model, may_be_model
from .paths import is_manifest
from .provenance import FileSource
from .selection import Selection


def judge_models(selection: Selection, manifests: ManifestSet, content: ContentReader, as_of: datetime.date,
                 policy_paths: list[str]) -> list[Finding]:
    """Every model finding of one run: files whose content is selected, and the entries the run uses."""
    if selection.full_audit:  # the listing's groups by extension, not a million names lowered
        named = content.snapshot.with_extensions(MODEL_EXTENSIONS, may_be_model)
    else:
        named = [p for p in selection.files if may_be_model(p)]
    found: list[Finding | None] = list(undeclared_models(manifests, content, named))
    declared = declared_models(manifests, policy_paths)
    used: dict[int, ModelEntry] = {}
    for path, entry in declared.items():
        used.setdefault(id(entry), entry)
        found.extend(file_findings(manifests, path, entry, as_of))
    matched = set(used)
    for manifest in manifests.valid.values():
        if selection.full_audit or manifest.path in selection.manifests:
            for entry in manifest.models:
                used.setdefault(id(entry), entry)
                if selection.full_audit and id(entry) not in matched:
                    found.append(policy.stale_finding(manifests, entry))
    for entry in used.values():
        found.extend(entry_findings(manifests, entry, as_of))
    return [f for f in found if f is not None]


def declared_models(manifests: ManifestSet, paths: Iterable[str]) -> dict[str, ModelEntry]:
    """The files of `paths` a [[models]] entry declares (the nearest manifest's last matching entry)."""
    index = manifests.models
    if not index:
        return {}
    found: dict[str, ModelEntry] = {}
    for path in paths:
        if is_manifest(path):
            continue  # never judged as content
        entry = index.best(path)
        if entry is not None:
            found[path] = entry
    return found


def undeclared_models(manifests: ManifestSet, content: ContentReader, named: Iterable[str]) -> list[Finding]:
    """GAI501 (and GAI303) on the files named like model weights (`named`) that hold model weights no [[models]]
    entry declares."""
    by_directory: dict[str, list[str]] = {}
    for path in named:
        by_directory.setdefault(directory_of(path), []).append(path)
    candidates = [p for directory, files in by_directory.items()
                  for p in (manifests.models.uncovered(directory, files) if manifests.models else files)]
    findings: list[Finding | None] = []
    for path, source in content.media_sources(candidates):
        if isinstance(source, Unavailable):
            findings.append(_uninspected(manifests, path, f"content could not be inspected: {source.reason}"))
            continue
        try:
            inspection = inspect_model(path, source)
        finally:
            if isinstance(source, FileSource):
                source.close()
        if inspection is None:
            continue  # named like a model, holds none
        finding = policy.make(manifests, "GAI501", directory_of(path), path, None,
                              f"{_describe(inspection)}, and no [[models]] entry declares it", None, None)
        if finding is not None:
            findings.append(replace(finding, evidence=_evidence(inspection)))
        if inspection.uninspected:
            findings.append(_uninspected(manifests, path, f"model metadata could not be fully read: "
                                                          f"{inspection.uninspected}"))
    return [f for f in findings if f is not None]


def _describe(inspection: ModelInspection) -> str:
    said = [f"'{inspection.name}'"] if inspection.name else []
    if inspection.base_model:
        said.append(f"base model {inspection.base_model}")
    return f"{inspection.format.value} model weights" + (f" ({', '.join(said)})" if said else "")


def _evidence(inspection: ModelInspection) -> tuple[Evidence, ...]:
    """What the file says about itself: its format, then the inspection's details, most telling first."""
    evidence = [Evidence("model", Strength.STRONG, f"{inspection.format.value} weights, recognised by content")]
    evidence.extend(Evidence("model-metadata", Strength.STRONG, detail) for detail in inspection.details)
    return tuple(evidence)


def _uninspected(manifests: ManifestSet, path: str, message: str) -> Finding | None:
    return policy.make(manifests, "GAI303", directory_of(path), path, None, message, None, None)


def file_findings(manifests: ManifestSet, path: str, entry: ModelEntry, as_of: datetime.date) -> list[Finding | None]:
    """GAI207 on a declared model file whose entry cites an approval that is ending."""
    if not entry.approvals:
        return []
    cited = manifests.cited(entry, as_of)
    return [policy.make(manifests, "GAI207", directory_of(path), path, None,
                        f"model declared by the [[models]] entry at {entry.manifest}:{entry.line}: {message}",
                        entry.manifest, entry.line)
            for message in expiring_soon(cited, as_of)]


def entry_findings(manifests: ManifestSet, entry: ModelEntry, as_of: datetime.date) -> list[Finding | None]:
    """GAI106-108, GAI203, GAI211 and GAI502 on one [[models]] entry."""
    where = directory_of(entry.manifest)
    found: list[Finding | None] = []

    def add(rule: str, message: str) -> None:
        found.append(policy.make(manifests, rule, where, entry.manifest, entry.line, message, entry.manifest,
                                 entry.line))

    tool = policy.uses_tool(manifests, entry, "[[models]] entry", add)
    policy.protected_inputs(entry.trained_on, tool, "model trained on {} with", add)
    policy.resolvable(manifests, entry.manifest, entry.approvals, add)
    policy.approved_inputs(manifests, entry, entry.trained_on, "GAI502", "model trained on", as_of, add)
    found.extend(policy.consent_findings(manifests, entry.manifest, entry.approvals, as_of))
    return found
