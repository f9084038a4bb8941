"""What the approvals an entry cites establish on the judging date: resolution, coverage, expiry.

Without a register (no [[approvals]] in the root), any approval id that satisfies the production's
`approval_pattern` counts as covering every category (SPEC §3); with one, only the register's
current approvals cover what they list.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .manifest import Approval, Manifest
from .patterns import approval_matches
from .schema import CONSENTED

EXPIRING_DAYS = 30  # an approval that ends within this many days of the judging date is flagged (GAI207)


def lookup(root: Manifest, approval_id: str) -> Approval | None:
    for approval in root.approvals or ():
        if approval.id == approval_id:
            return approval
    return None


def expiring(approval: Approval, as_of: datetime.date) -> bool:
    """It holds on `as_of` (through its `expires` date) and ends within EXPIRING_DAYS."""
    return approval.expires is not None and 0 <= (approval.expires - as_of).days <= EXPIRING_DAYS


def needs_consent(approval: Approval) -> bool:
    """It covers talent likeness or union work and names no consent record (GAI211)."""
    return any(c in CONSENTED for c in approval.covers) and not (approval.consent or "").strip()


@dataclass(frozen=True)
class Cited:
    """The approval ids one entry cites, as judged on one date."""

    ids: tuple[str, ...]
    register: bool  # the root keeps a register
    wellformed: tuple[str, ...]  # ids that satisfy approval_pattern (all of them without a pattern)
    current: tuple[Approval, ...]  # register approvals cited, resolved and holding on the date
    expired: tuple[Approval, ...]  # register approvals cited, resolved and past their `expires`

    @property
    def resolved(self) -> bool:
        """Something cited can be traced to a grant (else GAI203 says why, and no other rule repeats it)."""
        return bool(self.current or self.expired) if self.register else bool(self.wellformed)

    def covers(self, category: str) -> bool:
        if not self.register:
            return bool(self.wellformed)
        return any(category in a.covers for a in self.current)

    def missing(self, needed: Iterable[str]) -> list[str]:
        return [c for c in dict.fromkeys(needed) if not self.covers(c)]

    def why_not(self, missing: Sequence[str]) -> str:
        """Why the cited approvals do not cover `missing`, in the words of a finding."""
        if not self.ids:
            return f"no written approval covering {', '.join(missing)} is cited"
        reasons = [f"approval {a.id} expired on {a.expires}" for a in self.expired]
        current = self.current
        if current:
            ids = ", ".join(a.id for a in current)
            verb = "does" if len(current) == 1 else "do"
            reasons.append(f"approval{'s' if len(current) > 1 else ''} {ids} {verb} not cover {', '.join(missing)}")
        else:
            reasons.append(f"no current approval covers {', '.join(missing)}")
        return "; ".join(reasons)


def cite(root: Manifest | None, approval_ids: Sequence[str], as_of: datetime.date) -> Cited:
    """Judge the ids an entry of `root`'s production cites, on `as_of`."""
    pattern = root.production.approval_pattern if root is not None and root.production else None
    wellformed = tuple(a for a in approval_ids if pattern is None or approval_matches(pattern, a))
    if root is None or root.approvals is None:
        return Cited(tuple(approval_ids), False, wellformed, (), ())
    resolved = [a for a in (lookup(root, i) for i in dict.fromkeys(wellformed)) if a is not None]
    current = tuple(a for a in resolved if a.expires is None or a.expires >= as_of)
    expired = tuple(a for a in resolved if a not in current)
    return Cited(tuple(approval_ids), True, wellformed, current, expired)


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
