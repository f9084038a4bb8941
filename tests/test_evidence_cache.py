"""The evidence cache (SPEC §17): warm, cold, `--no-cache` and broken-cache runs print the same bytes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GIT_ENV, ROOT_MANIFEST, Repo
from provenance_media import (
    TRAINED,
    exif_with,
    jpeg_bytes,
    png_bytes,
    png_chunk,
    png_info,
    png_insert_before_iend,
    xmp_packet,
)

from genai_hooks.evidence_cache import FILE_NAME, cache_directory

SD_PNG = png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1")))
MIDJOURNEY_PNG = png_bytes(png_info(("Software", "Midjourney v6")))
CLEAN_PNG = png_bytes(png_info(("Software", "ARRI Reference Tool")))
FIREFLY_JPEG = jpeg_bytes(xmp=xmp_packet(TRAINED))
CAMERA_JPEG = jpeg_bytes(exif=exif_with(software="ARRI Reference Tool"))


def media_repo(repo: Repo) -> None:
    repo.write("shots/sh010/cleanup.png", SD_PNG)
    repo.write("shots/sh010/mood.png", MIDJOURNEY_PNG)
    repo.write("shots/sh010/plate.png", CLEAN_PNG)
    repo.write("shots/sh020/sky.jpg", FIREFLY_JPEG)
    repo.write("shots/sh020/still.jpg", CAMERA_JPEG)
    repo.add()


def run_json(repo: Repo, *args: str) -> tuple[int, str, str]:
    done = repo.run("run", "--format", "json", *args)
    return done.code, done.out, done.err


def rows(cache: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(cache / FILE_NAME) as connection:
        return sorted(connection.execute("SELECT blob, reader, context, found FROM evidence"))


def test_a_warm_run_prints_byte_for_byte_what_a_cold_run_prints(repo: Repo, evidence_cache: Path) -> None:
    media_repo(repo)
    cold = run_json(repo)
    assert cold[0] == 1 and cold[2] == ""
    stored = rows(evidence_cache)
    assert len(stored) == 5  # one entry a blob
    blob = repo.git("rev-parse", ":shots/sh010/cleanup.png").strip()
    assert any(row[0] == blob and row[2] == ".png" and "png-text" in row[3] for row in stored)
    assert run_json(repo) == cold
    assert run_json(repo, "--no-cache") == cold
    assert rows(evidence_cache) == stored


def test_what_the_cache_holds_for_a_blob_is_what_the_run_reads(repo: Repo, evidence_cache: Path) -> None:
    """The key is the blob: a warm run does not read the content again (shown by an entry edited behind its back)."""
    media_repo(repo)
    cold = run_json(repo)
    blob = repo.git("rev-parse", ":shots/sh010/plate.png").strip()
    with sqlite3.connect(evidence_cache / FILE_NAME) as connection:
        edited = connection.execute("UPDATE evidence SET found = ? WHERE blob = ?",
                                    ('[[["png-text","medium","parameters (AUTOMATIC1111/Forge)"]],null,[]]', blob))
        assert edited.rowcount == 1
    warm = run_json(repo)
    assert "shots/sh010/plate.png" in warm[1] and "shots/sh010/plate.png" not in cold[1]
    assert run_json(repo, "--no-cache") == cold  # --no-cache reads no entry


def test_no_cache_neither_reads_nor_writes_the_cache(repo: Repo, evidence_cache: Path) -> None:
    media_repo(repo)
    run_json(repo, "--no-cache")
    assert not (evidence_cache / FILE_NAME).exists()


def test_entries_of_another_reader_version_are_never_read(repo: Repo, evidence_cache: Path) -> None:
    media_repo(repo)
    cold = run_json(repo)
    with sqlite3.connect(evidence_cache / FILE_NAME) as connection:
        connection.execute("UPDATE evidence SET reader = '99.0.0+future'")
        connection.execute("INSERT INTO evidence SELECT blob, '0.0.1', context, 'not json' FROM evidence")
    assert run_json(repo) == cold
    assert len(rows(evidence_cache)) == 15  # this version's entries written beside the others


def _garbage_file(cache: Path) -> None:
    (cache / FILE_NAME).write_bytes(b"this is not an SQLite database\n" * 100)


def _truncated(cache: Path) -> None:
    data = (cache / FILE_NAME).read_bytes()
    (cache / FILE_NAME).write_bytes(data[:len(data) // 2 + 100])


def _damaged_entries(cache: Path) -> None:
    damaged = ("{", "[1, 2, 3]", '[[["c2pa", "mighty", "x"]], null, []]', "[[], 7, []]", "null")
    with sqlite3.connect(cache / FILE_NAME) as connection:
        keys = list(connection.execute("SELECT blob, reader, context FROM evidence"))
        for key, found in zip(keys, damaged):
            connection.execute("UPDATE evidence SET found = ? WHERE blob = ? AND reader = ? AND context = ?",
                               (found, *key))


def _foreign_table(cache: Path) -> None:
    (cache / FILE_NAME).unlink()
    with sqlite3.connect(cache / FILE_NAME) as connection:
        connection.execute("CREATE TABLE evidence (blob INTEGER PRIMARY KEY, other TEXT)")


def _a_file(cache: Path) -> None:
    for child in cache.iterdir():
        child.unlink()
    cache.rmdir()
    cache.write_text("a file where the cache directory should be\n")


def _symlink_to_root(cache: Path) -> None:
    for child in cache.iterdir():
        child.unlink()
    cache.rmdir()
    cache.symlink_to("/")


BROKEN = {"garbage": _garbage_file, "truncated": _truncated, "damaged-entries": _damaged_entries,
          "foreign-table": _foreign_table, "a-file": _a_file, "symlink-to-root": _symlink_to_root}


@pytest.mark.parametrize("damage", sorted(BROKEN))
def test_a_broken_cache_never_changes_the_output_nor_fails_the_run(repo: Repo, evidence_cache: Path,
                                                                   damage: str) -> None:
    media_repo(repo)
    cold = run_json(repo, "--no-cache")
    run_json(repo)  # fills the cache
    BROKEN[damage](evidence_cache)
    for _ in range(2):  # broken, then as the first broken run left it
        code, out, err = run_json(repo)
        assert (code, out) == cold[:2], damage
        assert err.count("\n") <= 1 and "Traceback" not in err, err
    status = repo.git("status", "--porcelain", "--ignored", "--untracked-files=all").splitlines()
    assert [line for line in status if not line.startswith("A  ")] == []  # nothing written into the repository
    assert not Path("/", FILE_NAME).exists()


def test_a_cache_inside_the_repository_is_never_used(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    media_repo(repo)
    cold = run_json(repo, "--no-cache")
    for named, inside in ((str(repo.root / "cache"), repo.root / "cache"),
                          (str(repo.root / ".git" / "genai-hooks"), repo.root / ".git" / "genai-hooks"),
                          ("relative-cache", repo.root / "relative-cache")):  # relative to the current directory
        monkeypatch.setenv("GENAI_HOOKS_CACHE", named)
        code, out, err = run_json(repo)
        assert (code, out) == cold[:2]
        assert err == f"genai-hooks: evidence cache {inside}: is inside the repository; not used\n"
        assert not inside.exists()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_cache_is_read_and_never_fails_the_run(repo: Repo, evidence_cache: Path) -> None:
    media_repo(repo)
    cold = run_json(repo)
    repo.write("shots/sh030/new.png", SD_PNG + b"\0")
    repo.add()
    expected = run_json(repo, "--no-cache")
    os.chmod(evidence_cache / FILE_NAME, 0o444)
    os.chmod(evidence_cache, 0o555)
    try:
        code, out, err = run_json(repo)
    finally:
        os.chmod(evidence_cache, 0o755)
    assert (code, out) == expected[:2] and cold[0] == 1
    assert err.count("\n") <= 1


def test_the_cache_lives_where_the_environment_says() -> None:
    assert cache_directory({"GENAI_HOOKS_CACHE": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"}) == "/c"
    assert cache_directory({"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == os.path.join("/x", "genai-hooks")
    assert cache_directory({"GENAI_HOOKS_CACHE": "", "XDG_CACHE_HOME": "relative"}) == os.path.join(
        os.path.expanduser("~"), ".cache", "genai-hooks")
    assert cache_directory({"GENAI_HOOKS_CACHE": "here"}) == os.path.join(os.getcwd(), "here")


def test_the_cache_falls_back_to_xdg_cache_home(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    media_repo(repo)
    monkeypatch.delenv("GENAI_HOOKS_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    run_json(repo)
    assert (tmp_path / "xdg" / "genai-hooks" / FILE_NAME).is_file()


@pytest.mark.slow
def test_two_runs_sharing_one_cache_at_once_print_what_one_run_prints(repo: Repo, evidence_cache: Path) -> None:
    for n in range(300):
        repo.write(f"shots/sh{n:03d}/frame.png", png_bytes(png_info(("parameters", f"castle {n}\nSteps: 30"))))
    repo.write("shots/clean.png", CLEAN_PNG)
    repo.add()
    expected = run_json(repo, "--no-cache")
    command = [sys.executable, "-m", "genai_hooks.cli", "run", "--format", "json"]
    environment = {**os.environ, **GIT_ENV, "GENAI_HOOKS_CACHE": str(evidence_cache)}
    for _ in range(2):  # cold together, then warm together
        runs = [subprocess.Popen(command, cwd=repo.root, env=environment, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE) for _ in range(2)]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert (run.returncode, out.decode()) == expected[:2]
            assert err == b""
    assert len(rows(evidence_cache)) == 301
    assert len(json.loads(expected[1])["findings"]) == 300


def test_what_could_not_be_read_whole_is_never_remembered(repo: Repo, evidence_cache: Path) -> None:
    """An absent LFS object may read otherwise next time: it is read again. A large blob is read whole from the
    object store (never the working tree), so what it holds is found, and remembered, at once."""
    import hashlib

    large = png_insert_before_iend(png_bytes(), png_chunk(b"prVt", bytes(2 << 20)),
                                   png_chunk(b"tEXt", b"parameters\0a castle\nSteps: 30"))
    repo.write("shots/large.png", large)
    oid = hashlib.sha256(SD_PNG).hexdigest()
    repo.write("shots/lfs.png", f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(SD_PNG)}\n")
    repo.add()
    (repo.root / "shots" / "large.png").write_bytes(CLEAN_PNG)  # the working tree no longer holds the blob
    first = repo.check()
    assert sorted((f["rule"], f["path"]) for f in first.json["findings"]) == [("GAI301", "shots/large.png"),
                                                                             ("GAI303", "shots/lfs.png")]
    assert len(rows(evidence_cache)) == 1  # the large blob's evidence; never the absent LFS object's
    stored = repo.root / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    stored.parent.mkdir(parents=True)
    stored.write_bytes(SD_PNG)
    second = repo.check()
    assert [(f["rule"], f["path"]) for f in second.json["findings"]] == [("GAI301", "shots/large.png"),
                                                                        ("GAI301", "shots/lfs.png")]
    assert second.out == repo.check("--no-cache").out == repo.check().out


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_never_changes_the_output_nor_fails_the_run(repo: Repo, evidence_cache: Path) -> None:
    """No write may grow a file past 24 KiB (as on a full disk): the cache cannot take 300 entries."""
    for n in range(300):
        repo.write(f"shots/sh{n:03d}/frame.png", png_bytes(png_info(("parameters", f"castle {n}\nSteps: 30"))))
    repo.add()
    expected = run_json(repo, "--no-cache")

    def full_disk() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (24 << 10, 24 << 10))

    environment = {**os.environ, **GIT_ENV, "GENAI_HOOKS_CACHE": str(evidence_cache)}
    said = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "genai_hooks.cli", "run", "--format", "json"], cwd=repo.root,
                              env=environment, capture_output=True, preexec_fn=full_disk, check=False)
        assert (done.returncode, done.stdout.decode()) == expected[:2]
        assert done.stderr.count(b"\n") <= 1 and b"Traceback" not in done.stderr, done.stderr
        said.append(done.stderr.decode())
    assert said[0].startswith("genai-hooks: evidence cache ") and ("not saved" in said[0] or "not used" in said[0])


def _frames(repo: Repo, folder: str, count: int = 12) -> None:
    """`count` distinct clean PNG frames in one folder: enough for the cache to keep the folder's summary."""
    for n in range(count):
        repo.write(f"{folder}/plate.{1001 + n}.png", png_bytes(png_info(("Software", f"ARRI Reference Tool {n}"))))


