"""SPEC §16 "Consent that says what was consented to": consent as a table, GAI215 consent-incomplete, and the
union notice a synthetic performer needs (GAI211), through `genai-hooks run` in real repositories."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from conftest import FULL_CONSENT, ROOT_MANIFEST, Repo, generated, register

from genai_hooks.approvals.signatures import payload
from genai_hooks.manifest import parse_manifest
from genai_hooks.schema import json_schema

SCOPED = {"reference": "TR-2025-118", "scope": "Nightfall S1 ep. 3-4, de-ageing, 5 years", "represented_by": "union"}


def judged(repo: Repo, covers: list[str], **approval: Any) -> Any:
    """Findings of a full audit of a register with one approval (and an entry citing it)."""
    repo.write("genai.toml", ROOT_MANIFEST + register("NFX-GAI-0051", covers, **approval)
               + generated(["shots/**"], sensitive=[c for c in covers if c != "final-deliverable"],
                           approval="NFX-GAI-0051"))
    repo.write("shots/face.png")
    repo.add()
    return repo.check("--as-of", "2026-01-01")


def approval_line(repo: Repo) -> int:
    lines = (repo.root / "genai.toml").read_text().splitlines()
    return lines.index("[[approvals]]") + 1


def test_a_consent_reference_alone_is_gai215_naming_what_it_does_not_say(repo: Repo) -> None:
    [finding] = judged(repo, ["talent-likeness"], consent="TR-2025-118").json["findings"]
    assert (finding["rule"], finding["severity"], finding["path"]) == ("GAI215", "warning", "genai.toml")
    assert finding["line"] == approval_line(repo)
    assert finding["message"] == ("approval NFX-GAI-0051's consent (a reference alone) does not record scope, "
                                  "represented_by")


def test_a_consent_table_with_scope_and_representation_is_complete(repo: Repo) -> None:
    assert judged(repo, ["talent-likeness", "union-work"], consent=SCOPED).json["findings"] == []
    assert judged(repo, ["talent-likeness"], consent={**SCOPED, "minor": True}).json["findings"] == []


@pytest.mark.parametrize("missing", ["scope", "represented_by"])
def test_a_consent_table_without_scope_or_representation_is_gai215(repo: Repo, missing: str) -> None:
    consent = {k: v for k, v in SCOPED.items() if k != missing}
    [finding] = judged(repo, ["union-work"], consent=consent).json["findings"]
    assert finding["rule"] == "GAI215"
    assert finding["message"] == f"approval NFX-GAI-0051's consent (a table) does not record {missing}"


def test_a_deceased_person_needs_the_estate_in_the_consent(repo: Repo) -> None:
    [finding] = judged(repo, ["talent-likeness", "deceased-person"], consent=SCOPED).json["findings"]
    assert finding["rule"] == "GAI215" and finding["message"].endswith("does not record estate")
    with_estate = {**SCOPED, "estate": "Estate of J. Doe"}
    assert judged(repo, ["talent-likeness", "deceased-person"], consent=with_estate).json["findings"] == []


def test_no_consent_at_all_is_still_gai211_and_not_gai215(repo: Repo) -> None:
    assert judged(repo, ["talent-likeness"]).rules() == ["GAI211"]


def test_a_synthetic_performer_needs_the_union_notice(repo: Repo) -> None:
    [finding] = judged(repo, ["final-deliverable", "synthetic-performer"]).json["findings"]
    assert (finding["rule"], finding["severity"], finding["line"]) == ("GAI211", "error", approval_line(repo))
    assert "covers synthetic-performer but records no union notice" in finding["message"]
    done = judged(repo, ["final-deliverable", "synthetic-performer"], union="SAG-AFTRA notice 2026-0112")
    assert done.json["findings"] == []


def test_an_entry_declaring_a_synthetic_performer_needs_an_approval_covering_it(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + register("NFX-GAI-0051", ["final-deliverable"])
               + generated(["deliverables/**"], sensitive=["synthetic-performer"], approval="NFX-GAI-0051"))
    repo.write("deliverables/extra.png")
    repo.add()
    assert "GAI204" in repo.check("--as-of", "2026-01-01").rules()


@pytest.mark.parametrize("consent,said", [
    ('{ reference = "TR-1", represented_by = "agent" }', ("'represented_by' of 'consent' in [[approvals]] #1 has "
                                                          "'agent'")),
    ('{ reference = "TR-1", scoep = "S1" }', ("unknown key 'scoep' in 'consent' in [[approvals]] #1; did you mean "
                                             "'scope'?")),
    ('{ scope = "S1", represented_by = "union" }', ("'consent' in [[approvals]] #1 is missing the required key "
                                                   "'reference'")),
    ('{ reference = "TR-1", minor = "yes" }', "'minor' of 'consent' in [[approvals]] #1 must be true or false"),
    ("42", "'consent' in [[approvals]] #1 must be a string or an inline table"),
    ('{ reference = ["TR-1"] }', "'reference' of 'consent' in [[approvals]] #1 must be a string"),
])
def test_a_malformed_consent_is_gai001_at_its_line(repo: Repo, consent: str, said: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + register("NFX-GAI-0051", ["talent-likeness"]) + f"consent = {consent}\n")
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and said in finding["message"]
    assert finding["line"] == approval_line(repo) + 5  # the consent key's line


def test_a_megabyte_representation_is_gai001_with_a_short_message(repo: Repo) -> None:
    huge = "u" * 1_000_000
    repo.write("genai.toml", ROOT_MANIFEST + register("NFX-GAI-0051", ["talent-likeness"],
                                                      consent={"reference": "TR-1", "represented_by": huge}))
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and len(finding["message"]) < 400


def test_the_signed_payload_keeps_the_consent_reference_of_a_table() -> None:
    text = ROOT_MANIFEST + register("NFX-GAI-0051", ["talent-likeness"], consent=FULL_CONSENT)
    manifest = parse_manifest("genai.toml", text.encode(), is_root=True)
    [approval] = manifest.approvals or ()
    assert approval.consent == "TR-2025-118"
    assert approval.consent_terms is not None and approval.consent_terms.represented_by == "union"
    assert b"\nconsent=TR-2025-118\n" in payload(approval, None)
    as_string = parse_manifest("genai.toml", (ROOT_MANIFEST + register("NFX-GAI-0051", ["talent-likeness"],
                                                                       consent="TR-2025-118")).encode(), is_root=True)
    assert payload((as_string.approvals or ())[0], None) == payload(approval, None)


def test_the_json_schema_takes_the_consent_string_or_table() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    base = {"id": "NFX-1", "covers": ["synthetic-performer"], "granted_by": "Legal", "date": "2025-09-10"}
    validator.validate({"approvals": [{**base, "consent": "TR-1"}]})
    validator.validate({"approvals": [{**base, "consent": {**FULL_CONSENT, "minor": True}}]})
    assert list(validator.iter_errors({"approvals": [{**base, "consent": {"reference": "TR-1",
                                                                           "represented_by": "agent"}}]}))
    assert list(validator.iter_errors({"approvals": [{**base, "consent": {"scope": "S1"}}]}))


def test_the_report_shows_what_was_consented_to(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + register("NFX-GAI-0051", ["talent-likeness"], consent=SCOPED)
               + register("NFX-GAI-0052", ["union-work"], consent="TR-9"))
    repo.add()
    done = repo.run("report", "--format", "json", "--as-of", "2026-01-01")
    approvals = {a["id"]: a for a in json.loads(done.out)["approvals"]}
    assert approvals["NFX-GAI-0051"]["consent"] == "TR-2025-118"
    assert approvals["NFX-GAI-0051"]["consent_terms"] == {"scope": SCOPED["scope"], "represented_by": "union",
                                                          "estate": None, "minor": False}
    assert approvals["NFX-GAI-0052"]["consent_terms"] is None


def test_markdown_and_html_reports_say_what_was_consented_to(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + register("NFX-GAI-0051", ["talent-likeness"],
                                                      consent={**SCOPED, "minor": True}))
    repo.add()
    said = "TR-2025-118 (scope: Nightfall S1 ep. 3-4, de-ageing, 5 years; represented by union; a minor)"
    assert f"Consent: {said}" in repo.run("report", "--format", "markdown", "--as-of", "2026-01-01").out
    assert f"consent: {said}" in repo.run("report", "--format", "html", "--as-of", "2026-01-01").out
