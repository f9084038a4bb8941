"""XMP packets and sidecars: the forms a digital source type takes, and hostile XML."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from provenance_media import (
    ALGORITHMIC,
    COMPOSITE_SYNTHETIC,
    COMPOSITE_TRAINED,
    TRAINED,
    xmp_packet,
)

from genai_hooks.findings import Evidence, Strength
from genai_hooks.provenance import MAX_READ, BytesSource, FileSource, Inspection, inspect


def sidecar(packet: bytes) -> Inspection:
    return inspect("sky.1001.exr.xmp", BytesSource(packet))


@pytest.mark.parametrize("form", ["attribute", "element", "resource"])
@pytest.mark.parametrize("value", [TRAINED, COMPOSITE_TRAINED, TRAINED.replace("http:", "https:")])
def test_genai_source_type_in_every_form_is_strong(form: str, value: str) -> None:
    assert sidecar(xmp_packet(value, form=form)).evidence == (
        Evidence("xmp-digital-source-type", Strength.STRONG, value),
    )


@pytest.mark.parametrize(
    "value", [ALGORITHMIC, COMPOSITE_SYNTHETIC, "http://example.com/trainedAlgorithmicMedia"]
)
def test_source_types_that_are_not_generative_ai_are_no_evidence(value: str) -> None:
    assert sidecar(xmp_packet(value)).evidence == ()


def test_truncated_packet_is_scanned() -> None:
    packet = xmp_packet(TRAINED)
    cut = packet[: packet.index(b"</rdf:Description>")]
    assert sidecar(cut).evidence == (Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),)


def test_other_namespace_prefix_is_understood() -> None:
    packet = xmp_packet().replace(b"Iptc4xmpExt", b"ext")
    packet = packet.replace(
        b'<rdf:Description rdf:about=""',
        b'<rdf:Description rdf:about="" ext:DigitalSourceType="' + TRAINED.encode() + b'"',
    )
    assert sidecar(packet).evidence == (Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),)


def test_creator_tool_in_a_language_alternative_is_read() -> None:
    alternative = '<rdf:Alt><rdf:li xml:lang="x-default">Midjourney</rdf:li></rdf:Alt>'
    extra = f"<xmp:CreatorTool>{alternative}</xmp:CreatorTool>"
    assert sidecar(xmp_packet(extra=extra)).evidence == (
        Evidence("software", Strength.WEAK, "CreatorTool: Midjourney"),
    )


def test_iptc_ai_system_used_is_medium() -> None:
    extra = "<Iptc4xmpExt:AISystemUsed>Imagen 4</Iptc4xmpExt:AISystemUsed>"
    assert sidecar(xmp_packet(extra=extra)).evidence == (
        Evidence("xmp-ai-system", Strength.MEDIUM, "AISystemUsed: Imagen 4"),
    )


def test_entity_expansion_is_refused_and_does_not_hang() -> None:
    lol = (
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            b'<!ENTITY %s "%s">' % (f"a{i + 1}".encode(), (f"&a{i};" if i else "&a;").encode() * 10)
            for i in range(9)
        )
        + b"]>"
    )
    packet = lol + xmp_packet(creator_tool="&a9;")
    started = time.perf_counter()
    assert sidecar(packet).evidence == ()
    assert time.perf_counter() - started < 1.0


def test_external_entities_are_never_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Midjourney")
    packet = (
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file://'
        + str(secret).encode()
        + b'">]>'
        + xmp_packet(creator_tool="&e;")
    )
    assert sidecar(packet).evidence == ()


def test_sidecar_file_on_disk_is_read(tmp_path: Path) -> None:
    path = tmp_path / "plate.jpg.xmp"
    path.write_bytes(xmp_packet(TRAINED, creator_tool="Adobe Firefly"))
    with FileSource(path) as source:
        assert inspect(path.name, source) == Inspection(
            evidence=(
                Evidence("xmp-digital-source-type", Strength.STRONG, TRAINED),
                Evidence("software", Strength.WEAK, "CreatorTool: Adobe Firefly"),
            ),
            uninspected=None,
        )


def test_sidecar_larger_than_the_budget_is_uninspected() -> None:
    packet = xmp_packet(
        extra="<!-- " + "x" * MAX_READ + " -->" + f'<Iptc4xmpExt:DigitalSourceType rdf:resource="{TRAINED}"/>'
    )
    inspection = sidecar(packet)
    assert inspection.uninspected is not None
    assert inspection.evidence == ()
