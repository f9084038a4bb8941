"""Markdown outputs ping no one and link nothing that came from manifests, paths, file metadata or timelines."""

from __future__ import annotations

from typing import Callable

import pytest
from conftest import Repo
from findings_factory import LINKABLE_TEXTS, finding, linkable_result
from gfm_links import linked, raw_html
from hypothesis import given, settings
from hypothesis import strategies as st

from genai_hooks.findings import Note, RunResult
from genai_hooks.output import github, markdown
from genai_hooks.report import markdown_report

RENDERERS: dict[str, Callable[[RunResult], str]] = {"markdown": markdown.render, "step-summary": github.step_summary}


# --- the reader the tests rely on -----------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "@jane", "ask @studio/legal.", "(@jane)", "x,@jane", "\\@jane", "&#64;jane", "`code` @jane ``more``",
    "https://evil.example/x", "\\<https://evil.example/x\\>", "see www.example.com", "jane.doe@example.com",
    "| cell | `code` @jane |",
])
def test_reader_finds_what_github_would_link_or_mention(text: str) -> None:
    assert linked(text)


@pytest.mark.parametrize("text", [
    "`@jane`", "``a`@jane``", "`https://evil.example/x` and `www.example.com`", "\\&#64;jane", "jane at example",
    "| cell | `a\\|@jane` |",
])
def test_reader_leaves_code_spans_and_plain_text_alone(text: str) -> None:
    assert linked(text) == []


# --- run --format markdown and the GitHub step summary --------------------------------------------


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_quoted_paths_messages_evidence_and_notes_ping_no_one_and_link_nothing(name: str) -> None:
    text = RENDERERS[name](linkable_result())
    assert linked(text) == []
    assert not raw_html(text, "script")
    for value in LINKABLE_TEXTS[:-1]:  # still there to read and copy, as code
        assert f"`{value}`" in text
        assert f"`deliverables/{value}/plate.png`" in text


def test_linkable_words_become_code_and_the_punctuation_around_them_stays_prose() -> None:
    text = markdown.render(linkable_result())
    assert ("| `@jane` said \\(`@jane`\\), `x,@jane`. \\*\\*`@jane`\\*\\*, \\<`@jane`\\>; see `@jane`<br>"
            "Evidence \\(medium, software\\): XMP CreatorTool '`@jane`' by `@jane`<br>**Fix:**") in text
    assert ("- `editorial/www.example.com.edl`: clip '`www.example.com`': media reference `www.example.com` "
            "cannot be mapped") in text
    assert "\\<script\\> said \\(\\<script\\>\\)" in text


@pytest.mark.parametrize("message", [
    "WWW.EXAMPLE.COM", "HTTPS://EVIL.EXAMPLE", "<https://evil.example/x>", "jane+tag@example.com",
    "mailto:jane@example.com", "www.", "`@jane`", "a|@jane|b", "line one\n@jane", "tab\t@jane", "[x](https://e.x)",
    "![x](https://evil.example/pixel.png)", "ftp://evil.example", "@@jane", "@jane's",
])
def test_awkward_linkable_messages_stay_inert_inside_their_table_cell(message: str) -> None:
    text = markdown.render(RunResult("index", 1, (finding(message=message),)))
    assert linked(text) == []
    [row] = [line for line in text.splitlines() if line.startswith("| **error**")]
    assert row.count(" | ") == 4  # five cells: nothing broke out of the message cell


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="@:/wW.ajx-_ \t\n&#;4`\\|*<>()[]!~'\",", max_size=40))
def test_no_quoted_text_links_or_mentions_in_any_renderer(value: str) -> None:
    result = RunResult("index", 1, (finding(message=value),), (Note(value or "x", value),))
    assert linked(markdown.render(result)) == []
    assert linked("- " + markdown_report.text(value)) == []


# --- the disclosure report ------------------------------------------------------------------------

LINKABLE_MANIFEST = """\
version = 1

[production]
title = "Nightfall @studio/legal"
contact = "@studio/legal, jane.doe@example.com"

[deliverables]
paths = ["deliverables/**"]

[editorial]
path_map = { "/mnt/show/" = "" }

[tools.firefly]
vendor = "https://evil.example/x"
product = "www.example.com"
trains_on_inputs = false
retains_inputs = false
environment = "enterprise"
terms = "<script> reviewed by @jane"
disclosed = 2025-09-02

[[approvals]]
id = "NFX-1"
covers = ["final-deliverable"]
granted_by = "@studio/legal (jane.doe@example.com)"
date = 2025-09-10

[[generated]]
paths = ["deliverables/@jane/**"]
tool = "firefly"
purpose = "ask @jane at www.example.com or https://evil.example/x"
"""

# a locked cut: one clip uses the generated plate, one names a URL the path map cannot place
LINKABLE_EDL = b"""TITLE: LOCK
FCM: NON-DROP FRAME

001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00
* FROM CLIP NAME:  @jane
* FROM CLIP: /mnt/show/deliverables/@jane/www.example.com.png

002  AX       V     C        00:00:00:00 00:00:01:00 01:00:01:00 01:00:02:00
* FROM CLIP NAME:  @studio/legal
* FROM CLIP: https://evil.example/x.mov
"""


@pytest.fixture
def linkable(repo: Repo) -> Repo:
    repo.write("genai.toml", LINKABLE_MANIFEST)
    repo.write("deliverables/@jane/www.example.com.png", b"x")
    repo.write("deliverables/lock.edl", LINKABLE_EDL)
    repo.add()
    return repo


def test_report_quotes_manifests_paths_and_timelines_without_mentions_or_links(linkable: Repo) -> None:
    done = linkable.run("report", "--as-of", "2025-12-01")
    assert done.code == 0, done.err
    report = done.out
    assert linked(report) == []
    assert not raw_html(report, "script")
    assert "# Generative-AI disclosure: Nightfall `@studio/legal`\n" in report
    assert "**Contact:** `@studio/legal`, `jane.doe@example.com`  \n" in report
    assert "### `firefly`: `https://evil.example/x`, `www.example.com`\n" in report
    assert "- Terms: \\<script\\> reviewed by `@jane` · " in report
    assert "### ask `@jane` at `www.example.com` or `https://evil.example/x`\n" in report
    assert "- Granted by `@studio/legal` (`jane.doe@example.com`) on 2025-09-10" in report
    assert "- `deliverables/lock.edl`: clip '`@jane`' at 01:00:00:00 uses `deliverables/@jane/www.example.com.png`" \
        in report
    assert ("1 media reference(s) cannot be mapped into the repository, so their clips are not cleared: "
            "'`https://evil.example/x.mov`'") in report  # GAI305, one finding per timeline
