"""C2PA 2.2-2.4 as generators write it (SPEC §16): C2PA's digital source types, the AI disclosure
assertion, and source types carried by ingredients; signed by c2pa-python, read by our readers."""

from __future__ import annotations

import pytest
from provenance_media import (
    ALGORITHMIC,
    IPTC,
    actions,
    jpeg_bytes,
    jumbf_store,
    png_bytes,
    xmp_packet,
)
from provenance_media_2026 import C2PA_NS, created, png_with_raw_assertion, png_with_store, sign_manifest

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, inspect
from genai_hooks.provenance.evidence import genai_source_type

GENERATOR = "claim generator: SceneGen 2.0"


# --- the C2PA digital source type vocabulary -----------------------------------------------------

TRAINED_VALUES = [
    C2PA_NS + "trainedAlgorithmicData",
    C2PA_NS + "trainedAlgorithmicMedia",
    C2PA_NS + "compositeWithTrainedAlgorithmicMedia",
    "https://c2pa.org/digitalsourcetype/trainedAlgorithmicData",
    "c2pa.trainedAlgorithmicData",
    "c2pa.trainedAlgorithmicMedia",
    "c2pa.compositeWithTrainedAlgorithmicMedia",
    IPTC + "trainedAlgorithmicData",
]


@pytest.mark.parametrize("value", TRAINED_VALUES)
def test_c2pa_trained_source_types_in_a_signed_manifest_are_strong(value: str) -> None:
    pytest.importorskip("c2pa")
    signed = sign_manifest(png_bytes(), "image/png", [created(value)])
    assert inspect("shot.png", BytesSource(signed)).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{value}; {GENERATOR}"),
    )


NOT_GENERATIVE = [
    C2PA_NS + "empty",  # a blank canvas
    C2PA_NS + "algorithmicMedia",  # CGI, in C2PA's namespace
    "c2pa.algorithmicMedia",
    ALGORITHMIC,
    IPTC + "compositeSynthetic",
    "http://example.org/digitalsourcetype/trainedAlgorithmicMedia",  # an unknown namespace
    C2PA_NS + "trainedAlgorithmicMediaV2",  # an unknown code
    "urn:x-studio:trainedAlgorithmicMedia",
    "c2pa.c2pa.trainedAlgorithmicMedia",
]


@pytest.mark.parametrize("value", NOT_GENERATIVE)
def test_other_and_unknown_source_types_are_no_evidence(value: str) -> None:
    pytest.importorskip("c2pa")
    signed = sign_manifest(png_bytes(), "image/png", [created(value)], generator="Houdini")
    assert inspect("plate.png", BytesSource(signed)).evidence == ()
    assert inspect("plate.jpg", BytesSource(jpeg_bytes(xmp=xmp_packet(value)))).evidence == ()


@pytest.mark.parametrize(
    "value", ["c2pa.trainedAlgorithmicMedia", C2PA_NS + "trainedAlgorithmicData", "trainedAlgorithmicData"]
)
def test_c2pa_source_types_count_in_xmp_too(value: str) -> None:
    inspection = inspect("still.jpg", BytesSource(jpeg_bytes(xmp=xmp_packet(value, form="resource"))))
    assert inspection.evidence == (Evidence("xmp-digital-source-type", Strength.STRONG, value),)


def test_the_code_is_named_whatever_the_form() -> None:
    assert [genai_source_type(value) for value in TRAINED_VALUES[:3]] == [
        "trainedAlgorithmicData",
        "trainedAlgorithmicMedia",
        "compositeWithTrainedAlgorithmicMedia",
    ]


def test_undecodable_actions_are_scanned_for_the_c2pa_forms_as_well() -> None:
    value = C2PA_NS + "trainedAlgorithmicData"
    broken = b"\xbf" + value.encode() + b"\x00c2pa.trainedAlgorithmicMediaX"  # an unterminated map
    assert inspect("plate.png", BytesSource(png_with_raw_assertion("c2pa.actions.v2", broken))).evidence == (
        Evidence("c2pa", Strength.STRONG, value),
    )


def test_hand_built_version_2_claim_with_a_short_form_is_strong() -> None:
    store = jumbf_store(
        [
            (
                "urn:c2pa:2",
                {"claim_generator_info": {"name": "Veo"}},
                {"c2pa.actions.v2": actions("c2pa.trainedAlgorithmicMedia")},
            )
        ],
        claim_label="c2pa.claim.v2",
    )
    assert inspect("plate.png", BytesSource(png_with_store(store))).evidence == (
        Evidence("c2pa", Strength.STRONG, "c2pa.trainedAlgorithmicMedia; claim generator: Veo"),
    )


