"""What an entry point decides, and all it decides: which files of which snapshot are judged, against which base.

Every entry point (the three hooks, `run`, `run PATH`, `--diff`, `--rev`, `report`, `explain`, `pre-receive`)
describes its run as a Scope and hands it to runner.run_check; from there one path computes everything a verdict
depends on. A HeadStart (git's work on the index, started before the heavy imports) makes that path faster,
never different: runner uses each part only where it is the very work the path would do.

Standard library only: cli.py builds both before it loads the rest of genai-hooks.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from .early import (
    EarlyDiff,
    EarlyListing,
    IndexLookup,
    full_clone,
    start_early_diff,
    start_early_listing,
    start_index_lookup,
)


@dataclass(frozen=True)
class Scope:
    paths: Sequence[str] | None = None  # the files named (None: every file of the snapshot)
    rev: str | None = None  # the commit judged (None: the index)
    diff: str | None = None  # judge what changed since the merge base of this and the snapshot (None: no base)
    cwd: str | None = None  # what named paths are relative to (None: the current directory)

    @property
    def named_in_index(self) -> bool:
        """The genai-hooks hook: named files against the index, the staged change as their base."""
        return self.rev is None and bool(self.paths) and self.diff is None

    @property
    def staged_change(self) -> bool:
        """The genai-hooks-staged hook: the index's change since a base."""
        return self.rev is None and self.diff is not None and not self.paths


@dataclass
class HeadStart:
    """Git's work on the index, started early; a part is None when it was not worth starting."""

    lookup: IndexLookup | None = None  # the named paths and their manifests' object ids
    diff: EarlyDiff | None = None  # the staged change
    listing: EarlyListing | None = None  # compositing scripts and sidecars across the index

    def discard(self) -> None:
        """Stop what was started and is still running (the run is over, or failed)."""
        for started in (self.lookup, self.diff, self.listing):
            if started is not None:
                started.discard()


def head_start(scope: Scope, repo: str) -> HeadStart:
    """Start the index work a hook's run will need (nothing for other runs: they read a commit or everything)."""
    if not (scope.named_in_index or scope.staged_change):
        return HeadStart()
    where = full_clone(repo)
    if where is None:
        return HeadStart()
    # the staged change names the staged files' contents, deleted manifests and moves, in one read of the index;
    # only before the first commit are the named files looked up in it instead
    diff = start_early_diff(where, "HEAD" if scope.named_in_index else str(scope.diff))
    lookup = start_index_lookup(where, list(scope.paths or ()), scope.cwd or os.getcwd()) \
        if scope.named_in_index and diff is None else None
    return HeadStart(lookup, diff, start_early_listing(where))
