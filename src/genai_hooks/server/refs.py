"""A push's ref updates (`OLD NEW REF` lines on a pre-receive hook's stdin) -> what each one asks to judge.

It never judges: it says which commit to judge and against which base, and which updates cannot be judged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import UsageError
from ..gitcmd import GitFailed, GitRepository

_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def is_zero(object_id: str) -> bool:
    """Git's "no object" (a created ref's OLD, a deleted ref's NEW), for SHA-1 and SHA-256 ids."""
    return not object_id.strip("0")


@dataclass(frozen=True)
class RefUpdate:
    """One line of the push: REF moves from OLD to NEW (all zeros: created, or deleted)."""

    old: str
    new: str
    ref: str

    @property
    def created(self) -> bool:
        return is_zero(self.old)

    @property
    def deleted(self) -> bool:
        return is_zero(self.new)


@dataclass(frozen=True)
class Scope:
    """What one update asks to judge: `commit` against `base` (None: everything in it, a full audit).

    `commit` is None when nothing is judged: the ref is deleted (`skipped` says so), or NEW is not a
    commit (`unjudgeable` says why; the push is rejected)."""

    update: RefUpdate
    commit: str | None = None
    base: str | None = None
    skipped: str | None = None
    unjudgeable: str | None = None


def parse_updates(raw: bytes) -> list[RefUpdate]:
    """The `OLD NEW REF` lines git writes; anything else is a UsageError naming the line (the push is rejected)."""
    updates = []
    for number, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        fields = line.decode("utf-8", "surrogateescape").split(" ")
        if (len(fields) != 3 or not _OBJECT_ID.fullmatch(fields[0]) or not _OBJECT_ID.fullmatch(fields[1])
                or len(fields[0]) != len(fields[1]) or not fields[2]):
            shown = line[:80].decode("utf-8", "backslashreplace").encode("unicode_escape").decode("ascii")
            raise UsageError(f"stdin line {number} is not `OLD NEW REF` as git writes it to a pre-receive hook: "
                             f"{shown!r}; run genai-hooks pre-receive as the repository's pre-receive hook")
        updates.append(RefUpdate(fields[0], fields[1], fields[2]))
    return updates


def scopes(repository: GitRepository, updates: Sequence[RefUpdate]) -> list[Scope]:
    """Each update's scope: NEW peeled to a commit, judged against OLD (the merge base of the two), a created
    ref against its merge base with the default branch (`HEAD`), and everything when there is none."""
    pushed = [u for u in updates if not u.deleted]
    peeled = repository.objects([f"{u.new}^{{}}" for u in pushed], [u.new for u in pushed])  # one git process
    default = _default_branch(repository)
    out: list[Scope] = []
    for update in updates:
        if update.deleted:
            out.append(deletion(update))
            continue
        found = peeled.get(update.new)
        if found is None or found[0] != "commit":
            kind = "an object git cannot read" if found is None else f"a {found[0]}"
            out.append(Scope(update, unjudgeable=f"points at {kind}, not a commit; genai-hooks judges commits, and "
                                                 "content no rule has judged is not accepted: tag a commit instead"))
            continue
        commit = found[1]
        base = None if update.created else _merge_base(repository, update.old, commit)
        if base is None and default is not None:  # a created ref, or a rewrite unrelated to what it replaces
            base = _merge_base(repository, default, commit)
        out.append(Scope(update, commit, base))
    return out


def deletion(update: RefUpdate) -> Scope:
    """A deleted ref: it brings no content, so nothing is judged (deleting the default branch included)."""
    return Scope(update, skipped="deleted; nothing to judge")


def _default_branch(repository: GitRepository) -> str | None:
    """The commit HEAD names in the bare repository; None when HEAD is unborn (an empty or emptied repository)."""
    out = repository.try_run("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    return out.decode().strip() if out else None


def _merge_base(repository: GitRepository, one: str, other: str) -> str | None:
    """The merge base of two object ids (never names: a ref may be called `--help`); None for unrelated history."""
    try:
        found = repository.run("merge-base", "--end-of-options", one, other).decode().strip()
    except GitFailed:
        return None
    return found or None
