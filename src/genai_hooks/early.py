"""Git's work on the index, started by cli.py before the heavy imports (standard library only).

A pre-commit check of 10,000 files in a million-file repository spends most of its time in git
reading the 100 MB index: the staged diff, a lookup of the named paths and a listing of some kinds
of file start here, and the rest of genai-hooks is loaded while git works.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Sequence

from .errors import UsageError
from .paths import (
    DIFF_ARGS,
    GITMODULES,
    INDEX_LOOKUPS_MAX,
    PARTIAL_CLONE_CONFIG,
    Located,
    encode_path,
    git_environment,
    is_partial_clone,
    locate,
    manifest_candidates,
    parse_lines,
    repository_paths,
)
from .spawn import run_git, start_git


class IndexLookup:
    """Object ids in the index: first of the manifests that could govern the named paths, then of the paths.

    One `git cat-file --batch-command` reads the index once and answers in two parts. The
    manifests' part is flushed on its own, so they are read and parsed while git goes on.
    """

    FORMAT = "%(objectname)"
    _MARK = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # the empty tree: a line of its own, found or missing

    def __init__(self, located: Located, given: list[str]) -> None:
        self.toplevel = toplevel = located.toplevel
        self.given = given
        self.candidates = manifest_candidates(given)
        self._first = [*self.candidates, GITMODULES]
        self._first_ids: dict[str, str | None] | None = None
        self._ids: dict[str, str | None] | None = None
        self._first_ready = threading.Event()
        self._process = start_git(
            toplevel, ["cat-file", f"--batch-command={self.FORMAT}", "-z", "--buffer"],
            git_environment(located.objects), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        commands = b"".join(b"info :" + encode_path(p) + b"\0" for p in self._first)
        commands += f"info {self._MARK}\0flush\0".encode()
        commands += b"".join(b"info :" + encode_path(p) + b"\0" for p in given)
        self._threads = [threading.Thread(target=self._write, args=(commands,), daemon=True),
                         threading.Thread(target=self._read, daemon=True)]
        for thread in self._threads:
            thread.start()

    def _write(self, commands: bytes) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(commands)
            stdin.close()
        except OSError:  # git stopped early (too old for --batch-command, or killed): _read sees it
            pass

    def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        chunks: list[bytes] = []
        lines: list[str] = []
        rest_at = -1
        while True:
            chunk = os.read(stdout.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            if rest_at < 0:
                lines = b"".join(chunks).decode("utf-8", "surrogateescape").split("\n")
                found, at = parse_lines(lines, 0, self.FORMAT, [":" + p for p in self._first])
                if at < len(lines) - 1 and lines[at].startswith(self._MARK):  # the first part is whole
                    self._first_ids = {p: f[0] if f else None for p, f in zip(self._first, found)}
                    rest_at = at + 1
                    self._first_ready.set()
        if self._process.wait() == 0 and rest_at >= 0:
            lines = b"".join(chunks).decode("utf-8", "surrogateescape").split("\n")
            found, _ = parse_lines(lines, rest_at, self.FORMAT, [":" + p for p in self.given])
            self._ids = {p: f[0] if f else None for p, f in zip(self.given, found)}
        self._first_ready.set()

    def manifests(self) -> dict[str, str | None] | None:
        """Candidate manifest path (and `.gitmodules`) -> object id; None when the lookup failed."""
        self._first_ready.wait()
        return self._first_ids

    def result(self) -> dict[str, str | None] | None:
        """Named path -> object id (None: not in the index); None when the lookup failed."""
        for thread in self._threads:
            thread.join()
        return self._ids

    def discard(self) -> None:
        """Stop git if its answer is no longer wanted (the run failed before using it)."""
        if self._process.poll() is None:
            self._process.kill()
        for thread in self._threads:
            thread.join()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


class _EarlyGit:
    """A git command on the index, run while the rest is imported; its output, once, or None when git failed."""

    def __init__(self, located: Located, args: Sequence[str]) -> None:
        self.toplevel = located.toplevel
        self._stdout: bytes | None = None
        self._process = start_git(located.toplevel, args, git_environment(located.objects),
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._thread = threading.Thread(target=self._collect, daemon=True)
        self._thread.start()

    def _collect(self) -> None:
        out, _ = self._process.communicate()
        if self._process.returncode == 0:
            self._stdout = out

    def result(self) -> bytes | None:
        self._thread.join()
        return self._stdout

    def discard(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._thread.join()


class EarlyDiff(_EarlyGit):
    """`git diff --cached MERGE_BASE`, what `--diff BASE` judges in the index."""

    def __init__(self, located: Located, head: str, merge_base: str) -> None:
        super().__init__(located, [*DIFF_ARGS, "--cached", merge_base, "--"])
        self.head = head
        self.merge_base = merge_base


# The kinds of file a check of staged or named files may look for across the whole index: compositing
# scripts (lineage, GAI208) and XMP sidecars. Snapshot.ending_with takes them from one early listing.
KIND_PATHSPECS = (":(icase)*.nk", ":(icase)*.comp", ":(icase)*.xmp")


class EarlyListing(_EarlyGit):
    """`git ls-files` of KIND_PATHSPECS: one read of a big index, beside the others, instead of one per kind later
    and in turn (about 0.17 s each for a million files)."""

    pathspecs = frozenset(KIND_PATHSPECS)

    def __init__(self, located: Located) -> None:
        super().__init__(located, ["ls-files", "-z", "--", *KIND_PATHSPECS])


def start_index_lookup(repo: str | Located, given: Sequence[str], cwd: str) -> IndexLookup | None:
    """Start looking `given` up in the index of the repository at `repo`; None when not worth it or not possible.

    Any problem (not a repository, a path outside it) is left for the checking code to report,
    and so are partial clones: a Git that ignores GIT_NO_LAZY_FETCH would download during the lookup.
    """
    try:
        located = full_clone(repo)
        paths = repository_paths(located.toplevel, given, cwd) if located else []
        if not located or len(paths) > INDEX_LOOKUPS_MAX:
            return None
        return IndexLookup(located, paths)
    except (OSError, UsageError):
        return None


def start_early_listing(repo: str | Located) -> EarlyListing | None:
    """Start listing KIND_PATHSPECS in the index; None when not possible (the checking code says why)."""
    try:
        located = full_clone(repo)
        return EarlyListing(located) if located else None
    except OSError:
        return None


def start_early_diff(repo: str | Located, base: str) -> EarlyDiff | None:
    """Start the diff `--diff BASE` will need on the index; None when not possible (the checking code says why)."""
    try:
        located = full_clone(repo)
        if not located or base.startswith("-"):
            return None
        top = located.toplevel
        head = _git_line(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        base_commit = _git_line(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{base}^{{commit}}")
        merge_base = _git_line(top, "merge-base", base_commit, head) if head and base_commit else None
        return EarlyDiff(located, head, merge_base) if head and merge_base else None
    except OSError:
        return None


def full_clone(repo: str | Located) -> Located | None:
    """Where the repository at `repo` is, unless it is none, or is a partial clone (a Located is taken as found:
    the start_* functions of one check share one lookup)."""
    if isinstance(repo, Located):
        return repo
    try:
        located = locate(repo)
    except UsageError:
        return None
    if located.bare:  # the early work reads the index, which a bare repository has not
        return None
    config = run_git(located.toplevel, PARTIAL_CLONE_CONFIG, git_environment())
    return None if is_partial_clone(config.stdout) else located


def _git_line(cwd: str, *args: str) -> str | None:
    """The first line git prints, None when it fails or prints nothing (commands that never write objects)."""
    done = run_git(cwd, args, git_environment())
    line = done.stdout.decode("utf-8", "surrogateescape").partition("\n")[0]
    return line if done.returncode == 0 and line else None
