"""Bad input to the 2026 keys (SPEC §16): megabyte strings, wrong types, deep nesting are GAI001 with a short
message, never a traceback."""

from __future__ import annotations

import pytest
from conftest import ROOT_MANIFEST, Repo, generated, register

MEGA = "x" * 1_000_000


@pytest.mark.parametrize("fragment", [
    generated(["shots/**"], disclosure={"method": MEGA}),
    generated(["shots/**"], disclosure={"method": "credits", MEGA: "x"}),
    generated(["shots/**"], disclosure={"method": "none-artistic", "reason": " "}),
    generated(["shots/**"], disclosure=[{"method": "credits"}]),
    generated(["shots/**"], disclosure={"method": {"nested": {"deeper": "credits"}}}),
    register("NFX-1", ["talent-likeness"], consent={"reference": "TR-1", "represented_by": MEGA}),
    register("NFX-1", ["talent-likeness"], consent={"reference": "TR-1", "minor": 1}),
    register("NFX-1", ["talent-likeness"], consent=["TR-1"]),
    register("NFX-1", ["talent-likeness"], consent={"reference": {"id": "TR-1"}}),
    '\n[[models]]\npaths = ["m/**"]\nbase = "x"\ndataset = [1, 2]\n',
    '\n[[models]]\npaths = ["m/**"]\nbase = "x"\ndataset = ["' + MEGA + '/[a"]\n',
], ids=lambda fragment: f"fragment{len(fragment)}")  # a 1 MB id would overflow PYTEST_CURRENT_TEST for git
def test_bad_2026_values_are_gai001_with_a_bounded_message(repo: Repo, fragment: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + fragment)
    repo.add()
    done = repo.check()
    assert done.code == 1 and not done.err
    assert {f["rule"] for f in done.json["findings"]} == {"GAI001"}
    assert all(len(f["message"]) < 2000 for f in done.json["findings"])


@pytest.mark.parametrize("production", ['territories = ["' + MEGA + '"]', "territories = [1]", 'marking = "' + MEGA + '"',
                                        "marking = true"], ids=["territories-mega", "territories-int", "marking-mega",
                                                                "marking-bool"])
def test_bad_production_keys_are_gai001(repo: Repo, production: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST.replace("[production]\n", f"[production]\n{production}\n"))
    repo.add()
    done = repo.check()
    if production.startswith('territories = ["x'):
        assert done.code == 0  # any territory name is a territory; only "EU" changes a default
        return
    [finding] = done.json["findings"]
    assert finding["rule"] == "GAI001" and len(finding["message"]) < 2000
