"""C2PA manifest stores (JUMBF, ISO 19566-5): read, not validated (SPEC §6, §11).

The walker reads box headers and only the boxes that matter (claims, and the assertions
`c2pa_manifest` reads), so thumbnails in a large store cost nothing; what a manifest's claim
and assertions say is `c2pa_manifest`'s business. Brotli-compressed manifests, which the
standard library cannot open, are handed to c2pa-python when it is installed and the store
fits the read budget; otherwise the file is reported uninspected.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import json
from collections.abc import Iterator
from typing import Any

from genai_hooks.provenance import cbor
from genai_hooks.provenance.c2pa_manifest import Assertion, Manifest, assertion_kind, is_claim
from genai_hooks.provenance.evidence import EvidenceLog, decode_text
from genai_hooks.provenance.reader import ByteWindow, Corrupt, iso_boxes

_UUID_SUFFIX = bytes.fromhex("00110010800000aa00389b71")
_WALK_INTO = {b"c2pa", b"c2ma", b"c2um", b"c2as"}  # store, manifests, assertion store
_MANIFESTS = {b"c2ma", b"c2um"}
MAX_BOXES = 4096
MAX_DEPTH = 8


def looks_like_store(head: bytes) -> bool:
    """Whether bytes start a JUMBF superbox (the first 8 bytes of a manifest store)."""
    return len(head) >= 8 and head[4:8] == b"jumb"


def sniff_store(window: ByteWindow, log: EvidenceLog) -> None:
    """Record the GenAI digital source types of every manifest in a manifest store."""
    walker = _StoreWalker(window, log)
    try:
        walker.walk(0, window.size, 0, None)
    except Corrupt:
        walker.broken = True
    finally:  # what was found stands even when the rest of the store is out of reach
        log.c2pa_stores += walker.stores
        for manifest in walker.manifests:
            manifest.record(log)
    if walker.stores and (walker.compressed or walker.broken or not walker.manifests):
        _read_undecoded_store(window, log)


class _StoreWalker:
    def __init__(self, window: ByteWindow, log: EvidenceLog) -> None:
        self.window = window
        self.log = log
        self.manifests: list[Manifest] = []
        self.boxes = 0
        self.compressed = False
        self.broken = False
        self.stores = 0  # superboxes typed as a C2PA manifest store

    def boxes_in(self, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
        """(type, content start, end) of each box in [start, end), at most MAX_BOXES in a store."""
        for box in iso_boxes(self.window, start, end):
            self.boxes += 1
            if self.boxes > MAX_BOXES:
                raise Corrupt("too many JUMBF boxes")
            yield box

    def walk(self, start: int, end: int, depth: int, manifest: Manifest | None) -> None:
        if depth > MAX_DEPTH:
            raise Corrupt("JUMBF nested too deeply")
        for box_type, content, box_end in self.boxes_in(start, end):
            if box_type == b"jumb":
                self.superbox(content, box_end, depth, manifest)
            elif box_type == b"brob":
                self.compressed = True

    def superbox(self, start: int, end: int, depth: int, manifest: Manifest | None) -> None:
        boxes = self.boxes_in(start, end)
        first = next(boxes, None)
        if first is None or first[0] != b"jumd":
            return
        _, desc_start, desc_end = first
        description = self.window.read(desc_start, min(desc_end - desc_start, 512))
        content_type = description[:4] if description[4:16] == _UUID_SUFFIX else b""
        label = _label(description)
        if content_type in _WALK_INTO:
            if content_type == b"c2pa":
                self.stores += 1
            if content_type in _MANIFESTS:
                manifest = Manifest(label)
                self.manifests.append(manifest)
            self.walk(desc_end, end, depth + 1, manifest)
        elif manifest is not None and (content_type == b"c2cl" or is_claim(label)):
            raw = self.content(desc_end, end, label)
            manifest.take_claim(None if raw is None else _decode(*raw))
        elif manifest is not None:
            kind = assertion_kind(label)
            if kind is None:
                return
            raw = self.content(desc_end, end, label, needed=not kind.label_suffices)
            if raw is not None:
                manifest.take(kind, _decode(*raw), raw[1])
            elif kind.label_suffices:
                manifest.take(kind, None)

    def content(self, start: int, end: int, label: str, *, needed: bool = True) -> tuple[bytes, bytes] | None:
        """The (type, bytes) of a superbox's CBOR or JSON content box, if it fits the budget.

        Content too large to read leaves the file uninspected when it is `needed` to tell anything.
        """
        for box_type, content, box_end in self.boxes_in(start, end):
            if box_type in (b"cbor", b"json"):
                if not self.window.fits(box_end - content):
                    if needed:
                        self.log.not_inspected(f"C2PA {label} is larger than the read budget")
                    return None
                return box_type, self.window.read(content, box_end - content)
            if box_type == b"brob":
                self.compressed = True
        return None


def _label(description: bytes) -> str:
    """The label of a JUMBF description box (toggle bit 0x02: a NUL-terminated label follows)."""
    if len(description) < 17 or not description[16] & 0x02:
        return ""
    return decode_text(description[17:].split(b"\x00", 1)[0])


def _decode(box_type: bytes, raw: bytes) -> Any:
    try:
        return cbor.decode(raw) if box_type == b"cbor" else json.loads(raw.decode("utf-8"))
    except (cbor.CborError, ValueError, RecursionError):
        return None


def _read_undecoded_store(window: ByteWindow, log: EvidenceLog) -> None:
    """A store the walker could not open: ask c2pa-python, within the budget, else say so."""
    if window.size == 0:
        return
    if window.fits(window.size) and importlib.util.find_spec("c2pa") is not None:
        manifests = _manifests_with_c2pa(window.read(0, window.size))
        if manifests is not None:
            for manifest in manifests:
                manifest.record(log)
            return
    log.not_inspected("C2PA manifest store could not be decoded")


def read_store_with_c2pa(store: bytes) -> list[tuple[str, str | None]] | None:
    """(digitalSourceType, claim generator) pairs read by c2pa-python from the store bytes alone.

    Offline and unvalidated: no remote manifests, no OCSP, no verification after reading; the
    only input is the store already read. None when c2pa-python is absent or cannot read it.
    """
    manifests = _manifests_with_c2pa(store)
    if manifests is None:
        return None
    return [(value, manifest.generator) for manifest in manifests for value in manifest.source_types]


def _manifests_with_c2pa(store: bytes) -> list[Manifest] | None:
    report = _c2pa_report(store)
    manifests = report.get("manifests") if isinstance(report, dict) else None
    if not isinstance(manifests, dict):
        return None if report is None else []
    found: list[Manifest] = []
    for label, entry in manifests.items():
        if not isinstance(entry, dict):
            continue
        manifest = Manifest(str(label))
        manifest.take_claim(entry)
        for assertion in entry.get("assertions") or []:
            if not isinstance(assertion, dict):
                continue
            kind = assertion_kind(str(assertion.get("label", "")))
            if kind is not None:
                manifest.take(kind, assertion.get("data"))
        for ingredient in entry.get("ingredients") or []:  # the report lists them apart
            manifest.take(Assertion.INGREDIENT, ingredient)
        found.append(manifest)
    return found


def _c2pa_report(store: bytes) -> Any:
    """c2pa-python's JSON report of a store, offline and unverified; None when it cannot read it."""
    try:
        c2pa: Any = importlib.import_module("c2pa")
        settings = c2pa.Settings.from_dict(
            {
                "verify": {
                    "verify_after_reading": False,
                    "verify_trust": False,
                    "ocsp_fetch": False,
                    "remote_manifest_fetch": False,
                }
            }
        )
        with contextlib.ExitStack() as stack:  # one `with` per context: Python 3.9 syntax
            context = stack.enter_context(c2pa.Context(settings=settings))
            reader = stack.enter_context(c2pa.Reader("application/c2pa", io.BytesIO(store), None, context))
            return json.loads(reader.json())
    except Exception:  # noqa: BLE001 -- an optional native library: any failure means "not read"
        return None
