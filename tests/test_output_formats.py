"""The CI formats (SARIF, GitHub workflow commands, JUnit, Markdown) over hand-built results."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import jsonschema  # type: ignore[import-untyped]
import pytest
from findings_factory import (
    HOSTILE_PATHS,
    empty_result,
    finding,
    hostile_result,
    linkable_result,
    mixed_result,
    sequence_finding,
    timeline_result,
)

from genai_hooks.findings import Note, RunResult, Severity
from genai_hooks.output import github, junit, markdown, render, sarif
from genai_hooks.rules import RULES

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
RESULTS = {
    "mixed": mixed_result(),
    "hostile": hostile_result(),
    "empty": empty_result(),
    "timeline": timeline_result(),
    "linkable": linkable_result(),
}
# RFC 3986 relative-ref made only of unreserved characters, "/" and percent-encoded octets
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+")


def sarif_log(result: RunResult) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render(result, "sarif"))
    return log


# --- SARIF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_sarif_log_is_valid_against_the_2_1_0_schema(name: str) -> None:
    validator = jsonschema.Draft7Validator(SARIF_SCHEMA)
    errors = sorted(validator.iter_errors(sarif_log(RESULTS[name])), key=str)
    assert errors == []


def test_sarif_driver_lists_every_rule_with_help_fix_example_and_default_level() -> None:
    driver = sarif_log(empty_result())["runs"][0]["tool"]["driver"]
    assert driver["name"] == "genai-hooks"
    assert driver["version"]
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    for descriptor in driver["rules"]:
        rule = RULES[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert rule.why in descriptor["fullDescription"]["text"]
        for help_format in ("text", "markdown"):
            assert rule.fix in descriptor["help"][help_format]
            assert rule.example in descriptor["help"][help_format]
        assert descriptor["defaultConfiguration"]["level"] == rule.default.value


def test_sarif_results_keep_finding_order_with_rule_index_and_explicit_level() -> None:
    result = mixed_result()
    run = sarif_log(result)["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == [f.rule for f in result.findings]
    for sarif_result, source in zip(run["results"], result.findings):
        assert run["tool"]["driver"]["rules"][sarif_result["ruleIndex"]]["id"] == source.rule
        assert sarif_result["level"] == source.severity.value
        assert sarif_result["message"]["text"] == f"{source.message}\nFix: {source.fix}"


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_sarif_uri_is_a_percent_encoded_reference_that_decodes_to_the_exact_path(path: str) -> None:
    log = sarif_log(RunResult("index", 1, (finding("GAI201", path),)))
    artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert URI_REFERENCE.fullmatch(artifact["uri"])
    assert unquote_to_bytes(artifact["uri"]) == path.encode("utf-8")
    assert artifact["uriBaseId"] == "%SRCROOT%"


def test_sarif_uri_keeps_the_bytes_of_a_path_that_is_not_utf8() -> None:
    path = b"deliverables/caf\xe9.png".decode("utf-8", "surrogateescape")
    text = render(RunResult("index", 1, (finding("GAI201", path),)), "sarif")
    assert text.isascii()
    sarif_result = json.loads(text)["runs"][0]["results"][0]
    assert sarif_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "deliverables/caf%E9.png"
    )
    assert sarif_result["properties"]["files"] == ["deliverables/caf\ufffd.png"]


def test_sarif_region_is_given_only_when_the_line_is_known() -> None:
    log = sarif_log(RunResult("index", 2, (finding(line=None), finding(path="genai.toml", line=12))))
    media, manifest = (r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"])
    assert "region" not in media
    assert manifest["region"] == {"startLine": 12}


def test_sarif_points_at_the_declaring_manifest_entry_as_a_related_location() -> None:
    log = sarif_log(RunResult("index", 1, (finding(manifest="shots/genai.toml", manifest_line=9),)))
    related = log["runs"][0]["results"][0]["relatedLocations"][0]["physicalLocation"]
    assert related == {
        "artifactLocation": {"uri": "shots/genai.toml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 9},
    }


def test_sarif_properties_carry_every_frame_of_a_sequence_and_the_evidence() -> None:
    result = mixed_result()
    sequence, with_evidence = sarif_log(result)["runs"][0]["results"][1:3]
    assert sequence["properties"]["files"] == list(result.findings[1].files)
    assert len(sequence["properties"]["files"]) == 240
    assert with_evidence["properties"]["evidence"] == [
        {"kind": e.kind, "strength": e.strength.value, "detail": e.detail}
        for e in result.findings[2].evidence
    ]


def test_sarif_fingerprint_survives_a_new_message_and_tells_paths_apart() -> None:
    def fingerprint(**kwargs: Any) -> str:
        results = sarif_log(RunResult("index", 1, (finding(**kwargs),)))["runs"][0]["results"]
        value: str = results[0]["partialFingerprints"][sarif.FINGERPRINT_KEY]
        return value

    assert fingerprint(message="expired 2025-01-01") == fingerprint(message="expired 2025-02-01")
    assert fingerprint(path="deliverables/a.png") != fingerprint(path="deliverables/b.png")
    assert fingerprint(path="genai.toml", line=3) != fingerprint(path="genai.toml", line=30)


def test_sarif_notes_are_tool_execution_notifications() -> None:
    invocation = sarif_log(mixed_result())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == [
        "editorial/locked/reel1.edl",
        "missing/path.exr",
    ]
    assert all(n["level"] == "note" for n in notes)


def test_sarif_output_is_byte_identical_across_runs() -> None:
    assert render(mixed_result(), "sarif") == render(mixed_result(), "sarif")


# --- GitHub workflow commands --------------------------------------------------------------------


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """The runner's reading of `::command k=v,k=v::data`, unescaping as actions/runner does."""
    match = re.fullmatch(r"::([a-z]+)(?: ([^:]*))?::(.*)", line)
    assert match, line
    command, raw_properties, data = match.groups()
    properties: dict[str, str] = {}
    for pair in (raw_properties or "").split(","):
        if pair:
            key, value = pair.split("=", 1)
            properties[key] = _unescape(value, property_value=True)
    return command, properties, _unescape(data, property_value=False)


