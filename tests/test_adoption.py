"""Adoption (SPEC §12): what artists see, and the papercuts of a first rollout."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

from conftest import GIT_ENV, ROOT_MANIFEST, Repo, generated

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
