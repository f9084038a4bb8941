"""SPEC §10 through `genai-hooks run` in real repositories: inputs (GAI108, GAI209), categories, consent (GAI211),
approvals ending soon (GAI207), and the guidance each rule serves (`explain`)."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from conftest import FULL_CONSENT, ROOT_MANIFEST, Repo, external_approvals, generated, toml_value

from genai_hooks.rules import CLAUSES, RULES
from genai_hooks.schema import json_schema

CONSUMER_TOOL = '\n[tools.mj]\nvendor = "Midjourney"\ntrains_on_inputs = false\nretains_inputs = false\n' \
    'environment = "consumer"\nterms = "Midjourney Pro ToS"\ndisclosed = 2025-09-02\n'


def approval(approval_id: str, covers: list[str], *, expires: str | None = None,
             consent: str | dict[str, Any] | None = None, union: str | None = None) -> str:
    body = (f'\n[[approvals]]\nid = "{approval_id}"\ncovers = {json.dumps(covers)}\n'
            'granted_by = "Netflix Production Legal"\ndate = 2025-09-10\n')
    if expires:
        body += f"expires = {expires}\n"
    if consent is not None:
        body += f"consent = {toml_value(consent)}\n"
    if union is not None:
        body += f"union = {json.dumps(union)}\n"
    return body


def line_of(repo: Repo, needle: str, path: str = "genai.toml", nth: int = 0) -> int:
    lines = [i + 1 for i, line in enumerate((repo.root / path).read_text().splitlines()) if line.startswith(needle)]
    return lines[nth]


def by_rule(done: Any, rule: str) -> list[dict[str, Any]]:
    return [f for f in done.json["findings"] if f["rule"] == rule]


# --- inputs: GAI108 ---------------------------------------------------------------------------------


def test_protected_inputs_fed_to_a_consumer_tool_are_gai108_on_the_entry(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + CONSUMER_TOOL
               + generated(["previs/**"], tool="mj", inputs=["production-material"]))
    repo.write("previs/mood.png")
    repo.add()
    done = repo.check("previs/mood.png")
    assert done.code == 1
    [finding] = by_rule(done, "GAI108")
    assert finding["severity"] == "error" and finding["path"] == "genai.toml"
    assert finding["line"] == finding["manifest_line"] == line_of(repo, "[[generated]]")
    assert finding["message"] == ("entry feeds production-material to tool 'mj' (Midjourney), which runs in a "
                                  "consumer environment")
    assert [f["rule"] for f in done.json["findings"]] == ["GAI103", "GAI108"]


def test_protected_inputs_into_an_enterprise_or_on_premises_tool_pass(repo: Repo) -> None:
    on_prem = CONSUMER_TOOL.replace("[tools.mj]", "[tools.comfy]").replace('"consumer"', '"on-premises"')
    repo.write("genai.toml", ROOT_MANIFEST + on_prem
               + generated(["previs/**"], inputs=["production-material"])
               + generated(["roto/**"], tool="comfy", inputs=["production-material"]))
    repo.write("previs/mood.png")
    repo.write("roto/matte.png")
    repo.add()
    done = repo.check()
    assert done.code == 0 and done.json["findings"] == [], done.out


def test_a_tool_that_does_not_say_where_it_runs_cannot_take_protected_inputs(repo: Repo) -> None:
    unsaid = CONSUMER_TOOL.replace('environment = "consumer"\n', "")
    repo.write("genai.toml", ROOT_MANIFEST + unsaid + generated(["previs/**"], tool="mj", inputs=["talent-material"],
                                                                approval="NFX-GAI-0001"))
    repo.write("previs/mood.png")
    repo.add()
    [finding] = by_rule(repo.check("previs/mood.png"), "GAI108")
    assert "talent-material" in finding["message"] and "does not say where it runs" in finding["message"]


def test_inputs_without_a_known_tool_are_gai106_not_gai108(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["previs/**"], tool="nobody", inputs=["personal-data"],
                                                       approval="NFX-GAI-0001")
               + approval("NFX-GAI-0001", ["personal-data"]))
    repo.write("previs/a.png")
    repo.add()
    assert repo.check("previs/a.png").rules() == ["GAI106"]


# --- inputs: GAI209 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("category,needed", [("personal-data", "personal-data"),
                                             ("third-party-ip", "third-party-ip"),
                                             ("talent-material", "talent-likeness")])
def test_protected_inputs_without_any_approval_are_gai209(repo: Repo, category: str, needed: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/**"], inputs=[category]))
    repo.write("shots/a.png")
    repo.add()
    done = repo.check("shots/a.png")
    [finding] = done.json["findings"]
    assert (finding["rule"], finding["severity"], finding["path"]) == ("GAI209", "error", "genai.toml")
    assert finding["message"] == f"entry feeds {category} but no written approval covering {needed} is cited"


def test_production_material_alone_needs_no_approval(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/**"], inputs=["production-material"]))
    repo.write("shots/a.png")
    repo.add()
    assert repo.check("shots/a.png").json["findings"] == []


def test_with_a_register_each_protected_input_needs_its_own_category(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0051", ["talent-likeness"], consent=FULL_CONSENT)
               + generated(["shots/**"], inputs=["talent-material", "personal-data"], approval="NFX-GAI-0051"))
    repo.write("shots/a.png")
    repo.add()
    [finding] = repo.check("shots/a.png", "--as-of", "2026-01-01").json["findings"]
    assert finding["rule"] == "GAI209"
    assert finding["message"] == "entry feeds personal-data but approval NFX-GAI-0051 does not cover personal-data"

    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0051", ["talent-likeness", "personal-data"],
                                                      consent=FULL_CONSENT)
               + generated(["shots/**"], inputs=["talent-material", "personal-data"], approval="NFX-GAI-0051"))
    repo.add()
    assert repo.check("shots/a.png", "--as-of", "2026-01-01").json["findings"] == []


def test_an_expired_approval_no_longer_covers_protected_inputs(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0007", ["third-party-ip"], expires="2026-03-01")
               + generated(["shots/**"], inputs=["third-party-ip"], approval="NFX-GAI-0007"))
    repo.write("shots/logo.png")
    repo.add()
    assert by_rule(repo.check("shots/logo.png", "--as-of", "2026-01-01"), "GAI209") == []
    [finding] = by_rule(repo.check("shots/logo.png", "--as-of", "2026-03-02"), "GAI209")
    assert "approval NFX-GAI-0007 expired on 2026-03-01" in finding["message"]


def test_external_approvals_cover_inputs_unchecked_and_an_unknown_id_is_gai203_alone(repo: Repo) -> None:
    repo.write("genai.toml", external_approvals(ROOT_MANIFEST + generated(["shots/**"], inputs=["talent-material"],
                                                                          approval="X-1"), pattern="X-[0-9]"))
    repo.write("shots/a.png")
    repo.add()
    assert repo.check("shots/a.png").json["findings"] == []
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/**"], inputs=["talent-material"], approval="X-1"))
    repo.add()
    assert repo.check("shots/a.png").rules() == ["GAI203"]  # no register: the id resolves nowhere
    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0001", ["final-deliverable"])
               + generated(["shots/**"], inputs=["talent-material"], approval="NFX-GAI-0099"))
    repo.add()
    assert repo.check("shots/a.png").rules() == ["GAI203"]  # GAI203 says why; GAI209 would repeat it


# --- categories ----------------------------------------------------------------------------------------


def test_new_categories_are_accepted_in_sensitive_and_covers(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST
               + approval("NFX-GAI-0001", ["public-figure", "deceased-person", "archival", "final-deliverable"])
               + generated(["deliverables/**"], sensitive=["public-figure", "deceased-person", "archival"],
                           approval="NFX-GAI-0001", disclosure={"method": "on-screen", "reference": "title card"}))
    repo.write("deliverables/statesman.exr")
    repo.add()
    done = repo.check("--as-of", "2026-01-01")
    assert done.code == 0 and done.json["findings"] == [], done.out


@pytest.mark.parametrize("key,value,hint", [
    ("sensitive", "public_figure", "did you mean 'public-figure'?"),
    ("inputs", "talent-materials", "did you mean 'talent-material'?"),
    ("inputs", "archival", ("expected one of: production-material, personal-data, third-party-ip, talent-material, "
                           "guild-literary-material")),
])
def test_an_unknown_category_is_gai001_with_the_nearest(repo: Repo, key: str, value: str, hint: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/**"], **{key: [value]}))
    repo.write("shots/a.png")
    repo.add()
    [finding] = repo.check("shots/a.png").json["findings"]
    assert finding["rule"] == "GAI001" and finding["line"] == line_of(repo, f"{key} = ")
    assert repr(value) in finding["message"] and hint in finding["message"]


def test_production_kind_is_a_closed_choice(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST.replace("[production]\n", '[production]\nkind = "documentry"\n'))
    repo.write("shots/a.png")
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and "did you mean 'documentary'?" in finding["message"]


# --- consent: GAI211 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("covers", [["talent-likeness"], ["union-work", "final-deliverable"]])
def test_an_approval_for_likeness_or_union_work_without_consent_is_gai211_on_the_approval(
        repo: Repo, covers: list[str]) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0051", covers)
               + generated(["shots/**"], sensitive=["talent-likeness"], approval="NFX-GAI-0051"))
    repo.write("shots/face.png")
    repo.add()
    done = repo.check("shots/face.png", "--as-of", "2026-01-01")
    [finding] = by_rule(done, "GAI211")
    assert finding["severity"] == "error" and finding["path"] == "genai.toml"
    assert finding["line"] == finding["manifest_line"] == line_of(repo, "[[approvals]]")
    consented = [c for c in covers if c in ("talent-likeness", "union-work")]
    assert finding["message"] == f"approval NFX-GAI-0051 covers {', '.join(consented)} but records no consent"
    assert done.code == 1


def test_consent_recorded_clears_gai211_and_blank_consent_does_not(repo: Repo) -> None:
    def show(consent: str | dict[str, Any]) -> Any:
        repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0051", ["talent-likeness"], consent=consent,
                                                          union="SAG-AFTRA notice 2025-0931")
                   + generated(["shots/**"], sensitive=["talent-likeness"], approval="NFX-GAI-0051"))
        repo.write("shots/face.png")
        repo.add()
        return repo.check("shots/face.png", "--as-of", "2026-01-01")

    assert show({**FULL_CONSENT, "reference": "TR-2025-118 (signed digital-replica rider)"}).json["findings"] == []
    assert show("TR-2025-118 (signed digital-replica rider)").rules() == ["GAI215"]  # a reference alone (SPEC §16)
    assert show("   ").rules() == ["GAI211"]


def test_an_uncited_approval_without_consent_is_judged_with_its_register(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0077", ["union-work"]) + generated(["previs/**"]))
    repo.write("previs/a.png")
    repo.add()
    assert repo.check("previs/a.png").json["findings"] == []  # an artist's commit does not touch the register
    assert repo.check().rules() == ["GAI211"]  # a full audit does
    assert repo.check("genai.toml").rules() == ["GAI211"]  # and so does a change to the root manifest


# --- approvals ending soon: GAI207 -------------------------------------------------------------------------


@pytest.mark.parametrize("as_of,expected", [
    ("2026-08-10", []),  # 31 days left
    ("2026-08-11", ["GAI207"]),  # 30 days left
    ("2026-09-10", ["GAI207"]),  # its last day
    ("2026-09-11", ["GAI204"]),  # expired: no longer a heads-up
])
def test_an_approval_ending_within_30_days_warns_on_each_file(repo: Repo, as_of: str, expected: list[str]) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0042", ["final-deliverable"], expires="2026-09-10")
               + generated(["deliverables/sky/**"], approval="NFX-GAI-0042"))
    for frame in (1001, 1002, 1003):
        repo.write(f"deliverables/sky/sky.{frame}.exr")
    repo.add()
    done = repo.check("--as-of", as_of)
    assert done.rules() == expected
    if expected == ["GAI207"]:
        [finding] = done.json["findings"]
        assert finding["severity"] == "warning" and done.code == 0
        assert finding["path"] == "deliverables/sky/sky.1001.exr" and len(finding["files"]) == 3
        days = 30 if as_of == "2026-08-11" else 0
        left = "in 30 days" if days else "today is its last day"
        assert finding["message"].endswith(f"approval NFX-GAI-0042 expires on 2026-09-10 ({left})")


def test_no_expiry_heads_up_for_external_approvals_or_without_expires(repo: Repo) -> None:
    repo.write("genai.toml", external_approvals(ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-GAI-0042")))
    repo.write("deliverables/a.exr")
    repo.add()
    assert repo.check("--as-of", "2099-01-01").json["findings"] == []
    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0042", ["final-deliverable"])
               + generated(["deliverables/**"], approval="NFX-GAI-0042"))
    repo.add()
    assert repo.check("--as-of", "2099-01-01").json["findings"] == []


def test_an_ending_approval_warns_outside_the_deliverables_too(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + approval("NFX-GAI-0042", ["talent-likeness"], expires="2026-01-20",
                                                      consent=FULL_CONSENT)
               + generated(["shots/**"], sensitive=["talent-likeness"], approval="NFX-GAI-0042"))
    repo.write("shots/face.png")
    repo.add()
    [finding] = repo.check("shots/face.png", "--as-of", "2026-01-01").json["findings"]
    assert finding["rule"] == "GAI207" and "in 19 days" in finding["message"]


# --- the catalogue and explain ------------------------------------------------------------------------------

SPEC_SECTION_10 = {  # SPEC §3: id -> (name, default severity)
    "GAI108": ("protected-inputs-to-unsafe-tool", "error"), "GAI207": ("approval-expiring", "warning"),
    "GAI209": ("protected-inputs-without-approval", "error"), "GAI210": ("generated-archival-material", "error"),
    "GAI211": ("approval-without-consent", "error"), "GAI501": ("undeclared-model", "error"),
    "GAI502": ("model-without-approval", "error"),
}


def test_the_new_rules_have_the_names_and_severities_of_the_spec() -> None:
    for rule_id, (name, severity) in SPEC_SECTION_10.items():
        rule = RULES[rule_id]
        assert (rule.name, rule.default.value) == (name, severity)
        assert rule.summary and rule.why and rule.fix and rule.example
    assert list(RULES) == sorted(RULES)


def test_every_rule_names_clauses_of_the_guidance_and_explain_prints_them(repo: Repo) -> None:
    for rule in RULES.values():
        assert rule.clauses and all(c in CLAUSES for c in rule.clauses), rule.id
        done = repo.run("explain", rule.id)
        assert done.code == 0
        guidance = done.out.split("Guidance: ")[1].split("\n\n")[0]
        for clause in rule.guidance:
            assert f"{clause.title}: " in guidance, rule.id
        assert '"Using Generative AI in Content Production"' in guidance
    used = {c for rule in RULES.values() for c in rule.clauses}
    assert used == set(CLAUSES)  # no clause of the guidance is left without a rule


@pytest.mark.parametrize("rule_id,clause", [
    ("GAI210", "Ethics and representation: "), ("GAI211", "Talent and performance: "),
    ("GAI501", "Data use (training): "), ("GAI108", "Data use: "), ("GAI101", "Principle 2: "),
    ("GAI201", "Principle 4: "), ("GAI207", "Written approval: "), ("GAI001", "Reporting: "),
])
def test_explain_names_the_clause_each_rule_serves(repo: Repo, rule_id: str, clause: str) -> None:
    done = repo.run("explain", rule_id.lower())
    assert done.code == 0 and clause in done.out.split("Guidance: ")[1].split("How to fix:")[0]


def test_a_mistyped_rule_id_suggests_the_rule_it_looks_like(repo: Repo) -> None:
    done = repo.run("explain", "GAI2O1")
    assert done.code == 2 and "did you mean GAI201?" in done.err


# --- schema and init -------------------------------------------------------------------------------------------


def test_the_json_schema_describes_the_new_keys() -> None:
    schema = json_schema()
    props = schema["properties"]
    assert props["production"]["properties"]["kind"]["enum"] == ["fiction", "documentary", "unscripted", "animation"]
    assert "archival" in props["generated"]["items"]["properties"]["sensitive"]["items"]["enum"]
    assert props["generated"]["items"]["properties"]["inputs"]["items"]["enum"] == [
        "production-material", "personal-data", "third-party-ip", "talent-material", "guild-literary-material"]
    assert {"consent", "union"} <= set(props["approvals"]["items"]["properties"])
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate({"archival": {"paths": ["archive/**"]},
                        "models": [{"paths": ["m.safetensors"], "base": "sdxl", "trained_on": ["talent-material"]}]})
    assert list(validator.iter_errors({"models": [{"paths": ["m.safetensors"]}]}))  # neither tool nor base
    assert list(validator.iter_errors({"generated": [{"paths": ["a"], "tool": "t", "inputs": ["script"]}]}))


def test_a_models_entry_needs_a_tool_or_a_base(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + '\n[[models]]\npaths = ["models/**"]\ntrained_on = ["talent-material"]\n')
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and finding["line"] == line_of(repo, "[[models]]")
    assert "[[models]] #1 needs 'tool' or 'base'" in finding["message"]


def test_the_starter_manifest_is_valid_as_written_and_with_every_example_uncommented(repo: Repo) -> None:
    assert repo.run("init").code == 0
    text = (repo.root / "genai.toml").read_text()
    for key in ("kind =", "[archival]", "inputs =", "[[models]]", "trained_on =", "consent =", "union =",
                "public-figure", "deceased-person"):
        assert key in text, key
    repo.add()
    assert repo.check().rules() == ["GAI002"]  # valid as written; it asks for the title and contact
    uncommented = "\n".join(re.sub(r"^# ?(?=\[|[a-z_]+ = )", "", line) for line in text.splitlines())
    assert "\n[[models]]\n" in uncommented and "\n[archival]\n" in uncommented
    repo.write("genai.toml", uncommented + "\n")
    repo.add()
    rules = repo.check("genai.toml").rules()
    assert "GAI001" not in rules, rules
