"""Identity through Git LFS pointers (SPEC §13): two pointers naming one object are one content, in whatever
spelling git-lfs accepts (CRLF line ends, `ext-` lines, an older version URL), on either side.

A pointer written as git-lfs writes it has one blob id, so git's listing finds its holders; a pointer spelled
otherwise is found only by reading it. These are the facts lineage.py asks for: what a blob points to (kept in the
evidence cache by blob id), and every declared file of the snapshot (to read those pointers when a pointer in a
deliverable or archival path names an object that no file holds in git-lfs's spelling).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from .chains import ManifestSet
from .content import LFS_POINTER_MAX, ContentReader, LfsPointer, lfs_pointer
from .manifest import GeneratedEntry
from .paths import is_manifest
from .snapshot import Snapshot

_OID = re.compile(r"[0-9a-f]{64}")
_SUMMARY = "lfs-respelled"  # a folder's summary: its blobs that are pointers spelled otherwise, and their objects


def pointers_of(content: ContentReader, paths: list[str]) -> dict[str, LfsPointer | None]:
    """Each path's Git LFS pointer, or None: from the evidence cache, else read (and kept when the blob was read)."""
    cache = content.evidence_cache()
    version = ""
    keys: dict[str, tuple[str, str]] = {}
    known: dict[tuple[str, str], str] = {}
    if cache is not None:
        from .evidence_cache import reader_version  # here: a run keeping no cache never imports SQLite

        version = reader_version("content.py")
        keys = {p: (i, "lfs-pointer") for p, i in content.snapshot.object_ids(paths).items() if i is not None}
        known = cache.lookup_records(keys.values(), version) if keys else {}
    found: dict[str, LfsPointer | None] = {}
    for path, key in keys.items():
        record = known.get(key)
        oid, _, size = (record or "").partition(" ")
        if record == "":  # kept as no pointer
            found[path] = None
        elif _OID.fullmatch(oid) and size.isdigit():  # anything else does not read back whole: read again
            found[path] = LfsPointer(oid, int(size))
    todo = [p for p in paths if p not in found]
    fresh: dict[tuple[str, str], str] = {}
    blobs = content.snapshot.blobs(todo) if todo and cache is not None else {}  # sizes say what may be kept
    for path, data in content.read_whole(todo, LFS_POINTER_MAX).items() if todo else ():
        pointer = lfs_pointer(data) if data is not None else None
        found[path] = pointer
        blob = blobs.get(path)
        if blob is not None and (data is not None or blob[1] > LFS_POINTER_MAX):  # read, or too large to be one
            fresh[(blob[0], "lfs-pointer")] = f"{pointer.oid} {pointer.size}" if pointer is not None else ""
    if cache is not None and fresh:
        cache.store_records(fresh, version)
    return found


def declared_anywhere(snapshot: Snapshot, every: ManifestSet) -> dict[str, GeneratedEntry]:
    """Every file of the snapshot a `[[generated]]` entry declares (path -> the winning entry, sorted by path),
    as an audit's policy pass finds them. Only files at or below a pattern's literal prefix can be declared: an
    unlisted snapshot lists those folders alone when git can match them as written (ASCII)."""
    generated = every.generated
    prefixes = generated.prefixes()
    if not prefixes:
        return {}
    if "" in prefixes or generated.ignore_case or not all(p.isascii() for p in prefixes):
        paths = snapshot.listing.under(prefixes, generated.key)
    else:  # ASCII: a path is its own key
        paths = snapshot.at_or_below(prefixes)
    declared: dict[str, GeneratedEntry] = {}
    for path in paths:
        entry = None if is_manifest(path) else every.winning_entry(path)
        if entry is not None:
            declared[path] = entry
    return declared


def respelled_objects(content: ContentReader, paths: Iterable[str]) -> dict[str, str]:
    """LFS oid -> the first of `paths` (sorted) whose pointer names it in a spelling other than git-lfs's own (a
    pointer in git-lfs's spelling is found by its blob id instead). The evidence cache keeps one summary a folder
    of eight or more files (its blobs so spelled, usually none): a show's declared files cost a row a folder, and
    a folder with one file changed is read blob by blob (each blob once across runs)."""
    ids = {p: i for p, i in content.snapshot.object_ids(sorted(paths)).items() if i is not None}
    cache = content.evidence_cache()
    groups: dict[str, list[tuple[str, str]]] = {}
    odd: dict[str, str] = {}  # blob id -> the object its pointer, spelled otherwise, names
    known: set[str] = set()  # blob ids whose answer a summary gave
    version = ""
    if cache is not None:
        from .evidence_cache import key_groups, reader_version  # here: a run without a cache never imports it

        version = reader_version("content.py")
        groups = key_groups({p: (i, _SUMMARY) for p, i in ids.items()})
        for (digest, _), value in cache.lookup_records(((d, _SUMMARY) for d in groups), version).items():
            members = {blob for blob, _ in groups[digest]}
            summary = _summary(value, members)
            if summary is not None:
                known.update(members)
                odd.update(summary)
    rest = [p for p, i in ids.items() if i not in known]
    for path, pointer in pointers_of(content, rest).items() if rest else ():
        object_id = ids[path]
        if pointer is not None and pointer.canonical_id(len(object_id)) != object_id:
            odd[object_id] = pointer.oid
    if cache is not None:
        fresh = {(digest, _SUMMARY): json.dumps({b: odd[b] for b, _ in members if b in odd}, sort_keys=True)
                 for digest, members in groups.items() if members[0][0] not in known}
        cache.store_records(fresh, version)
    found: dict[str, str] = {}
    for path, object_id in ids.items():
        oid = odd.get(object_id)
        if oid is not None:
            found.setdefault(oid, path)
    return found


def _summary(value: str, members: set[str]) -> dict[str, str] | None:
    """A folder's summary as written for `members`; None when damaged (its blobs are then looked up one by one)."""
    try:
        named = json.loads(value)
    except ValueError:
        return None
    if not isinstance(named, dict) or not all(
            b in members and isinstance(o, str) and _OID.fullmatch(o) for b, o in named.items()):
        return None
    return named
