"""The GitHub Action: action.yml is valid, and action/run.sh behaves as on a runner, in real repositories."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "action" / "run.sh"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))

MANIFEST = """\
[deliverables]
paths = ["deliverables/**"]

[tools.firefly]
vendor = "Adobe"
trains_on_inputs = false
retains_inputs = false
environment = "enterprise"
terms = "Adobe ETLA 2025 s.4"
disclosed = 2025-09-02

[[generated]]
paths = ["deliverables/**/*.png"]
tool = "firefly"
purpose = "sky replacement"
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(("git", *args), cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@dataclass(frozen=True)
class Production:
    """A repository whose main branch already holds one unapproved deliverable, and a pull request
    (checked out as GitHub does, a merge commit) that adds a second one."""

    repo: Path
    base: str


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Production:
    repo = tmp_path_factory.mktemp("action") / "nightfall s1"  # a space, as in real share names
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "td@example.com")
    git(repo, "config", "user.name", "Pipeline TD")
    (repo / "genai.toml").write_text(MANIFEST, "utf-8")
    (repo / "deliverables").mkdir()
    (repo / "deliverables" / "old sky.png").write_bytes(b"not really a png")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "main")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "deliverables" / "new.png").write_bytes(b"not really a png either")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "add a generated deliverable")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge feature into main", "feature")
    return Production(repo, base)


@dataclass(frozen=True)
class ActionRun:
    status: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


def run_action(
    workspace: Path,
    event: str,
    payload: dict[str, Any],
    *,
    cwd: Path | None = None,
    paths: str = "",
    sarif_file: str = "",
) -> ActionRun:
    """Run action/run.sh with the variables a runner sets, using the genai-hooks of this venv."""
    runner_temp = workspace.parent / f"runner-temp-{os.getpid()}"
    runner_temp.mkdir(exist_ok=True)
    event_path = runner_temp / "event.json"
    event_path.write_text(json.dumps(payload), "utf-8")
    output_file, summary_file = runner_temp / "output", runner_temp / "step_summary"
    output_file.write_text("", "utf-8")
    summary_file.write_text("", "utf-8")
    env = {
        **os.environ,
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_OUTPUT": str(output_file),
        "GITHUB_STEP_SUMMARY": str(summary_file),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(ROOT),
        "RUNNER_TEMP": str(runner_temp),
        "GENAI_HOOKS_SKIP_INSTALL": "true",
        "GENAI_HOOKS_PATHS": paths,
        "GENAI_HOOKS_SARIF_FILE": sarif_file,
    }
    done = subprocess.run(
        ("bash", str(SCRIPT)),
        check=False,
        cwd=cwd or workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    outputs = dict(line.split("=", 1) for line in output_file.read_text("utf-8").splitlines())
    return ActionRun(done.returncode, done.stdout, done.stderr, outputs, summary_file.read_text("utf-8"))


def pull_request(base: str) -> dict[str, Any]:
    return {
        "action": "synchronize",
        "number": 7,
        "pull_request": {"number": 7, "base": {"ref": "main", "sha": base}},
    }


def annotation_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith(("::error", "::warning", "::notice"))]


# --- action.yml ----------------------------------------------------------------------------------


def test_action_yml_is_valid_against_the_github_actions_schema() -> None:
    done = subprocess.run(
        (sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-actions", "action.yml"),
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_yml_passes_inputs_to_the_script_through_the_environment_only() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    check = next(step for step in action["runs"]["steps"] if step.get("id") == "check")
    assert "${{" not in check["run"]  # an input interpolated into shell is a script injection
    assert check["env"] == {
        "GENAI_HOOKS_PATHS": "${{ inputs.paths }}",
        "GENAI_HOOKS_SARIF_FILE": "${{ inputs.sarif-file }}",
        "GENAI_HOOKS_CACHE": "${{ runner.temp }}/genai-hooks-cache",
    }
    assert set(action["outputs"]) == {"errors", "warnings", "sarif-file"}
    assert all(o["value"].startswith("${{ steps.check.outputs.") for o in action["outputs"].values())


def test_action_keeps_the_evidence_cache_between_runs_restored_from_the_default_branch() -> None:
    steps = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))["runs"]["steps"]
    [cache] = [step for step in steps if step.get("uses", "").startswith("actions/cache@")]
    check = next(step for step in steps if step.get("id") == "check")
    assert steps.index(cache) < steps.index(check)
    assert cache["with"]["path"] == check["env"]["GENAI_HOOKS_CACHE"]
    assert cache["with"]["key"].endswith("-${{ github.sha }}")  # a new entry each commit: saved after the run
    restore = cache["with"]["restore-keys"].strip().splitlines()
    assert restore[-1] == "genai-hooks-evidence-${{ runner.os }}-${{ github.event.repository.default_branch }}-"
    assert all(cache["with"]["key"].startswith(prefix) for prefix in restore[:1])


# --- run.sh in real repositories -----------------------------------------------------------------


def test_pull_request_judges_only_its_changes_and_fails_on_an_error(production: Production) -> None:
    run = run_action(production.repo, "pull_request", pull_request(production.base))
    assert run.status == 1, run.stderr
    assert run.outputs["errors"] == "1" and run.outputs["warnings"] == "0"
    assert [a.split("::")[1] for a in annotation_lines(run.stdout)] == [
        "error file=deliverables/new.png,title=GAI201 deliverable-without-approval"
    ]
    assert run.stdout.rstrip().endswith("1 error, 0 warnings in 1 file checked.")
    assert f"--rev HEAD --diff {production.base}" in run.stdout
    assert run.summary.startswith("## genai-hooks")
    assert "`deliverables/new.png`" in run.summary and "old sky.png" not in run.summary


