"""GGUF (llama.cpp, ComfyUI-GGUF): `GGUF`, a uint32 version, tensor and key counts, then typed key/values.

Version 1 counts and string lengths are uint32, versions 2 and 3 uint64; files may be
big-endian. Only `general.*` and `training.*` values are kept; other values are skipped by
length where their type allows, so a tokenizer's vocabulary costs only what its lengths cost.
"""

from __future__ import annotations

import struct
from typing import Union

from genai_hooks.models.cursor import ByteOrder, Cursor
from genai_hooks.models.facts import ModelFacts, Rank, listing, stop_reason
from genai_hooks.provenance.reader import BoundedReader, Corrupt, MediaError

MAGIC = b"GGUF"
MAX_KEY = 65_536  # longest key name read; llama.cpp's are under 100 characters
MAX_VALUE = 64 * 1024  # longest kept string value; longer ones are skipped (chat templates)
MAX_KEPT = 256  # kept values, and elements kept of one array
MAX_DEPTH = 4  # arrays of arrays nest no deeper than this
_STRING, _ARRAY = 8, 9
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
_KEPT_PREFIXES = ("general.", "training.")

Value = Union[str, int, float, bool, list["Value"]]


def claims(prefix: bytes) -> bool:
    return prefix.startswith(MAGIC)


def read_gguf(reader: BoundedReader, facts: ModelFacts, named: bool) -> None:
    cursor = Cursor(reader, 4)
    raw_version = cursor.take(4)
    order: ByteOrder = "little"
    version = int.from_bytes(raw_version, order)
    if version not in (1, 2, 3) and int.from_bytes(raw_version, "big") in (1, 2, 3):
        order = "big"
        version = int.from_bytes(raw_version, order)
    if version not in (1, 2, 3):
        if named:
            facts.recognise()
            facts.not_read(f"unknown GGUF version {version}")
        return
    facts.recognise()
    width = 4 if version == 1 else 8
    tensors, pairs = cursor.uint(width, order), cursor.uint(width, order)
    values: dict[str, Value] = {}
    read = 0
    try:
        while read < pairs:
            key = _string(cursor, width, order, MAX_KEY)
            if key is None:
                raise Corrupt(f"a key name longer than {MAX_KEY} bytes")
            keep = key.startswith(_KEPT_PREFIXES) and len(values) < MAX_KEPT
            value = _value(cursor, cursor.uint(4, order), width, order, keep, 0)
            if keep and value is not None:
                values[key] = value
            read += 1
    except MediaError as exc:
        facts.not_read(f"{stop_reason(exc, facts.format)} ({read} of {pairs} keys read)")
    finally:
        _describe(values, tensors, pairs, version, facts)


def _string(cursor: Cursor, width: int, order: ByteOrder, limit: int) -> str | None:
    """A length-prefixed UTF-8 string, or None (skipped unread) when longer than `limit`."""
    length = cursor.uint(width, order)
    if length > limit:
        cursor.skip(length)
        return None
    return cursor.take(length).decode("utf-8", errors="replace")


def _value(cursor: Cursor, kind: int, width: int, order: ByteOrder, keep: bool, depth: int) -> Value | None:
    if kind in _SCALARS:
        code = _SCALARS[kind]
        data = cursor.take(struct.calcsize(code))
        scalar: Value = struct.unpack(("<" if order == "little" else ">") + code, data)[0]
        return scalar if keep else None
    if kind == _STRING:
        return _string(cursor, width, order, MAX_VALUE if keep else -1)
    if kind != _ARRAY:
        raise Corrupt(f"unknown GGUF value type {kind}")
    if depth >= MAX_DEPTH:
        raise Corrupt(f"arrays nested deeper than {MAX_DEPTH}")
    element, count = cursor.uint(4, order), cursor.uint(width, order)
    if element in _SCALARS and not keep:  # fixed-size elements: skipped without reading
        cursor.skip(count * struct.calcsize(_SCALARS[element]))
        return None
    if count > cursor.left:  # every element takes at least one byte
        raise Corrupt(f"an array of {count} elements in {cursor.left} bytes")
    items: list[Value] = []
    for _ in range(count):
        if len(items) >= MAX_KEPT and element in _SCALARS:  # enough kept: skip the rest unread
            cursor.skip((count - len(items)) * struct.calcsize(_SCALARS[element]))
            break
        item = _value(cursor, element, width, order, keep and len(items) < MAX_KEPT, depth + 1)
        if item is not None:
            items.append(item)
    return items if keep else None


def _text(value: Value) -> str:
    if isinstance(value, list):
        return listing([_text(item) for item in value[:8]], 8, total=len(value))
    return str(value)


def _describe(values: dict[str, Value], tensors: int, pairs: int, version: int, facts: ModelFacts) -> None:
    def add(rank: Rank, key: str, label: str) -> None:
        if key in values and _text(values[key]).strip():
            facts.add(rank, label, _text(values[key]))

    add(Rank.IDENTITY, "general.name", "name")
    add(Rank.IDENTITY, "general.basename", "basename")
    add(Rank.IDENTITY, "general.architecture", "architecture")
    add(Rank.IDENTITY, "general.finetune", "finetune")
    for key in ("general.name", "general.basename"):
        if isinstance(values.get(key), str):
            facts.name_is(str(values[key]))
    for index in range(64):
        base = f"general.base_model.{index}."
        if base + "name" not in values and base + "repo_url" not in values:
            continue
        named = _text(values.get(base + "name", values.get(base + "repo_url", "")))
        owner = values.get(base + "organization")
        facts.add(Rank.IDENTITY, "base model", named + (f" ({_text(owner)})" if owner else ""))
        facts.base_is(named)
    datasets = [
        _text(values[f"general.dataset.{i}.name"]) for i in range(64) if f"general.dataset.{i}.name" in values
    ]
    if datasets:
        facts.add(Rank.TRAINING, "datasets", listing(datasets))
    add(Rank.TRAINING, "general.datasets", "datasets")
    for label in ("author", "organization", "description", "tags", "license"):
        add(Rank.TRAINING, f"general.{label}", label)
    add(Rank.TRAINING, "general.size_label", "size")
    for key in sorted(k for k in values if k.startswith("training.")):
        add(Rank.TRAINING, key, key)
    facts.add(Rank.STRUCTURE, "tensors", f"{tensors}; {pairs} metadata keys (GGUF v{version})")
