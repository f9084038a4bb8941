"""Permission to train (SPEC §16, GAI503): a file's own metadata that forbids training AI on it is a
fact the readers hand over apart from the evidence; it never makes the file count as generated."""

from __future__ import annotations

import pytest
from conftest import Repo
from provenance_media import TRAINED, jumbf_store, png_bytes, xmp_packet
from provenance_media_2026 import (
    PLUS_VOCAB,
    XMP_CONTAINERS,
    created,
    png_with_store,
    sign_manifest,
    with_xmp,
    xmp_2026,
)
from test_run_media import EDITORIAL, otio_cut

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, Inspection, inspect

CAWG = "c2pa-training-mining"
PLUS = "xmp-plus-data-mining"


def training_mining(entries: dict[str, object], label: str = "cawg.training-mining") -> dict[str, object]:
    return {"label": label, "data": {"entries": entries}}


NOT_ALLOWED = {"use": "notAllowed"}
RESERVED = training_mining({"cawg.ai_generative_training": NOT_ALLOWED, "cawg.ai_training": NOT_ALLOWED})


# --- CAWG training-and-data-mining ----------------------------------------------------------------


def test_cawg_training_not_allowed_is_a_fact_and_no_evidence() -> None:
    pytest.importorskip("c2pa")
    signed = sign_manifest(png_bytes(), "image/png", [RESERVED], generator="Lightroom")
    assert inspect("still.png", BytesSource(signed)) == Inspection(
        evidence=(),
        uninspected=None,
        training_not_permitted=(
            Evidence(CAWG, Strength.STRONG, "cawg.ai_generative_training: notAllowed"),
            Evidence(CAWG, Strength.STRONG, "cawg.ai_training: notAllowed"),
        ),
    )


def test_a_generated_file_that_forbids_training_keeps_both_apart() -> None:
    pytest.importorskip("c2pa")
    signed = sign_manifest(png_bytes(), "image/png", [created(TRAINED), RESERVED])
    inspection = inspect("gen.png", BytesSource(signed))
    assert [e.kind for e in inspection.evidence] == ["c2pa"]
    assert [e.kind for e in inspection.training_not_permitted] == [CAWG, CAWG]


def test_the_older_c2pa_label_and_entries_are_read() -> None:
    assertion = {"entries": {"c2pa.ai_training": NOT_ALLOWED, "c2pa.data_mining": {"use": "allowed"}}}
    store = jumbf_store([("urn:c2pa:1", {"claim_generator": "Camera"}, {"c2pa.training-mining": assertion})])
    assert inspect("still.png", BytesSource(png_with_store(store))).training_not_permitted == (
        Evidence(CAWG, Strength.STRONG, "c2pa.ai_training: notAllowed"),
    )


@pytest.mark.parametrize(
    "entries",
    [
        {"cawg.ai_generative_training": {"use": "allowed"}, "cawg.ai_training": {"use": "allowed"}},
        {"cawg.ai_generative_training": {"use": "constrained", "constraint_info": "licence.xml"}},
        {"cawg.ai_inference": NOT_ALLOWED, "cawg.data_mining": NOT_ALLOWED},  # not about training
        {"cawg.ai_training": "notAllowed"},  # not the assertion's shape
        {},
    ],
)
def test_training_allowed_constrained_or_not_mentioned_is_no_fact(entries: dict[str, object]) -> None:
    store = jumbf_store([("urn:c2pa:1", {}, {"cawg.training-mining": {"entries": entries}})])
    assert inspect("still.png", BytesSource(png_with_store(store))) == Inspection(
        evidence=(), uninspected=None
    )


# --- PLUS data mining in XMP ----------------------------------------------------------------------

PROHIBITING = [
    ("DMI-PROHIBITED-AIMLTRAINING", Strength.STRONG),
    ("DMI-PROHIBITED-GENAIMLTRAINING", Strength.STRONG),
    ("DMI-PROHIBITED", Strength.STRONG),
    ("DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING", Strength.STRONG),
    ("DMI-PROHIBITED-SEECONSTRAINT", Strength.MEDIUM),
    ("DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR", Strength.MEDIUM),
    ("DMI-PROHIBITED-SEELINKEDRIGHTSEXPR", Strength.MEDIUM),
]


