"""GitLab Code Quality (`--format codequality`): GitLab's documented fields, and fingerprints that name one
finding and keep naming it on the next commit."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from conftest import ROOT_MANIFEST, Repo, generated
from findings_factory import (
    empty_result,
    finding,
    hostile_result,
    linkable_result,
    mixed_result,
    sequence_finding,
    timeline_result,
    tool_warning,
)

from genai_hooks.findings import Finding, RunResult, Suppression
from genai_hooks.output import render

# The fields GitLab reads from a Code Quality report ("Implement a custom tool",
# https://docs.gitlab.com/ee/ci/testing/code_quality.html#implement-a-custom-tool); the rest of the Code
# Climate format is ignored, and the parser refuses a byte order mark.
DOCUMENTED_FIELDS = {
    "description", "check_name", "fingerprint", "severity", "location.path", "location.lines.begin",
}
DOCUMENTED_SEVERITIES = ["info", "minor", "major", "critical", "blocker"]
ISSUE_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": DOCUMENTED_SEVERITIES},
            "location": {
                "type": "object",
                "additionalProperties": False,
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^/"}},  # relative
                    "lines": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}
RESULTS = {
    "mixed": mixed_result(),
    "hostile": hostile_result(),
    "empty": empty_result(),
    "timeline": timeline_result(),
    "linkable": linkable_result(),
}


def issues(result: RunResult) -> list[dict[str, Any]]:
    report: list[dict[str, Any]] = json.loads(render(result, "codequality"))
    return report


def leaves(issue: dict[str, Any], prefix: str = "") -> set[str]:
    """The dotted names of an issue's fields, as GitLab's documentation writes them (`location.lines.begin`)."""
    names: set[str] = set()
    for key, value in issue.items():
        names |= leaves(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}"}
    return names


def fingerprint_of(result: RunResult) -> str:
    value: str = issues(result)[0]["fingerprint"]
    return value


# --- the format GitLab reads ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_codequality_issues_have_exactly_gitlab_s_documented_fields(name: str) -> None:
    report = issues(RESULTS[name])
    jsonschema.Draft7Validator(ISSUE_SCHEMA).validate(report)
    assert len(report) == len(RESULTS[name].findings)
    assert all(leaves(issue) == DOCUMENTED_FIELDS for issue in report)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_codequality_fingerprints_are_distinct_within_a_report(name: str) -> None:
    fingerprints = [issue["fingerprint"] for issue in issues(RESULTS[name])]
    assert len(fingerprints) == len(set(fingerprints))


def test_codequality_clean_run_is_an_empty_array() -> None:
    assert render(empty_result(), "codequality") == "[]\n"


def test_codequality_errors_are_major_warnings_minor_and_a_finding_without_a_line_begins_at_1() -> None:
    result = mixed_result()
    report = issues(result)
    assert [issue["severity"] for issue in report] == ["major", "major", "major", "minor"]
    assert [issue["location"]["lines"]["begin"] for issue in report] == [1, 1, 1, 12]
    assert [issue["location"]["path"] for issue in report] == [f.path for f in result.findings]
    assert [issue["check_name"] for issue in report] == ["GAI201", "GAI201", "GAI301", "GAI103"]
    assert report[3]["description"] == (
        "GAI103 tool-not-enterprise: tool 'firefly' does not declare an enterprise environment")


def test_codequality_acknowledged_finding_stays_visible_as_info_with_its_reason() -> None:
    acknowledged = replace(finding("GAI301", "reference/stock/sky.png"),
                           suppressed=Suppression("licensed stock", "jane.doe", "genai.toml", 30))
    open_one = finding("GAI301", "reference/stock/sky.png")
    (issue,) = issues(RunResult("index", 1, (acknowledged,)))
    assert issue["severity"] == "info"
    assert issue["description"].endswith("(acknowledged by jane.doe: licensed stock)")
    assert issue["fingerprint"] == fingerprint_of(RunResult("index", 1, (open_one,)))


def test_codequality_path_that_is_not_utf8_is_valid_unicode_and_the_report_is_ascii() -> None:
    path = b"deliverables/caf\xe9.png".decode("utf-8", "surrogateescape")
    text = render(RunResult("index", 1, (finding(path=path),)), "codequality")
    assert text.isascii() and not text.startswith("\ufeff")
    assert json.loads(text)[0]["location"]["path"] == "deliverables/caf\ufffd.png"


# --- fingerprints: one per finding, the same on the next commit ------------------------------------


def test_codequality_fingerprint_ignores_the_commit_and_counts_in_the_message() -> None:
    one = sequence_finding(240)
    more_frames = sequence_finding(250)
    assert fingerprint_of(RunResult("a" * 40, 240, (one,))) == fingerprint_of(
        RunResult("b" * 40, 250, (more_frames,)))


def test_codequality_fingerprint_of_a_manifest_finding_survives_its_line_moving() -> None:
    warning = tool_warning()
    assert fingerprint_of(RunResult("index", 1, (warning,))) == fingerprint_of(
        RunResult("index", 1, (replace(warning, line=40, manifest_line=40),)))


def test_codequality_fingerprint_tells_rules_paths_sequences_and_entries_apart() -> None:
    def fingerprint(item: Finding) -> str:
        return fingerprint_of(RunResult("index", 1, (item,)))

    frames = sequence_finding()
    other_sequence = replace(frames, path=frames.path.replace("sky_v003", "sky_v004"),
                             files=tuple(p.replace("sky_v003", "sky_v004") for p in frames.files))
    assert len({
        fingerprint(finding("GAI201", "deliverables/a.png")),
        fingerprint(finding("GAI201", "deliverables/b.png")),
        fingerprint(finding("GAI303", "deliverables/a.png")),
        fingerprint(frames),
        fingerprint(other_sequence),
        fingerprint(tool_warning()),
        fingerprint(replace(tool_warning(), message="tool 'kling' does not declare an enterprise environment")),
    }) == 7


def test_codequality_findings_that_read_alike_are_numbered_in_order() -> None:
    clip = finding("GAI302", "cut.otio", subject="clip 'a' at 01:00:00:00")
    first, second, third = (issue["fingerprint"] for issue in issues(RunResult("index", 1, (clip, clip, clip))))
    assert len({first, second, third}) == 3
    assert issues(RunResult("index", 1, (clip,)))[0]["fingerprint"] == first


# --- in a real repository, across commits --------------------------------------------------------


SEQUENCES = ("deliverables/sh020/sky", "deliverables/sh030/sky")


def production(repo: Repo, frames: range, *, preamble: str = "") -> str:
    manifest = ROOT_MANIFEST.replace('terms = "Adobe ETLA 2025 s.4"\n', "")  # GAI104, a warning on the tool
    repo.write("genai.toml", preamble + manifest + generated(["deliverables/**"]))
    repo.write("deliverables/poster.png", b"poster")
    for sequence in SEQUENCES:
        for frame in frames:
            repo.write(f"{sequence}.{frame}.exr", b"frame")
    repo.add()
    return repo.commit()


def report_of(repo: Repo, *args: str) -> dict[tuple[str, str], dict[str, Any]]:
    done = repo.run("run", "--format", "codequality", *args)
    assert done.code == 1, done.err
    report = json.loads(done.out)
    by_finding = {(issue["check_name"], issue["location"]["path"]): issue for issue in report}
    assert len(by_finding) == len(report)
    return by_finding


def test_codequality_fingerprints_stay_when_the_next_commit_moves_lines_and_adds_frames(repo: Repo) -> None:
    production(repo, range(1001, 1004))
    before = report_of(repo, "--rev", "HEAD")
    production(repo, range(1001, 1006), preamble="# Nightfall S1: reviewed by legal 2026-12-01\n\n\n")
    after = report_of(repo, "--rev", "HEAD")
    assert sorted(before) == sorted(after) == [
        ("GAI104", "genai.toml"),
        ("GAI201", "deliverables/poster.png"),
        ("GAI201", "deliverables/sh020/sky.1001.exr"),
        ("GAI201", "deliverables/sh030/sky.1001.exr"),
    ]
    assert after["GAI104", "genai.toml"]["location"]["lines"]["begin"] == (
        before["GAI104", "genai.toml"]["location"]["lines"]["begin"] + 3)
    assert {key: issue["fingerprint"] for key, issue in before.items()} == {
        key: issue["fingerprint"] for key, issue in after.items()}
    assert len({issue["fingerprint"] for issue in after.values()}) == 4
    assert after["GAI201", "deliverables/sh020/sky.1001.exr"]["severity"] == "major"
    assert after["GAI104", "genai.toml"]["severity"] == "minor"


def test_codequality_report_of_the_index_and_of_its_commit_agree(repo: Repo, tmp_path: Path) -> None:
    production(repo, range(1001, 1003))
    output = tmp_path / "gl-code-quality-report.json"
    done = repo.run("run", "--format", "codequality", "--output", str(output))
    assert done.code == 1, done.err
    raw = output.read_bytes()
    assert raw.startswith(b"[") and json.loads(raw) == json.loads(repo.run("run", "--rev", "HEAD", "--format",
                                                                           "codequality").out)
