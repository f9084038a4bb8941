"""HEIF/HEIC/AVIF, JPEG XL, GIF and SVG (SPEC §11): C2PA and XMP where their writers put them."""

from __future__ import annotations

import base64
import json
import zlib

import pytest
from provenance_media import (
    TRAINED,
    CountingSource,
    actions,
    box,
    c2pa_sign,
    exif_with,
    jumbf_store,
    xmp_packet,
)
from provenance_media_formats import (
    ILLUSTRATOR_PROLOGUE,
    avif_bytes,
    avif_supported,
    brob_box,
    gif_application,
    gif_bytes,
    gif_insert,
    gif_xmp_raw,
    heic_bytes,
    heif_with_idat_item,
    jxl_bytes,
    jxl_exif_box,
    svg_bytes,
    svgz,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import MAX_READ, BytesSource, Inspection, inspect

XMP_EVIDENCE = Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED)
C2PA_EVIDENCE = Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Adobe Firefly 1.0")
CLEAN = Inspection(evidence=(), uninspected=None)
needs_avif = pytest.mark.skipif(
    not avif_supported(), reason="this Pillow has no AVIF codec (needs Pillow >= 11.3)"
)


# --- HEIF, HEIC, AVIF -------------------------------------------------------------------------


@needs_avif
def test_avif_xmp_and_exif_items_written_by_pillow_are_read() -> None:
    data = avif_bytes(xmp=xmp_packet(TRAINED), exif=exif_with(software="Midjourney v6.1"))
    assert b"application/rdf+xml" in data  # Pillow stores XMP as a mime item, not a uuid box
    assert inspect("still.avif", BytesSource(data)) == Inspection(
        evidence=(XMP_EVIDENCE, Evidence("software", Strength.WEAK, "Software: Midjourney v6.1")),
        uninspected=None,
    )


def test_heic_xmp_and_exif_items_written_by_libheif_are_read() -> None:
    pytest.importorskip("pillow_heif")
    data = heic_bytes(xmp=xmp_packet(creator_tool="Adobe Firefly"), exif=exif_with(software="Photoshop"))
    assert data[8:12] == b"heic"
    assert inspect("IMG_0001.HEIC", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "CreatorTool: Adobe Firefly"),
    )


@needs_avif
def test_c2pa_signed_avif_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(avif_bytes(), "image/avif", TRAINED)
    assert inspect("still.avif", BytesSource(data)).evidence == (C2PA_EVIDENCE,)


def test_c2pa_signed_heic_is_strong() -> None:
    pytest.importorskip("c2pa")
    pytest.importorskip("pillow_heif")
    data = c2pa_sign(heic_bytes(), "image/heic", TRAINED)
    assert inspect("still.heic", BytesSource(data)).evidence == (C2PA_EVIDENCE,)


def test_heif_xmp_item_in_idat_is_read() -> None:
    data = heif_with_idat_item(xmp_packet(TRAINED))
    assert inspect("still.heif", BytesSource(data)).evidence == (XMP_EVIDENCE,)


def test_heif_deflated_xmp_item_is_inflated() -> None:
    data = heif_with_idat_item(zlib.compress(xmp_packet(TRAINED)), encoding="deflate")
    assert inspect("still.heif", BytesSource(data)).evidence == (XMP_EVIDENCE,)


def test_heif_xmp_item_in_an_unknown_encoding_is_uninspected() -> None:
    inspection = inspect("still.heif", BytesSource(heif_with_idat_item(b"\x00" * 40, encoding="br")))
    assert inspection.uninspected == "HEIF XMP item in 'br' encoding cannot be read"


@needs_avif
def test_avif_truncated_before_its_xmp_item_is_uninspected() -> None:
    data = avif_bytes(xmp=xmp_packet(TRAINED), size=(64, 64))
    xmp_at = data.index(b"<?xpacket")
    inspection = inspect("still.avif", BytesSource(data[:xmp_at], size=len(data)))
    assert inspection.evidence == ()
    assert inspection.uninspected is not None


@needs_avif
def test_plain_avif_is_clean_and_costs_only_its_boxes() -> None:
    data = avif_bytes(size=(256, 256))
    source = CountingSource(BytesSource(data))
    assert inspect("still.avif", source) == CLEAN
    assert source.bytes_read < 1024


# --- JPEG XL --------------------------------------------------------------------------------


def test_jxl_xml_box_is_read() -> None:
    data = jxl_bytes(box(b"xml ", xmp_packet(TRAINED)))
    assert inspect("plate.jxl", BytesSource(data)).evidence == (XMP_EVIDENCE,)


def test_jxl_exif_box_after_the_codestream_is_read() -> None:
    data = jxl_bytes(after_codestream=[jxl_exif_box(exif_with(software="Stable Diffusion 3"))])
    assert inspect("plate.jxl", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "Software: Stable Diffusion 3"),
    )


def test_c2pa_signed_jxl_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(jxl_bytes(), "image/jxl", TRAINED)
    assert inspect("plate.jxl", BytesSource(data)).evidence == (C2PA_EVIDENCE,)


def test_hand_built_jumb_box_is_read_as_a_c2pa_store() -> None:
    store = jumbf_store([("urn:c2pa:1", {"claim_generator": "Firefly"}, {"c2pa.actions": actions(TRAINED)})])
    assert store[4:8] == b"jumb"
    data = jxl_bytes(store)  # the top-level box is the store's own superbox
    assert inspect("plate.jxl", BytesSource(data)).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Firefly"),
    )


