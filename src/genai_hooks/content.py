"""Read what a snapshot holds: manifests and timelines whole, media through bounded sources.

Media content comes from the Git LFS store when the blob is a pointer; a small blob is read
whole; a large one is spooled from git's object store to a scratch file (it can then be seeked).
The working tree never supplies bytes (SPEC §13): `--assume-unchanged`, `--skip-worktree`, sparse
checkouts, racily clean, deleted or replaced files would all let it speak for the snapshot.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from .gitcmd import GitRepository
from .provenance import MAX_READ, BytesSource, FileSource, Inspection
from .snapshot import Snapshot

if TYPE_CHECKING:
    from .evidence_cache import EvidenceCache
    from .media_reads import Inspector

LFS_POINTER_MAX = 1024  # git-lfs's own limit: a larger blob is never a pointer
# The version URLs git-lfs accepts (pointer.go's v1Aliases): its own, Hawser's and git-media's.
_LFS_VERSIONS = frozenset({b"https://git-lfs.github.com/spec/v1", b"https://hawser.github.com/spec/v1",
                           b"http://git-media.io/v/2"})
_LFS_OID = re.compile(rb"sha256:([0-9a-f]{64})")
Source = Union[FileSource, BytesSource]


@dataclass(frozen=True)
class Unavailable:
    reason: str


@dataclass(frozen=True)
class LfsPointer:
    oid: str  # sha256 of the content, hex
    size: int  # the content's size in bytes

    def canonical_id(self, id_length: int) -> str:
        """The blob id of this pointer as git-lfs writes it (its one spelling), in the repository's object format."""
        text = b"version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n" % (self.oid.encode(), self.size)
        digest = hashlib.sha1() if id_length == 40 else hashlib.sha256()
        digest.update(b"blob %d\0" % len(text) + text)
        return digest.hexdigest()


def lfs_pointer(head: bytes) -> LfsPointer | None:
    """The Git LFS pointer `head` holds, recognised as git-lfs recognises one; None when it is none."""
    if len(head) > LFS_POINTER_MAX or not head.startswith(b"version "):
        return None
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    if lines[0][len(b"version "):].strip() not in _LFS_VERSIONS:
        return None
    fields: dict[bytes, bytes] = {}
    for line in lines[1:]:
        key, _, value = line.partition(b" ")
        if key:
            fields.setdefault(key, value.strip())
    oid = _LFS_OID.fullmatch(fields.get(b"oid", b""))
    size = fields.get(b"size", b"")
    if oid is None or not size.isdigit():
        return None
    return LfsPointer(oid.group(1).decode(), int(size))


