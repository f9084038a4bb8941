"""IPTC 2025.1 AI properties in XMP are medium evidence (SPEC §16), in every container whose XMP
is read; written by Pillow into JPEG, PNG and TIFF, and as the specifications lay out the rest."""

from __future__ import annotations

import time

import pytest
from provenance_media_2026 import XMP_CONTAINERS, with_xmp, xmp_2026

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import BytesSource, inspect

AI_SYSTEM = "xmp-ai-system"
IPTC_2025 = (
    "<Iptc4xmpExt:AISystemUsed>Runway Gen-4</Iptc4xmpExt:AISystemUsed>"
    "<Iptc4xmpExt:AISystemVersionUsed>4.0.2</Iptc4xmpExt:AISystemVersionUsed>"
    '<Iptc4xmpExt:AIPromptInformation><rdf:Alt><rdf:li xml:lang="x-default">a foggy harbour at dawn</rdf:li>'
    "</rdf:Alt></Iptc4xmpExt:AIPromptInformation>"
    "<Iptc4xmpExt:AIPromptWriterName>J. Doe</Iptc4xmpExt:AIPromptWriterName>"
)
EXPECTED = {
    Evidence(AI_SYSTEM, Strength.MEDIUM, "AISystemUsed: Runway Gen-4"),
    Evidence(AI_SYSTEM, Strength.MEDIUM, "AISystemVersionUsed: 4.0.2"),
    Evidence(AI_SYSTEM, Strength.MEDIUM, "AIPromptInformation present"),  # the prompt itself is not shown
    Evidence(AI_SYSTEM, Strength.MEDIUM, "AIPromptWriterName: J. Doe"),
}


@pytest.mark.parametrize("extension", XMP_CONTAINERS)
def test_iptc_2025_ai_properties_are_medium_in_every_container(extension: str) -> None:
    inspection = inspect(f"sh030.{extension}", BytesSource(with_xmp(extension, xmp_2026(elements=IPTC_2025))))
    assert set(inspection.evidence) == EXPECTED
    assert len(inspection.evidence) == len(EXPECTED)
    assert inspection.uninspected is None


@pytest.mark.parametrize("name", ["AIPromptWriterName", "AISystemVersionUsed"])
def test_each_property_counts_alone_in_attribute_form(name: str) -> None:
    packet = xmp_2026({f"Iptc4xmpExt:{name}": "Kim"})
    assert inspect("sh030.jpg", BytesSource(with_xmp("jpg", packet))).evidence == (
        Evidence(AI_SYSTEM, Strength.MEDIUM, f"{name}: Kim"),
    )


def test_empty_ai_properties_are_no_evidence() -> None:
    packet = xmp_2026({"Iptc4xmpExt:AISystemUsed": " ", "Iptc4xmpExt:AIPromptWriterName": ""})
    assert inspect("sh030.tif", BytesSource(with_xmp("tif", packet))).evidence == ()


def test_a_huge_ai_system_name_is_cut_short() -> None:
    packet = xmp_2026(elements=f"<Iptc4xmpExt:AISystemUsed>{'G' * 500_000}</Iptc4xmpExt:AISystemUsed>")
    (evidence,) = inspect("sh030.png", BytesSource(with_xmp("png", packet))).evidence
    assert evidence.strength is Strength.MEDIUM and len(evidence.detail) <= 200


def test_entity_expansion_in_an_ai_property_is_refused_and_does_not_hang() -> None:
    entities = "".join(f'<!ENTITY a{i + 1} "{f"&a{i};" * 10}">' for i in range(9))
    packet = f'<!DOCTYPE x [<!ENTITY a0 "lol">{entities}]>'.encode() + xmp_2026(
        elements="<Iptc4xmpExt:AISystemUsed>&a9;</Iptc4xmpExt:AISystemUsed>"
    )
    started = time.perf_counter()
    inspection = inspect("sh030.jpg", BytesSource(with_xmp("jpg", packet)))
    assert time.perf_counter() - started < 1.0
    # never expanded: at most the entity reference itself is shown, read by the bounded scan
    assert all("lol" not in evidence.detail for evidence in inspection.evidence)
    assert all(len(evidence.detail) <= 200 for evidence in inspection.evidence)
