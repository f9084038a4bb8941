"""One run, several outputs (SPEC §18): `run --output-format FORMAT=FILE` writes further formats of the same run."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import ROOT_MANIFEST, Repo, generated


def _blocked(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/sky.exr")
    repo.write("deliverables/cloud.exr")
    repo.add()


def test_further_formats_hold_the_same_findings_as_stdout(repo: Repo, tmp_path: Path) -> None:
    _blocked(repo)
    sarif, junit, text = tmp_path / "out.sarif", tmp_path / "out.xml", tmp_path / "out.txt"
    done = repo.run("run", "--format", "json", "--output-format", f"sarif={sarif}",
                    "--output-format", f"junit={junit}", "--output-format", f"text={text}")
    assert done.code == 1
    findings = [(f["rule"], f["path"]) for f in json.loads(done.out)["findings"]]
    assert findings == [("GAI201", "deliverables/cloud.exr"), ("GAI201", "deliverables/sky.exr")]
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] \
        == findings
    assert len(ElementTree.parse(junit).getroot().findall(".//failure")) == 2
    assert text.read_text() == repo.run("run").out


def test_an_extra_github_output_appends_the_step_summary_once(repo: Repo, tmp_path: Path) -> None:
    _blocked(repo)
    summary = tmp_path / "summary.md"
    done = repo.run("run", "--format", "github", "--output-format", f"json={tmp_path / 'r.json'}",
                    env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.code == 1 and "::error file=deliverables/sky.exr" in done.out
    assert summary.read_text().count("## genai-hooks") == 1
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["errors"] == 2


@pytest.mark.parametrize("spec,fragment", [
    ("yaml=out.yaml", "'yaml' is not a format"),
    ("sarif", "is not FORMAT=FILE"),
    ("sarif=", "is not FORMAT=FILE"),
])
def test_a_bad_format_and_file_is_one_line_exit_2(repo: Repo, spec: str, fragment: str) -> None:
    done = repo.run("run", "--output-format", spec)
    assert done.code == 2 and fragment in done.err and len(done.err.strip().splitlines()) == 1


def test_one_file_named_twice_is_exit_2_and_nothing_is_written(repo: Repo, tmp_path: Path) -> None:
    _blocked(repo)
    target = tmp_path / "out"
    done = repo.run("run", "--output", str(target), "--output-format", f"sarif={target}")
    assert done.code == 2 and "named twice" in done.err and not target.exists()


def test_an_unwritable_further_output_is_exit_2(repo: Repo, tmp_path: Path) -> None:
    _blocked(repo)
    done = repo.run("run", "--format", "json", "--output-format", f"sarif={tmp_path / 'no-dir' / 'out.sarif'}")
    assert done.code == 2 and "cannot write" in done.err
