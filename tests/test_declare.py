"""`genai-hooks declare PATH... --tool ID` (SPEC §18): the entry appended, every other byte kept, never staged."""

from __future__ import annotations

import os

import pytest
from conftest import ROOT_MANIFEST, Repo, register

REGISTER = register("NFX-GAI-0042")
MANIFEST = "# Nightfall S1 root manifest: production and legal review it\n" + ROOT_MANIFEST + REGISTER


def _show(repo: Repo, manifest: str = MANIFEST, frames: int = 3, name: str = "sky.{}.exr") -> list[str]:
    repo.write("genai.toml", manifest)
    paths = [f"deliverables/sh020/sky/{name.format(frame)}" for frame in range(1001, 1001 + frames)]
    for path in paths:
        repo.write(path, "frame")
    repo.add()
    return paths


def test_a_sequence_is_declared_by_one_pattern_appended_and_nothing_else_changes(repo: Repo) -> None:
    paths = _show(repo)
    before = (repo.root / "genai.toml").read_bytes()
    staged = repo.git("ls-files", "--stage", "genai.toml")
    done = repo.run("declare", *paths, "--tool", "firefly", "--approval", "NFX-GAI-0042", "--purpose", "sky")
    assert done.code == 0, done.err
    after = (repo.root / "genai.toml").read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode() == ('\n[[generated]]\npaths = ["deliverables/sh020/sky/sky.####.exr"]\n'
                                            'tool = "firefly"\npurpose = "sky"\napproval = "NFX-GAI-0042"\n')
    assert repo.git("ls-files", "--stage", "genai.toml") == staged  # never staged
    assert "git add genai.toml" in done.out
    repo.add("genai.toml")
    assert repo.check().json["findings"] == []


def test_declaring_again_writes_nothing_and_says_where_it_is_declared(repo: Repo) -> None:
    paths = _show(repo)
    first = repo.run("declare", *paths, "--tool", "firefly", "--approval", "NFX-GAI-0042")
    assert first.code == 0, first.err
    once = (repo.root / "genai.toml").read_bytes()
    line = int(first.out.split("genai.toml:")[1].split(":")[0])
    again = repo.run("declare", paths[0], "--tool", "firefly", "--approval", "NFX-GAI-0042")
    assert again.code == 0, again.err
    assert (repo.root / "genai.toml").read_bytes() == once
    assert again.out.startswith(f"already declared in genai.toml:{line},") and "nothing written" in again.out
    other = repo.run("declare", *paths, "--tool", "firefly", "--approval", "NFX-GAI-0042", "--purpose", "sky")
    assert other.code == 0 and (repo.root / "genai.toml").read_bytes() != once  # another purpose: its own entry


def test_crlf_and_a_missing_final_newline_are_kept(repo: Repo) -> None:
    manifest = MANIFEST.replace("\n", "\r\n").rstrip("\r\n")
    paths = _show(repo, manifest, frames=1)
    done = repo.run("declare", paths[0], "--tool", "firefly", "--approval", "NFX-GAI-0042")
    assert done.code == 0, done.err
    after = (repo.root / "genai.toml").read_bytes().decode()
    assert after.startswith(manifest + "\r\n\r\n[[generated]]\r\n")
    assert "\n" not in after.replace("\r\n", "")
    assert after.endswith('approval = "NFX-GAI-0042"\r\n')


def test_the_nearest_manifest_takes_it_with_paths_relative_to_it(repo: Repo) -> None:
    paths = _show(repo)
    repo.write("deliverables/sh020/genai.toml", "version = 1\n")
    done = repo.run("declare", *(p.removeprefix("deliverables/") for p in paths), "--tool", "firefly",
                    "--approval", "NFX-GAI-0042", cwd=repo.root / "deliverables")
    assert done.code == 0, done.err
    assert (repo.root / "deliverables/sh020/genai.toml").read_text().endswith(
        'paths = ["sky/sky.####.exr"]\ntool = "firefly"\napproval = "NFX-GAI-0042"\n')


def test_paths_relative_to_the_current_directory_with_spaces_unicode_and_a_leading_dash(repo: Repo) -> None:
    repo.write("genai.toml", MANIFEST)
    repo.write("shots/sq010/-odd name é.png", "x")
    repo.add()
    done = repo.run("declare", "--tool", "firefly", "--", "-odd name é.png", cwd=repo.root / "shots/sq010")
    assert done.code == 0, done.err
    assert 'paths = ["shots/sq010/-odd name é.png"]' in (repo.root / "genai.toml").read_text()


