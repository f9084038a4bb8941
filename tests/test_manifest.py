from __future__ import annotations

import datetime
import json

import pytest
from conftest import ROOT_MANIFEST

from genai_hooks.manifest import ManifestInvalid, parse_manifest
from genai_hooks.schema import json_schema


def problems(text: str, *, is_root: bool = True, path: str = "genai.toml") -> list:
    with pytest.raises(ManifestInvalid) as error:
        parse_manifest(path, text.encode(), is_root=is_root)
    return [(p.line, p.message) for p in error.value.problems]


def test_valid_manifest_becomes_a_frozen_model() -> None:
    text = ROOT_MANIFEST + '\n[[generated]]\npaths = ["previs/**"]\ntool = "firefly"\napproval = ["A-1", "A-2"]\n'
    manifest = parse_manifest("shots/genai.toml", text.encode(), is_root=True)
    assert manifest.directory == "shots"
    assert manifest.tools[0].disclosed == datetime.date(2025, 9, 2)
    assert manifest.tools[0].line == 10
    entry = manifest.generated[0]
    assert entry.approvals == ("A-1", "A-2")
    assert entry.line == 19
    assert entry.patterns[0].matches("shots/previs/x.png")
    assert manifest.deliverables[0].matches("shots/deliverables/a.exr")


def test_misspelled_key_names_line_and_nearest_valid_key() -> None:
    text = '[tools.firefly]\nvendor = "Adobe"\ntrains_on_input = false\n'
    assert problems(text) == [(3, "unknown key 'trains_on_input' in [tools.firefly]; did you mean 'trains_on_inputs'?")]


def test_misspelled_table_is_reported_with_suggestion() -> None:
    [(line, message)] = problems('version = 1\n\n[deliverable]\npaths = ["x/**"]\n')
    assert line == 3 and "did you mean 'deliverables'?" in message


def test_wrong_type_missing_key_and_bad_enum_are_each_reported() -> None:
    text = ('[tools.a]\nvendor = 3\nenvironment = "cloud"\n\n[[generated]]\npaths = ["x/**"]\n\n'
            '[[approvals]]\nid = "A"\ncovers = ["final-deliverable"]\ngranted_by = "Legal"\ndate = "2025-01-01"\n')
    found = problems(text)
    assert (2, "'vendor' in [tools.a] must be a string") in found
    assert any(line == 3 and "'cloud'" in m and "enterprise, on-premises, consumer" in m for line, m in found)
    assert (5, "[[generated]] #1 is missing the required key 'tool'") in found
    assert any(line == 12 and "'date'" in m and "date" in m for line, m in found)


def test_root_only_table_in_nested_manifest_is_refused() -> None:
    [(line, message)] = problems('[[generated]]\npaths = ["a"]\ntool = "t"\n\n[policy]\nseverity = {}\n',
                                 is_root=False, path="shots/genai.toml")
    assert line == 5 and "[policy] belongs in the root manifest only" in message


@pytest.mark.parametrize("pattern,fragment", [
    ("../outside/**", "leaves the manifest's directory"),
    ("/mnt/abs/**", "is absolute"),
    ("a/**.exr", "did you mean 'a/**/*.exr'?"),
    ("a/v[9-1].exr", "bad character class [9-1]"),
])
def test_patterns_that_leave_or_break_are_refused(pattern: str, fragment: str) -> None:
    [(line, message)] = problems(f'[deliverables]\npaths = ["{pattern}"]\n')
    assert line == 2 and fragment in message


def test_empty_paths_version_and_bad_toml() -> None:
    assert problems('[deliverables]\npaths = []\n')[0][1].startswith("'paths' in [deliverables] is empty")
    assert problems("version = 2\n") == [(1, "version 2 is not supported; 1 is the only version")]
    [(line, message)] = problems('version = 1\n[tools.a\nvendor = "x"\n')
    assert line == 2 and message.startswith("invalid TOML")


def test_duplicate_approval_id_and_unknown_policy_rule() -> None:
    approval = '[[approvals]]\nid = "A"\ncovers = ["final-deliverable"]\ngranted_by = "L"\ndate = 2025-01-01\n'
    found = problems(approval + "\n" + approval)
    assert any("approval id 'A' is declared twice" in m for _, m in found)
    found = problems('[policy]\nseverity = { GAI10 = "off", GAI001 = "off" }\n')
    assert any("unknown rule 'GAI10'" in m for _, m in found)
    assert any("GAI001 (invalid-manifest) cannot be turned off" in m for _, m in found)


def test_not_utf8_is_one_clear_problem() -> None:
    with pytest.raises(ManifestInvalid) as error:
        parse_manifest("genai.toml", b"\xff\xfe[tools]", is_root=True)
    assert error.value.problems[0].message.startswith("not UTF-8")


def test_json_schema_lists_every_table_and_validates_a_real_manifest() -> None:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    import jsonschema

    schema = json_schema()
    assert set(schema["properties"]) == {"version", "production", "deliverables", "archival", "tools", "generated",
                                         "models", "approvals", "detect", "editorial", "policy", "acknowledged"}
    document = json.loads(json.dumps(tomllib.loads(ROOT_MANIFEST), default=str))
    jsonschema.Draft202012Validator(schema).validate(document)
    bad = dict(document, tools={"x": {"vendr": "Adobe"}})
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_lines_survive_strings_with_brackets_hashes_and_multiline_values() -> None:
    text = ('[production]\ntitle = "Show # [1]"\ncontact = """multi\n[not a table]\nline"""\n'
            '[tools.a]\nvendor = "V"\nmarkers = [\n  "x]",\n  "# y",\n]\nvendr = "typo"\n')
    [(line, message)] = problems(text)
    assert line == 12 and "did you mean 'vendor'?" in message


def test_editorial_rate_must_be_a_timecode_rate() -> None:
    [(line, message)] = problems('[editorial]\npath_map = {}\nrate = 7\n')
    assert line == 3 and "not a timecode rate" in message and "23.976" in message
    parse_manifest("genai.toml", b"[editorial]\nrate = 29.97\n", is_root=True)
