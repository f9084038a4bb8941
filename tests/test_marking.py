"""SPEC §16 "Marking that should survive": GAI306 provenance-marking-lost, on comps that drop the C2PA or IPTC mark
of their generated source, and with `[production] marking = "required"`, in real repositories with real media."""

from __future__ import annotations

from typing import Any

import pytest
from comp_scripts import NUKE_HEADER, NUKE_ROOT, nuke_node
from conftest import ANY_REGISTER, ROOT_MANIFEST, Repo, generated
from provenance_media import TRAINED, png_bytes, png_info, xmp_packet
from provenance_media_2026 import created, sign_manifest, with_xmp

SHOW = ROOT_MANIFEST + '\n[editorial]\npath_map = { "/mnt/show/" = "" }\n' + generated(
    ["shots/sh020/gen/**"], purpose="sky element", approval="NFX-1") + ANY_REGISTER
REQUIRED = ROOT_MANIFEST.replace("[production]\n", '[production]\nmarking = "required"\n')
MARKED = with_xmp("png", xmp_packet(TRAINED))  # IPTC DigitalSourceType in XMP
A1111 = png_bytes(png_info(("parameters", "a sky\nSteps: 20, Sampler: Euler a, Seed: 1")))  # evidence, no mark


def comp(repo: Repo, source: bytes, output: bytes, manifest: str = SHOW) -> Any:
    repo.write("genai.toml", manifest)
    for frame in (1001, 1002, 1003):
        repo.write(f"shots/sh020/gen/sky.{frame}.png", source)
        repo.write(f"deliverables/sh020/comp.{frame}.png", output)
    repo.write("shots/sh020/comp/sh020.nk", NUKE_HEADER + NUKE_ROOT
               + nuke_node("Read", inputs="0", file_type="png", file="/mnt/show/shots/sh020/gen/sky.####.png",
                           first="1001", last="1003", name="Read1")
               + nuke_node("Write", file='"/mnt/show/deliverables/sh020/comp.####.png"', file_type="png",
                           name="Write1"))
    repo.write("genai.toml", manifest + generated(["deliverables/sh020/**"], approval="NFX-1"))
    repo.add()
    return repo.check("--as-of", "2026-01-01")


def gai306(done: Any) -> list[dict[str, Any]]:
    return [f for f in done.json["findings"] if f["rule"] == "GAI306"]


def test_a_comp_that_drops_its_sources_iptc_mark_is_gai306_on_the_deliverable_sequence(repo: Repo) -> None:
    done = comp(repo, MARKED, png_bytes())
    [finding] = gai306(done)
    assert (finding["path"], finding["severity"], len(finding["files"])) == (
        "deliverables/sh020/comp.1001.png", "warning", 3)
    assert "written by shots/sh020/comp/sh020.nk (Write1), which reads shots/sh020/gen/sky.####.png" \
        in finding["message"]
    assert "carries a provenance mark (xmp-digital-source-type: " in finding["message"]
    assert finding["message"].endswith("this deliverable carries none: the comp dropped it")
    assert done.code == 0  # a warning by default


def test_a_comp_that_drops_a_c2pa_manifest_signed_by_c2pa_python_is_gai306(repo: Repo) -> None:
    pytest.importorskip("c2pa")
    signed = sign_manifest(png_bytes(), "image/png", [created(TRAINED)])
    [finding] = gai306(comp(repo, signed, png_bytes()))
    assert "(c2pa: " in finding["message"]


def test_a_comp_that_keeps_the_mark_or_a_source_without_one_is_clean(repo: Repo) -> None:
    assert gai306(comp(repo, MARKED, MARKED)) == []
    assert gai306(comp(repo, A1111, png_bytes())) == []  # nothing to lose: generator records are no mark


def test_the_production_can_make_a_lost_mark_an_error(repo: Repo) -> None:
    done = comp(repo, MARKED, png_bytes(), SHOW + '\n[policy]\nseverity = { GAI306 = "error" }\n')
    [finding] = gai306(done)
    assert finding["severity"] == "error" and done.code == 1


def test_with_marking_required_an_unmarked_declared_deliverable_is_gai306(repo: Repo) -> None:
    repo.write("genai.toml", REQUIRED + ANY_REGISTER + generated(["deliverables/**", "shots/**"], approval="NFX-1"))
    repo.write("deliverables/sky.png", png_bytes())
    repo.write("deliverables/marked.png", MARKED)
    repo.write("shots/work.png", png_bytes())  # not delivered: no mark needed
    repo.add()
    [finding] = gai306(repo.check("--as-of", "2026-01-01"))
    lines = (repo.root / "genai.toml").read_text().splitlines()
    assert (finding["path"], finding["manifest"], finding["manifest_line"]) == (
        "deliverables/sky.png", "genai.toml", lines.index("[[generated]]") + 1)
    assert "the production requires a C2PA or IPTC mark on every generated deliverable" in finding["message"]


def test_with_marking_required_detected_and_derived_deliverables_need_a_mark_too(repo: Repo) -> None:
    repo.write("genai.toml", REQUIRED)
    repo.write("deliverables/found.png", A1111)  # generator records, no mark
    repo.write("deliverables/stamped.png", MARKED)
    repo.add()
    done = repo.check("--as-of", "2026-01-01")
    assert [f["path"] for f in gai306(done)] == ["deliverables/found.png"]
    done = comp(repo, A1111, png_bytes(), REQUIRED + '\n[editorial]\npath_map = { "/mnt/show/" = "" }\n'
                + generated(["shots/sh020/gen/**"], approval="NFX-1") + ANY_REGISTER)
    found, derived = gai306(done)
    assert (found["path"], derived["path"], len(derived["files"])) == (
        "deliverables/found.png", "deliverables/sh020/comp.1001.png", 3)
    assert "which reads shots/sh020/gen/sky.####.png" in derived["message"]


def test_marking_takes_required_or_optional_only(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST.replace("[production]\n", '[production]\nmarking = "always"\n'))
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and "expected one of: required, optional" in finding["message"]


def test_a_derived_deliverable_the_detector_already_read_is_not_read_again(repo: Repo,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from genai_hooks import provenance

    reads: list[str] = []
    real = provenance.inspect

    def counting(name: str, source: Any, **kwargs: Any) -> Any:
        reads.append(name)
        return real(name, source, **kwargs)

    monkeypatch.setattr(provenance, "inspect", counting)
    repo.write("genai.toml", SHOW)
    for frame in (1001, 1002, 1003):
        repo.write(f"shots/sh020/gen/sky.{frame}.png", MARKED)
        repo.write(f"deliverables/sh020/comp.{frame}.png", png_bytes(size=(16, frame - 990)))  # undeclared, distinct
    repo.write("shots/sh020/comp/sh020.nk", NUKE_HEADER + NUKE_ROOT
               + nuke_node("Read", inputs="0", file_type="png", file="/mnt/show/shots/sh020/gen/sky.####.png",
                           first="1001", last="1003", name="Read1")
               + nuke_node("Write", file='"/mnt/show/deliverables/sh020/comp.####.png"', file_type="png",
                           name="Write1"))
    repo.add()
    done = repo.check("--as-of", "2026-01-01")
    assert [f["path"] for f in gai306(done)] == ["deliverables/sh020/comp.1001.png"]
    assert all(reads.count(f"deliverables/sh020/comp.{frame}.png") == 1 for frame in (1001, 1002, 1003)), reads
