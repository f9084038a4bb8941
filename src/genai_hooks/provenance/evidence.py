"""What counts as evidence (SPEC §6, §11), and the log parsers write it to.

Strong: a GenAI digital source type, IPTC's or C2PA's (C2PA actions, XMP). Medium: generator records, and
a C2PA claim generator or software agent naming a generative product. Weak: a known generator
name, or a declared tool's marker, in a software-like field.

Beside the evidence, the log keeps a fact that is not evidence of generation: the file's own
metadata forbids training AI on it (CAWG training-and-data-mining, PLUS data mining; GAI503).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from genai_hooks.findings import Evidence, Strength

DETAIL_LIMIT = 200

# Digital source types that mean a trained model made (some of) the content; algorithmicMedia
# and compositeSynthetic are left out on purpose: CGI is synthetic too. trainedAlgorithmicData
# is C2PA 2.2's (a model's output that is data, not media), IPTC's since 2025.
GENAI_SOURCE_TYPES = frozenset(
    {"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "trainedAlgorithmicData"}
)
# IPTC's URI, C2PA's namespace (2.2-2.4) or its "c2pa." short form, or the bare code; any other
# namespace is unknown, and an unknown value is no evidence.
_SOURCE_TYPE = re.compile(
    r"(?:https?://cv\.iptc\.org/newscodes/digitalsourcetype/|https?://c2pa\.org/digitalsourcetype/|c2pa\.)?"
    r"([A-Za-z]+)/?"
)

# Generator names of SPEC §6; bounded by non-letters so "Imagenomic" or "Klingon" do not match.
GENERATOR_NAMES = (
    "Midjourney",
    "DALL-E",
    "Adobe Firefly",
    "Stable Diffusion",
    "ComfyUI",
    "AUTOMATIC1111",
    "InvokeAI",
    "NovelAI",
    "Runway",
    "Sora",
    "Kling",
    "Veo",
    "Imagen",
    "Leonardo",
    "Krea",
    "FLUX",
    "ElevenLabs",
    "Suno",
)
_GENERATOR = re.compile(
    r"(?<![a-z0-9])(midjourney|dall[^a-z0-9]?e|adobe firefly|stable[ _-]?diffusion|comfyui"
    r"|automatic1111|invokeai|novelai|runway(?:ml)?|sora|kling|veo|imagen|leonardo|krea|flux"
    r"|eleven ?labs|suno)(?![a-z])",
    re.IGNORECASE,
)
# Generative products as C2PA claim generators and software agents name them (SPEC §11), in
# any spelling: "Adobe_Firefly/1.0", "Microsoft_Responsible_AI", "Image Creator from Designer".
_SEP = r"[ _.-]?"
_PRODUCT = re.compile(
    r"(?<![a-z0-9])((?:adobe" + _SEP + r")?firefly|microsoft" + _SEP + r"(?:designer|copilot)"
    r"|(?:bing" + _SEP + r")?image" + _SEP + r"creator|microsoft" + _SEP + r"responsible" + _SEP + r"ai"
    r"|openai|dall[^a-z0-9]?e|chatgpt|gpt" + _SEP + r"(?:image|4o)|sora"
    r"|(?:google" + _SEP + r")?imagen|gemini|veo|midjourney|stability" + _SEP + r"ai"
    r"|stable" + _SEP + r"(?:diffusion|video|audio)|dreamstudio|sdxl|runway(?:ml)?"
    r"|pika(?:" + _SEP + r"labs)?|luma" + _SEP + r"(?:ai|labs)|dream" + _SEP + r"machine"
    r"|kling|leonardo|krea|flux|ideogram|comfyui|automatic1111|invokeai|novelai|eleven ?labs|suno"
    r")(?![a-z])",
    re.IGNORECASE,
)
# Control characters, line/paragraph separators and bidi overrides never reach a terminal.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]+")
_RANK = {Strength.STRONG: 0, Strength.MEDIUM: 1, Strength.WEAK: 2}
_MAX_TRAINING_FACTS = 16


def clean(text: str, limit: int = DETAIL_LIMIT) -> str:
    """One short printable line."""
    text = " ".join(_UNPRINTABLE.sub(" ", text).split())
    if not text.isprintable():  # format characters (soft hyphen, zero-width joiners...) and the like
        text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def decode_text(data: bytes) -> str:
    """Metadata text as a str: UTF-8 where valid, otherwise Latin-1 (never fails)."""
    data = data.rstrip(b"\x00")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def genai_source_type(value: str) -> str | None:
    """The code of a GenAI digital source type (IPTC or C2PA URI, http or https, C2PA short form, or
    the bare code), else None."""
    match = _SOURCE_TYPE.fullmatch(value.strip())
    if match and match.group(1) in GENAI_SOURCE_TYPES:
        return match.group(1)
    return None


def generator_name(value: str) -> str | None:
    """The first known generator name in a value, as written there."""
    match = _GENERATOR.search(value)
    return match.group(1) if match else None


def generative_product(value: str) -> str | None:
    """The first generative product a claim generator or software agent names, as written there."""
    match = _PRODUCT.search(value)
    return match.group(1) if match else None


def looks_like_generation_parameters(text: str) -> bool:
    """AUTOMATIC1111/Forge "parameters" text: a prompt followed by "Steps: .., Sampler: .., Seed: .."."""
    return "Steps: " in text and "Seed: " in text and ("Sampler: " in text or "CFG scale: " in text)


class EvidenceLog:
    """Collects evidence as parsers find it; deduplicated and ordered strongest first."""

    def __init__(self, markers: Sequence[str] = ()) -> None:
        self.markers = tuple(m.strip().lower() for m in markers if m and m.strip())
        self._found: list[Evidence] = []
        self._seen: set[tuple[str, Strength, str]] = set()
        self.uninspected: str | None = None
        self.remote_manifest: str | None = None  # a C2PA manifest referenced by URL (never fetched)
        self.c2pa_stores = 0  # embedded C2PA manifest stores seen
        self._training: list[Evidence] = []  # statements that training AI on the file is not permitted

    def add(self, kind: str, strength: Strength, detail: str) -> None:
        item = Evidence(kind=kind, strength=strength, detail=clean(detail))
        key = (item.kind, item.strength, item.detail)
        if key not in self._seen:
            self._seen.add(key)
            self._found.append(item)

    def not_inspected(self, reason: str) -> None:
        """Evidence could lie beyond what was read; the first reason is kept."""
        if self.uninspected is None:
            self.uninspected = clean(reason)

    def remote(self, url: str) -> None:
        """A C2PA manifest held at a URL (XMP dcterms:provenance): never fetched."""
        if self.remote_manifest is None:
            self.remote_manifest = clean(url)

    def finish(self) -> None:
        """Called once parsing is over: a manifest only referenced remotely leaves the file uninspected."""
        if self.remote_manifest is not None and not self.c2pa_stores:
            self.not_inspected("provenance held remotely; not fetched")

    def software(self, field: str, value: str) -> None:
        """A software-like field (Software, CreatorTool, EXR software/comments...): weak evidence."""
        shown = f"{field}: {value}"
        if generator_name(value):
            self.add("software", Strength.WEAK, shown)
        lowered = value.lower()
        for marker in self.markers:
            if marker in lowered:
                self.add("marker", Strength.WEAK, shown)
                break

    def source_type(self, kind: str, value: str, context: str = "") -> bool:
        """A digital source type value; strong evidence when it names a trained model."""
        if genai_source_type(value) is None:
            return False
        self.add(kind, Strength.STRONG, value.strip() + (f"; {context}" if context else ""))
        return True

    def training_not_permitted(self, kind: str, strength: Strength, detail: str) -> None:
        """The file's own metadata forbids training AI on it: a fact for GAI503, never GAI301 evidence.

        Strong: the statement names AI training (or all data mining); medium: a prohibition that
        defers to constraints written elsewhere.
        """
        item = Evidence(kind=kind, strength=strength, detail=clean(detail))
        if item not in self._training and len(self._training) < _MAX_TRAINING_FACTS:
            self._training.append(item)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(sorted(self._found, key=lambda item: _RANK[item.strength]))

    @property
    def training(self) -> tuple[Evidence, ...]:
        """What forbids training AI on the file, strongest first (empty when nothing does)."""
        return tuple(sorted(self._training, key=lambda item: _RANK[item.strength]))
