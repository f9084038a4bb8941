"""`genai-hooks explain [ID]`: what a rule checks, why, which principle it serves, how to fix it."""

from __future__ import annotations

import difflib

from .errors import UsageError
from .rules import RULES


def explain(rule_id: str | None) -> str:
    if rule_id is None:
        rows = [f"{r.id}  {r.name:<32} {r.default.value:<8} {r.summary}" for r in RULES.values()]
        return "\n".join(rows) + "\n\nRun `genai-hooks explain ID` for one rule.\n"
    rule = RULES.get(rule_id.upper())
    if rule is None:
        near = difflib.get_close_matches(rule_id.upper(), list(RULES), n=1)
        raise UsageError(f"unknown rule {rule_id!r}" + (f"; did you mean {near[0]}?" if near else
                                                        "; `genai-hooks explain` lists every rule"))
    example = "\n".join("    " + line for line in rule.example.splitlines())
    return (f"{rule.id} {rule.name} (default: {rule.default.value})\n\n"
            f"What: {rule.summary}\n\nWhy: {rule.why}\n\nGuidance: {rule.principle_text}\n\n"
            f"How to fix: {rule.fix}\n\nExample:\n{example}\n")