def _unescape(value: str, *, property_value: bool) -> str:
    value = value.replace("%0D", "\r").replace("%0A", "\n")
    if property_value:
        value = value.replace("%3A", ":").replace("%2C", ",")
    return value.replace("%25", "%")


def test_github_annotation_per_finding_with_file_line_title_and_fix() -> None:
    result = mixed_result()
    lines = render(result, "github").splitlines()
    commands = [parse_workflow_command(line) for line in lines[: len(result.findings)]]
    assert [c[0] for c in commands] == ["error", "error", "error", "warning"]
    _command, properties, message = commands[3]
    assert properties == {"file": "genai.toml", "line": "12", "title": "GAI103 tool-not-enterprise"}
    assert message == f"{result.findings[3].message}\nFix: {RULES['GAI103'].fix}"
    assert "line" not in commands[0][1]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_github_annotation_round_trips_a_hostile_path_on_one_line(path: str) -> None:
    message = f"{path} broke %0A and ::error::x"
    lines = render(RunResult("index", 1, (finding(path=path, message=message),)), "github").splitlines()
    assert len(lines) == 2
    _, properties, data = parse_workflow_command(lines[0])
    visible = path.replace("\x07", "\\x07").replace("\x1b", "\\x1b")
    assert properties["file"] == visible
    assert data.startswith(message.replace(path, visible) + "\nFix: ")


def test_github_notes_are_notices_and_the_last_line_sums_up() -> None:
    lines = render(mixed_result(), "github").splitlines()
    notices = [parse_workflow_command(line) for line in lines if line.startswith("::notice")]
    assert [(p["file"], m) for _, p, m in notices] == [
        (
            "editorial/locked/reel1.edl",
            "clip 'sh030' refers to /Volumes/ext/sh030.mov, outside the repository",
        ),
        ("missing/path.exr", "not in the snapshot; skipped"),
    ]
    assert lines[-1] == "genai-hooks: 3 errors, 1 warning in 1234 files checked."


def test_github_output_cannot_be_hijacked_by_a_newline_in_a_note() -> None:
    lines = render(hostile_result(), "github").splitlines()
    assert len(lines) == len(HOSTILE_PATHS) + 2
    assert all(line.startswith("::") for line in lines[:-1])
    assert not any(line.startswith("::warning::injected") for line in lines)


