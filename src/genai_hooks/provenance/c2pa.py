"""C2PA manifest stores (JUMBF, ISO 19566-5): read, not validated (SPEC §6, §11).

The walker reads box headers and only the boxes that matter (claims, `c2pa.actions*` and
`com.adobe.generative-ai` assertions), so thumbnails and ingredients in a large store cost
nothing. A digital source type is strong evidence; a claim generator or action software agent
naming a generative product, or Adobe's generative-AI assertion, is medium. Brotli-compressed
manifests, which the standard library cannot open, are handed to c2pa-python when it is
installed and the store fits the read budget; otherwise the file is reported uninspected.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from genai_hooks.findings import Strength
from genai_hooks.provenance import cbor
from genai_hooks.provenance.evidence import EvidenceLog, decode_text, genai_source_type, generative_product
from genai_hooks.provenance.reader import ByteWindow, Corrupt, iso_boxes

C2PA_KIND = "c2pa"
GENERATOR_KIND = "c2pa-generator"
GENERATIVE_AI_KIND = "c2pa-generative-ai"
GENERATIVE_AI_LABEL = "com.adobe.generative-ai"
_UUID_SUFFIX = bytes.fromhex("00110010800000aa00389b71")
_WALK_INTO = {b"c2pa", b"c2ma", b"c2um", b"c2as"}  # store, manifests, assertion store
_MANIFESTS = {b"c2ma", b"c2um"}
_ACTIONS_LABEL = re.compile(r"c2pa\.actions(?:\.v\d+)?(?:__\d+)?")
_CLAIM_LABEL = re.compile(r"c2pa\.claim(?:\.v\d+)?")
_GENERATIVE_AI_LABEL = re.compile(re.escape(GENERATIVE_AI_LABEL) + r"(?:__\d+)?")
_SOURCE_TYPE_URI = re.compile(
    rb"https?://cv\.iptc\.org/newscodes/digitalsourcetype/(?:compositeWithT|t)rainedAlgorithmicMedia"
)
MAX_BOXES = 4096
MAX_DEPTH = 8
_MAX_NAMES = 64  # generator and agent names kept per manifest


@dataclass
class _Manifest:
    label: str
    source_types: list[str] = field(default_factory=list)
    generator: str | None = None  # shown beside a digital source type
    generator_names: list[str] = field(default_factory=list)  # every claim generator named
    agents: list[str] = field(default_factory=list)  # actions' softwareAgent names
    generative_ai: list[str] = field(default_factory=list)  # com.adobe.generative-ai descriptions

    def take_claim(self, claim: Any) -> None:
        if isinstance(claim, dict):
            self.generator = _claim_generator(claim)
            self.generator_names.extend(_generator_names(claim))

    def take_actions(self, box_type: bytes, raw: bytes) -> None:
        source_types, agents = _actions(box_type, raw)
        self.source_types.extend(source_types)
        self.agents.extend(agents)  # at most _MAX_NAMES: `_actions` stops there

    def take_generative_ai(self, assertion: Any) -> None:
        described = ""
        if isinstance(assertion, dict):
            parts = [assertion.get(key) for key in ("description", "version")]
            described = " ".join(part for part in parts if isinstance(part, str) and part.strip())
        self.generative_ai.append(described)

    def record(self, log: EvidenceLog) -> None:
        """Strong evidence when a digital source type says so; else what names a generative product."""
        context = f"claim generator: {self.generator}" if self.generator else ""
        strong = [log.source_type(C2PA_KIND, value, context) for value in self.source_types]
        if any(strong):
            return  # the strong evidence already names the claim generator
        for name in self.generator_names:
            if generative_product(name):
                log.add(GENERATOR_KIND, Strength.MEDIUM, f"claim generator: {name}")
        for agent in self.agents:
            if generative_product(agent):
                log.add(GENERATOR_KIND, Strength.MEDIUM, f"softwareAgent: {agent}")
        for described in self.generative_ai:
            log.add(
                GENERATIVE_AI_KIND,
                Strength.MEDIUM,
                GENERATIVE_AI_LABEL + (f": {described}" if described else ""),
            )


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
        self.manifests: list[_Manifest] = []
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

    def walk(self, start: int, end: int, depth: int, manifest: _Manifest | None) -> None:
        if depth > MAX_DEPTH:
            raise Corrupt("JUMBF nested too deeply")
        for box_type, content, box_end in self.boxes_in(start, end):
            if box_type == b"jumb":
                self.superbox(content, box_end, depth, manifest)
            elif box_type == b"brob":
                self.compressed = True

    def superbox(self, start: int, end: int, depth: int, manifest: _Manifest | None) -> None:
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
                manifest = _Manifest(label)
                self.manifests.append(manifest)
            self.walk(desc_end, end, depth + 1, manifest)
        elif manifest is not None and (content_type == b"c2cl" or _CLAIM_LABEL.fullmatch(label)):
            manifest.take_claim(self.decoded_content(desc_end, end, label))
        elif manifest is not None and _ACTIONS_LABEL.fullmatch(label):
            raw = self.content(desc_end, end, label)
            if raw is not None:
                manifest.take_actions(*raw)
        elif manifest is not None and _GENERATIVE_AI_LABEL.fullmatch(label):
            manifest.take_generative_ai(self.decoded_content(desc_end, end, label))

    def content(self, start: int, end: int, label: str) -> tuple[bytes, bytes] | None:
        """The (type, bytes) of a superbox's CBOR or JSON content box, if it fits the budget."""
        for box_type, content, box_end in self.boxes_in(start, end):
            if box_type in (b"cbor", b"json"):
                if not self.window.fits(box_end - content):
                    self.log.not_inspected(f"C2PA {label} is larger than the read budget")
                    return None
                return box_type, self.window.read(content, box_end - content)
            if box_type == b"brob":
                self.compressed = True
        return None

    def decoded_content(self, start: int, end: int, label: str) -> Any:
        raw = self.content(start, end, label)
        return None if raw is None else _decode(*raw)


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


