"""SPEC §11 evidence: generative products named by C2PA, Adobe's generative-AI assertion,
ComfyUI's WebP workflow, and manifests held remotely (never fetched)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from provenance_media import (
    TRAINED,
    actions,
    c2pa_sign,
    jpeg_bytes,
    jumbf_store,
    mp4_bytes,
    png_bytes,
    png_chunk,
    png_insert_before_iend,
    tiff_bytes,
    wav_bytes,
    webp_bytes,
    xmp_packet,
)
from provenance_media_formats import (
    avif_bytes,
    avif_supported,
    c2pa_sign_manifest,
    comfyui_webp,
    generator_manifest,
    gif_bytes,
    pdf_bytes,
    pillow_pdf,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, Inspection, inspect
from genai_hooks.provenance.evidence import generative_product

REMOTE = "provenance held remotely; not fetched"
CLEAN = Inspection(evidence=(), uninspected=None)


def medium(kind: str, detail: str) -> Evidence:
    return Evidence(kind, Strength.MEDIUM, detail)


def with_store(store: bytes) -> bytes:
    return png_insert_before_iend(png_bytes(), png_chunk(b"caBX", store))


# --- names of generative products ------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Adobe_Firefly/1.0",
        "Adobe Firefly",
        "adobe-firefly 3",
        "Firefly Image 3",
        "Microsoft_Responsible_AI/1.0.0",
        "Microsoft Responsible AI Image Provenance",
        "Image Creator from Designer",
        "Bing Image Creator",
        "Microsoft Designer",
        "DALL·E 3",
        "DALL-E",
        "ChatGPT",
        "OpenAI-API/1.0",
        "gpt-image-1",
        "Sora",
        "Google Imagen 3",
        "Gemini 2.5 Flash Image",
        "Veo 3",
        "Midjourney v7",
        "stability.ai",
        "Stability AI API",
        "Stable Diffusion XL",
        "Runway Gen-4",
        "RunwayML",
        "Pika 2.2",
        "Pika Labs",
        "Luma AI Dream Machine",
        "Kling AI",
        "Ideogram 3.0",
    ],
)
def test_generative_products_are_named_in_any_spelling(name: str) -> None:
    assert generative_product(name)


@pytest.mark.parametrize(
    "name",
    [
        "Adobe Photoshop 25.0",
        "Adobe_Lightroom/7.1",
        "Pixel Camera",
        "Google C2PA Core",
        "Affinity Designer 2",
        "LumaFusion 5",
        "Truepic Lens",
        "c2pa-rs/0.91.3",
        "Microsoft Photos",
        "Imagenomic Portraiture",
        "Klingon Studio",
        "Leica M11-P",
    ],
)
def test_other_software_is_not_a_generative_product(name: str) -> None:
    assert generative_product(name) is None


# --- early Adobe Firefly and Bing Image Creator: C2PA without a digital source type ---------


def test_early_firefly_claim_generator_and_generative_ai_assertion_are_medium() -> None:
    # c2pa-rs no longer writes a free-form claim_generator string, so this v1 claim is built by hand.
    claim = {"claim_generator": "Adobe_Firefly/1.0 c2pa-rs/0.16.1", "dc:format": "image/jpeg"}
    assertion = {"description": "Adobe Firefly", "version": "1.0.0", "prompt": "a castle at dusk"}
    store = jumbf_store(
        [("urn:uuid:1", claim, {"com.adobe.generative-ai": assertion, "c2pa.actions": {"actions": []}})]
    )
    assert inspect("firefly.png", BytesSource(with_store(store))) == Inspection(
        evidence=(
            medium("c2pa-generator", "claim generator: Adobe_Firefly/1.0 c2pa-rs/0.16.1"),
            medium("c2pa-generative-ai", "com.adobe.generative-ai: Adobe Firefly 1.0.0"),
        ),
        uninspected=None,
    )


def test_signed_firefly_manifest_without_source_type_is_medium() -> None:
    pytest.importorskip("c2pa")
    manifest = generator_manifest(
        "Adobe_Firefly", generative_ai={"description": "Adobe Firefly", "version": "1.0.0"}
    )
    data = c2pa_sign_manifest(jpeg_bytes(), "image/jpeg", manifest)
    assert inspect("firefly.jpg", BytesSource(data)).evidence == (
        medium("c2pa-generator", "claim generator: Adobe_Firefly 1.0"),
        medium("c2pa-generative-ai", "com.adobe.generative-ai: Adobe Firefly 1.0.0"),
    )


@pytest.mark.parametrize(
    "agent", ["Image Creator from Designer", {"name": "Image Creator from Designer"}], ids=["string", "map"]
)
def test_bing_image_creator_manifest_is_medium(agent: Any) -> None:
    pytest.importorskip("c2pa")
    manifest = generator_manifest("Microsoft_Responsible_AI", version="1.0.0", agent=agent)
    data = c2pa_sign_manifest(jpeg_bytes(), "image/jpeg", manifest)
    assert inspect("bing.jpg", BytesSource(data)).evidence == (
        medium("c2pa-generator", "claim generator: Microsoft_Responsible_AI 1.0.0"),
        medium("c2pa-generator", "softwareAgent: Image Creator from Designer"),
    )


def test_software_agent_alone_is_medium() -> None:
    pytest.importorskip("c2pa")
    manifest = generator_manifest("Acme DAM", agent={"name": "Midjourney", "version": "7"})
    data = c2pa_sign_manifest(png_bytes(), "image/png", manifest)
    assert inspect("still.png", BytesSource(data)).evidence == (
        medium("c2pa-generator", "softwareAgent: Midjourney 7"),
    )


def test_manifest_of_an_editing_tool_is_no_evidence() -> None:
    pytest.importorskip("c2pa")
    manifest = generator_manifest("Adobe Photoshop", version="25.0", agent="Adobe Photoshop 25.0")
    data = c2pa_sign_manifest(jpeg_bytes(), "image/jpeg", manifest)
    assert inspect("retouch.jpg", BytesSource(data)) == CLEAN


def test_strong_evidence_is_not_repeated_as_medium() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(jpeg_bytes(), "image/jpeg", TRAINED, generator="Adobe Firefly")
    assert inspect("firefly.jpg", BytesSource(data)).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Adobe Firefly 1.0"),
    )


def test_c2pa_python_fallback_reports_generators_too() -> None:
    pytest.importorskip("c2pa")
    from genai_hooks.provenance import c2pa as c2pa_reader

    data = c2pa_sign_manifest(png_bytes(), "image/png", generator_manifest("Adobe_Firefly"))
    start = data.index(b"caBX") + 4
    store = data[start : start + int.from_bytes(data[start - 8 : start - 4], "big")]
    manifests = c2pa_reader._manifests_with_c2pa(store)
    assert manifests is not None and [m.generator_names for m in manifests] == [["Adobe_Firefly 1.0"]]


# --- ComfyUI's WebP ---------------------------------------------------------------------------

COMFY_PROMPT = {"3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20}}}
COMFY_WORKFLOW = {"last_node_id": 9, "nodes": [{"id": 3, "type": "KSampler"}]}


def test_comfyui_animated_webp_workflow_and_prompt_are_medium() -> None:
    data = comfyui_webp(COMFY_PROMPT, COMFY_WORKFLOW)
    assert inspect("ComfyUI_00001_.webp", BytesSource(data)) == Inspection(
        evidence=(
            medium("exif-comfyui", "Make: workflow JSON (ComfyUI)"),
            medium("exif-comfyui", "Model: prompt JSON (ComfyUI)"),
        ),
        uninspected=None,
    )


def test_camera_make_and_model_are_no_evidence() -> None:
    from PIL import Image

    exif = Image.new("RGB", (4, 4)).getexif()
    exif[0x010F], exif[0x0110] = "Canon", "Canon EOS R5"
    assert inspect("IMG_0001.webp", BytesSource(webp_bytes(exif=exif))) == CLEAN


# --- manifests held remotely ------------------------------------------------------------------

URL = "https://cai-manifests.example.com/manifests/0b1d.c2pa"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a socket fails the test: remote manifests are never fetched."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


REMOTE_MEDIA = [
    ("jpg", "image/jpeg", jpeg_bytes),
    ("png", "image/png", png_bytes),
    ("gif", "image/gif", gif_bytes),
    ("pdf", "application/pdf", pillow_pdf),
    ("tif", "image/tiff", lambda: tiff_bytes({})),
    ("webp", "image/webp", webp_bytes),
    ("wav", "audio/wav", wav_bytes),
    ("mp4", "video/mp4", mp4_bytes),
]


@pytest.mark.parametrize(("extension", "mime", "make"), REMOTE_MEDIA, ids=[row[0] for row in REMOTE_MEDIA])
def test_manifest_only_referenced_remotely_is_uninspected(
    extension: str, mime: str, make: Any, no_network: None
) -> None:
    pytest.importorskip("c2pa")
    manifest = generator_manifest("Adobe_Firefly")
    data = c2pa_sign_manifest(make(), mime, manifest, remote_url=URL, embed=False)
    assert URL.encode() in data and b"jumb" not in data
    assert inspect(f"remote.{extension}", BytesSource(data)) == Inspection(evidence=(), uninspected=REMOTE)


def test_avif_with_a_remote_manifest_is_uninspected(no_network: None) -> None:
    pytest.importorskip("c2pa")
    if not avif_supported():
        pytest.skip("this Pillow has no AVIF codec (needs Pillow >= 11.3)")
    data = c2pa_sign_manifest(
        avif_bytes(), "image/avif", generator_manifest("x"), remote_url=URL, embed=False
    )
    assert inspect("remote.avif", BytesSource(data)).uninspected == REMOTE


def test_embedded_manifest_with_a_remote_reference_too_is_read() -> None:
    pytest.importorskip("c2pa")
    manifest = generator_manifest("Adobe_Firefly")
    data = c2pa_sign_manifest(jpeg_bytes(), "image/jpeg", manifest, remote_url=URL, embed=True)
    assert URL.encode() in data and b"jumb" in data
    assert inspect("both.jpg", BytesSource(data)) == Inspection(
        evidence=(medium("c2pa-generator", "claim generator: Adobe_Firefly 1.0"),), uninspected=None
    )


def test_xmp_provenance_pointing_into_the_file_is_not_remote() -> None:
    packet = xmp_packet(
        extra='<dcterms:provenance xmlns:dcterms="http://purl.org/dc/terms/">'
        "self#jumbf=/c2pa/urn:c2pa:1</dcterms:provenance>"
    )
    assert inspect("still.pdf", BytesSource(pdf_bytes(xmp=packet))) == CLEAN


def test_hand_written_remote_reference_in_a_pdf_is_uninspected() -> None:
    packet = xmp_packet(
        extra=f'<dcterms:provenance xmlns:dcterms="http://purl.org/dc/terms/">{URL}</dcterms:provenance>'
    )
    assert inspect("still.pdf", BytesSource(pdf_bytes(xmp=packet))).uninspected == REMOTE


def test_v1_firefly_claim_with_a_source_type_stays_strong() -> None:
    store = jumbf_store(
        [("urn:uuid:1", {"claim_generator": "Adobe_Firefly/1.0"}, {"c2pa.actions": actions(TRAINED)})]
    )
    assert inspect("firefly.png", BytesSource(with_store(store))).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Adobe_Firefly/1.0"),
    )
