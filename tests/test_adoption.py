"""Adoption (SPEC §12): what artists see, and the papercuts of a first rollout."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ANY_REGISTER, GIT_ENV, ROOT_MANIFEST, Repo, generated

from genai_hooks.progress import Progress


def test_a_clean_run_prints_one_line_even_with_notes(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.write("shots/a.exr")
    os.symlink("/mnt/outside/sky.exr", repo.root / "shots" / "link.exr")  # a note: a link out of the repository
    repo.add()
    done = repo.run("run")
    assert done.code == 0
    assert done.out.splitlines() == [
        "genai-hooks: passed — 0 errors, 0 warnings in 3 files checked (index); 1 note (--format json lists them)"]


@pytest.mark.slow
def test_quiet_prints_the_findings_only(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/a.exr")
    repo.add()
    done = repo.run("run", "--quiet")
    assert done.code == 1
    assert done.out.splitlines()[0].startswith("deliverables/a.exr: error GAI201")
    assert "genai-hooks: blocked" not in done.out
    assert repo.run("run", "--quiet", "--", ".gitignore-free-file").code == 2  # still one-line errors
    repo.write("notes.txt")
    repo.add("notes.txt")
    assert repo.run("run", "--quiet", "--", "notes.txt").out == ""  # a clean run: nothing at all


def test_progress_shows_on_a_terminal_after_a_second_and_is_cleared() -> None:
    stream = io.StringIO()
    progress = Progress(True, stream)
    progress.step("judged", 10, 100)
    assert stream.getvalue() == ""  # quick checks print nothing
    progress._start -= 2
    progress.step("judged", 50_000, 1_000_000)
    assert stream.getvalue() == "\r\033[Kgenai-hooks: judged 50,000/1,000,000"
    progress.clear()
    assert stream.getvalue().endswith("\r\033[K")
    silent = io.StringIO()
    off = Progress(False, silent)
    off._start -= 2
    off.step("judged", 1, 2)
    assert silent.getvalue() == ""


def test_no_progress_in_ci_logs_unless_asked(repo: Repo) -> None:
    repo.write("a.txt")
    repo.add()
    done = subprocess.run([sys.executable, "-m", "genai_hooks.cli", "run"], cwd=repo.root, capture_output=True,
                          env={**os.environ, **GIT_ENV}, check=False)
    assert b"\r" not in done.stderr and done.returncode == 0


def test_output_files_honour_the_umask(repo: Repo, tmp_path: Path) -> None:
    repo.write("a.txt")
    repo.add()
    target = tmp_path / "result.json"
    old = os.umask(0o002)
    try:
        assert repo.run("run", "--format", "json", "--output", str(target)).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o664


def test_report_help_describes_every_option(repo: Repo) -> None:
    done = repo.run("report", "--help")
    assert done.code == 0
    text = " ".join(done.out.split())
    for option, words in (("--rev REV", "describe commit REV"), ("--since BASE", "declarations withdrawn"),
                          ("--format {markdown,html,json}", "readable raw"), ("--output FILE", "instead of stdout"),
                          ("--as-of DATE", "their expiry"), ("--repo DIR", "the repository")):
        assert option in text and words in text.rsplit(option, 1)[1][:160], option  # after the usage line


# -- [[acknowledged]] ------------------------------------------------------------------------------------------------

STOCK = generated(["deliverables/**"], approval="NFX-1") + ANY_REGISTER


def _stock_show(repo: Repo) -> None:
    from test_run_media import SD_PNG

    repo.write("genai.toml", ROOT_MANIFEST + STOCK)
    repo.write("reference/stock/city.png", SD_PNG)  # licensed stock that an image generator made
    repo.write("reference/stock/seq.1001.png", SD_PNG + b"1")
    repo.write("reference/stock/seq.1002.png", SD_PNG + b"2")
    repo.add()


def test_acknowledge_prints_entries_that_clear_the_findings_when_pasted(repo: Repo) -> None:
    _stock_show(repo)
    assert repo.check().code == 1
    printed = repo.run("acknowledge", "--as-of", "2026-11-28")
    assert printed.code == 0
    assert 'rule = "GAI301"' in printed.out and '"reference/stock/seq.####.png"' in printed.out
    pasted = printed.out.replace('reason = ""', 'reason = "licensed stock, invoice 4411"').replace(
        'by = ""', 'by = "jane.doe@example.com"')
    repo.write("genai.toml", ROOT_MANIFEST + STOCK + pasted)
    repo.add()
    done = repo.check("--as-of", "2026-11-28")
    assert done.code == 0, done.out
    assert done.json["summary"]["errors"] == 0 and done.json["summary"]["suppressed"] == 3  # with GAI401
    gai301 = [f for f in done.json["findings"] if f["rule"] == "GAI301"]
    assert len(gai301) == 2 and all(f["severity"] == "error" for f in gai301)  # they keep their severity
    assert gai301[0]["suppressed"] == {"reason": "licensed stock, invoice 4411", "by": "jane.doe@example.com",
                                       "manifest": "genai.toml", "manifest_line": gai301[0]["suppressed"]["manifest_line"]}
    text = repo.run("run", "--as-of", "2026-11-28").out
    assert "error, acknowledged GAI301" in text and "(3 acknowledged)" in text and "passed" in text
    sarif = repo.run("run", "--format", "sarif", "--as-of", "2026-11-28").out
    assert '"suppressions"' in sarif and "licensed stock, invoice 4411" in sarif
    junit = repo.run("run", "--format", "junit", "--as-of", "2026-11-28").out
    assert 'failures="0"' in junit


def test_acknowledgements_end_go_stale_and_cover_only_their_rules(repo: Repo) -> None:
    _stock_show(repo)
    entry = ('\n[[acknowledged]]\nrule = "GAI301"\npaths = ["reference/stock/**"]\nreason = "licensed stock"\n'
             'by = "jane"\nuntil = 2026-06-30\n'
             '\n[[acknowledged]]\nrule = "GAI303"\npaths = ["nothing/**"]\nreason = "x"\nby = "jane"\n')
    repo.write("genai.toml", ROOT_MANIFEST + STOCK + entry)
    repo.add()
    before = repo.check("--as-of", "2026-06-30")
    assert before.code == 0 and [f["rule"] for f in before.json["findings"] if f["rule"] == "GAI402"] == [
        "GAI402"]  # the GAI303 entry matches nothing
    after = repo.check("--as-of", "2026-07-01")
    assert after.code == 1  # ended: the findings count again
    assert any(f["rule"] == "GAI402" and "ended on 2026-06-30" in f["message"] for f in after.json["findings"])
    assert [f for f in repo.check("--as-of", "2026-06-30", "--", "reference/stock/city.png").json["findings"]
            if f["rule"] == "GAI402"] == []  # stale entries are a full audit's business


@pytest.mark.parametrize("rule", ["GAI201", "GAI302", "GAI205", "GAI501"])
def test_rules_with_approvals_cannot_be_acknowledged(repo: Repo, rule: str) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + f'\n[[acknowledged]]\nrule = "{rule}"\npaths = ["**"]\n'
               'reason = "we checked"\nby = "jane"\n')
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and "cleared with written approvals" in finding["message"]


def test_an_acknowledgement_names_why_and_who_and_lives_in_the_root(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + '\n[[acknowledged]]\nrule = "GAI301"\npaths = ["a/**"]\nreason = " "\n'
               'by = "jane"\n')
    repo.write("shots/genai.toml", '[[acknowledged]]\nrule = "GAI301"\npaths = ["**"]\nreason = "x"\nby = "y"\n')
    repo.add()
    messages = sorted((f["path"], f["message"]) for f in repo.check().json["findings"])
    assert [p for p, _ in messages] == ["genai.toml", "shots/genai.toml"]
    assert "say why the finding is acceptable" in messages[0][1] and "root manifest only" in messages[1][1]


def test_formats_no_reader_knows_are_counted_apart_not_as_inspected(repo: Repo) -> None:
    from test_run_media import CLEAN_PNG

    repo.write("shots/a.png", CLEAN_PNG)
    repo.write("shots/cut.mkv", b"\x1aE\xdf\xa3 matroska")
    repo.write("shots/scene.usdc", b"PXR-USDC")
    repo.write("notes.md", "# notes")
    repo.add()
    summary = repo.check().json["summary"]
    assert (summary["inspected"], summary["uninspected_formats"]) == (1, 2)
    assert summary["files_checked"] == 4
    assert "; 2 in formats genai-hooks cannot read" in repo.run("run").out
    assert repo.check("--no-metadata").json["summary"]["inspected"] == 0