def _actions(box_type: bytes, raw: bytes) -> tuple[list[str], list[str]]:
    """GenAI digitalSourceType values and softwareAgent names of an actions assertion.

    An assertion that does not decode is scanned for the digital source type URI alone.
    """
    decoded = _decode(box_type, raw)
    if decoded is None:
        return [match.decode("ascii") for match in _SOURCE_TYPE_URI.findall(raw)], []
    found: list[str] = []
    agents: list[str] = []
    pending: list[Any] = [decoded]
    while pending and len(found) + len(agents) < _MAX_NAMES:
        node = pending.pop()
        if isinstance(node, dict):
            value = node.get("digitalSourceType")
            if isinstance(value, str):
                found.append(value)
            agent = _name_of(node.get("softwareAgent"))  # v1: a string; v2: {"name": ...}
            if agent:
                agents.append(agent)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return [value for value in reversed(found) if genai_source_type(value)], list(reversed(agents))


def _name_of(value: Any) -> str | None:
    """A software name given as a string or as a ClaimGeneratorInfo map."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        version = value.get("version")
        return f"{value['name']} {version}" if isinstance(version, str) else str(value["name"])
    return None


def _claim_generator(claim: dict[Any, Any]) -> str | None:
    """The claim generator's name (and version), from claim_generator_info or claim_generator."""
    info = claim.get("claim_generator_info")
    if isinstance(info, list):
        info = info[0] if info else None
    named = _name_of(info) if isinstance(info, dict) else None
    if named:
        return named
    generator = claim.get("claim_generator")
    return generator if isinstance(generator, str) else None


def _generator_names(claim: dict[Any, Any]) -> list[str]:
    """Every name the claim gives its generator: claim_generator and each claim_generator_info."""
    names: list[str] = []
    generator = claim.get("claim_generator")
    if isinstance(generator, str):
        names.append(generator)
    info = claim.get("claim_generator_info")
    for entry in (info if isinstance(info, list) else [info])[:_MAX_NAMES]:
        named = _name_of(entry)
        if named:
            names.append(named)
    return names


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


def _manifests_with_c2pa(store: bytes) -> list[_Manifest] | None:
    report = _c2pa_report(store)
    manifests = report.get("manifests") if isinstance(report, dict) else None
    if not isinstance(manifests, dict):
        return None if report is None else []
    found: list[_Manifest] = []
    for label, entry in manifests.items():
        if not isinstance(entry, dict):
            continue
        manifest = _Manifest(str(label))
        manifest.take_claim(entry)
        for assertion in entry.get("assertions") or []:
            if not isinstance(assertion, dict):
                continue
            assertion_label = str(assertion.get("label", ""))
            if _ACTIONS_LABEL.fullmatch(assertion_label):
                manifest.take_actions(b"json", json.dumps(assertion.get("data")).encode("utf-8"))
            elif _GENERATIVE_AI_LABEL.fullmatch(assertion_label):
                manifest.take_generative_ai(assertion.get("data"))
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
