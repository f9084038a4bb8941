"""Named paths, before any heavy import: where they are in the repository, which manifests could
govern them, and an early start of git's lookup of them in the index.

A pre-commit check of 10,000 files in a million-file repository spends most of its time in
git reading the 100 MB index. This module needs only the standard library, so cli.py starts
that lookup first and loads the rest of genai-hooks while git works.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import threading
from collections.abc import Sequence

from .errors import UsageError

MANIFEST_NAME = "genai.toml"
GITMODULES = ".gitmodules"
# Optional locks off: reading commands must not refresh (write) the index while we check.
# No lazy fetch: in a partial clone, reading a missing blob would download it (no network, ever).
GIT_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_LFS_SKIP_SMUDGE": "1",
           "GIT_NO_LAZY_FETCH": "1"}
DIFF_ARGS = ("diff", "--raw", "-z", "-M", "--no-ext-diff", "--ignore-submodules", "--no-abbrev")
INDEX_LOOKUPS_MAX = 50_000  # beyond this, one listing of the index is cheaper than looking paths up
_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


PARTIAL_CLONE_CONFIG = ("config", "-z", "--get-regexp", r"^(remote\..*\.promisor|extensions\.partialclone)$")


def is_partial_clone(config: bytes) -> bool:
    """From the output of `git PARTIAL_CLONE_CONFIG`: does a promisor remote supply missing objects?"""
    entries = [entry.partition("\n") for entry in config.decode("utf-8", "replace").split("\0") if entry]
    return any(key.lower() == "extensions.partialclone" or value.lower() in ("true", "yes", "on", "1")
               for key, _, value in entries)


def encode_path(path: str) -> bytes:
    return path.encode("utf-8", "surrogateescape")


def repository_paths(toplevel: str, given: Sequence[str], cwd: str) -> list[str]:
    """PATHs as the user typed them (relative to `cwd`, as in git) -> repository paths."""
    top = os.path.realpath(toplevel)
    here = os.path.realpath(cwd)
    base = os.path.relpath(here, top).replace(os.sep, "/")
    if base == os.curdir:
        base = ""
    if not base and _all_plain(given):
        return list(given)  # already repository paths: what pre-commit passes, 10,000 at a time
    out = []
    for raw in given:
        if os.path.isabs(raw):
            relative = os.path.relpath(os.path.normpath(raw), top).replace(os.sep, "/")
        else:
            relative = posixpath.normpath(posixpath.join(base, raw.replace(os.sep, "/")))
        if relative == ".." or relative.startswith("../"):
            raise UsageError(f"{raw}: outside the repository {toplevel}")
        out.append("" if relative == "." else relative)
    return out


def _all_plain(given: Sequence[str]) -> bool:
    """No path is absolute, empty, or has an empty, `.` or `..` segment (one scan over all of them)."""
    if os.sep != "/" or not given:
        return False
    joined = "/" + "/".join(given) + "/"  # a path boundary reads as a segment boundary: both must be clean
    return "//" not in joined and "/./" not in joined and "/../" not in joined


def manifest_candidates(paths: Sequence[str]) -> list[str]:
    """genai.toml in every directory from the root down to each path's directory."""
    candidates: set[str] = set()
    for directory in {p.rpartition("/")[0] for p in paths}:
        parts = directory.split("/") if directory else []
        candidates.update("/".join([*parts[:i], MANIFEST_NAME]) for i in range(len(parts) + 1))
    return sorted(candidates)


def parse_batch_check(raw: bytes, format: str, names: Sequence[str]) -> list[list[str]]:
    """The fields of each object `cat-file --batch-check=FORMAT` found, [] for each one missing."""
    return _parse_lines(raw.decode("utf-8", "surrogateescape").split("\n"), 0, format, names)[0]


def _parse_lines(lines: list[str], at: int, format: str, names: Sequence[str]) -> tuple[list[list[str]], int]:
    """Answers for `names` from lines[at:]; also the index of the first line not consumed."""
    order = format.split(" ")
    width, id_at = len(order), order.index("%(objectname)")
    found: list[list[str]] = []
    for name in names:
        fields = lines[at].split(" ") if at < len(lines) else []
        if len(fields) == width and _OBJECT_ID.fullmatch(fields[id_at]):
            at += 1
            found.append(fields)
        else:  # "<name> missing": the name as given, newlines and all
            at += name.count("\n") + 1
            found.append([])
    return found, at


