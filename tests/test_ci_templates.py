"""The CI set-ups genai-hooks ships: the GitLab CI template (ci/gitlab/genai-hooks.yml) and the reusable
GitHub workflow (.github/workflows/genai-hooks-required.yml) are valid where they are read, and the GitLab
job's script judges a real repository as a merge request pipeline and a default-branch pipeline would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
GITLAB_TEMPLATE = ROOT / "ci" / "gitlab" / "genai-hooks.yml"
REUSABLE_WORKFLOW = ROOT / ".github" / "workflows" / "genai-hooks-required.yml"
# the job keywords of GitLab's CI/CD YAML syntax reference (docs.gitlab.com/ee/ci/yaml/)
GITLAB_JOB_KEYWORDS = {
    "after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage", "dast_configuration",
    "dependencies", "environment", "extends", "hooks", "identity", "id_tokens", "image", "inherit",
    "interruptible", "manual_confirmation", "needs", "pages", "parallel", "release", "resource_group", "retry",
    "rules", "run", "script", "secrets", "services", "stage", "tags", "timeout", "trigger", "variables", "when",
}
MANIFEST = """\
[production]
title = "Nightfall S1"
contact = "jane.doe@example.com"

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
"""


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run((sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)),
                          check=False, capture_output=True, text=True)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(("git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args), cwd=repo,
                          check=True, capture_output=True, text=True)
    return done.stdout.strip()


def gitlab_job() -> dict[str, Any]:
    job: dict[str, Any] = yaml.safe_load(GITLAB_TEMPLATE.read_text("utf-8"))["genai-hooks"]
    return job


# --- the GitLab template -----------------------------------------------------------------------------


def test_gitlab_template_is_valid_against_gitlab_s_ci_schema() -> None:
    done = check_jsonschema("vendor.gitlab-ci", GITLAB_TEMPLATE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_gitlab_template_defines_one_job_of_gitlab_keywords_only() -> None:
    template = yaml.safe_load(GITLAB_TEMPLATE.read_text("utf-8"))
    assert list(template) == ["genai-hooks"]  # an include adds no global keys to the including pipeline
    assert set(gitlab_job()) <= GITLAB_JOB_KEYWORDS


def test_gitlab_job_runs_on_merge_requests_and_the_default_branch_with_full_history() -> None:
    job = gitlab_job()
    assert [rule["if"] for rule in job["rules"]] == [
        '$CI_PIPELINE_SOURCE == "merge_request_event"',
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
    ]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert any("git lfs pull" in line for line in job["before_script"])
    assert job["artifacts"] == {
        "when": "always",
        "reports": {"junit": "genai-hooks-junit.xml", "codequality": "gl-code-quality-report.json"},
    }


@dataclass(frozen=True)
class MergeRequest:
    """A default branch holding one unapproved deliverable, and a merge request branch adding another."""

    repo: Path
    base: str  # the merge base, CI_MERGE_REQUEST_DIFF_BASE_SHA


@pytest.fixture
def merge_request(tmp_path: Path) -> MergeRequest:
    repo = tmp_path / "nightfall"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "genai.toml").write_text(MANIFEST, "utf-8")
    (repo / "deliverables").mkdir()
    (repo / "deliverables" / "old.png").write_bytes(b"old")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "main")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "deliverables" / "new.png").write_bytes(b"new")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "add a generated deliverable")
    return MergeRequest(repo, base)


@dataclass(frozen=True)
class JobRun:
    status: int
    log: str
    junit_failures: list[str]  # the files of failed test cases
    codequality: list[tuple[str, str]]  # (check_name, path)


def run_gitlab_job(repo: Path, variables: dict[str, str]) -> JobRun:
    """The job's script as a runner runs it (`sh -e`, the image's shell), with this venv's genai-hooks."""
    for report in ("genai-hooks-junit.xml", "gl-code-quality-report.json"):
        (repo / report).unlink(missing_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CI_", "GITHUB_"))}
    env.update(variables, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"], CI="true")
    done = subprocess.run(("sh", "-e", "-c", "\n".join(gitlab_job()["script"])), cwd=repo, env=env,
                          check=False, capture_output=True, text=True, timeout=120)
    junit = ET.parse(repo / "genai-hooks-junit.xml").getroot()
    failures = sorted(case.get("file") or "" for case in junit.iter("testcase") if case.find("failure") is not None)
    issues = json.loads((repo / "gl-code-quality-report.json").read_text("utf-8"))
    quality = sorted((issue["check_name"], issue["location"]["path"]) for issue in issues)
    return JobRun(done.returncode, done.stdout + done.stderr, failures, quality)


@pytest.mark.slow
def test_gitlab_merge_request_pipeline_fails_on_its_own_change_only(merge_request: MergeRequest) -> None:
    run = run_gitlab_job(merge_request.repo, {"CI_PIPELINE_SOURCE": "merge_request_event",
                                              "CI_MERGE_REQUEST_DIFF_BASE_SHA": merge_request.base})
    assert run.status == 1, run.log
    assert f"genai-hooks run --rev HEAD --diff {merge_request.base}" in run.log
    assert run.junit_failures == ["deliverables/new.png"]
    assert "deliverables/new.png" in run.log and "old.png" not in run.log
    # the Code Quality report is a full audit, compared with the target branch's by fingerprint
    assert run.codequality == [("GAI201", "deliverables/new.png"), ("GAI201", "deliverables/old.png")]


@pytest.mark.slow
def test_gitlab_merged_results_pipeline_is_judged_against_the_target_s_tip(merge_request: MergeRequest) -> None:
    repo = merge_request.repo
    git(repo, "checkout", "-q", "main")
    (repo / "deliverables" / "meanwhile.png").write_bytes(b"merged to main after the branch was made")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "meanwhile on main")
    target = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "--detach")
    git(repo, "merge", "-q", "--no-ff", "-m", "merged result", "feature")  # what the runner checks out
    run = run_gitlab_job(repo, {"CI_PIPELINE_SOURCE": "merge_request_event",
                                "CI_MERGE_REQUEST_DIFF_BASE_SHA": merge_request.base,
                                "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": target})
    assert run.status == 1, run.log
    assert run.junit_failures == ["deliverables/new.png"]


