"""The SPEC §11 readers under truncated, corrupt and hostile input: no crash, no hang, bounded
reads and memory, and never "clean" where evidence could lie beyond what was read."""

from __future__ import annotations

import functools
import struct
import time
import tracemalloc
import zlib

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
    jumbf_store,
    jumbf_superbox,
    tiff_bytes,
    xmp_packet,
)
from provenance_media_formats import (
    avif_bytes,
    avif_supported,
    comfyui_webp,
    dpx_bytes,
    gif_application,
    gif_bytes,
    gif_insert,
    gif_xmp_raw,
    heif_with_idat_item,
    identification_set,
    jxl_bytes,
    jxl_exif_box,
    klv,
    mxf_bytes,
    pdf_bytes,
    pillow_pdf,
    svg_bytes,
    svgz,
    with_tiff_magic,
)

from genai_hooks.provenance import MAX_READ, BytesSource, Inspection, _parser_for, inspect
from genai_hooks.provenance.evidence import EvidenceLog
from genai_hooks.provenance.reader import BoundedReader, MediaError

MiB = 1 << 20
STORE = jumbf_store([("urn:c2pa:1", {"claim_generator": "gen"}, {"c2pa.actions": actions(TRAINED)})])


@functools.lru_cache(maxsize=1)
def seeds() -> tuple[tuple[str, bytes], ...]:
    """One small file per new format, each with evidence where its reader must look for it."""
    packet = xmp_packet(TRAINED)
    files = [
        ("a.heif", heif_with_idat_item(packet)),
        ("b.jxl", jxl_bytes(box(b"xml ", packet), STORE, after_codestream=[jxl_exif_box(exif_with("Krea"))])),
        ("c.gif", gif_insert(gif_bytes(frames=2, comment=b"Sora"), gif_xmp_raw(packet), at_end=True)),
        ("d.gif", gif_insert(gif_bytes(), gif_application(b"C2PA_GIF\x01\x00\x00", STORE))),
        ("e.svg", svg_bytes(packet.decode())),
        ("f.svgz", svgz(svg_bytes(packet.decode()))),
        ("g.pdf", pdf_bytes(xmp=packet, info={"Producer": b"(Veo)"})),
        ("h.pdf", pdf_bytes(xmp=packet, compress=True)),
        ("i.rw2", with_tiff_magic(tiff_bytes({700: packet}), b"IIU\x00")),
        ("j.dpx", dpx_bytes(creator="Midjourney")),
        ("k.mxf", mxf_bytes(identification_set(product="Runway"), essence=256)),
        ("l.webp", comfyui_webp({"3": {"class_type": "KSampler"}}, {"nodes": []}, frames=2)),
    ]
    if avif_supported():
        files.append(("m.avif", avif_bytes(xmp=packet)))
    try:
        files.append(("n.svg", c2pa_sign(svg_bytes(), "image/svg+xml", TRAINED)))
        files.append(("o.pdf", c2pa_sign(pillow_pdf(), "application/pdf", TRAINED)))
        files.append(("p.jxl", c2pa_sign(jxl_bytes(), "image/jxl", TRAINED)))
        files.append(("q.gif", c2pa_sign(gif_bytes(), "image/gif", TRAINED)))
    except ImportError:
        pass
    return tuple(files)


def test_every_seed_carries_evidence() -> None:
    for name, data in seeds():
        assert inspect(name, BytesSource(data)).evidence, name


def survive(name: str, data: bytes, size: int) -> Inspection:
    source = CountingSource(BytesSource(data, size=size))
    inspection = inspect(name, source)
    assert source.bytes_read <= MAX_READ
    for item in inspection.evidence:
        assert len(item.detail) <= 200 and item.detail.isprintable()
    parser = _parser_for(name, data[:16])
    if parser is not None:  # the safety net in inspect() must not be what keeps us alive
        try:
            parser(BoundedReader(BytesSource(data, size=size)), EvidenceLog())
        except MediaError:
            pass
    return inspection


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(17))
def test_truncation_at_every_offset_is_never_clean(seed: int) -> None:
    if seed >= len(seeds()):
        pytest.skip("seed needs an optional writer (c2pa-python, Pillow AVIF)")
    name, data = seeds()[seed]
    for cut in range(len(data)):
        # A blob read in part (an absent LFS object): evidence, or uninspected, never clean.
        partial = survive(name, data[:cut], len(data))
        assert partial.evidence or partial.uninspected, (name, cut)
        survive(name, data[:cut], cut)  # a file that is merely short: corrupt, no crash


