"""AAF (Avid Media Composer turnovers) → clip references, through OpenTimelineIO's AAF adapter.

The bytes are checked as a compound file first (compound_file.py), then read in a child process
bounded in memory and time (aaf_process.py), where pyaaf2 opens them from memory, never from a
path. Before the adapter transcribes anything, the mobs are walked once:
composition and master mobs that reference each other in a loop, or whose references multiply
beyond MAX_AAF_OBJECTS objects (the adapter copies a referenced mob's track for every clip that
uses it), are refused. The adapter is then driven as its `read_from_file` drives it, minus the
read hooks and marker placement. It writes each source mob locator as a `file://` URL; the
locators are given back as Media Composer wrote them.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from typing import Any

import aaf2  # type: ignore[import-untyped]
import aaf2.cfb  # type: ignore[import-untyped]
import aaf2.components  # type: ignore[import-untyped]
import aaf2.core  # type: ignore[import-untyped]
import aaf2.file  # type: ignore[import-untyped]
import aaf2.metadict  # type: ignore[import-untyped]
import aaf2.mobs  # type: ignore[import-untyped]
import aaf2.properties  # type: ignore[import-untyped]
import opentimelineio as otio  # type: ignore[import-untyped]
from otio_aaf_adapter.adapters import advanced_authoring_format as adapter  # type: ignore[import-untyped]

from genai_hooks.editorial.aaf_process import read_in_child
from genai_hooks.editorial.clips import TimecodeStyle, clip_references
from genai_hooks.editorial.compound_file import check_compound_file
from genai_hooks.editorial.model import ClipReference, TimelineUnreadable, short_reason

MAX_AAF_OBJECTS = 200_000  # objects the adapter would visit, mob references followed: ~10,000 clips

_STRONG_REFERENCES = (aaf2.properties.StrongRefProperty, aaf2.properties.StrongRefVectorProperty,
                      aaf2.properties.StrongRefSetProperty)


def read_aaf(data: bytes, rate: float) -> tuple[ClipReference, ...]:
    """The clips of an AAF file; what the compound-file checks pass is read in a bounded child process."""
    check_compound_file(data)
    return read_in_child(data, rate)


def read_aaf_here(data: bytes, rate: float) -> tuple[ClipReference, ...]:
    """The clips of an AAF file, read in this process: what the child process runs."""
    check_compound_file(data)
    with _quiet():
        try:
            aaf_file = _AAFBytes(data)
            mobs = {mob.mob_id: mob for mob in aaf_file.content.mobs}
            _check_mob_references(mobs)
        except (TimelineUnreadable, RecursionError, MemoryError):
            raise
        except Exception as error:  # noqa: BLE001 — pyaaf2 raises what its parsing meets
            raise TimelineUnreadable("not a readable AAF file: " + reason(error)) from None
        try:
            document = _transcribe(aaf_file)
            originals = _locators_as_written(mobs.values())
        except (TimelineUnreadable, RecursionError, MemoryError):
            raise
        except Exception as error:  # noqa: BLE001
            raise TimelineUnreadable("not a readable AAF timeline: " + reason(error)) from None
    _restore_locators(document, originals)
    style = TimecodeStyle(rate=rate, drop_frame=None)
    return clip_references(document, style=style, source_file_comments=False)


def reason(error: BaseException) -> str:
    """pyaaf2's KeyError and IndexError messages are a bare key: say what they are."""
    text = short_reason(error)
    return text if any(character.isalpha() for character in text) else f"{type(error).__name__} {text}"


class _AAFBytes(aaf2.file.AAFFile):  # type: ignore[misc]
    """An AAF file read from memory: AAFFile opens only paths, so this is its read-only branch over bytes."""

    def __init__(self, data: bytes) -> None:
        self.mode = "rb"
        self.f = io.BufferedReader(io.BytesIO(data))  # CompoundFileBinary takes a bare BytesIO for a new file
        self.cfb = aaf2.cfb.CompoundFileBinary(self.f, self.mode)
        self.weakref_table: list[list[int]] = []
        self.manager = aaf2.file.AAFObjectManager(self)
        self.create = aaf2.file.AAFFactory(self)
        self.is_open = True
        self.read_reference_properties()
        self.metadict = aaf2.metadict.MetaDictionary(self)
        self.metadict.dir = self.cfb.find("/MetaDictionary-1")
        self.manager["/MetaDictionary-1"] = self.metadict
        self.root = self.manager.read_object("/")
        self.metadict.read_properties()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The adapter prints and pyaaf2 logs warnings about odd files; neither may reach the tool's output."""
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stdout(_Discard()):
            yield
    finally:
        logging.disable(previous)


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def _check_mob_references(mobs: dict[Any, Any]) -> None:
    """Refuse mobs whose references loop or multiply beyond MAX_AAF_OBJECTS objects."""
    sizes: dict[Any, int] = {}
    total = 0
    for mob in mobs.values():
        total += _expanded_size(mob, mobs, sizes)
        if total > MAX_AAF_OBJECTS:
            raise _too_large()


