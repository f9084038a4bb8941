"""OpenEXR: string attributes of every part, written by the OpenEXR library itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from provenance_media import TRAINED, CountingSource, exr_file, xmp_packet

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import FileSource, Inspection, inspect

pytest.importorskip("OpenEXR")


def sniff(path: Path, markers: tuple[str, ...] = ()) -> Inspection:
    with FileSource(path) as source:
        return inspect(path.name, source, markers=markers)


def test_software_and_comments_attributes_are_weak(tmp_path: Path) -> None:
    path = exr_file(tmp_path / "sky.1001.exr", {"software": "ComfyUI 0.3", "comments": "upscaled with Krea"})
    assert sniff(path) == Inspection(
        evidence=(
            Evidence("software", Strength.WEAK, "comments: upscaled with Krea"),
            Evidence("software", Strength.WEAK, "software: ComfyUI 0.3"),
        ),
        uninspected=None,
    )


def test_any_string_attribute_is_read(tmp_path: Path) -> None:
    path = exr_file(tmp_path / "sky.1001.exr", {"nuke/input/source": "Stable Diffusion plate"})
    assert sniff(path).evidence == (
        Evidence("software", Strength.WEAK, "nuke/input/source: Stable Diffusion plate"),
    )


def test_file_paths_in_other_attributes_are_not_tool_names(tmp_path: Path) -> None:
    path = exr_file(tmp_path / "sky.1001.exr", {"nuke/input/filename": "/mnt/show/flux/sky_plate.1001.exr"})
    assert sniff(path).evidence == ()


def test_declared_marker_in_an_exr_attribute_is_weak(tmp_path: Path) -> None:
    path = exr_file(tmp_path / "sky.1001.exr", {"software": "StudioGen 2 render"})
    assert sniff(path, markers=("StudioGen",)).evidence == (
        Evidence("marker", Strength.WEAK, "software: StudioGen 2 render"),
    )


def test_second_part_of_a_multipart_file_is_read(tmp_path: Path) -> None:
    path = exr_file(tmp_path / "stereo.1001.exr", {"software": "Nuke 15"}, second_part={"software": "Veo 3"})
    assert sniff(path).evidence == (Evidence("software", Strength.WEAK, "software: Veo 3"),)


def test_xmp_packet_in_a_string_attribute_is_parsed(tmp_path: Path) -> None:
    path = exr_file(tmp_path / "sky.1001.exr", {"xmp": xmp_packet(TRAINED).decode("utf-8")})
    assert sniff(path).evidence == (Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),)


def test_digital_source_type_attribute_is_strong(tmp_path: Path) -> None:
    path = exr_file(tmp_path / "sky.1001.exr", {"digitalSourceType": TRAINED})
    assert sniff(path).evidence == (
        Evidence("exr-digital-source-type", Strength.STRONG, f"{TRAINED}; attribute digitalSourceType"),
    )


def test_plain_render_has_no_evidence_and_pixels_are_not_read(tmp_path: Path) -> None:
    attributes = {"software": "Arnold 7.3", "comments": "beauty pass"}
    path = exr_file(tmp_path / "beauty.1001.exr", attributes, side=256)
    assert path.stat().st_size > 256 * 1024
    with FileSource(path) as source:
        counting = CountingSource(source)
        assert inspect(path.name, counting) == Inspection(evidence=(), uninspected=None)
    assert counting.bytes_read <= 4096 + 16
