"""TIFF, DNG, PSD and PSB: IFD0 tags and Photoshop image resources."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from provenance_media import (
    TRAINED,
    CountingSource,
    actions,
    c2pa_sign,
    jumbf_store,
    psd_bytes,
    psd_resource,
    tiff_bytes,
    xmp_packet,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, FileSource, inspect

XMP_TAG, SOFTWARE_TAG, DNG_VERSION_TAG = 700, 305, 50706


def test_tiff_xmp_tag_and_software_tag_are_read() -> None:
    data = tiff_bytes({XMP_TAG: xmp_packet(TRAINED), SOFTWARE_TAG: "Midjourney"})
    inspection = inspect("plate.tif", BytesSource(data))
    assert inspection == type(inspection)(
        evidence=(
            Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
            Evidence("software", Strength.WEAK, "Software: Midjourney"),
        ),
        uninspected=None,
    )


def test_big_endian_tiff_is_read() -> None:
    data = _big_endian_tiff({SOFTWARE_TAG: b"Krea AI\x00"})  # Pillow writes Intel order only
    assert Image.open(io.BytesIO(data)).size == (1, 1)
    assert inspect("plate.tif", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "Software: Krea AI"),
    )


def _big_endian_tiff(ascii_tags: dict[int, bytes]) -> bytes:
    """A 1x1 8-bit grey Motorola-order TIFF with the given ASCII tags."""
    pixel_at = 8
    image_tags = [
        (256, 3, 1, 1 << 16),
        (257, 3, 1, 1 << 16),
        (258, 3, 1, 8 << 16),
        (262, 3, 1, 1 << 16),
        (273, 4, 1, pixel_at),
        (277, 3, 1, 1 << 16),
        (279, 4, 1, 1),
    ]
    entries = len(image_tags) + len(ascii_tags)
    ifd_at = 10
    values_at = ifd_at + 2 + 12 * entries + 4
    table, values = b"", b""
    for tag, kind, count, value in image_tags:
        table += (
            tag.to_bytes(2, "big")
            + kind.to_bytes(2, "big")
            + count.to_bytes(4, "big")
            + value.to_bytes(4, "big")
        )
    for tag, text in sorted(ascii_tags.items()):
        table += tag.to_bytes(2, "big") + (2).to_bytes(2, "big") + len(text).to_bytes(4, "big")
        table += (values_at + len(values)).to_bytes(4, "big")
        values += text
    ordered = b"".join(sorted(table[i : i + 12] for i in range(0, len(table), 12)))
    header = b"MM\x00*" + ifd_at.to_bytes(4, "big") + b"\x80\x00"  # pixel, then a pad byte
    return header + entries.to_bytes(2, "big") + ordered + bytes(4) + values


def test_dng_is_read_as_tiff(tmp_path: Path) -> None:
    data = tiff_bytes({DNG_VERSION_TAG: b"\x01\x06\x00\x00", XMP_TAG: xmp_packet(TRAINED, form="resource")})
    path = tmp_path / "A001C003.dng"
    path.write_bytes(data)
    with FileSource(path) as source:
        assert inspect(path.name, source).evidence == (
            Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
        )


def test_c2pa_signed_tiff_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(tiff_bytes({}), "image/tiff", TRAINED)
    assert inspect("plate.tif", BytesSource(data)).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Adobe Firefly 1.0"),
    )


def test_c2pa_tag_after_the_pixels_beyond_what_was_read_is_uninspected() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(tiff_bytes({}, size=(64, 64)), "image/tiff", TRAINED)
    store = data.index(b"jumb") - 4
    assert store > 64 * 64 * 3  # c2pa-python writes the store after the strip
    inspection = inspect("plate.tif", BytesSource(data[:store], size=len(data)))
    assert inspection.evidence == ()
    assert inspection.uninspected is not None


def test_large_tiff_costs_only_its_header() -> None:
    data = tiff_bytes({SOFTWARE_TAG: "FLUX.1 [dev]"}, size=(1024, 1024))
    source = CountingSource(BytesSource(data))
    assert inspect("plate.tif", source).evidence == (
        Evidence("software", Strength.WEAK, "Software: FLUX.1 [dev]"),
    )
    assert source.bytes_read < 1024


def test_psd_xmp_resource_is_read() -> None:
    data = psd_bytes(psd_resource(1005, bytes(16)), psd_resource(1060, xmp_packet(TRAINED)))
    assert inspect("matte.psd", BytesSource(data)).evidence == (
        Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
    )


def test_psb_xmp_resource_is_read() -> None:
    data = psd_bytes(psd_resource(1060, xmp_packet(creator_tool="Adobe Firefly")), version=2)
    assert inspect("matte.psb", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "CreatorTool: Adobe Firefly"),
    )


def test_psd_resource_holding_a_c2pa_store_is_read() -> None:
    # No library writes C2PA into PSD; the store is a faithful JUMBF built by hand.
    store = jumbf_store(
        [("urn:c2pa:1", {"claim_generator": "Photoshop/25.0"}, {"c2pa.actions": actions(TRAINED)})]
    )
    data = psd_bytes(psd_resource(1060, xmp_packet()), psd_resource(4000, store))
    assert inspect("matte.psd", BytesSource(data)).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Photoshop/25.0"),
    )


def test_psd_without_provenance_has_no_evidence() -> None:
    inspection = inspect(
        "matte.psd", BytesSource(psd_bytes(psd_resource(1060, xmp_packet(creator_tool="Photoshop"))))
    )
    assert inspection.evidence == ()
    assert inspection.uninspected is None