def open_regular(path: str) -> FileSource | None:
    """A FileSource for `path` when it is a regular file; None for anything else.

    Opened without blocking and checked after opening: a FIFO or a device (or a symlink to
    one) planted where a file is expected is never read, and cannot make the check hang.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return FileSource(f"/dev/fd/{fd}" if os.path.isdir("/dev/fd") else path)
    except OSError:
        return None
    finally:
        os.close(fd)


class BlobReader:
    """Bounded sources for blobs of one repository: the Git LFS store for pointers, git's object store for the rest."""

    def __init__(self, repository: GitRepository, lfs_store: str | None = None) -> None:
        """`lfs_store`: a server's store of Git LFS objects, in place of the repository's own `lfs/objects`."""
        self.repository = repository
        self._lfs_dir: str | None = lfs_store
        self._server_store = lfs_store is not None

    @property
    def server_store(self) -> str | None:
        return self._lfs_dir if self._server_store else None

    def media_sources_of(self, blobs: Mapping[str, tuple[str, int] | None]
                         ) -> Iterator[tuple[str, Source | Unavailable]]:
        """Yield a bounded source for each path (callers close FileSources).

        Small blobs are read whole (an LFS pointer is resolved in the LFS store); a large blob is
        spooled from git's object store, never taken from the working tree.
        """
        small: dict[str, list[str]] = {}
        large: list[str] = []
        for path, blob in blobs.items():
            if blob is None:
                yield path, Unavailable("no blob for this path in the snapshot")
            elif blob[1] > MAX_READ:
                large.append(path)
            else:
                small.setdefault(blob[0], []).append(path)
        for blob_id, data, size in self.repository.read_objects(list(small), MAX_READ):
            for path in small[blob_id]:
                if data is None:
                    yield path, Unavailable("the blob is not in the local object store")
                else:
                    yield path, self._resolve_pointer(data) or BytesSource(data, size)
        for path in large:
            blob_id, size = blobs[path]  # type: ignore[misc]
            yield path, self._from_object_store(blob_id, size)

    def _from_object_store(self, blob_id: str, size: int) -> Source:
        """A large blob, seekable, its bytes from git's object store: never the working tree, which may be
        missing, replaced or edited (SPEC §13). It is spooled to an unnamed scratch file outside the repository;
        if that fails, its first MiB is read (and the readers say what lay beyond it was not seen)."""
        import tempfile  # here: most checks never meet a large blob outside Git LFS

        try:
            spool = tempfile.NamedTemporaryFile(prefix="genai-hooks-blob-", delete=False)  # noqa: SIM115
        except OSError:
            return BytesSource(self.repository.read_prefix(blob_id, MAX_READ), size)
        source: Source | None = None
        try:
            with spool:
                written = 0
                for chunk in self.repository.stream("cat-file", "blob", blob_id):
                    spool.write(chunk)
                    written += len(chunk)
            source = open_regular(spool.name) if written == size else None
        except OSError:
            source = None
        finally:
            os.unlink(spool.name)  # the open source keeps the bytes; nothing is left behind
        return source if source is not None else BytesSource(self.repository.read_prefix(blob_id, MAX_READ), size)

    def _resolve_pointer(self, head: bytes) -> Source | Unavailable | None:
        pointer = lfs_pointer(head)
        return None if pointer is None else self._stored(pointer)

    def _stored(self, pointer: LfsPointer) -> FileSource | Unavailable:
        """The object a Git LFS pointer names, from the local store (a regular file only)."""
        oid = pointer.oid
        folder = os.path.join(self._lfs_objects(), oid[:2], oid[2:4])
        stored = open_regular(os.path.join(folder, oid))
        if stored is None and self._server_store:  # GitLab and Gitea name the file by the rest of the id
            stored = open_regular(os.path.join(folder, oid[4:]))
        if stored is None and self._server_store:
            return Unavailable("its Git LFS object is not in the server's LFS store (push with git-lfs installed, "
                               "which uploads objects before the commits)")
        if stored is None:
            return Unavailable("its Git LFS object is not in the local store (run `git lfs pull`)")
        return stored

    def _lfs_objects(self) -> str:
        if self._lfs_dir is None:
            configured = self.repository.try_run("config", "--get", "lfs.storage")
            git_dir = self.repository.git_dir()
            if configured and configured.strip():
                base = os.path.join(self.repository.toplevel, configured.decode().strip())
            else:
                base = os.path.join(git_dir, "lfs")
            self._lfs_dir = os.path.join(base, "objects")
        return self._lfs_dir


