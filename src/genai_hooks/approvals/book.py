"""One production's approvals as facts: its register, its pins (genai.lock) and who may sign (SPEC §14, §18).

The judge asks a Book what an approval establishes; the Book reads nothing but what it is handed
(the root manifest, the lock, the approvers file) and runs `ssh-keygen -Y verify` once per approval
it is asked about, not once per file.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..manifest import Approval, Manifest
from .lock import Lock
from .signatures import Verdict, payload, signers_problem, verify


@dataclass(frozen=True)
class Signers:
    """Who may sign: an allowed_signers file, from the snapshot or held outside it (`--approvers`)."""

    source: str  # how to name it in a finding: a repository path, or "--approvers FILE"
    data: bytes | None  # None: it could not be read
    problem: str | None = None  # why it cannot be used, when it cannot

    @classmethod
    def of(cls, source: str, data: bytes | None) -> Signers:
        if data is None:
            return cls(source, None, "it is not in the snapshot" if not source.startswith("--") else "unreadable")
        return cls(source, data, signers_problem(data))


@dataclass
class Book:
    """What the root manifest `root` grants, and what its approvals were given for."""

    root: Manifest
    lock: Lock | None = None
    lock_invalid: bool = False  # the root's genai.lock is invalid (GAI001): no pin can be trusted
    signers: Signers | None = None  # set: every register approval must be signed by one of them
    _verdicts: dict[tuple[str, datetime.date], Verdict] = field(default_factory=dict)

    @property
    def external(self) -> bool:
        """Approvals are kept outside the repository and ids are accepted unchecked ([policy] approvals)."""
        return self.root.approvals_mode == "external" and self.signers is None

    @property
    def signed(self) -> bool:
        return self.signers is not None

    def lookup(self, approval_id: str) -> Approval | None:
        for approval in self.root.approvals or ():
            if approval.id == approval_id:
                return approval
        return None

    def pinned(self, approval_id: str) -> dict[str, str] | None:
        """Repository path -> blob id of what `approval_id` was given for; None when it pins nothing."""
        return self.lock.pinned(approval_id) if self.lock is not None else None

    def signature(self, approval: Approval, as_of: datetime.date) -> Verdict:
        """Whether `approval` carries a valid signature by an approver on `as_of` (always ok when none is
        required); `ssh-keygen` runs once per approval and date."""
        if self.signers is None:
            return Verdict(True, "")
        key = (approval.id, as_of)
        found = self._verdicts.get(key)
        if found is None:
            found = self._judge_signature(approval, as_of)
            self._verdicts[key] = found
        return found

    def verify_ahead(self, approval_ids: Iterable[str], as_of: datetime.date) -> None:
        """Verify the signatures of these approvals side by side (one ssh-keygen each, as many at once as there
        are CPUs), so the judge's questions that follow are answered from what was found."""
        wanted = [a for a in (self.lookup(i) for i in dict.fromkeys(approval_ids)) if a is not None
                  and (a.id, as_of) not in self._verdicts]
        if self.signers is None or len(wanted) < 2:
            return
        workers = min(len(wanted), os.cpu_count() or 1, 8)
        with ThreadPoolExecutor(max_workers=workers) as pool:  # ssh-keygen runs outside the GIL
            found = list(pool.map(lambda a: self._judge_signature(a, as_of), wanted))
        for approval, verdict in zip(wanted, found):
            self._verdicts[(approval.id, as_of)] = verdict

    def _judge_signature(self, approval: Approval, as_of: datetime.date) -> Verdict:
        signers = self.signers
        assert signers is not None
        if not approval.signed_by or not approval.signature:
            missing = " and ".join(k for k, v in (("signed_by", approval.signed_by),
                                                   ("signature", approval.signature)) if not v)
            return Verdict(False, f"it has no {missing}, and the production requires approvals signed by an "
                                  f"approver of {signers.source}")
        if signers.problem is not None or signers.data is None:
            return Verdict(False, f"the approvers file {signers.source} cannot be used: {signers.problem}")
        block = self.lock.block(approval.id) if self.lock is not None else None
        return verify(signers.data, approval.signed_by, approval.signature, payload(approval, block), as_of)
