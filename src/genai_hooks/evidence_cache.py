"""The evidence cache (SPEC §17): what the provenance readers found in a blob, kept between runs.

What a reader finds is a function of the bytes it read, so an entry is keyed by the blob id (an LFS pointer's blob
names its object) and the reader version, and never goes stale. The cache lives under `$GENAI_HOOKS_CACHE`, else
`$XDG_CACHE_HOME/genai-hooks`, else `~/.cache/genai-hooks`, never inside the repository or `.git`. SQLite (the
standard library's) in WAL mode with a busy timeout lets runs share it. A cache that cannot be used — corrupt,
truncated, unreadable, read-only, full, locked, of another shape — is read past: the content is read instead, one
line on stderr says so, and the output is byte for byte what a run without the cache prints.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Callable

from . import __version__
from .findings import Evidence, Strength
from .provenance import Inspection

FILE_NAME = "evidence.sqlite3"
_EMPTY = Inspection((), None)
_SETUP_TRIES = 25  # about 6 s of waiting, in all, for another run creating the cache
_BUSY_MS = 5_000  # another run writing: wait this long, then go on without the cache's help
_BATCH = 500  # blob ids per lookup (SQLite allows 999 parameters in its oldest builds)
_SCHEMA = ("CREATE TABLE IF NOT EXISTS evidence (blob TEXT NOT NULL, reader TEXT NOT NULL, context TEXT NOT NULL, "
           "found TEXT NOT NULL, PRIMARY KEY (blob, reader, context)) WITHOUT ROWID")

Key = tuple[str, str]  # (blob id, context: the extension and the markers the reader was given)
GROUP_CONTEXT = "group"  # a folder's summary: never a reader's context, which is "" or starts with "." or "\x1e"
GROUP_MIN = 8  # contents in a folder before its summary is kept: a smaller one is looked up blob by blob


@functools.cache
def reader_version(readers: str = "provenance") -> str:
    """The package version and a digest of the readers' source (the package folder or module `readers`): a reader
    changed in any way is a new version."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    try:
        found = [package / readers] if readers.endswith(".py") else sorted((package / readers).glob("*.py"))
        for source in found + [package / "paths.py"]:
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    except OSError:  # installed without readable sources: the version alone says it
        return __version__
    return f"{__version__}+{digest.hexdigest()[:16]}"


def cache_directory(environ: Mapping[str, str]) -> str | None:
    """Where the cache lives, by the environment; None when no place is named (no home)."""
    named = environ.get("GENAI_HOOKS_CACHE", "")
    if named:
        return os.path.abspath(named)  # relative: to the current directory (inside the repository, it is refused)
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative path is invalid and ignored
        return os.path.join(xdg, "genai-hooks")
    home = os.path.expanduser("~")
    return os.path.join(home, ".cache", "genai-hooks") if home and home != "~" and os.path.isabs(home) else None


def _inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