# --- c2pa.ai-disclosure ----------------------------------------------------------------------------

DISCLOSURE = "c2pa-ai-disclosure"


def disclosure(data: dict[str, object], label: str = "c2pa.ai-disclosure") -> dict[str, object]:
    return {"label": label, "data": data}


def test_ai_disclosure_alone_is_strong_and_names_the_model() -> None:
    pytest.importorskip("c2pa")
    assertion = disclosure({"modelType": "c2pa.types.model", "modelName": "SceneGen 3"})
    signed = sign_manifest(jpeg_bytes(), "image/jpeg", [assertion], generator="Pipeline")
    assert inspect("sh010.jpg", BytesSource(signed)).evidence == (
        Evidence(
            DISCLOSURE,
            Strength.STRONG,
            "c2pa.ai-disclosure: modelName SceneGen 3; modelType c2pa.types.model",
        ),
    )


def test_underscore_label_and_a_nested_model_object_are_read() -> None:
    pytest.importorskip("c2pa")
    data: dict[str, object] = {
        "contentProfile": {"humanOversightLevel": "prompt_guided"},
        "model": {"modelName": "Veo 3"},
    }
    signed = sign_manifest(png_bytes(), "image/png", [disclosure(data, "c2pa.ai_disclosure")])
    assert inspect("sh010.png", BytesSource(signed)).evidence == (
        Evidence(DISCLOSURE, Strength.STRONG, "c2pa.ai-disclosure: modelName Veo 3"),
    )


def test_ai_disclosure_beside_a_source_type_adds_the_model_and_no_medium_evidence() -> None:
    pytest.importorskip("c2pa")
    value = C2PA_NS + "trainedAlgorithmicMedia"
    assertions = [created(value), disclosure({"modelName": "Firefly Image 4"})]
    signed = sign_manifest(png_bytes(), "image/png", assertions, generator="Adobe Firefly")
    assert inspect("sh010.png", BytesSource(signed)).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{value}; claim generator: Adobe Firefly 2.0"),
        Evidence(DISCLOSURE, Strength.STRONG, "c2pa.ai-disclosure: modelName Firefly Image 4"),
    )


def test_ai_disclosure_without_a_model_still_counts() -> None:
    store = jumbf_store([("urn:c2pa:3", {"claim_generator_info": {"name": "x"}}, {"c2pa.ai-disclosure": {}})])
    assert inspect("sh010.png", BytesSource(png_with_store(store))).evidence == (
        Evidence(DISCLOSURE, Strength.STRONG, "c2pa.ai-disclosure"),
    )


def test_a_megabyte_model_name_is_cut_short_in_the_detail() -> None:
    name = "M" * 1_000_000
    store = jumbf_store(
        [("urn:c2pa:4", {}, {"c2pa.ai-disclosure": {"modelName": name, "modelType": "c2pa.types.model"}})]
    )
    inspection = inspect("sh010.png", BytesSource(png_with_store(store)))
    assert inspection.uninspected is None
    assert inspection.evidence == (
        Evidence(
            DISCLOSURE,
            Strength.STRONG,
            f"c2pa.ai-disclosure: modelName {'M' * 77}...; modelType c2pa.types.model",
        ),
    )


def test_a_disclosure_larger_than_the_read_budget_counts_by_its_label() -> None:
    store = jumbf_store([("urn:c2pa:5", {}, {"c2pa.ai-disclosure": {"modelName": "M" * (2 << 20)}})])
    inspection = inspect("sh010.png", BytesSource(png_with_store(store)))
    assert inspection.evidence == (Evidence(DISCLOSURE, Strength.STRONG, "c2pa.ai-disclosure"),)
    assert inspection.uninspected is None  # the model name was all it could add


def test_a_disclosure_that_does_not_decode_counts_by_its_label() -> None:
    broken = png_with_raw_assertion("c2pa.ai-disclosure", b"\xbf\x69modelName")
    assert inspect("sh010.png", BytesSource(broken)).evidence == (
        Evidence(DISCLOSURE, Strength.STRONG, "c2pa.ai-disclosure"),
    )


def test_the_c2pa_python_fallback_reads_the_disclosure_too() -> None:
    pytest.importorskip("c2pa")
    from genai_hooks.provenance.c2pa import _manifests_with_c2pa

    signed = sign_manifest(png_bytes(), "image/png", [disclosure({"modelName": "Kling 2"})])
    start = signed.index(b"caBX") + 4
    store = signed[start : start + int.from_bytes(signed[start - 8 : start - 4], "big")]
    manifests = _manifests_with_c2pa(store)
    assert manifests is not None and [m.disclosed_models for m in manifests] == [["modelName Kling 2"]]
