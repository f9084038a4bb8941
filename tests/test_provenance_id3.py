"""MP3 (ID3v2.2 to 2.4): GEOB C2PA and XMP, PRIV XMP, TSSE/TENC/TXXX software names."""

from __future__ import annotations

import pytest
from provenance_media import (
    TRAINED,
    c2pa_sign,
    id3_frame,
    id3_tag,
    id3_text,
    mp3_bytes,
    xmp_packet,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, inspect


def test_c2pa_signed_mp3_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(mp3_bytes(), "audio/mpeg", TRAINED, generator="ElevenLabs")
    assert data.startswith(b"ID3")
    assert inspect("vo.mp3", BytesSource(data)).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: ElevenLabs 1.0"),
    )


@pytest.mark.parametrize("version", [3, 4])
def test_encoder_and_user_text_frames_are_weak(version: int) -> None:
    tag = id3_tag(
        id3_text("TIT2", "temp VO", version),
        id3_text("TSSE", "Lavf60.3.100", version),
        id3_frame("TXXX", b"\x03generator\x00Suno v4", version),
        version=version,
    )
    assert inspect("vo.mp3", BytesSource(mp3_bytes(tag))).evidence == (
        Evidence("software", Strength.WEAK, "TXXX generator: Suno v4"),
    )


def test_utf16_text_frame_is_decoded() -> None:
    tag = id3_tag(id3_frame("TENC", b"\x01" + "ElevenLabs".encode("utf-16"), 3), version=3)
    assert inspect("vo.mp3", BytesSource(mp3_bytes(tag))).evidence == (
        Evidence("software", Strength.WEAK, "TENC: ElevenLabs"),
    )


def test_id3v22_software_frame_is_read() -> None:
    text = b"\x00Suno"
    frame = b"TSS" + len(text).to_bytes(3, "big") + text
    tag = b"ID3\x02\x00\x00" + bytes((0, 0, 0, len(frame) + 10)) + frame + bytes(10)
    assert inspect("vo.mp3", BytesSource(mp3_bytes(tag))).evidence == (
        Evidence("software", Strength.WEAK, "TSSE: Suno"),
    )


def test_priv_xmp_frame_is_read() -> None:
    tag = id3_tag(id3_frame("PRIV", b"XMP\x00" + xmp_packet(TRAINED)))
    assert inspect("vo.mp3", BytesSource(mp3_bytes(tag))).evidence == (
        Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
    )


def test_geob_xmp_object_is_read() -> None:
    payload = b"\x00application/rdf+xml\x00\x00XMP\x00" + xmp_packet(TRAINED, form="element")
    tag = id3_tag(id3_frame("GEOB", payload, 3), version=3)
    assert inspect("vo.mp3", BytesSource(mp3_bytes(tag))).evidence == (
        Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
    )


def test_unsynchronised_v23_tag_is_resynchronised() -> None:
    frame = id3_frame("TSSE", b"\x00\xffSora", 3)
    unsynchronised = frame.replace(b"\xff", b"\xff\x00")
    body = unsynchronised + bytes(16)
    tag = b"ID3\x03\x00\x80" + bytes((0, 0, 0, len(body))) + body
    evidence = inspect("vo.mp3", BytesSource(mp3_bytes(tag))).evidence
    assert evidence == (Evidence("software", Strength.WEAK, "TSSE: \u00ffSora"),)


def test_mp3_without_a_tag_has_no_evidence() -> None:
    inspection = inspect("vo.mp3", BytesSource(mp3_bytes()))
    assert inspection.evidence == ()
    assert inspection.uninspected is None
