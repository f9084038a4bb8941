"""The manifest rules: tools (GAI101-108), entries and approvals (GAI201-211), stale entries (GAI401)."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .approvals import Book, consent_gaps, expiring_soon, needs_consent, needs_union_notice
from .chains import ManifestSet, directory_of
from .findings import Finding, Severity
from .manifest import Approval, GeneratedEntry, Manifest, ModelEntry, Tool
from .patterns import approval_matches
from .rules import RULES
from .schema import INPUT_APPROVALS, SAFE_ENVIRONMENTS


@dataclass(frozen=True)
class Coverage:
    """What an entry's approvals establish for one file."""

    approved_final: bool  # approved for final-deliverable use
    problems: tuple[str, ...]  # GAI204 reasons for this file


def make(manifests: ManifestSet, rule: str, directory: str, path: str, line: int | None, message: str,
         manifest: str | None, manifest_line: int | None, fix: str | None = None) -> Finding | None:
    severity = manifests.severity(rule, directory)
    if severity is Severity.OFF:
        return None
    return Finding(rule, severity, path, line, message, fix or RULES[rule].fix, manifest, manifest_line, (path,))


def tool_findings(manifests: ManifestSet, tool: Tool) -> list[Finding]:
    where = directory_of(tool.manifest)
    label = f"tool '{tool.id}'" + (f" ({tool.vendor})" if tool.vendor else "")
    checks = [
        ("GAI101", tool.trains_on_inputs is not False,
         f"{label} does not declare trains_on_inputs = false: it may train on production material"),
        ("GAI102", tool.retains_inputs is not False,
         f"{label} does not declare retains_inputs = false: it may store or reuse production material"),
        ("GAI103", tool.environment in (None, "consumer"),
         f"{label} runs in a consumer environment" if tool.environment == "consumer"
         else f"{label} does not say where it runs (environment = enterprise | on-premises | consumer)"),
        ("GAI104", not tool.terms, f"{label} names no reviewed contract or terms"),
        ("GAI105", tool.disclosed is None, f"{label} has no date it was disclosed to the production's contact"),
    ]
    found = [make(manifests, rule, where, tool.manifest, tool.line, message, tool.manifest, tool.line)
             for rule, fires, message in checks if fires]
    return [f for f in found if f is not None]


Add = Callable[[str, str], None]  # (rule, message): a finding on the entry being judged


def entry_findings(manifests: ManifestSet, entry: GeneratedEntry, inherited: tuple[str, ...],
                   as_of: datetime.date) -> list[Finding]:
    """GAI106-108, GAI202, GAI203, GAI209, GAI211 on one entry; `inherited`: sensitive categories its files
    get from above."""
    where = directory_of(entry.manifest)
    found: list[Finding | None] = []

    def add(rule: str, message: str) -> None:
        found.append(make(manifests, rule, where, entry.manifest, entry.line, message, entry.manifest, entry.line))

    tool = uses_tool(manifests, entry, "entry", add)
    protected_inputs(entry.inputs, tool, "entry feeds {} to", add)
    if entry.sensitive and not entry.approvals:
        add("GAI202", f"entry involves {', '.join(entry.sensitive)} but cites no written approval")
    elif inherited and not entry.approvals:
        add("GAI202", f"a manifest above declares files of this entry {', '.join(inherited)}, "
            "but the entry cites no written approval (nested manifests cannot drop sensitive categories)")
    resolvable(manifests, entry.manifest, entry.approvals, add)
    approved_inputs(manifests, entry, entry.inputs, "GAI209", "entry feeds", as_of, add)
    found.extend(consent_findings(manifests, entry.manifest, entry.approvals, as_of))
    return [f for f in found if f is not None]


