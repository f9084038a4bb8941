"""GAI002 production-incomplete: a root manifest that names no production or no studio contact (SPEC §18)."""

from __future__ import annotations

from conftest import ROOT_MANIFEST, Repo

BLANK_CONTACT = ROOT_MANIFEST.replace('contact = "jane.doe@example.com"', 'contact = "   "')


def _gai002(done_json: dict) -> list[dict]:
    return [f for f in done_json["findings"] if f["rule"] == "GAI002"]


def test_blank_contact_warns_on_the_production_table(repo: Repo) -> None:
    repo.write("genai.toml", BLANK_CONTACT)
    repo.write("plates/a.exr")
    repo.add()
    done = repo.check()
    assert done.code == 0  # a warning: it never blocks
    [finding] = _gai002(done.json)
    assert finding["severity"] == "warning" and finding["path"] == "genai.toml"
    assert finding["line"] == BLANK_CONTACT.splitlines().index("[production]") + 1
    assert finding["manifest"] == "genai.toml" and finding["manifest_line"] == finding["line"]
    assert "contact is empty or missing" in finding["message"] and "title" not in finding["message"]


def test_a_root_without_production_table_warns_at_line_1(repo: Repo) -> None:
    repo.write("genai.toml", 'version = 1\n\n[deliverables]\npaths = ["deliverables/**"]\n')
    repo.add()
    [finding] = _gai002(repo.check().json)
    assert finding["line"] == 1 and "no [production] table" in finding["message"]


def test_a_complete_production_is_silent(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("plates/a.exr")
    repo.add()
    assert _gai002(repo.check().json) == []


def test_a_selected_file_under_the_root_reports_it_and_one_outside_any_manifest_does_not(repo: Repo) -> None:
    repo.write("shots/genai.toml", "version = 1\n")  # a root of its own, with no [production]
    repo.write("shots/sh010/a.exr")
    repo.write("other/b.exr")
    repo.add()
    assert [f["path"] for f in _gai002(repo.check("shots/sh010/a.exr").json)] == ["shots/genai.toml"]
    assert _gai002(repo.check("other/b.exr").json) == []


def test_a_file_under_a_nested_manifest_reports_the_root_not_the_nested_one(repo: Repo) -> None:
    repo.write("genai.toml", BLANK_CONTACT)
    repo.write("shots/genai.toml", "version = 1\n")  # a nested manifest keeps no [production]
    repo.write("shots/sh010/a.exr")
    repo.add()
    assert [f["path"] for f in _gai002(repo.check("shots/sh010/a.exr").json)] == ["genai.toml"]


def test_the_production_can_turn_it_off(repo: Repo) -> None:
    repo.write("genai.toml", BLANK_CONTACT + '\n[policy]\nseverity = { GAI002 = "off" }\n')
    repo.add()
    assert _gai002(repo.check().json) == []


def test_the_init_starter_warns_until_title_and_contact_are_filled_in(repo: Repo) -> None:
    assert repo.run("init").code == 0
    repo.add()
    done = repo.check()
    assert done.code == 0 and done.rules() == ["GAI002"]
    assert "title and contact are empty or missing" in done.json["findings"][0]["message"]
    text = (repo.root / "genai.toml").read_text()
    (repo.root / "genai.toml").write_text(text.replace('title = ""', 'title = "Nightfall S1"')
                                          .replace('contact = ""', 'contact = "jane.doe@example.com"'))
    repo.add()
    assert repo.check().json["findings"] == []
