"""Writes docs/rules.md from the rule catalogue (src/genai_hooks/rules.py), so the two never disagree.

    python docs/make_rules.py          # rewrite docs/rules.md
    python docs/make_rules.py --check  # exit 1 when docs/rules.md is out of date (tests/test_docs.py runs it)
"""

from __future__ import annotations

import sys
from pathlib import Path

from genai_hooks.rules import GUIDANCE, RULES, Rule

TARGET = Path(__file__).with_name("rules.md")

# What `path` and `line` of a finding are (SPEC §3, "reported on"): the catalogue says what fires, this where.
REPORTED_ON = {
    "GAI001": "the manifest, at the line of the mistake",
    "GAI002": "the root manifest, at its `[production]` table (line 1 without one)",
    "GAI101": "the tool's table", "GAI102": "the tool's table", "GAI103": "the tool's table",
    "GAI104": "the tool's table", "GAI105": "the tool's table",
    "GAI106": "the `[[generated]]` or `[[models]]` entry", "GAI107": "the entry",
    "GAI108": "the `[[generated]]` or `[[models]]` entry",
    "GAI201": "the file", "GAI202": "the entry", "GAI203": "the entry", "GAI204": "the file",
    "GAI205": "the file", "GAI206": "the manifest, at the table that changed", "GAI207": "the file",
    "GAI208": "the file", "GAI209": "the entry", "GAI210": "the file",
    "GAI211": "the approval, at its `[[approvals]]` line in the root manifest",
    "GAI212": "the file (line null)",
    "GAI214": "the file",
    "GAI215": "the approval, at its `[[approvals]]` line in the root manifest",
    "GAI213": "the approval, at its `[[approvals]]` line in the root manifest",
    "GAI301": "the file", "GAI302": "the timeline", "GAI303": "the file (or the timeline, the script)",
    "GAI304": "the timeline", "GAI305": "the timeline", "GAI306": "the file",
    "GAI401": "the entry", "GAI402": "the `[[acknowledged]]` entry",
    "GAI501": "the file", "GAI502": "the `[[models]]` entry", "GAI503": "the file",
}

HEADER = """# Rule reference

Every finding names its rule, severity, path, line, the manifest and line it rests on, and a one-line fix.
`genai-hooks explain ID` prints the same text in a terminal. Severities can be changed in the root
manifest's `[policy] severity` table (`error`, `warning` or `off`), except GAI001's; findings of
GAI103-105, GAI301, GAI303, GAI305 and GAI401 can also be accepted with `[[acknowledged]]`
(see [manifest.md](manifest.md)). This page is written from the rule catalogue by
`python docs/make_rules.py`.

"""


def _anchor(rule: Rule) -> str:
    return f"#{rule.id.lower()}-{rule.name}"


def _section(rule: Rule) -> str:
    guidance = " ".join(f"{c.title}: {c.text[:1].upper()}{c.text[1:]}" for c in rule.guidance)
    law = " ".join(f"{c.title}: {c.text[:1].upper()}{c.text[1:]}" for c in rule.law)
    return (f"## {rule.id} {rule.name}\n\n"
            f"**Default:** {rule.default.value}. **Reported on:** {REPORTED_ON[rule.id]}. "
            f"**Fires when:** {rule.summary}\n\n"
            f"**Why:** {rule.why}\n\n"
            f"**Guidance:** {guidance} ({GUIDANCE})\n\n"
            + (f"**Law and agreements:** {law}\n\n" if law else "")
            + f"**How to fix:** {rule.fix}\n\n"
            f"```toml\n{rule.example}\n```\n")


def render() -> str:
    rows = ["| id | name | default | reported on |", "|---|---|---|---|"]
    rows += [f"| [{r.id}]({_anchor(r)}) | {r.name} | {r.default.value} | {REPORTED_ON[r.id]} |" for r in RULES.values()]
    return HEADER + "\n".join(rows) + "\n\n" + "\n".join(_section(r) for r in RULES.values())


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        return 0 if TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
