"""Where Git runs: `-z` plumbing run directly, no writes, no lock taking.

GitPython is not imported: `git rev-parse` (paths.locate) says where the repository is, GitPython's object parser
knows SHA-1 ids only, and its import cost every commit 60 ms. (paths.py also starts one lookup, before this module.)
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
from collections.abc import Generator, Iterable, Iterator, Sequence
from typing import IO

from .errors import UsageError
from .paths import (
    PARTIAL_CLONE_CONFIG,
    encode_path,
    git_environment,
    is_partial_clone,
    locate,
    parse_batch_check,
)
from .spawn import run_git, start_git

MINIMUM_GIT = (2, 38)
_OBJECT_ID_TEXT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
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
        located = locate(start)  # git's own answer (rev-parse): the work tree's top, or a bare repository
        self.bare = located.bare
        # git runs here: the work tree's top, or a bare repository's own directory (no file is read from it)
        self.toplevel = located.toplevel
        self.env = git_environment(located.objects)
        self.partial = False  # run() consults it: set before the first command
        self._commands: subprocess.Popen[bytes] | None = None  # a `cat-file --batch-command`, kept for the run
        self._commands_busy = False
        self.keep_reader = False  # whoever sets it closes the repository when done (see read_objects)
        version = self._version()
        if version < MINIMUM_GIT:
            raise UsageError(f"genai-hooks needs Git {_dotted(MINIMUM_GIT)} or newer (for `cat-file -z`, "
                             f"which reads file names with newlines); this is Git {_dotted(version)}")
        self.partial = is_partial_clone(self.try_run(*PARTIAL_CLONE_CONFIG) or b"")
        if self.partial and not _stops_lazy_fetch(version):
            raise UsageError(f"this is a partial clone, and Git {_dotted(version)} would download missing file "
                             "contents while checking; genai-hooks never uses the network during a check. Use Git "
                             "2.45.1 or newer (or 2.39.4+, 2.40.2+, ... 2.44.1+), or a clone without --filter")

    def _version(self) -> tuple[int, ...]:
        """Git's version: the leading numbers of `git version`'s third word (as GitPython reads it)."""
        words = self.run("version").decode("utf-8", "replace").split()
        numbers = re.findall(r"\d+", words[2].partition("-")[0] if len(words) > 2 else "")
        return tuple(int(n) for n in numbers[:3]) or (0,)

    def _failed(self, args: Sequence[str], stderr: bytes) -> Exception:
        failure = GitFailed(args, stderr)
        if self.partial and "lazy fetching disabled" in failure.stderr:
            return UsageError(PARTIAL_CLONE_ADVICE)
        return failure

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        """Run `git ARGS` at the top level and return stdout as bytes; GitFailed on a non-zero exit."""
        done = run_git(self.toplevel, args, self.env, stdin=stdin)
        if done.returncode != 0:
            raise self._failed(args, done.stderr)
        return done.stdout

    def stream(self, *args: str, chunk: int = 1 << 20) -> Iterator[bytes]:
        """`git ARGS`' stdout in chunks as it comes (a million-file listing never sits whole in memory).

        A thread reads while the caller parses, so git never waits on a full pipe: the listing
        costs the slower of git and the parser, not both.
        """
        process = start_git(self.toplevel, args, self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
        assert process.stdout is not None and process.stderr is not None
        stdout, stderr = process.stdout, process.stderr
        _widen_pipe(stdout.fileno())
        chunks: queue.Queue[bytes] = queue.Queue(maxsize=32)  # at most ~32 MB ahead of the parser
        errors: list[bytes] = []

        def read() -> None:
            try:
                while True:
                    data = stdout.read(chunk)
                    chunks.put(data)
                    if not data:
                        return
            except (OSError, ValueError):  # closed under us: the caller stopped early
                chunks.put(b"")

        readers = [threading.Thread(target=read, daemon=True),
                   threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True)]
        for reader in readers:
            reader.start()
        try:
            while True:
                data = chunks.get()
                if not data:
                    break
                yield data
        finally:
            if process.poll() is None and readers[0].is_alive():
                process.kill()  # stopped early: do not wait for git to finish a listing nobody reads
            while readers[0].is_alive():
                try:
                    chunks.get(timeout=0.1)
                except queue.Empty:
                    pass
            code = process.wait()
            for reader in readers:
                reader.join()
            stdout.close()
            stderr.close()
        if code != 0:
            raise self._failed(args, b"".join(errors))

    def try_run(self, *args: str) -> bytes | None:
        try:
            return self.run(*args)
        except GitFailed:
            return None

    def git_dir(self) -> str:
        common = self.run("rev-parse", "--git-common-dir").decode().strip()
        return os.path.normpath(os.path.join(self.toplevel, common))

    # -- object reading: one `cat-file --batch-command` kept for the run (starting git costs ~2.5 ms: an audit
    # reading 100,000 blobs in batches of 512 spent a second of CPU starting it), else one `cat-file --batch`
    def read_objects(self, blob_ids: Iterable[str], limit: int) -> Iterator[tuple[str, bytes | None, int]]:
        """Yield (blob id, content or None when missing, size); content is cut to its first `limit` bytes.

        Callers send only objects they know to be small (`object_sizes`): every byte asked for
        comes through the pipe.
        """
        wanted = list(blob_ids)
        if not wanted:
            return
        kept = self._kept_reader_free() and all(_OBJECT_ID_TEXT.fullmatch(i) for i in wanted)
        answers = self._ask("contents", wanted) if kept else self._batch_once(wanted)
        try:
            for blob_id, fields, content in answers:
                yield (blob_id, None, 0) if content is None else (blob_id, content[:limit], int(fields[2]))
        finally:
            answers.close()

    def _batch_once(self, ids: list[str]) -> Generator[tuple[str, list[str], bytes | None], None, None]:
        """`_answers` of a `cat-file --batch` started for these ids alone (ended when they are read or left)."""
        process = start_git(self.toplevel, ["cat-file", "--batch", "--buffer"], self.env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert process.stdin is not None and process.stdout is not None
        stdin, stdout = process.stdin, process.stdout

        def write() -> None:
            try:
                stdin.write("".join(f"{i}\n" for i in ids).encode())
                stdin.close()
            except OSError:  # git stopped: the reader sees the end of its output
                pass

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        try:
            yield from _answers(stdout, ids, contents=True)
        finally:
            if process.poll() is None:
                process.kill()
            writer.join()
            stdout.close()
            process.wait()

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
        if names and self._kept_reader_free() and all(_OBJECT_ID_TEXT.fullmatch(n) for n in names):
            answers = [[header[1], header[0], header[2]] if header else [] for _, header, _ in
                       self._ask("info", list(names))]
        else:
            answers = self._batch_check("%(objecttype) %(objectname) %(objectsize)", names)
        for key, fields in zip(keys, answers):
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
        process = start_git(self.toplevel, ["cat-file", "blob", name], self.env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert process.stdout is not None
        try:
            return _read_exact(process.stdout, limit)
        finally:
            process.kill()
            process.wait()
            process.stdout.close()

    def _kept_reader_free(self) -> bool:
        return self.keep_reader and not self._commands_busy

    def _ask(self, verb: str, ids: list[str]) -> Generator[tuple[str, list[str], bytes | None], None, None]:
        """`_answers` to `info` or `contents` of each object id through the kept `cat-file --batch-command`.
        Answers left unread (the caller stopped) end the process: the next call starts another."""
        if self._commands is None or self._commands.poll() is not None:
            self._commands = start_git(self.toplevel, ["cat-file", "--batch-command", "--buffer"], self.env,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        process = self._commands
        assert process.stdin is not None and process.stdout is not None
        stdin, stdout = process.stdin, process.stdout

        def write() -> None:
            try:
                stdin.write("".join(f"{verb} {i}\n" for i in ids).encode() + b"flush\n")
                stdin.flush()
            except (OSError, ValueError):  # git stopped, or the process was ended: the reader sees no answer
                pass

        self._commands_busy = True
        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answered = 0
        try:
            for answer in _answers(stdout, ids, contents=verb == "contents"):
                answered += 1
                yield answer
        finally:
            if answered < len(ids):
                self.close()
            writer.join()
            self._commands_busy = False

    def close(self) -> None:
        """End the kept `cat-file` (killed, not asked: a worker process forked from this one holds its pipe too)."""
        process, self._commands = self._commands, None
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass


def _answers(stdout: IO[bytes], ids: Sequence[str], *, contents: bool) -> Iterator[tuple[str, list[str], bytes | None]]:
    """`cat-file`'s answer to each id, in order: (id, the header's fields `<id> <type> <size>`, the content when
    `contents`, else b""); a missing object (or git gone) gives [] and None."""
    for object_id in ids:
        header = stdout.readline().decode("ascii", "replace").split()
        if len(header) != 3 or not header[2].isdigit():  # "<id> missing", or git died
            yield object_id, [], None
            continue
        data = b""
        if contents:
            data = _read_exact(stdout, int(header[2]))
            stdout.read(1)  # the newline after the content
        yield object_id, header, data


def _read_exact(stream: IO[bytes], size: int) -> bytes:
    chunks = []
    while size > 0:
        chunk = stream.read(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


class GitFailed(UsageError):
    """A git command failed; uncaught, it is an environment error (exit 2) naming git's reason."""
    def __init__(self, args: Sequence[str], stderr: bytes) -> None:
        message = stderr.decode("utf-8", "replace").strip()
        super().__init__(f"git {' '.join(args[:2])}: {message.splitlines()[0] if message else 'failed'}")
        self.stderr = message


_SET_PIPE_SIZE = 1031  # fcntl.F_SETPIPE_SZ (Linux; named in Python 3.10+)


def _widen_pipe(descriptor: int) -> None:
    """Let git write up to 1 MiB ahead (Linux's default pipe holds 64 KiB): while the parser holds the GIL for a
    chunk, git keeps listing instead of waiting on a full pipe. Elsewhere, or refused, the pipe stays as it is."""
    try:
        import fcntl

        fcntl.fcntl(descriptor, _SET_PIPE_SIZE, 1 << 20)
    except (ImportError, OSError):
        pass
