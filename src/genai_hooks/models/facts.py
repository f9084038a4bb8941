"""What a reader learnt of one model file, and the frozen answer it becomes."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from genai_hooks.provenance.evidence import clean
from genai_hooks.provenance.reader import MAX_READ, BudgetExhausted, Corrupt, MediaError, Unreachable

MAX_DETAILS = 24  # a report line per detail: enough for every key we surface, not for a flood


class ModelFormat(str, enum.Enum):
    SAFETENSORS = "safetensors"
    PYTORCH = "pytorch"
    GGUF = "gguf"
    ONNX = "onnx"


class Rank(enum.IntEnum):
    """How telling a detail is; details are shown most telling first."""

    ALARM = 0  # the file is hostile or runs code when loaded
    IDENTITY = 1  # what the model calls itself and what it was made from
    TRAINING = 2  # what it was trained on and by whom
    STRUCTURE = 3  # how it is built: counts, versions, producers


@dataclass(frozen=True)
class ModelInspection:
    """What a model file says about itself (SPEC §10, "Models")."""

    format: ModelFormat
    details: tuple[str, ...]  # short printable lines, most telling first
    uninspected: str | None  # why the metadata could not be fully read, else None
    name: str | None = None  # the name the model gives itself (output name, title, general.name)
    base_model: str | None = None  # the model it says it was trained from, where it says


class ModelFacts:
    """Collects details while a reader walks a file; a file is a model once `recognise()` is called."""

    def __init__(self, format: ModelFormat) -> None:
        self.format = format
        self.recognised = False
        self.name: str | None = None
        self.base_model: str | None = None
        self.uninspected: str | None = None
        self._details: list[tuple[Rank, str]] = []

    def recognise(self) -> None:
        self.recognised = True

    def add(self, rank: Rank, label: str, value: object = None) -> None:
        line = clean(label if value is None else f"{label}: {value}")
        if line and all(line != seen for _, seen in self._details):
            self._details.append((rank, line))

    def not_read(self, reason: str) -> None:
        """Record why some metadata went unread; the first reason is the one reported."""
        if self.uninspected is None:
            self.uninspected = clean(reason)

    def name_is(self, value: str) -> None:
        if self.name is None and value.strip():
            self.name = clean(value)

    def base_is(self, value: str) -> None:
        if self.base_model is None and value.strip():
            self.base_model = clean(value)

    def inspection(self) -> ModelInspection:
        ordered = sorted(self._details, key=lambda item: item[0])  # stable: readers' order within a rank
        return ModelInspection(
            format=self.format,
            details=tuple(line for _, line in ordered[:MAX_DETAILS]),
            uninspected=self.uninspected,
            name=self.name,
            base_model=self.base_model,
        )


def listing(items: list[str], limit: int = 6, total: int | None = None) -> str:
    """`a, b, c (+4 more)`: the first few of `total` items (default: all of them), and how many more."""
    left = (len(items) if total is None else total) - min(limit, len(items))
    return ", ".join(items[:limit]) + (f" (+{left} more)" if left > 0 else "")


def stop_reason(exc: MediaError, format: ModelFormat) -> str:
    """Why reading stopped, in the words of an `uninspected` reason."""
    if isinstance(exc, BudgetExhausted):
        return f"metadata continues past the {MAX_READ >> 20} MiB read budget"
    if isinstance(exc, Unreachable):
        return "metadata lies beyond the part of the content that could be read"
    if isinstance(exc, Corrupt):
        return f"damaged {format.value} file: {exc}"
    return f"unreadable {format.value} file: {exc}"
