"""A whole snapshot listed once: every path with its object id, in chunks, in little memory.

`git ls-files --stage -z` (the index) and `git ls-tree -r -z` (a commit) name each entry with
its mode and object id. A million-file repository lists ~100 MB: it is parsed a chunk at a time,
paths kept as strings and what precedes each path (mode, id) packed into one string of fixed-width
records, so that lineage (identical content) costs no second listing and no per-file git lookup, and
parsing costs two C-level splits per chunk rather than Python work per file.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

GITLINK = "160000"
SYMLINK = "120000"


@dataclass
class Listing:
    paths: list[str]  # sorted, each once; files and symlinks, never submodules
    records: str  # paths[i]'s record is records[i * stride:(i + 1) * stride]; its object id starts at `offset`
    width: int  # 40 (SHA-1) or 64 (SHA-256); 0 for an empty snapshot
    stride: int = 0
    offset: int = 0
    symlinks: frozenset[str] = field(default_factory=frozenset)
    gitlinks: frozenset[str] = field(default_factory=frozenset)  # submodule paths
    conflicted: frozenset[str] = field(default_factory=frozenset)  # unmerged in the index: no one blob
    ascii: bool = False  # every path is ASCII: a pattern key (NFC) of a path is the path
    _tails: frozenset[str] | None = field(default=None, repr=False)

    def tails(self) -> frozenset[str]:
        """What follows the last dot of the paths, as written, each once (a path without a dot gives itself).

        One pass that keeps nothing but the few distinct tails: a question about a kind of file (an extension,
        `genai.toml`) that no path has then costs nothing, and one that some have costs one C-level scan
        (`ending_in`) instead of a million names lowered or split in Python.
        """
        if self._tails is None:
            self._tails = frozenset({p[p.rfind(".") + 1:] for p in self.paths})
        return self._tails

    def ending_in(self, tails: Iterable[str]) -> list[str]:
        """The paths whose tail (see `tails`) is one of `tails`, sorted."""
        endings = tuple(f".{t}" for t in tails if "/" not in t)  # a slash: the dot was a directory's
        return [p for p in self.paths if p.endswith(endings)] if endings else []

    def position(self, path: str) -> int | None:
        at = bisect.bisect_left(self.paths, path)
        return at if at < len(self.paths) and self.paths[at] == path else None

    def id_at(self, position: int) -> str:
        start = position * self.stride + self.offset
        return self.records[start:start + self.width]

    def object_id(self, path: str) -> str | None:
        at = self.position(path)
        return None if at is None else self.id_at(at)

    def holding(self, object_ids: Collection[str]) -> list[int]:
        """The positions of the files whose object id is one of `object_ids`, in order."""
        if len(object_ids) > _SEARCHED_IDS_MAX:  # one pass over the records, each id sliced where it lies
            records, width = self.records, self.width
            wanted = object_ids if isinstance(object_ids, (set, frozenset, dict)) else set(object_ids)
            return [i for i, at in enumerate(range(self.offset, len(self.paths) * self.stride, self.stride))
                    if records[at:at + width] in wanted]
        found: list[int] = []
        for object_id in object_ids:  # searched in C: a few ids cost a few scans, not a million slices
            at = self.records.find(object_id)
            while at >= 0:
                if (at - self.offset) % self.stride == 0:
                    found.append((at - self.offset) // self.stride)
                at = self.records.find(object_id, at + 1)
        return sorted(found)

    def under(self, anchors: Iterable[str], key: Callable[[str], str]) -> list[str]:
        """The paths at or below the anchors (folder or file paths given as keys: `key` of each component, as a
        pattern index compares them), sorted. Walks down the sorted paths a folder at a time, jumping over each
        folder whose key is not the anchor's: the cost follows the folders on the way, not the files below."""
        paths = self.paths
        found: set[str] = set()
        for anchor in set(anchors):
            if not anchor:
                return list(paths)
            prefixes = [""]
            parts = anchor.split("/")
            for depth, part in enumerate(parts):
                last = depth == len(parts) - 1
                deeper: list[str] = []
                for prefix in prefixes:
                    at, end = _below(paths, prefix[:-1]) if prefix else (0, len(paths))
                    while at < end:
                        rest = paths[at][len(prefix):]
                        slash = rest.find("/")
                        if slash < 0:  # a file in this folder: the anchor itself, when it names a file
                            if last and key(rest) == part:
                                found.add(paths[at])
                            at += 1
                            continue
                        folder = prefix + rest[:slash]
                        if key(rest[:slash]) == part:
                            deeper.append(folder + "/")
                        at = bisect.bisect_left(paths, folder + "0", at, end)  # "0" sorts right after "/"
                prefixes = deeper
            for prefix in prefixes:
                found.update(paths[slice(*_below(paths, prefix[:-1]))])
        return sorted(found)


_SEARCHED_IDS_MAX = 32