class ContentReader(BlobReader):
    """What one snapshot holds, read: whole small files, bounded media, embedded provenance (cached, in parallel)."""

    def __init__(self, snapshot: Snapshot, lfs_store: str | None = None) -> None:
        super().__init__(snapshot.repository, lfs_store)
        self.snapshot = snapshot
        self.approvers: tuple[str, bytes] | None = None  # an allowed_signers file held outside the snapshot
        self.cache = False  # keep what readers found in blobs between runs (the evidence cache); set by the runner
        self.jobs = 1  # processes that may read media
        self._inspector: Inspector | None = None
        self._evidence: EvidenceCache | None = None
        self._evidence_opened = False

    def evidence_cache(self) -> EvidenceCache | None:
        """The evidence cache this run keeps, opened on first use (a run that reads no media or script never
        touches it); None when the run keeps none or it cannot be used."""
        if self.cache and not self._evidence_opened:
            from .evidence_cache import open_evidence_cache

            self._evidence_opened = True
            self._evidence = open_evidence_cache((self.repository.toplevel, self.repository.git_dir()))
        return self._evidence

    # -- whole small files ----------------------------------------------------------------------
    def read_whole(self, paths: Iterable[str], limit: int) -> dict[str, bytes | None]:
        """Blob contents by path (None when missing, not a blob, or over `limit` bytes)."""
        blobs = self.snapshot.blobs(list(paths))
        out: dict[str, bytes | None] = dict.fromkeys(blobs)
        small: dict[str, list[str]] = {}  # identical files share a blob: read it once, give it to each
        for path, blob in blobs.items():
            if blob is not None and blob[1] <= limit:
                small.setdefault(blob[0], []).append(path)
        for blob_id, data, _ in self.repository.read_objects(list(small), limit):
            for path in small[blob_id]:
                out[path] = data
        return out

    def read_resolved(self, paths: Iterable[str], limit: int) -> dict[str, bytes | Unavailable]:
        """Whole contents by path, a Git LFS pointer resolved in the local store (timelines are often LFS)."""
        out: dict[str, bytes | Unavailable] = {}
        for path, data in self.read_whole(paths, limit).items():
            pointer = lfs_pointer(data) if data is not None else None
            if data is None:
                out[path] = Unavailable(f"missing from the snapshot or larger than {limit >> 20} MiB")
            elif pointer is None:
                out[path] = data
            elif pointer.size > limit:
                out[path] = Unavailable(f"its Git LFS object is larger than {limit >> 20} MiB")
            else:
                stored = self._stored(pointer)
                if isinstance(stored, Unavailable):
                    out[path] = stored
                else:
                    with stored:
                        out[path] = stored.read(0, pointer.size)
        return out

    def unstaged(self, paths: Iterable[str], limit: int) -> list[str]:
        """Which of these small files of the index differ in the working tree (edited or deleted, not staged):
        hashed here, as git would hash them, with no filter or hook of the repository run."""
        if self.snapshot.commit is not None or self.repository.bare:
            return []
        found = []
        for path, blob in self.snapshot.blobs(list(paths)).items():
            if blob is None:
                continue
            local = os.path.join(self.repository.toplevel, *path.split("/"))
            source = open_regular(local)
            if source is None:
                found.append(path)
                continue
            with source:
                data = source.read(0, limit + 1) if source.size <= limit else None
            if data is None:
                continue  # too big to be read as a manifest either way
            digest = hashlib.sha1() if len(blob[0]) == 40 else hashlib.sha256()
            digest.update(b"blob %d\0" % len(data) + data)
            if digest.hexdigest() != blob[0]:
                found.append(path)
        return sorted(found)

    # -- media ----------------------------------------------------------------------------------
    def media_sources(self, paths: list[str]) -> Iterator[tuple[str, Source | Unavailable]]:
        """Yield a bounded source for each path of the snapshot (callers close FileSources)."""
        yield from self.media_sources_of(self.snapshot.blobs(paths))

    def inspect_media(self, requests: Mapping[str, tuple[str | None, str, tuple[str, ...]]]) -> dict[str, Inspection]:
        """The embedded provenance of each path, given as (its object id or None, its extension, the markers its
        reader is given): from the evidence cache, else from the content, in `jobs` processes when there is enough
        to read."""
        return self._media_inspector().inspect(requests)

    def inspect_media_many(self, chunks: Iterable[Mapping[str, tuple[str | None, str, tuple[str, ...]]]]
                           ) -> Iterator[dict[str, Inspection]]:
        """`inspect_media` of each chunk in turn, the reading processes a chunk ahead of the caller."""
        return self._media_inspector().inspect_many(chunks)

    def _media_inspector(self) -> Inspector:
        if self._inspector is None:
            from .media_reads import Inspector

            self._inspector = Inspector(self)
        return self._inspector

    def close(self) -> None:
        """End the reading processes and close the evidence cache."""
        if self._inspector is not None:
            self._inspector.close()
            self._inspector = None
        if self._evidence is not None:
            self._evidence.close()
            self._evidence = None
