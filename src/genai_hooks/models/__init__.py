"""Model weights (SPEC §10, "Models"): recognised by content, read for what they say about themselves.

`inspect_model(name, source)` reads at most `MAX_READ` bytes, never unpickles, decompresses or
executes anything, and never raises on bad content. It answers None for a file that is not a
model, whatever its name; a model whose metadata could not be fully read carries an
`uninspected` reason. The file name only lets a damaged file with the format's own magic bytes
(a `{` after a bad safetensors length, `GGUF` with an unknown version) count as that format.
"""

from __future__ import annotations

import struct
from typing import Callable

from genai_hooks.models import gguf, onnx, pytorch, safetensors
from genai_hooks.models.facts import ModelFacts, ModelFormat, ModelInspection, stop_reason
from genai_hooks.provenance.reader import BoundedReader, MediaError, MediaSource

__all__ = ["MODEL_EXTENSIONS", "ModelFormat", "ModelInspection", "inspect_model", "may_be_model"]

# `named` tells a reader whether the file name carries its format's extension.
_Reader = Callable[[BoundedReader, ModelFacts, bool], None]

_EXTENSIONS: dict[ModelFormat, tuple[str, ...]] = {
    ModelFormat.SAFETENSORS: (".safetensors", ".sft"),
    ModelFormat.PYTORCH: (".ckpt", ".pt", ".pth", ".bin"),
    ModelFormat.GGUF: (".gguf",),
    ModelFormat.ONNX: (".onnx",),
}
MODEL_EXTENSIONS = tuple(e for extensions in _EXTENSIONS.values() for e in extensions)


def may_be_model(name: str) -> bool:
    """Whether a file name has a model-weights extension: the cheap filter before any read."""
    return name.lower().endswith(MODEL_EXTENSIONS)


def inspect_model(name: str, source: MediaSource) -> ModelInspection | None:
    """What one file's content says about the model it holds; None when it holds none."""
    lowered = name.lower()
    reader = BoundedReader(source)
    try:
        prefix = reader.read_prefix(32)
    except (MediaError, OSError):
        return None
    for format, read in _candidates(prefix):
        facts = ModelFacts(format)
        _read_safely(read, reader, facts, lowered.endswith(_EXTENSIONS[format]))
        if facts.recognised:
            return facts.inspection()
    return None


def _candidates(prefix: bytes) -> list[tuple[ModelFormat, _Reader]]:
    """The readers whose magic bytes the content starts with, most specific first."""
    found: list[tuple[ModelFormat, _Reader]] = []
    if gguf.claims(prefix):
        found.append((ModelFormat.GGUF, gguf.read_gguf))
    if pytorch.claims_zip(prefix):
        found.append((ModelFormat.PYTORCH, pytorch.read_zip))
    if pytorch.claims_legacy(prefix):
        found.append((ModelFormat.PYTORCH, pytorch.read_legacy))
    if safetensors.claims(prefix):
        found.append((ModelFormat.SAFETENSORS, safetensors.read_safetensors))
    if onnx.claims(prefix):
        found.append((ModelFormat.ONNX, onnx.read_onnx))
    return found


def _read_safely(read: _Reader, reader: BoundedReader, facts: ModelFacts, named: bool) -> None:
    try:
        read(reader, facts, named)
    except MediaError as exc:
        facts.not_read(stop_reason(exc, facts.format))
    except OSError as exc:
        facts.not_read(f"content could not be read: {exc.strerror or exc}")
    except (ArithmeticError, LookupError, ValueError, RecursionError, struct.error) as exc:
        # hostile content that slipped past a reader's checks: still unread, never a crash
        facts.not_read(f"unreadable {facts.format.value} file: {type(exc).__name__}")
