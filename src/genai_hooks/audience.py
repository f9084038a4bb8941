"""Audience trust (SPEC §10): generated material where it would be taken for real — an [archival] path,
or a deliverable of a documentary — needs an approval covering `archival` (GAI210), and, delivered, a
disclosure to the audience (GAI214, SPEC §16).

Declared files are judged with their entry's approvals (policy.file_findings). Files no entry
declares have no approval at all: those that embedded metadata or lineage shows to be generated
(strong or medium evidence) and those a compositing script derives from generated media are
GAI210 wherever they would be taken for real.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .chains import ManifestSet, directory_of
from .derived import Derivation
from .findings import Evidence, Finding, Strength
from .policy import make

_TELLING = (Strength.STRONG, Strength.MEDIUM)  # weak evidence (a generator's name in Software) is not enough


def detected_as_real(manifests: ManifestSet, path: str, evidence: tuple[Evidence, ...]) -> Finding | None:
    """GAI210 on an undeclared file whose strongest evidence says generative AI made it."""
    if not evidence or evidence[0].strength not in _TELLING:
        return None
    real = manifests.presented_as_real(path)
    if real is None:
        return None
    top = evidence[0]
    return make(manifests, "GAI210", directory_of(path), path, None,
                f"generated ({top.kind}: {top.detail}) and {real}, where it would be taken for real; no entry "
                "declares it, so no approval covering archival is cited", None, None)


def undisclosed(manifests: ManifestSet, path: str, said: str) -> Finding | None:
    """GAI214 on an undeclared generated file that is a deliverable presented as real: no entry, so no disclosure.
    `said`: why it is generated."""
    shown = manifests.disclosure_needed(path, (), manifests.is_deliverable(path))
    if shown is None:
        return None
    return make(manifests, "GAI214", directory_of(path), path, None,
                f"{said}, and a deliverable that is {shown}; no entry declares it, so no `disclosure` tells the "
                "audience it is generated", None, None)


def detected_undisclosed(manifests: ManifestSet, path: str, evidence: tuple[Evidence, ...]) -> Finding | None:
    """GAI214 on an undeclared file whose strongest evidence says generative AI made it."""
    if not evidence or evidence[0].strength not in _TELLING:
        return None
    return undisclosed(manifests, path, f"generated ({evidence[0].kind}: {evidence[0].detail})")


def derived_as_real(manifests: ManifestSet, derived: Mapping[str, Derivation],
                    declared: Callable[[str], bool]) -> list[Finding]:
    """GAI210 on each derived file no entry declares, where it would be taken for real."""
    findings: list[Finding] = []
    for path, why in sorted(derived.items()):
        if declared(path):
            continue
        real = manifests.presented_as_real(path)
        if real is None:
            continue
        finding = make(manifests, "GAI210", directory_of(path), path, None,
                       f"{why.message()}, and {real}, where it would be taken for real; no entry declares it, so no "
                       "approval covering archival is cited", None, None)
        for found in (finding, undisclosed(manifests, path, why.message())):
            if found is not None:
                findings.append(found)
    return findings
