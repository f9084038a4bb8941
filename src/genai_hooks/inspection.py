"""Reading embedded provenance for the detector (SPEC §17): the evidence cache first, then the content. Rules never
see which way an inspection came: the cache holds only what a whole read found.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from . import provenance
from .content import BlobReader, ContentReader, Unavailable
from .evidence_cache import EvidenceCache, Key, open_evidence_cache
from .provenance import FileSource, Inspection

Blob = tuple[str, int]  # blob id, size
Request = tuple[str, "Blob | None", tuple[str, ...]]  # path, its blob, the markers its reader is given
Read = tuple[str, Inspection, bool]  # path, what was found, whether it may be cached


def read_batch(reader: BlobReader, requests: Sequence[Request]) -> list[Read]:
    """Inspect each blob through bounded sources. Only what a whole read found without trouble may be cached: a
    prefix of a large blob, an absent LFS object or an I/O error may read otherwise next time."""
    markers = {path: found for path, _, found in requests}
    out: list[Read] = []
    for path, source in reader.media_sources_of({path: blob for path, blob, _ in requests}):
        if isinstance(source, Unavailable):
            out.append((path, Inspection((), source.reason), False))
            continue
        try:
            inspection = provenance.inspect(path, source, markers=markers[path])
            out.append((path, inspection, source.available >= source.size and inspection.uninspected is None))
        finally:
            if isinstance(source, FileSource):
                source.close()
    return out


def _key(path: str, blob: Blob, markers: tuple[str, ...]) -> Key:
    """A reader's answer depends on the bytes, the name's extension (when the magic is unknown) and the markers."""
    return blob[0], "\x1e".join((provenance.extension(path), *markers))


class Inspector:
    """Inspections for one run's ContentReader: cached ones looked up in batches, the rest read and saved."""

    def __init__(self, content: ContentReader) -> None:
        self.content = content
        self.cache: EvidenceCache | None = None
        if content.cache:  # opened on the first inspection: a run that reads no media never touches it
            repository = content.repository
            self.cache = open_evidence_cache((repository.toplevel, repository.git_dir()))

    def inspect(self, requests: Mapping[str, tuple[str, ...]]) -> dict[str, Inspection]:
        blobs = self.content.snapshot.blobs(list(requests))
        keys = {path: _key(path, blob, requests[path]) for path in requests
                for blob in (blobs.get(path),) if blob is not None}
        cache = self.cache
        hits = cache.lookup(keys.values()) if cache is not None and keys else {}
        out: dict[str, Inspection] = {}
        todo: list[Request] = []
        for path, markers in requests.items():
            key = keys.get(path)
            if key is not None and key in hits:
                out[path] = hits[key]
            else:
                todo.append((path, blobs.get(path), markers))
        fresh: dict[Key, Inspection] = {}
        for path, inspection, cacheable in self._read(todo):
            out[path] = inspection
            if cacheable and path in keys:
                fresh[keys[path]] = inspection
        if cache is not None:
            cache.store(fresh)
        return out

    def _read(self, todo: list[Request]) -> Iterator[Read]:
        yield from read_batch(self.content, todo)

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
            self.cache = None
