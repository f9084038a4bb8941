"""A digital source type on a C2PA ingredient counts for the file that holds it (SPEC §16), and
ingredients nested deeply or pointing at each other cost a bounded read."""

from __future__ import annotations

import time

import pytest
from provenance_media import (
    ALGORITHMIC,
    COMPOSITE_TRAINED,
    TRAINED,
    box,
    cbor,
    jumbf_store,
    jumbf_superbox,
    png_bytes,
)
from provenance_media_2026 import C2PA_NS, png_with_raw_assertion, png_with_store, sign_manifest

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, inspect


def ingredient(title: str, source_type: str) -> dict[str, object]:
    return {
        "title": title,
        "format": "image/png",
        "relationship": "parentOf",
        "metadata": {"digitalSourceType": source_type},
    }


def test_signed_ingredient_with_a_trained_source_type_counts_for_the_file() -> None:
    pytest.importorskip("c2pa")
    signed = sign_manifest(png_bytes(), "image/png", [], ingredients=[ingredient("sky_gen.png", TRAINED)])
    assert inspect("sh020_comp.png", BytesSource(signed)).evidence == (
        Evidence(
            "c2pa", Strength.STRONG, f"{TRAINED}; on ingredient sky_gen.png; claim generator: SceneGen 2.0"
        ),
    )


def test_signed_ingredient_in_c2pa_short_form_counts_and_cgi_ingredients_do_not() -> None:
    pytest.importorskip("c2pa")
    ingredients = [
        ingredient("cg_plate.png", ALGORITHMIC),
        ingredient("matte.png", "c2pa.trainedAlgorithmicMedia"),
    ]
    signed = sign_manifest(png_bytes(), "image/png", [], ingredients=ingredients)
    assert inspect("sh020_comp.png", BytesSource(signed)).evidence == (
        Evidence(
            "c2pa",
            Strength.STRONG,
            "c2pa.trainedAlgorithmicMedia; on ingredient matte.png; claim generator: SceneGen 2.0",
        ),
    )


def test_cgi_only_ingredients_are_no_evidence() -> None:
    pytest.importorskip("c2pa")
    signed = sign_manifest(
        png_bytes(), "image/png", [], ingredients=[ingredient("cg_plate.png", ALGORITHMIC)]
    )
    assert inspect("sh020_comp.png", BytesSource(signed)).evidence == ()


@pytest.mark.parametrize("label", ["c2pa.ingredient", "c2pa.ingredient.v2", "c2pa.ingredient.v3__1"])
def test_every_ingredient_assertion_version_is_read(label: str) -> None:
    data = {
        "dc:title": "bg.exr",
        "relationship": "componentOf",
        "metadata": {"digitalSourceType": COMPOSITE_TRAINED},
    }
    store = jumbf_store([("urn:c2pa:1", {"claim_generator": "Nuke 16"}, {label: data})])
    assert inspect("comp.png", BytesSource(png_with_store(store))).evidence == (
        Evidence(
            "c2pa", Strength.STRONG, f"{COMPOSITE_TRAINED}; on ingredient bg.exr; claim generator: Nuke 16"
        ),
    )


def test_an_ingredient_inline_in_an_action_counts() -> None:
    action = {
        "action": "c2pa.placed",
        "parameters": {"ingredient": {"digitalSourceType": C2PA_NS + "trainedAlgorithmicMedia"}},
    }
    store = jumbf_store([("urn:c2pa:1", {}, {"c2pa.actions": {"actions": [action]}})])
    assert inspect("comp.png", BytesSource(png_with_store(store))).evidence == (
        Evidence("c2pa", Strength.STRONG, C2PA_NS + "trainedAlgorithmicMedia"),
    )


def nested_ingredient(levels: int, source_type: str) -> bytes:
    """CBOR of an ingredient whose `ingredients` nest `levels` deep, the source type at the bottom."""
    level = b"\xa2" + cbor("dc:title") + cbor("nested") + cbor("ingredients") + b"\x81"  # map(2), array(1)
    return level * levels + cbor({"metadata": {"digitalSourceType": source_type}})


