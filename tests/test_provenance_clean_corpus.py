"""A corpus of real files that generative AI did not make, carrying the 2025-2026 vocabulary's
neighbours (capture and CGI source types, rights statements, edits by people): no evidence, no
uninspected file. The new vocabulary must not cost a single false positive."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from provenance_media import ALGORITHMIC, IPTC, exif_with, jpeg_bytes, png_bytes, tiff_bytes, xmp_packet
from provenance_media_2026 import C2PA_NS, PLUS_VOCAB, created, sign_manifest, with_xmp, xmp_2026

from genai_hooks.provenance import BytesSource, inspect

CAPTURE = IPTC + "digitalCapture"
RIGHTS = {"plus:DataMining": PLUS_VOCAB + "DMI-PROHIBITED-AIMLTRAINING"}
PROSE = (
    '<dc:description xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Alt><rdf:li xml:lang="x-default">'
    "Shot on film; no trainedAlgorithmicMedia, no c2pa.ai-disclosure, AISystemUsed: none"
    "</rdf:li></rdf:Alt></dc:description>"
)


def camera_jpeg() -> bytes:
    return jpeg_bytes(
        xmp=xmp_packet(CAPTURE, creator_tool="Adobe Lightroom Classic 14.1"), exif=exif_with("Ver.1.02")
    )


def scanned_negative_tif() -> bytes:
    return tiff_bytes({305: "SilverFast 9", 700: xmp_2026(RIGHTS, PROSE)})


def signed_edit() -> bytes:
    edited = [
        created(IPTC + "humanEdits"),
        {
            "label": "cawg.training-mining",
            "data": {"entries": {"cawg.ai_generative_training": {"use": "notAllowed"}}},
        },
    ]
    ingredient = {
        "title": "A001C003.jpg",
        "format": "image/jpeg",
        "relationship": "parentOf",
        "metadata": {"digitalSourceType": CAPTURE},
    }
    return sign_manifest(
        png_bytes(), "image/png", edited, ingredients=[ingredient], generator="Adobe Photoshop"
    )


def signed_cgi_render() -> bytes:
    custom = {"label": "com.example.c2pa.ai-disclosure-policy", "data": {"modelName": "none"}}
    return sign_manifest(
        png_bytes(), "image/png", [created(C2PA_NS + "algorithmicMedia"), custom], generator="Houdini"
    )


def signed_blank_canvas() -> bytes:
    return sign_manifest(png_bytes(), "image/png", [created(C2PA_NS + "empty")], generator="Krita")


def cgi_png_with_xmp() -> bytes:
    return with_xmp("png", xmp_packet(ALGORITHMIC, creator_tool="Blender 4.2"))


CORPUS: dict[str, Callable[[], bytes]] = {
    "camera.jpg": camera_jpeg,
    "negative.tif": scanned_negative_tif,
    "retouch.png": signed_edit,
    "render.png": signed_cgi_render,
    "canvas.png": signed_blank_canvas,
    "cg.png": cgi_png_with_xmp,
}


@pytest.mark.parametrize("name", list(CORPUS))
def test_files_ai_did_not_make_give_no_evidence(name: str) -> None:
    if name in ("retouch.png", "render.png", "canvas.png"):
        pytest.importorskip("c2pa")
    inspection = inspect(name, BytesSource(CORPUS[name]()))
    assert inspection.evidence == ()
    assert inspection.uninspected is None
    # the rights statements were read, in the same pass, and kept apart from the evidence
    assert bool(inspection.training_not_permitted) == (name in ("negative.tif", "retouch.png"))
