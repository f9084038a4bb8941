"""The bundled sample show prints exactly the findings its README documents."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "sample-repo"


def documented_findings() -> list:
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- findings:start -->")[1].split("<!-- findings:end -->")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rule = cells[0].split()[0]
        rows.append((rule, cells[1], cells[2].strip("`"), int(cells[3]) if cells[3] else None))
    return rows


def _sample_in_a_repository(tmp_path: Path) -> Path:
    """The sample as committed in a repository of its own, laid out as in this project."""
    root = tmp_path / "project"
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    shutil.copytree(SAMPLE, root / "sample-repo", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    return root


@pytest.mark.slow
def test_sample_audit_prints_exactly_the_documented_findings(tmp_path: Path) -> None:
    root = _sample_in_a_repository(tmp_path)
    done = subprocess.run([sys.executable, "-m", "genai_hooks.cli", "run", "sample-repo", "--format", "json",
                           "--as-of", "2026-11-25"], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    found = [(f["rule"], f["severity"], f["path"], f["line"]) for f in result["findings"]]
    assert found == documented_findings()
    assert result["notes"] == []  # the unmappable archive reference is a GAI305 warning now, in the table


@pytest.mark.slow
def test_sample_text_output_in_readme_is_current(tmp_path: Path) -> None:
    root = _sample_in_a_repository(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PRE_COMMIT_TO_REF")}
    done = subprocess.run([sys.executable, "-m", "genai_hooks.cli", "run", "sample-repo", "--as-of", "2026-11-25"],
                          cwd=root, capture_output=True, text=True, env={**env, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 1 and done.stdout.startswith("sample-repo/"), done.stderr
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    shown = readme.split("The full text output")[1].split("```")[1]
    assert re.sub(r"\s+", " ", done.stdout).strip() == re.sub(r"\s+", " ", shown).strip()


@pytest.mark.slow
def test_the_documented_fix_for_the_restored_photo_and_the_lora_clears_them(tmp_path: Path) -> None:
    root = _sample_in_a_repository(tmp_path)
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    fix = readme.split("The restored photo and the LoRA are fixed")[1].split("```toml\n")[1].split("```")[0]
    citation, additions = fix.split("\n\n", 1)
    approval_line = citation.splitlines()[-1]
    manifest = root / "sample-repo" / "genai.toml"
    text = manifest.read_text(encoding="utf-8")
    restored = text.index('paths = ["editorial/archive/*_restored.png"]')
    cited = text.index('approval = "NFX-GAI-0042"', restored)
    text = text[:cited] + approval_line + text[cited + len('approval = "NFX-GAI-0042"'):]
    manifest.write_text(text + "\n" + additions, encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=root, check=True)

    def rules(as_of: str) -> list[str]:
        done = subprocess.run([sys.executable, "-m", "genai_hooks.cli", "run", "sample-repo", "--format", "json",
                               "--as-of", as_of], cwd=root, capture_output=True, text=True, check=False)
        return sorted({f["rule"] for f in json.loads(done.stdout)["findings"]})

    before = {rule for rule, *_ in documented_findings()}
    after = rules("2026-11-25")
    assert {"GAI210", "GAI501"} <= before and not {"GAI210", "GAI501", "GAI502", "GAI211"} & set(after), after
    assert set(after) == before - {"GAI210", "GAI501"}

    manifest.write_text(manifest.read_text(encoding="utf-8").replace("consent = ", "# consent = "), encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    assert "GAI211" in rules("2026-11-25")  # the consent record is what the talent approval stands on

