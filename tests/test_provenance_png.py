"""PNG: generator text chunks, software names, XMP in iTXt, eXIf, and where chunks sit."""

from __future__ import annotations

import json
import zlib

from PIL import PngImagePlugin
from provenance_media import (
    ALGORITHMIC,
    TRAINED,
    exif_with,
    png_bytes,
    png_chunk,
    png_info,
    png_insert_before_iend,
    xmp_packet,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, inspect

A1111_PARAMETERS = (
    "a lighthouse at dusk, volumetric fog\nNegative prompt: blurry\n"
    "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 1234, Size: 1024x576, Model: sdxl_base"
)
COMFY_PROMPT = json.dumps({"3": {"class_type": "KSampler", "inputs": {"seed": 1}}})
COMFY_WORKFLOW = json.dumps({"last_node_id": 9, "nodes": []})


def sniff(data: bytes, name: str = "frame.png", markers: tuple[str, ...] = ()) -> tuple[Evidence, ...]:
    inspection = inspect(name, BytesSource(data), markers=markers)
    assert inspection.uninspected is None
    return inspection.evidence


def test_automatic1111_parameters_chunk_is_medium_evidence() -> None:
    evidence = sniff(png_bytes(png_info(("parameters", A1111_PARAMETERS))))
    assert evidence == (Evidence("png-text", Strength.MEDIUM, "parameters (AUTOMATIC1111/Forge)"),)


def test_comfyui_prompt_and_workflow_chunks_are_medium_evidence() -> None:
    evidence = sniff(png_bytes(png_info(("prompt", COMFY_PROMPT), ("workflow", COMFY_WORKFLOW))))
    assert evidence == (Evidence("png-text", Strength.MEDIUM, "prompt + workflow (ComfyUI)"),)


def test_a_prompt_chunk_alone_is_no_evidence() -> None:
    assert sniff(png_bytes(png_info(("prompt", "storyboard note: wide shot")))) == ()


def test_invokeai_keywords_are_medium_evidence() -> None:
    for keyword in ("invokeai_metadata", "sd-metadata", "Dream"):
        evidence = sniff(png_bytes(png_info((keyword, '{"model": "sd-1.5"}'))))
        assert evidence == (Evidence("png-text", Strength.MEDIUM, f"{keyword} (InvokeAI)"),)


def test_novelai_software_is_medium_and_its_source_weak() -> None:
    info = png_info(("Software", "NovelAI"), ("Source", "NovelAI Diffusion V3 4BDE2A90"), ("Comment", "{}"))
    evidence = sniff(png_bytes(info))
    assert evidence == (
        Evidence("png-text", Strength.MEDIUM, "Software: NovelAI"),
        Evidence("software", Strength.WEAK, "Source: NovelAI Diffusion V3 4BDE2A90"),
    )


def test_generator_name_in_software_is_weak_evidence() -> None:
    assert sniff(png_bytes(png_info(("Software", "Midjourney v6.1")))) == (
        Evidence("software", Strength.WEAK, "Software: Midjourney v6.1"),
    )


def test_ordinary_software_is_no_evidence() -> None:
    assert sniff(png_bytes(png_info(("Software", "Nuke 15.1v3"), ("Comment", "comp v012")))) == ()


def test_generator_name_must_stand_as_a_word() -> None:
    assert sniff(png_bytes(png_info(("Software", "Imagenomic Portraiture 4")))) == ()


def test_declared_marker_is_weak_evidence_case_insensitively() -> None:
    evidence = sniff(png_bytes(png_info(("Software", "StudioGen Pro 2.3"))), markers=("studiogen",))
    assert evidence == (Evidence("marker", Strength.WEAK, "Software: StudioGen Pro 2.3"),)


def test_compressed_ztxt_software_is_read() -> None:
    evidence = sniff(png_bytes(png_info(("Software", "Stable Diffusion XL"), zipped=True)))
    assert evidence == (Evidence("software", Strength.WEAK, "Software: Stable Diffusion XL"),)
    assert b"zTXt" in png_bytes(png_info(("Software", "Stable Diffusion XL"), zipped=True))


def test_xmp_in_itxt_with_genai_source_type_is_strong() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(TRAINED).decode("utf-8"))
    assert sniff(png_bytes(info)) == (Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),)


def test_compressed_xmp_in_itxt_is_read() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(TRAINED, form="element").decode("utf-8"), zip=True)
    assert sniff(png_bytes(info)) == (Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),)


def test_xmp_with_algorithmic_media_only_is_no_evidence() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(ALGORITHMIC).decode("utf-8"))
    assert sniff(png_bytes(info)) == ()


def test_text_chunks_after_the_pixel_data_are_read() -> None:
    data = png_insert_before_iend(
        png_bytes(), png_chunk(b"tEXt", b"parameters\x00" + A1111_PARAMETERS.encode())
    )
    assert data.index(b"parameters") > data.index(b"IDAT")
    assert sniff(data) == (Evidence("png-text", Strength.MEDIUM, "parameters (AUTOMATIC1111/Forge)"),)


def test_ztxt_after_many_idat_chunks_is_reached() -> None:
    plain = png_bytes(size=(256, 256))
    idat = plain.index(b"IDAT") - 4
    length = int.from_bytes(plain[idat : idat + 4], "big")
    pixels = zlib.decompress(plain[idat + 8 : idat + 8 + length])
    stream = zlib.compress(pixels)
    split = b"".join(png_chunk(b"IDAT", stream[i : i + 64]) for i in range(0, len(stream), 64))
    text = png_chunk(b"zTXt", b"Software\x00\x00" + zlib.compress(b"ComfyUI"))
    data = plain[:idat] + split + text + plain[idat + 12 + length :]
    assert data.count(b"IDAT") > 10
    assert sniff(data) == (Evidence("software", Strength.WEAK, "Software: ComfyUI"),)


def test_exif_chunk_software_is_read() -> None:
    exif = exif_with(software="Adobe Firefly Image 3").tobytes()
    data = png_insert_before_iend(png_bytes(), png_chunk(b"eXIf", exif))
    assert sniff(data) == (Evidence("software", Strength.WEAK, "Software: Adobe Firefly Image 3"),)


def test_png_truncated_before_iend_is_uninspected() -> None:
    data = png_bytes(png_info(("Comment", "nothing here")), size=(64, 64))
    inspection = inspect("frame.png", BytesSource(data[: len(data) - 20], size=len(data)))
    assert inspection.evidence == ()
    assert inspection.uninspected is not None


def test_png_cut_short_on_disk_is_corrupt_not_uninspected() -> None:
    data = png_bytes(png_info(("parameters", A1111_PARAMETERS)))
    inspection = inspect("frame.png", BytesSource(data[: len(data) - 20]))
    assert inspection.uninspected is None
    assert inspection.evidence == (Evidence("png-text", Strength.MEDIUM, "parameters (AUTOMATIC1111/Forge)"),)
