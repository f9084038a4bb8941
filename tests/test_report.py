"""`genai-hooks report`: the disclosure report, built from a full audit of real git repositories."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT_MANIFEST, Repo, generated
from PIL import Image

from genai_hooks.report.html_report import esc

CHROMIUM = Path("/usr/bin/chromium")
LFS_OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
LFS_POINTER = f"version https://git-lfs.github.com/spec/v1\noid sha256:{LFS_OID}\nsize 123456789\n"
PATTERNED = ROOT_MANIFEST.replace('contact = "jane.doe@example.com"',
                                  'contact = "jane.doe@example.com"\napproval_pattern = "NFX-GAI-[0-9]{4,}"')
REGISTER = """
[[approvals]]
id = "NFX-GAI-0001"
covers = ["final-deliverable"]
granted_by = "Netflix Production Legal"
date = 2025-09-10
expires = 2026-01-31

[[approvals]]
id = "NFX-GAI-0002"
covers = ["final-deliverable", "third-party-ip"]
granted_by = "Netflix Production Legal"
date = 2025-09-12

[[approvals]]
id = "NFX-GAI-0003"
covers = ["talent-likeness"]
granted_by = "Netflix Talent Relations"
date = 2024-06-01
expires = 2025-01-01
"""


def report(repo: Repo, *args: str) -> dict[str, Any]:
    done = repo.run("report", "--format", "json", *args)
    assert done.code == 0, done.err
    data: dict[str, Any] = json.loads(done.out)
    return data


def entry_for(data: dict[str, Any], pattern: str) -> dict[str, Any]:
    entries: list[dict[str, Any]] = [e for e in data["generated"] if pattern in e["paths"]]
    [entry] = entries
    return entry


@pytest.fixture
def show(repo: Repo) -> Repo:
    """A show with a register, entries in every approval situation, an LFS pointer and a nested manifest."""
    repo.write("genai.toml", PATTERNED + REGISTER
               + generated(["shots/**/previs/**"], purpose="previs")
               + generated(["deliverables/sky/**"], approval="NFX-GAI-0001", purpose="sky")
               + generated(["deliverables/matte/**"], purpose="matte")
               + generated(["deliverables/logo/**"], approval="NFX-GAI-0002", sensitive=["third-party-ip"])
               + generated(["shots/face/**"], sensitive=["talent-likeness"])
               + generated(["deliverables/typo/**"], approval="NFX-GAI-9999")
               + generated(["deliverables/ill/**"], approval="nfx-42"))
    repo.write("shots/sq010/previs/a.png", b"a" * 1000)
    repo.write("shots/sq010/previs/b.png", b"b" * 500)
    repo.write("shots/sq010/previs/own/genai.toml", generated(["c.png"], purpose="nested wins"))
    repo.write("shots/sq010/previs/own/c.png", b"c" * 300)
    for frame in range(1001, 1004):
        repo.write(f"deliverables/sky/sky.{frame}.exr", b"s" * 2000)
    repo.write("deliverables/sky/plate.exr", LFS_POINTER)
    repo.write("deliverables/matte/m.exr", b"m" * 10)
    repo.write("deliverables/logo/logo.png", b"l" * 20)
    repo.write("shots/face/f.png", b"f" * 30)
    repo.write("deliverables/typo/t.exr", b"t")
    repo.write("deliverables/ill/i.exr", b"i")
    repo.write("notes.txt", "not generated")
    repo.add()
    repo.commit("show")
    return repo


# --- accuracy ----------------------------------------------------------------------------------------


def test_each_entry_counts_the_files_it_wins_and_their_media_size(show: Repo) -> None:
    data = report(show, "--as-of", "2025-12-01")
    previs = entry_for(data, "shots/**/previs/**")
    assert (previs["files"], previs["deliverable_files"], previs["bytes"]) == (2, 0, 1500)  # c.png: nested wins
    nested = entry_for(data, "c.png")
    assert (nested["manifest"], nested["files"], nested["bytes"]) == ("shots/sq010/previs/own/genai.toml", 1, 300)
    sky = entry_for(data, "deliverables/sky/**")
    assert (sky["files"], sky["deliverable_files"], sky["lfs_files"]) == (4, 4, 1)
    assert sky["bytes"] == 3 * 2000 + 123456789  # the pointer's `size` line, not the pointer's own size
    summary = data["summary"]
    assert summary["files"] == len(show.git("ls-files").split())
    assert summary["generated_files"] == sum(e["files"] for e in data["generated"]) == 12
    assert summary["generated_deliverable_files"] == 8
    assert summary["generated_bytes"] == 1500 + 300 + 6000 + 123456789 + 10 + 20 + 30 + 1 + 1


def test_tools_carry_their_attestations_and_what_they_made(show: Repo) -> None:
    show.write("genai.toml", (show.root / "genai.toml").read_text() + '\n[tools.sketchy]\nvendor = "Acme"\n')
    show.add()
    [firefly, sketchy] = report(show)["tools"]
    assert firefly == {
        "id": "firefly", "manifest": "genai.toml", "line": firefly["line"], "vendor": "Adobe",
        "product": "Firefly Image 3 (enterprise tenant)", "trains_on_inputs": False, "retains_inputs": False,
        "environment": "enterprise", "terms": "Adobe ETLA 2025 s.4", "disclosed": "2025-09-02", "markers": [],
        "entries": 8, "files": 12, "deliverable_files": 8, "bytes": 123464651, "lfs_files": 1,
    }
    assert (show.root / "genai.toml").read_text().splitlines()[firefly["line"] - 1] == "[tools.firefly]"
    assert (sketchy["trains_on_inputs"], sketchy["retains_inputs"], sketchy["environment"], sketchy["terms"],
            sketchy["disclosed"], sketchy["entries"], sketchy["files"]) == (None, None, None, None, None, 0, 0)


def test_entries_show_why_an_approval_is_needed_and_whether_it_holds(show: Repo) -> None:
    data = report(show, "--as-of", "2025-12-01")
    status = {e["paths"][0]: (e["approval_status"], e["needs"], e["uncovered"],
                              [(a["id"], a["state"]) for a in e["approvals"]]) for e in data["generated"]}
    assert status == {
        "shots/**/previs/**": ("not needed", [], [], []),
        "c.png": ("not needed", [], [], []),
        "deliverables/sky/**": ("covered", ["final-deliverable"], [], [("NFX-GAI-0001", "valid")]),
        "deliverables/matte/**": ("missing", ["final-deliverable"], ["final-deliverable"], []),
        "deliverables/logo/**": ("covered", ["final-deliverable", "third-party-ip"], [], [("NFX-GAI-0002", "valid")]),
        "shots/face/**": ("missing", ["talent-likeness"], ["talent-likeness"], []),
        "deliverables/typo/**": ("not covered", ["final-deliverable"], ["final-deliverable"],
                                 [("NFX-GAI-9999", "unknown")]),
        "deliverables/ill/**": ("not covered", ["final-deliverable"], ["final-deliverable"], [("nfx-42", "unknown")]),
    }


@pytest.mark.parametrize(("as_of", "state", "days_left", "entry_status"), [
    ("2025-12-01", "valid", 61, "covered"),
    ("2026-01-01", "expiring", 30, "covered"),
    ("2026-01-31", "expiring", 0, "covered"),  # an approval holds through its expiry date
    ("2026-02-01", "expired", -1, "not covered"),
])
def test_approval_states_follow_the_as_of_date(show: Repo, as_of: str, state: str, days_left: int,
                                               entry_status: str) -> None:
    data = report(show, "--as-of", as_of)
    assert data["as_of"] == as_of
    register = {a["id"]: a for a in data["approvals"]}
    assert (register["NFX-GAI-0001"]["state"], register["NFX-GAI-0001"]["days_left"]) == (state, days_left)
    assert (register["NFX-GAI-0002"]["state"], register["NFX-GAI-0002"]["days_left"]) == ("valid", None)
    sky = entry_for(data, "deliverables/sky/**")
    assert (sky["approval_status"], sky["approvals"][0]["state"]) == (entry_status, state)
    gai204 = [g for g in data["findings"]["rules"] if g["rule"] == "GAI204"]
    assert bool(gai204) == (state == "expired")


def test_register_says_who_cites_each_approval_and_which_none_does(show: Repo) -> None:
    data = report(show, "--as-of", "2025-12-01")
    register = {a["id"]: a for a in data["approvals"]}
    assert list(register) == ["NFX-GAI-0001", "NFX-GAI-0002", "NFX-GAI-0003"]
    sky, logo = entry_for(data, "deliverables/sky/**"), entry_for(data, "deliverables/logo/**")
    assert register["NFX-GAI-0001"]["used_by"] == [{"manifest": "genai.toml", "line": sky["line"]}]
    assert register["NFX-GAI-0002"]["used_by"] == [{"manifest": "genai.toml", "line": logo["line"]}]
    assert register["NFX-GAI-0003"]["used_by"] == [] and register["NFX-GAI-0003"]["state"] == "expired"
    assert register["NFX-GAI-0003"]["covers"] == ["talent-likeness"]
    assert register["NFX-GAI-0003"]["granted_by"] == "Netflix Talent Relations"
    markdown = show.run("report", "--as-of", "2025-12-01").out
    assert re.search(r"Approvals no entry cites: `NFX-GAI-0003`", markdown)


def test_findings_are_the_full_audit_grouped_by_rule(show: Repo) -> None:
    data = report(show, "--as-of", "2025-12-01")
    audit = show.check("--as-of", "2025-12-01").json["findings"]
    groups = data["findings"]["rules"]
    assert [g["rule"] for g in groups] == sorted({f["rule"] for f in audit})
    assert {"GAI201", "GAI202", "GAI203"} <= {g["rule"] for g in groups}
    for group in groups:
        same = [f for f in audit if f["rule"] == group["rule"]]
        assert group["count"] == len(same) == len(group["findings"])
        assert group["findings"] == same
        assert group["errors"] + group["warnings"] == group["count"]
    gai203 = next(g for g in groups if g["rule"] == "GAI203")
    assert gai203["name"] == "approval-unresolved" and gai203["errors"] == 2
    assert data["findings"]["errors"] == data["summary"]["errors"] == sum(f["severity"] == "error" for f in audit)


def test_invalid_manifest_is_named_up_front_and_marks_the_report_incomplete(show: Repo) -> None:
    show.write("shots/sq010/previs/own/genai.toml", '[[generated]]\npaths = ["c.png"]\ntol = "firefly"\n')
    show.add()
    data = report(show)
    assert data["complete"] is False
    assert data["invalid_manifests"] == [{"path": "shots/sq010/previs/own/genai.toml", "problems": [
        {"line": 1, "message": data["invalid_manifests"][0]["problems"][0]["message"]},
        {"line": 3, "message": data["invalid_manifests"][0]["problems"][1]["message"]},
    ]}]
    assert "did you mean 'tool'" in json.dumps(data["invalid_manifests"])
    assert any(g["rule"] == "GAI001" for g in data["findings"]["rules"])
    markdown = show.run("report").out
    assert markdown.index("This report is incomplete") < markdown.index("## Summary")
    html = show.run("report", "--format", "html").out
    assert html.index('id="incomplete"') < html.index('<section class="cards">')


def test_every_root_manifest_is_a_production(repo: Repo) -> None:
    repo.write("show-b/genai.toml", ROOT_MANIFEST.replace("Nightfall S1", "Daybreak"))
    repo.write("show-a/genai.toml", ROOT_MANIFEST.replace('contact = "jane.doe@example.com"\n', ""))
    repo.add()
    data = report(repo)
    assert [(p["manifest"], p["scope"], p["title"], p["contact"], p["register"]) for p in data["productions"]] == [
        ("show-a/genai.toml", "show-a", "Nightfall S1", None, False),
        ("show-b/genai.toml", "show-b", "Daybreak", "jane.doe@example.com", False),
    ]
    assert repo.run("report").out.startswith("# Generative-AI disclosure: Nightfall S1 · Daybreak\n")


def test_snapshot_names_the_commit_the_report_describes(show: Repo) -> None:
    head = show.git("rev-parse", "HEAD").strip()
    assert report(show)["snapshot"] == {"label": "index", "commit": head, "index": True, "staged_changes": False}
    show.write("shots/new.png", b"n")
    show.add()
    assert report(show)["snapshot"]["staged_changes"] is True
    first = show.git("rev-list", "--max-parents=0", "HEAD").strip()
    assert report(show, "--rev", "HEAD")["snapshot"] == {"label": head, "commit": head, "index": False,
                                                         "staged_changes": None}
    assert report(show, "--rev", first)["snapshot"]["commit"] == first


def test_report_before_the_first_commit_and_without_manifests(repo: Repo) -> None:
    repo.write("plate.exr", b"p")
    repo.add()
    data = report(repo)
    assert data["snapshot"] == {"label": "index", "commit": None, "index": True, "staged_changes": None}
    assert (data["productions"], data["tools"], data["generated"], data["approvals"]) == ([], [], [], [])
    assert "no valid root genai.toml was found" in repo.run("report").out


@pytest.mark.slow
def test_report_is_deterministic_and_leaves_the_repository_untouched(show: Repo) -> None:
    status = show.git("status", "--porcelain=v1", "-z")
    index = (show.root / ".git" / "index").read_bytes()
    for fmt in ("markdown", "html", "json"):
        first = show.run("report", "--format", fmt, "--as-of", "2025-12-01")
        assert first.code == 0 and first.out == show.run("report", "--format", fmt, "--as-of", "2025-12-01").out
    assert show.git("status", "--porcelain=v1", "-z") == status
    assert (show.root / ".git" / "index").read_bytes() == index


def test_report_writes_its_output_file(show: Repo, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    done = show.run("report", "--format", "html", "--output", str(target))
    assert (done.code, done.out) == (0, "")
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")


# --- bad input ------------------------------------------------------------------------------------------


def test_unknown_revision_is_exit_2_with_one_line(show: Repo) -> None:
    done = show.run("report", "--rev", "no-such-branch")
    assert (done.code, done.out) == (2, "")
    assert len(done.err.splitlines()) == 1 and "unknown revision 'no-such-branch'" in done.err


@pytest.mark.parametrize("where", ["missing-dir/report.md", "existing-dir"])
def test_unwritable_output_is_exit_2_with_one_line(show: Repo, tmp_path: Path, where: str) -> None:
    (tmp_path / "existing-dir").mkdir()
    done = show.run("report", "--output", str(tmp_path / where))
    assert (done.code, done.out) == (2, "")
    assert len(done.err.splitlines()) == 1 and "cannot write --output" in done.err


def test_unwritable_output_leaves_no_temporary_file(show: Repo, tmp_path: Path) -> None:
    (tmp_path / "existing-dir").mkdir()
    assert show.run("report", "--output", str(tmp_path / "existing-dir")).code == 2
    assert not list(tmp_path.glob(".genai-hooks-*"))


# --- escaping -------------------------------------------------------------------------------------------

HOSTILE_VENDOR = "<script>alert(1)</script>"
HOSTILE_NAME = "&<>\"'.png"
HOSTILE_PURPOSE = '<img src=x onerror="alert(2)"> **bold** [link](javascript:alert(3))'


@pytest.fixture
def hostile(repo: Repo) -> Repo:
    repo.write("genai.toml", ROOT_MANIFEST.replace('vendor = "Adobe"', f"vendor = {json.dumps(HOSTILE_VENDOR)}")
               + generated([f"shots/{HOSTILE_NAME}"], purpose=HOSTILE_PURPOSE, approval="<b>id</b>")
               + generated(["deliverables/**"]))
    repo.write(f"shots/{HOSTILE_NAME}", b"x")
    repo.write(f"deliverables/{HOSTILE_NAME}", b"x")  # named in a GAI201 finding
    repo.write("deliverables/line\nbreak.png", b"x")
    repo.add()
    return repo


def test_html_escapes_everything_quoted_from_manifests_and_paths(hostile: Repo) -> None:
    html = hostile.run("report", "--format", "html").out
    for raw in (HOSTILE_VENDOR, HOSTILE_NAME, "<img", "<b>id</b>", 'onerror="'):
        assert raw not in html
    assert esc(HOSTILE_VENDOR) in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "shots/&amp;&lt;&gt;&quot;&#x27;.png" in html and "deliverables/&amp;&lt;&gt;&quot;&#x27;.png" in html
    assert "line\\nbreak.png" in html
    assert html.count("<script") == 0 and html.count("<img") == 0


class Markup(HTMLParser):
    """Every element and attribute the browser would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def test_html_fetches_nothing(hostile: Repo) -> None:
    html = hostile.run("report", "--format", "html").out
    assert not re.search(r"https?://", html)
    markup = Markup()
    markup.feed(html)
    assert markup.tags <= {"html", "head", "meta", "title", "style", "body", "main", "header", "p", "h1", "h2", "h3",
                           "dl", "dt", "dd", "div", "section", "ul", "li", "span", "strong", "em", "code", "br",
                           "table", "thead", "tbody", "tr", "th", "td", "footer"}
    assert markup.attributes <= {"lang", "charset", "http-equiv", "content", "name", "class", "id"}
    assert not re.search(r"@import|url\(", "".join(markup.styles))
    assert "default-src 'none'" in html


