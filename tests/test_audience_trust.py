"""Audience trust (SPEC §10): generated material where it would be taken for real is GAI210 without an approval
covering `archival` — declared, detected by metadata or lineage, or derived through a compositing script."""

from __future__ import annotations

from typing import Any

import pytest
from comp_scripts import NUKE_HEADER, NUKE_ROOT, nuke_node
from conftest import ROOT_MANIFEST, Repo, generated
from provenance_media import png_bytes, png_info
from test_policy_fidelity import approval

ARCHIVAL = '\n[archival]\npaths = ["archive/**"]\n'
SD_PNG = png_bytes(png_info(("parameters", "harbour fire 1987, press photo\nSteps: 30, Seed: 7")))
WEAK_PNG = png_bytes(png_info(("Software", "Midjourney v6")))
DOCUMENTARY = ROOT_MANIFEST.replace("[production]\n", '[production]\nkind = "documentary"\n')
CREDITS = {"method": "credits", "reference": "end credits v2: reconstructions made with generative AI"}


def gai210(done: Any) -> list[dict[str, Any]]:
    return [f for f in done.json["findings"] if f["rule"] == "GAI210"]


def test_a_declared_generated_file_in_an_archival_path_needs_archival_approval(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + ARCHIVAL + generated(["archive/restored/**"], purpose="restoration"))
    repo.write("archive/restored/harbour_1987.png")
    repo.write("archive/scans/harbour_1987_scan.png")  # the real scan: not generated, not judged
    repo.add()
    done = repo.check("archive")
    [finding] = done.json["findings"]
    assert (finding["rule"], finding["severity"], finding["path"], finding["line"]) == \
        ("GAI210", "error", "archive/restored/harbour_1987.png", None)
    assert finding["message"] == ("generated with 'firefly' (Adobe) (entry at genai.toml:22) and in an archival "
                                  "path, where it would be taken for real; no written approval covering archival "
                                  "is cited")
    assert finding["manifest"] == "genai.toml" and finding["manifest_line"] == 22
    assert done.code == 1


def test_an_approval_covering_archival_clears_it_and_one_that_does_not_is_named(repo: Repo) -> None:
    def show(covers: list[str]) -> Any:
        repo.write("genai.toml", ROOT_MANIFEST + ARCHIVAL + approval("NFX-GAI-0060", covers)
                   + generated(["archive/restored/**"], approval="NFX-GAI-0060"))
        repo.write("archive/restored/harbour_1987.png")
        repo.add()
        return repo.check("--as-of", "2026-01-01")

    [finding] = gai210(show(["final-deliverable"]))
    assert finding["message"].endswith("approval NFX-GAI-0060 does not cover archival")
    assert show(["archival"]).json["findings"] == []


def test_archival_paths_ignore_case_and_nested_manifests_add_them(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + ARCHIVAL + generated(["**/*.png"]))
    repo.write("Archive/Harbour.PNG")  # patterns stay case-sensitive: **/*.png does not match .PNG
    repo.write("Archive/harbour.png")
    repo.write("ep104/genai.toml", '[archival]\npaths = ["evidence/**"]\n')
    repo.write("ep104/evidence/letter.png")
    repo.write("ep104/props/letter.png")
    repo.add()
    assert sorted(f["path"] for f in gai210(repo.check())) == ["Archive/harbour.png", "ep104/evidence/letter.png"]


