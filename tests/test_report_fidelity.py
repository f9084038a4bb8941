"""The disclosure report carries SPEC §10: models and what they were trained on, each entry's inputs, the consent
behind approvals, and the archival material — in JSON, Markdown and HTML."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import ROOT_MANIFEST, Repo, generated
from models_media import KOHYA, safetensors_bytes
from test_models_rules import models
from test_policy_fidelity import approval, line_of
from test_report import Markup

DOCUMENTARY = ROOT_MANIFEST.replace("[production]\n", '[production]\nkind = "documentary"\n')


@pytest.fixture
def documentary(repo: Repo) -> Repo:
    repo.write("genai.toml", DOCUMENTARY + '\n[archival]\npaths = ["archive/**", "evidence/**"]\n'
               + approval("NFX-GAI-0051", ["talent-likeness"], consent="TR-2025-118", union="SAG-AFTRA 0931")
               + approval("NFX-GAI-0060", ["final-deliverable", "archival"], expires="2026-01-20")
               + approval("NFX-GAI-0070", ["union-work"])
               + generated(["archive/restored/**"], purpose="restored photos", inputs=["production-material"],
                           approval="NFX-GAI-0060")
               + generated(["deliverables/**"], purpose="reconstruction", inputs=["talent-material"],
                           approval="NFX-GAI-0051")
               + models(["models/lead.safetensors"], base="sd_xl_base_1.0", tool="firefly",
                        trained_on=["talent-material", "production-material"], approval="NFX-GAI-0051",
                        purpose="narrator likeness")
               + models(["models/style/**"], base="flux-dev", trained_on=["third-party-ip"]))
    repo.write("archive/restored/harbour_1987.png", b"r" * 100)
    repo.write("archive/scans/harbour_1987.png", b"s" * 100)
    repo.write("deliverables/ep101/recon.1001.exr", b"d" * 10)
    repo.write("deliverables/ep101/recon.1002.exr", b"e" * 10)
    repo.write("models/lead.safetensors", safetensors_bytes(KOHYA))
    repo.write("models/stray.safetensors", safetensors_bytes({"ss_output_name": "stray"}))
    repo.add()
    repo.commit("show")
    return repo


def report(repo: Repo, fmt: str = "json") -> Any:
    done = repo.run("report", "--format", fmt, "--as-of", "2026-01-01")
    assert done.code == 0, done.err
    return json.loads(done.out) if fmt == "json" else done.out


def test_json_lists_models_with_their_base_tool_training_and_approval(documentary: Repo) -> None:
    data = report(documentary)
    lead, style = data["models"]
    assert (lead["paths"], lead["base"], lead["tool"], lead["trained_on"]) == (
        ["models/lead.safetensors"], "sd_xl_base_1.0", "firefly", ["talent-material", "production-material"])
    assert lead["tool_declaration"] == {"manifest": "genai.toml", "line": line_of(documentary, "[tools.firefly]")}
    assert (lead["needs"], lead["approval_status"], lead["files"]) == (["talent-likeness"], "covered", 1)
    assert lead["approvals"] == [{"id": "NFX-GAI-0051", "state": "valid", "registered": True}]
    assert (style["base"], style["tool"], style["trained_on"]) == ("flux-dev", None, ["third-party-ip"])
    assert (style["approval_status"], style["uncovered"], style["files"]) == ("missing", ["third-party-ip"], 0)
    assert data["summary"]["models"] == 2 and data["summary"]["undeclared_models"] == 1


def test_json_gives_each_entry_its_inputs_and_what_would_be_taken_for_real(documentary: Repo) -> None:
    data = report(documentary)
    restored, reconstruction = data["generated"]
    assert restored["inputs"] == ["production-material"]
    assert (restored["archival_files"], restored["needs"], restored["approval_status"]) == \
        (1, ["archival"], "covered")
    assert reconstruction["inputs"] == ["talent-material"]
    assert reconstruction["archival_files"] == 2  # deliverables of a documentary
    assert reconstruction["needs"] == ["final-deliverable", "archival", "talent-likeness"]
    assert reconstruction["uncovered"] == ["final-deliverable", "archival"]
    assert data["summary"]["generated_archival_files"] == 3
    assert data["archival"] == [{"manifest": "genai.toml", "line": line_of(documentary, "[archival]"),
                                 "paths": ["archive/**", "evidence/**"],
                                 "repository_paths": ["archive/**", "evidence/**"]}]
    assert data["productions"][0]["kind"] == "documentary"


def test_json_approvals_carry_consent_and_union_and_who_cites_them(documentary: Repo) -> None:
    data = report(documentary)
    register = {a["id"]: a for a in data["approvals"]}
    assert (register["NFX-GAI-0051"]["consent"], register["NFX-GAI-0051"]["union"]) == ("TR-2025-118", "SAG-AFTRA 0931")
    assert register["NFX-GAI-0070"]["consent"] is None
    cited_by = [u["line"] for u in register["NFX-GAI-0051"]["used_by"]]
    assert len(cited_by) == 2  # the reconstruction entry and the narrator model
    assert register["NFX-GAI-0060"]["state"] == "expiring"
    rules = {g["rule"] for g in data["findings"]["rules"]}
    assert {"GAI207", "GAI210", "GAI211", "GAI501", "GAI502"} <= rules


def test_markdown_says_it_all_in_words(documentary: Repo) -> None:
    markdown = report(documentary, "markdown")
    assert "- **Nightfall S1** (documentary):" in markdown
    assert "## Models" in markdown and "- Made from: base sd_xl_base_1.0; tool firefly (Adobe)" in markdown
    assert "- Trained on: talent-material, production-material" in markdown
    assert "1 model file no [[models]] entry declares: see GAI501 under Open findings." in markdown
    assert "- Inputs fed to the tool: talent-material" in markdown
    assert "- Taken for real: 2 files in archival paths or documentary deliverables" in markdown
    archival = f"- `genai.toml:{line_of(documentary, '[archival]')}`: `archive/**`, `evidence/**`"
    assert "## Archival material" in markdown and archival in markdown
    assert "- Consent: TR-2025-118 · Union: SAG-AFTRA 0931" in markdown
    assert "- Consent: not recorded" in markdown  # NFX-GAI-0070 covers union-work
    assert "3 generated files where they would be taken for real" in markdown


def test_html_shows_models_inputs_consent_and_archival_with_only_inert_markup(documentary: Repo) -> None:
    html = report(documentary, "html")
    assert '<section id="models"><h2>Models</h2>' in html and '<section id="archival">' in html
    assert "base sd_xl_base_1.0; tool firefly (Adobe)" in html and "narrator likeness" in html
    assert "inputs: talent-material" in html and "2 taken for real" in html
    assert "consent: TR-2025-118" in html and "union: SAG-AFTRA 0931" in html
    assert 'consent: <span class="badge bad">not recorded</span>' in html
    assert "1 model file no [[models]] entry declares" in html
    markup = Markup()
    markup.feed(html)
    assert markup.attributes <= {"lang", "charset", "http-equiv", "content", "name", "class", "id"}
    assert "script" not in markup.tags


def test_an_entry_is_not_reported_covered_when_a_manifest_above_makes_the_file_sensitive(repo: Repo) -> None:
    """The root says the shots show talent likeness; a shot manifest's entry cites an approval for final
    delivery only. The audit flags GAI204 on the file, so the report must not call that approval covering."""
    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0002", ["final-deliverable"])
               + generated(["shots/**"], purpose="face replacement", sensitive=["talent-likeness"],
                           approval="NFX-GAI-0002"))
    repo.write("shots/sh010/genai.toml", generated(["plate_fix.exr"], purpose="cleanup", approval="NFX-GAI-0002"))
    repo.write("shots/sh010/plate_fix.exr", b"p" * 10)
    repo.add()
    assert "GAI204" in repo.check().rules()
    data = report(repo)
    [nested] = [e for e in data["generated"] if e["manifest"] == "shots/sh010/genai.toml"]
    assert "talent-likeness" in nested["needs"] and nested["uncovered"] == ["talent-likeness"]
    assert nested["approval_status"] != "covered"