def test_markdown_quotes_manifest_text_without_letting_it_become_markup(hostile: Repo) -> None:
    markdown = hostile.run("report").out
    assert HOSTILE_VENDOR not in markdown and "\\<script\\>alert(1)\\</script\\>" in markdown
    assert "\\*\\*bold\\*\\*" in markdown and "[link\\](javascript:alert(3))" in markdown
    assert "`shots/&<>\"'.png`" in markdown  # code spans show paths literally


# --- rendering in a real browser ----------------------------------------------------------------------


def chromium(html_file: Path, *args: str) -> str:
    """Run headless Chromium on the page; its stdout (the rendered DOM, with --dump-dom)."""
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args, html_file.as_uri()]
    done = subprocess.run(command, check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": profile})
    return done.stdout.decode("utf-8")


def rendered_sections(html_file: Path) -> dict[str, str]:
    """The text of each top-level <section id> of the page as Chromium's DOM holds it after rendering."""
    dom = chromium(html_file, "--dump-dom")
    sections = re.findall(r'<section (?:class="[^"]*" )?id="([^"]+)">(.*?)</section>', dom, re.DOTALL)
    return {anchor: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()) for anchor, body in sections}


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium (/usr/bin/chromium, Debian package "
                    "`chromium`) is not installed; .ci/run installs it")
