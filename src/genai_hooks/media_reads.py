"""Reading embedded provenance for the detector (SPEC §17): the evidence cache first, then the content — in worker
processes when there is enough of it to pay for their start. Rules never see which way an inspection came: the
cache holds only what a whole read found, and the processes run the same readers over the same bytes.
"""

from __future__ import annotations

import multiprocessing.util
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from . import provenance
from .content import BlobReader, ContentReader, Unavailable
from .evidence_cache import GROUP_CONTEXT, EvidenceCache, Key, encode, encode_group, key_groups
from .gitcmd import GitRepository
from .provenance import FileSource, Inspection

MAX_JOBS = 8
PARALLEL_MIN = 2_000  # contents to read before worker processes pay for their start (a hook's commit never does)
_BATCH = 512  # contents a worker reads per task: large enough to amortise the hand-over, small enough to balance
_SHARE_STEP = 0.05  # how far this process's share of reading moves after each chunk
_SAVE_EVERY = 65_536  # inspections kept for the evidence cache before they are written

Blob = tuple[str, int]  # blob id, size
Request = tuple[str, "str | None", tuple[str, ...]]  # path, its object id, the markers its reader is given
Read = tuple[str, Inspection, bool]  # path, what was found, whether it may be cached
_Answer = tuple["Inspection | None", bool]  # a worker's Read for the request at the same place; None: nothing found
Asked = tuple["str | None", str, tuple[str, ...]]  # a path's object id or None, its extension, its reader's markers
_Batch = tuple[list[Request], "Future[list[_Answer]] | None"]  # requests, and the worker reading them (None: here)
_NOTHING = Inspection((), None)


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system says), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_jobs() -> int:
    """`--jobs` when not given: the CPUs available, at most 8."""
    return min(MAX_JOBS, available_cpus())


def read_batch(reader: BlobReader, requests: Sequence[Request]) -> list[Read]:
    """Inspect each blob through bounded sources. Only what a whole read found without trouble may be cached: a
    prefix of a large blob, an absent LFS object or an I/O error may read otherwise next time."""
    markers = {path: found for path, _, found in requests}
    ids = sorted({blob_id for _, blob_id, _ in requests if blob_id is not None})
    kinds = reader.repository.objects(ids, ids) if ids else {}  # sizes, looked up where the reading happens
    blobs: dict[str, Blob | None] = {}
    for path, blob_id, _ in requests:
        kind = kinds.get(blob_id) if blob_id is not None else None
        blobs[path] = (kind[1], kind[2]) if kind is not None and kind[0] == "blob" else None
    out: list[Read] = []
    for path, source in reader.media_sources_of(blobs):
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


@dataclass
class _Pending:
    """A chunk taken, not yet answered: its cache keys and hits, the folders to summarise, what it found so far,
    and its batches (some in the workers' hands)."""

    keys: dict[str, Key]
    hits: dict[Key, Inspection]
    unsummed: dict[str, list[Key]]
    out: dict[str, Inspection]
    batches: list[_Batch]


