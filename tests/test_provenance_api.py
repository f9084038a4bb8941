"""The public contract: format choice, sources, markers, and the shape of what comes back."""

from __future__ import annotations

from pathlib import Path

import pytest
from provenance_media import TRAINED, exif_with, jpeg_bytes, png_bytes, png_info, xmp_packet

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import MAX_READ, BytesSource, FileSource, Inspection, inspect, is_inspectable


@pytest.mark.parametrize(
    "name",
    [
        "a.png",
        "A.JPG",
        "b.jpeg",
        "c.tif",
        "d.TIFF",
        "e.dng",
        "f.psd",
        "g.psb",
        "h.webp",
        "i.wav",
        "j.mp4",
        "k.mov",
        "l.m4a",
        "m.mp3",
        "sky.1001.exr",
        "plate.jpg.xmp",
        "dir/sub/n.Exr",
    ],
)
def test_supported_extensions_are_inspectable(name: str) -> None:
    assert is_inspectable(name)


@pytest.mark.parametrize("name", ["genai.toml", "edit.otio", "notes.txt", "png", "archive.png.zip", "README"])
def test_other_files_are_not_inspectable(name: str) -> None:
    assert not is_inspectable(name)


def test_format_is_chosen_by_content_not_name() -> None:
    data = png_bytes(png_info(("parameters", "Steps: 20, Sampler: Euler, Seed: 1")))
    assert inspect("misnamed.jpg", BytesSource(data)).evidence == (
        Evidence("png-text", Strength.MEDIUM, "parameters (AUTOMATIC1111/Forge)"),
    )


def test_unknown_content_yields_an_empty_inspection() -> None:
    assert inspect("notes.txt", BytesSource(b"Midjourney " * 100)) == Inspection(
        evidence=(), uninspected=None
    )


@pytest.mark.parametrize("name", ["empty.png", "empty.mp4", "empty.exr", "empty.xmp", "empty.bin"])
def test_empty_content_yields_an_empty_inspection(name: str) -> None:
    assert inspect(name, BytesSource(b"")) == Inspection(evidence=(), uninspected=None)


def test_evidence_is_ordered_strongest_first_and_deduplicated() -> None:
    packet = xmp_packet(TRAINED, creator_tool="Midjourney", extra="<tiff:Software>Midjourney</tiff:Software>")
    data = jpeg_bytes(exif=exif_with(software="Midjourney"), xmp=packet)
    assert data.index(b"Exif") < data.index(b"xpacket")  # the weak EXIF evidence is found first
    assert inspect("still.jpg", BytesSource(data)).evidence == (
        Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
        Evidence("software", Strength.WEAK, "Software: Midjourney"),  # EXIF and XMP say it once
        Evidence("software", Strength.WEAK, "CreatorTool: Midjourney"),
    )


def test_details_are_short_single_printable_lines() -> None:
    value = "Midjourney\n\x1b[31mred\x1b[0m \u202eevil" + "x" * 500
    evidence = inspect("still.png", BytesSource(png_bytes(png_info(("Software", value))))).evidence
    assert len(evidence) == 1
    detail = evidence[0].detail
    assert len(detail) <= 200
    assert detail.isprintable()
    assert detail.startswith("Software: Midjourney [31mred [0m evil")


def test_markers_that_are_blank_are_ignored() -> None:
    data = png_bytes(png_info(("Software", "Nuke 15")))
    assert inspect("still.png", BytesSource(data), markers=("", "  ")).evidence == ()


def test_bytes_source_shorter_than_its_size_reads_only_what_it_holds() -> None:
    source = BytesSource(b"abcdef", size=100)
    assert (source.size, source.available) == (100, 6)
    assert source.read(4, 10) == b"ef"
    assert source.read(6, 10) == b""


def test_file_source_reads_and_closes(tmp_path: Path) -> None:
    path = tmp_path / "still.png"
    path.write_bytes(png_bytes(png_info(("Software", "Runway Gen-4"))))
    with FileSource(path) as source:
        assert source.size == source.available == path.stat().st_size
        assert source.read(0, 8) == b"\x89PNG\r\n\x1a\n"
        assert source.read(source.size, 8) == b""
        evidence = inspect(path.name, source).evidence
    assert evidence == (Evidence("software", Strength.WEAK, "Software: Runway Gen-4"),)
    with pytest.raises(ValueError):
        source.read(0, 1)


def test_read_budget_is_one_mebibyte() -> None:
    assert MAX_READ == 1 << 20