def uses_tool(manifests: ManifestSet, entry: GeneratedEntry | ModelEntry, what: str, add: Add) -> Tool | None:
    """GAI106 (the tool is not declared in the chain) and GAI107 (it is not vetted by the root)."""
    if entry.tool is None:
        return None
    where = directory_of(entry.manifest)
    tool = manifests.tool_for(entry)
    root = manifests.root_of(where)
    if tool is None:
        declared = sorted({t.id for m in manifests.chain(where) for t in m.tools})
        near = difflib.get_close_matches(entry.tool, declared, n=1)
        add("GAI106", f"{what} names tool '{entry.tool}', which no manifest from the root down to this one declares"
            + (f"; did you mean '{near[0]}'?" if near else ""))
    elif root is not None and tool.manifest != root.path and not root.nested_tools:
        add("GAI107", f"{what} uses tool '{entry.tool}', declared in the nested manifest {tool.manifest}; the "
            f"production vets tools in its root manifest {root.path}")
    return tool


def protected_inputs(inputs: tuple[str, ...], tool: Tool | None, template: str, add: Add) -> None:
    """GAI108: protected material goes only into an enterprise or on-premises tool; `template` says how it went in,
    e.g. "entry feeds {} to"."""
    if not inputs or tool is None or tool.environment in SAFE_ENVIRONMENTS:
        return
    runs = (f"runs in a {tool.environment} environment" if tool.environment
            else "does not say where it runs (environment = enterprise | on-premises | consumer)")
    add("GAI108", template.format(", ".join(inputs)) + f" tool '{tool.id}'"
        + (f" ({tool.vendor})" if tool.vendor else "") + f", which {runs}")


def resolvable(manifests: ManifestSet, manifest: str, approval_ids: tuple[str, ...], add: Add) -> None:
    """GAI203: every cited id satisfies approval_pattern and is in the root's register (SPEC §18: also when the
    root keeps none), unless the root keeps its approvals outside the repository."""
    book = manifests.book_of(directory_of(manifest))
    root = book.root if book is not None else None
    pattern = root.production.approval_pattern if root and root.production else None
    for approval_id in approval_ids:
        if pattern is not None and not approval_matches(pattern, approval_id):
            add("GAI203", f"approval '{approval_id}' does not match the production's approval_pattern '{pattern}'")
        elif book is None:
            add("GAI203", f"approval '{approval_id}' is cited, but no root manifest above keeps an approval register")
        elif book.lookup(approval_id) is None and not book.external:
            keeps = "" if book.root.approvals else " (it keeps none yet)"
            signed = (", and signed approvals are required, so an id outside it grants nothing"
                      if book.signed and book.root.approvals_mode == "external" else "")
            add("GAI203", f"approval '{approval_id}' is not in the approval register of {book.root.path}{keeps}{signed}")


def approved_inputs(manifests: ManifestSet, entry: GeneratedEntry | ModelEntry, inputs: tuple[str, ...], rule: str,
                    verb: str, as_of: datetime.date, add: Add) -> None:
    """GAI209 / GAI502: personal data, third-party IP and talent material need approvals covering them."""
    needed = {category: INPUT_APPROVALS[category] for category in inputs if category in INPUT_APPROVALS}
    if not needed:
        return
    cited = manifests.cited(entry, as_of)
    if entry.approvals and not cited.resolved:
        return  # GAI203 says why the ids do not count
    missing = cited.missing(needed.values())
    if missing:
        fed = ", ".join(c for c, approval in needed.items() if approval in missing)
        add(rule, f"{verb} {fed} but {cited.why_not(missing)}")


def consent_findings(manifests: ManifestSet, manifest: str, approval_ids: Iterable[str],
                     as_of: datetime.date) -> list[Finding | None]:
    """GAI211 and GAI213 on the register approvals cited: consent missing where it is needed, and signatures
    missing or invalid where the production requires them."""
    book = manifests.book_of(directory_of(manifest))
    if book is None or book.root.approvals is None:
        return []
    cited = [a for a in (book.lookup(i) for i in dict.fromkeys(approval_ids)) if a is not None]
    found = [f for a in cited for f in consent_record_findings(manifests, book.root, a)]
    return found + [signature_finding(manifests, book, a, as_of) for a in cited]