class Inspector:
    """Inspections for one run's ContentReader: cached ones looked up in batches, the rest read and saved."""

    def __init__(self, content: ContentReader) -> None:
        self.content = content
        self._pool: ProcessPoolExecutor | None = None
        self.cache: EvidenceCache | None = content.evidence_cache()
        content.repository.keep_reader = True  # batch after batch through one `cat-file`; ended by close()
        self._share = 1 / max(1, content.jobs)  # of each chunk's batches, what this process reads (see _read)
        self._unsaved: dict[Key, str] = {}

    def inspect(self, requests: Mapping[str, Asked]) -> dict[str, Inspection]:
        """`requests`: path -> (its object id or None, its extension, the markers its reader is given)."""
        return self._finish(self._start(requests))

    def inspect_many(self, chunks: Iterable[Mapping[str, Asked]]) -> Iterator[dict[str, Inspection]]:
        """`inspect` of each chunk in turn, the workers a chunk ahead: while the caller works on what one chunk
        found, they read the next, which is taken (and looked up in the cache) before the first is answered."""
        pending: _Pending | None = None
        for requests in chunks:
            started = self._start(requests)
            if pending is not None:
                yield self._finish(pending)
            pending = started
        if pending is not None:
            yield self._finish(pending)

    def _start(self, requests: Mapping[str, Asked]) -> _Pending:
        # a reader's answer depends on the bytes, the extension (when the magic is unknown) and the markers
        keys: dict[str, Key] = {path: (blob_id, "\x1e".join((extension, *markers)))
                                for path, (blob_id, extension, markers) in requests.items() if blob_id is not None}
        cache = self.cache
        groups = key_groups(keys) if cache is not None else {}
        hits = cache.lookup_groups(groups) if cache is not None and groups else {}
        unsummed = {digest: members for digest, members in groups.items() if members[0] not in hits}
        if cache is not None:
            hits.update(cache.lookup([key for key in keys.values() if key not in hits]))
        out: dict[str, Inspection] = {}
        todo: list[Request] = []
        for path, (blob_id, _, markers) in requests.items():
            key = keys.get(path)
            if key is not None and key in hits:
                out[path] = hits[key]
            else:
                todo.append((path, blob_id, markers))
        return _Pending(keys, hits, unsummed, out, self._submit(todo))

    def _finish(self, pending: _Pending) -> dict[str, Inspection]:
        fresh: dict[Key, Inspection] = {}
        keys, hits, out = pending.keys, pending.hits, pending.out
        for path, inspection, cacheable in self._read(pending.batches):
            out[path] = inspection
            if cacheable and path in keys:
                fresh[keys[path]] = inspection
        cache = self.cache
        if cache is not None and (fresh or pending.unsummed):  # written in large sorted batches (inserted faster)
            encoded = cache.encoded(fresh)
            self._unsaved.update(encoded)
            for digest, members in pending.unsummed.items():  # a folder known whole: its summary, for the next run
                if all(key in encoded or key in hits for key in members):
                    self._unsaved[(digest, GROUP_CONTEXT)] = encode_group(
                        {key: encoded[key] if key in encoded else encode(hits[key]) for key in members})
            if len(self._unsaved) >= _SAVE_EVERY:
                self.save()
        return out

    def save(self) -> None:
        """Write what was read since the last save to the evidence cache (one transaction)."""
        if self.cache is not None and self._unsaved:
            self.cache.store_records(self._unsaved, self.cache.reader)
        self._unsaved = {}

    def _submit(self, todo: list[Request]) -> list[_Batch]:
        """`todo` in batches, the workers' handed to them now: this process reads a share too (N jobs are N - 1
        workers and this one), and any batch a worker could not be given."""
        jobs = self.content.jobs
        if jobs <= 1 or (len(todo) < PARALLEL_MIN and self._pool is None):
            return [(todo, None)] if todo else []
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=jobs - 1, initializer=_start_worker,
                                             initargs=(self.content.repository.toplevel, self.content.server_store))
        size = max(1, min(_BATCH, -(-len(todo) // (jobs * 8))))
        count = -(-len(todo) // size)
        own = round(self._share * count)  # this process's batches: the last ones (the workers start at the front)
        batches: list[_Batch] = []
        for index, start in enumerate(range(0, len(todo), size)):
            batch, future = todo[start:start + size], None
            if index < count - own:
                try:
                    future = self._pool.submit(_read_in_worker, batch)
                except RuntimeError:  # the pool broke (a worker died): this process reads the rest
                    pass
            batches.append((batch, future))
        return batches

    def _read(self, batches: list[_Batch]) -> Iterator[Read]:
        reads = {index: read_batch(self.content, batch) for index, (batch, future) in enumerate(batches)
                 if future is None}
        # The share this process reads of the next chunk follows who waited: the workers done first, it takes less
        # (it has the rest of the run to do as well); it left waiting, more. (A worker's batch is never taken
        # back with Future.cancel: before Python 3.12, a pool that breaks then fails on the cancelled future.)
        handed = [future for _, future in batches if future is not None]
        if handed:
            workers_first = all(future.done() for future in handed)
            self._share = min(0.9, max(0.0, self._share + (-_SHARE_STEP if workers_first else _SHARE_STEP)))
        for index, (batch, future) in enumerate(batches):
            if future is None:
                continue
            try:
                answers = future.result()
            except Exception:  # noqa: BLE001 — whatever stopped a worker, the same reading happens here
                answers = None
            if answers is None or len(answers) != len(batch):
                reads[index] = read_batch(self.content, batch)
            else:
                reads[index] = [(request[0], _NOTHING if found is None else found, cacheable)
                                for request, (found, cacheable) in zip(batch, answers)]
        for index in range(len(batches)):
            yield from reads[index]

    def close(self) -> None:
        self.save()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self.content.repository.keep_reader = False
        self.content.repository.close()


_worker_reader: BlobReader | None = None


def _start_worker(toplevel: str, lfs_store: str | None) -> None:
    global _worker_reader
    repository = GitRepository(toplevel)
    repository.keep_reader = True
    multiprocessing.util.Finalize(repository, repository.close, exitpriority=10)  # run as the worker ends
    _worker_reader = BlobReader(repository, lfs_store)


def _read_in_worker(requests: list[Request]) -> list[_Answer]:
    """What was found for each request, in order; most files hold nothing, sent back as None (less to pickle)."""
    if _worker_reader is None:
        raise RuntimeError("worker not started")
    found = {path: (inspection, cacheable) for path, inspection, cacheable in read_batch(_worker_reader, requests)}
    return [(None if found[path][0] == _NOTHING else found[path][0], found[path][1]) for path, _, _ in requests]
