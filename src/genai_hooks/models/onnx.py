"""ONNX: a protobuf `ModelProto`, read as wire format without the onnx package.

Top-level fields (onnx.proto): 1 ir_version, 2 producer_name, 3 producer_version, 4 domain,
5 model_version, 6 doc_string, 7 graph, 8 opset_import, 14 metadata_props, 20 training_info,
25 functions, 26 configuration. The graph (weights included) is skipped by its length, so
fields written after it cost nothing to reach. Recognised when the fields tile the file
exactly, with a graph and a plausible ir_version or producer name.
"""

from __future__ import annotations

from genai_hooks.models.cursor import Cursor
from genai_hooks.models.facts import ModelFacts, Rank, listing, stop_reason
from genai_hooks.provenance.reader import BoundedReader, Corrupt, MediaError

MAX_IR_VERSION = 20  # ONNX 1.19 writes 11; room for a decade of releases
MAX_TEXT = 64 * 1024  # longest string field read; longer ones are skipped
MAX_FIELDS = 100_000  # top-level fields walked; a real model has a dozen or so
MAX_SHOWN = 12  # metadata_props entries shown
_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5
# field number → wire type, for every ModelProto field
_FIELDS = {
    field: _VARINT if field in (1, 5) else _LENGTH for field in (1, 2, 3, 4, 5, 6, 7, 8, 14, 20, 25, 26)
}
_TEXT_FIELDS = {2: "producer_name", 3: "producer_version", 4: "domain", 6: "doc_string"}


def claims(prefix: bytes) -> bool:
    """Starts with ir_version (1..MAX_IR_VERSION) or with a producer name."""
    if prefix[:1] == b"\x08":
        return 1 <= prefix[1] <= MAX_IR_VERSION if len(prefix) > 1 else False
    return prefix[:1] == b"\x12"


class _Model:
    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.numbers: dict[str, int] = {}
        self.graph = False
        self.opsets: list[str] = []
        self.metadata: list[tuple[str, str]] = []
        self.metadata_count = 0
        self.skipped: list[str] = []


def read_onnx(reader: BoundedReader, facts: ModelFacts, named: bool) -> None:
    if named:  # the first field already looks like a ModelProto's
        facts.recognise()
    cursor = Cursor(reader)
    model = _Model()
    try:
        _walk(cursor, model)
    except MediaError as exc:
        if facts.recognised:
            facts.not_read(stop_reason(exc, facts.format))
            _describe(model, facts)
        return
    if not model.graph or not (
        1 <= model.numbers.get("ir_version", 0) <= MAX_IR_VERSION or "producer_name" in model.texts
    ):
        if facts.recognised:
            facts.not_read("no graph: not a complete ONNX model")
            _describe(model, facts)
        return
    facts.recognise()
    _describe(model, facts)


def _walk(cursor: Cursor, model: _Model) -> None:
    for _ in range(MAX_FIELDS):
        if cursor.left == 0:
            return
        tag = cursor.varint()
        field, wire = tag >> 3, tag & 7
        if field == 0 or wire not in (_VARINT, _FIXED64, _LENGTH, _FIXED32):
            raise Corrupt(f"not protobuf: tag {tag} at {cursor.position}")
        if field in _FIELDS and _FIELDS[field] != wire:
            raise Corrupt(f"ModelProto field {field} with wire type {wire}")
        if wire == _VARINT:
            value = cursor.varint()
            if field in (1, 5):
                model.numbers["ir_version" if field == 1 else "model_version"] = value
        elif wire in (_FIXED64, _FIXED32):
            cursor.skip(8 if wire == _FIXED64 else 4)
        else:
            _length_field(cursor, field, cursor.varint(), model)
    raise Corrupt(f"more than {MAX_FIELDS} top-level fields")


def _length_field(cursor: Cursor, field: int, length: int, model: _Model) -> None:
    if length > cursor.left:
        raise Corrupt(f"field {field} of {length} bytes past the end")
    if field == 7:
        model.graph = True
    if field not in _TEXT_FIELDS and field not in (8, 14):
        cursor.skip(length)  # the graph, functions, training info: the weights live there
        return
    if length > MAX_TEXT:
        model.skipped.append(_TEXT_FIELDS.get(field, "metadata_props" if field == 14 else "opset_import"))
        cursor.skip(length)
        return
    data = cursor.take(length)
    if field in _TEXT_FIELDS:
        model.texts[_TEXT_FIELDS[field]] = data.decode("utf-8", errors="replace")
    elif field == 8:
        pairs = _message(data)
        version, raw_domain = pairs.get(2), pairs.get(1, b"")
        domain = raw_domain.decode("utf-8", "replace") if isinstance(raw_domain, bytes) else ""
        domain = domain or "ai.onnx"
        model.opsets.append(domain + (f" {version}" if isinstance(version, int) else ""))
    else:
        model.metadata_count += 1
        if len(model.metadata) < MAX_SHOWN:
            entry = _message(data)
            key, value = entry.get(1, b""), entry.get(2, b"")
            if isinstance(key, bytes) and isinstance(value, bytes):
                model.metadata.append((key.decode("utf-8", "replace"), value.decode("utf-8", "replace")))


def _message(data: bytes) -> dict[int, bytes | int]:
    """The last value of each field of a small message already read (a metadata entry, an opset)."""
    fields: dict[int, bytes | int] = {}
    position = 0
    while position < len(data):
        tag, position = _varint(data, position)
        field, wire = tag >> 3, tag & 7
        if wire == _VARINT:
            fields[field], position = _varint(data, position)
        elif wire == _LENGTH:
            length, position = _varint(data, position)
            if position + length > len(data):
                raise Corrupt(f"field {field} of {length} bytes past the end of its message")
            fields[field], position = data[position : position + length], position + length
        elif wire in (_FIXED64, _FIXED32):
            position += 8 if wire == _FIXED64 else 4
        else:
            raise Corrupt(f"wire type {wire} in a nested message")
    return fields


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = 0
    for shift in range(0, 70, 7):
        if position >= len(data):
            raise Corrupt("varint past the end of its message")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, position
    raise Corrupt("varint longer than 10 bytes")


def _describe(model: _Model, facts: ModelFacts) -> None:
    texts = model.texts
    producer = " ".join(
        texts[k].strip() for k in ("producer_name", "producer_version") if texts.get(k, "").strip()
    )
    if producer:
        facts.add(Rank.IDENTITY, "producer", producer)
    for key, value in model.metadata:
        facts.add(Rank.IDENTITY, f"metadata {key[:60]}", value.strip() or '""')
        if key.strip().lower() in ("name", "title", "model_name"):
            facts.name_is(value)
        if key.strip().lower() in ("base_model", "base model", "base"):
            facts.base_is(value)
    if model.metadata_count > len(model.metadata):
        facts.add(Rank.IDENTITY, f"{model.metadata_count - len(model.metadata)} more metadata entries")
    if texts.get("doc_string", "").strip():
        facts.add(Rank.TRAINING, "description", texts["doc_string"])
    if texts.get("domain", "").strip():
        facts.add(Rank.STRUCTURE, "domain", texts["domain"])
    if "model_version" in model.numbers:
        facts.add(Rank.STRUCTURE, "model version", model.numbers["model_version"])
    versions = [f"IR version {model.numbers['ir_version']}"] if "ir_version" in model.numbers else []
    if model.opsets:
        versions.append("opsets " + listing(model.opsets, 4))
    if versions:
        facts.add(Rank.STRUCTURE, "; ".join(versions))
    if model.skipped:
        facts.add(Rank.STRUCTURE, "too long to read", listing(model.skipped))
