"""Truncated, corrupt and hostile model files: no crash, no hang, bounded reads, and never a false clean."""

from __future__ import annotations

import functools
import io
import pickle
import struct
import time
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from models_media import (
    FIXTURES,
    KOHYA,
    MODELSPEC,
    CountingSource,
    checkpoint_zip,
    deflate_bomb,
    gguf_bytes,
    gguf_raw,
    gguf_string,
    onnx_bytes,
    patch_central_sizes,
    patch_end_record,
    raw_safetensors,
    raw_zip,
    safetensors_bytes,
    writer_model,
    zip_bytes,
)

from genai_hooks.models import ModelInspection, _candidates, inspect_model
from genai_hooks.models.facts import ModelFacts
from genai_hooks.provenance import MAX_READ, BytesSource
from genai_hooks.provenance.reader import BoundedReader, MediaError

MiB = 1 << 20


@functools.lru_cache(maxsize=1)
def seeds() -> tuple[tuple[str, bytes], ...]:
    """One real file per format, each saying something about itself."""
    return (
        ("a.safetensors", safetensors_bytes({**KOHYA, **MODELSPEC})),
        ("b.pt", (FIXTURES / "tiny_checkpoint.pt").read_bytes()),
        ("c.pt", (FIXTURES / "tiny_legacy.pt").read_bytes()),
        ("d.pt", (FIXTURES / "tiny_script.pt").read_bytes()),
        ("e.gguf", gguf_bytes(writer_model)),
        ("f.onnx", onnx_bytes(metadata={"name": "upscaler"}, doc="plates")),
    )


def survive(name: str, data: bytes, size: int | None = None) -> ModelInspection | None:
    """Inspect, checking the bounds; then run each reader without the safety net of inspect_model."""
    size = len(data) if size is None else size
    source = CountingSource(BytesSource(data, size=size))
    found = inspect_model(name, source)
    assert source.bytes_read <= MAX_READ
    if found is not None:
        assert found.details or found.uninspected  # never an empty, clean answer
        assert all(len(line) <= 200 and line.isprintable() for line in found.details)
        assert found.uninspected is None or (
            found.uninspected.isprintable() and len(found.uninspected) <= 200
        )
    for format, read in _candidates(data[:32]):
        try:  # a reader may give up with a MediaError, never with anything else
            read(BoundedReader(BytesSource(data, size=size)), ModelFacts(format), True)
        except MediaError:
            pass
    return found


def test_every_seed_is_recognised_and_clean() -> None:
    for name, data in seeds():
        found = inspect_model(name, BytesSource(data))
        assert found is not None and found.uninspected is None, name


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("blob", [True, False], ids=["truncated-blob", "short-file"])
def test_truncation_at_every_offset_never_gives_a_false_clean_answer(seed: int, blob: bool) -> None:
    name, data = seeds()[seed]
    whole = inspect_model(name, BytesSource(data))
    step = max(1, len(data) // 600)  # every offset for small seeds, ~600 cuts for the larger ones
    for cut in [*range(64), *range(64, len(data), step)]:
        found = survive(name, data[:cut], len(data) if blob else cut)
        if cut >= 32:
            assert found is not None, (name, cut)  # named for its format and bearing its magic
        if found is not None and found.uninspected is None and whole is not None:
            # notes may be added (tensor data past the end), details never lost
            lost = set(whole.details) - set(found.details)
            # protobuf has no end marker: an ONNX file cut at a field boundary is a smaller, valid model
            assert not lost or (name.endswith(".onnx") and not blob), (name, cut, found)


EXTREMES = [0, 1, 2, 8, 0x7F, 0xFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 1 << 63, (1 << 64) - 1]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes, int]:
    name, data = draw(st.sampled_from(seeds()))
    buffer = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        operation = draw(st.sampled_from(["flip", "field32", "field64", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(buffer) - 1)))
        if operation == "flip" and buffer:
            buffer[at] ^= 1 << draw(st.integers(0, 7))
        elif operation.startswith("field"):
            wide = operation == "field64"
            value = draw(st.sampled_from(EXTREMES)) & ((1 << (64 if wide else 32)) - 1)
            buffer[at : at + (8 if wide else 4)] = struct.pack(
                draw(st.sampled_from("<>")) + ("Q" if wide else "I"), value
            )
        elif operation == "insert":
            buffer[at:at] = draw(st.binary(max_size=64))
        else:
            del buffer[at : at + draw(st.integers(1, 64))]
    whole = bytes(buffer)
    kept = whole[: draw(st.integers(0, len(whole)))] if draw(st.booleans()) else whole
    name = draw(st.sampled_from([name, "renamed.dat"]))
    return name, kept, len(whole) if draw(st.booleans()) else len(kept)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_models_never_crash_or_overread(case: tuple[str, bytes, int]) -> None:
    survive(*case)


