"""WebP and WAV: XMP, EXIF, INFO and bext fields, and the C2PA chunk that follows the samples."""

from __future__ import annotations

import struct

import pytest
from provenance_media import (
    COMPOSITE_SYNTHETIC,
    TRAINED,
    CountingSource,
    c2pa_sign,
    exif_with,
    info_list,
    riff_chunk,
    wav_bytes,
    webp_bytes,
    xmp_packet,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, inspect

SIGNED_BY = "claim generator: Adobe Firefly 1.0"


def test_webp_xmp_chunk_is_read() -> None:
    data = webp_bytes(xmp=xmp_packet(TRAINED))
    assert b"XMP " in data
    assert inspect("still.webp", BytesSource(data)).evidence == (
        Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
    )


def test_webp_exif_software_is_read() -> None:
    data = webp_bytes(exif=exif_with(software="Leonardo.Ai"))
    assert inspect("still.webp", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "Software: Leonardo.Ai"),
    )


def test_webp_with_composite_synthetic_only_is_no_evidence() -> None:
    assert inspect("still.webp", BytesSource(webp_bytes(xmp=xmp_packet(COMPOSITE_SYNTHETIC)))).evidence == ()


def test_c2pa_signed_webp_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(webp_bytes(), "image/webp", TRAINED)
    assert inspect("still.webp", BytesSource(data)).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; {SIGNED_BY}"),
    )


def test_c2pa_signed_wav_with_the_store_after_data_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(wav_bytes(samples=20_000), "audio/wav", TRAINED)
    assert data.index(b"C2PA") > data.index(b"data")
    source = CountingSource(BytesSource(data))
    assert inspect("vo_take3.wav", source).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; {SIGNED_BY}"),
    )
    assert source.bytes_read < 8_000  # the 40 kB of samples are skipped


def test_wav_whose_chunks_after_data_were_not_read_is_uninspected() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(wav_bytes(samples=20_000), "audio/wav", TRAINED)
    inspection = inspect("vo_take3.wav", BytesSource(data[:2048], size=len(data)))
    assert inspection.evidence == ()
    assert inspection.uninspected is not None


def test_wav_info_software_is_weak() -> None:
    data = wav_bytes(before=[info_list(ISFT="ElevenLabs Multilingual v2", ICMT="temp VO")])
    assert inspect("vo.wav", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "ISFT: ElevenLabs Multilingual v2"),
    )


def test_broadcast_wav_originator_is_weak() -> None:
    bext = (
        b"temp score".ljust(256, b"\x00")
        + b"Suno v4".ljust(32, b"\x00")
        + bytes(32 + 10 + 8 + 8 + 2 + 64 + 190)
    )
    data = wav_bytes(before=[riff_chunk(b"bext", bext)])
    assert inspect("score.wav", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "bext Originator: Suno v4"),
    )


def test_wav_xmp_chunk_is_read() -> None:
    data = wav_bytes(after=[riff_chunk(b"_PMX", xmp_packet(TRAINED, form="element"))])
    assert inspect("vo.wav", BytesSource(data)).evidence == (
        Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
    )


def test_rf64_wav_with_ds64_sizes_is_walked() -> None:
    plain = wav_bytes(after=[info_list(ISFT="Suno")], samples=100)
    data_at = plain.index(b"data")
    data_size = int.from_bytes(plain[data_at + 4 : data_at + 8], "little")
    ds64 = riff_chunk(b"ds64", struct.pack("<QQQI", len(plain) - 8, data_size, 100, 0))
    body = plain[12:data_at] + b"data" + b"\xff\xff\xff\xff" + plain[data_at + 8 :]
    data = b"RF64" + b"\xff\xff\xff\xff" + b"WAVE" + ds64 + body
    assert inspect("vo.wav", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "ISFT: Suno"),
    )


def test_trailing_junk_after_the_riff_size_is_ignored() -> None:
    data = wav_bytes(before=[info_list(ISFT="Kling")]) + b"TAG" + bytes(125)  # an ID3v1 tag
    inspection = inspect("vo.wav", BytesSource(data))
    assert inspection.evidence == (Evidence("software", Strength.WEAK, "ISFT: Kling"),)
    assert inspection.uninspected is None
