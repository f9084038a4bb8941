"""What the approvals an entry cites establish on the judging date: resolution, coverage, signatures, expiry.

Only the root's register grants (SPEC §18): an id it does not hold covers nothing, unless the root
opts out with `[policy] approvals = "external"`, where an id that satisfies `approval_pattern`
counts as covering every category, unchecked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..manifest import Approval
from ..patterns import approval_matches
from ..schema import CONSENTED, UNION_NOTICE
from .book import Book

EXPIRING_DAYS = 30  # an approval that ends within this many days of the judging date is flagged (GAI207)


def expiring(approval: Approval, as_of: datetime.date) -> bool:
    """It holds on `as_of` (through its `expires` date) and ends within EXPIRING_DAYS."""
    return approval.expires is not None and 0 <= (approval.expires - as_of).days <= EXPIRING_DAYS


def needs_consent(approval: Approval) -> bool:
    """It covers talent likeness or union work and names no consent record (GAI211)."""
    return any(c in CONSENTED for c in approval.covers) and not (approval.consent or "").strip()


def needs_union_notice(approval: Approval) -> bool:
    """It covers a synthetic performer and names no union notice (GAI211)."""
    return any(c in UNION_NOTICE for c in approval.covers) and not (approval.union or "").strip()


def consent_gaps(approval: Approval) -> list[str]:
    """What a recorded consent leaves unsaid (GAI215): its scope, who represented the performer, and the estate
    when the approval covers a deceased person. Nothing when no consent is needed or none is recorded (GAI211)."""
    terms = approval.consent_terms
    if terms is None or not any(c in CONSENTED for c in approval.covers) or needs_consent(approval):
        return []
    gaps = [key for key, value in (("scope", terms.scope), ("represented_by", terms.represented_by))
            if not (value or "").strip()]
    if "deceased-person" in approval.covers and not (terms.estate or "").strip():
        gaps.append("estate")
    return gaps


@dataclass(frozen=True)
class Cited:
    """The approval ids one entry cites, as judged on one date."""

    ids: tuple[str, ...]
    wellformed: tuple[str, ...]  # ids that satisfy approval_pattern (all of them without a pattern)
    current: tuple[Approval, ...]  # register approvals cited, resolved, validly signed and holding on the date
    expired: tuple[Approval, ...]  # register approvals cited, resolved and past their `expires`
    unsigned: tuple[tuple[Approval, str], ...] = ()  # register approvals whose signature fails (GAI213), and why
    unchecked: tuple[str, ...] = ()  # ids accepted without a register entry (external approvals)

    @property
    def resolved(self) -> bool:
        """Something cited can be traced to a grant (else GAI203 says why, and no other rule repeats it)."""
        return bool(self.current or self.expired or self.unsigned or self.unchecked)

    def covers(self, category: str) -> bool:
        return bool(self.unchecked) or any(category in a.covers for a in self.current)

    def missing(self, needed: Iterable[str]) -> list[str]:
        return [c for c in dict.fromkeys(needed) if not self.covers(c)]

    def why_not(self, missing: Sequence[str]) -> str:
        """Why the cited approvals do not cover `missing`, in the words of a finding."""
        if not self.ids:
            return f"no written approval covering {', '.join(missing)} is cited"
        reasons = [f"approval {a.id} expired on {a.expires}" for a in self.expired]
        reasons += [f"approval {a.id} covers nothing: {why} (GAI213)" for a, why in self.unsigned]
        current = self.current
        if current:
            ids = ", ".join(a.id for a in current)
            verb = "does" if len(current) == 1 else "do"
            reasons.append(f"approval{'s' if len(current) > 1 else ''} {ids} {verb} not cover {', '.join(missing)}")
        else:
            reasons.append(f"no current approval covers {', '.join(missing)}")
        return "; ".join(reasons)


def cite(book: Book | None, approval_ids: Sequence[str], as_of: datetime.date) -> Cited:
    """Judge the ids an entry of `book`'s production cites, on `as_of`.

    Checked by default (SPEC §18): an id resolves in the root's register or nowhere, also when the
    root keeps no register; only `[policy] approvals = "external"` (without required signatures)
    accepts a well-formed id unchecked.
    """
    root = book.root if book is not None else None
    pattern = root.production.approval_pattern if root is not None and root.production else None
    wellformed = tuple(a for a in approval_ids if pattern is None or approval_matches(pattern, a))
    if book is None:
        return Cited(tuple(approval_ids), wellformed, (), ())
    resolved: list[Approval] = []
    unchecked: list[str] = []
    for approval_id in dict.fromkeys(wellformed):
        approval = book.lookup(approval_id)
        if approval is not None:
            resolved.append(approval)
        elif book.external:
            unchecked.append(approval_id)
    unsigned = tuple((a, verdict.reason) for a in resolved
                     for verdict in (book.signature(a, as_of),) if not verdict.ok)
    valid = [a for a in resolved if a not in {u[0] for u in unsigned}]
    current = tuple(a for a in valid if a.expires is None or a.expires >= as_of)
    expired = tuple(a for a in valid if a not in current)
    return Cited(tuple(approval_ids), wellformed, current, expired, unsigned, tuple(unchecked))


def expiring_soon(cited: Cited, as_of: datetime.date) -> list[str]:
    """GAI207 messages: each cited approval that holds on `as_of` and ends within EXPIRING_DAYS."""
    messages = []
    for approval in cited.current:
        if expiring(approval, as_of):
            assert approval.expires is not None
            days = (approval.expires - as_of).days
            left = "today is its last day" if days == 0 else f"in {days} day{'s' if days > 1 else ''}"
            messages.append(f"approval {approval.id} expires on {approval.expires} ({left})")
    return messages
