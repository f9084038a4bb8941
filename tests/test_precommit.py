"""Real pre-commit: the hook installed from this project blocks a real `git commit`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ANY_REGISTER, ROOT_MANIFEST, Repo, generated

PROJECT = Path(__file__).resolve().parents[1]


def _pre_commit() -> str:
    found = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not os.path.exists(found):
        pytest.fail("pre-commit is not installed: pip install -e '.[test]'")
    return found


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """This project's current files committed into a repository pre-commit can install from."""
    root = tmp_path_factory.mktemp("hook-repo")
    for name in ("src", "pyproject.toml", ".pre-commit-hooks.yaml", "README.md"):
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(source, root / name)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
           "HOME": str(tmp_path_factory.mktemp("home"))}
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-qm", "hook"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, env=env, check=True,
                         capture_output=True, text=True).stdout.strip()
    yield {"path": str(root), "rev": sha, **{f"env:{k}": v for k, v in env.items()}}


def _env(hook: dict[str, str]) -> dict[str, str]:
    env = {k[4:]: v for k, v in hook.items() if k.startswith("env:")}
    for key in ("GITHUB_ACTIONS", "PRE_COMMIT_TO_REF", "PRE_COMMIT_FROM_REF"):
        env.pop(key, None)
    return env


def _config(repo: Repo, hook: dict[str, str], ids: tuple[str, ...] = ("genai-hooks", "genai-hooks-audit")) -> None:
    hooks = "".join(f"\n              - id: {i}" for i in ids)
    repo.write(".pre-commit-config.yaml", f"""\
        repos:
          - repo: {hook['path']}
            rev: {hook['rev']}
            hooks:{hooks}
        """)


def _run(repo: Repo, hook: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=repo.root, env=_env(hook), capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_commit_is_blocked_then_allowed_after_approval(repo: Repo, hook_repo: dict[str, str]) -> None:
    _config(repo, hook_repo)
    repo.add(".pre-commit-config.yaml")
    repo.commit("config")
    installed = _run(repo, hook_repo, _pre_commit(), "install")
    assert installed.returncode == 0, installed.stderr

    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/sh020/sky v003.1001.exr", "pixels")
    repo.add()
    blocked = _run(repo, hook_repo, "git", "commit", "-m", "add generated sky")
    assert blocked.returncode != 0
    output = blocked.stdout + blocked.stderr
    assert "GAI201 deliverable-without-approval" in output, output
    assert "deliverables/sh020/sky v003.1001.exr" in output
    assert _run(repo, hook_repo, "git", "rev-list", "--count", "HEAD").stdout.strip() == "1"

    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-GAI-0042") + ANY_REGISTER)
    repo.add("genai.toml")
    allowed = _run(repo, hook_repo, "git", "commit", "-m", "add approved generated sky")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert _run(repo, hook_repo, "git", "rev-list", "--count", "HEAD").stdout.strip() == "2"

    # `git commit -- PATH` commits the work tree's file through a temporary index (GIT_INDEX_FILE);
    # .git/index still holds the approved manifest, which is not what this commit holds
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    only = _run(repo, hook_repo, "git", "commit", "-m", "drop the approval", "--", "genai.toml")
    assert only.returncode != 0 and "GAI201" in only.stdout + only.stderr, only.stdout + only.stderr
    assert _run(repo, hook_repo, "git", "rev-list", "--count", "HEAD").stdout.strip() == "2"


@pytest.mark.slow
def test_run_all_files_and_manual_audit_fail_on_a_committed_violation(repo: Repo, hook_repo: dict[str, str]) -> None:
    _config(repo, hook_repo)
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]) + generated(["nowhere/**"]))
    repo.write("deliverables/a.exr")
    repo.add()
    repo.commit("committed with --no-verify, in effect")
    all_files = _run(repo, hook_repo, _pre_commit(), "run", "--all-files", "genai-hooks")
    assert all_files.returncode == 1
    assert "GAI201" in all_files.stdout and "GAI401" not in all_files.stdout
    audit = _run(repo, hook_repo, _pre_commit(), "run", "--hook-stage", "manual", "genai-hooks-audit")
    assert audit.returncode == 1
    assert "GAI201" in audit.stdout and "GAI401" in audit.stdout


@pytest.mark.slow
def test_try_repo_runs_the_hook_on_given_files(repo: Repo, hook_repo: dict[str, str]) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-1") + ANY_REGISTER)
    repo.write("deliverables/a.exr")
    repo.add()
    done = _run(repo, hook_repo, _pre_commit(), "try-repo", hook_repo["path"], "genai-hooks",
                "--ref", hook_repo["rev"], "--files", "deliverables/a.exr", "genai.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


@pytest.mark.slow
def test_staged_hook_sees_a_first_commit_and_a_deleted_manifest(repo: Repo, hook_repo: dict[str, str]) -> None:
    _config(repo, hook_repo, ("genai-hooks-staged",))
    installed = _run(repo, hook_repo, _pre_commit(), "install")
    assert installed.returncode == 0, installed.stderr
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]) + ANY_REGISTER)
    repo.write("deliverables/sh010/sky.1001.exr", "pixels")
    repo.add()
    first = _run(repo, hook_repo, "git", "commit", "-m", "first commit, unapproved")
    assert first.returncode != 0 and "GAI201" in first.stdout + first.stderr

    repo.write("deliverables/sh010/genai.toml", "version = 1\n" + generated(["*.exr"], approval="NFX-GAI-0042"))
    repo.add()
    approved = _run(repo, hook_repo, "git", "commit", "-m", "approved in the shot's manifest")
    assert approved.returncode == 0, approved.stdout + approved.stderr

    repo.git("rm", "-q", "deliverables/sh010/genai.toml")  # a commit of nothing but a deletion
    deleted = _run(repo, hook_repo, "git", "commit", "-m", "drop the shot manifest")
    assert deleted.returncode != 0, deleted.stdout + deleted.stderr
    assert "GAI201" in deleted.stderr and "deliverables/sh010/sky.1001.exr" in deleted.stderr  # git shows hooks on stderr
    assert "in 1 file checked" in deleted.stderr
    assert _run(repo, hook_repo, "git", "rev-list", "--count", "HEAD").stdout.strip() == "1"