def test_in_a_documentary_every_generated_deliverable_needs_archival_approval(repo: Repo) -> None:
    def show(manifest: str, covers: list[str]) -> Any:
        repo.write("genai.toml", manifest + approval("NFX-GAI-0042", covers)
                   + generated(["deliverables/**"], approval="NFX-GAI-0042", disclosure=CREDITS)
                   + generated(["previs/**"]))
        repo.write("deliverables/ep101/reconstruction.exr")
        repo.write("previs/board.png")  # not a deliverable: a documentary's previs is not on screen
        repo.add()
        return repo.check("--as-of", "2026-01-01")

    [finding] = gai210(show(DOCUMENTARY, ["final-deliverable"]))
    assert finding["path"] == "deliverables/ep101/reconstruction.exr"
    assert "a deliverable of a documentary production" in finding["message"]
    assert show(DOCUMENTARY, ["final-deliverable", "archival"]).json["findings"] == []
    fiction = ROOT_MANIFEST.replace("[production]\n", '[production]\nkind = "fiction"\n')
    assert show(fiction, ["final-deliverable"]).json["findings"] == []


def test_undeclared_media_with_generator_records_in_an_archival_path_is_gai301_and_gai210(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + ARCHIVAL)
    repo.write("archive/press/harbour_1987.png", SD_PNG)
    repo.write("archive/press/harbour_1988.png", WEAK_PNG)
    repo.add()
    done = repo.check("archive/press")
    found = sorted((f["rule"], f["path"], f["severity"]) for f in done.json["findings"])
    assert found == [("GAI210", "archive/press/harbour_1987.png", "error"),
                     ("GAI301", "archive/press/harbour_1987.png", "error"),
                     ("GAI301", "archive/press/harbour_1988.png", "warning")]  # a generator's name alone: weak
    [finding] = gai210(done)
    assert "generated (png-text: parameters (AUTOMATIC1111/Forge))" in finding["message"]
    assert "no entry declares it" in finding["message"]


def test_a_copy_of_declared_generated_media_into_an_archival_path_is_gai210(repo: Repo) -> None:
    image = b"generated crowd " * 200  # over 1 KiB: identity means something
    repo.write("genai.toml", ROOT_MANIFEST + ARCHIVAL + generated(["shots/sh010/gen/**"]))
    repo.write("shots/sh010/gen/crowd.exr", image)
    repo.add()
    repo.commit()
    repo.write("archive/footage/1987_crowd.exr", image)
    repo.add()
    for args in (("--", "archive/footage/1987_crowd.exr"), ("--diff", "HEAD"), ()):
        [finding] = gai210(repo.check(*args))
        assert finding["path"] == "archive/footage/1987_crowd.exr", args
        assert "identical to shots/sh010/gen/crowd.exr" in finding["message"], args


def test_a_comp_that_reads_generated_media_and_writes_into_an_archival_path_is_gai210(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + ARCHIVAL + generated(["shots/sh020/gen/**"], approval="NFX-GAI-0042"))
    for frame in (1001, 1002):
        repo.write(f"shots/sh020/gen/smoke.{frame}.exr", f"pixels {frame}")
        repo.write(f"archive/footage/fire.{frame}.exr", f"comp {frame}")
    repo.write("shots/sh020/comp/fire.nk", NUKE_HEADER + NUKE_ROOT
               + nuke_node("Read", file="../gen/smoke.####.exr", first="1001", last="1002", name="Read1")
               + nuke_node("Write", file='"../../../archive/footage/fire.####.exr"', name="Write1"))
    repo.add()
    for args in ((), ("--", "archive/footage"), ("--", "shots/sh020/comp/fire.nk")):
        [finding] = gai210(repo.check(*args))
        assert finding["path"] == "archive/footage/fire.1001.exr" and len(finding["files"]) == 2, args
        assert "written by shots/sh020/comp/fire.nk (Write1)" in finding["message"]


@pytest.mark.parametrize("severity", ["off", "warning"])
def test_the_production_decides_gai210_severity(repo: Repo, severity: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + ARCHIVAL + generated(["archive/**"])
               + f'\n[policy]\nseverity = {{ GAI210 = "{severity}" }}\n')
    repo.write("archive/a.png")
    repo.add()
    done = repo.check()
    assert done.code == 0
    assert [f["severity"] for f in gai210(done)] == ([] if severity == "off" else ["warning"])