@pytest.mark.slow
def test_thousands_of_frames_are_one_pattern(repo: Repo) -> None:
    paths = _show(repo, frames=2000)
    done = repo.run("declare", *paths, "--tool", "firefly", "--approval", "NFX-GAI-0042")
    assert done.code == 0 and done.out.count("sky.####.exr") == 1


def test_a_directory_is_declared_with_everything_below_it(repo: Repo) -> None:
    _show(repo)
    done = repo.run("declare", "deliverables/sh020/sky", "--tool", "firefly", "--approval", "NFX-GAI-0042")
    assert done.code == 0 and 'paths = ["deliverables/sh020/sky/**"]' in done.out


@pytest.mark.parametrize("args,fragment", [
    (("--tool", "midjourney"), "unknown tool 'midjourney'; the manifests above declare: firefly"),
    (("--tool", "firefly", "--approval", "NFX-GAI-9999"),
     "unknown approval 'NFX-GAI-9999'; the register of genai.toml holds: NFX-GAI-0042"),
    (("--tool", "firefly", "--manifest", "shots/genai.toml"), "does not govern every path given"),
])
def test_unknown_ids_and_a_manifest_elsewhere_are_exit_2_and_nothing_is_written(repo: Repo, args: tuple,
                                                                                  fragment: str) -> None:
    paths = _show(repo)
    repo.write("shots/genai.toml", "version = 1\n")
    before = (repo.root / "genai.toml").read_bytes()
    done = repo.run("declare", *paths, *args)
    assert done.code == 2 and fragment in done.err and len(done.err.strip().splitlines()) == 1
    assert (repo.root / "genai.toml").read_bytes() == before


def test_an_approval_without_a_register_is_exit_2(repo: Repo) -> None:
    paths = _show(repo, ROOT_MANIFEST)
    done = repo.run("declare", *paths, "--tool", "firefly", "--approval", "NFX-GAI-0042")
    assert done.code == 2 and "keeps no [[approvals]] register" in done.err


def test_a_path_nowhere_is_exit_2(repo: Repo) -> None:
    _show(repo)
    done = repo.run("declare", "deliverables/nope.exr", "--tool", "firefly")
    assert done.code == 2 and "deliverables/nope.exr: not in the snapshot (index) or the working tree" in done.err


def test_an_invalid_manifest_is_exit_2_and_left_alone(repo: Repo) -> None:
    paths = _show(repo, MANIFEST + "\n[tools.x]\nvendr = 1\n")
    before = (repo.root / "genai.toml").read_bytes()
    done = repo.run("declare", paths[0], "--tool", "firefly")
    assert done.code == 2 and "genai.toml is invalid" in done.err and "correct it first" in done.err
    assert (repo.root / "genai.toml").read_bytes() == before


def test_a_read_only_or_symlinked_manifest_is_exit_2(repo: Repo) -> None:
    paths = _show(repo)
    manifest = repo.root / "genai.toml"
    manifest.chmod(0o444)
    done = repo.run("declare", paths[0], "--tool", "firefly")
    assert done.code == 2 and "read-only" in done.err
    manifest.chmod(0o644)
    os.rename(manifest, repo.root / "real.toml")
    os.symlink("real.toml", manifest)
    done = repo.run("declare", paths[0], "--tool", "firefly")
    assert done.code == 2 and "symbolic link" in done.err
    assert (repo.root / "real.toml").read_text() == MANIFEST


def test_unstaged_edits_of_the_manifest_are_pointed_out(repo: Repo) -> None:
    paths = _show(repo)
    (repo.root / "genai.toml").write_text(MANIFEST + "# a note not staged yet\n")
    done = repo.run("declare", paths[0], "--tool", "firefly", "--approval", "NFX-GAI-0042")
    assert done.code == 0 and "also holds edits that are not staged" in done.out


def test_approvals_kept_outside_the_repository_are_checked_against_the_pattern(repo: Repo) -> None:
    external = ROOT_MANIFEST.replace('contact = "jane.doe@example.com"',
                                     'contact = "jane.doe@example.com"\napproval_pattern = "NFX-GAI-[0-9]{4,}"')
    paths = _show(repo, external + '\n[policy]\napprovals = "external"\n')
    wrong = repo.run("declare", *paths, "--tool", "firefly", "--approval", "JIRA-12")
    assert wrong.code == 2 and "does not match the production's approval_pattern" in wrong.err
    done = repo.run("declare", *paths, "--tool", "firefly", "--approval", "NFX-GAI-0042")
    assert done.code == 0, done.err