class IndexLookup:
    """Object ids in the index: first of the manifests that could govern the named paths, then of the paths.

    One `git cat-file --batch-command` reads the index once and answers in two parts. The
    manifests' part is flushed on its own, so they are read and parsed while git goes on.
    """

    FORMAT = "%(objectname)"
    _MARK = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # the empty tree: a line of its own, found or missing

    def __init__(self, toplevel: str, given: list[str]) -> None:
        self.toplevel = toplevel
        self.given = given
        self.candidates = manifest_candidates(given)
        self._first = [*self.candidates, GITMODULES]
        self._first_ids: dict[str, str | None] | None = None
        self._ids: dict[str, str | None] | None = None
        self._first_ready = threading.Event()
        self._process = subprocess.Popen(
            ["git", "cat-file", f"--batch-command={self.FORMAT}", "-z", "--buffer"], cwd=toplevel,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env={**os.environ, **GIT_ENV})
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
                found, at = _parse_lines(lines, 0, self.FORMAT, [":" + p for p in self._first])
                if at < len(lines) - 1 and lines[at].startswith(self._MARK):  # the first part is whole
                    self._first_ids = {p: f[0] if f else None for p, f in zip(self._first, found)}
                    rest_at = at + 1
                    self._first_ready.set()
        if self._process.wait() == 0 and rest_at >= 0:
            lines = b"".join(chunks).decode("utf-8", "surrogateescape").split("\n")
            found, _ = _parse_lines(lines, rest_at, self.FORMAT, [":" + p for p in self.given])
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


class EarlyDiff:
    """`git diff --cached MERGE_BASE`, what `--diff BASE` judges in the index, run while the rest is imported."""

    def __init__(self, toplevel: str, head: str, merge_base: str) -> None:
        self.toplevel = toplevel
        self.head = head
        self.merge_base = merge_base
        self._stdout: bytes | None = None
        self._process = subprocess.Popen(
            ["git", *DIFF_ARGS, "--cached", merge_base, "--"], cwd=toplevel, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, **GIT_ENV})
        self._thread = threading.Thread(target=self._collect, daemon=True)
        self._thread.start()

    def _collect(self) -> None:
        out, _ = self._process.communicate()
        if self._process.returncode == 0:
            self._stdout = out

    def result(self) -> bytes | None:
        """The raw diff; None when git failed."""
        self._thread.join()
        return self._stdout

    def discard(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._thread.join()


def start_index_lookup(repo: str, given: Sequence[str], cwd: str) -> IndexLookup | None:
    """Start looking `given` up in the index of the repository at `repo`; None when not worth it or not possible.

    Any problem (not a repository, a path outside it) is left for the checking code to report,
    and so are partial clones: a Git that ignores GIT_NO_LAZY_FETCH would download during the lookup.
    """
    try:
        toplevel = _full_clone_toplevel(repo)
        paths = repository_paths(toplevel, given, cwd) if toplevel else []
        if not toplevel or len(paths) > INDEX_LOOKUPS_MAX:
            return None
        return IndexLookup(toplevel, paths)
    except (OSError, UsageError):
        return None


def start_early_diff(repo: str, base: str) -> EarlyDiff | None:
    """Start the diff `--diff BASE` will need on the index; None when not possible (the checking code says why)."""
    try:
        toplevel = _full_clone_toplevel(repo)
        if not toplevel or base.startswith("-"):
            return None
        head = _git_line(toplevel, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        base_commit = _git_line(toplevel, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{base}^{{commit}}")
        merge_base = _git_line(toplevel, "merge-base", base_commit, head) if head and base_commit else None
        return EarlyDiff(toplevel, head, merge_base) if head and merge_base else None
    except OSError:
        return None


def _full_clone_toplevel(repo: str) -> str | None:
    """The work tree's top directory, unless `repo` is not in one or is a partial clone."""
    toplevel = _git_line(repo, "rev-parse", "--show-toplevel")
    if toplevel is None:
        return None
    config = subprocess.run(["git", *PARTIAL_CLONE_CONFIG], cwd=toplevel, capture_output=True,
                            env={**os.environ, **GIT_ENV}, check=False)
    return None if is_partial_clone(config.stdout) else toplevel


def _git_line(cwd: str, *args: str) -> str | None:
    """The first line git prints, None when it fails or prints nothing."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env={**os.environ, **GIT_ENV}, check=False)
    line = done.stdout.decode("utf-8", "surrogateescape").partition("\n")[0]
    return line if done.returncode == 0 and line else None
