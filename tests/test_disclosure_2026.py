"""SPEC §16 "Disclosure to the audience": GAI214 deepfake-disclosure-missing and the `disclosure` table,
through `genai-hooks run` and `genai-hooks report` in real repositories."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from conftest import ANY_REGISTER, ROOT_MANIFEST, Repo, generated
from provenance_media import TRAINED, png_bytes, xmp_packet
from provenance_media_2026 import with_xmp

from genai_hooks.schema import json_schema

CREDITS = {"method": "credits", "reference": "end credits v4, card 12"}
EU = ROOT_MANIFEST.replace("[production]\n", '[production]\nterritories = ["EU", "US"]\n')
DOCUMENTARY = ROOT_MANIFEST.replace("[production]\n", '[production]\nkind = "documentary"\n')


def gai214(done: Any) -> list[dict[str, Any]]:
    return [f for f in done.json["findings"] if f["rule"] == "GAI214"]


def declare(repo: Repo, manifest: str, path: str, **entry: Any) -> Any:
    repo.write("genai.toml", manifest + ANY_REGISTER + generated([path], approval="NFX-1", **entry))
    repo.write(path, png_bytes())
    repo.add()
    return repo.check("--as-of", "2026-01-01")


@pytest.mark.parametrize("category", ["talent-likeness", "public-figure", "deceased-person", "archival"])
def test_a_generated_deliverable_depicting_people_without_disclosure_is_gai214(repo: Repo, category: str) -> None:
    [finding] = gai214(declare(repo, ROOT_MANIFEST, "deliverables/ep103/face.png", sensitive=[category]))
    assert (finding["path"], finding["severity"], finding["line"]) == ("deliverables/ep103/face.png", "warning", None)
    assert f"a deliverable that depicts {category}, and the entry has no `disclosure`" in finding["message"]
    assert finding["manifest"] == "genai.toml"


def test_with_the_eu_among_the_territories_gai214_is_an_error(repo: Repo) -> None:
    done = declare(repo, EU, "deliverables/ep103/face.png", sensitive=["talent-likeness"])
    [finding] = gai214(done)
    assert finding["severity"] == "error" and done.code == 1


def test_the_policy_severity_overrides_the_territorial_default(repo: Repo) -> None:
    manifest = EU + '\n[policy]\nseverity = { GAI214 = "warning" }\n'
    [finding] = gai214(declare(repo, manifest, "deliverables/ep103/face.png", sensitive=["talent-likeness"]))
    assert finding["severity"] == "warning"


@pytest.mark.parametrize("disclosure", [
    CREDITS, {"method": "on-screen", "reference": "lower third 01:02:03:04"}, {"method": "metadata"},
    {"method": "none-artistic", "reason": "animated fantasy sequence, evidently not real"},
])
def test_any_disclosure_method_clears_gai214(repo: Repo, disclosure: dict[str, str]) -> None:
    done = declare(repo, EU, "deliverables/ep103/face.png", sensitive=["talent-likeness"], disclosure=disclosure)
    assert done.json["findings"] == []


def test_inherited_categories_count(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + ANY_REGISTER
               + generated(["deliverables/**"], sensitive=["public-figure"], approval="NFX-1", disclosure=CREDITS))
    repo.write("deliverables/genai.toml", generated(["ep103/**"], approval="NFX-1"))
    repo.write("deliverables/ep103/statesman.png", png_bytes())
    repo.add()
    [finding] = gai214(repo.check("--as-of", "2026-01-01"))
    assert "depicts public-figure" in finding["message"]


def test_a_generated_deliverable_of_a_documentary_or_in_an_archival_path_needs_one(repo: Repo) -> None:
    [finding] = gai214(declare(repo, DOCUMENTARY, "deliverables/ep101/reconstruction.png"))
    assert "is a deliverable of a documentary production" in finding["message"]
    archival = ROOT_MANIFEST.replace('paths = ["deliverables/**"]', 'paths = ["deliverables/**", "archive/**"]') \
        + '\n[archival]\npaths = ["archive/**"]\n'
    [finding] = gai214(declare(repo, archival, "archive/harbour_1987.png"))
    assert "is in an archival path" in finding["message"]


def test_no_disclosure_is_needed_off_screen_or_for_what_does_not_depict_people(repo: Repo) -> None:
    assert gai214(declare(repo, EU, "shots/sq010/face.png", sensitive=["talent-likeness"])) == []
    assert gai214(declare(repo, EU, "deliverables/sky.png", sensitive=["third-party-ip"])) == []


def test_undeclared_generated_media_delivered_in_a_documentary_is_gai214_too(repo: Repo) -> None:
    repo.write("genai.toml", DOCUMENTARY.replace("[production]\n", '[production]\nterritories = ["EU"]\n'))
    repo.write("deliverables/ep101/street.jpg", with_xmp("jpg", xmp_packet(TRAINED)))
    repo.add()
    [finding] = gai214(repo.check())
    assert finding["severity"] == "error" and finding["path"] == "deliverables/ep101/street.jpg"
    assert "no entry declares it, so no `disclosure`" in finding["message"]


def test_none_artistic_without_a_reason_is_gai001(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/**"], disclosure={"method": "none-artistic"}))
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and "none-artistic without a 'reason'" in finding["message"]
    assert finding["line"] == (repo.root / "genai.toml").read_text().splitlines().index(
        'disclosure = { method = "none-artistic" }') + 1


@pytest.mark.parametrize("value,said", [
    ('{ method = "subtitles" }', "expected one of: on-screen, credits, metadata, none-artistic"),
    ('{ reference = "credits" }', "missing the required key 'method'"),
    ('"credits"', "must be an inline table"),
    ('{ method = "credits", reference = 7 }', "'reference' of 'disclosure' in [[generated]] #1 must be a string"),
    ('{ method = "credits", where = "x" }', "unknown key 'where'"),
])
def test_a_malformed_disclosure_is_gai001(repo: Repo, value: str, said: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/**"]) + f"disclosure = {value}\n")
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and said in finding["message"], finding["message"]


def test_territories_must_be_a_list_of_strings(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST.replace("[production]\n", '[production]\nterritories = "EU"\n'))
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and "'territories' in [production] must be a list" in finding["message"]


def test_the_report_lists_each_file_to_disclose_with_its_disclosure(repo: Repo) -> None:
    repo.write("genai.toml", EU + ANY_REGISTER
               + generated(["deliverables/ep103/**"], sensitive=["talent-likeness"], approval="NFX-1",
                           disclosure=CREDITS, purpose="de-ageing")
               + generated(["deliverables/ep104/**"], sensitive=["deceased-person"], approval="NFX-1",
                           purpose="archive voice"))
    for frame in (1001, 1002):
        repo.write(f"deliverables/ep103/face.{frame}.png", png_bytes())
    repo.write("deliverables/ep104/voice.png", png_bytes())
    repo.add()
    data = json.loads(repo.run("report", "--format", "json", "--as-of", "2026-01-01").out)
    by_purpose = {g["purpose"]: g for g in data["generated"]}
    assert by_purpose["de-ageing"]["disclosure"] == {**CREDITS, "reason": None}
    assert [g["path"] for g in by_purpose["de-ageing"]["to_disclose"]] == ["deliverables/ep103/face.1001.png"]
    assert by_purpose["archive voice"]["disclosure"] is None
    markdown = repo.run("report", "--format", "markdown", "--as-of", "2026-01-01").out
    assert "- Disclosure to the audience: credits (end credits v4, card 12), for:" in markdown
    assert "- Disclosure to the audience: **missing** (GAI214), for:" in markdown
    html = repo.run("report", "--format", "html", "--as-of", "2026-01-01").out
    assert "disclosure: credits (end credits v4, card 12)" in html


def test_the_json_schema_describes_disclosure_and_territories() -> None:
    schema = json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate({"production": {"territories": ["EU"]},
                        "generated": [{"paths": ["a"], "tool": "t", "disclosure": CREDITS}]})
    assert list(validator.iter_errors({"generated": [{"paths": ["a"], "tool": "t",
                                                      "disclosure": {"method": "subtitles"}}]}))


def test_the_starter_shows_the_2026_keys(repo: Repo) -> None:
    assert repo.run("init").code == 0
    text = (repo.root / "genai.toml").read_text()
    for key in ("# territories = [", '# marking = "required"', "# disclosure = { method =", "none-artistic",
                "# consent = { reference =", "represented_by", "estate", "minor = true", "# dataset = [",
                "guild-literary-material", "synthetic-performer"):
        assert key in text, key


def test_dropping_the_eu_or_required_marking_is_policy_weakened(repo: Repo) -> None:
    strict = ROOT_MANIFEST.replace("[production]\n", '[production]\nterritories = ["EU"]\nmarking = "required"\n')
    repo.write("genai.toml", strict)
    repo.add()
    repo.commit()
    repo.write("genai.toml", ROOT_MANIFEST.replace("[production]\n", '[production]\nterritories = ["US"]\n'))
    repo.add()
    messages = sorted(f["message"] for f in repo.check("--diff", "HEAD").json["findings"] if f["rule"] == "GAI206")
    assert messages == ['"EU" removed from territories: a missing deepfake disclosure (GAI214) is no longer an error',
                        ('marking no longer "required": generated deliverables may go out without a C2PA or IPTC '
                        "mark (GAI306)")]
    repo.write("genai.toml", strict.replace('territories = ["EU"]', 'territories = ["EU", "UK"]'))
    repo.add()
    assert [f for f in repo.check("--diff", "HEAD").json["findings"] if f["rule"] == "GAI206"] == []
