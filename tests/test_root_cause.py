"""Root cause first (SPEC §18): an invalid manifest is named with line and column, listed first, and the run
says which manifests did not apply."""

from __future__ import annotations

from conftest import ROOT_MANIFEST, Repo
from provenance_media import png_bytes, png_info

SD_PNG = png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1")))
# a nested manifest cut short while it was being saved: the entry that declares the frames is lost
TRUNCATED = '[[generated]]\npaths = ["frames/sky.*.png",\n'


def _show(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("deliverables/sky/genai.toml", TRUNCATED)
    repo.write("deliverables/sky/frames/sky.1001.png", SD_PNG)
    repo.write("deliverables/sky/frames/sky.1002.png", SD_PNG)
    repo.add()


def test_a_cut_short_manifest_names_the_line_and_column_where_parsing_stopped(repo: Repo) -> None:
    _show(repo)
    [gai001] = [f for f in repo.check().json["findings"] if f["rule"] == "GAI001"]
    assert gai001["path"] == "deliverables/sky/genai.toml" and gai001["line"] == 2
    assert "line 2, column 29" in gai001["message"] and "end of the file" in gai001["message"]


def test_a_parse_error_inside_the_file_names_tomls_own_line_and_column(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST.replace('vendor = "Adobe"', 'vendor = Adobe'))
    repo.add()
    [gai001] = repo.check().json["findings"]
    line = ROOT_MANIFEST.splitlines().index('vendor = "Adobe"') + 1
    assert gai001["line"] == line and f"invalid TOML at line {line}, column 10:" in gai001["message"]


def test_text_lists_the_invalid_manifest_before_what_may_follow_from_it(repo: Repo) -> None:
    _show(repo)
    done = repo.run("run")
    assert done.code == 1
    lines = done.out.splitlines()
    assert lines[0].startswith("deliverables/sky/genai.toml:2: error GAI001 invalid-manifest: invalid TOML at line 2")
    assert lines[2] == ("genai-hooks: not applied: deliverables/sky/genai.toml (it is invalid, so nothing it "
                        "declares counted); the findings below may follow from it")
    assert lines[3].startswith("deliverables/sky/frames/sky.1001.png: error GAI301")


def test_json_keeps_sorted_order_and_names_the_unapplied_manifests(repo: Repo) -> None:
    _show(repo)
    document = repo.check().json
    assert document["summary"]["unapplied_manifests"] == ["deliverables/sky/genai.toml"]
    keys = [(f["path"], f["line"] or 0, f["rule"]) for f in document["findings"]]
    assert keys == sorted(keys) and keys[0][0] == "deliverables/sky/frames/sky.1001.png"


def test_a_run_with_only_the_invalid_manifest_says_it_was_not_applied(repo: Repo) -> None:
    repo.write("genai.toml", 'version = 1\n[production\ntitle = "x"\n')
    repo.add()
    done = repo.run("run")
    assert done.code == 1
    assert "genai-hooks: not applied: genai.toml (it is invalid, so nothing it declares counted)" in done.out
    assert "findings below" not in done.out


def test_a_valid_run_names_no_unapplied_manifest(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.add()
    assert repo.check().json["summary"]["unapplied_manifests"] == []
    assert "not applied" not in repo.run("run").out