def signature_finding(manifests: ManifestSet, book: Book, approval: Approval, as_of: datetime.date) -> Finding | None:
    """GAI213 when the production requires signed approvals and `approval`'s signature does not hold."""
    verdict = book.signature(approval, as_of)
    if verdict.ok:
        return None
    root = book.root
    return make(manifests, "GAI213", root.directory, root.path, approval.line,
                f"approval {approval.id} covers nothing: {verdict.reason}", root.path, approval.line)


def consent_record_findings(manifests: ManifestSet, root: Manifest, approval: Approval) -> list[Finding | None]:
    """GAI211 (no consent where a likeness or union work is covered; no union notice for a synthetic performer)
    and GAI215 (a consent that does not say what was consented to, who represented the performer, or the estate)."""
    found: list[Finding | None] = []

    def add(rule: str, message: str) -> None:
        found.append(make(manifests, rule, root.directory, root.path, approval.line, message, root.path,
                          approval.line))

    if needs_consent(approval):
        covered = ", ".join(c for c in approval.covers if c in ("talent-likeness", "union-work"))
        add("GAI211", f"approval {approval.id} covers {covered} but records no consent")
    if needs_union_notice(approval):
        add("GAI211", f"approval {approval.id} covers synthetic-performer but records no union notice (`union`): "
            "a generated performer in a human role is notified to the union")
    gaps = consent_gaps(approval)
    if gaps:
        terms = approval.consent_terms
        form = "a table" if terms is not None and terms.table else "a reference alone"
        add("GAI215", f"approval {approval.id}'s consent ({form}) does not record {', '.join(gaps)}")
    return found


def register_findings(manifests: ManifestSet, audit: bool, selected: Iterable[str],
                      as_of: datetime.date) -> list[Finding]:
    """GAI211 and GAI213 on every approval of a register: of every root in a full audit, else of the selected root
    manifests (approvals cited by the entries a run uses are judged with those entries)."""
    chosen = set(selected)
    roots = [m for d, m in manifests.valid.items() if manifests.chain_dirs(d)[0] == d and (audit or m.path in chosen)]
    found = [f for root in roots for a in root.approvals or () for f in consent_record_findings(manifests, root, a)]
    for root in roots:
        book = manifests.book_of(root.directory)
        if book is not None:
            found.extend(signature_finding(manifests, book, a, as_of) for a in root.approvals or ())
    return [f for f in found if f is not None]


def coverage(manifests: ManifestSet, entry: GeneratedEntry, deliverable: bool, as_of: datetime.date,
             inherited: tuple[str, ...] = ()) -> Coverage:
    """Judge an entry's approvals for one file: needed categories, expiry, the register."""
    if not entry.approvals:
        return Coverage(False, ())
    cited = manifests.cited(entry, as_of)
    if not cited.resolved:
        return Coverage(False, ())  # GAI203 says why
    needed = (["final-deliverable"] if deliverable else []) + list(entry.sensitive) + list(inherited)
    missing = cited.missing(needed)
    return Coverage(cited.covers("final-deliverable"), (cited.why_not(missing),) if missing else ())


def file_findings(manifests: ManifestSet, path: str, entry: GeneratedEntry, tool_label: str, deliverable: bool,
                  as_of: datetime.date, inherited: tuple[str, ...] = ()) -> list[Finding]:
    """GAI201, GAI204, GAI207, GAI210 and GAI214 on one declared file."""
    directory = directory_of(path)
    found: list[Finding | None] = []
    where = f"{entry.manifest}:{entry.line}"

    def add(rule: str, message: str) -> None:
        found.append(make(manifests, rule, directory, path, None, f"generated with {tool_label} (entry at {where})"
                          + message, entry.manifest, entry.line))

    if deliverable and not entry.approvals:
        add("GAI201", " and in a deliverable path without written approval")
    if entry.approvals and (deliverable or entry.sensitive or inherited):
        judged = coverage(manifests, entry, deliverable, as_of, inherited)
        if judged.problems:
            add("GAI204", ": " + "; ".join(judged.problems))
    real = manifests.presented_as_real(path, deliverable)
    cited = manifests.cited(entry, as_of) if entry.approvals else None
    if real is not None and (cited is None or (cited.resolved and not cited.covers("archival"))):
        why = cited.why_not(["archival"]) if cited is not None else "no written approval covering archival is cited"
        add("GAI210", f" and {real}, where it would be taken for real; {why}")
    for message in expiring_soon(cited, as_of) if cited is not None else ():
        add("GAI207", ": " + message)
    if entry.disclosure is None:
        shown = manifests.disclosure_needed(path, entry.sensitive + inherited, deliverable)
        if shown is not None:
            add("GAI214", f", a deliverable that {_as_shown(shown)}, and the entry has no `disclosure` telling the "
                "audience it is generated")
    return [f for f in found if f is not None]