def _expanded_size(top: Any, mobs: dict[Any, Any], sizes: dict[Any, int]) -> int:
    """Objects in `top`, each referenced composition or master mob counted again wherever it is used."""
    on_path: set[Any] = set()
    contents: dict[Any, tuple[int, list[Any]]] = {}
    pending: list[tuple[Any, bool]] = [(top, False)]
    while pending:
        mob, references_done = pending.pop()
        if references_done:
            on_path.discard(mob.mob_id)
            own, referenced = contents.pop(mob.mob_id)
            size = own + sum(sizes[reference.mob_id] for reference in referenced)
            if size > MAX_AAF_OBJECTS:
                raise _too_large()
            sizes[mob.mob_id] = size
            continue
        if mob.mob_id in sizes:
            continue
        contents[mob.mob_id] = _objects_and_references(mob, mobs)
        on_path.add(mob.mob_id)
        pending.append((mob, True))
        for reference in contents[mob.mob_id][1]:
            if reference.mob_id in on_path:
                raise TimelineUnreadable("AAF mobs that reference each other in a loop; not read")
            if reference.mob_id not in sizes:
                pending.append((reference, False))
    return sizes[top.mob_id]


def _objects_and_references(mob: Any, mobs: dict[Any, Any]) -> tuple[int, list[Any]]:
    """How many objects the mob holds, and the composition and master mobs its source clips use."""
    count = 0
    referenced = []
    pending = [mob]
    while pending:
        item = pending.pop()
        count += 1
        if count > MAX_AAF_OBJECTS:
            raise _too_large()
        if isinstance(item, aaf2.components.SourceReference):
            target = mobs.get(item.mob_id)
            if isinstance(target, (aaf2.mobs.CompositionMob, aaf2.mobs.MasterMob)):
                referenced.append(target)
        for prop in item.properties():
            if isinstance(prop, aaf2.properties.StrongRefProperty):
                if prop.value is not None:
                    pending.append(prop.value)
            elif isinstance(prop, _STRONG_REFERENCES):
                pending.extend(prop.value)
    return count, referenced


def _too_large() -> TimelineUnreadable:
    return TimelineUnreadable(f"AAF whose mob references expand beyond {MAX_AAF_OBJECTS:,} objects; not read")


def _transcribe(aaf_file: Any) -> Any:
    """The adapter's `read_from_file`, from an open file: transcribe, fix transitions, simplify."""
    adapter._TRANSCRIBE_DEBUG = False
    adapter._BAKE_KEYFRAMED_PROPERTIES_VALUES = False  # would loop over every frame of a clip's length
    adapter._MOB_TIMELINE_CACHE = {}
    try:
        mobs = adapter._get_mobs_for_transcription(aaf_file.content)
        document = adapter._transcribe(mobs, parents=[], edit_rate=None)
        adapter._fix_transitions(document)
        return adapter._simplify(document)
    finally:
        adapter._MOB_TIMELINE_CACHE = {}


def _locators_as_written(mobs: Any) -> dict[str, list[str]]:
    """Each URL the adapter makes of a locator (or a master mob's "UNC Path" comment) → the originals."""
    originals: dict[str, list[str]] = {}
    for mob in mobs:
        written = []
        descriptor = mob.descriptor if isinstance(mob, aaf2.mobs.SourceMob) else None
        if descriptor is not None and "Locator" in descriptor:
            written = [locator["URLString"].value for locator in mob.descriptor["Locator"].value
                       if "URLString" in locator]
        elif isinstance(mob, aaf2.mobs.MasterMob):
            written = [value for name, value in _user_comments(mob) if name == "UNC Path"]
        for url in written:
            if isinstance(url, str) and url:
                originals.setdefault(adapter._transcribe_url(url), []).append(url)
    return originals


def _user_comments(mob: Any) -> list[tuple[str, Any]]:
    if "UserComments" not in mob:
        return []
    return [(str(comment.name), comment.value) for comment in mob["UserComments"].value]


def _restore_locators(document: Any, originals: dict[str, list[str]]) -> None:
    """Put back the locators as written in place of the adapter's URLs; several become several references."""
    for clip in document.find_clips() if not isinstance(document, otio.schema.Clip) else [document]:
        references = clip.media_references()
        extra = {}
        for key, reference in references.items():
            if not isinstance(reference, otio.schema.ExternalReference):
                continue
            written = list(dict.fromkeys(originals.get(str(reference.target_url), [])))
            if not written:
                continue
            reference.target_url = written[0]
            for index, url in enumerate(written[1:], 1):
                extra[f"{key}_as_written_{index}"] = otio.schema.ExternalReference(target_url=url)
        if extra:
            references.update(extra)
            clip.set_media_references(references, clip.active_media_reference_key)