def test_html_report_renders_to_png_and_prints_on_a4_and_letter(show: Repo, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    assert show.run("report", "--format", "html", "--as-of", "2025-12-01", "--output", str(page)).code == 0
    png, letter, a4 = tmp_path / "report.png", tmp_path / "letter.pdf", tmp_path / "a4.pdf"
    chromium(page, f"--screenshot={png}", "--window-size=1200,1600")
    chromium(page, f"--print-to-pdf={letter}", "--no-pdf-header-footer")
    a4_page = tmp_path / "a4.html"  # the stylesheet leaves the paper to the printer: ask for A4 the same way
    a4_page.write_text(page.read_text("utf-8").replace("</style>", "@page { size: A4; }</style>"), "utf-8")
    chromium(a4_page, f"--print-to-pdf={a4}", "--no-pdf-header-footer")

    sections = rendered_sections(page)
    assert list(sections) == ["expiring", "productions", "tools", "generated", "timelines", "withdrawn", "approvals",
                              "findings"]
    assert sections["expiring"] == "Approvals expiring within 30 days No approval expires within 30 days of 2025-12-01."
    assert "shots/sq010/previs/own/c.png" in sections["generated"]  # a nested entry's pattern, from the root
    assert "deliverables/sky/sky.[1001-1003].exr , 3 frames" in sections["generated"]
    assert sections["timelines"].endswith("No deliverable timeline is in the snapshot.")
    assert "genai-hooks report --since BASE" in sections["withdrawn"]

    with Image.open(png) as image:
        assert image.size == (1200, 1600)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, badges and tables, not a blank page
    assert max(count for count, _ in colours) < 0.9 * 1200 * 1600

    for pdf, width, height in ((letter, 612, 792), (a4, 595, 842)):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and len(data) > 20_000
        boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]", data)
        assert boxes and all(round(float(w)) == width and round(float(h)) == height for w, h in boxes)
        assert 1 <= len(boxes) <= 6
