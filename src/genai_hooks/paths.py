"""Named paths, before any heavy import: where they are in the repository, which manifests could
govern them, and the environment every git command of a check runs in.

This module and early.py need only the standard library, so cli.py can start git's work on a
big index (early.py) before it loads the rest of genai-hooks.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import UsageError
from .spawn import run_git

MANIFEST_NAME = "genai.toml"


def is_manifest(path: str) -> bool:
    """Whether a repository path is a genai.toml (the cheap test first: it runs on every file of an audit)."""
    return path.endswith(MANIFEST_NAME) and path.rpartition("/")[2] == MANIFEST_NAME

def unsafe_path(path: str) -> str | None:
    """Why a pinned path cannot name a file below the lock, or None."""
    if not path:
        return "an empty path"
    if path.startswith("/") or re.match(r"\A[A-Za-z]:", path):
        return "an absolute path"
    if "\\" in path:
        return "a path with a backslash (use /)"
    if any(part in ("", ".", "..") for part in path.split("/")):
        return "a path that leaves the repository or is not normalised"
    if any(ord(c) < 0x20 and c not in "\t\n\r" for c in path) or "\0" in path:
        return "a path with control characters"
    return None


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
    """Where a repository is: its work tree's top directory (a bare repository's own directory) and the object
    directory git writes to (inside a push's quarantine, the quarantine's)."""

    toplevel: str
    objects: str
    bare: bool = False


def locate(start: str) -> Located:
    """The repository `start` is in, or a UsageError that says what to do (git's own refusal included)."""
    try:
        here = os.path.abspath(start)
    except FileNotFoundError:  # the current directory was deleted under us
        raise UsageError("the current directory no longer exists; cd into the repository and run again") from None
    if not os.path.isdir(here):
        raise UsageError(f"{start}: no such directory")
    done = run_git(here, ["rev-parse", "--path-format=absolute", "--show-toplevel", "--git-path", "objects"],
                   git_environment())
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
        return _locate_bare(start, here)
    if "not a git repository" in stderr:
        raise UsageError(f"{here} is not inside a Git repository; run genai-hooks in a checkout, or pass --repo DIR")
    message = next((line for line in stderr.splitlines() if line.strip()), "git failed")
    raise UsageError(f"git cannot read the repository at {here}: {message.removeprefix('fatal: ')}")


def _locate_bare(start: str, here: str) -> Located:
    """A bare repository (a server's): commits can be judged, there is no index or working tree."""
    done = run_git(here, ["rev-parse", "--path-format=absolute", "--absolute-git-dir", "--git-path", "objects"],
                   git_environment())
    lines = done.stdout.decode("utf-8", "surrogateescape").split("\n")
    if done.returncode != 0 or len(lines) < 2 or not lines[0] or not lines[1]:
        raise UsageError(f"git cannot read the bare repository at {start}")
    return Located(lines[0], lines[1], bare=True)


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
    return parse_lines(raw.decode("utf-8", "surrogateescape").split("\n"), 0, format, names)[0]


def parse_lines(lines: list[str], at: int, format: str, names: Sequence[str]) -> tuple[list[list[str]], int]:
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


def extension(name: str) -> str:
    """The lower-cased extension with its dot; "" when the name has none or is a dotfile like `.hidden`."""
    # called for every file of an audit, some twice: string searches from the end, no splitting
    dot = name.rfind(".")
    if dot <= 0:
        return ""
    tail = name[dot:]
    if "/" in tail or "\\" in tail:  # the last dot is in a folder's name
        return ""
    if name[dot - 1] not in "./\\":  # a stem ending in another character is a stem: most names stop here
        return tail.lower()
    start = max(name.rfind("/", 0, dot), name.rfind("\\", 0, dot)) + 1
    return tail.lower() if name[start:dot].strip(".") else ""  # `.hidden`, `..x`: a dotfile has none
