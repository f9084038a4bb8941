"""Named paths: normalisation, and the early index lookup cli.py starts before the heavy imports."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT_MANIFEST, Repo, generated
from hypothesis import given
from hypothesis import strategies as st

from genai_hooks.early import IndexLookup, start_early_diff, start_index_lookup
from genai_hooks.errors import UsageError
from genai_hooks.gitcmd import GitRepository
from genai_hooks.paths import (
    DIFF_ARGS,
    Located,
    extension,
    locate,
    manifest_candidates,
    repository_paths,
)

ODD_NAMES = ["deliverables/with space.exr", "deliverables/ünï/天空.exr", "deliverables/new\nline.exr",
             "deliverables/-dash.exr", "deliverables/4b825dc642cb6eb9a060e54bf8d69288fbee4904"]


@pytest.mark.parametrize("given,expected", [
    (["a/b.exr", "c"], ["a/b.exr", "c"]),
    (["./a/b.exr"], ["a/b.exr"]),
    (["a//b.exr", "a/./b.exr", "a/x/../b.exr"], ["a/b.exr"] * 3),
    (["shots/"], ["shots"]),
    (["."], [""]),
    ([".hidden/x", "a/..b", "a/.../c"], [".hidden/x", "a/..b", "a/.../c"]),
])
def test_typed_paths_become_repository_paths(tmp_path: Path, given: list[str], expected: list[str]) -> None:
    assert repository_paths(str(tmp_path), given, str(tmp_path)) == expected


def test_paths_typed_in_a_subdirectory_and_absolute_ones(tmp_path: Path) -> None:
    (tmp_path / "shots").mkdir()
    here = str(tmp_path / "shots")
    assert repository_paths(str(tmp_path), ["a.exr", "../b.exr", str(tmp_path / "c.exr")], here) == \
        ["shots/a.exr", "b.exr", "c.exr"]
    with pytest.raises(UsageError, match="outside the repository"):
        repository_paths(str(tmp_path), ["../../etc/passwd"], here)


def test_manifest_candidates_are_every_directory_of_every_chain() -> None:
    assert manifest_candidates(["a/b/c.exr", "a/d.exr", "e.exr"]) == \
        ["a/b/genai.toml", "a/genai.toml", "genai.toml"]


def _staged_show(repo: Repo) -> list[str]:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/genai.toml", "version = 1\n")
    for name in ODD_NAMES:
        repo.write(name)
    repo.add()
    return ODD_NAMES


def test_early_lookup_agrees_with_the_checking_code_on_odd_names(repo: Repo) -> None:
    names = [*_staged_show(repo), "deliverables/gone\nmissing.exr", "nowhere/x.exr"]
    early = start_index_lookup(str(repo.root), names, str(repo.root))
    assert early is not None
    manifests = early.manifests()
    found = early.result()
    repository = GitRepository(str(repo.root))
    try:
        expected = repository.object_ids([":" + n for n in names], names)
        expected_manifests = repository.object_ids(
            [":" + n for n in manifest_candidates(names)] + [":.gitmodules"],
            [*manifest_candidates(names), ".gitmodules"])
    finally:
        repository.close()
    assert found == expected
    assert manifests == expected_manifests
    assert found["deliverables/new\nline.exr"] is not None and found["nowhere/x.exr"] is None
    assert manifests is not None and manifests["deliverables/genai.toml"] is not None
    assert manifests["nowhere/genai.toml"] is None and manifests[".gitmodules"] is None


def test_a_failed_early_lookup_leaves_the_work_to_the_checking_code(repo: Repo, tmp_path: Path) -> None:
    _staged_show(repo)
    outside = tmp_path / "not-a-repository"
    outside.mkdir()
    assert start_index_lookup(str(outside), ["a.exr"], str(outside)) is None  # not a repository
    failed = IndexLookup(Located(str(outside), str(outside)), ["deliverables/with space.exr"])  # git refuses: no index to read
    assert failed.manifests() is None and failed.result() is None
    failed.discard()


def test_an_unused_early_lookup_is_stopped(repo: Repo) -> None:
    names = _staged_show(repo)
    early = IndexLookup(locate(str(repo.root)), names)
    early.discard()
    assert early._process.poll() is not None


def test_a_named_submodule_whose_commit_we_hold_is_not_a_file(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.add()
    head = repo.commit()
    # a gitlink to a commit this repository holds: `:path` resolves, so only .gitmodules tells it apart
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{head},deliverables/vendor")
    repo.write(".gitmodules", '[submodule "vendor"]\n\tpath = deliverables/vendor\n\turl = ../vendor\n')
    repo.add(".gitmodules")
    done = repo.check("deliverables/vendor")
    assert done.code == 0  # not a file: never judged as generated media (GAI201)...
    assert [(f["rule"], f["path"]) for f in done.json["findings"]] == [("GAI303", "deliverables/vendor")]
    assert "submodule under a deliverable path" in done.json["findings"][0]["message"]  # ...nor passed unseen


def test_early_diff_is_the_diff_the_checking_code_would_run(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/a.exr")
    repo.add()
    repo.commit()
    repo.write("deliverables/new\nline.exr")
    repo.git("mv", "deliverables/a.exr", "deliverables/b.exr")
    repo.add()
    early = start_early_diff(str(repo.root), "HEAD")
    assert early is not None
    head = repo.git("rev-parse", "HEAD").strip()
    assert (early.head, early.merge_base) == (head, head)
    expected = subprocess.run(["git", *DIFF_ARGS, "--cached", head, "--"], cwd=repo.root, capture_output=True,
                              check=True).stdout
    assert early.result() == expected
    assert b"new\nline.exr" in expected and b" D\0" in expected  # a move is a deletion and an addition
    done = repo.check("--diff", "HEAD")
    assert sorted(f["path"] for f in done.json["findings"]) == ["deliverables/b.exr", "deliverables/new\nline.exr"]


def test_no_early_diff_where_the_checking_code_must_explain(repo: Repo) -> None:
    assert start_early_diff(str(repo.root), "HEAD") is None  # no commit yet
    repo.write("a.txt")
    repo.add()
    repo.commit()
    assert start_early_diff(str(repo.root), "no-such-branch") is None
    assert start_early_diff(str(repo.root), "--output=x") is None


def test_the_early_listing_covers_what_hooks_look_for_across_the_index() -> None:
    """Compositing scripts and XMP sidecars come from the listing cli.py starts early; a kind it misses would cost
    a read of a million-entry index of its own (Snapshot.ending_with falls back to git)."""
    from genai_hooks.derived import COMP_PATHSPECS
    from genai_hooks.early import EarlyListing

    assert EarlyListing.pathspecs.issuperset([*COMP_PATHSPECS, ":(icase)*.xmp"])


def _extension_by_splitting(name: str) -> str:
    """What `extension` means, spelled the plain way: the base name's last dot, unless that leaves no stem."""
    base = name.rpartition("/")[2].rpartition("\\")[2]
    stem, dot, found = base.rpartition(".")
    return "." + found.lower() if dot and stem.strip(".") else ""


@given(st.text(alphabet=st.sampled_from("a.B/\\é\n -x"), max_size=14))
def test_extension_agrees_with_splitting_the_base_name(name: str) -> None:
    assert extension(name) == _extension_by_splitting(name)


@pytest.mark.parametrize(("name", "expected"), [
    ("shots/sh010/plate.1001.EXR", ".exr"), ("a.b/c", ""), (".hidden", ""), ("dir/.hidden", ""), ("x/..png", ""),
    ("a\\b.Tif", ".tif"), ("a.b\\c", ""), ("name.", "."), ("", ""), ("...", ""), ("a..b", ".b")])
def test_extension_of_names_at_the_corners(name: str, expected: str) -> None:
    assert extension(name) == expected