def _as_shown(why: str) -> str:
    """'depicts talent-likeness' stays; 'in an archival path' reads 'is in an archival path'."""
    return why if why.startswith("depicts") else f"is {why}"


def pinned_by(manifests: ManifestSet, entry: GeneratedEntry | ModelEntry,
              as_of: datetime.date) -> list[tuple[str, dict[str, str] | None]]:
    """The register approvals `entry` cites that pin content: (id, path -> blob id), or (id, None) for every
    approval cited when the root's genai.lock is invalid and no pin can be trusted (fail closed)."""
    book = manifests.book_of(directory_of(entry.manifest))
    if book is None or not entry.approvals:
        return []
    cited = manifests.cited(entry, as_of)
    resolved = [a.id for a in cited.current + cited.expired] + [a.id for a, _ in cited.unsigned]
    if book.lock_invalid:
        return [(i, None) for i in resolved]
    return [(i, pins) for i in resolved for pins in (book.pinned(i),) if pins is not None]


def pin_findings(manifests: ManifestSet, path: str, current: str | None, entry: GeneratedEntry | ModelEntry,
                 pinned: list[tuple[str, dict[str, str] | None]]) -> list[Finding]:
    """GAI212: a file citing an approval that pins content is not among the pinned files, or changed since."""
    found: list[Finding | None] = []
    where = f"{entry.manifest}:{entry.line}"
    for approval_id, pins in pinned:
        if pins is None:
            why = "genai.lock is invalid (GAI001), so what the approval was given for cannot be checked"
        elif path not in pins:
            why = "not among the approved files"
        elif pins[path] != current:
            why = f"pinned {pins[path]}, now {current}"
        else:
            continue
        found.append(make(manifests, "GAI212", directory_of(path), path, None,
                          f"cites approval {approval_id} (entry at {where}), which pins the content it was given "
                          f"for: {why}", entry.manifest, entry.line))
    return [f for f in found if f is not None]


def stale_finding(manifests: ManifestSet, entry: GeneratedEntry | ModelEntry) -> Finding | None:
    kind = "[[models]] entry" if isinstance(entry, ModelEntry) else "entry"
    return make(manifests, "GAI401", directory_of(entry.manifest), entry.manifest, entry.line,
                f"{kind}'s patterns match no file: {', '.join(entry.paths)}", entry.manifest, entry.line)


def verify_signatures_ahead(manifests: ManifestSet, paths: list[str], audit: bool, as_of: datetime.date) -> None:
    """Signed approvals the run will ask about, verified side by side rather than one after another: every
    approval in an audit, else those the selected files' entries cite."""
    books = [b for b in manifests.books.values() if b.signed]
    if not books:
        return
    if audit:
        for book in books:
            book.verify_ahead((a.id for a in book.root.approvals or ()), as_of)
        return
    cited: dict[int, tuple[Book, list[str]]] = {}
    seen: set[int] = set()
    for path in paths:
        entry = manifests.winning_entry(path)
        if entry is None or not entry.approvals or id(entry) in seen:
            continue
        seen.add(id(entry))
        governing = manifests.book_of(directory_of(entry.manifest))
        if governing is not None and governing.signed:
            cited.setdefault(id(governing), (governing, []))[1].extend(entry.approvals)
    for signed, ids in cited.values():
        signed.verify_ahead(ids, as_of)
