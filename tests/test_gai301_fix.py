"""One round trip per file (SPEC §18): GAI301 says where the file is, and its fix is the whole entry to paste."""

from __future__ import annotations

import re
import shlex

from conftest import ROOT_MANIFEST, Repo
from provenance_media import png_bytes, png_info

SD_PNG = png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1")))
SD_TOOL = """
[tools.sd]
vendor = "Stability AI"
trains_on_inputs = false
retains_inputs = false
environment = "on-premises"
terms = "internal build, no telemetry"
disclosed = 2025-09-02
markers = ["AUTOMATIC1111"]
"""
REGISTER = """
[[approvals]]
id = "NFX-GAI-0042"
covers = ["final-deliverable", "archival"]
granted_by = "Netflix Production Legal"
date = 2025-09-10
"""


def _entry(fix: str) -> str:
    """The TOML the fix shows, as a user pastes it (the line after it names the command that writes it)."""
    return fix.split(":\n", 1)[1].rpartition("\n(from the repository root")[0] + "\n"


def _command(fix: str) -> list[str]:
    """The `genai-hooks declare ...` command the fix names, as a shell would split it."""
    return shlex.split(fix.rpartition("`genai-hooks ")[2].partition("`")[0])


def _frames(repo: Repo, directory: str, name: str = "sky.{}.png", count: int = 3) -> None:
    for frame in range(1001, 1001 + count):
        repo.write(f"{directory}/{name.format(frame)}", SD_PNG)


def test_a_generated_sequence_in_deliverables_gets_one_finding_whose_fix_clears_it(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + SD_TOOL + REGISTER)
    _frames(repo, "deliverables/sh020/sky")
    repo.add()
    done = repo.check()
    [finding] = done.json["findings"]
    assert finding["rule"] == "GAI301"
    assert "it is in a deliverable path, so its entry needs a written approval covering final-deliverable" \
        in finding["message"]
    entry = _entry(finding["fix"])
    assert entry.splitlines()[:3] == ["[[generated]]", 'paths = ["deliverables/sh020/sky/sky.####.png"]',
                                      'tool = "sd"']
    assert re.match(r'approval = "<approval id>" +# .*covering final-deliverable', entry.splitlines()[3])
    # followed literally, with the approval id the contact granted: compliant in one round trip
    manifest = repo.root / "genai.toml"
    manifest.write_text(manifest.read_text() + "\n" + entry.replace("<approval id>", "NFX-GAI-0042"))
    repo.add()
    after = repo.check()
    assert after.code == 0 and after.json["findings"] == [], after.out


def test_text_prints_the_entry_a_line_each_under_the_fix(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + SD_TOOL)
    _frames(repo, "deliverables/sky")
    repo.add()
    lines = repo.run("run").out.splitlines()
    at = lines.index("  fix: declare it (or replace the file) with this entry in genai.toml:")
    assert lines[at + 1:at + 4] == ["       [[generated]]", '       paths = ["deliverables/sky/sky.####.png"]',
                                    '       tool = "sd"']


def test_an_archival_path_is_named_and_the_approval_must_cover_archival(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + SD_TOOL + '\n[archival]\npaths = ["archive/**"]\n')
    repo.write("archive/harbour_1987.png", SD_PNG)
    repo.add()
    gai301 = [f for f in repo.check().json["findings"] if f["rule"] == "GAI301"]
    assert len(gai301) == 1
    assert "it is in an archival path" in gai301[0]["message"] and "covering archival" in gai301[0]["message"]
    assert 'paths = ["archive/harbour_1987.png"]' in gai301[0]["fix"]


def test_outside_deliverables_the_entry_has_no_approval_and_an_unknown_tool_is_a_placeholder(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)  # firefly only: no marker says who made the file
    repo.write("shots/sh010/cleanup.png", SD_PNG)
    repo.add()
    [finding] = repo.check().json["findings"]
    assert "deliverable" not in finding["message"]
    entry = _entry(finding["fix"])
    assert "approval" not in entry
    assert entry.splitlines()[2].startswith('tool = "<tool id>"   # the tool that made it: one of firefly')


def test_the_entry_goes_in_the_nearest_manifest_with_paths_relative_to_it(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + SD_TOOL)
    repo.write("deliverables/sh030/genai.toml", "version = 1\n")
    _frames(repo, "deliverables/sh030/sky", "sky [v1]_{}.png")
    repo.add()
    [finding] = repo.check().json["findings"]
    assert "with this entry in deliverables/sh030/genai.toml:" in finding["fix"]
    entry = _entry(finding["fix"])
    assert 'paths = ["sky/sky \\\\[v1\\\\]_####.png"]' in entry  # pattern characters escaped, the frames one token
    nested = repo.root / "deliverables/sh030/genai.toml"
    nested.write_text(nested.read_text() + "\n" + entry.replace("<approval id>", "A-1"))
    repo.add()
    assert "GAI301" not in repo.check().rules()  # the pattern, pasted, matches every frame


def test_a_lone_frame_is_declared_by_its_own_name(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + SD_TOOL)
    repo.write("deliverables/poster.1001.png", SD_PNG)
    repo.add()
    [finding] = repo.check().json["findings"]
    assert 'paths = ["deliverables/poster.1001.png"]' in finding["fix"]


def test_the_declare_command_the_fix_names_clears_the_sequence(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + SD_TOOL + REGISTER)
    _frames(repo, "deliverables/sh020/sky", "sky v3.{}.png")
    repo.add()
    [finding] = repo.check().json["findings"]
    command = _command(finding["fix"])
    assert command == ["declare", "deliverables/sh020/sky/sky v3.####.png", "--tool", "sd", "--approval", "ID"]
    done = repo.run(*command[:-1], "NFX-GAI-0042")
    assert done.code == 0, done.err
    repo.add("genai.toml")
    assert repo.check().json["findings"] == []