def test_push_runs_a_full_audit(production: Production) -> None:
    run = run_action(production.repo, "push", {"ref": "refs/heads/main"})
    assert run.status == 1, run.stderr
    assert run.outputs["errors"] == "2"
    files = sorted(a.split("file=")[1].split(",")[0] for a in annotation_lines(run.stdout))
    assert files == ["deliverables/new.png", "deliverables/old sky.png"]
    assert "--diff" not in run.stdout


def test_sarif_file_is_written_relative_to_the_workspace_and_is_valid(production: Production) -> None:
    run = run_action(
        production.repo,
        "pull_request",
        pull_request(production.base),
        cwd=production.repo / "deliverables",
        sarif_file="reports/genai-hooks.sarif",
    )
    sarif_path = production.repo / "reports" / "genai-hooks.sarif"
    assert run.status == 1, run.stderr
    assert run.outputs["sarif-file"] == str(sarif_path)
    log = json.loads(sarif_path.read_text("utf-8"))
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("GAI201", "error")]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deliverables/new.png"


def test_paths_input_takes_one_path_per_line_relative_to_the_working_directory(
    production: Production,
) -> None:
    run = run_action(
        production.repo, "push", {}, cwd=production.repo / "deliverables", paths="old sky.png\n\n"
    )
    assert run.status == 1, run.stderr
    assert run.outputs["errors"] == "1"
    assert "file=deliverables/old sky.png," in run.stdout


def test_clean_pull_request_passes_with_zero_counts(tmp_path: Path, production: Production) -> None:
    clone = tmp_path / "clean"
    git(tmp_path, "clone", "-q", str(production.repo), str(clone))
    git(clone, "checkout", "-q", production.base)
    (clone / "notes.txt").write_text("call sheet\n", "utf-8")
    git(clone, "add", "-A")
    git(clone, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "notes")
    run = run_action(clone, "pull_request", pull_request(production.base))
    assert run.status == 0, run.stdout + run.stderr
    assert run.outputs == {"errors": "0", "warnings": "0"}
    assert annotation_lines(run.stdout) == []
    assert "**Passed:** no findings" in run.summary


def test_shallow_clone_fails_and_names_fetch_depth_0(tmp_path: Path, production: Production) -> None:
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", production.repo.as_uri(), str(shallow))
    assert git(shallow, "rev-parse", "--is-shallow-repository") == "true"
    run = run_action(shallow, "pull_request", pull_request(production.base))
    assert run.status == 2
    assert annotation_lines(run.stdout)[0].startswith("::error title=genai-hooks::this is a shallow clone")
    assert "fetch-depth: 0" in run.stdout
    assert run.outputs == {} and run.summary == ""


def test_unknown_base_commit_is_exit_2_with_the_tool_s_message(production: Production) -> None:
    run = run_action(production.repo, "pull_request", pull_request("0" * 40))
    assert run.status == 2
    error = annotation_lines(run.stdout)[-1]
    assert error.startswith("::error title=genai-hooks::")
    assert "0000000" in error
    assert run.outputs == {}


def test_pull_request_payload_without_a_base_is_exit_2(production: Production) -> None:
    run = run_action(production.repo, "pull_request", {"pull_request": {"number": 7}})
    assert run.status == 2
    assert "names no base commit" in run.stdout


def test_lfs_repository_without_fetched_objects_gets_a_warning(
    tmp_path: Path, production: Production
) -> None:
    clone = tmp_path / "lfs"
    git(tmp_path, "clone", "-q", str(production.repo), str(clone))
    (clone / ".gitattributes").write_text("*.exr filter=lfs diff=lfs merge=lfs -text\n", "utf-8")
    git(clone, "add", ".gitattributes")
    git(clone, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "lfs")
    run = run_action(clone, "push", {})
    assert "::warning title=genai-hooks::This repository uses Git LFS" in run.stdout
    assert "lfs: true" in run.stdout


# --- docs/ci.md stays copy-pasteable -------------------------------------------------------------


def ci_doc_block(first_line: str) -> str:
    """The ```yaml block of docs/ci.md that starts with FIRST_LINE (the file it belongs in)."""
    text = (ROOT / "docs" / "ci.md").read_text("utf-8")
    blocks: list[str] = [
        b for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL) if b.startswith(first_line + "\n")
    ]
    assert len(blocks) == 1, first_line
    return blocks[0]


@pytest.mark.parametrize(
    ("first_line", "command"),
    [
        (
            "# .github/workflows/genai-hooks.yml",
            ("-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"),
        ),
        ("# .gitlab-ci.yml", ("-m", "check_jsonschema", "--builtin-schema", "vendor.gitlab-ci")),
        ("# .pre-commit-config.yaml", ("-m", "pre_commit", "validate-config")),
    ],
)
def test_ci_guide_configurations_are_valid(tmp_path: Path, first_line: str, command: tuple[str, ...]) -> None:
    config = tmp_path / "config.yml"
    config.write_text(ci_doc_block(first_line), "utf-8")
    done = subprocess.run(
        (sys.executable, *command, str(config)), check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ci_guide_github_workflow_checks_out_full_history_with_lfs_and_uploads_sarif() -> None:
    workflow = yaml.safe_load(ci_doc_block("# .github/workflows/genai-hooks.yml"))
    steps = workflow["jobs"]["genai-hooks"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"] == {"fetch-depth": 0, "lfs": True}
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == steps[1]["with"]["sarif-file"]
