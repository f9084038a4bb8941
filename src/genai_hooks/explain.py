"""`genai-hooks explain [RULE]`: what a rule checks, why, which clauses of the guidance it serves, how to fix it."""

from __future__ import annotations

import difflib

from .errors import UsageError
from .rules import GUIDANCE, RULES, Rule, nearest_rule


def find_rule(text: str) -> Rule | None:
    """The rule `text` names: its id in any case (gai201) or its name (deliverable-without-approval)."""
    typed = text.strip()
    found = RULES.get(typed.upper())
    if found is not None:
        return found
    wanted = typed.lower().replace("_", "-")
    return next((rule for rule in RULES.values() if rule.name == wanted), None)


def _nearest(text: str) -> str | None:
    """What an unknown rule most likely means: an id (GAI2O1 -> GAI201), else a name spelt nearly right."""
    if text.strip().upper().startswith("GAI"):
        return nearest_rule(text)
    names = [rule.name for rule in RULES.values()]
    near = difflib.get_close_matches(text.strip().lower(), names, n=1)
    return near[0] if near else None


def explain(rule_id: str | None) -> str:
    if rule_id is None:
        rows = [f"{r.id}  {r.name:<32} {r.default.value:<8} {r.summary}" for r in RULES.values()]
        return "\n".join(rows) + "\n\nRun `genai-hooks explain RULE` (an id or a name) for one rule.\n"
    rule = find_rule(rule_id)
    if rule is None:
        near = _nearest(rule_id)
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
