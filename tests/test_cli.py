"""The command line: explain, schema, init, version, and bad input (one line, exit 2, no traceback)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT_MANIFEST, Repo, generated

from genai_hooks import __version__
from genai_hooks.cli import build_parser
from genai_hooks.rules import RULES


def test_version(repo: Repo) -> None:
    done = repo.run("--version")
    assert done.code == 0 and done.out.strip() == f"genai-hooks {__version__}"


def test_explain_lists_every_rule_and_explains_one(repo: Repo) -> None:
    listing = repo.run("explain")
    assert listing.code == 0
    assert all(rule_id in listing.out for rule_id in RULES)
    one = repo.run("explain", "GAI201")
    assert one.code == 0
    for part in ("deliverable-without-approval", "Why:", "Guidance: Principle 4", "How to fix:", "Example:"):
        assert part in one.out
    unknown = repo.run("explain", "GAI2O1")
    assert unknown.code == 2 and "did you mean GAI201?" in unknown.err


@pytest.mark.parametrize("name", ["deliverable-without-approval", "Deliverable-Without-Approval", "gai201"])
def test_explain_takes_a_rule_by_the_name_findings_print(repo: Repo, name: str) -> None:
    done = repo.run("explain", name)
    assert done.code == 0 and done.out == repo.run("explain", "GAI201").out


def test_explain_an_unknown_name_is_exit_2_with_the_nearest_name(repo: Repo) -> None:
    done = repo.run("explain", "deliverable-without-aproval")
    assert done.code == 2 and "did you mean deliverable-without-approval?" in done.err
    nothing = repo.run("explain", "no-such-rule-at-all")
    assert nothing.code == 2 and "unknown rule" in nothing.err and len(nothing.err.splitlines()) == 1


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    chooser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(chooser.choices)


def test_help_walks_every_subcommand() -> None:
    assert {"init", "explain", "schema", "run", "report", "acknowledge"} <= set(_subcommands())


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_subcommand_help_describes_it_and_each_positional(repo: Repo, name: str) -> None:
    sub = _subcommands()[name]
    done = repo.run(name, "--help")
    assert done.code == 0
    flat = " ".join(done.out.split())  # argparse wraps to the terminal's width
    assert sub.description and " ".join(sub.description.split())[:60] in flat
    positionals = [a for a in sub._actions if not a.option_strings]
    for action in positionals:
        assert action.help, f"{name} {action.metavar or action.dest} has no help"
        assert " ".join(action.help.split())[:40] in flat


def test_schema_is_draft_2020_12(repo: Repo) -> None:
    done = repo.run("schema")
    document = json.loads(done.out)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "tools" in document["properties"]


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(repo: Repo) -> None:
    (repo.root / "deliverables").mkdir()
    (repo.root / "editorial" / "locked").mkdir(parents=True)
    done = repo.run("init")
    assert done.code == 0 and "genai-hooks-audit" in done.out
    text = (repo.root / "genai.toml").read_text()
    assert '"deliverables/**", "editorial/locked/**"' in text
    repo.add()
    audit = repo.check()
    assert audit.code == 0 and audit.rules() == ["GAI002"], audit.out  # valid; it asks for title and contact
    again = repo.run("init")
    assert again.code == 2 and "already exists" in again.err


@pytest.mark.parametrize("args,fragment", [
    (("run", "--format", "yaml"), "invalid choice: 'yaml'"),
    (("run", "--as-of", "yesterday"), "is not a date"),
    (("run", "--bogus"), "unrecognized arguments: --bogus"),
    (("frobnicate",), "invalid choice: 'frobnicate'"),
])
def test_bad_arguments_are_one_line_exit_2(repo: Repo, args: tuple, fragment: str) -> None:
    done = repo.run(*args)
    assert done.code == 2
    assert fragment in done.err and len(done.err.strip().splitlines()) == 1 and "Traceback" not in done.err


def test_unwritable_output_is_exit_2(repo: Repo, tmp_path: Path) -> None:
    repo.write("a.txt")
    repo.add()
    done = repo.run("run", "--output", str(tmp_path / "missing-dir" / "out.json"))
    assert done.code == 2 and "cannot write --output" in done.err


def test_output_file_is_written(repo: Repo, tmp_path: Path) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/a.exr")
    repo.add()
    target = tmp_path / "result.json"
    done = repo.run("run", "--format", "json", "--output", str(target))
    assert done.code == 1 and done.out == ""
    assert json.loads(target.read_text())["summary"]["errors"] == 1


def test_text_output_tells_an_artist_what_to_do(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/sky.exr")
    repo.add()
    done = repo.run("run", "deliverables/sky.exr")
    lines = done.out.splitlines()
    assert lines[0].startswith("deliverables/sky.exr: error GAI201 deliverable-without-approval:")
    assert lines[1].startswith("  fix: ")
    assert lines[-1].startswith("genai-hooks: blocked — 1 error, 0 warnings in 1 file checked (index)")
    assert "\033[" not in done.out  # not a terminal: no colour


def test_json_shape_matches_the_contract(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/sky.exr")
    repo.add()
    document = repo.check().json
    assert set(document) == {"version", "tool", "snapshot", "summary", "findings", "notes"}
    assert document["tool"] == {"name": "genai-hooks", "version": __version__}
    assert document["summary"] == {"files_checked": 2, "errors": 1, "warnings": 0, "suppressed": 0, "inspected": 0,
                                   "uninspected_formats": 0, "unchecked_approvals": 0, "unapplied_manifests": []}
    assert {"rule", "name", "severity", "path", "line", "message", "manifest", "manifest_line", "files",
            "evidence"} <= set(document["findings"][0])


def test_console_script_is_installed() -> None:
    import shutil
    import subprocess

    script = shutil.which("genai-hooks") or str(Path(sys.executable).with_name("genai-hooks"))
    done = subprocess.run([script, "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and __version__ in done.stdout
