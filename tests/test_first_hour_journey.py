"""The first hour (SPEC §18): a new user follows each message literally, from `init` to a compliant commit, with at
most one blocked commit per file."""

from __future__ import annotations

import shlex

from conftest import Repo
from provenance_media import png_bytes, png_info

SD_PNG = png_bytes(png_info(("parameters", "a stormy sky\nSteps: 30, Sampler: Euler, Seed: 7")))


def _hook(repo: Repo, *paths: str) -> tuple[int, dict]:
    """What the pre-commit hook runs on the staged files."""
    done = repo.run("run", "--format", "json", "--", *paths)
    return done.code, done.json


def test_init_then_generated_frames_in_deliverables_then_each_message_followed_literally(repo: Repo) -> None:
    (repo.root / "deliverables").mkdir()
    assert repo.run("init").code == 0
    manifest = repo.root / "genai.toml"

    # the starter warns (GAI002) that the production and its contact are blank: fill them in, as it says
    repo.add()
    code, result = _hook(repo, "genai.toml")
    [warning] = result["findings"]
    assert code == 0 and warning["rule"] == "GAI002" and warning["severity"] == "warning"
    text = manifest.read_text().replace('title = ""', 'title = "Nightfall S1"')
    manifest.write_text(text.replace('contact = ""', 'contact = "jane.doe@example.com"'))
    repo.add()
    code, result = _hook(repo, "genai.toml")
    assert code == 0 and result["findings"] == []
    repo.commit("genai.toml")

    # the artist stages generated frames in a deliverable path: blocked once, one finding for the sequence
    frames = [f"deliverables/sh020/sky/sh020_sky_v003.{frame}.png" for frame in range(1001, 1025)]
    for frame in frames:
        repo.write(frame, SD_PNG)
    repo.add()
    code, result = _hook(repo, *frames)
    assert code == 1
    [finding] = result["findings"]
    assert finding["rule"] == "GAI301" and "in a deliverable path" in finding["message"]
    fix = finding["fix"]
    # the fix names what is missing: the tool that made it, declared in a [tools.ID] table, and a written approval
    # in the root's [[approvals]] register; the production records both, as the starter's examples show
    assert "declared in a [tools.ID] table" in fix and "in the root's [[approvals]] register" in fix
    with manifest.open("a") as stream:
        stream.write('\n[tools.sd]\nvendor = "Stability AI"\ntrains_on_inputs = false\nretains_inputs = false\n'
                     'environment = "on-premises"\nterms = "studio build, no telemetry"\ndisclosed = 2026-11-30\n'
                     '\n[[approvals]]\nid = "NFX-GAI-0042"\ncovers = ["final-deliverable"]\n'
                     'granted_by = "Netflix Production Legal"\ndate = 2026-12-01\n')
    # then runs the command the fix names, with those ids
    command = shlex.split(fix.rpartition("`genai-hooks ")[2].partition("`")[0])
    assert command[:2] == ["declare", "deliverables/sh020/sky/sh020_sky_v003.####.png"]
    filled = [{"ID": "sd"}.get(a, a) if command[i - 1] == "--tool" else a for i, a in enumerate(command)]
    filled = [{"ID": "NFX-GAI-0042"}.get(a, a) if filled[i - 1] == "--approval" else a for i, a in enumerate(filled)]
    done = repo.run(*filled)
    assert done.code == 0, done.err
    repo.add("genai.toml")

    # compliant: the commit goes through, with nothing left to fix
    code, result = _hook(repo, "genai.toml", *frames)
    assert code == 0 and result["findings"] == [], result
    assert repo.check().json["findings"] == []  # a full audit agrees