def summaries(cache: Path) -> list[tuple[str, str]]:
    return [(row[0], row[3]) for row in rows(cache) if row[2] == "group"]


def test_a_folder_read_whole_is_kept_as_one_summary_and_a_warm_run_uses_it(repo: Repo, evidence_cache: Path) -> None:
    """A warm audit looks a folder up in one row, not one a frame: shown by a summary edited behind its back."""
    _frames(repo, "shots/sh010/plate")
    repo.write("shots/sh010/plate/cleanup.png", SD_PNG)
    _frames(repo, "shots/sh020/plate", 3)  # too few for a summary: looked up frame by frame
    repo.add()
    cold = run_json(repo)
    assert [f["path"] for f in json.loads(cold[1])["findings"]] == ["shots/sh010/plate/cleanup.png"]
    (digest, found), = summaries(evidence_cache)
    assert list(json.loads(found)) == [repo.git("rev-parse", ":shots/sh010/plate/cleanup.png").strip() + "\x1f.png"]
    assert run_json(repo) == cold
    blob = repo.git("rev-parse", ":shots/sh010/plate/plate.1005.png").strip()
    with sqlite3.connect(evidence_cache / FILE_NAME) as connection:
        connection.execute("UPDATE evidence SET found = ? WHERE blob = ?",
                           (json.dumps({**json.loads(found), f"{blob}\x1f.png": SD_ROW}), digest))
    warm = [f["path"] for f in json.loads(run_json(repo)[1])["findings"]]
    assert warm == ["shots/sh010/plate/cleanup.png", "shots/sh010/plate/plate.1005.png"]
    assert run_json(repo, "--no-cache") == cold


