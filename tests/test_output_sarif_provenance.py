"""SARIF for code scanning beside other uploads: a category of its own (automationDetails), the repository and
commit judged (versionControlProvenance), and media findings pointing at the manifest line about them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from conftest import ROOT_MANIFEST, Repo, generated
from findings_factory import evidence_finding, finding, hostile_result, mixed_result

from genai_hooks.findings import RunResult, VersionControl
from genai_hooks.output import render, sarif
from genai_hooks.vcs import repository_uri

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
REMOTE = VersionControl("https://git.example.com/studio/nightfall.git", "main")


def sarif_run(result: RunResult) -> dict[str, Any]:
    run: dict[str, Any] = json.loads(render(result, "sarif"))["runs"][0]
    return run


@pytest.fixture(autouse=True)
def no_category_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(sarif.CATEGORY_VARIABLE, raising=False)


# --- automationDetails ---------------------------------------------------------------------------


def test_sarif_run_names_its_category_so_other_uploads_for_the_commit_stay() -> None:
    assert sarif_run(mixed_result())["automationDetails"] == {"id": "genai-hooks/"}


@pytest.mark.parametrize(("value", "expected"), [
    ("genai-hooks/episode-101", "genai-hooks/episode-101/"),
    ("/shots/", "shots/"),
    ("   ", "genai-hooks/"),
    ("", "genai-hooks/"),
])
def test_sarif_category_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str,
                                                    expected: str) -> None:
    monkeypatch.setenv(sarif.CATEGORY_VARIABLE, value)
    assert sarif_run(mixed_result())["automationDetails"]["id"] == expected


# --- versionControlProvenance --------------------------------------------------------------------


@pytest.mark.parametrize("result", [mixed_result(), hostile_result()], ids=["commit", "index"])
def test_sarif_with_version_control_is_valid_against_the_2_1_0_schema(result: RunResult) -> None:
    log = json.loads(render(replace(result, version_control=REMOTE), "sarif"))
    assert sorted(jsonschema.Draft7Validator(SARIF_SCHEMA).iter_errors(log), key=str) == []
    assert "versionControlProvenance" in log["runs"][0]


def test_sarif_names_the_commit_judged_but_no_revision_for_the_index() -> None:
    commit = mixed_result()
    assert sarif_run(replace(commit, version_control=REMOTE))["versionControlProvenance"] == [{
        "repositoryUri": "https://git.example.com/studio/nightfall.git",
        "revisionId": commit.snapshot,
        "branch": "main",
    }]
    index = replace(hostile_result(), version_control=VersionControl(REMOTE.repository_uri, None))
    assert sarif_run(index)["versionControlProvenance"] == [{"repositoryUri": REMOTE.repository_uri}]


def test_sarif_without_a_known_repository_has_no_version_control_provenance() -> None:
    assert "versionControlProvenance" not in sarif_run(mixed_result())
    assert "versionControlProvenance" not in sarif_run(replace(mixed_result(), version_control=VersionControl(
        None, "main")))


@pytest.mark.parametrize(("remote", "uri"), [
    ("https://gitlab-ci-token:glcbt-SECRET@gitlab.example.com/studio/nightfall.git",
     "https://gitlab.example.com/studio/nightfall.git"),
    ("https://x-access-token:ghs_SECRET@github.com/studio/nightfall", "https://github.com/studio/nightfall"),
    ("git@github.com:studio/nightfall.git", "ssh://github.com/studio/nightfall.git"),
    ("ssh://git@git.example.com:2222/studio/nightfall.git", "ssh://git.example.com:2222/studio/nightfall.git"),
    ("/srv/git/night fall.git", "file:///srv/git/night%20fall.git"),
    ("file:///srv/git/nightfall.git", "file:///srv/git/nightfall.git"),
    ("../nightfall.git", None),
    ("https://git.example.com:notaport/x.git", None),
    ("https://gît.example.com/studio/nightfall.git", None),  # no URI until IDNA-encoded
])
def test_repository_uri_is_absolute_and_never_carries_credentials(remote: str, uri: str | None) -> None:
    assert repository_uri(remote) == uri


def commit_production(repo: Repo) -> str:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**/*.png"]))
    repo.write("deliverables/poster.png", b"poster")
    repo.add()
    return repo.commit()


def provenance_of(repo: Repo, *args: str) -> Any:
    done = repo.run("run", "--format", "sarif", *args)
    assert done.code == 1, done.err
    assert "SECRET" not in done.out
    return json.loads(done.out)["runs"][0].get("versionControlProvenance")


def test_sarif_of_a_commit_names_the_remote_without_its_token_the_commit_and_the_branch(repo: Repo) -> None:
    first = commit_production(repo)
    repo.write("notes.txt", "call sheet\n")
    repo.add()
    second = repo.commit()
    repo.git("remote", "add", "origin", "https://gitlab-ci-token:SECRET@gitlab.example.com/studio/nightfall.git")
    uri = "https://gitlab.example.com/studio/nightfall.git"
    assert provenance_of(repo, "--rev", "HEAD") == [{"repositoryUri": uri, "revisionId": second, "branch": "main"}]
    # an older commit is not what the branch holds
    assert provenance_of(repo, "--rev", first) == [{"repositoryUri": uri, "revisionId": first}]
    assert provenance_of(repo) == [{"repositoryUri": uri, "branch": "main"}]  # the index: no commit yet
    repo.git("checkout", "-q", "--detach")
    assert provenance_of(repo, "--rev", "HEAD") == [{"repositoryUri": uri, "revisionId": second}]


def test_sarif_of_a_repository_without_a_remote_has_no_version_control_provenance(repo: Repo) -> None:
    commit_production(repo)
    assert provenance_of(repo, "--rev", "HEAD") is None


# --- related locations ---------------------------------------------------------------------------


def test_sarif_media_finding_points_at_the_line_of_the_entry_that_declares_it(repo: Repo) -> None:
    commit_production(repo)
    entry_line = (repo.root / "genai.toml").read_text("utf-8").splitlines().index("[[generated]]") + 1
    done = repo.run("run", "--rev", "HEAD", "--format", "sarif")
    (result,) = json.loads(done.out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deliverables/poster.png"
    assert result["relatedLocations"] == [{
        "id": 1,
        "message": {"text": "declared in this manifest"},
        "physicalLocation": {"artifactLocation": {"uri": "genai.toml", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": entry_line}},
    }]


def test_sarif_undeclared_media_points_at_the_manifest_that_should_declare_it_when_known() -> None:
    known = replace(evidence_finding(), manifest="shots/genai.toml", manifest_line=None)
    (related,) = sarif_run(RunResult("index", 1, (known,)))["results"][0]["relatedLocations"]
    assert related["message"]["text"] == "should be declared in this manifest"
    assert related["physicalLocation"] == {"artifactLocation": {"uri": "shots/genai.toml", "uriBaseId": "%SRCROOT%"}}
    assert "relatedLocations" not in sarif_run(RunResult("index", 1, (evidence_finding(),)))["results"][0]


def test_sarif_manifest_finding_has_no_related_location_on_itself() -> None:
    on_manifest = finding("GAI103", "genai.toml", line=12, manifest="genai.toml", manifest_line=12)
    assert "relatedLocations" not in sarif_run(RunResult("index", 1, (on_manifest,)))["results"][0]
