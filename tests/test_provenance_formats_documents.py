"""PDF, camera raws and BigTIFF, DPX and MXF (SPEC §11), and which names have a reader."""

from __future__ import annotations

import pytest
from provenance_media import TRAINED, CountingSource, c2pa_sign, tiff_bytes, xmp_packet
from provenance_media_formats import (
    bigtiff_bytes,
    dpx_bytes,
    identification_set,
    mxf_bytes,
    pdf_bytes,
    pillow_pdf,
    with_tiff_magic,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import (
    MAX_READ,
    BytesSource,
    Inspection,
    inspect,
    is_inspectable,
    media_only,
    sniffable,
)

XMP_EVIDENCE = Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED)
C2PA_EVIDENCE = Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Adobe Firefly 1.0")
CLEAN = Inspection(evidence=(), uninspected=None)
SOFTWARE_TAG, DNG_VERSION_TAG = 305, 50706


# --- PDF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("compress", [False, True], ids=["uncompressed", "flate"])
def test_pdf_xmp_metadata_stream_is_read(compress: bool) -> None:
    data = pdf_bytes(xmp=xmp_packet(TRAINED), compress=compress)
    assert inspect("storyboard.pdf", BytesSource(data)) == Inspection(
        evidence=(XMP_EVIDENCE,), uninspected=None
    )


def test_c2pa_signed_pdf_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(pillow_pdf(), "application/pdf", TRAINED)
    assert b"/AFRelationship/C2PA_Manifest" in data  # an embedded file, as c2pa-rs writes it
    assert inspect("storyboard.pdf", BytesSource(data)).evidence == (C2PA_EVIDENCE,)


def test_pdf_producer_naming_a_generator_is_weak() -> None:
    data = pdf_bytes(
        info={"Producer": b"(Midjourney export \\(v6\\))", "Creator": b"<FEFF0046004C005500580031>"}
    )
    assert inspect("storyboard.pdf", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "Producer: Midjourney export (v6)"),
        Evidence("software", Strength.WEAK, "Creator: FLUX1"),
    )


def test_large_pdf_with_its_xmp_at_the_end_is_read_from_the_tail() -> None:
    data = pdf_bytes(xmp=xmp_packet(TRAINED), padding=3 << 20, xmp_last=True)
    source = CountingSource(BytesSource(data))
    assert inspect("storyboard.pdf", source) == Inspection(evidence=(XMP_EVIDENCE,), uninspected=None)
    assert source.bytes_read <= MAX_READ


def test_large_pdf_without_xmp_in_what_was_read_is_uninspected() -> None:
    data = pdf_bytes(padding=3 << 20)
    inspection = inspect("storyboard.pdf", BytesSource(data))
    assert inspection.uninspected == "PDF is larger than what was read, and no XMP was found in what was"


def test_small_pdf_without_xmp_is_clean() -> None:
    assert inspect("storyboard.pdf", BytesSource(pillow_pdf())) == CLEAN


def test_truncated_pdf_blob_is_uninspected() -> None:
    data = pdf_bytes(xmp=xmp_packet(TRAINED), padding=20_000, xmp_last=True)
    inspection = inspect("storyboard.pdf", BytesSource(data[:10_000], size=len(data)))
    assert inspection.evidence == ()
    assert inspection.uninspected is not None


def test_pdf_xmp_in_an_unsupported_filter_is_uninspected() -> None:
    data = pdf_bytes(xmp=xmp_packet(TRAINED).hex().encode() + b">", filters="/ASCIIHexDecode")
    inspection = inspect("storyboard.pdf", BytesSource(data))
    assert inspection.evidence == ()
    assert inspection.uninspected == "PDF metadata stream uses filters ASCIIHexDecode"


def test_indirect_stream_length_is_not_misread() -> None:
    data = pdf_bytes(xmp=xmp_packet(TRAINED)).replace(
        b"/Subtype /XML /Length", b"/Subtype /XML /Length 12 0 R %"
    )
    assert inspect("storyboard.pdf", BytesSource(data)).evidence == (XMP_EVIDENCE,)


# --- camera raws and BigTIFF --------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["IMG_0001.CR2", "DSC_0001.NEF", "A7S_0001.ARW", "P1000001.PEF", "B001C002.dng"]
)
def test_tiff_structured_raw_is_read(name: str) -> None:
    data = tiff_bytes({SOFTWARE_TAG: "Midjourney", 700: xmp_packet(TRAINED)})
    assert inspect(name, BytesSource(data)).evidence == (
        XMP_EVIDENCE,
        Evidence("software", Strength.WEAK, "Software: Midjourney"),
    )


@pytest.mark.parametrize(("magic", "name"), [(b"IIU\x00", "P1000001.RW2"), (b"IIRO", "P1010001.ORF")])
def test_raws_with_their_own_tiff_magic_are_read_whatever_their_name(magic: bytes, name: str) -> None:
    data = with_tiff_magic(tiff_bytes({700: xmp_packet(TRAINED)}), magic)
    assert inspect(name, BytesSource(data)).evidence == (XMP_EVIDENCE,)
    assert inspect("renamed.bin", BytesSource(data)).evidence == (XMP_EVIDENCE,)