@pytest.mark.slow
def test_gitlab_default_branch_pipeline_audits_everything(merge_request: MergeRequest) -> None:
    git(merge_request.repo, "checkout", "-q", "main")
    git(merge_request.repo, "merge", "-q", "feature")
    run = run_gitlab_job(merge_request.repo, {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main",
                                              "CI_DEFAULT_BRANCH": "main"})
    assert run.status == 1, run.log
    assert "--diff" not in run.log
    assert run.junit_failures == ["deliverables/new.png", "deliverables/old.png"]


@pytest.mark.slow
def test_gitlab_job_passes_a_clean_merge_request(merge_request: MergeRequest) -> None:
    repo = merge_request.repo
    git(repo, "checkout", "-q", "-B", "clean", merge_request.base)
    (repo / "notes.txt").write_text("call sheet\n", "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "notes")
    run = run_gitlab_job(repo, {"CI_PIPELINE_SOURCE": "merge_request_event",
                                "CI_MERGE_REQUEST_DIFF_BASE_SHA": merge_request.base})
    assert run.status == 0, run.log
    assert run.junit_failures == []


# --- the reusable GitHub workflow --------------------------------------------------------------------


def test_reusable_workflow_is_valid_against_the_github_workflows_schema() -> None:
    done = check_jsonschema("vendor.github-workflows", REUSABLE_WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_reusable_workflow_is_called_checks_out_everything_and_uploads_under_its_category() -> None:
    workflow = yaml.safe_load(REUSABLE_WORKFLOW.read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert list(triggers) == ["workflow_call"]
    assert set(triggers["workflow_call"]["inputs"]) == {
        "paths", "working-directory", "python-version", "sarif-upload", "sarif-category"}
    job = workflow["jobs"]["genai-hooks"]
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    checkout, check, upload = job["steps"]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"fetch-depth": 0, "lfs": True}
    assert check["uses"].startswith("your-org/genai-hooks@")
    assert check["env"] == {"GENAI_HOOKS_SARIF_CATEGORY": "${{ inputs.sarif-category }}"}
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "genai-hooks.sarif"
    assert upload["with"]["category"] == "${{ inputs.sarif-category }}"
    assert all("run" not in step for step in job["steps"])  # no input is interpolated into a shell script


# --- docs/ci.md shows the set-ups as they are ------------------------------------------------------


def doc_yaml_blocks() -> list[str]:
    """The ```yaml blocks of docs/ci.md, indented ones (in list items) dedented."""
    text = (ROOT / "docs" / "ci.md").read_text("utf-8")
    blocks = re.findall(r"^ *```yaml\n(.*?)^ *```", text, re.DOTALL | re.MULTILINE)
    return [textwrap.dedent(block) for block in blocks]


def doc_block(first_line: str) -> str:
    (block,) = [b for b in doc_yaml_blocks() if b.startswith(first_line + "\n")]
    return block


def test_ci_guide_shows_the_gitlab_job_verbatim_and_includes_the_template_file() -> None:
    template = GITLAB_TEMPLATE.read_text("utf-8")
    assert template[template.index("genai-hooks:\n"):] in doc_yaml_blocks()
    (include,) = yaml.safe_load(doc_block("# .gitlab-ci.yml"))["include"]
    assert (ROOT / include["file"]) == GITLAB_TEMPLATE


@pytest.mark.parametrize(("first_line", "events"), [
    ("# .github/workflows/genai-hooks.yml (calling the reusable workflow)", ["pull_request", "merge_group", "push"]),
    ("# .github/workflows/genai-hooks-policy.yml (in your-org/ci-policies)", ["pull_request", "merge_group"]),
])
def test_ci_guide_calling_workflows_are_valid_and_call_the_reusable_workflow(
        tmp_path: Path, first_line: str, events: list[str]) -> None:
    block = doc_block(first_line)
    workflow_file = tmp_path / "workflow.yml"
    workflow_file.write_text(block, "utf-8")
    done = check_jsonschema("vendor.github-workflows", workflow_file)
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = yaml.safe_load(block)
    assert list(workflow[True]) == events
    called = workflow["jobs"]["genai-hooks"]["uses"]
    assert called == f"your-org/genai-hooks/{REUSABLE_WORKFLOW.relative_to(ROOT).as_posix()}@main"
    assert workflow["jobs"]["genai-hooks"]["permissions"] == {"contents": "read", "security-events": "write"}