@pytest.mark.parametrize(("code", "strength"), PROHIBITING)
def test_plus_data_mining_prohibitions_are_facts(code: str, strength: Strength) -> None:
    value = PLUS_VOCAB + code
    data = with_xmp("jpg", xmp_2026(elements=f'<plus:DataMining rdf:resource="{value}"/>'))
    assert inspect("still.jpg", BytesSource(data)) == Inspection(
        evidence=(),
        uninspected=None,
        training_not_permitted=(Evidence(PLUS, strength, f"plus:DataMining: {value}"),),
    )


@pytest.mark.parametrize("extension", XMP_CONTAINERS)
def test_plus_data_mining_is_read_in_every_container(extension: str) -> None:
    value = PLUS_VOCAB + "DMI-PROHIBITED-AIMLTRAINING"
    inspection = inspect(
        f"ref.{extension}", BytesSource(with_xmp(extension, xmp_2026({"plus:DataMining": value})))
    )
    assert inspection.training_not_permitted == (
        Evidence(PLUS, Strength.STRONG, f"plus:DataMining: {value}"),
    )
    assert inspection.evidence == ()


@pytest.mark.parametrize(
    "value",
    [
        PLUS_VOCAB + "DMI-ALLOWED",
        PLUS_VOCAB + "DMI-UNSPECIFIED",
        PLUS_VOCAB + "DMI-SOMETHING-NEW",
        "http://example.org/vocab/DMI-PROHIBITED-NOT",
        "prohibited",
    ],
)
def test_permitting_and_unknown_data_mining_values_are_no_fact(value: str) -> None:
    data = with_xmp("png", xmp_2026(elements=f"<plus:DataMining>{value}</plus:DataMining>"))
    assert inspect("ref.png", BytesSource(data)) == Inspection(evidence=(), uninspected=None)


def test_a_bare_code_and_a_truncated_packet_are_read() -> None:
    packet = xmp_2026({"plus:DataMining": "DMI-PROHIBITED-GENAIMLTRAINING"})
    cut = packet[: packet.index(b"</rdf:Description>")]  # not well-formed: the bounded scan reads it
    assert inspect("ref.tif", BytesSource(with_xmp("tif", cut))).training_not_permitted == (
        Evidence(PLUS, Strength.STRONG, "plus:DataMining: DMI-PROHIBITED-GENAIMLTRAINING"),
    )


# --- the judge: never GAI301 or GAI302 ------------------------------------------------------------


def reserved_jpeg() -> bytes:
    return with_xmp("jpg", xmp_2026({"plus:DataMining": PLUS_VOCAB + "DMI-PROHIBITED-AIMLTRAINING"}))


def test_files_that_only_forbid_training_are_not_undeclared_generated_media(repo: Repo) -> None:
    repo.write("reference/still.jpg", reserved_jpeg())
    repo.write("reference/sky.xmp", xmp_2026({"plus:DataMining": PLUS_VOCAB + "DMI-PROHIBITED"}))
    repo.write("reference/sky.png", png_bytes())
    try:
        repo.write(
            "reference/cawg.png", sign_manifest(png_bytes(), "image/png", [RESERVED], generator="Camera")
        )
    except ImportError:
        pass
    repo.add()
    done = repo.check()
    assert done.json["findings"] == [] and done.code == 0


def test_a_cut_using_a_file_that_only_forbids_training_is_no_gai302(repo: Repo) -> None:
    mapping = '\n[editorial]\npath_map = { "/mnt/show/" = "" }\n'
    repo.write("genai.toml", EDITORIAL + mapping)
    repo.write("shots/plate.jpg", reserved_jpeg())
    repo.write("shots/gen.jpg", with_xmp("jpg", xmp_packet(TRAINED)))
    cut = otio_cut(("plate", "file:///mnt/show/shots/plate.jpg"), ("gen", "file:///mnt/show/shots/gen.jpg"))
    repo.write("editorial/locked/r1.otio", cut)
    repo.add()
    done = repo.check("editorial/locked/r1.otio")
    gai302 = [f["message"] for f in done.json["findings"] if f["rule"] == "GAI302"]
    assert len(gai302) == 1 and "shots/gen.jpg" in gai302[0] and "plate.jpg" not in gai302[0]
