"""Documentation kept true: the rule reference is written from the catalogue, and snippets work as written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from genai_hooks.rules import RULES

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_rule_reference_is_the_catalogue() -> None:
    done = subprocess.run([sys.executable, str(DOCS / "make_rules.py"), "--check"], check=False)
    assert done.returncode == 0, "docs/rules.md is out of date: run `python docs/make_rules.py`"
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert all(f"## {rule.id} {rule.name}" in text for rule in RULES.values())
