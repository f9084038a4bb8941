"""Read what a snapshot holds: manifests and timelines whole, media through bounded sources.

Media content comes from the Git LFS store when the blob is a pointer; a small blob is read
whole; a large one is read from the working-tree file when Git considers it unchanged from the
snapshot (it can be seeked), else its first MiB (metadata beyond that is GAI303, never clean).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Union

from .gitcmd import GitFailed, GitRepository, decode_paths
from .provenance import MAX_READ, BytesSource, FileSource
from .snapshot import Snapshot

LFS_POINTER_MAX = 1024
_LFS_SIGNATURE = b"version https://git-lfs.github.com/spec/v1"
_LFS_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.MULTILINE)
_PATHSPEC_MAX = 64
Source = Union[FileSource, BytesSource]


@dataclass(frozen=True)
class Unavailable:
    reason: str


def lfs_oid(head: bytes) -> str | None:
    """The sha256 of a Git LFS pointer, or None when `head` is not one."""
    if not head.startswith(_LFS_SIGNATURE) or len(head) > LFS_POINTER_MAX:
        return None
    found = _LFS_OID.search(head)
    return found.group(1).decode() if found else None


class ContentReader:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.repository: GitRepository = snapshot.repository
        self._lfs_dir: str | None = None

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

    # -- media ----------------------------------------------------------------------------------
    def media_sources(self, paths: list[str]) -> Iterator[tuple[str, Source | Unavailable]]:
        """Yield a bounded source for each path (callers close FileSources).

        Small blobs are read whole (an LFS pointer is resolved in the LFS store); a large blob
        comes from the working-tree file when Git considers it unchanged, else its first MiB.
        """
        blobs = self.snapshot.blobs(paths)
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
        clean = self._unchanged(large)
        for path in large:
            source = self._from_worktree(path) if path in clean else None
            if source is None:
                blob_id, size = blobs[path]  # type: ignore[misc]
                source = BytesSource(self.repository.read_prefix(blob_id, MAX_READ), size)
            yield path, source

    def _from_worktree(self, path: str) -> Source | None:
        try:
            return FileSource(os.path.join(self.repository.toplevel, *path.split("/")))
        except OSError:
            return None

    def _resolve_pointer(self, head: bytes) -> Source | Unavailable | None:
        oid = lfs_oid(head)
        if oid is None:
            return None
        stored = os.path.join(self._lfs_objects(), oid[:2], oid[2:4], oid)
        try:
            return FileSource(stored)
        except OSError:
            return Unavailable("its Git LFS object is not in the local store (run `git lfs pull`)")

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

    def _unchanged(self, paths: list[str]) -> set[str]:
        """Paths whose working-tree file Git considers unchanged from the snapshot."""
        if not paths:
            return set()
        changed: set[str] = set()
        base = (["diff-index", "-z", "--name-only", "--no-renames", self.snapshot.commit]
                if self.snapshot.commit else ["diff-files", "-z", "--name-only"])
        try:
            # git matches pathspecs entry by entry: many of them cost more than one pass over the tree
            specs = [":(literal)" + p for p in paths] if len(paths) <= _PATHSPEC_MAX else []
            changed.update(decode_paths(self.repository.run(*base, "--", *specs)))
        except GitFailed:
            return set()
        return {p for p in paths if p not in changed}
