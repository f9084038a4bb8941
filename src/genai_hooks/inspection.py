"""`genai-hooks inspect PATH...`: every signal the readers of a run find in one file, as `c2patool FILE` shows.

The same readers as `run` (provenance/, models/, editorial/), fed from the same place: the snapshot's
content (an LFS pointer resolved in the local store) when the path is in the snapshot, else the file
on disk. Nothing is judged here: the signals are what the judge would see.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import editorial, provenance
from .chains import ManifestSet, directory_of
from .content import ContentReader, Unavailable, open_regular
from .detect import Detector
from .errors import UsageError
from .gitcmd import GitRepository
from .models import inspect_model
from .paths import manifest_candidates, repository_paths
from .provenance.reader import MediaSource
from .snapshot import Snapshot, open_snapshot

PROVENANCE, MODELS, EDITORIAL = "provenance", "models", "editorial"


@dataclass(frozen=True)
class Signal:
    reader: str  # "provenance (png)", "models (safetensors)", "editorial (edl)"
    field: str
    value: str
    strength: str | None  # strong | medium | weak for provenance evidence; None where strength means nothing


@dataclass
class Inspected:
    path: str  # as given
    source: str | None = None  # "index", "commit <sha>", "working tree"; None when the path is nowhere
    readers: list[str] = field(default_factory=list)  # the readers that looked
    signals: list[Signal] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # what could not be read, and why
    error: str | None = None  # why the path was not read at all

    @property
    def read(self) -> bool:
        return self.error is None


class _Repository:
    """The snapshot a path is looked up in, and the manifests whose tool markers the provenance reader uses."""

    def __init__(self, repository: GitRepository, rev: str | None, cwd: str) -> None:
        self.repository = repository
        self.snapshot: Snapshot = open_snapshot(repository, rev)
        self.content = ContentReader(self.snapshot)
        self.cwd = cwd
        self.label = "index" if self.snapshot.commit is None else f"commit {self.snapshot.commit[:12]}"

    def relative(self, given: str) -> str | None:
        try:
            [path] = repository_paths(self.repository.toplevel, [given], self.cwd)
        except UsageError:  # outside the repository: read from disk only
            return None
        return path or None

    def detector(self, paths: list[str]) -> Detector:
        manifests = ManifestSet.read(self.content, self.snapshot.existing(manifest_candidates(paths)))
        return Detector(self.snapshot, manifests, self.content, enabled=True)


def inspect_paths(given: Sequence[str], *, repo: str | None, rev: str | None, cwd: str) -> list[Inspected]:
    """What every reader finds in each path, in the order given."""
    place: _Repository | None = None
    try:
        place = _Repository(GitRepository(repo or cwd), rev, cwd)
    except UsageError:
        if repo is not None or rev is not None:
            raise  # asked for a repository: not finding it is the user's to fix
    relative = {g: place.relative(g) for g in given} if place is not None else {}
    in_snapshot: set[str] = set()
    detector: Detector | None = None
    if place is not None:
        wanted = [p for p in relative.values() if p is not None]
        in_snapshot = set(place.snapshot.existing(wanted))
        detector = place.detector(wanted)
    found: list[Inspected] = []
    for path in given:
        rel = relative.get(path)
        if place is not None and detector is not None and rel is not None and rel in in_snapshot:
            found.append(_from_snapshot(path, rel, place, detector))
        else:
            found.append(_from_disk(path, detector, rel))
    return found


def _from_snapshot(given: str, path: str, place: _Repository, detector: Detector) -> Inspected:
    done = Inspected(given, place.label)
    [(_, source)] = list(place.content.media_sources([path]))
    if isinstance(source, Unavailable):
        done.unread.append(f"content: {source.reason}")
    else:
        with _closing(source):
            _read_content(done, path, source, detector.markers(path))
    for sidecar in detector.sidecars_of([path]).get(path, []):
        [(_, side)] = list(place.content.media_sources([sidecar]))
        if not isinstance(side, Unavailable):
            with _closing(side):
                found = provenance.inspect(sidecar, side, markers=detector.markers(path))
            _provenance_signals(done, f"{PROVENANCE} (xmp sidecar {sidecar.rpartition('/')[2]})", found)
    if path.lower().endswith(editorial.TIMELINE_SUFFIXES):
        data = place.content.read_resolved([path], editorial.MAX_TIMELINE_BYTES)[path]
        if isinstance(data, Unavailable):
            done.readers.append(EDITORIAL)
            done.unread.append(f"timeline: {data.reason}")
        else:
            _read_timeline(done, path, data, detector.manifests)
    return done


def _from_disk(given: str, detector: Detector | None, rel: str | None) -> Inspected:
    try:
        status = os.stat(given)
    except OSError as error:
        where = "not in the snapshot and not on disk" if detector is not None else "not on disk"
        reason = "" if error.errno == 2 else f" ({error.strerror})"
        return Inspected(given, error=f"{where}{reason}")
    if stat.S_ISDIR(status.st_mode):
        return Inspected(given, "working tree", error="a directory: name the files in it")
    if not stat.S_ISREG(status.st_mode):
        return Inspected(given, "working tree", error="not a regular file (a FIFO, socket or device): not read")
    done = Inspected(given, "working tree" + (", not in the snapshot" if detector is not None else ""))
    name = rel if rel is not None else given.replace(os.sep, "/")
    markers = detector.markers(rel) if detector is not None and rel is not None else ()
    source = open_regular(given)
    if source is None:
        return Inspected(given, error="could not be opened as a regular file")
    with _closing(source):
        _read_content(done, name, source, markers)
    if name.lower().endswith(editorial.TIMELINE_SUFFIXES):
        if status.st_size > editorial.MAX_TIMELINE_BYTES:
            done.readers.append(EDITORIAL)
            done.unread.append(f"timeline: larger than {editorial.MAX_TIMELINE_BYTES >> 20} MiB, not read")
        else:
            with open(given, "rb") as stream:
                data = stream.read(editorial.MAX_TIMELINE_BYTES)
            _read_timeline(done, name, data, detector.manifests if detector is not None else None)
    return done


@contextmanager
def _closing(source: MediaSource) -> Iterator[MediaSource]:
    try:
        yield source
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()


def _read_content(done: Inspected, name: str, source: MediaSource, markers: Sequence[str]) -> None:
    """The provenance reader the content's magic bytes pick, and the model readers."""
    try:
        magic = source.read(0, 16)
    except OSError as error:
        done.unread.append(f"content: {error.strerror or error}")
        return
    reader = provenance.reader_name(name, magic)
    if reader is not None:
        _provenance_signals(done, f"{PROVENANCE} ({reader})", provenance.inspect(name, source, markers=markers))
    else:
        done.readers.append(f"{PROVENANCE} (no reader knows this format)")
    model = inspect_model(name, source)
    if model is None:
        done.readers.append(MODELS)
        return
    label = f"{MODELS} ({model.format.value})"
    done.readers.append(label)
    values = {detail.partition(": ")[2] for detail in model.details}
    for key, value in (("name", model.name), ("base model", model.base_model)):
        if value and value not in values:  # what the reader made of it, when no detail line says it already
            done.signals.append(Signal(label, key, value, None))
    for detail in model.details:
        key, colon, value = detail.partition(": ")
        done.signals.append(Signal(label, key if colon else "detail", value if colon else detail, None))
    if model.uninspected:
        done.unread.append(f"{label}: {model.uninspected}")


def _provenance_signals(done: Inspected, label: str, found: provenance.Inspection) -> None:
    done.readers.append(label)
    done.signals.extend(Signal(label, e.kind, e.detail, e.strength.value) for e in found.evidence)
    if found.uninspected:
        done.unread.append(f"{label}: {found.uninspected}")


def _read_timeline(done: Inspected, name: str, data: bytes, manifests: ManifestSet | None) -> None:
    rates = manifests.editorial(directory_of(name))[1] if manifests is not None else []
    label = f"{EDITORIAL} ({name.rpartition('.')[2].lower()})"
    done.readers.append(label)
    try:
        clips = editorial.read_timeline(name, data, rate=rates[0] if rates else 24.0)
    except editorial.TimelineUnreadable as error:
        done.unread.append(f"{label}: {error}")
        return
    for clip in clips or ():
        shown = ", ".join(clip.targets[:2]) + (f" … ({len(clip.targets)} references)" if len(clip.targets) > 2
                                               else "")
        done.signals.append(Signal(label, f"clip '{clip.clip}' at {clip.record_in}", shown or "(no media)", None))