def test_github_step_summary_is_the_markdown_report() -> None:
    assert github.step_summary(mixed_result()) == markdown.render(mixed_result())


def test_github_clean_run_prints_only_the_summary() -> None:
    assert render(empty_result(3), "github") == "genai-hooks: 0 errors, 0 warnings in 3 files checked.\n"


# --- JUnit ---------------------------------------------------------------------------------------


def junit_tree(result: RunResult) -> ET.Element:
    return ET.fromstring(render(result, "junit").encode("utf-8"))


def test_junit_fails_a_test_case_per_error_and_passes_warnings_with_their_text() -> None:
    root = junit_tree(mixed_result())
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "genai-hooks"
    assert (root.get("tests"), root.get("failures")) == ("4", "3")
    assert (suite.get("tests"), suite.get("failures")) == ("4", "3")
    cases = suite.findall("testcase")
    assert [case.get("classname") for case in cases] == [
        "GAI201 deliverable-without-approval",
        "GAI201 deliverable-without-approval",
        "GAI301 undeclared-generated-media",
        "GAI103 tool-not-enterprise",
    ]
    assert [case.find("failure") is not None for case in cases] == [True, True, True, False]
    failure = cases[0].find("failure")
    assert failure is not None and RULES["GAI201"].fix in (failure.text or "")
    warning = cases[3]
    assert warning.get("name") == "GAI103 genai.toml:12"
    assert "tool 'firefly'" in (warning.findtext("system-out") or "")


def test_junit_lists_every_frame_of_a_sequence_in_the_failure() -> None:
    root = junit_tree(RunResult("index", 240, (sequence_finding(),)))
    text = root.findtext("testsuite/testcase/failure") or ""
    assert "Files (240):" in text
    assert "sh020_sky_v003.1240.exr" in text


