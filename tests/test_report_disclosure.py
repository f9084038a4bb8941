"""The disclosure report carries SPEC §12: repository paths and frame ranges, where each generated clip sits in
each deliverable timeline, declarations withdrawn since a base, approvals about to expire and acknowledged
findings — in JSON, Markdown and HTML, from real repositories."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import opentimelineio as otio  # type: ignore[import-untyped]
import pytest
from comp_scripts import NUKE_HEADER, NUKE_ROOT, nuke_node
from conftest import GIT_ENV, ROOT_MANIFEST, Repo, generated
from editorial_timelines import FACILITY, external_clip, frames, otio_json, sky_sequence, span
from provenance_media import png_bytes, png_info
from test_report import CHROMIUM, rendered_sections

AS_OF = "2026-03-01"
SHOW = ROOT_MANIFEST.replace('contact = "jane.doe@example.com"',
                             'contact = "jane.doe@example.com"\napproval_pattern = "NFX-GAI-[0-9]{4,}"') + f"""
[editorial]
path_map = {{ "{FACILITY}/" = "" }}

[[approvals]]
id = "NFX-GAI-0042"
covers = ["final-deliverable"]
granted_by = "Netflix Production Legal"
date = 2025-09-10
expires = 2026-03-11

[[approvals]]
id = "NFX-GAI-0043"
covers = ["final-deliverable"]
granted_by = "Netflix Production Legal"
date = 2025-09-12
""" + generated(["deliverables/sh020/sky/sh020_sky_v003.####.exr"], purpose="sky replacement",
                approval="NFX-GAI-0042") + generated(["shots/sh040/gen/**"], purpose="smoke element")
SD_PNG = png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1")))
CUT = "deliverables/editorial/reel1.otio"


def report(repo: Repo, *args: str, fmt: str = "json") -> Any:
    done = repo.run("report", "--format", fmt, "--as-of", AS_OF, *args)
    assert done.code == 0, done.err
    return json.loads(done.out) if fmt == "json" else done.out


def line_of(repo: Repo, manifest: str, text: str, occurrence: int = 0) -> int:
    lines = [n for n, line in enumerate((repo.root / manifest).read_text().splitlines(), 1) if line == text]
    return lines[occurrence]


def _sequence_clip(name: str, directory: str, prefix: str, count: int) -> Any:
    reference = sky_sequence(target_url_base=f"file://{FACILITY}/{directory}/", name_prefix=prefix)
    return otio.schema.Clip(name=name, media_reference=reference, source_range=span(0, count))


def _reel() -> bytes:
    timeline = otio.schema.Timeline(name="reel1", global_start_time=frames(86400))
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(video)
    video.append(external_clip("sh010_plate", f"file://{FACILITY}/shots/sh010/plate.mov", span(0, 24)))
    video.append(_sequence_clip("sh020_sky", "deliverables/sh020/sky", "sh020_sky_v003.", 12))
    video.append(external_clip("sh030_face", f"file://{FACILITY}/deliverables/sh030/comp/faceswap/face_v001.mov",
                               span(0, 24)))
    video.append(_sequence_clip("sh040_comp", "shots/sh040/renders", "sh040_comp.", 4))
    video.append(external_clip("sh050_sd", f"file://{FACILITY}/shots/sh050/plate_sd.png", span(0, 24)))
    return otio_json(timeline)


@pytest.fixture
def cut(repo: Repo) -> Repo:
    """A locked cut with a declared approved clip, a declared unapproved one, a derived one and a detected one."""
    repo.write("genai.toml", SHOW)
    repo.write("deliverables/sh030/genai.toml", generated(["comp/faceswap/**"], purpose="face replacement"))
    repo.write("shots/sh010/plate.mov", b"camera original")
    for frame in range(1001, 1013):
        repo.write(f"deliverables/sh020/sky/sh020_sky_v003.{frame}.exr", f"sky {frame}")
    repo.write("deliverables/sh030/comp/faceswap/face_v001.mov", b"face")
    for frame in range(1001, 1005):
        repo.write(f"shots/sh040/gen/smoke.{frame}.exr", f"smoke {frame}")
        repo.write(f"shots/sh040/renders/sh040_comp.{frame}.exr", f"comp {frame}")
    repo.write("shots/sh040/comp/sh040.nk", NUKE_HEADER + NUKE_ROOT + nuke_node(
        "Read", inputs="0", file_type="exr", file=f"{FACILITY}/shots/sh040/gen/smoke.####.exr", first="1001",
        last="1004", name="Read1") + nuke_node("Write", file=f'"{FACILITY}/shots/sh040/renders/sh040_comp.####.exr"',
                                                file_type="exr", name="Write1"))
    repo.write("shots/sh050/plate_sd.png", SD_PNG)
    repo.write(CUT, _reel())
    repo.add()
    repo.commit("lock reel 1")
    return repo


# --- where each generated clip sits ----------------------------------------------------------------------------


def test_every_generated_clip_of_a_deliverable_cut_is_listed_approved_or_not(cut: Repo) -> None:
    data = report(cut)
    [reel] = data["timelines"]
    assert (reel["path"], reel["readable"]) == (CUT, True)
    clips = {c["clip"]: c for c in reel["clips"]}
    assert list(clips) == ["sh020_sky", "sh030_face", "sh040_comp", "sh050_sd"]  # timeline order; the plate is no AI
    sky, face, comp, sd = clips.values()
    assert sky == {
        "clip": "sh020_sky", "record_in": "01:00:01:00",
        "media": [{"path": "deliverables/sh020/sky/sh020_sky_v003.1001.exr", "frames": 12, "range": "1001-1012"}],
        "source": "declared", "entry": {"manifest": "genai.toml", "line": line_of(cut, "genai.toml", "[[generated]]")},
        "approved": True, "approvals": [{"id": "NFX-GAI-0042", "state": "expiring", "registered": True}],
        "evidence": None,
    }
    assert (face["record_in"], face["source"], face["entry"], face["approved"]) == (
        "01:00:01:12", "declared", {"manifest": "deliverables/sh030/genai.toml", "line": 2}, False)
    assert face["media"] == [{"path": "deliverables/sh030/comp/faceswap/face_v001.mov", "frames": 1, "range": None}]
    assert (comp["record_in"], comp["source"], comp["entry"], comp["approved"]) == ("01:00:02:12", "derived", None,
                                                                                   False)
    assert comp["media"][0]["range"] == "1001-1004"
    assert "written by shots/sh040/comp/sh040.nk (Write1)" in comp["evidence"]
    assert (sd["record_in"], sd["source"], sd["approved"]) == ("01:00:02:16", "detected", False)
    assert "parameters" in sd["evidence"]
    summary = data["summary"]
    assert (summary["timelines"], summary["generated_clips"], summary["unapproved_clips"]) == (1, 4, 3)


def test_the_unapproved_clips_are_exactly_the_gai302_findings(cut: Repo) -> None:
    data = report(cut)
    unapproved = {f"clip '{c['clip']}' at {c['record_in']}" for c in data["timelines"][0]["clips"] if not c["approved"]}
    audit = cut.check("--as-of", AS_OF).json["findings"]
    assert {f["message"].partition(" uses ")[0] for f in audit if f["rule"] == "GAI302"} == unapproved
    assert len(unapproved) == 3


def test_markdown_and_html_say_where_each_generated_clip_sits(cut: Repo) -> None:
    markdown = report(cut, fmt="markdown")
    section = markdown[markdown.index("## Generated clips in deliverable timelines"):]
    assert section.startswith(f"## Generated clips in deliverable timelines\n\n### `{CUT}`\n\n")
    root_entry = line_of(cut, "genai.toml", "[[generated]]")
    assert (f"- `01:00:01:00` clip sh020_sky: `deliverables/sh020/sky/sh020_sky_v003.[1001-1012].exr`, 12 frames — "
            f"declared by genai.toml:{root_entry} (tool firefly, sky replacement); "
            "**approved for final-deliverable** (`NFX-GAI-0042` valid, expires 2026-03-11)") in section
    assert ("- `01:00:01:12` clip sh030_face: `deliverables/sh030/comp/faceswap/face_v001.mov` — declared by "
            "deliverables/sh030/genai.toml:2 (tool firefly, face replacement); "
            "**not approved for final-deliverable**") in section
    assert "clip sh050_sd: `shots/sh050/plate_sd.png` — detected, no entry declares it: png-text" in section
    assert ("clip sh040_comp: `shots/sh040/renders/sh040_comp.[1001-1004].exr`, 4 frames — derived, no entry "
            "declares it: written by shots/sh040/comp/sh040.nk (Write1), which reads "
            "shots/sh040/gen/smoke.####.exr") in section
    assert "sh010_plate" not in section
    html = report(cut, fmt="html")
    part = html[html.index('<section id="timelines">'):]
    part = part[:part.index("</section>")]
    assert f"<h3><code>{CUT}</code></h3>" in part
    assert part.count("<tr>") == 5  # a header and four clips
    assert '<span class="badge ok">approved for final-deliverable</span>' in part
    assert part.count('<span class="badge bad">not approved for final-deliverable</span>') == 3


@pytest.mark.slow
def test_clip_names_from_a_cut_are_quoted_inertly(cut: Repo) -> None:
    hostile = '<img src=x onerror="alert(1)"> @studio-legal **now**'
    cut.write(CUT, (cut.root / CUT).read_bytes().replace(b'"sh030_face"', json.dumps(hostile).encode()))
    cut.add()
    assert hostile in {c["clip"] for c in report(cut)["timelines"][0]["clips"]}
    markdown = report(cut, fmt="markdown")
    assert "clip \\<img src=x onerror=\"alert(1)\"\\> `@studio-legal` \\*\\*now\\*\\*:" in markdown
    html = report(cut, fmt="html")
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; @studio-legal **now**" in html


@pytest.mark.slow
def test_an_unreadable_cut_is_listed_as_unread_and_a_snapshot_without_cuts_says_so(cut: Repo) -> None:
    cut.write(CUT, b'{"OTIO_SCHEMA": "Timeline.1", "tracks": ')
    cut.add()
    assert report(cut)["timelines"] == [{"path": CUT, "readable": False, "clips": []}]
    assert "Could not be read, so its clips cannot be cleared: see GAI304" in report(cut, fmt="markdown")
    cut.git("rm", "-q", "-f", CUT)
    assert report(cut)["timelines"] == []
    assert "No deliverable timeline is in the snapshot." in report(cut, fmt="markdown")


# --- repository paths and frame ranges ------------------------------------------------------------------------


def test_entries_show_repository_paths_and_their_files_as_frame_sequences(cut: Repo) -> None:
    data = report(cut)
    entries = {e["purpose"]: e for e in data["generated"]}
    face = entries["face replacement"]
    assert (face["paths"], face["repository_paths"]) == (["comp/faceswap/**"], ["deliverables/sh030/comp/faceswap/**"])
    assert face["file_groups"] == [{"path": "deliverables/sh030/comp/faceswap/face_v001.mov", "frames": 1,
                                    "range": None}]
    sky = entries["sky replacement"]
    assert sky["repository_paths"] == sky["paths"]  # the root's patterns are repository paths already
    assert sky["file_groups"] == [{"path": "deliverables/sh020/sky/sh020_sky_v003.1001.exr", "frames": 12,
                                   "range": "1001-1012"}]
    markdown = report(cut, fmt="markdown")
    assert "- Paths: `deliverables/sh030/comp/faceswap/**`" in markdown and "`comp/faceswap/**`" not in markdown
    assert ("- Files: 12 (12 deliverable), 96 bytes\n"
            "  - `deliverables/sh020/sky/sh020_sky_v003.[1001-1012].exr`, 12 frames\n") in markdown
    html = report(cut, fmt="html")
    assert ('<ul class="files"><li><code>deliverables/sh020/sky/sh020_sky_v003.[1001-1012].exr</code>, 12 frames'
            "</li></ul>") in html


def test_gaps_in_a_sequence_show_in_its_range_and_long_file_lists_are_bounded(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("shots/[a]/genai.toml", generated(["**"], purpose="stills"))
    for frame in (1001, 1002, 1003, 1007, 1008):
        repo.write(f"shots/[a]/mood_{frame}.png", b"m")
    for n in range(59):
        repo.write(f"shots/[a]/still_v{n:03d}.png", b"s")
    repo.add()
    [stills] = report(repo)["generated"]
    assert stills["repository_paths"] == ["shots/\\[a\\]/**"]  # still a pattern that names that directory
    assert len(stills["file_groups"]) == 60 and stills["files"] == 64  # JSON lists every group
    assert stills["file_groups"][0] == {"path": "shots/[a]/mood_1001.png", "frames": 5, "range": "1001-1003,1007-1008"}
    markdown = report(repo, fmt="markdown")
    assert "  - `shots/[a]/mood_[1001-1003,1007-1008].png`, 5 frames\n" in markdown
    assert markdown.count("  - `shots/[a]/still_v") == 49
    assert "  - … and 10 more files or sequences; the JSON report lists every one\n" in markdown
    html = report(repo, fmt="html")
    assert html.count("<li><code>shots/[a]/") == 50 and "… and 10 more files or sequences" in html


# --- approvals expiring within 30 days -----------------------------------------------------------------------


def test_approvals_expiring_within_30_days_have_their_own_section(cut: Repo) -> None:
    data = report(cut)
    assert data["expiring"] == [{"id": "NFX-GAI-0042", "manifest": "genai.toml", "expires": "2026-03-11",
                                 "days_left": 10}]
    assert data["summary"]["expiring_approvals"] == 1
    markdown = report(cut, fmt="markdown")
    entry = line_of(cut, "genai.toml", "[[generated]]")
    section = markdown[markdown.index("## Approvals expiring within 30 days"):markdown.index("## Productions")]
    assert section == ("## Approvals expiring within 30 days\n\n- `NFX-GAI-0042`: expires 2026-03-11, 10 days left; "
                       f"covers final-deliverable; cited by `genai.toml:{entry}` (sky replacement)\n\n")
    html = report(cut, fmt="html")
    part = html[html.index('<section id="expiring">'):]
    part = part[:part.index("</section>")]
    assert "NFX-GAI-0042" in part and "expires in 10 days" in part and "NFX-GAI-0043" not in part
    later = cut.run("report", "--as-of", "2026-01-01").out  # 69 days before it ends
    assert "No approval expires within 30 days of 2026-01-01." in later


# --- declarations withdrawn since a base -----------------------------------------------------------------------


@pytest.fixture
def withdrawn(repo: Repo) -> Repo:
    """A nested manifest declared previs frames; the change removes it and repaints one still."""
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("shots/sq010/genai.toml", generated(["previs/**"], purpose="previs mood frames"))
    for frame in range(1001, 1004):
        repo.write(f"shots/sq010/previs/mood.{frame}.png", f"mood {frame}")
    repo.write("shots/sq010/previs/key.png", b"key frame")
    repo.write("shots/sq010/plate.exr", b"plate")
    repo.add()
    repo.commit("previs")
    repo.git("rm", "-q", "shots/sq010/genai.toml")
    repo.write("shots/sq010/previs/key.png", b"key frame, repainted")
    repo.add()
    return repo


def test_since_lists_the_declarations_withdrawn_with_their_base_entry(withdrawn: Repo) -> None:
    head = withdrawn.git("rev-parse", "HEAD").strip()
    data = report(withdrawn, "--since", "HEAD")
    found = data["withdrawn"]
    assert (found["since"], found["base"], found["files"]) == ("HEAD", head, 4)
    entry = {"manifest": "shots/sq010/genai.toml", "line": 2, "paths": ["previs/**"],
             "repository_paths": ["shots/sq010/previs/**"], "tool": "firefly", "purpose": "previs mood frames",
             "sensitive": []}
    assert found["declarations"] == [
        {"entry": entry, "now": None, "lost": [], "changed": True, "files": 1,
         "file_groups": [{"path": "shots/sq010/previs/key.png", "frames": 1, "range": None}]},
        {"entry": entry, "now": None, "lost": [], "changed": False, "files": 3,
         "file_groups": [{"path": "shots/sq010/previs/mood.1001.png", "frames": 3, "range": "1001-1003"}]},
    ]
    assert data["summary"]["withdrawn_files"] == 4
    gai205 = [f for f in withdrawn.check("--diff", "HEAD").json["findings"] if f["rule"] == "GAI205"]
    assert sorted(p for f in gai205 for p in f["files"]) == [
        "shots/sq010/previs/key.png", *(f"shots/sq010/previs/mood.{n}.png" for n in range(1001, 1004))]
    markdown = report(withdrawn, "--since", "HEAD", fmt="markdown")
    section = markdown[markdown.index("## Withdrawn declarations"):]
    assert (f"Withdrawn since the merge base with `HEAD` (`{head[:12]}`): files a [[generated]] entry declared at "
            "the base") in section
    assert ("- 3 files declared at the base by `shots/sq010/genai.toml:2` (tool `firefly`, previs mood frames); "
            "no entry declares them now; **content unchanged**\n  - `shots/sq010/previs/mood.[1001-1003].png`, "
            "3 frames") in section
    assert ("- 1 file declared at the base by `shots/sq010/genai.toml:2` (tool `firefly`, previs mood frames); "
            "no entry declares it now; **content changed since the base**\n  - `shots/sq010/previs/key.png`\n"
            ) in section
    html = report(withdrawn, "--since", "HEAD", fmt="html")
    assert '<section id="withdrawn">' in html and "shots/sq010/previs/mood.[1001-1003].png" in html


def test_since_names_a_sensitive_category_an_entry_dropped(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("shots/sh070/genai.toml", generated(["face/**"], sensitive=["talent-likeness"], purpose="de-aging"))
    repo.write("shots/sh070/face/face_v002.exr", b"face")
    repo.add()
    repo.commit("de-aging")
    repo.write("shots/sh070/genai.toml", generated(["face/**"], purpose="de-aging"))
    repo.add()
    [record] = report(repo, "--since", "HEAD")["withdrawn"]["declarations"]
    assert (record["now"], record["lost"], record["changed"]) == (
        {"manifest": "shots/sh070/genai.toml", "line": 2}, ["talent-likeness"], False)
    markdown = report(repo, "--since", "HEAD", fmt="markdown")
    assert "now declared by shots/sh070/genai.toml:2 without talent-likeness; **content unchanged**" in markdown


def test_since_a_commit_compares_from_the_merge_base(withdrawn: Repo) -> None:
    base = withdrawn.git("rev-parse", "HEAD").strip()
    withdrawn.git("checkout", "-q", "-b", "cleanup")
    withdrawn.commit("drop the previs declaration")
    withdrawn.git("checkout", "-q", "main")
    withdrawn.write("later.txt", "main moved on")
    withdrawn.add()
    withdrawn.commit("main moves on")
    found = report(withdrawn, "--rev", "cleanup", "--since", "main")["withdrawn"]
    assert (found["base"], found["files"]) == (base, 4)
    assert report(withdrawn, "--rev", "main", "--since", "cleanup")["withdrawn"]["files"] == 0


def test_without_since_the_report_says_withdrawals_need_a_base(cut: Repo) -> None:
    assert report(cut)["withdrawn"] is None and report(cut)["summary"]["withdrawn_files"] is None
    markdown = report(cut, fmt="markdown")
    assert ("## Withdrawn declarations\n\nNot compared: a single snapshot has no base to compare with. "
            "`genai-hooks report --since BASE` lists the declarations withdrawn since the merge base of BASE "
            "(GAI205).\n") in markdown


def test_since_an_unknown_base_is_exit_2_with_one_line(cut: Repo) -> None:
    done = cut.run("report", "--since", "no-such-branch")
    assert (done.code, done.out) == (2, "")
    assert len(done.err.splitlines()) == 1 and "unknown revision 'no-such-branch'" in done.err


def test_since_in_a_shallow_clone_is_exit_2_naming_fetch_depth(withdrawn: Repo, tmp_path: Path) -> None:
    base = withdrawn.git("rev-parse", "HEAD").strip()
    withdrawn.commit("drop the previs declaration")
    withdrawn.commit("more work")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{withdrawn.root}", str(clone)], check=True,
                   env={**GIT_ENV, "PATH": __import__("os").environ["PATH"]})
    done = Repo(clone).run("report", "--rev", "HEAD", "--since", base)
    assert (done.code, done.out) == (2, "")
    assert len(done.err.splitlines()) == 1 and "fetch-depth: 0" in done.err


# --- acknowledged findings ------------------------------------------------------------------------------------


def test_acknowledged_findings_are_shown_apart_and_not_counted_as_open(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + '\n[[acknowledged]]\nrule = "GAI301"\npaths = ["reference/stock/**"]\n'
               'reason = "licensed stock, generator tags from the agency"\nby = "jane.doe"\n')
    repo.write("reference/stock/castle.png", SD_PNG)
    repo.write("shots/sh010/castle.png", SD_PNG)
    repo.add()
    data = report(repo)
    [open_group] = [g for g in data["findings"]["rules"] if g["rule"] == "GAI301"]
    assert [f["path"] for f in open_group["findings"]] == ["shots/sh010/castle.png"]
    [accepted] = data["acknowledged"]["rules"]
    assert (accepted["rule"], data["acknowledged"]["count"], data["summary"]["acknowledged"]) == ("GAI301", 1, 1)
    assert accepted["findings"][0]["suppressed"]["by"] == "jane.doe"
    assert data["summary"]["errors"] + data["summary"]["warnings"] == sum(
        g["count"] for g in data["findings"]["rules"])
    markdown = report(repo, fmt="markdown")
    section = markdown[markdown.index("## Acknowledged findings"):]
    assert "### GAI301 undeclared-generated-media: 1 acknowledged" in section
    assert ("- `reference/stock/castle.png`: " in section and "— acknowledged by jane.doe in `genai.toml:"
            in section and ": licensed stock, generator tags from the agency" in section)
    open_part = markdown[markdown.index("## Open findings"):markdown.index("## Acknowledged findings")]
    assert "reference/stock/castle.png" not in open_part and "shots/sh010/castle.png" in open_part
    assert "; 1 acknowledged." in markdown
    assert '<section id="acknowledged">' in report(repo, fmt="html")


# --- in a real browser --------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium (/usr/bin/chromium, Debian package "
                    "`chromium`) is not installed; .ci/run installs it")
def test_new_sections_render_in_chromium(cut: Repo, tmp_path: Path) -> None:
    cut.write("shots/sq010/genai.toml", generated(["previs/**"], purpose="previs mood frames"))
    for frame in range(1001, 1004):
        cut.write(f"shots/sq010/previs/mood.{frame}.png", f"mood {frame}")
    cut.add()
    cut.commit("previs")
    cut.git("rm", "-q", "shots/sq010/genai.toml")
    page = tmp_path / "report.html"
    assert cut.run("report", "--format", "html", "--as-of", AS_OF, "--since", "HEAD", "--output", str(page)).code == 0
    sections = rendered_sections(page)
    assert {"expiring", "generated", "timelines", "withdrawn", "approvals", "findings"} <= set(sections)
    approval = line_of(cut, "genai.toml", "[[approvals]]")
    assert (f"NFX-GAI-0042 genai.toml:{approval} expires in 10 days expires 2026-03-11, 10 days left"
            in sections["expiring"])
    assert "deliverables/sh030/comp/faceswap/**" in sections["generated"]
    timelines = sections["timelines"]
    assert timelines.startswith(f"Generated clips in deliverable timelines {CUT} Record in Clip Media")
    assert ("01:00:01:00 sh020_sky deliverables/sh020/sky/sh020_sky_v003.[1001-1012].exr , 12 frames declared by "
            f"genai.toml:{line_of(cut, 'genai.toml', '[[generated]]')} (tool firefly, sky replacement) approved for "
            "final-deliverable") in timelines
    assert "01:00:02:16 sh050_sd shots/sh050/plate_sd.png detected" in timelines
    assert timelines.count("not approved for final-deliverable") == 3
    withdrawn = sections["withdrawn"]
    assert "Withdrawn since the merge base with HEAD (" in withdrawn
    assert "shots/sq010/previs/mood.[1001-1003].png , 3 frames shots/sq010/genai.toml:2" in withdrawn
    assert "no entry declares them now content unchanged" in withdrawn


# --- the documentation stays true -------------------------------------------------------------------------------


def test_docs_describe_every_field_the_report_writes(cut: Repo) -> None:
    data = report(cut)
    docs = (Path(__file__).parent.parent / "docs" / "report.md").read_text("utf-8")
    example = docs[docs.index("```json\n") + 8:]
    assert set(json.loads(example[:example.index("```")])) == set(data)
    described = set(re.findall(r"^\| `([^`|]+)`", docs, re.MULTILINE)) | {
        name for row in re.findall(r"^\| (`[^|]+`) \|", docs, re.MULTILINE) for name in re.findall(r"`([^`]+)`", row)}
    fields = set(data["summary"]) | set(data["generated"][0]) | set(data["timelines"][0]["clips"][0])
    fields |= {f"clips[].{k}" for k in data["timelines"][0]["clips"][0]}
    assert {f for f in fields if f not in described and f"clips[].{f}" not in described} == set()
