"""Truncated, corrupt and hostile input: no crash, no hang, bounded reads and memory."""

from __future__ import annotations

import functools
import struct
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from provenance_media import (
    TRAINED,
    CountingSource,
    actions,
    box,
    c2pa_sign,
    exif_with,
    id3_frame,
    id3_tag,
    info_list,
    itunes_item,
    itunes_meta,
    jpeg_bytes,
    jumbf_store,
    jumbf_superbox,
    mp3_bytes,
    mp4_bytes,
    png_bytes,
    png_chunk,
    png_info,
    png_insert_before_iend,
    psd_bytes,
    psd_resource,
    riff_chunk,
    tiff_bytes,
    wav_bytes,
    webp_bytes,
    xmp_packet,
)

from genai_hooks.findings import Strength
from genai_hooks.provenance import MAX_READ, BytesSource, FileSource, Inspection, _parser_for, inspect
from genai_hooks.provenance.evidence import EvidenceLog
from genai_hooks.provenance.reader import BoundedReader, MediaError

MiB = 1 << 20
HAND_STORE = jumbf_store([("urn:c2pa:1", {"claim_generator": "gen"}, {"c2pa.actions": actions(TRAINED)})])


@functools.lru_cache(maxsize=1)
def seeds() -> tuple[tuple[str, bytes], ...]:
    """One small file per format, each carrying evidence where the parser must look for it."""
    packet = xmp_packet(TRAINED, creator_tool="Midjourney")
    exr_header = (
        b"\x76\x2f\x31\x01\x02\x10\x00\x00"
        + b"software\x00string\x00"
        + struct.pack("<i", 4)
        + b"Sora"
        + b"comments\x00stringvector\x00"
        + struct.pack("<i", 9)
        + struct.pack("<i", 5)
        + b"Flux!"
        + b"\x00"
        + b"name\x00string\x00"
        + struct.pack("<i", 1)
        + b"b"
        + b"\x00\x00"
    )
    files = [
        (
            "a.png",
            png_insert_before_iend(
                png_bytes(png_info(("parameters", "x"), ("Software", "Suno"))),
                png_chunk(b"caBX", HAND_STORE),
                png_chunk(b"zTXt", b"Software\x00\x00" + zlib.compress(b"Kling")),
            ),
        ),
        ("b.jpg", jpeg_bytes(xmp=packet, exif=exif_with(software="Krea"))),
        ("c.tif", tiff_bytes({700: packet, 305: "Veo"})),
        ("d.webp", webp_bytes(xmp=packet)),
        ("e.wav", wav_bytes(before=[info_list(ISFT="Suno")], after=[riff_chunk(b"C2PA", HAND_STORE)])),
        ("f.mp4", mp4_bytes(udta=[box(b"XMP_", packet), itunes_meta(itunes_item(b"\xa9too", "Sora"))])),
        (
            "g.mp3",
            mp3_bytes(
                id3_tag(id3_frame("TXXX", b"\x00tool\x00Suno"), id3_frame("PRIV", b"XMP\x00" + packet))
            ),
        ),
        ("h.psd", psd_bytes(psd_resource(1060, packet), psd_resource(4000, HAND_STORE))),
        ("i.exr", exr_header),
        ("j.xmp", packet),
    ]
    try:
        files.append(("k.jpg", c2pa_sign(jpeg_bytes(), "image/jpeg", TRAINED, padding=70_000)))
        files.append(("l.mp4", c2pa_sign(mp4_bytes(), "video/mp4", TRAINED)))
    except ImportError:
        pass
    return tuple(files)


def test_every_seed_carries_evidence() -> None:
    for name, data in seeds():
        assert inspect(name, BytesSource(data)).evidence, name


def check_survives(name: str, data: bytes, size: int) -> None:
    source = CountingSource(BytesSource(data, size=size))
    inspection = inspect(name, source)
    assert isinstance(inspection, Inspection)
    assert source.bytes_read <= MAX_READ
    for item in inspection.evidence:
        assert len(item.detail) <= 200 and item.detail.isprintable()
    parser = _parser_for(name, data[:16])
    if parser is not None:  # the safety net in inspect() must not be what keeps us alive
        try:
            parser(BoundedReader(BytesSource(data, size=size)), EvidenceLog())
        except MediaError:
            pass


EXTREMES = [0, 1, 7, 8, 16, 0x7F, 0xFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes, int]:
    name, data = draw(st.sampled_from(seeds()))
    buffer = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        operation = draw(st.sampled_from(["flip", "field", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(buffer) - 1)))
        if operation == "flip" and buffer:
            buffer[at] ^= 1 << draw(st.integers(0, 7))
        elif operation == "field":
            order = draw(st.sampled_from(["<I", ">I"]))
            buffer[at : at + 4] = struct.pack(order, draw(st.sampled_from(EXTREMES)))
        elif operation == "insert":
            buffer[at:at] = draw(st.binary(max_size=64))
        else:
            del buffer[at : at + draw(st.integers(1, 64))]
    whole = bytes(buffer)
    kept = whole[: draw(st.integers(0, len(whole)))] if draw(st.booleans()) else whole
    # A truncated blob still claims the size of the whole file; a corrupt file is merely short.
    return name, kept, len(whole) if draw(st.booleans()) else len(kept)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_never_crash_or_overread(case: tuple[str, bytes, int]) -> None:
    name, data, size = case
    check_survives(name, data, size)


