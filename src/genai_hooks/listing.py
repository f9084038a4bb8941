"""A whole snapshot listed once: every path with its object id, in chunks, in little memory.

`git ls-files --stage -z` (the index) and `git ls-tree -r -z` (a commit) name each entry with
its mode and object id. A million-file repository lists ~100 MB: it is parsed a chunk at a time,
paths kept as strings and the ids packed into one string (40 or 64 characters each), so that
lineage (identical content) costs no second listing and no per-file git lookup.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

GITLINK = "160000"
SYMLINK = "120000"


@dataclass
class Listing:
    paths: list[str]  # sorted, each once; files and symlinks, never submodules
    ids: str  # the object id of paths[i] is ids[i * width:(i + 1) * width]
    width: int  # 40 (SHA-1) or 64 (SHA-256); 0 for an empty snapshot
    symlinks: frozenset[str] = field(default_factory=frozenset)
    gitlinks: frozenset[str] = field(default_factory=frozenset)  # submodule paths
    conflicted: frozenset[str] = field(default_factory=frozenset)  # unmerged in the index: no one blob

    def position(self, path: str) -> int | None:
        at = bisect.bisect_left(self.paths, path)
        return at if at < len(self.paths) and self.paths[at] == path else None

    def object_id(self, path: str) -> str | None:
        at = self.position(path)
        return None if at is None else self.ids[at * self.width:(at + 1) * self.width]


class _Collector:
    """Parses records as chunks arrive; a record is never split between two parses."""

    def __init__(self, tree: bool) -> None:
        self.tree = tree  # ls-tree records ("MODE TYPE ID\tPATH"), else ls-files ("MODE ID STAGE\tPATH")
        self.paths: list[str] = []
        self.id_parts: list[str] = []
        self.width = 0
        self.symlinks: set[str] = set()
        self.gitlinks: set[str] = set()
        self.conflicted: set[str] = set()
        self.ascii = True
        self._rest = b""

    def feed(self, chunk: bytes) -> None:
        data = self._rest + chunk
        end = data.rfind(b"\0")
        if end < 0:
            self._rest = data
            return
        self._rest = data[end + 1:]
        self._parse(data[:end].decode("utf-8", "surrogateescape"))

    def finish(self) -> Listing:
        if self._rest:
            self._parse(self._rest.decode("utf-8", "surrogateescape"))
            self._rest = b""
        paths, ids = self.paths, "".join(self.id_parts)
        if not self.ascii and paths != sorted(paths):  # git sorts bytes; undecodable bytes sort otherwise
            order = sorted(range(len(paths)), key=paths.__getitem__)
            w = self.width
            paths = [paths[i] for i in order]
            ids = "".join(ids[i * w:(i + 1) * w] for i in order)
        return Listing(paths, ids, self.width, frozenset(self.symlinks), frozenset(self.gitlinks),
                       frozenset(self.conflicted))

    def _parse(self, text: str) -> None:
        if not text:
            return
        if not self.width:
            start = text.index(" ", 7) + 1 if self.tree else 7
            self.width = text.index("\t" if self.tree else " ", start) - start
        w = self.width
        self.ascii = self.ascii and text.isascii()
        # Searched in the whole chunk (fast); a path that merely contains the pattern only costs the exact parse.
        special = any(text.startswith(mode) or "\0" + mode + " " in text for mode in (GITLINK, SYMLINK))
        records = text.split("\0")
        if not self.tree:  # every stage-0 record holds " 0\t" once; a conflict's stages do not
            special = special or text.count(" 0\t") != len(records)
        if special:
            self._parse_each(records)
            return
        id_at, path_at = (12, 13 + w) if self.tree else (7, 10 + w)  # "MODE blob ID\tPATH" / "MODE ID 0\tPATH"
        self.paths.extend([r[path_at:] for r in records])
        self.id_parts.append("".join([r[id_at:id_at + w] for r in records]))

    def _parse_each(self, records: Iterable[str]) -> None:
        """The slow, exact way, for chunks holding submodules, symlinks or conflicts."""
        kept_ids: list[str] = []
        for record in records:
            meta, _, path = record.partition("\t")
            fields = meta.split(" ")
            mode = fields[0]
            object_id = fields[2] if self.tree else fields[1]
            if mode == GITLINK:
                self.gitlinks.add(path)
                continue
            if not self.tree and fields[2] != "0":
                self.conflicted.add(path)
                if self.paths and self.paths[-1] == path:
                    continue  # the other stages of the same conflict
            if mode == SYMLINK:
                self.symlinks.add(path)
            self.paths.append(path)
            kept_ids.append(object_id)
        self.id_parts.append("".join(kept_ids))


def parse_listing(chunks: Iterable[bytes], *, tree: bool) -> Listing:
    collector = _Collector(tree)
    for chunk in chunks:
        collector.feed(chunk)
    return collector.finish()
