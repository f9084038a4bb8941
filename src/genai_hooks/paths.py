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
from dataclasses import dataclass

from .errors import UsageError

MANIFEST_NAME = "genai.toml"


def is_manifest(path: str) -> bool:
    """Whether a repository path is a genai.toml (the cheap test first: it runs on every file of an audit)."""
    return path.endswith(MANIFEST_NAME) and path.rpartition("/")[2] == MANIFEST_NAME

GITMODULES = ".gitmodules"
# Optional locks off: reading commands must not refresh (write) the index while we check.
# No lazy fetch: in a partial clone, reading a missing blob would download it (no network, ever).
_GIT_VARIABLES = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_LFS_SKIP_SMUDGE": "1",
                  "GIT_NO_LAZY_FETCH": "1"}
# No program the repository configures may run during a check, and nothing under .git may change:
# an fsmonitor hook runs whenever git reads the index; a sparse index would be written back with
# new tree objects; hooks and protocols are shut for good measure. Filters, textconv and external
# diffs only run for commands genai-hooks never uses (diff-files, hash-object, patches).
_SAFE_CONFIG = (("core.fsmonitor", "false"), ("core.hooksPath", os.devnull), ("index.sparse", "false"),
                ("core.untrackedCache", "false"), ("protocol.allow", "never"), ("gc.auto", "0"),
                ("maintenance.auto", "false"))
# What genai-hooks unsets: a diff program and a config file named by the caller's environment.
_UNSET = ("GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS")


_scratch: list[str] = []  # this process's throwaway object directory, made on first use
_scratch_cleanup: list[bool] = []


def scratch_objects() -> str:
    """A directory of this process where git may write objects it insists on writing, thrown away after."""
    if not _scratch or not os.path.isdir(_scratch[0]):
        import atexit
        import tempfile  # here: most commands never need it

        if not _scratch_cleanup:
            atexit.register(remove_scratch)  # for embedders; the command line removes it itself
            _scratch_cleanup.append(True)
        _scratch[:] = [tempfile.mkdtemp(prefix="genai-hooks-objects-")]
    return _scratch[0]


def remove_scratch() -> None:
    if _scratch:
        import shutil

        shutil.rmtree(_scratch.pop(), ignore_errors=True)


def git_environment(objects: str | None = None) -> dict[str, str]:
    """The whole environment every git command of a check runs in (the caller's, made safe).

    The settings ride on GIT_CONFIG_COUNT (Git 2.31+), after any the caller already set, so
    they win over every configuration file, the repository's own included. With `objects`, the
    repository's object directory, git reads it as an alternate and writes nowhere in it: reading
    a sparse index makes git write tree objects, and a check never changes a file under .git.
    """
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    env.update(_GIT_VARIABLES)
    try:
        first = max(0, int(env.get("GIT_CONFIG_COUNT", "0")))
    except ValueError:
        first = 0
    for offset, (key, value) in enumerate(_SAFE_CONFIG):
        env[f"GIT_CONFIG_KEY_{first + offset}"] = key
        env[f"GIT_CONFIG_VALUE_{first + offset}"] = value
    env["GIT_CONFIG_COUNT"] = str(first + len(_SAFE_CONFIG))
    if objects is not None:
        others = env.get("GIT_ALTERNATE_OBJECT_DIRECTORIES")
        env["GIT_OBJECT_DIRECTORY"] = scratch_objects()
        env["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = objects + (os.pathsep + others if others else "")
    return env


@dataclass(frozen=True)
class Located:
    """Where a repository is: its work tree's top directory and the object directory git writes to."""

    toplevel: str
    objects: str


def locate(start: str) -> Located:
    """The repository `start` is in, or a UsageError that says what to do (git's own refusal included)."""
    try:
        here = os.path.abspath(start)
    except FileNotFoundError:  # the current directory was deleted under us
        raise UsageError("the current directory no longer exists; cd into the repository and run again") from None
    if not os.path.isdir(here):
        raise UsageError(f"{start}: no such directory")
    done = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--show-toplevel", "--git-path", "objects"],
                          cwd=here, capture_output=True, env=git_environment(), check=False)
    lines = done.stdout.decode("utf-8", "surrogateescape").split("\n")
    if done.returncode == 0 and len(lines) >= 2 and lines[0] and lines[1]:
        return Located(lines[0], lines[1])
    stderr = done.stderr.decode("utf-8", "replace")
    if "dubious ownership" in stderr:
        owned = re.search(r"repository at '([^']*)'", stderr)
        where = owned.group(1) if owned else here
        raise UsageError(f"git refuses to read {where}: it belongs to another user (\"dubious ownership\"); if you "
                         f"trust it, run `git config --global --add safe.directory {where}` (in CI containers, "
                         "after the checkout) and run again")
    if done.returncode == 0 or "must be run in a work tree" in stderr:
        raise UsageError(f"{start} is a bare repository; run genai-hooks in a checkout")
    if "not a git repository" in stderr:
        raise UsageError(f"{here} is not inside a Git repository; run genai-hooks in a checkout, or pass --repo DIR")
    message = next((line for line in stderr.splitlines() if line.strip()), "git failed")
    raise UsageError(f"git cannot read the repository at {here}: {message.removeprefix('fatal: ')}")


# No rename detection (moves are paired by content id, exactly and in linear time); submodules are
# listed (a new one under a deliverable path must be seen); never an external diff or textconv.
DIFF_ARGS = ("diff", "--raw", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", "--ignore-submodules=dirty",
             "--no-abbrev")
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

    def __init__(self, located: Located, given: list[str]) -> None:
        self.toplevel = toplevel = located.toplevel
        self.given = given
        self.candidates = manifest_candidates(given)
        self._first = [*self.candidates, GITMODULES]
        self._first_ids: dict[str, str | None] | None = None
        self._ids: dict[str, str | None] | None = None
        self._first_ready = threading.Event()
        self._process = subprocess.Popen(
            ["git", "cat-file", f"--batch-command={self.FORMAT}", "-z", "--buffer"], cwd=toplevel,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=git_environment(located.objects))
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


class _EarlyGit:
    """A git command on the index, run while the rest is imported; its output, once, or None when git failed."""

    def __init__(self, located: Located, args: Sequence[str]) -> None:
        self.toplevel = located.toplevel
        self._stdout: bytes | None = None
        self._process = subprocess.Popen(
            ["git", *args], cwd=located.toplevel, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=git_environment(located.objects))
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
    config = subprocess.run(["git", *PARTIAL_CLONE_CONFIG], cwd=located.toplevel, capture_output=True,
                            env=git_environment(), check=False)
    return None if is_partial_clone(config.stdout) else located


def _git_line(cwd: str, *args: str) -> str | None:
    """The first line git prints, None when it fails or prints nothing (commands that never write objects)."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=git_environment(), check=False)
    line = done.stdout.decode("utf-8", "surrogateescape").partition("\n")[0]
    return line if done.returncode == 0 and line else None


def extension(name: str) -> str:
    """The lower-cased extension with its dot; "" when the name has none or is a dotfile like `.hidden`."""
    # called for every file of an audit: rpartition is several times faster than splitext
    base = name.rpartition("/")[2].rpartition("\\")[2]
    stem, dot, extension = base.rpartition(".")
    return "." + extension.lower() if dot and stem.strip(".") else ""
