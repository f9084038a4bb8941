"""Where Git runs: GitPython's command layer, `-z` plumbing, no writes, no lock taking.

(paths.py also starts one lookup, before this module and GitPython are imported.)
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from typing import IO, Any, cast

import git

from .errors import UsageError
from .paths import GIT_ENV, PARTIAL_CLONE_CONFIG, encode_path, is_partial_clone, parse_batch_check

MINIMUM_GIT = (2, 38)
PARTIAL_CLONE_ADVICE = ("this partial clone lacks file contents genai-hooks must read, and genai-hooks never downloads "
                        "during a check: check out what is judged first (`git checkout` fetches its contents), or "
                        "use a clone without --filter (actions/checkout: no `filter` input)")
# GIT_NO_LAZY_FETCH arrived with the May 2024 security releases: 2.39.4, 2.40.2 ... 2.44.1, and 2.45.1
_NO_LAZY_FETCH_SINCE = {(2, 39): 4, (2, 40): 2, (2, 41): 1, (2, 42): 2, (2, 43): 4, (2, 44): 1, (2, 45): 1}


def _stops_lazy_fetch(version: tuple[int, ...]) -> bool:
    if version[:2] >= (2, 46):
        return True
    patch = _NO_LAZY_FETCH_SINCE.get((version[0], version[1]))
    return patch is not None and (version[2] if len(version) > 2 else 0) >= patch


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))


def decode_paths(raw: bytes) -> list[str]:
    """NUL-separated git output -> paths (non-UTF-8 bytes survive as surrogates)."""
    text = raw.decode("utf-8", "surrogateescape")
    parts = text.split("\0")
    if parts and parts[-1] == "":
        parts.pop()
    return parts


class GitRepository:
    def __init__(self, start: str) -> None:
        if not os.path.isdir(start):
            raise UsageError(f"{start}: no such directory")
        try:
            self.repo = git.Repo(start, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise UsageError(f"{os.path.abspath(start)} is not inside a Git repository; "
                             "run genai-hooks in a checkout, or pass --repo DIR") from None
        if self.repo.bare or self.repo.working_tree_dir is None:
            raise UsageError(f"{start} is a bare repository; run genai-hooks in a checkout")
        self.toplevel = str(self.repo.working_tree_dir)
        self.git = self.repo.git
        self.git.update_environment(**GIT_ENV)  # GitPython's persistent cat-file processes too
        version = self.git.version_info
        if version < MINIMUM_GIT:
            raise UsageError(f"genai-hooks needs Git {_dotted(MINIMUM_GIT)} or newer (for `cat-file -z`, "
                             f"which reads file names with newlines); this is Git {_dotted(version)}")
        self.partial = False  # run() consults it: set before the first command
        self.partial = is_partial_clone(self.try_run(*PARTIAL_CLONE_CONFIG) or b"")
        if self.partial and not _stops_lazy_fetch(version):
            raise UsageError(f"this is a partial clone, and Git {_dotted(version)} would download missing file "
                             "contents while checking; genai-hooks never uses the network during a check. Use Git "
                             "2.45.1 or newer (or 2.39.4+, 2.40.2+, ... 2.44.1+), or a clone without --filter")

    def _failed(self, args: Sequence[str], error: git.GitCommandError) -> Exception:
        failure = GitFailed(args, error)
        if self.partial and "lazy fetching disabled" in failure.stderr:
            return UsageError(PARTIAL_CLONE_ADVICE)
        return failure

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        """Run `git ARGS` at the top level and return stdout as bytes; GitFailed on a non-zero exit."""
        try:
            if stdin is not None:
                return self._run_with_input(args, stdin)
            out = self.git.execute(["git", *args], stdout_as_string=False, strip_newline_in_stdout=False, env=GIT_ENV)
            return out  # type: ignore[no-any-return,unused-ignore]
        except git.GitCommandError as error:
            raise self._failed(args, error) from None

    def _run_with_input(self, args: Sequence[str], stdin: bytes) -> bytes:
        done = subprocess.run(["git", *args], input=stdin, cwd=self.toplevel, capture_output=True,
                              env={**os.environ, **GIT_ENV}, check=False)
        if done.returncode != 0:
            raise git.GitCommandError(["git", *args], done.returncode, done.stderr)
        return done.stdout

    def try_run(self, *args: str) -> bytes | None:
        try:
            return self.run(*args)
        except GitFailed:
            return None

    def git_dir(self) -> str:
        common = self.run("rev-parse", "--git-common-dir").decode().strip()
        return os.path.normpath(os.path.join(self.toplevel, common))

    # -- object reading: GitPython's persistent `cat-file --batch` (blob ids only: no path quoting) ------
    def read_objects(self, blob_ids: Iterable[str], limit: int) -> Iterable[tuple[str, bytes | None, int]]:
        """Yield (blob id, content or None when missing, size); content is cut to its first `limit` bytes.

        Callers send only objects they know to be small (`object_sizes`): the rest of a large
        object would have to be drained through the pipe.
        """
        for blob_id in blob_ids:
            try:
                _, _, size, stream = self.git.stream_object_data(blob_id)
            except ValueError:  # "missing"
                yield blob_id, None, 0
                continue
            data = stream.read(min(size, limit))
            del stream  # GitPython drains what was not read
            yield blob_id, data, size

    def object_ids(self, names: Sequence[str], keys: Sequence[str]) -> dict[str, str | None]:
        """Object id for names like `:path` or `sha:path`, by key; None when missing (or a gitlink).

        Asking for the id alone spares git reading each object's header: in a pre-commit check
        of thousands of freshly staged (loose) files that halves git's time.
        """
        found: dict[str, str | None] = dict.fromkeys(keys)
        for key, fields in zip(keys, self._batch_check("%(objectname)", names)):
            found[key] = fields[0] if fields else None
        return found

    def objects(self, names: Sequence[str], keys: Sequence[str]) -> dict[str, tuple[str, str, int] | None]:
        """(type, id, size) for object names (ids, `:path`, `sha:path`), by key; None when missing."""
        found: dict[str, tuple[str, str, int] | None] = dict.fromkeys(keys)
        for key, fields in zip(keys, self._batch_check("%(objecttype) %(objectname) %(objectsize)", names)):
            if len(fields) == 3 and fields[0] in ("blob", "tree", "commit") and fields[2].isdigit():
                found[key] = (fields[0], fields[1], int(fields[2]))
        return found

    def _batch_check(self, format: str, names: Sequence[str]) -> list[list[str]]:
        """One `cat-file --batch-check` over `names`: the fields of each found object, [] for missing."""
        if not names:
            return []
        raw = self.run("cat-file", f"--batch-check={format}", "-z", "--buffer",
                       stdin=b"".join(encode_path(n) + b"\0" for n in names))
        return parse_batch_check(raw, format, names)

    def read_prefix(self, name: str, limit: int) -> bytes:
        """The first `limit` bytes of a large object, without reading the rest."""
        process = self.git.execute(["git", "cat-file", "blob", name], as_process=True, env=GIT_ENV)
        raw = cast(Any, process).proc
        try:
            return _read_exact(raw.stdout, limit)
        finally:
            raw.kill()
            raw.wait()

    def close(self) -> None:
        self.git.clear_cache()  # ends the persistent cat-file processes


def _read_exact(stream: IO[bytes], size: int) -> bytes:
    chunks = []
    while size > 0:
        chunk = stream.read(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


class GitFailed(Exception):
    def __init__(self, args: Sequence[str], error: git.GitCommandError) -> None:
        stderr = error.stderr if isinstance(error.stderr, str) else str(error.stderr)
        message = stderr.strip().replace("stderr: ", "").strip("'").strip()
        super().__init__(f"git {' '.join(args[:2])}: {message.splitlines()[0] if message else 'failed'}")
        self.stderr = message
