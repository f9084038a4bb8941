"""Read what a snapshot holds: manifests and timelines whole, media through bounded sources.

Media content comes from, in order: the Git LFS store when the blob is a pointer; the
working-tree file when Git considers it unchanged from the snapshot (it can be seeked); the blob.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Dict, Iterable, Iterator, List, Optional, Set, Tuple, Union

from .gitcmd import GitFailed, GitRepository, decode_paths, encode_path
from .provenance import MAX_READ, BytesSource, FileSource
from .snapshot import Snapshot

LFS_POINTER_MAX = 1024
_LFS_SIGNATURE = b"version https://git-lfs.github.com/spec/v1"
_LFS_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.M)
_PATHSPEC_CHUNK = 500
Source = Union[FileSource, BytesSource]


@dataclass(frozen=True)
class Unavailable:
    reason: str


def lfs_oid(head: bytes) -> Optional[str]:
    """The sha256 of a Git LFS pointer, or None when `head` is not one."""
    if not head.startswith(_LFS_SIGNATURE) or len(head) > LFS_POINTER_MAX:
        return None
    found = _LFS_OID.search(head)
    return found.group(1).decode() if found else None


class ContentReader:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.repository: GitRepository = snapshot.repository
        self._clean: Optional[Set[str]] = None
        self._lfs_dir: Optional[str] = None

    # -- whole small files ----------------------------------------------------------------------
    def read_whole(self, paths: Iterable[str], limit: int) -> Dict[str, Optional[bytes]]:
        """Blob contents by path (None when over `limit` bytes or unreadable)."""
        wanted = [p for p in paths if p in self.snapshot.blob_ids]
        sizes = self.repository.object_sizes([self.snapshot.blob_ids[p] for p in wanted])
        small = [p for p in wanted if (sizes.get(self.snapshot.blob_ids[p]) or 0) <= limit]
        out: Dict[str, Optional[bytes]] = {p: None for p in wanted}
        by_id = {self.snapshot.blob_ids[p]: p for p in small}
        for name, data, _ in self.repository.read_objects(list(by_id), limit):
            out[by_id[name]] = data
        return out

    # -- media ----------------------------------------------------------------------------------
    def media_sources(self, paths: List[str]) -> Iterator[Tuple[str, Union[Source, Unavailable]]]:
        """Yield a bounded source for each path (callers close FileSources)."""
        clean = self._unchanged(paths)
        from_blob: List[str] = []
        for path in paths:
            if path in clean:
                source = self._from_worktree(path)
                if source is not None:
                    yield path, source
                    continue
            from_blob.append(path)
        if not from_blob:
            return
        ids = [self.snapshot.blob_ids[p] for p in from_blob if p in self.snapshot.blob_ids]
        sizes = self.repository.object_sizes(ids)
        small = {self.snapshot.blob_ids[p]: p for p in from_blob
                 if p in self.snapshot.blob_ids and (sizes.get(self.snapshot.blob_ids[p]) or 0) <= MAX_READ}
        for blob_id, data, size in self.repository.read_objects(list(small), MAX_READ):
            path = small[blob_id]
            if data is None:
                yield path, Unavailable("the blob is not in the local object store")
            else:
                yield path, self._resolve_pointer(data) or BytesSource(data, size)
        for path in from_blob:
            blob_id = self.snapshot.blob_ids.get(path)
            if blob_id is None:
                yield path, Unavailable("no content in the snapshot")
            elif blob_id not in small:
                size = sizes.get(blob_id)
                if size is None:
                    yield path, Unavailable("the blob is not in the local object store")
                else:
                    yield path, BytesSource(self.repository.read_prefix(blob_id, MAX_READ), size)

    def _from_worktree(self, path: str) -> Optional[Source]:
        full = os.path.join(self.repository.toplevel, *path.split("/"))
        try:
            if os.path.getsize(full) <= LFS_POINTER_MAX:
                with open(full, "rb") as handle:
                    head = handle.read(LFS_POINTER_MAX + 1)
                pointer = self._resolve_pointer(head)
                if pointer is not None:
                    return pointer
            return FileSource(full)
        except OSError:
            return None

    def _resolve_pointer(self, head: bytes) -> Optional[Union[Source, Unavailable]]:  # type: ignore[return]
        oid = lfs_oid(head)
        if oid is None:
            return None
        stored = os.path.join(self._lfs_objects(), oid[:2], oid[2:4], oid)
        try:
            return FileSource(stored)
        except OSError:
            return Unavailable(f"Git LFS object {oid[:12]} is not in the local store (run `git lfs pull`)")

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

    def _unchanged(self, paths: List[str]) -> Set[str]:
        """Paths whose working-tree file Git considers unchanged from the snapshot."""
        if not paths:
            return set()
        changed: Set[str] = set()
        base = (["diff-index", "-z", "--name-only", "--no-renames", self.snapshot.commit]
                if self.snapshot.commit else ["diff-files", "-z", "--name-only"])
        try:
            if len(paths) > 20 * _PATHSPEC_CHUNK:
                changed.update(decode_paths(self.repository.run(*base, "--")))
            else:
                for start in range(0, len(paths), _PATHSPEC_CHUNK):
                    chunk = paths[start:start + _PATHSPEC_CHUNK]
                    specs = [":(literal)" + p for p in chunk]
                    changed.update(decode_paths(self.repository.run(*base, "--", *specs)))
        except GitFailed:
            return set()
        return {p for p in paths if p not in changed}


__all__ = ["ContentReader", "Unavailable", "lfs_oid", "encode_path"]