class EvidenceCache:
    """Inspections by (blob id, context) for one reader version; every failure turns the cache off, never the run."""

    def __init__(self, connection: sqlite3.Connection, location: str, *, writable: bool,
                 warn: Callable[[str], None]) -> None:
        self._connection: sqlite3.Connection | None = connection
        self._location = location
        self._writable = writable
        self._warn = warn
        self._reader = reader_version()

    def lookup(self, keys: Iterable[Key]) -> dict[Key, Inspection]:
        """The inspections the cache holds for `keys`; an entry that does not read back whole is a miss."""
        found: dict[Key, Inspection] = {}
        for key, value in self.lookup_records(keys, self._reader).items():
            inspection = decode(value)
            if inspection is not None:
                found[key] = inspection
        return found

    def lookup_groups(self, groups: Mapping[str, Sequence[Key]]) -> dict[Key, Inspection]:
        """What the summaries of `groups` (digest -> its keys, see `key_groups`) hold for each of their keys: one
        row a folder rather than one a file. A summary that does not read back whole is a miss."""
        found: dict[Key, Inspection] = {}
        for (digest, _), value in self.lookup_records(((d, GROUP_CONTEXT) for d in groups), self._reader).items():
            members = decode_group(value, groups[digest])
            if members is not None:
                found.update(members)
        return found

    @property
    def reader(self) -> str:
        """The media readers' version, under which their inspections are kept."""
        return self._reader

    @staticmethod
    def encoded(entries: Mapping[Key, Inspection]) -> dict[Key, str]:
        return {key: encode(inspection) for key, inspection in entries.items()}

    def lookup_records(self, keys: Iterable[Key], reader: str) -> dict[Key, str]:
        """What `reader` (a reader version) recorded for `keys`, as it wrote it."""
        wanted = set(keys)
        blobs = sorted({blob for blob, _ in wanted})
        found: dict[Key, str] = {}
        for start in range(0, len(blobs), _BATCH):
            batch = blobs[start:start + _BATCH]
            rows = self._query("SELECT blob, context, found FROM evidence WHERE reader = ? AND blob IN "
                               f"({','.join('?' * len(batch))})", (reader, *batch))
            for blob, context, value in rows:
                key = (str(blob), str(context))
                if key in wanted and isinstance(value, str):
                    found[key] = value
        return found

    def store_records(self, entries: Mapping[Key, str], reader: str) -> None:
        if not entries or not self._writable or self._connection is None:
            return
        # in key order: appending to the B-tree is much cheaper than inserting at random places
        rows = sorted((blob, reader, context, found) for (blob, context), found in entries.items())
        try:
            with self._connection:
                self._connection.executemany("INSERT OR REPLACE INTO evidence VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as error:  # full, read-only, locked past the timeout: the run goes on without saving
            self._writable = False
            self._warn(f"evidence cache {self._location}: not saved ({error}); the next run reads the content again")

    def _query(self, sql: str, parameters: tuple[str, ...]) -> list[tuple[object, ...]]:
        if self._connection is None:
            return []
        try:
            return list(self._connection.execute(sql, parameters))
        except sqlite3.Error as error:
            self._give_up(error)
            return []

    def _give_up(self, error: BaseException) -> None:
        self._warn(f"evidence cache {self._location}: not used ({error}); reading the content instead")
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except sqlite3.Error:
                pass
            self._connection = None


def open_evidence_cache(repository_dirs: Iterable[str], environ: Mapping[str, str] | None = None,
                        warn: Callable[[str], None] | None = None) -> EvidenceCache | None:
    """The cache this run may use, or None (said on stderr when a cache was named but cannot be used)."""
    say = warn or _stderr
    directory = cache_directory(os.environ if environ is None else environ)
    if directory is None:
        return None
    try:
        real = os.path.realpath(directory)
        if os.path.dirname(real) == real:
            say(f"evidence cache {directory}: is the root of the file system; not used")
            return None
        for repository_dir in repository_dirs:
            if _inside(real, os.path.realpath(repository_dir)):
                say(f"evidence cache {directory}: is inside the repository; not used")
                return None
        if os.path.lexists(real) and not os.path.isdir(real):
            say(f"evidence cache {directory}: is not a directory; not used")
            return None
        os.makedirs(real, exist_ok=True)
        location = os.path.join(real, FILE_NAME)
        return _connect(location, say)
    except (OSError, ValueError) as error:
        say(f"evidence cache {directory}: not used ({getattr(error, 'strerror', None) or error})")
        return None


def _connect(location: str, warn: Callable[[str], None]) -> EvidenceCache | None:
    first: sqlite3.Error | None = None
    for attempt in range(_SETUP_TRIES):
        try:
            return _open_writable(location, warn)
        except sqlite3.OperationalError as error:
            first = error
            # two runs creating the cache at once: switching to WAL or creating the table is not covered by the
            # busy timeout everywhere; wait a little and try again rather than go on without the cache
            if "locked" not in str(error) and "busy" not in str(error):
                break
            time.sleep(0.02 * (attempt + 1))
        except sqlite3.Error as error:
            first = error
            break
    try:  # a cache this run may read but not write (a read-only directory or file)
        connection = sqlite3.connect(f"{Path(location).as_uri()}?mode=ro", uri=True, timeout=_BUSY_MS / 1000)
        connection.execute("SELECT blob, reader, context, found FROM evidence LIMIT 0")
        warn(f"evidence cache {location}: read-only ({first}); new findings are not saved")
        return EvidenceCache(connection, location, writable=False, warn=warn)
    except sqlite3.Error:
        warn(f"evidence cache {location}: not used ({first}); reading the content instead")
        return None


_NOTHING = "[[],null,[]]"  # what most files hold: written and read without json


def _open_writable(location: str, warn: Callable[[str], None]) -> EvidenceCache:
    connection = sqlite3.connect(location, timeout=_BUSY_MS / 1000, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute(_SCHEMA)
        connection.execute("SELECT blob, reader, context, found FROM evidence LIMIT 0")
    except sqlite3.Error:
        connection.close()
        raise
    connection.isolation_level = "DEFERRED"  # transactions for the writes, opened by `with connection`
    return EvidenceCache(connection, location, writable=True, warn=warn)


def encode(inspection: Inspection) -> str:
    if not inspection.evidence and inspection.uninspected is None and not inspection.training_not_permitted:
        return _NOTHING
    return json.dumps([[[e.kind, e.strength.value, e.detail] for e in inspection.evidence], inspection.uninspected,
                       [[e.kind, e.strength.value, e.detail] for e in inspection.training_not_permitted]],
                      separators=(",", ":"))


def decode(value: object) -> Inspection | None:
    """An entry as written by `encode`; None for anything else (a damaged or foreign entry is a miss)."""
    if value == _NOTHING:
        return _EMPTY
    try:
        evidence, uninspected, training = json.loads(str(value))
        if uninspected is not None and not isinstance(uninspected, str):
            return None
        return Inspection(_evidence(evidence), uninspected, _evidence(training))
    except (ValueError, TypeError):
        return None


def key_groups(keys: Mapping[str, Key]) -> dict[str, list[Key]]:
    """The keys of `keys` (path -> key) by the folder of their path, for folders of at least GROUP_MIN contents,
    each under a digest of its sorted keys: the same contents under the same markers have the same digest."""
    folders: dict[str, set[Key]] = {}
    for path, key in keys.items():
        folders.setdefault(path.rpartition("/")[0], set()).add(key)
    groups: dict[str, list[Key]] = {}
    for members in folders.values():
        if len(members) >= GROUP_MIN:
            ordered = sorted(members)
            groups[hashlib.sha256(json.dumps(ordered).encode()).hexdigest()] = ordered
    return groups


def encode_group(found: Mapping[Key, str]) -> str:
    """A folder's summary: the encoded inspections of its keys (`encode`), those that found nothing left out."""
    return json.dumps({f"{blob}\x1f{context}": value for (blob, context), value in sorted(found.items())
                       if value != _NOTHING}, separators=(",", ":"))


def decode_group(value: object, members: Sequence[Key]) -> dict[Key, Inspection] | None:
    """A summary as written by `encode_group` for `members`; None when damaged (the keys are looked up one by one)."""
    try:
        named = json.loads(str(value))
    except ValueError:
        return None
    if not isinstance(named, dict):
        return None
    found = dict.fromkeys(members, _EMPTY)
    for name, encoded in named.items():
        blob, _, context = str(name).partition("\x1f")
        inspection = decode(encoded) if isinstance(encoded, str) else None
        if (blob, context) not in found or inspection is None:
            return None
        found[(blob, context)] = inspection
    return found


def _evidence(items: object) -> tuple[Evidence, ...]:
    if not isinstance(items, list):
        raise TypeError("not a list")
    out = []
    for kind, strength, detail in items:
        if not isinstance(kind, str) or not isinstance(detail, str):
            raise TypeError("not text")
        out.append(Evidence(kind, Strength(strength), detail))
    return tuple(out)


def _stderr(message: str) -> None:
    sys.stderr.write(f"genai-hooks: {message}\n")
