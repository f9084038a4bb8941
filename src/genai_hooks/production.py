"""The root's [production] table: a production that names no title or contact has disclosed to no one (GAI002)."""

from __future__ import annotations

from collections.abc import Iterable

from .chains import ManifestSet
from .findings import Finding
from .manifest import Manifest
from .policy import make


def production_findings(manifests: ManifestSet, roots: Iterable[str]) -> list[Finding]:
    """GAI002 on each root manifest (by directory) whose [production] title or contact is missing or blank."""
    return [f for root in roots for f in _incomplete(manifests, manifests.valid[root])]


def _incomplete(manifests: ManifestSet, root: Manifest) -> list[Finding]:
    production = root.production
    if production is None:
        message = ("the root manifest has no [production] table: it names no production (title) and no studio "
                   "contact GenAI use is disclosed to (contact)")
        line = 1
    else:
        blank = [key for key, value in (("title", production.title), ("contact", production.contact))
                 if not (value or "").strip()]
        if not blank:
            return []
        wanted = {"title": "the production its disclosures are for",
                  "contact": "the studio contact GenAI use is disclosed to"}
        said = " and ".join(blank) + (" are" if len(blank) > 1 else " is")
        message = f"[production] {said} empty or missing: name " + " and ".join(wanted[key] for key in blank)
        line = production.line
    finding = make(manifests, "GAI002", root.directory, root.path, line, message, root.path, line)
    return [finding] if finding is not None else []
