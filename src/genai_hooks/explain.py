"""`genai-hooks explain [ID]`: what a rule checks, why, which clauses of the guidance it serves, how to fix it."""

from __future__ import annotations

from .errors import UsageError
from .rules import GUIDANCE, RULES, nearest_rule


def explain(rule_id: str | None) -> str:
    if rule_id is None:
        rows = [f"{r.id}  {r.name:<32} {r.default.value:<8} {r.summary}" for r in RULES.values()]
        return "\n".join(rows) + "\n\nRun `genai-hooks explain ID` for one rule.\n"
    rule = RULES.get(rule_id.upper())
    if rule is None:
        near = nearest_rule(rule_id)
        raise UsageError(f"unknown rule {rule_id!r}" + (f"; did you mean {near}?" if near else
                                                        "; `genai-hooks explain` lists every rule"))
    example = "\n".join("    " + line if line else "" for line in rule.example.splitlines())
    indent = " " * len("Guidance: ")
    clauses = f"\n{indent}".join(f"{c.title}: {c.text[:1].upper()}{c.text[1:]}" for c in rule.guidance)
    law = ""
    if rule.law:
        under = " " * len("Law and agreements: ")
        law = "Law and agreements: " + f"\n{under}".join(f"{c.title}: {c.text[:1].upper()}{c.text[1:]}"
                                                          for c in rule.law) + "\n\n"
    return (f"{rule.id} {rule.name} (default: {rule.default.value})\n\n"
            f"What: {rule.summary}\n\nWhy: {rule.why}\n\nGuidance: {clauses}\n{indent}({GUIDANCE})\n\n{law}"
            f"How to fix: {rule.fix}\n\nExample:\n{example}\n")