def test_a_thousand_levels_of_nested_ingredients_are_read_within_bounds() -> None:
    data = png_with_raw_assertion("c2pa.ingredient.v3", nested_ingredient(1000, TRAINED))
    started = time.perf_counter()
    inspection = inspect("comp.png", BytesSource(data))
    assert time.perf_counter() - started < 1.0
    # too deep to decode: the assertion is scanned for the source type, as undecodable actions are
    assert inspection.evidence == (Evidence("c2pa", Strength.STRONG, f"{TRAINED}; on an ingredient"),)


def test_a_thousand_levels_of_nested_json_ingredients_are_no_traceback() -> None:
    deep = (
        b'{"ingredients":[' * 1000 + b'{"digitalSourceType":"' + ALGORITHMIC.encode() + b'"}' + b"]}" * 1000
    )
    inspection = inspect("comp.png", BytesSource(png_with_raw_assertion("c2pa.ingredient", deep, b"json")))
    assert inspection.evidence == ()


def test_a_thousand_nested_ingredient_manifests_are_no_traceback_and_not_clean() -> None:
    inner = jumbf_superbox(b"c2ma", "urn:c2pa:leaf", [box(b"cbor", cbor({"digitalSourceType": TRAINED}))])
    for level in range(1000):
        inner = jumbf_superbox(b"c2ma", f"urn:c2pa:{level}", [inner])
    inspection = inspect("comp.png", BytesSource(png_with_store(jumbf_superbox(b"c2pa", "c2pa", [inner]))))
    assert inspection.evidence == ()
    assert inspection.uninspected is not None  # a store that could not be read is never called clean


def test_ingredients_pointing_at_each_other_are_each_read_once() -> None:
    def pointing_at(label: str) -> dict[str, object]:
        return {
            "dc:title": label,
            "activeManifest": {"url": f"self#jumbf=/c2pa/{label}", "hash": b"\x00" * 32},
            "metadata": {"digitalSourceType": TRAINED},
        }

    store = jumbf_store(
        [
            ("urn:c2pa:a", {"claim_generator": "A"}, {"c2pa.ingredient.v3": pointing_at("urn:c2pa:b")}),
            ("urn:c2pa:b", {"claim_generator": "B"}, {"c2pa.ingredient.v3": pointing_at("urn:c2pa:a")}),
            ("urn:c2pa:c", {"claim_generator": "C"}, {"c2pa.ingredient.v3": pointing_at("urn:c2pa:c")}),
        ]
    )
    assert inspect("comp.png", BytesSource(png_with_store(store))).evidence == (
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; on ingredient urn:c2pa:b; claim generator: A"),
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; on ingredient urn:c2pa:a; claim generator: B"),
        Evidence("c2pa", Strength.STRONG, f"{TRAINED}; on ingredient urn:c2pa:c; claim generator: C"),
    )


def test_a_flood_of_ingredients_gives_a_bounded_number_of_evidence_items() -> None:
    assertions = {
        f"c2pa.ingredient.v3__{n}": {"dc:title": f"frame {n}", "metadata": {"digitalSourceType": TRAINED}}
        for n in range(500)
    }
    inspection = inspect(
        "comp.png", BytesSource(png_with_store(jumbf_store([("urn:c2pa:1", {}, assertions)])))
    )
    assert 1 <= len(inspection.evidence) <= 64


def test_the_c2pa_python_fallback_reads_ingredients_too() -> None:
    pytest.importorskip("c2pa")
    from genai_hooks.provenance.c2pa import _manifests_with_c2pa

    signed = sign_manifest(png_bytes(), "image/png", [], ingredients=[ingredient("sky_gen.png", TRAINED)])
    start = signed.index(b"caBX") + 4
    store = signed[start : start + int.from_bytes(signed[start - 8 : start - 4], "big")]
    manifests = _manifests_with_c2pa(store)
    assert manifests is not None
    assert [m.ingredient_source_types for m in manifests] == [[(TRAINED, "sky_gen.png")]]
