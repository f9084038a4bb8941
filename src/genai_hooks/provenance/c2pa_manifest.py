"""What one C2PA manifest says: its claim generator and the assertions that matter (SPEC §6, §11, §16).

`c2pa.py` finds manifests and hands each assertion's decoded content here, by label; the
c2pa-python fallback hands over what its JSON report holds. Strong evidence: a GenAI digital
source type in an action, or on an ingredient (it counts for the file that holds the
ingredient), and a `c2pa.ai-disclosure` assertion (C2PA 2.4; its model is named in the detail).
Medium: a claim generator or action software agent naming a generative product, and Adobe's
generative-AI assertion. A CAWG (or older C2PA) training-and-data-mining assertion whose AI
training entries are `notAllowed` is recorded as a fact apart from the evidence (GAI503).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from genai_hooks.findings import Strength
from genai_hooks.provenance.evidence import EvidenceLog, clean, genai_source_type, generative_product

C2PA_KIND = "c2pa"
GENERATOR_KIND = "c2pa-generator"
GENERATIVE_AI_KIND = "c2pa-generative-ai"
GENERATIVE_AI_LABEL = "com.adobe.generative-ai"
AI_DISCLOSURE_KIND = "c2pa-ai-disclosure"
AI_DISCLOSURE_LABEL = "c2pa.ai-disclosure"
TRAINING_KIND = "c2pa-training-mining"
# The entries of a training-and-data-mining assertion that are about training AI (SPEC §16).
_TRAINING_ENTRIES = (
    "cawg.ai_generative_training",
    "cawg.ai_training",
    "c2pa.ai_generative_training",
    "c2pa.ai_training",
)
# What an undecodable assertion is scanned for: a GenAI source type in any of the forms above.
_SOURCE_TYPE_URI = re.compile(
    rb"(?:https?://cv\.iptc\.org/newscodes/digitalsourcetype/|https?://c2pa\.org/digitalsourcetype/|c2pa\.)"
    rb"(?:compositeWithTrainedAlgorithmicMedia|trainedAlgorithmic(?:Media|Data))(?![A-Za-z])"
)
# An assertion label is its base, then an optional version (".v2") and instance ("__1").
_LABEL = re.compile(r"(.+?)(?:\.v\d+)?(?:__\d+)?")
_CLAIM_LABEL = re.compile(r"c2pa\.claim(?:\.v\d+)?")
_MAX_NAMES = 64  # generator and agent names kept per manifest
_MAX_NODES = 256  # map and list nodes looked at for a disclosed model
_MODEL_FIELDS = ("modelName", "modelType")
_VALUE_LIMIT = 80  # a model's name or type, an ingredient's title, in the evidence detail


class Assertion(enum.Enum):
    """The assertions read; every other assertion is skipped unread."""

    ACTIONS = enum.auto()
    INGREDIENT = enum.auto()
    GENERATIVE_AI = enum.auto()
    AI_DISCLOSURE = enum.auto()
    TRAINING_MINING = enum.auto()

    @property
    def label_suffices(self) -> bool:
        """Whether the label alone is evidence (so content too large to read still counts)."""
        return self is Assertion.AI_DISCLOSURE


_BY_BASE = {
    "c2pa.actions": Assertion.ACTIONS,
    "c2pa.ingredient": Assertion.INGREDIENT,
    GENERATIVE_AI_LABEL: Assertion.GENERATIVE_AI,
    AI_DISCLOSURE_LABEL: Assertion.AI_DISCLOSURE,
    "c2pa.ai_disclosure": Assertion.AI_DISCLOSURE,  # an underscore spelling some writers use
    "cawg.training-mining": Assertion.TRAINING_MINING,
    "c2pa.training-mining": Assertion.TRAINING_MINING,  # C2PA 1.x, before CAWG took it over
}


def assertion_kind(label: str) -> Assertion | None:
    """Which assertion a JUMBF label names (version and instance suffixes aside), if one that is read."""
    match = _LABEL.fullmatch(label)
    return _BY_BASE.get(match.group(1)) if match else None


def is_claim(label: str) -> bool:
    return _CLAIM_LABEL.fullmatch(label) is not None


@dataclass
class Manifest:
    label: str
    source_types: list[str] = field(default_factory=list)
    ingredient_source_types: list[tuple[str, str]] = field(default_factory=list)  # (value, ingredient title)
    generator: str | None = None  # shown beside a digital source type
    generator_names: list[str] = field(default_factory=list)  # every claim generator named
    agents: list[str] = field(default_factory=list)  # actions' softwareAgent names
    generative_ai: list[str] = field(default_factory=list)  # com.adobe.generative-ai descriptions
    disclosed_models: list[str] = field(default_factory=list)  # one per c2pa.ai-disclosure
    training_not_allowed: list[str] = field(default_factory=list)  # AI training entries set to notAllowed

    def take_claim(self, claim: Any) -> None:
        if isinstance(claim, dict):
            self.generator = _claim_generator(claim)
            self.generator_names.extend(_generator_names(claim))

    def take(self, kind: Assertion, content: Any, raw: bytes = b"") -> None:
        """An assertion's decoded content (None when it did not decode; `raw` is then scanned)."""
        if kind is Assertion.ACTIONS:
            source_types, agents = _source_types_and_agents(content, raw)
            self.source_types.extend(source_types)
            self.agents.extend(agents)  # at most _MAX_NAMES: the walk stops there
        elif kind is Assertion.INGREDIENT and len(self.ingredient_source_types) < _MAX_NAMES:
            title = _ingredient_title(content)
            source_types, _ = _source_types_and_agents(content, raw)
            self.ingredient_source_types.extend((value, title) for value in source_types)
            del self.ingredient_source_types[_MAX_NAMES:]
        elif kind is Assertion.GENERATIVE_AI:
            described = ""
            if isinstance(content, dict):
                parts = [content.get(key) for key in ("description", "version")]
                described = " ".join(part for part in parts if isinstance(part, str) and part.strip())
            self.generative_ai.append(described)
        elif kind is Assertion.AI_DISCLOSURE:
            self.disclosed_models.append(_disclosed_model(content))
        elif kind is Assertion.TRAINING_MINING:
            entries = content.get("entries") if isinstance(content, dict) else None
            if isinstance(entries, dict):
                self.training_not_allowed.extend(
                    key for key in _TRAINING_ENTRIES if _use(entries.get(key)) == "notAllowed"
                )

    def record(self, log: EvidenceLog) -> None:
        """Strong evidence when a digital source type says so; else what names a generative product.

        Training not allowed is recorded whatever the evidence: it is no evidence of generation.
        """
        for entry in self.training_not_allowed:
            log.training_not_permitted(TRAINING_KIND, Strength.STRONG, f"{entry}: notAllowed")
        context = f"claim generator: {self.generator}" if self.generator else ""
        strong = [log.source_type(C2PA_KIND, value, context) for value in self.source_types]
        for value, title in self.ingredient_source_types:
            on = f"on ingredient {title}" if title else "on an ingredient"
            strong.append(log.source_type(C2PA_KIND, value, on + (f"; {context}" if context else "")))
        for model in self.disclosed_models:
            log.add(
                AI_DISCLOSURE_KIND, Strength.STRONG, AI_DISCLOSURE_LABEL + (f": {model}" if model else "")
            )
        if any(strong) or self.disclosed_models:
            return  # the strong evidence already names the claim generator or the model
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