@pytest.mark.slow
def test_staged_files_named_like_options_are_judged_through_a_real_commit(repo: Repo, hook_repo: dict[str, str]
                                                                           ) -> None:
    _config(repo, hook_repo, ("genai-hooks",))
    repo.add(".pre-commit-config.yaml")
    repo.commit("config")
    assert _run(repo, hook_repo, _pre_commit(), "install").returncode == 0
    repo.write("genai.toml", ROOT_MANIFEST.replace('"deliverables/**"', '"-*"') + generated(["-*"]))
    names = ["--help", "--no-metadata", "--rev=HEAD", "--as-of=2000-01-01", "--output=genai.toml"]
    for name in names:
        repo.write(name, "generated pixels")
    repo.git("add", "--", "genai.toml", *names)
    manifest = (repo.root / "genai.toml").read_bytes()
    blocked = _run(repo, hook_repo, "git", "commit", "-m", "files named like options")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    for name in names:
        assert f"{name}: error GAI201" in output, output
    assert (repo.root / "genai.toml").read_bytes() == manifest  # --output=genai.toml wrote nothing
    assert _run(repo, hook_repo, "git", "rev-list", "--count", "HEAD").stdout.strip() == "1"


@pytest.mark.slow
def test_the_hook_sees_a_deleted_nested_manifest_in_a_real_commit(repo: Repo, hook_repo: dict[str, str]) -> None:
    _config(repo, hook_repo, ("genai-hooks",))
    repo.write("genai.toml", ROOT_MANIFEST + ANY_REGISTER)
    repo.write("deliverables/sh010/genai.toml", "version = 1\n" + generated(["*.exr"], approval="NFX-GAI-0042"))
    for frame in range(1001, 1017):
        repo.write(f"deliverables/sh010/sky.{frame}.exr", f"generated sky {frame}")
    repo.write("notes.txt", "a")
    repo.add()
    repo.commit("declared and approved")
    assert _run(repo, hook_repo, _pre_commit(), "install").returncode == 0

    repo.git("rm", "-q", "deliverables/sh010/genai.toml")  # with another file: pre-commit passes notes.txt only
    repo.write("notes.txt", "b")
    repo.add("notes.txt")
    blocked = _run(repo, hook_repo, "git", "commit", "-m", "tidy the shot folder")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "GAI205 declaration-withdrawn: sky.[1001-1016].exr, 16 frames" in output, output

    repo.git("reset", "-q", "HEAD", "notes.txt")  # nothing but the deletion: pre-commit passes no file at all
    blocked = _run(repo, hook_repo, "git", "commit", "-m", "drop the shot manifest")
    assert blocked.returncode != 0 and "GAI205" in blocked.stdout + blocked.stderr, blocked.stdout + blocked.stderr
    assert _run(repo, hook_repo, "git", "rev-list", "--count", "HEAD").stdout.strip() == "1"


def _snippet(text: str, hook: dict[str, str]) -> str:
    """The first `repos:` YAML block of a text, with the placeholder URL pointing at this project's clone."""
    block = text[text.index("repos:"):]
    block = block[:block.index("```")] if "```" in block else block
    return block.replace("https://github.com/your-org/genai-hooks", hook["path"])


@pytest.mark.slow
@pytest.mark.parametrize("source", ["README.md", "init"])
def test_the_documented_hook_snippets_work_as_written(repo: Repo, hook_repo: dict[str, str], source: str) -> None:
    if source == "init":
        done = repo.run("init")
        assert done.code == 0
        text = done.out
    else:
        text = (PROJECT / "README.md").read_text(encoding="utf-8")
    repo.write(".pre-commit-config.yaml", _snippet(text, hook_repo))
    installed = _run(repo, hook_repo, _pre_commit(), "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/a.exr")
    repo.add()
    blocked = _run(repo, hook_repo, "git", "commit", "-m", "unapproved")
    assert blocked.returncode != 0 and "GAI201" in blocked.stdout + blocked.stderr, blocked.stdout + blocked.stderr
    frozen = _run(repo, hook_repo, _pre_commit(), "autoupdate", "--freeze", "--bleeding-edge")
    assert frozen.returncode == 0, frozen.stdout + frozen.stderr
    assert f"rev: {hook_repo['rev']}" in (repo.root / ".pre-commit-config.yaml").read_text()


@pytest.mark.slow
def test_a_default_git_commit_shows_the_hooks_warnings(repo: Repo, hook_repo: dict[str, str]) -> None:
    _config(repo, hook_repo, ("genai-hooks",))
    assert _run(repo, hook_repo, _pre_commit(), "install").returncode == 0
    consumer = ROOT_MANIFEST.replace('environment = "enterprise"', 'environment = "consumer"')
    repo.write("genai.toml", consumer)
    repo.add()
    done = _run(repo, hook_repo, "git", "commit", "-m", "a consumer-tier tool")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output  # warnings never block...
    assert "warning GAI103 tool-not-enterprise" in output, output  # ...but the artist sees them
    assert "genai-hooks: passed — 0 errors, 1 warning" in output
