"""The bundled sample show prints exactly the findings its README documents."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

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
    import shutil

    shutil.copytree(SAMPLE, root / "sample-repo", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    return root


def test_sample_audit_prints_exactly_the_documented_findings(tmp_path: Path) -> None:
    root = _sample_in_a_repository(tmp_path)
    done = subprocess.run([sys.executable, "-m", "genai_hooks.cli", "run", "sample-repo", "--format", "json",
                           "--as-of", "2026-11-25"], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    found = [(f["rule"], f["severity"], f["path"], f["line"]) for f in result["findings"]]
    assert found == documented_findings()
    assert result["notes"] == []  # the unmappable archive reference is a GAI305 warning now, in the table


def test_sample_text_output_in_readme_is_current(tmp_path: Path) -> None:
    root = _sample_in_a_repository(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PRE_COMMIT_TO_REF")}
    done = subprocess.run([sys.executable, "-m", "genai_hooks.cli", "run", "sample-repo", "--as-of", "2026-11-25"],
                          cwd=root, capture_output=True, text=True, env={**env, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 1 and done.stdout.startswith("sample-repo/"), done.stderr
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    shown = readme.split("The full text output")[1].split("```")[1]
    assert re.sub(r"\s+", " ", done.stdout).strip() == re.sub(r"\s+", " ", shown).strip()
