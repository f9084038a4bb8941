"""The server-side gate: a push's ref updates -> one run_check per ref -> one verdict for the whole push.

It never judges a file itself: runner.run_check does, exactly as `genai-hooks run --rev NEW --diff BASE` would.
Here live the push's verdict, break glass and the time budget.
"""

from __future__ import annotations

import datetime
import enum
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ..errors import UsageError
from ..findings import RunResult
from ..gitcmd import GitRepository
from .breakglass import Override, append_records, pusher, requested_reason
from .refs import RefUpdate, Scope, deletion, parse_updates, scopes

_T = TypeVar("_T")


@dataclass(frozen=True)
class GateOptions:
    """How the server runs the gate (the options of `genai-hooks pre-receive`)."""

    repo: str = "."
    fmt: str = "text"
    lfs_store: str | None = None
    approvers: str | None = None  # the server's allowed_signers file: it outranks the repository's own
    allow_breakglass: bool = False
    breakglass_log: str | None = None
    budget: float | None = None  # seconds
    as_of: datetime.date = field(default_factory=datetime.date.today)


@dataclass(frozen=True)
class RefVerdict:
    """One ref of the push: its scope and, when it was judged, the result."""

    scope: Scope
    result: RunResult | None = None

    @property
    def ref(self) -> str:
        return self.scope.update.ref

    @property
    def errors(self) -> int:
        return self.result.errors if self.result is not None else 0


class Status(str, enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    OVERRIDDEN = "overridden"  # accepted despite error findings: break glass, on the record


@dataclass(frozen=True)
class PushVerdict:
    """The push's verdict, with the lines that say why, the refs as judged and the exit code (0 accepts the push;
    anything else rejects it)."""

    status: Status
    code: int
    refs: tuple[RefVerdict, ...] = ()
    lines: tuple[str, ...] = ()
    breakglass: dict[str, str | None] | None = None


class BudgetExceeded(Exception):
    """The push could not be judged within --budget."""


def judge_push(options: GateOptions, updates: Sequence[RefUpdate]) -> list[RefVerdict]:
    """Judge every updated ref (a commit and base judged once, however many refs point at them)."""
    from ..runner import run_check  # the heavy imports: after stdin is read and checked
    from ..scope import Scope

    repository = GitRepository(options.repo)
    try:
        scoped = scopes(repository, updates)
    finally:
        repository.close()
    judged: dict[tuple[str, str | None], RunResult] = {}
    verdicts = []
    for scope in scoped:
        if scope.commit is None:
            verdicts.append(RefVerdict(scope))
            continue
        key = (scope.commit, scope.base)
        if scope.base == scope.commit:  # already in the history it is judged against (a tag of a pushed commit)
            judged[key] = RunResult(scope.commit, 0)
        if key not in judged:
            try:
                judged[key] = run_check(Scope(rev=scope.commit, diff=scope.base), repo=options.repo,
                                        as_of=options.as_of, metadata=True, approvers=options.approvers,
                                        lfs_store=options.lfs_store).result
            except UsageError as error:
                raise UsageError(f"{scope.update.ref}: {error}") from None
        verdicts.append(RefVerdict(scope, judged[key]))
    return verdicts


def within_budget(budget: float | None, started: float, work: Callable[[], _T]) -> _T:
    """`work()`, or BudgetExceeded once `budget` seconds have passed since `started` (time.monotonic()).

    The work runs in a daemon thread the caller leaves behind: the hook exits, and the git processes it
    started see their pipes close.
    """
    if budget is None:
        return work()
    remaining = budget - (time.monotonic() - started)
    if remaining <= 0:
        raise BudgetExceeded
    outcome: list[_T] = []
    failure: list[Exception] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as error:  # noqa: BLE001 -- re-raised in the waiting thread: a crash rejects the push
            failure.append(error)

    worker = threading.Thread(target=run, name="genai-hooks-judge", daemon=True)
    worker.start()
    worker.join(remaining)
    if failure:
        raise failure[0]
    if outcome:
        return outcome[0]
    if worker.is_alive():
        raise BudgetExceeded
    raise RuntimeError("the judgement stopped without a verdict")


def gate(options: GateOptions, stdin: bytes, environ: Mapping[str, str], started: float) -> PushVerdict:
    """The verdict on a push. UsageError (exit 2, the push rejected) for what stops it from being judged."""
    if options.allow_breakglass and not options.breakglass_log:
        raise UsageError("--allow-breakglass needs --breakglass-log FILE: break glass is allowed only on the record")
    updates = parse_updates(stdin)
    if not any(not u.deleted for u in updates):  # deletions only: nothing to judge, no budget spent
        return PushVerdict(Status.ACCEPTED, 0, tuple(RefVerdict(deletion(u)) for u in updates))
    try:
        refs = tuple(within_budget(options.budget, started, lambda: judge_push(options, updates)))
    except BudgetExceeded:
        line = (f"genai-hooks: push rejected: it could not be judged within the server's budget of "
                f"{options.budget:g} s (--budget); push fewer commits or files at a time, or let the required CI "
                "check judge big changes")
        return PushVerdict(Status.REJECTED, 1, lines=(line,))
    return _decide(options, refs, environ)


def _decide(options: GateOptions, refs: tuple[RefVerdict, ...], environ: Mapping[str, str]) -> PushVerdict:
    unjudgeable = [v for v in refs if v.scope.unjudgeable]
    blocked = [v for v in refs if v.errors]
    reason = requested_reason(environ)
    lines: list[str] = []
    if reason is not None and not options.allow_breakglass:
        lines.append("genai-hooks: note: break glass was asked for, but this server does not allow it "
                     "(--allow-breakglass); the push is judged as usual")
    if unjudgeable or (blocked and (reason is None or not options.allow_breakglass)):
        named = [f"{v.ref} has {_count(v.errors, 'error finding')}" for v in blocked]
        named += [f"{v.ref} is not a commit" for v in unjudgeable]
        lines.append(f"genai-hooks: push rejected: {'; '.join(named)}")
        if blocked:
            lines.append("genai-hooks: fix the findings above (`genai-hooks explain RULE` says how), commit, "
                         "and push again")
        return PushVerdict(Status.REJECTED, 1, refs, tuple(lines))
    if not blocked:
        if reason is not None and options.allow_breakglass:
            lines.append("genai-hooks: note: break glass was not needed (no error findings); nothing was recorded")
        return PushVerdict(Status.ACCEPTED, 0, refs, tuple(lines))
    assert options.breakglass_log is not None and reason is not None
    who = pusher(environ)
    record = {"reason": reason, "pusher": who, "log": options.breakglass_log}
    overrides = [Override(v.ref, v.scope.update.old, v.scope.update.new, v.result.findings)
                 for v in blocked if v.result is not None]
    try:
        append_records(options.breakglass_log, overrides, who=who, reason=reason)
    except UsageError as error:
        lines.append(f"genai-hooks: push rejected: {error}")
        return PushVerdict(Status.REJECTED, 2, refs, tuple(lines), record)
    lines.append(f"genai-hooks: gate overridden (break glass) for {', '.join(v.ref for v in blocked)} by "
                 f"{who or 'an unknown pusher'}: {reason!r}; recorded in {options.breakglass_log}")
    return PushVerdict(Status.OVERRIDDEN, 0, refs, tuple(lines), record)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
