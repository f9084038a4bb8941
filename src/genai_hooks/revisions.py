"""Commits by name: a revision resolved, HEAD, and the advice a shallow clone gets (a check never guesses past
missing history)."""

from __future__ import annotations

from .errors import UsageError
from .gitcmd import GitFailed, GitRepository

SHALLOW_ADVICE = ("this is a shallow clone; fetch the full history (actions/checkout with `fetch-depth: 0`, "
                  "or `git fetch --unshallow`) and run again")


def resolve_commit(repository: GitRepository, rev: str) -> str:
    if rev.startswith("-"):
        raise UsageError(f"unknown revision {rev!r}")
    try:
        return repository.run("rev-parse", "--verify", "--quiet", "--end-of-options",
                              f"{rev}^{{commit}}").decode().strip()
    except GitFailed:
        if is_shallow(repository):
            raise UsageError(f"unknown revision {rev!r}: {SHALLOW_ADVICE}") from None
        if head_commit(repository) is None:
            raise UsageError(f"unknown revision {rev!r}: the repository has no commit yet "
                             "(without --rev, genai-hooks judges the staged files)") from None
        raise UsageError(f"unknown revision {rev!r}; check the name with `git log --oneline`") from None


def is_shallow(repository: GitRepository) -> bool:
    return repository.try_run("rev-parse", "--is-shallow-repository") == b"true\n"


def has_head(repository: GitRepository) -> bool:
    return head_commit(repository) is not None


def head_commit(repository: GitRepository) -> str | None:
    out = repository.try_run("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    return out.decode().strip() if out else None