EXTREMES = [0, 1, 7, 8, 11, 16, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]


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
            order = draw(st.sampled_from(["<I", ">I", ">H", ">Q"]))
            value = draw(st.sampled_from(EXTREMES)) & ((1 << (8 * struct.calcsize(order))) - 1)
            buffer[at : at + struct.calcsize(order)] = struct.pack(order, value)
        elif operation == "insert":
            buffer[at:at] = draw(st.binary(max_size=64))
        else:
            del buffer[at : at + draw(st.integers(1, 64))]
    whole = bytes(buffer)
    kept = whole[: draw(st.integers(0, len(whole)))] if draw(st.booleans()) else whole
    return name, kept, len(whole) if draw(st.booleans()) else len(kept)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_never_crash_or_overread(case: tuple[str, bytes, int]) -> None:
    survive(*case)


MAGICS = [
    bytes.fromhex("0000000c4a584c200d0a870a"),
    b"\xff\x0a",
    b"GIF89a",
    b"GIF87a\x10\x00\x10\x00\x87\x00\x00",
    b"%PDF-1.7\n",
    b"SDPX",
    b"XPDS",
    bytes.fromhex("060e2b34020501010d01020101020400"),
    b"IIU\x00",
    b"IIRO",
    b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00avifmif1",
    b"\x1f\x8b\x08\x00",
    b"<svg xmlns='http://www.w3.org/2000/svg'><metadata>",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(MAGICS), st.binary(max_size=800), st.sampled_from(["f.svg", "f.mxf", "f.pdf", "f.bin"])
)
def test_random_bytes_behind_a_magic_never_crash(magic: bytes, tail: bytes, name: str) -> None:
    survive(name, magic + tail, len(magic) + len(tail))


# --- bombs, floods, giant lengths, deep nesting ------------------------------------------------


def zlib_bomb(megabytes: int, wbits: int = 15) -> bytes:
    """A stream inflating to `megabytes` MiB of zeros (gzip when wbits is 31)."""
    engine = zlib.compressobj(9, zlib.DEFLATED, wbits)
    chunk = engine.compress(bytes(MiB))
    return chunk + b"".join(engine.compress(bytes(MiB)) for _ in range(megabytes - 1)) + engine.flush()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zlib_bomb(256)


def timed_inspection(name: str, data: bytes, *, memory: bool = False) -> tuple[Inspection, int]:
    """Inspect within 5 seconds and the read budget; with `memory`, also the peak allocation."""
    source = CountingSource(BytesSource(data))
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        inspection = inspect(name, source)
        peak = tracemalloc.get_traced_memory()[1] if memory else 0
    finally:
        if memory:
            tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert source.bytes_read <= MAX_READ
    return inspection, peak


@pytest.mark.slow
def test_zlib_bomb_in_a_pdf_xmp_stream_is_never_fully_inflated(bomb: bytes) -> None:
    head = b"1 0 obj\n<< /Type /Metadata /Subtype /XML /Filter /FlateDecode /Length %d >>\nstream\n" % len(
        bomb
    )
    data = b"%PDF-1.7\n" + head + bomb + b"\nendstream\nendobj\n%%EOF\n"
    inspection, peak = timed_inspection("bomb.pdf", data, memory=True)
    assert peak < 16 * MiB
    assert inspection.uninspected is not None


def test_gzip_bomb_svgz_is_never_fully_inflated() -> None:
    inspection, peak = timed_inspection("bomb.svgz", zlib_bomb(64, wbits=31), memory=True)
    assert peak < 16 * MiB
    assert inspection.uninspected == "SVG is larger than what was read, and no metadata was found in it"


@pytest.mark.slow
def test_deflate_bomb_in_a_heif_item_is_never_fully_inflated(bomb: bytes) -> None:
    inspection, peak = timed_inspection(
        "bomb.heif", heif_with_idat_item(bomb[: 512 * 1024], encoding="deflate"), memory=True
    )
    assert peak < 16 * MiB
    assert inspection.uninspected is not None


def test_gif_flood_of_one_byte_sub_blocks_exhausts_the_budget_quickly() -> None:
    gif = gif_bytes()
    flood = b"\x21\xfe" + b"\x01x" * (2 * MiB) + b"\x00"  # a comment in 2 M one-byte sub-blocks
    inspection, _ = timed_inspection("flood.gif", gif_insert(gif, flood))
    assert inspection.uninspected is not None


