"""MP4, MOV, M4A: C2PA and XMP uuid boxes, moov/udta XMP and software atoms."""

from __future__ import annotations

import struct

import pytest
from provenance_media import (
    TRAINED,
    box,
    c2pa_sign,
    full_box,
    itunes_item,
    itunes_meta,
    mp4_bytes,
    xmp_packet,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, inspect

XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def test_c2pa_signed_mp4_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(mp4_bytes(), "video/mp4", TRAINED, generator="Sora")
    assert inspect("shot.mp4", BytesSource(data)).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Sora 1.0"),
    )


def test_xmp_uuid_box_is_read() -> None:
    data = mp4_bytes(before_moov=[box(b"uuid", XMP_UUID + xmp_packet(TRAINED))])
    assert inspect("shot.mov", BytesSource(data)).evidence == (
        Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
    )


def test_udta_xmp_box_is_read() -> None:
    data = mp4_bytes(udta=[box(b"XMP_", xmp_packet(creator_tool="Runway Gen-3"))])
    assert inspect("shot.mov", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "CreatorTool: Runway Gen-3"),
    )


def test_quicktime_software_atom_is_read() -> None:
    text = b"Veo 3"
    data = mp4_bytes(udta=[box(b"\xa9swr", struct.pack(">HH", len(text), 0x55C4) + text)])
    assert inspect("shot.mov", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "\u00a9swr: Veo 3"),
    )


def test_m4a_encoding_tool_item_is_read() -> None:
    data = mp4_bytes(
        udta=[itunes_meta(itunes_item(b"\xa9too", "Suno v4.5"), itunes_item(b"\xa9nam", "cue 12"))]
    )
    assert inspect("cue12.m4a", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "\u00a9too: Suno v4.5"),
    )


def test_mdta_software_key_is_read() -> None:
    key = b"com.apple.quicktime.software"
    keys = full_box(b"keys", struct.pack(">I", 1) + struct.pack(">I", 8 + len(key)) + b"mdta" + key)
    item = box((1).to_bytes(4, "big"), box(b"data", struct.pack(">II", 1, 0) + b"Kling 2.1"))
    hdlr = full_box(b"hdlr", b"\x00\x00\x00\x00mdta" + bytes(12))
    meta = box(b"meta", hdlr + keys + box(b"ilst", item))  # QuickTime's meta is no full box
    data = mp4_bytes(udta=[meta])
    assert inspect("shot.mov", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "com.apple.quicktime.software: Kling 2.1"),
    )


def test_plain_mp4_has_no_evidence() -> None:
    inspection = inspect("shot.mp4", BytesSource(mp4_bytes()))
    assert inspection.evidence == ()
    assert inspection.uninspected is None


def test_truncated_blob_with_moov_at_the_end_is_uninspected() -> None:
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isom")
    data = ftyp + box(b"mdat", bytes(50_000)) + box(b"moov", box(b"udta", box(b"XMP_", xmp_packet(TRAINED))))
    inspection = inspect("shot.mp4", BytesSource(data[:4096], size=len(data)))
    assert inspection.uninspected is not None
    assert inspect("shot.mp4", BytesSource(data)).evidence == (
        Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
    )


def test_64_bit_box_sizes_are_followed() -> None:
    mdat = struct.pack(">I", 1) + b"mdat" + struct.pack(">Q", 16 + 1000) + bytes(1000)
    data = box(b"ftyp", b"isom\x00\x00\x02\x00") + mdat + box(b"uuid", XMP_UUID + xmp_packet(TRAINED))
    assert inspect("shot.mp4", BytesSource(data)).evidence == (
        Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
    )
