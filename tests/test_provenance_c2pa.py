"""C2PA manifest stores: signed by c2pa-python where it can, hand-built JUMBF for the rest."""

from __future__ import annotations

import io
import json

import pytest
from provenance_media import (
    ALGORITHMIC,
    COMPOSITE_TRAINED,
    TRAINED,
    actions,
    box,
    c2pa_sign,
    jpeg_bytes,
    jumbf_store,
    jumbf_superbox,
    mp3_bytes,
    mp4_bytes,
    png_bytes,
    png_chunk,
    png_insert_before_iend,
    tiff_bytes,
    wav_bytes,
    webp_bytes,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, inspect
from genai_hooks.provenance.c2pa import read_store_with_c2pa

SIGNABLE = [
    ("png", "image/png", png_bytes),
    ("jpg", "image/jpeg", jpeg_bytes),
    ("tif", "image/tiff", lambda: tiff_bytes({})),
    ("webp", "image/webp", webp_bytes),
    ("wav", "audio/wav", wav_bytes),
    ("mp4", "video/mp4", mp4_bytes),
    ("mp3", "audio/mpeg", mp3_bytes),
]


def with_store(store: bytes) -> bytes:
    return png_insert_before_iend(png_bytes(), png_chunk(b"caBX", store))


@pytest.mark.parametrize(("extension", "mime", "make"), SIGNABLE, ids=[row[0] for row in SIGNABLE])
def test_our_reading_agrees_with_c2pa_python(extension: str, mime: str, make: object) -> None:
    c2pa = pytest.importorskip("c2pa")
    data = c2pa_sign(make(), mime, COMPOSITE_TRAINED, generator="Kling AI")  # type: ignore[operator]
    with c2pa.Reader(mime, io.BytesIO(data)) as reader:
        report = json.loads(reader.json())
    manifest = report["manifests"][report["active_manifest"]]
    theirs = [
        action["digitalSourceType"]
        for assertion in manifest["assertions"]
        if assertion["label"].startswith("c2pa.actions")
        for action in assertion["data"]["actions"]
    ]
    assert theirs == [COMPOSITE_TRAINED]
    assert inspect(f"media.{extension}", BytesSource(data)).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{COMPOSITE_TRAINED}; claim generator: Kling AI 1.0"),
    )


def test_signed_manifest_with_only_algorithmic_media_is_no_evidence() -> None:
    pytest.importorskip("c2pa")
    signed = c2pa_sign(png_bytes(), "image/png", ALGORITHMIC, generator="Houdini")  # CGI, not GenAI
    inspection = inspect("plate.png", BytesSource(signed))
    assert inspection.evidence == ()
    assert inspection.uninspected is None


def test_version_1_claim_and_numbered_actions_label_are_read() -> None:
    store = jumbf_store(
        [
            (
                "urn:uuid:1",
                {"claim_generator": "make_test_images/0.16.1"},
                {"c2pa.actions__1": actions(TRAINED)},
            )
        ]
    )
    assert inspect("plate.png", BytesSource(with_store(store))).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: make_test_images/0.16.1"),
    )


def test_ingredient_manifests_are_read_too() -> None:
    store = jumbf_store(
        [
            ("urn:uuid:parent", {"claim_generator": "Firefly"}, {"c2pa.actions": actions(TRAINED)}),
            ("urn:uuid:active", {"claim_generator": "Photoshop"}, {"c2pa.actions": actions(ALGORITHMIC)}),
        ]
    )
    assert inspect("plate.png", BytesSource(with_store(store))).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; claim generator: Firefly"),
    )


def test_undecodable_actions_assertion_is_scanned_for_the_uri() -> None:
    broken = box(b"cbor", b"\xbf" + TRAINED.encode())  # an unterminated map, URI bytes inside
    actions_box = jumbf_superbox(b"cbor", "c2pa.actions.v2", [broken])
    manifest = jumbf_superbox(
        b"c2ma", "urn:c2pa:1", [jumbf_superbox(b"c2as", "c2pa.assertions", [actions_box])]
    )
    store = jumbf_superbox(b"c2pa", "c2pa", [manifest])
    assert inspect("plate.png", BytesSource(with_store(store))).evidence == (
        Evidence("c2pa", Strength.STRONG, TRAINED),
    )


def test_compressed_manifest_that_cannot_be_opened_is_uninspected() -> None:
    store = jumbf_superbox(b"c2pa", "c2pa", [box(b"brob", b"c2ma" + bytes(40))])
    inspection = inspect("plate.png", BytesSource(with_store(store)))
    assert inspection.evidence == ()
    assert inspection.uninspected == "C2PA manifest store could not be decoded"


def test_jumbf_that_is_not_c2pa_is_ignored() -> None:
    other = jumbf_superbox(b"json", "com.example.notes", [box(b"json", b'{"digitalSourceType": "x"}')])
    inspection = inspect("plate.png", BytesSource(with_store(other)))
    assert inspection == type(inspection)(evidence=(), uninspected=None)


def test_c2pa_python_reads_a_store_from_its_bytes_alone() -> None:
    pytest.importorskip("c2pa")
    data = c2pa_sign(png_bytes(), "image/png", TRAINED)
    start = data.index(b"caBX") + 4
    length = int.from_bytes(data[start - 8 : start - 4], "big")
    assert read_store_with_c2pa(data[start : start + length]) == [(TRAINED, "Adobe Firefly 1.0")]
    assert read_store_with_c2pa(data[start : start + length // 2]) is None
