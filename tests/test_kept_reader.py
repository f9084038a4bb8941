"""One `git cat-file --batch-command` kept for a run's media reading: it answers what a `cat-file --batch` started
for each batch answers, however a caller reads it, and nothing of it outlives the run."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import Repo
from provenance_media import png_bytes, png_info

from genai_hooks import media_reads
from genai_hooks.gitcmd import GitRepository

CONTENTS = [b"", b"one line\n", b"missing\n", b"two\nlines\n\n", bytes(range(256)) * 40,
            png_bytes(png_info(("parameters", "a castle\nSteps: 30")))]
ABSENT = "0123456789abcdef0123456789abcdef01234567"


def blobs(repo: Repo) -> list[str]:
    return [subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo.root, input=data, capture_output=True,
                           check=True).stdout.decode().strip() for data in CONTENTS]


def one_shot(repo: Repo, ids: list[str], limit: int) -> list[tuple[str, bytes | None, int]]:
    repository = GitRepository(str(repo.root))
    assert not repository.keep_reader
    return list(repository.read_objects(ids, limit))


def cat_files(toplevel: Path) -> list[int]:
    """The `cat-file` processes running in the repository at `toplevel` (Linux: read from /proc)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"cat-file" in argv and os.fsencode(toplevel) in argv:
            found.append(int(pid))
    return found


@pytest.mark.parametrize("object_format", ["sha1", "sha256"])
def test_the_kept_reader_answers_what_a_batch_a_process_answers(tmp_path: Path, object_format: str) -> None:
    repo = Repo(tmp_path / object_format)
    repo.root.mkdir()
    repo.git("init", "-q", f"--object-format={object_format}", "-b", "main")
    ids = blobs(repo)
    assert {len(i) for i in ids} == {40 if object_format == "sha1" else 64}
    absent = ABSENT if object_format == "sha1" else ABSENT + "0" * 24
    asked = [ids[3], absent, *ids, ids[0], absent]
    kept = GitRepository(str(repo.root))
    kept.keep_reader = True
    try:
        for limit in (1 << 20, 5):  # batch after batch through the same process
            assert list(kept.read_objects(asked, limit)) == one_shot(repo, asked, limit)
        assert kept.objects(asked, asked) == GitRepository(str(repo.root)).objects(asked, asked)
        assert kept.objects(asked, asked)[ids[1]] == ("blob", ids[1], len(CONTENTS[1]))
        assert kept.objects(asked, asked)[absent] is None
    finally:
        kept.close()


def test_a_reader_left_half_read_or_asked_again_while_reading_still_answers_right(repo: Repo) -> None:
    ids = blobs(repo)
    expected = one_shot(repo, ids, 1 << 20)
    kept = GitRepository(str(repo.root))
    kept.keep_reader = True
    try:
        reading = kept.read_objects(ids, 1 << 20)
        assert next(reading) == expected[0]
        assert list(kept.read_objects(ids, 1 << 20)) == expected  # asked again while busy: a process of its own
        assert next(reading) == expected[1]
        reading.close()  # the rest never read: the kept process is ended, the next call starts another
        assert list(kept.read_objects(ids, 1 << 20)) == expected
        assert list(kept.read_objects(reversed(ids), 1 << 20)) == expected[::-1]
    finally:
        kept.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes read from /proc")
def test_closing_the_repository_ends_the_kept_reader(repo: Repo) -> None:
    ids = blobs(repo)
    kept = GitRepository(str(repo.root))
    kept.keep_reader = True
    list(kept.read_objects(ids, 10))
    assert len(cat_files(repo.root)) == 1
    kept.close()
    assert cat_files(repo.root) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes read from /proc")
def test_a_run_reading_in_worker_processes_leaves_no_git_behind(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """In this (long-lived) process: a kept reader not ended would still be running when the run returns."""
    for n in range(300):
        repo.write(f"shots/sh{n // 8:03d}/plate.{n}.png", png_bytes(png_info(("Software", f"ARRI {n}"))))
    repo.add()
    monkeypatch.setattr(media_reads, "PARALLEL_MIN", 10)
    started = []
    monkeypatch.setattr(media_reads, "ProcessPoolExecutor",
                        lambda *args, **kwargs: started.append(1) or ProcessPoolExecutor(*args, **kwargs))
    for jobs in ("1", "2"):
        done = repo.run("run", "--no-cache", "--jobs", jobs)
        assert (done.code, done.err) == (0, ""), done
        assert "300 files checked" in done.out, done.out
        assert cat_files(repo.root) == []
    assert started == [1]