def at_or_below(paths: list[str], folders: Iterable[str]) -> list[str] | None:
    """The paths (sorted, compared as written) at or below any of `folders`, sorted; None when a folder is the
    root (every path). Two bisections a folder: the cost follows the folders, not the paths."""
    found: list[str] = []
    taken: set[str] = set()
    for folder in sorted(set(folders)):
        if not folder:
            return None
        slash = folder.find("/")
        while slash >= 0 and folder[:slash] not in taken:  # "a-b" sorts between "a" and "a/b": every ancestor asked
            slash = folder.find("/", slash + 1)
        if slash >= 0:
            continue  # below a folder taken already
        taken.add(folder)
        at = bisect.bisect_left(paths, folder)
        if at < len(paths) and paths[at] == folder:
            found.append(folder)
        found.extend(paths[slice(*_below(paths, folder))])
    return sorted(found)


def holds_below(paths: list[str], folder: str) -> bool:
    """Whether any of the sorted `paths` lies below `folder` ("" = the root)."""
    start, end = _below(paths, folder) if folder else (0, len(paths))
    return start < end


def _below(paths: list[str], folder: str) -> tuple[int, int]:
    """Where the sorted `paths` below `folder` (not "") lie: "0" sorts right after "/"."""
    return bisect.bisect_left(paths, folder + "/"), bisect.bisect_left(paths, folder + "0")


class _Collector:
    """Parses records as chunks arrive; a record is never split between two parses."""

    def __init__(self, tree: bool) -> None:
        self.tree = tree  # ls-tree records ("MODE blob ID\tPATH"), else ls-files ("MODE ID STAGE\tPATH")
        self.paths: list[str] = []
        self.record_parts: list[str] = []  # "MODE blob ID" / "MODE ID 0", one fixed width
        self.width = 0
        self.symlinks: set[str] = set()
        self.gitlinks: set[str] = set()
        self.conflicted: set[str] = set()
        self.ascii = True
        self._rest = b""

    @property
    def _layout(self) -> tuple[int, int]:
        """(stride, offset of the id) of the records kept."""
        return (12 + self.width, 12) if self.tree else (9 + self.width, 7)

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
        paths, records = self.paths, "".join(self.record_parts)
        stride, offset = self._layout
        if not self.ascii and paths != sorted(paths):  # git sorts bytes; undecodable bytes sort otherwise
            order = sorted(range(len(paths)), key=paths.__getitem__)
            paths = [paths[i] for i in order]
            records = "".join(records[i * stride:(i + 1) * stride] for i in order)
        return Listing(paths, records, self.width, stride, offset, frozenset(self.symlinks),
                       frozenset(self.gitlinks), frozenset(self.conflicted), self.ascii)

    def _parse(self, text: str) -> None:
        if not text:
            return
        if not self.width:
            start = text.index(" ", 7) + 1 if self.tree else 7
            self.width = text.index("\t" if self.tree else " ", start) - start
        self.ascii = self.ascii and text.isascii()
        records = text.count("\0") + 1
        fields = text.replace("\t", "\0").split("\0")  # record, path, record, path...
        stride, _ = self._layout
        kept = "".join(fields[0::2])
        # Checked on the joined records, in C: no tab in a path (it would add a field), one width, every mode a
        # regular file's (10xxxx: no symlink, no submodule), every stage 0 (no conflict).
        if (len(fields) != 2 * records or len(kept) != stride * records or kept[1::stride].count("0") != records
                or (not self.tree and kept[stride - 1::stride].count("0") != records)):
            self._parse_each(text.split("\0"))
            return
        self.paths.extend(fields[1::2])
        self.record_parts.append(kept)

    def _parse_each(self, records: Iterable[str]) -> None:
        """The slow, exact way, for chunks holding submodules, symlinks, conflicts or tabs in paths."""
        kept: list[str] = []
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
            kept.append(f"{mode} blob {object_id}" if self.tree else f"{mode} {object_id} 0")
        self.record_parts.append("".join(kept))


def parse_listing(chunks: Iterable[bytes], *, tree: bool) -> Listing:
    collector = _Collector(tree)
    for chunk in chunks:
        collector.feed(chunk)
    return collector.finish()


def holders_in(chunks: Iterable[bytes], *, tree: bool, object_ids: Collection[str]) -> dict[str, list[str]]:
    """The paths of a raw listing, as it streams (`ls-files --stage -z`, or `ls-tree -r -z` with `tree`), holding
    each of these object ids, sorted; files and links only (no submodule, no conflicted stage). Only the ids are
    sliced: the paths of the few records that match are the only ones decoded, and a chunk at a time is held."""
    wanted = {i.encode() for i in object_ids}
    width = len(next(iter(wanted))) if wanted else 0
    start, stage = (12, 0) if tree else (7, 8 + width)  # "MODE blob ID\tPATH" / "MODE ID STAGE\tPATH"
    found: dict[str, list[str]] = {}
    rest = b""
    for chunk in chunks:
        records = (rest + chunk).split(b"\0")
        rest = records.pop()  # the record the next chunk ends (b"" after a whole one)
        if not wanted:
            continue
        for record in records:
            if record[start:start + width] in wanted and not record.startswith(GITLINK.encode()) and (
                    not stage or record[stage:stage + 1] == b"0"):
                path = record[record.index(b"\t") + 1:].decode("utf-8", "surrogateescape")
                found.setdefault(record[start:start + width].decode(), []).append(path)
    return {i: sorted(paths) for i, paths in found.items()}