def test_bigtiff_written_by_pillow_is_read() -> None:
    data = bigtiff_bytes({SOFTWARE_TAG: "Runway Gen-4"})
    assert data[:4] == b"II+\x00"
    assert inspect("matte.btf", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "Software: Runway Gen-4"),
    )


def test_c2pa_signed_dng_is_strong() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(tiff_bytes({DNG_VERSION_TAG: b"\x01\x06\x00\x00"}), "image/dng", TRAINED)
    assert inspect("B001C002.dng", BytesSource(data)).evidence == (C2PA_EVIDENCE,)


# --- DPX ------------------------------------------------------------------------------------


@pytest.mark.parametrize("little", [False, True], ids=["SDPX", "XPDS"])
def test_dpx_creator_naming_a_generator_is_weak(little: bool) -> None:
    data = dpx_bytes(creator="Runway Gen-4 export", project="SH010", little=little)
    assert inspect("sh010.1001.dpx", BytesSource(data)) == Inspection(
        evidence=(Evidence("software", Strength.WEAK, "DPX creator: Runway Gen-4 export"),), uninspected=None
    )


def test_dpx_project_copyright_device_and_user_data_are_read() -> None:
    data = dpx_bytes(project="Sora tests", copyright_="Kling AI", input_device="Veo", user_id="Krea")
    details = [item.detail for item in inspect("sh010.1001.dpx", BytesSource(data)).evidence]
    assert details == [
        "DPX project: Sora tests",
        "DPX copyright: Kling AI",
        "DPX input device: Veo",
        "DPX user data: Krea",
    ]


def test_dpx_from_a_scanner_is_clean() -> None:
    data = dpx_bytes(creator="ARRISCAN", project="Reel 3", copyright_="Studio")
    assert inspect("sh010.1001.dpx", BytesSource(data)) == CLEAN


def test_dpx_marker_of_a_declared_tool_is_found() -> None:
    data = dpx_bytes(creator="StudioGen Pro 2.3")
    assert inspect("a.dpx", BytesSource(data), markers=["StudioGen"]).evidence == (
        Evidence("marker", Strength.WEAK, "DPX creator: StudioGen Pro 2.3"),
    )


# --- MXF ------------------------------------------------------------------------------------


def test_mxf_identification_naming_a_generator_is_weak() -> None:
    data = mxf_bytes(
        identification_set(company="Avid", product="Media Composer", platform="Windows"),
        identification_set(company="Runway AI, Inc.", product="Runway Gen-4", platform="Runway cloud"),
    )
    assert inspect("A001C003.mxf", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "MXF CompanyName: Runway AI, Inc."),
        Evidence("software", Strength.WEAK, "MXF ProductName: Runway Gen-4"),
        Evidence("software", Strength.WEAK, "MXF Platform: Runway cloud"),
    )


def test_mxf_with_run_in_and_no_header_byte_count_is_read() -> None:
    data = mxf_bytes(
        identification_set(product="Veo 3"), run_in=b"\x00" * 300, fill=64, header_byte_count=False
    )
    assert inspect("A001C003.mxf", BytesSource(data)).evidence == (
        Evidence("software", Strength.WEAK, "MXF ProductName: Veo 3"),
    )


def test_mxf_essence_is_not_read() -> None:
    data = mxf_bytes(identification_set(product="Media Composer"), essence=4 << 20)
    source = CountingSource(BytesSource(data))
    assert inspect("A001C003.mxf", source) == CLEAN
    assert source.bytes_read < 4096


# --- which names have a reader --------------------------------------------------------------

NEW_EXTENSIONS = [
    ".heic",
    ".heif",
    ".hif",
    ".avif",
    ".jxl",
    ".gif",
    ".svg",
    ".svgz",
    ".pdf",
    ".dpx",
    ".mxf",
    ".btf",
    ".tf8",
    ".bigtiff",
    ".cr2",
    ".nef",
    ".nrw",
    ".arw",
    ".srf",
    ".sr2",
    ".rw2",
    ".orf",
    ".pef",
    ".srw",
    ".erf",
    ".kdc",
    ".dcr",
    ".mos",
    ".3fr",
    ".fff",
    ".iiq",
    ".dng",
]


@pytest.mark.parametrize("extension", NEW_EXTENSIONS)
def test_new_formats_are_sniffable_and_pass_the_media_filter(extension: str) -> None:
    name = f"shots/sh010/plate{extension.upper()}"
    assert sniffable(name) and is_inspectable(name)
    assert media_only([name, "shots/sh010/notes.txt"]) == [name]


@pytest.mark.parametrize(
    "name", ["edit.otio", "scene.blend", "cache.abc", "notes.txt", "clip.r3d", "raw.crw", "README"]
)
def test_formats_without_a_reader_are_not_sniffable(name: str) -> None:
    assert not sniffable(name)
    assert media_only([name]) == []


def test_sidecars_are_sniffable_but_not_media() -> None:
    assert sniffable("plate.exr.xmp") and is_inspectable("plate.exr.xmp")
    assert media_only(["plate.exr.xmp", "plate.exr"]) == ["plate.exr"]