def _source_types_and_agents(decoded: Any, raw: bytes) -> tuple[list[str], list[str]]:
    """GenAI digitalSourceType values and softwareAgent names at any depth of an actions or
    ingredient assertion (an action's inline ingredients, an ingredient's metadata...).

    The decoder has capped depth and size; cycles cannot exist in decoded data, and manifests
    that ingredients point to are read once each, as the store lists them, never followed.
    An assertion that does not decode is scanned for the digital source type URI alone.
    """
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


def _disclosed_model(disclosure: Any) -> str:
    """`modelName` and `modelType` of an AI disclosure, at its top level or in the first nested map
    that has either (a model object), each cut short; '' when there is neither."""
    pending: list[Any] = [disclosure]
    for _ in range(_MAX_NODES):
        if not pending:
            break
        node = pending.pop(0)
        if isinstance(node, dict):
            named = [(key, node.get(key)) for key in _MODEL_FIELDS]
            shown = [f"{key} {_shortened(value)}" for key, value in named if isinstance(value, str)]
            if shown:
                return "; ".join(shown)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return ""


def _use(entry: Any) -> str | None:
    """The `use` of a training-and-data-mining entry: allowed, notAllowed or constrained."""
    use = entry.get("use") if isinstance(entry, dict) else None
    return use.strip() if isinstance(use, str) else None


def _shortened(value: str) -> str:
    # cut before cleaning: a megabyte of name costs no more than a short one
    return clean(value[: _VALUE_LIMIT * 4], _VALUE_LIMIT)


def _ingredient_title(ingredient: Any) -> str:
    if not isinstance(ingredient, dict):
        return ""
    title = ingredient.get("dc:title", ingredient.get("title"))  # CBOR; c2pa-python's JSON
    return _shortened(title) if isinstance(title, str) else ""


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
