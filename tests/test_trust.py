"""Trust (SPEC §9): tools are vetted by the root, declarations stick to content, weakening is visible."""

from __future__ import annotations

import pytest
from conftest import ROOT_MANIFEST, Repo, generated

TOOL = """
[tools.{id}]
vendor = "Acme"
trains_on_inputs = false
retains_inputs = false
environment = "enterprise"
terms = "Acme MSA"
disclosed = 2025-09-02
"""


def rules(done: object) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["path"]) for f in done.json["findings"])  # type: ignore[attr-defined]


# -- GAI107: tools are vetted by the production ----------------------------------------------------------------------


def test_a_tool_declared_in_a_nested_manifest_is_not_vetted(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("shots/sq010/genai.toml", TOOL.format(id="mytool") + generated(["gen/**"], tool="mytool"))
    repo.write("shots/sq010/gen/a.exr")
    repo.add()
    done = repo.check()
    assert rules(done) == [("GAI107", "shots/sq010/genai.toml")]
    assert "declared in the nested manifest shots/sq010/genai.toml" in done.json["findings"][0]["message"]
    assert done.code == 1
    repo.write("genai.toml", ROOT_MANIFEST + "\n[policy]\nnested_tools = true\n")
    repo.add()
    assert repo.check().json["findings"] == []


def test_nested_tools_is_root_only(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("shots/genai.toml", "[policy]\nnested_tools = true\n")
    repo.add()
    assert rules(repo.check()) == [("GAI001", "shots/genai.toml")]


# -- GAI205: declarations stick to content ---------------------------------------------------------------------------

NESTED = generated(["sh010_sky.####.exr"], approval="NFX-0042")


def _declared_show(repo: Repo) -> str:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("deliverables/sh010/genai.toml", NESTED)
    for frame in range(1001, 1017):
        repo.write(f"deliverables/sh010/sh010_sky.{frame}.exr", f"generated sky {frame}")
    repo.write("notes/todo.txt", "a")
    repo.add()
    return repo.commit()


@pytest.mark.parametrize("how", ["staged", "hook", "ci", "ci-rev"])
def test_deleting_a_nested_manifest_withdraws_its_declarations(repo: Repo, how: str) -> None:
    base = _declared_show(repo)
    repo.git("rm", "-q", "deliverables/sh010/genai.toml")
    repo.write("notes/todo.txt", "b")
    repo.add("notes/todo.txt")
    if how == "staged":
        done = repo.check("--diff", "HEAD")
    elif how == "hook":  # what pre-commit passes: the modified file, never the deleted manifest
        done = repo.check("--", "notes/todo.txt")
    else:
        repo.commit("tidy")
        done = repo.check("--diff", base) if how == "ci" else repo.check("--rev", "HEAD", "--diff", base)
    withdrawn = [f for f in done.json["findings"] if f["rule"] == "GAI205"]
    assert len(withdrawn) == 1 and len(withdrawn[0]["files"]) == 16, done.out
    finding = withdrawn[0]
    assert finding["severity"] == "error" and finding["path"] == "deliverables/sh010/sh010_sky.1001.exr"
    assert "sh010_sky.[1001-1016].exr, 16 frames" in finding["message"]
    assert "by deliverables/sh010/genai.toml:2 (tool 'firefly'), and no entry declares it now" in finding["message"]
    assert done.code == 1


def test_a_withdrawn_declaration_whose_content_changed_is_a_warning(repo: Repo) -> None:
    _declared_show(repo)
    repo.git("rm", "-q", "deliverables/sh010/genai.toml")
    repo.write("deliverables/sh010/sh010_sky.1001.exr", "a real photographed sky")  # replaced: maybe honest
    repo.add()
    done = repo.check("--diff", "HEAD")
    severities = {f["path"]: f["severity"] for f in done.json["findings"] if f["rule"] == "GAI205"}
    assert severities["deliverables/sh010/sh010_sky.1001.exr"] == "warning"
    assert severities["deliverables/sh010/sh010_sky.1002.exr"] == "error"


def test_removing_the_generated_files_with_their_declaration_is_clean(repo: Repo) -> None:
    _declared_show(repo)
    repo.git("rm", "-q", "-r", "deliverables/sh010")
    assert repo.check("--diff", "HEAD").json["findings"] == []


def test_dropping_a_sensitive_category_is_a_withdrawal(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/face/**"], sensitive=["talent-likeness"],
                                                       approval="NFX-1"))
    repo.write("shots/face/a.exr", "face")
    repo.add()
    repo.commit()
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/face/**"], approval="NFX-1"))
    repo.add()
    done = repo.check("--diff", "HEAD")
    [finding] = [f for f in done.json["findings"] if f["rule"] == "GAI205"]
    assert finding["path"] == "shots/face/a.exr" and "declared talent-likeness" in finding["message"]


def test_moving_a_declaration_to_another_manifest_is_no_withdrawal(repo: Repo) -> None:
    _declared_show(repo)
    repo.git("rm", "-q", "deliverables/sh010/genai.toml")
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/sh010/sh010_sky.####.exr"],
                                                       approval="NFX-0042"))
    repo.add()
    done = repo.check("--diff", "HEAD")
    assert [f for f in done.json["findings"] if f["rule"] == "GAI205"] == []


def test_an_invalid_manifest_withdraws_what_it_declared(repo: Repo) -> None:
    _declared_show(repo)
    repo.write("deliverables/sh010/genai.toml", NESTED + "oops = [\n")
    repo.add()
    assert {r for r, _ in rules(repo.check("--diff", "HEAD"))} == {"GAI001", "GAI205"}


# -- GAI206: weakening is visible ------------------------------------------------------------------------------------


@pytest.mark.parametrize("edit,fragment", [
    ('\n[policy]\nseverity = { GAI301 = "off" }\n', "GAI301 (undeclared-generated-media) lowered from error to off"),
    ('\n[policy]\nseverity = { GAI201 = "warning" }\n', "GAI201 (deliverable-without-approval) lowered"),
    ("\n[detect]\nmetadata = false\n", "[detect] metadata turned off"),
    ('\n[detect]\nignore = ["shots/**"]\n', "[detect] ignore now skips shots/**"),
    ("\n[policy]\nnested_tools = true\n", "nested_tools turned on"),
    ('\n[[acknowledged]]\nrule = "GAI301"\npaths = ["shots/**"]\nreason = "stock"\nby = "me"\n',
     "findings newly acknowledged: GAI301 on shots/**"),
])
def test_a_weaker_root_policy_is_a_warning_in_the_change(repo: Repo, edit: str, fragment: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.add()
    repo.commit()
    repo.write("genai.toml", ROOT_MANIFEST + edit)
    repo.add()
    done = repo.check("--diff", "HEAD")
    [finding] = [f for f in done.json["findings"] if f["rule"] == "GAI206"]
    assert fragment in finding["message"] and finding["severity"] == "warning" and finding["path"] == "genai.toml"
    assert finding["line"] is not None and finding["line"] > 1
    assert [f for f in repo.check("--", "genai.toml").json["findings"] if f["rule"] == "GAI206"]  # the hook too


def test_removed_deliverable_paths_are_visible(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.add()
    repo.commit()
    repo.write("genai.toml", ROOT_MANIFEST.replace('paths = ["deliverables/**"]', 'paths = ["final/**"]'))
    repo.add()
    messages = [f["message"] for f in repo.check("--diff", "HEAD").json["findings"] if f["rule"] == "GAI206"]
    assert messages == ["deliverable paths removed: deliverables/**"]


def test_a_new_root_above_the_production_root_is_visible(repo: Repo) -> None:
    repo.write("show/genai.toml", ROOT_MANIFEST.replace('version = 1', 'version = 1\n[policy]\nnested_tools = false'))
    repo.add()
    repo.commit()
    repo.write("genai.toml", "[deliverables]\npaths = [\"nothing/**\"]\n")  # the old root becomes nested...
    repo.add()
    done = repo.check("--diff", "HEAD")
    messages = [f["message"] for f in done.json["findings"] if f["rule"] == "GAI206"]
    assert messages == [("a new root above show/genai.toml: their [production], [[approvals]], [detect] and "
                         "[policy] tables no longer apply")]
    assert ("GAI001", "show/genai.toml") in rules(done)  # ...and its root-only tables are refused


def test_a_stricter_policy_is_not_weakening(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.add()
    repo.commit()
    repo.write("genai.toml", ROOT_MANIFEST + '\n[policy]\nseverity = { GAI103 = "error" }\n')
    repo.add()
    assert [f for f in repo.check("--diff", "HEAD").json["findings"] if f["rule"] == "GAI206"] == []


def test_documentary_and_archival_weakening_is_visible(repo: Repo) -> None:
    documentary = ROOT_MANIFEST.replace('contact = "jane.doe@example.com"', 'contact = "jane.doe@example.com"\n'
                                        'kind = "documentary"') + '\n[archival]\npaths = ["archive/**"]\n'
    repo.write("genai.toml", documentary)
    repo.add()
    repo.commit()
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.add()
    messages = sorted(f["message"] for f in repo.check("--diff", "HEAD").json["findings"] if f["rule"] == "GAI206")
    assert messages == ["archival paths removed: archive/**",
                        ("kind changed from documentary to unset: generated deliverables no longer need an approval "
                        "covering archival")]