MAGICS = [
    b"GGUF\x03\x00\x00\x00",
    b"GGUF\x00\x00\x00\x02",
    b"PK\x03\x04",
    b"\x08\x07",
    b"\x12\x07pytorch",
    (FIXTURES / "tiny_legacy.pt").read_bytes()[:15],
    struct.pack("<Q", 40) + b'{"',
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(MAGICS), st.binary(max_size=400), st.sampled_from(["m.gguf", "m.pt", "m.onnx", "m.x"]))
def test_random_bytes_behind_a_magic_never_crash(magic: bytes, tail: bytes, name: str) -> None:
    survive(name, magic + tail)


# --- safetensors ----------------------------------------------------------------------------


def test_a_2_to_the_63_header_length_is_unreadable_not_a_crash() -> None:
    data = raw_safetensors(b'{"__metadata__":{}}', length=1 << 63)
    found = survive("huge.safetensors", data)
    assert found is not None and found.uninspected is not None
    assert found.uninspected.startswith(f"header length {1 << 63} does not fit")
    assert survive("huge.dat", data) is None  # without the name, a `{` at byte 8 proves nothing


def test_truncated_header_json_is_uninspected() -> None:
    header = safetensors_bytes(KOHYA)[8:]
    data = raw_safetensors(header[: len(header) // 2])  # the length field agrees with the cut header
    found = survive("cut.safetensors", data)
    assert found is not None and found.uninspected == "the header is not valid JSON"


def test_ten_thousand_deep_nested_metadata_is_uninspected() -> None:
    deep = "[" * 10_000 + "]" * 10_000
    found = survive("deep.safetensors", raw_safetensors(('{"__metadata__":{"a":' + deep + "}}").encode()))
    assert found is not None and found.uninspected == "the header JSON is nested too deeply to read"


def test_deep_json_inside_a_kohya_string_is_noted_and_the_rest_shown() -> None:
    metadata = {
        "ss_output_name": "x",
        "ss_dataset_dirs": "[" * 10_000 + "]" * 10_000,
        "ss_tag_frequency": "{",
    }
    found = survive("d.safetensors", safetensors_bytes(metadata))
    assert found is not None and found.uninspected is None and found.details[0] == "output name: x"
    assert "ss_dataset_dirs: not readable JSON" in found.details
    assert "ss_tag_frequency: not readable JSON" in found.details


def test_hostile_kohya_values_are_ignored_not_trusted() -> None:
    metadata = {
        "ss_dataset_dirs": '{"a": {"img_count": "lots"}, "b": 7, "c": {"img_count": 1e400}}',
        "ss_tag_frequency": '{"a": {"x": -5, "y": "3", "z": NaN}, "b": []}',
        "ss_training_started_at": "1e300",
        "ss_num_train_images": "9" * 5000,
    }
    found = survive("h.safetensors", safetensors_bytes(metadata))
    assert found is not None and "dataset folders: a, b, c" in found.details
    assert not any(line.startswith(("top training tags", "training started")) for line in found.details)


def test_control_characters_in_metadata_never_reach_a_terminal() -> None:
    found = survive("c.safetensors", safetensors_bytes({"ss_output_name": "evil\x1b[2J\u202ename\nnext"}))
    assert found is not None and found.details[0] == "output name: evil [2J name next"


# --- PyTorch zips ---------------------------------------------------------------------------


def test_a_member_claiming_gigabytes_is_reported_as_a_bomb() -> None:
    plain = zip_bytes([("archive/data.pkl", pickle.dumps({}, protocol=2)), ("archive/data/0", bytes(1))])
    bomb = patch_central_sizes(plain, b"archive/data/0", size=0xFFFFFFFE)
    honest = survive("plain.pt", plain)
    assert honest is not None and not any(line.startswith("zip bomb") for line in honest.details)
    found = survive("bomb.pt", bomb)
    assert found is not None and found.details[0] == (
        f"zip bomb: 1 member(s) claim far more than they hold ('archive/data/0': {0xFFFFFFFE} bytes from 1)"
    )


def test_a_real_deflate_bomb_is_reported_and_never_inflated() -> None:
    pickled = pickle.dumps({}, protocol=2)
    bomb = deflate_bomb(64)  # 64 MiB of zeros in about 64 KiB
    data = raw_zip([("archive/data.pkl", pickled, 0, len(pickled)), ("archive/data/0", bomb, 8, 64 * MiB)])
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("archive/data/0").file_size == 64 * MiB
    tracemalloc.start()
    try:
        found = survive("bomb.ckpt", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found is not None and found.details[0] == (
        f"zip bomb: 1 member(s) claim far more than they hold ('archive/data/0': {64 * MiB} bytes from {len(bomb)})"
    )
    assert peak < 8 * MiB


@pytest.mark.parametrize("bad", ["../../etc/cron.d/x", "/abs/path", "C:\\windows\\x", "archive/../../x"])
def test_members_escaping_the_archive_are_an_alarm(bad: str) -> None:
    found = survive("t.pt", checkpoint_zip(extra=[(bad, b"x")]))
    assert found is not None and found.details[0].startswith("zip member names that escape the archive: ")
    assert repr(bad) in found.details[0]


def test_a_traversing_data_pkl_is_quoted_as_the_archive_name() -> None:
    found = survive("t.pt", zip_bytes([("../data.pkl", pickle.dumps({}, protocol=2))]))
    assert found is not None and found.details[0].startswith("zip member names that escape the archive")
    assert "saved as: '..'" in found.details


@pytest.mark.parametrize(
    "patch",
    [
        pytest.param({"entries": 0xFFFE}, id="absurd-count"),
        pytest.param({"cd_offset": 0xFFFFFFF0}, id="offset-past-end"),
        pytest.param({"cd_size": 0xFFFFFFF0}, id="size-past-end"),
        pytest.param({"entries": 0xFFFF}, id="zip64-without-locator"),
    ],
)
def test_absurd_central_directory_fields_are_uninspected_or_ignored(patch: dict[str, int]) -> None:
    data = patch_end_record(checkpoint_zip(), **patch)
    found = survive("absurd.pt", data)
    assert found is not None and found.uninspected is not None and found.uninspected.startswith("damaged")
    assert survive("absurd.zip", data) is None


def test_a_local_header_offset_past_the_end_is_uninspected() -> None:
    data = patch_central_sizes(checkpoint_zip(), b"archive/data.pkl", offset=0xFFFFFF00)
    found = survive("o.pt", data)
    assert found is not None and found.details[0] == "saved as: archive"
    assert found.uninspected is not None and found.uninspected.startswith("damaged pytorch file")


@pytest.mark.slow
def test_a_central_directory_past_the_budget_is_partly_listed() -> None:
    many = [(f"archive/data/{i}", b"") for i in range(1, 40_001)]
    data = checkpoint_zip(extra=many)
    found = survive("many.pt", data)
    assert found is not None and found.uninspected is not None
    assert found.uninspected.startswith("only ") and found.uninspected.endswith(
        " of 40003 zip members listed"
    )


# --- GGUF ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "pairs", "reason"),
    [
        pytest.param(b"", 1 << 63, "(0 of 9223372036854775808 keys read)", id="absurd-key-count"),
        pytest.param(gguf_string(b"k", 1 << 63), 1, "(0 of 1 keys read)", id="absurd-key-length"),
        pytest.param(
            gguf_string(b"general.name") + struct.pack("<I", 8) + gguf_string(b"", (1 << 64) - 1),
            1,
            "(0 of 1 keys read)",
            id="absurd-string-length",
        ),
        pytest.param(
            gguf_string(b"a") + struct.pack("<IIQ", 9, 8, 1 << 62),
            1,
            "(0 of 1 keys read)",
            id="absurd-array-count",
        ),
        pytest.param(
            gguf_string(b"a") + struct.pack("<I", 77), 1, "unknown GGUF value type 77", id="bad-type"
        ),
        pytest.param(
            gguf_string(b"a") + struct.pack("<I", 9) + struct.pack("<IQ", 9, 1) * 8,
            1,
            "nested deeper than 4",
            id="deep-arrays",
        ),
    ],
)
def test_absurd_gguf_counts_and_lengths_are_bounded_and_uninspected(
    body: bytes, pairs: int, reason: str
) -> None:
    started = time.monotonic()
    found = survive("x.gguf", gguf_raw(3, 1 << 63, pairs, body))
    assert found is not None and found.uninspected is not None and reason in found.uninspected
    assert found.details[-1] == f"tensors: {1 << 63}; {pairs} metadata keys (GGUF v3)"
    assert time.monotonic() - started < 2


def test_a_budget_of_tiny_keys_is_read_quickly() -> None:
    pair = gguf_string(b"k") + struct.pack("<I", 0) + b"\x01"  # 14 bytes per key
    data = gguf_raw(3, 0, 200_000, pair * 200_000)
    started = time.monotonic()
    found = survive("tiny.gguf", data)
    assert found is not None and found.uninspected is not None and "read budget" in found.uninspected
    assert time.monotonic() - started < 3


def test_gguf_with_an_unknown_version_counts_only_when_named() -> None:
    data = gguf_raw(3, 0, 0).replace(b"\x03\x00\x00\x00", b"\x09\x00\x00\x00", 1)
    found = survive("x.gguf", data)
    assert found is not None and found.uninspected == "unknown GGUF version 9"
    assert survive("GGUF notes.txt", b"GGUF is a file format for weights") is None


# --- ONNX ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x08\x07" + b"\x3a" + b"\xff" * 11, id="overlong-varint"),
        pytest.param(b"\x08\x07\x3a\xff\xff\xff\xff\x0f", id="graph-past-end"),
        pytest.param(b"\x08\x07" + b"\x42\x00" * 200_000 + b"\x3a\x00", id="many-fields"),
        pytest.param(b"\x08\x07\x72\x04\x0a\x09ab", id="bad-metadata-entry"),
        pytest.param(b"\x08\x07\x0b", id="group-wire-type"),
    ],
)
def test_hostile_protobuf_named_onnx_is_bounded(data: bytes) -> None:
    started = time.monotonic()
    found = survive("m.onnx", data)
    assert found is None or found.uninspected is not None
    assert survive("m.bin", data) is None
    assert time.monotonic() - started < 3