@pytest.mark.parametrize("inner", [b"xml ", b"Exif", b"jumb"])
def test_brotli_compressed_jxl_metadata_is_uninspected(inner: bytes) -> None:
    data = jxl_bytes(brob_box(inner, b"\x1b\x03\x00\xf8\xa5\x82" * 8))
    inspection = inspect("plate.jxl", BytesSource(data))
    assert inspection.evidence == ()
    assert inspection.uninspected == f"Brotli-compressed JPEG XL {inner.decode().strip()} box cannot be read"


def test_bare_jxl_codestream_is_clean() -> None:
    assert inspect("plate.jxl", BytesSource(b"\xff\x0a" + bytes(64))) == CLEAN


# --- GIF ------------------------------------------------------------------------------------


def test_gif_xmp_written_raw_after_the_frames_is_read() -> None:
    data = gif_insert(gif_bytes(frames=3), gif_xmp_raw(xmp_packet(TRAINED)), at_end=True)
    assert inspect("loop.gif", BytesSource(data)).evidence == (XMP_EVIDENCE,)


def test_gif_xmp_in_sub_blocks_is_read() -> None:
    packet = xmp_packet(TRAINED) + bytes([1]) + bytes(range(255, -1, -1))  # c2pa-rs keeps the trailer
    data = gif_insert(gif_bytes(), gif_application(b"XMP DataXMP", packet))
    assert inspect("loop.gif", BytesSource(data)).evidence == (XMP_EVIDENCE,)


def test_c2pa_signed_gif_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(gif_bytes(frames=2), "image/gif", TRAINED)
    assert b"C2PA_GIF" in data
    assert inspect("loop.gif", BytesSource(data)).evidence == (C2PA_EVIDENCE,)


def test_gif_comment_naming_a_generator_is_weak() -> None:
    data = gif_bytes(comment=b"Made with Midjourney")
    assert inspect("loop.gif", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "GIF comment: Made with Midjourney"),
    )


def test_frames_of_a_gif_larger_than_the_budget_are_skipped_to_the_xmp_after_them() -> None:
    gif = gif_bytes(frames=24, size=(256, 256), noise=True)
    data = gif_insert(gif, gif_xmp_raw(xmp_packet(TRAINED)), at_end=True)
    assert len(data) > 2 * MAX_READ
    source = CountingSource(BytesSource(data))
    assert inspect("loop.gif", source) == Inspection(evidence=(XMP_EVIDENCE,), uninspected=None)
    assert source.bytes_read <= MAX_READ  # lengths of full sub-blocks, one byte each


def test_gif_truncated_before_its_trailer_is_uninspected() -> None:
    data = gif_insert(
        gif_bytes(frames=4, size=(64, 64), noise=True), gif_xmp_raw(xmp_packet(TRAINED)), at_end=True
    )
    inspection = inspect("loop.gif", BytesSource(data[: len(data) // 2], size=len(data)))
    assert inspection.evidence == ()
    assert inspection.uninspected is not None


def test_plain_gif_is_clean() -> None:
    assert inspect("loop.gif", BytesSource(gif_bytes(frames=3))) == CLEAN


# --- SVG ------------------------------------------------------------------------------------


def test_c2pa_signed_svg_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(svg_bytes(), "image/svg+xml", TRAINED)
    assert b"<c2pa:manifest>" in data
    assert inspect("logo.svg", BytesSource(data)).evidence == (C2PA_EVIDENCE,)


def test_svg_xmp_in_metadata_is_read_despite_a_dtd_with_entities() -> None:
    packet = xmp_packet(TRAINED, creator_tool="Adobe Illustrator 28.0").decode()
    data = svg_bytes(packet, prologue=ILLUSTRATOR_PROLOGUE)
    assert inspect("logo.svg", BytesSource(data)).evidence == (XMP_EVIDENCE,)


def test_svg_manifest_with_a_declared_prefix_is_read() -> None:
    store = jumbf_store([("urn:c2pa:1", {"claim_generator": "Firefly"}, {"c2pa.actions": actions(TRAINED)})])
    encoded = base64.encodebytes(store).decode()  # wrapped at 76 columns, as some writers do
    element = f'<cr:manifest xmlns:cr="http://c2pa.org/manifest">\n{encoded}</cr:manifest>'
    assert inspect("logo.svg", BytesSource(svg_bytes(element))).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Firefly"),
    )


def test_svg_element_named_manifest_in_another_namespace_is_ignored() -> None:
    element = '<app:manifest xmlns:app="urn:example">AAAA</app:manifest>'
    assert inspect("logo.svg", BytesSource(svg_bytes(element))) == CLEAN


def test_entities_are_never_expanded() -> None:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "Midjourney"}">' for i in range(10))
    data = svg_bytes(
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>&l9;</x:xmpmeta>", prologue=f"<!DOCTYPE svg [{laughs}]>"
    )
    assert inspect("logo.svg", BytesSource(data)) == CLEAN


def test_svgz_is_inflated_and_read() -> None:
    data = svgz(svg_bytes(xmp_packet(TRAINED).decode()))
    assert inspect("logo.svgz", BytesSource(data)).evidence == (XMP_EVIDENCE,)


def test_svg_larger_than_the_budget_with_metadata_at_the_end_is_uninspected() -> None:
    paths = '<path d="M0 0h1"/>' * 80_000
    data = svg_bytes(body=paths + f"<metadata>{xmp_packet(TRAINED).decode()}</metadata>")
    assert len(data) > 1 << 20
    inspection = inspect("logo.svg", BytesSource(data))
    assert inspection.evidence == ()
    assert inspection.uninspected == "SVG is larger than what was read, and no metadata was found in it"


def test_plain_svg_is_clean() -> None:
    metadata = json.dumps({"note": "no provenance"})
    assert inspect("logo.svg", BytesSource(svg_bytes(metadata))) == CLEAN
