"""JPEG: XMP (standard and extended), EXIF Software and UserComment, C2PA in APP11."""

from __future__ import annotations

import hashlib
import struct

import pytest
from provenance_media import (
    ALGORITHMIC,
    COMPOSITE_TRAINED,
    TRAINED,
    CountingSource,
    c2pa_sign,
    exif_with,
    jpeg_bytes,
    jpeg_insert_segment,
    xmp_packet,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, inspect

A1111_COMMENT = "a fox in snow\nSteps: 30, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 768x768"


def sniff(data: bytes) -> tuple[Evidence, ...]:
    inspection = inspect("plate.jpg", BytesSource(data))
    assert inspection.uninspected is None
    return inspection.evidence


def test_xmp_digital_source_type_attribute_is_strong() -> None:
    evidence = sniff(jpeg_bytes(xmp=xmp_packet(TRAINED)))
    assert evidence == (Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),)


def test_xmp_creator_tool_with_generator_name_is_weak() -> None:
    evidence = sniff(jpeg_bytes(xmp=xmp_packet(creator_tool="Adobe Firefly (web)")))
    assert evidence == (Evidence("software", Strength.WEAK, "CreatorTool: Adobe Firefly (web)"),)


def test_exif_software_with_generator_name_is_weak() -> None:
    evidence = sniff(jpeg_bytes(exif=exif_with(software="DALL-E 3")))
    assert evidence == (Evidence("software", Strength.WEAK, "Software: DALL-E 3"),)


def test_generator_name_spelled_with_a_middle_dot_is_recognised() -> None:
    evidence = sniff(jpeg_bytes(xmp=xmp_packet(creator_tool="DALL\u00b7E 3")))
    assert evidence == (Evidence("software", Strength.WEAK, "CreatorTool: DALL\u00b7E 3"),)


def test_automatic1111_user_comment_is_medium() -> None:
    comment = b"UNICODE\x00" + A1111_COMMENT.encode("utf-16-be")
    evidence = sniff(jpeg_bytes(exif=exif_with(user_comment=comment)))
    assert evidence == (
        Evidence(
            "exif-user-comment", Strength.MEDIUM, "UserComment: AUTOMATIC1111-style generation parameters"
        ),
    )


def test_plain_photo_has_no_evidence() -> None:
    assert sniff(jpeg_bytes(exif=exif_with(software="Adobe Lightroom Classic 13.2"))) == ()


def test_extended_xmp_is_joined_and_read() -> None:
    extension = xmp_packet(COMPOSITE_TRAINED)
    guid = hashlib.md5(extension).hexdigest().upper().encode()
    halves = [extension[: len(extension) // 2], extension[len(extension) // 2 :]]
    data = jpeg_bytes(xmp=xmp_packet(creator_tool="Photoshop"))
    for offset, half in ((len(halves[0]), halves[1]), (0, halves[0])):  # stored out of order
        payload = (
            b"http://ns.adobe.com/xmp/extension/\x00"
            + guid
            + struct.pack(">II", len(extension), offset)
            + half
        )
        data = jpeg_insert_segment(data, 0xE1, payload)
    assert sniff(data) == (Evidence("xmp-digital-source-type", Strength.STRONG, COMPOSITE_TRAINED),)


def test_c2pa_manifest_with_trained_source_type_is_strong() -> None:
    pytest.importorskip("c2pa")
    evidence = sniff(c2pa_sign(jpeg_bytes(), "image/jpeg", TRAINED))
    assert evidence == (Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Adobe Firefly 1.0"),)


def test_c2pa_manifest_with_algorithmic_media_only_is_no_evidence() -> None:
    pytest.importorskip("c2pa")
    assert sniff(c2pa_sign(jpeg_bytes(), "image/jpeg", ALGORITHMIC, generator="Houdini")) == ()


def test_c2pa_store_spanning_several_app11_segments_is_joined() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(jpeg_bytes(), "image/jpeg", COMPOSITE_TRAINED, padding=150_000)
    assert data[: data.index(b"\xff\xda")].count(b"\xff\xeb") >= 3
    source = CountingSource(BytesSource(data))
    inspection = inspect("plate.jpg", source)
    assert inspection.evidence == (
        Evidence("c2pa", Strength.STRONG, f"{COMPOSITE_TRAINED}; claim generator: Adobe Firefly 1.0"),
    )
    assert source.bytes_read < 20_000  # the padding assertion is skipped, not read


def test_metadata_before_the_scan_makes_a_truncated_blob_inspectable() -> None:
    data = jpeg_bytes(xmp=xmp_packet(TRAINED), size=(512, 512))
    scan = data.index(b"\xff\xda")
    inspection = inspect("plate.jpg", BytesSource(data[: scan + 100], size=len(data)))
    assert inspection.uninspected is None
    assert inspection.evidence == (Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),)
