"""The report leads with the answer (SPEC §18): ready for delivery or not, and every generated file in deliverable
paths, declared, detected or derived."""

from __future__ import annotations

from comp_scripts import NUKE_HEADER, NUKE_ROOT, nuke_node
from conftest import ROOT_MANIFEST, Repo, generated, register
from provenance_media import png_bytes, png_info

SD_PNG = png_bytes(png_info(("parameters", "a stormy sky\nSteps: 30, Sampler: Euler, Seed: 7")))
REGISTER = register("NFX-GAI-0042")
SHOW = ROOT_MANIFEST + REGISTER + '\n[editorial]\npath_map = { "/mnt/projects/nightfall/" = "" }\n'


def _lead(repo: Repo) -> list[str]:
    """The report's title and the line after it."""
    lines = [line for line in repo.run("report", "--as-of", "2026-01-31").out.splitlines() if line]
    return lines[:2]


def test_a_compliant_show_is_ready_for_delivery(repo: Repo) -> None:
    repo.write("genai.toml", SHOW + generated(["deliverables/sky/**"], approval="NFX-GAI-0042"))
    for frame in range(1001, 1005):
        repo.write(f"deliverables/sky/sky.{frame}.exr", str(frame))
    repo.add()
    assert _lead(repo) == [
        "# Generative-AI disclosure: Nightfall S1",
        ("**Ready for delivery.** 4 generated files in deliverable paths: 4 declared, 0 detected by their metadata "
         "or as copies and not declared, 0 derived from generated media by compositing scripts and not declared."),
    ]
    verdict = repo.run("report", "--format", "json", "--as-of", "2026-01-31").json["verdict"]
    assert verdict == {"ready": True, "text": "Ready for delivery", "open_errors": 0}


def test_undeclared_generated_frames_count_in_the_headline_and_the_verdict_is_not_ready(repo: Repo) -> None:
    repo.write("genai.toml", SHOW + generated(["deliverables/sky/**"], approval="NFX-GAI-0042"))
    for frame in range(1001, 1005):
        repo.write(f"deliverables/sky/sky.{frame}.exr", str(frame))
        repo.write(f"deliverables/fog/fog.{frame}.png", SD_PNG)  # generated, stamped, declared by no entry
    repo.add()
    assert _lead(repo)[1].startswith("**Not ready: 1 open error.** 8 generated files in deliverable paths: 4 "
                                     "declared, 4 detected")
    document = repo.run("report", "--format", "json", "--as-of", "2026-01-31").json
    assert document["summary"]["generated_in_deliverables"] == {"total": 8, "declared": 4, "detected": 4,
                                                                "derived": 0}
    assert document["verdict"] == {"ready": False, "text": "Not ready: 1 open error", "open_errors": 1}
    html = repo.run("report", "--format", "html", "--as-of", "2026-01-31").out
    assert '<p class="verdict not-ready"><strong>Not ready: 1 open error.</strong> 8 generated files' in html


def test_renders_of_a_comp_built_on_a_generated_element_count_as_derived(repo: Repo) -> None:
    repo.write("genai.toml", SHOW + generated(["shots/sh020/gen/**"], approval="NFX-GAI-0042"))
    for frame in range(1001, 1004):
        repo.write(f"shots/sh020/gen/sky.{frame}.exr", f"sky {frame}")
        repo.write(f"deliverables/sh020/comp.{frame}.exr", f"comp {frame}")
    repo.write("shots/sh020/comp/comp.nk", NUKE_HEADER + NUKE_ROOT + "".join((
        nuke_node("Read", inputs="0", file_type="exr", file="/mnt/projects/nightfall/shots/sh020/gen/sky.####.exr",
                  first="1001", last="1003", name="Read1"),
        nuke_node("Write", file='"/mnt/projects/nightfall/deliverables/sh020/comp.####.exr"', file_type="exr",
                  name="Write1"))))
    repo.add()
    document = repo.run("report", "--format", "json", "--as-of", "2026-01-31").json
    assert document["summary"]["generated_in_deliverables"] == {"total": 3, "declared": 0, "detected": 0,
                                                                "derived": 3}
    assert not document["verdict"]["ready"]