def test_gif_with_endless_empty_extensions_is_uninspected() -> None:
    data = gif_insert(gif_bytes(), b"\x21\xf9\x00" * 200_000)
    inspection, _ = timed_inspection("flood.gif", data)
    assert inspection.uninspected is not None


@pytest.mark.parametrize("packed", [0x80, 0x87, 0xFF])
def test_gif_colour_tables_past_the_end_are_corrupt(packed: int) -> None:
    data = b"GIF89a\x01\x00\x01\x00" + bytes((packed,)) + b"\x00\x00"
    assert inspect("short.gif", BytesSource(data)) == Inspection(evidence=(), uninspected=None)


def test_jxl_with_thousands_of_boxes_is_uninspected() -> None:
    data = jxl_bytes(*(box(b"free") for _ in range(10_000)), box(b"xml ", xmp_packet(TRAINED)))
    inspection, _ = timed_inspection("many.jxl", data)
    assert inspection.uninspected == "JPEG XL file has too many boxes to walk"


def test_jxl_64_bit_box_size_past_the_end_is_corrupt() -> None:
    data = jxl_bytes(struct.pack(">I4sQ", 1, b"xml ", 1 << 62))
    assert inspect("giant.jxl", BytesSource(data)) == Inspection(evidence=(), uninspected=None)


def test_heif_giant_item_counts_and_extents_are_refused() -> None:
    data = heif_with_idat_item(xmp_packet(TRAINED))
    iloc = data.index(b"iloc")
    giant_extent = data[: iloc + 4 + 4 + 2 + 2 + 12] + b"\xff\xff\xff\xff" + data[iloc + 4 + 4 + 2 + 2 + 16 :]
    assert inspect("giant.heif", BytesSource(giant_extent)).evidence == ()
    iinf = data.index(b"iinf")
    giant_count = data[: iinf + 8] + b"\xff\xff" + data[iinf + 10 :]
    assert inspect("giant.heif", BytesSource(giant_count)) == Inspection(evidence=(), uninspected=None)


def test_mxf_flood_of_tiny_sets_is_uninspected() -> None:
    flood = b"".join(klv(bytes.fromhex("060e2b34025301010d01010101011800"), b"") for _ in range(30_000))
    data = mxf_bytes(flood, header_byte_count=False)
    inspection, _ = timed_inspection("flood.mxf", data)
    assert inspection.uninspected is not None


def test_mxf_giant_ber_length_is_corrupt() -> None:
    data = mxf_bytes(identification_set(product="Sora")) + b""
    giant = data.replace(
        bytes.fromhex("060e2b34025301010d01010101013000") + b"\x83",
        bytes.fromhex("060e2b34025301010d01010101013000") + b"\x88\xff\xff\xff\xff\xff\xff\xff\xff",
        1,
    )
    assert inspect("giant.mxf", BytesSource(giant)).evidence == ()


def test_pdf_flood_of_stream_keywords_is_bounded() -> None:
    data = b"%PDF-1.7\n" + b"obj stream\n" * 90_000
    inspection, _ = timed_inspection("flood.pdf", data)
    assert inspection == Inspection(evidence=(), uninspected=None)


def test_pdf_giant_stream_length_is_uninspected_not_clean() -> None:
    data = pdf_bytes(xmp=xmp_packet(TRAINED)).replace(
        b"/Subtype /XML /Length ", b"/Subtype /XML /Length 99999999999 %"
    )
    assert (
        inspect("giant.pdf", BytesSource(data)).uninspected == "PDF XMP stream continues past what was read"
    )


@pytest.mark.slow
def test_deeply_nested_svg_metadata_is_harmless() -> None:
    nested = "<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + "<g>" * 100_000 + "</g>" * 100_000 + "</x:xmpmeta>"
    inspection, _ = timed_inspection("deep.svg", svg_bytes(nested))
    assert inspection.evidence == ()


def test_deeply_nested_jumbf_in_a_gif_is_refused_quietly() -> None:
    deep = jumbf_superbox(b"cbor", "c2pa.actions", [box(b"cbor", b"\x81" * 5000 + b"\x00")])
    for _ in range(50):
        deep = jumbf_superbox(b"c2as", "c2pa.assertions", [deep])
    store = jumbf_superbox(b"c2pa", "c2pa", [jumbf_superbox(b"c2ma", "urn:c2pa:1", [deep])])
    data = gif_insert(gif_bytes(), gif_application(b"C2PA_GIF\x01\x00\x00", store))
    assert inspect("deep.gif", BytesSource(data)).evidence == ()
