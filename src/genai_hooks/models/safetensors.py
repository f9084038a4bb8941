"""safetensors: an 8-byte little-endian header length N, N bytes of JSON, then the tensor data.

The JSON maps tensor names to `dtype`, `shape` and `data_offsets`; `__metadata__` is a str→str
map where trainers write what the model was made from (see `trainer_metadata`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from genai_hooks.models.facts import ModelFacts, Rank, listing
from genai_hooks.models.trainer_metadata import describe_metadata
from genai_hooks.provenance.reader import MAX_READ, BoundedReader

HEADER_LIMIT = 100_000_000  # the safetensors library refuses longer headers
DTYPES = frozenset(
    {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "I16", "U16", "F16",
     "BF16", "I32", "U32", "F32", "F64", "I64", "U64", "C64"}
)  # fmt: skip
_SPACE = b" \t\r\n"


def claims(prefix: bytes) -> bool:
    return prefix[8:9] == b"{"


def read_safetensors(reader: BoundedReader, facts: ModelFacts, named: bool) -> None:
    length = int.from_bytes(reader.read(0, 8), "little")
    data_size = reader.size - 8 - length
    if not 2 <= length <= HEADER_LIMIT or data_size < 0:
        if named:  # a `{` where the header starts, in a file named for safetensors: a damaged one
            facts.recognise()
            facts.not_read(f"header length {length} does not fit the {reader.size}-byte file")
        return
    if named:
        facts.recognise()
    opening = reader.read(8, min(length, 16, max(0, reader.available - 8)))[1:].lstrip(_SPACE)
    if not named and not opening.startswith((b'"', b"}")):
        return  # not a JSON object with keys: some other binary with a `{` at byte 8
    facts.recognise()
    if length > min(reader.remaining, reader.available - 8):
        _read_leading_metadata(reader, facts, length)
        return
    header = _parse_header(reader.read(8, length), facts)
    if header is None:
        return
    _check_tensors(header, data_size, facts)
    metadata = header.get("__metadata__")
    if metadata is not None:
        _describe(metadata, facts)


def _parse_header(data: bytes, facts: ModelFacts) -> dict[str, Any] | None:
    try:
        header = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        facts.not_read("the header is not UTF-8 text")
        return None
    except RecursionError:
        facts.not_read("the header JSON is nested too deeply to read")
        return None
    except ValueError:  # bad JSON, or an integer too long to convert
        facts.not_read("the header is not valid JSON")
        return None
    if not isinstance(header, dict):
        facts.not_read("the header is not a JSON object")
        return None
    return header


def _read_leading_metadata(reader: BoundedReader, facts: ModelFacts, length: int) -> None:
    """A header past the budget or the readable bytes: the library writes `__metadata__` first."""
    reachable = max(0, reader.available - 8)
    readable = min(length, reader.remaining, reachable)
    if reachable < length and reachable <= reader.remaining:
        where = "lies beyond the part of the content that could be read"
    else:
        where = f"is past the {MAX_READ >> 20} MiB read budget"
    text = reader.read(8, readable).decode("utf-8", errors="replace")
    start = _skip_space(text, text.find("{") + 1)
    key = '"__metadata__"'
    metadata: object = None
    if text.startswith(key, start):
        colon = text.find(":", start + len(key))
        try:
            metadata, _ = json.JSONDecoder().raw_decode(text, _skip_space(text, colon + 1))
        except (ValueError, RecursionError):
            metadata = None
    facts.not_read(
        f"the {length}-byte header {where}"
        + (": tensor entries not read" if isinstance(metadata, dict) else "")
    )
    if isinstance(metadata, dict):
        _describe(metadata, facts)


def _skip_space(text: str, at: int) -> int:
    """Where JSON whitespace starting at `at` ends."""
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _check_tensors(header: Mapping[str, Any], data_size: int, facts: ModelFacts) -> None:
    entries = [value for name, value in header.items() if name != "__metadata__"]
    tensors = [value for value in entries if _is_tensor(value)]
    bad = len(entries) - len(tensors)
    if bad:
        facts.not_read(f"{bad} of {len(entries)} header entries do not describe tensors")
    dtypes = sorted({str(value["dtype"]) for value in tensors})
    facts.add(Rank.STRUCTURE, "tensors", f"{len(tensors)}" + (f" ({listing(dtypes, 4)})" if dtypes else ""))
    end = max((value["data_offsets"][1] for value in tensors), default=0)
    if end > data_size:
        facts.add(Rank.STRUCTURE, f"tensor data runs {end - data_size} bytes past the end of the file")


def _is_tensor(value: object) -> bool:
    if not isinstance(value, dict) or value.get("dtype") not in DTYPES:
        return False
    shape, offsets = value.get("shape"), value.get("data_offsets")
    if not isinstance(shape, list) or not all(_count(n) for n in shape):
        return False
    return (
        isinstance(offsets, list)
        and len(offsets) == 2
        and all(_count(n) for n in offsets)
        and offsets[0] <= offsets[1]
    )


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _describe(metadata: object, facts: ModelFacts) -> None:
    if not isinstance(metadata, dict):
        facts.not_read("__metadata__ is not a JSON object")
        return
    texts = {str(key): value for key, value in metadata.items() if isinstance(value, str)}
    if len(texts) < len(metadata):
        facts.add(Rank.STRUCTURE, f"{len(metadata) - len(texts)} __metadata__ values are not strings")
    describe_metadata(texts, facts)