MAGICS = [
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"II*\x00",
    b"MM\x00*",
    b"II+\x00",
    b"8BPS\x00\x01",
    b"RIFF\x00\x10\x00\x00WEBP",
    b"RF64\xff\xff\xff\xffWAVE",
    b"\x00\x00\x00\x18ftyp",
    b"ID3\x04\x00\x00",
    b"\x76\x2f\x31\x01\x02\x10\x00\x00",
    b"<x:xmpmeta ",
]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(MAGICS), st.binary(max_size=600), st.sampled_from(["f.png", "f.mp4", "f.xmp", "f.bin"])
)
def test_random_bytes_behind_a_magic_never_crash(magic: bytes, tail: bytes, name: str) -> None:
    check_survives(name, magic + tail, len(magic) + len(tail))


def zlib_bomb(megabytes: int = 512) -> bytes:
    """A valid zlib stream inflating to `megabytes` MiB of zeros, built without inflating it."""
    engine = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = engine.compress(bytes(MiB)) + engine.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(bytes(MiB), checksum)
    return b"\x78\xda" + segment * megabytes + final + checksum.to_bytes(4, "big")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zlib_bomb()


@pytest.mark.parametrize("keyword", ["Software", "Comment", "XML:com.adobe.xmp"])
def test_zlib_bomb_in_png_text_is_never_fully_inflated(bomb: bytes, keyword: str) -> None:
    if keyword.startswith("XML"):
        chunk = png_chunk(b"iTXt", keyword.encode() + b"\x00\x01\x00\x00\x00" + bomb)
    else:
        chunk = png_chunk(b"zTXt", keyword.encode() + b"\x00\x00" + bomb)
    data = png_insert_before_iend(png_bytes(png_info(("parameters", "x"))), chunk)
    source = CountingSource(BytesSource(data))
    tracemalloc.start()
    try:
        inspection = inspect("bomb.png", source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert inspection.evidence[0].strength is Strength.MEDIUM  # the chunks before it still count
    assert source.bytes_read <= MAX_READ
    assert peak < 8 * MiB
    if keyword.startswith("XML"):
        assert inspection.uninspected == "compressed XMP text is larger than the read budget"


def test_sparse_16_gib_mp4_with_c2pa_up_front_costs_a_few_kilobytes(tmp_path: Path) -> None:
    pytest.importorskip("c2pa")
    signed = c2pa_sign(mp4_bytes(), "video/mp4", TRAINED, generator="Sora")
    uuid_at = signed.index(b"uuid") - 4
    uuid_box = signed[uuid_at : uuid_at + int.from_bytes(signed[uuid_at : uuid_at + 4], "big")]
    head = box(b"ftyp", b"isom\x00\x00\x02\x00isom") + uuid_box + box(b"moov", b"")
    size = 16 << 30
    path = tmp_path / "huge.mp4"
    with path.open("wb") as file:
        file.write(head + struct.pack(">I", 1) + b"mdat" + struct.pack(">Q", size - len(head)))
        file.truncate(size)
    assert path.stat().st_size == size
    with FileSource(path) as source:
        counting = CountingSource(source)
        inspection = inspect(path.name, counting)
    assert inspection.evidence[0].kind == "c2pa"
    assert inspection.uninspected is None
    assert counting.bytes_read < 16 * 1024


def test_many_tiny_chunks_exhaust_the_budget_and_say_so() -> None:
    plain = png_bytes()
    data = png_insert_before_iend(plain, png_chunk(b"ruSt", b"") * 150_000)
    source = CountingSource(BytesSource(data))
    inspection = inspect("flood.png", source)
    assert inspection.uninspected is not None and "budget" in inspection.uninspected
    assert source.bytes_read <= MAX_READ


def test_deeply_nested_jumbf_and_cbor_are_refused_quietly() -> None:
    nested = b"\x81" * 5000 + b"\x00"  # arrays inside arrays
    deep = jumbf_superbox(b"cbor", "c2pa.actions", [box(b"cbor", nested)])
    for _ in range(50):
        deep = jumbf_superbox(b"c2as", "c2pa.assertions", [deep])
    store = jumbf_superbox(b"c2pa", "c2pa", [jumbf_superbox(b"c2ma", "urn:c2pa:1", [deep])])
    data = png_insert_before_iend(png_bytes(), png_chunk(b"caBX", store))
    inspection = inspect("deep.png", BytesSource(data))
    assert inspection.evidence == ()


def test_zero_and_undersized_box_sizes_end_the_walk() -> None:
    data = box(b"ftyp", b"isom") + struct.pack(">I4s", 4, b"free") + bytes(64)
    assert inspect("loop.mp4", BytesSource(data)) == Inspection(evidence=(), uninspected=None)
    to_end = (
        box(b"ftyp", b"isom")
        + struct.pack(">I4s", 0, b"uuid")
        + bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
        + xmp_packet(TRAINED)
    )
    assert inspect("to_end.mp4", BytesSource(to_end)).evidence[0].kind == "xmp-digital-source-type"


def test_lengths_past_the_end_are_corrupt_not_uninspected() -> None:
    for name, data in (
        ("a.png", png_bytes()[:8] + struct.pack(">I", 0x7FFFFFFF) + b"tEXt"),
        ("a.wav", b"RIFF\x24\x00\x00\x00WAVEdata\xfe\xff\xff\xff"),
        ("a.mp3", b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + bytes(20)),
        ("a.tif", b"II*\x00\xff\xff\xff\x7f"),
        ("a.psd", b"8BPS\x00\x01" + bytes(20) + b"\xff\xff\xff\xff"),
    ):
        assert inspect(name, BytesSource(data)) == Inspection(evidence=(), uninspected=None), name