def test_junit_clean_run_has_one_passing_test_case() -> None:
    root = junit_tree(empty_result())
    cases = root.findall("testsuite/testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [("genai-hooks", "genai-hooks")]
    assert cases[0].find("failure") is None
    assert root.get("tests") == "1" and root.get("failures") == "0"


def test_junit_hostile_paths_parse_and_keep_what_xml_can_hold() -> None:
    root = junit_tree(hostile_result())
    names = [case.get("file") for case in root.findall("testsuite/testcase")]
    expected = [p.replace("\x07", "\\x07").replace("\x1b", "\\x1b") for p in HOSTILE_PATHS]
    assert names == expected
    assert "::warning::injected" in (root.findtext("testsuite/system-out") or "")


def test_junit_is_ascii_so_any_writer_encoding_keeps_it_intact() -> None:
    assert render(hostile_result(), "junit").isascii()


def test_junit_names_each_case_by_rule_path_and_line_or_clip() -> None:
    cases = junit_tree(timeline_result()).findall("testsuite/testcase")
    assert [case.get("name") for case in cases] == [
        "GAI201 deliverables/sh020/mood.png",
        "GAI301 deliverables/sh020/mood.png",
        "GAI302 editorial/locked/reel1.otio: clip 'mood' at 01:00:00:00",
        "GAI302 editorial/locked/reel1.otio: clip 'sh020_sky' at 01:00:02:00",
        "GAI302 editorial/locked/reel1.otio: clip 'sh020_sky' at 01:00:02:00 (2)",  # stacked on V1 and V2
        "GAI103 genai.toml:9",
        "GAI104 genai.toml:9",
        "GAI105 genai.toml:9",
    ]
    assert [case.get("file") for case in cases[2:5]] == ["editorial/locked/reel1.otio"] * 3


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_junit_test_case_names_are_unique(name: str) -> None:
    names = [case.get("name") for case in junit_tree(RESULTS[name]).findall("testsuite/testcase")]
    assert len(names) == len(set(names)) >= 1


def test_junit_suffix_never_takes_the_name_another_finding_has_by_itself() -> None:
    clip = finding("GAI302", "cut.otio", subject="clip 'a' at 01:00:00:00")
    lookalike = finding("GAI302", "cut.otio", subject="clip 'a' at 01:00:00:00 (2)")
    base = "GAI302 cut.otio: clip 'a' at 01:00:00:00"
    assert junit.case_names((clip, clip, lookalike, clip)) == [base, f"{base} (3)", f"{base} (2)", f"{base} (4)"]


def test_junit_paths_that_read_alike_in_xml_get_distinct_names() -> None:
    first, second = (b"deliverables/caf\xe9.png", b"deliverables/caf\xe8.png")
    findings = tuple(finding(path=raw.decode("utf-8", "surrogateescape")) for raw in (first, second))
    names = [case.get("name") for case in junit_tree(RunResult("index", 2, findings)).findall("testsuite/testcase")]
    assert names == ["GAI201 deliverables/caf\ufffd.png", "GAI201 deliverables/caf\ufffd.png (2)"]


def test_junit_numbers_many_repeats_of_one_clip_in_order() -> None:
    clip = finding("GAI302", "cut.otio", subject="clip 'a' at 01:00:00:00")
    names = junit.case_names((clip,) * 100_000)
    assert len(set(names)) == 100_000
    assert names[-1] == "GAI302 cut.otio: clip 'a' at 01:00:00:00 (100000)"


# --- Markdown ------------------------------------------------------------------------------------


def table_rows(text: str) -> list[list[str]]:
    """Cells of the GFM table as GitHub splits them: on pipes not escaped with a backslash."""
    rows = []
    for line in text.splitlines():
        if line.startswith("| "):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            rows.append([cell.strip() for cell in cells])
    return rows


def test_markdown_has_heading_summary_table_and_notes() -> None:
    text = render(mixed_result(), "markdown")
    assert text.startswith("## genai-hooks\n")
    assert "**Failed:** 3 errors, 1 warning in 1234 files checked (commit `0123456789ab`)." in text
    rows = table_rows(text)
    assert rows[0] == ["Severity", "Rule", "Path", "Line", "Message"]
    assert len(rows) == 1 + len(mixed_result().findings)
    assert rows[4][:4] == ["warning", "GAI103 tool-not-enterprise", "`genai.toml`", "12"]
    assert "### Notes" in text and "`missing/path.exr`: not in the snapshot; skipped" in text


def test_markdown_hostile_paths_stay_inside_their_cell() -> None:
    text = render(hostile_result(), "markdown")
    rows = table_rows(text)
    assert len(rows) == 1 + len(HOSTILE_PATHS)
    assert all(len(row) == 5 for row in rows)
    paths = [row[2] for row in rows[1:]]
    assert "``deliverables/pipe\\|and`tick`.png``" in paths
    assert "`deliverables/line\\nbreak\\r.png`" in paths
    assert "<script>" not in text.replace("`deliverables/<script>alert(1)</script>&amp;.png`", "")


def test_markdown_clean_run_reads_as_a_pass_without_a_table() -> None:
    text = render(empty_result(3), "markdown")
    assert "**Passed:** no findings in 3 files checked (the index)." in text
    assert "|" not in text


def test_markdown_warnings_only_is_a_pass_with_warnings() -> None:
    result = RunResult("index", 1, (finding("GAI103", "genai.toml", line=2, severity=Severity.WARNING),))
    assert "**Passed** with 1 warning in 1 file checked" in render(result, "markdown")


def test_markdown_stays_under_the_comment_limit_and_says_what_it_left_out() -> None:
    findings = tuple(finding(path=f"deliverables/shot{i:05d}/frame.png") for i in range(5000))
    notes = tuple(Note(f"missing/{i}.exr", "not in the snapshot; skipped") for i in range(5000))
    text = render(RunResult("index", 5000, findings, notes), "markdown")
    assert len(text) <= markdown.MAX_CHARS
    assert re.search(r"_\d+ more findings not shown here", text)
    assert re.search(r"_\d+ more notes not shown\._", text)


def test_junit_and_markdown_registered_formats_render_the_same_as_their_modules() -> None:
    assert render(mixed_result(), "junit") == junit.render(mixed_result())
    assert render(mixed_result(), "markdown") == markdown.render(mixed_result())