SD_ROW = '[[["png-text","medium","parameters (AUTOMATIC1111/Forge)"]],null,[]]'


def test_a_generated_frame_slipped_into_a_summarised_folder_is_found(repo: Repo, evidence_cache: Path) -> None:
    """The evasive case: a folder the cache knows as clean gets one generated frame in place of a clean one, and a
    warm run (its summary names other contents) reads the new frame."""
    _frames(repo, "shots/sh010/plate")
    repo.add()
    assert run_json(repo)[0] == 0
    assert len(summaries(evidence_cache)) == 1
    repo.write("shots/sh010/plate/plate.1007.png", SD_PNG)
    repo.add()
    code, out, _ = run_json(repo)
    assert code == 1 and [f["path"] for f in json.loads(out)["findings"]] == ["shots/sh010/plate/plate.1007.png"]
    assert len(summaries(evidence_cache)) == 2  # the folder as it is now, beside the folder as it was
    assert run_json(repo) == (code, out, "")


def test_the_same_frames_under_other_markers_are_another_summary(repo: Repo, evidence_cache: Path) -> None:
    """What a reader is given (a declared tool's markers) is part of the key: a summary made without them is not
    the answer with them."""
    _frames(repo, "shots/sh010/plate")
    repo.add()
    run_json(repo)
    repo.write("genai.toml", ROOT_MANIFEST + '\n[tools.house]\nvendor = "Studio"\nmarkers = ["Reference Tool 3"]\n')
    repo.add()
    marked = run_json(repo)
    assert "shots/sh010/plate/plate.1004.png" in marked[1], marked
    assert len(summaries(evidence_cache)) == 2
    assert run_json(repo) == marked == run_json(repo, "--no-cache")


@pytest.mark.parametrize("damage", ["{", "[]", '{"x": 1}', '{"nope\\u001f.png": "[[],null,[]]"}', '{"a": "{"}'])
def test_a_damaged_summary_is_looked_up_frame_by_frame(repo: Repo, evidence_cache: Path, damage: str) -> None:
    _frames(repo, "shots/sh010/plate")
    repo.write("shots/sh010/plate/cleanup.png", SD_PNG)
    repo.add()
    cold = run_json(repo)
    with sqlite3.connect(evidence_cache / FILE_NAME) as connection:
        edited = connection.execute("UPDATE evidence SET found = ? WHERE context = 'group'", (damage,))
        assert edited.rowcount == 1
    assert run_json(repo) == cold
    with sqlite3.connect(evidence_cache / FILE_NAME) as connection:  # every entry but the summary gone: read again
        connection.execute("DELETE FROM evidence WHERE context != 'group'")
    assert run_json(repo) == cold
