"""Hostile and careless input (SPEC §9): every case is a real repository, and after every check the
repository — `.git` and the working tree — is byte for byte what it was before.

Each test names what an evasive or careless artist tries; the assertion is that the gate holds:
the right exit code, the right finding, nothing written, no repository program started.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GIT_ENV, ROOT_MANIFEST, Repo, generated
from PIL import Image
from provenance_media import TRAINED, png_info, xmp_packet
from test_run_media import CLEAN_PNG, SD_PNG, store_lfs_object

VIOLATION = ROOT_MANIFEST + generated(["deliverables/**"])


def fingerprint(root: Path) -> dict[str, str]:
    """Every file and symlink under `root`, `.git` included: its kind and content hash."""
    found: dict[str, str] = {}
    for directory, names, files in os.walk(root):
        for name in files + [n for n in names if os.path.islink(os.path.join(directory, n))]:
            path = os.path.join(directory, name)
            info = os.lstat(path)
            relative = os.path.relpath(path, root)
            if stat.S_ISLNK(info.st_mode):
                found[relative] = "link:" + os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                found[relative] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            else:
                found[relative] = f"special:{stat.S_IFMT(info.st_mode)}"
    return found


class Unchanged:
    """Remembers a repository once it is built; `verify` fails if anything in it changed since."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.before: dict[str, str] | None = None

    def freeze(self) -> None:
        self.before = fingerprint(self.root)

    def verify(self) -> None:
        assert self.before is not None, "call unchanged.freeze() once the repository is built"
        after = fingerprint(self.root)
        changed = sorted(set(after) ^ set(self.before) | {p for p in after if self.before.get(p) != after[p]})
        assert changed == [], f"the check changed the repository: {changed[:10]}"


@pytest.fixture
def unchanged(repo: Repo) -> Iterator[Unchanged]:
    watch = Unchanged(repo.root)
    yield watch
    watch.verify()


def genai_hooks(repo: Repo, *args: str, env: dict[str, str] | None = None,
                cwd: Path | None = None, **options: object) -> subprocess.CompletedProcess:
    """The console entry point in a process of its own, as pre-commit and CI start it."""
    return subprocess.run([sys.executable, "-m", "genai_hooks.cli", *args], check=False, cwd=cwd or repo.root,
                          env={**os.environ, **GIT_ENV, **(env or {})}, capture_output=True, **options)


# -- file names are never options --------------------------------------------------------------------------------

OPTION_NAMES = ["--help", "--no-metadata", "--rev=HEAD", "--as-of=2000-01-01", "--output=genai.toml", "-h"]


def test_files_named_like_options_are_judged_as_paths_after_double_dash(repo: Repo, unchanged: Unchanged) -> None:
    repo.write("genai.toml", ROOT_MANIFEST.replace('"deliverables/**"', '"-*"') + generated(["-*"]))
    for name in OPTION_NAMES:
        repo.write(name, "generated pixels")
    repo.add()
    unchanged.freeze()
    done = repo.check("--", *OPTION_NAMES)
    assert done.code == 1, done.err
    assert sorted(f["path"] for f in done.json["findings"] if f["rule"] == "GAI201") == sorted(OPTION_NAMES)


def test_run_h_and_help_print_help(repo: Repo) -> None:
    for flag in ("-h", "--help"):
        done = repo.run("run", flag)
        assert done.code == 0 and "usage: genai-hooks run" in done.out and "--diff BASE" in done.out


def test_double_dash_with_no_path_judges_the_staged_change_not_an_audit(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.add()
    repo.commit()
    repo.write("notes.txt")
    repo.add()
    done = repo.check("--")  # what the hook runs for a commit with no file names to pass
    assert done.code == 0 and done.json["findings"] == []  # the committed violation is not this change's
    assert repo.check().code == 1  # a full audit still sees it


# -- the bytes judged are the snapshot's --------------------------------------------------------------------------


def _large_png(text_key: str) -> bytes:
    """A PNG over 1 MiB (noise does not compress) whose first text chunk is `text_key` = a generation record."""
    noise = Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3))
    out = io.BytesIO()
    noise.save(out, format="PNG", pnginfo=png_info((text_key, "a castle at night\nSteps: 30, Seed: 1")))
    return out.getvalue()


@pytest.mark.parametrize("hide", ["assume-unchanged", "skip-worktree", "sparse"])
def test_a_clean_working_copy_never_speaks_for_a_generated_staged_blob(repo: Repo, unchanged: Unchanged, hide: str) -> None:
    staged = _large_png("parameters")
    clean = staged.replace(b"tEXtparameters", b"tEXtcomment\0\0\0", 1)  # same size, no generation record
    assert len(staged) > 1 << 20 and len(clean) == len(staged)
    repo.write("shots/sh010/paint.png", staged)
    repo.write("other/keep.txt", "kept")
    repo.add()
    repo.commit()
    if hide == "sparse":
        repo.git("sparse-checkout", "set", "--no-cone", "other/")
        (repo.root / "shots" / "sh010").mkdir(parents=True)
    else:
        repo.git("update-index", f"--{hide}", "shots/sh010/paint.png")
    (repo.root / "shots" / "sh010" / "paint.png").write_bytes(clean)
    unchanged.freeze()
    for args in (("--", "shots/sh010/paint.png"), (), ("--rev", "HEAD")):
        done = repo.check(*args)
        assert "GAI301" in [f["rule"] for f in done.json["findings"]], (args, done.out)


@pytest.mark.parametrize("version", ["https://git-lfs.github.com/spec/v1", "https://hawser.github.com/spec/v1",
                                     "http://git-media.io/v/2"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_lfs_pointers_are_recognised_as_git_lfs_recognises_them(repo: Repo, unchanged: Unchanged, version: str, newline: str) -> None:
    oid = hashlib.sha256(SD_PNG).hexdigest()
    pointer = newline.join([f"version {version}", f"oid sha256:{oid}", f"size {len(SD_PNG)}", ""])
    repo.write("shots/paint.png", pointer.encode())
    store_lfs_object(repo, SD_PNG)
    repo.add()
    unchanged.freeze()
    done = repo.check()
    assert [(f["rule"], f["evidence"][0]["kind"]) for f in done.json["findings"]] == [("GAI301", "png-text")]


def test_a_fifo_in_the_lfs_store_is_never_opened(repo: Repo, unchanged: Unchanged) -> None:
    oid = hashlib.sha256(b"frame").hexdigest()
    repo.write("shots/a.png", f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 5\n")
    repo.add()
    fifo = repo.root / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    unchanged.freeze()
    start = time.monotonic()
    done = genai_hooks(repo, "run", "--format", "json", timeout=30)
    assert time.monotonic() - start < 20
    assert done.returncode == 0 and b"GAI303" in done.stdout and b"git lfs pull" in done.stdout


# -- no program the repository configures runs --------------------------------------------------------------------

SPY = """#!/bin/sh
echo "$0 $*" >> "{log}"
cat >/dev/null 2>&1
exit 0
"""


@pytest.mark.slow
def test_no_repository_program_runs_and_nothing_under_git_changes(repo: Repo, unchanged: Unchanged, tmp_path: Path) -> None:
    log = tmp_path / "spy.log"
    spy = tmp_path / "spy.sh"
    spy.write_text(SPY.format(log=log))
    spy.chmod(0o755)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "post-index-change", "post-checkout", "reference-transaction", "fsmonitor-watchman"):
        (hooks / hook).symlink_to(spy)
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr", "pixels")
    repo.write("shots/b.png", SD_PNG)
    repo.add()
    base = repo.commit()
    repo.write("deliverables/c.exr", "more pixels")
    repo.write(".gitattributes", "*.exr filter=spy diff=spy\n*.png filter=spy diff=spy\n")
    repo.add()
    repo.commit()
    repo.write("deliverables/d.exr", "staged pixels")
    repo.add("deliverables/d.exr")
    for key, value in (("core.fsmonitor", str(spy)), ("filter.spy.clean", str(spy)), ("filter.spy.smudge", str(spy)),
                       ("filter.spy.process", str(spy)), ("filter.spy.required", "true"), ("diff.external", str(spy)),
                       ("diff.spy.textconv", str(spy)), ("diff.spy.command", str(spy)), ("core.hooksPath", str(hooks)),
                       ("core.sshCommand", str(spy)), ("core.pager", str(spy)), ("index.sparse", "true")):
        repo.git("config", key, value)
    subprocess.run(["git", "ls-files"], cwd=repo.root, capture_output=True, check=True)  # the spy does work...
    assert log.exists(), "the fsmonitor spy should run for plain git"
    log.unlink()
    (repo.root / "deliverables" / "d.exr").write_text("edited, unstaged")  # a working tree the filters would read
    unchanged.freeze()
    for args in (("run",), ("run", "--", "deliverables/d.exr", "shots/b.png"), ("run", "--rev", "HEAD"),
                 ("run", "--diff", base), ("run", "--"), ("report",)):
        done = genai_hooks(repo, *args)
        assert done.returncode in (0, 1), (args, done.stderr)
        assert not log.exists(), f"genai-hooks {' '.join(args)} started {log.read_text()}"


def test_a_sparse_index_is_read_without_writing_tree_objects(repo: Repo, unchanged: Unchanged) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a/b.exr")
    repo.write("work/c.exr")
    repo.add()
    repo.commit()
    repo.git("sparse-checkout", "init", "--cone", "--sparse-index")
    repo.git("sparse-checkout", "set", "work")
    repo.write("work/d.exr")
    repo.add("work/d.exr")  # the cache tree of the sparse index is now incomplete
    unchanged.freeze()
    for args in ((), ("--", "work/d.exr"), ("--diff", "HEAD")):
        done = repo.check(*args)
        assert done.code in (0, 1), done.err
    assert [f["path"] for f in repo.check().json["findings"]] == ["deliverables/a/b.exr"]


# -- one-line errors, never "internal error" -----------------------------------------------------------------------


def test_deeply_nested_toml_is_gai001(repo: Repo, unchanged: Unchanged) -> None:
    repo.write("genai.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n")
    repo.write("shots/genai.toml", "y = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n")
    repo.write("shots/a.exr")
    repo.add()
    unchanged.freeze()
    done = repo.check()
    assert done.code == 1
    assert {(f["rule"], f["path"]) for f in done.json["findings"]} == {("GAI001", "genai.toml"),
                                                                    ("GAI001", "shots/genai.toml")}
    assert "nested too deeply" in done.json["findings"][0]["message"]


def _one_line_exit_2(done: subprocess.CompletedProcess, *fragments: str) -> None:
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert len(err.strip().splitlines()) == 1 and "internal error" not in err and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err


@pytest.mark.slow
def test_dubious_ownership_names_the_safe_directory_fix(repo: Repo, unchanged: Unchanged) -> None:
    repo.write("a.txt")
    repo.add()
    unchanged.freeze()
    for args in (("run",), ("run", "--", "a.txt"), ("run", "--diff", "HEAD"), ("report",)):
        done = genai_hooks(repo, *args, env={"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"})
        _one_line_exit_2(done, "git config --global --add safe.directory", str(repo.root))


@pytest.mark.slow
def test_a_corrupt_index_is_one_line(repo: Repo) -> None:
    repo.write("a.txt")
    repo.add()
    (repo.root / ".git" / "index").write_bytes(b"DIRC, but not an index")
    for args in (("run",), ("run", "--", "a.txt"), ("run", "--diff", "HEAD"), ("report",)):
        _one_line_exit_2(genai_hooks(repo, *args), "index")


@pytest.mark.slow
def test_a_deleted_current_directory_is_one_line(repo: Repo, tmp_path: Path) -> None:
    gone = repo.root / "gone"
    script = ("import os, sys, shutil; from genai_hooks.cli import main; os.chdir(sys.argv[1]); "
              "shutil.rmtree(sys.argv[1]); sys.exit(main(sys.argv[2:]))")
    for args in (["run"], ["run", "--", "a.txt"], ["report"]):
        gone.mkdir()
        done = subprocess.run([sys.executable, "-c", script, str(gone), *args], capture_output=True,
                              env={**os.environ, **GIT_ENV}, check=False)
        _one_line_exit_2(done, "current directory no longer exists")


def test_a_sha256_repository_is_judged(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "sha256")
    repo.root.mkdir()
    repo.git("init", "-q", "--object-format=sha256", "-b", "main")
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.write("shots/b.png", SD_PNG)
    repo.add()
    base = repo.commit()
    repo.write("deliverables/c.exr")
    repo.add()
    for args in ((), ("--", "deliverables/c.exr", "shots/b.png"), ("--rev", "HEAD"), ("--diff", base)):
        done = repo.check(*args)
        assert done.code == 1, (args, done.err)
        assert {f["rule"] for f in done.json["findings"]} >= {"GAI201"}, args


@pytest.mark.slow
def test_a_closed_stdout_never_turns_exit_1_into_0(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    for frame in range(2000):
        repo.write(f"deliverables/shot{frame}/a.exr")  # enough output to fill a pipe nobody reads
    repo.add()
    process = subprocess.Popen([sys.executable, "-m", "genai_hooks.cli", "run"], cwd=repo.root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **GIT_ENV})
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # `genai-hooks run | true`
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1, err
    assert "Traceback" not in err and "internal error" not in err


# -- linear time, whatever a manifest says --------------------------------------------------------------------------


def test_nested_double_stars_and_a_backtracking_approval_pattern_finish_quickly(repo: Repo, unchanged: Unchanged
                                                                                ) -> None:
    deep = "/".join(f"d{i}" for i in range(29))
    evil = "/".join(["**", "*"] * 12) + "/nope.exr"
    repo.write("genai.toml", ROOT_MANIFEST.replace('title = "Nightfall S1"', 'title = "Nightfall S1"\n'
                                                   'approval_pattern = "(a|aa)+"')
               + generated([evil]) + generated(["deliverables/**"], approval="a" * 58 + "b"))
    repo.write(f"{deep}/x.exr")
    repo.write("deliverables/a.exr")
    repo.add()
    unchanged.freeze()
    start = time.monotonic()
    done = repo.check()
    assert time.monotonic() - start < 5
    assert {f["rule"] for f in done.json["findings"]} >= {"GAI203", "GAI401"}
    assert done.code == 1


def test_a_backtracking_only_approval_pattern_is_gai001(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST.replace('title = "Nightfall S1"', 'title = "Nightfall S1"\n'
                                                   'approval_pattern = "(NFX)-\\\\1"'))
    repo.add()
    done = repo.check()
    [finding] = done.json["findings"]
    assert finding["rule"] == "GAI001" and "approval_pattern" in finding["message"] and finding["line"] == 5
    assert "RE2" in finding["message"] and done.err == ""


# -- paths as artists' file systems show them -----------------------------------------------------------------------


def test_a_capitalised_deliverables_folder_is_deliverable(repo: Repo, unchanged: Unchanged) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["Deliverables/**", "DELIVERABLES/**"]))
    repo.write("Deliverables/sh010/sky.exr")
    repo.write("DELIVERABLES/sh020/sky.exr")
    repo.add()
    unchanged.freeze()
    done = repo.check()
    assert sorted(f["path"] for f in done.json["findings"] if f["rule"] == "GAI201") == [
        "DELIVERABLES/sh020/sky.exr", "Deliverables/sh010/sky.exr"]


def test_decomposed_unicode_paths_match_composed_patterns(repo: Repo, unchanged: Unchanged) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/café/**"]))
    repo.write("deliverables/cafe\u0301/sky.exr")  # as macOS without core.precomposeUnicode stores it
    repo.add()
    unchanged.freeze()
    for args in ((), ("--", "deliverables/cafe\u0301/sky.exr")):
        done = repo.check(*args)
        assert [f["rule"] for f in done.json["findings"]] == ["GAI201"], args


def test_a_windows_separator_in_a_pattern_is_gai001_with_the_fix(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables\\sh010\\*.exr"]))
    repo.add()
    [finding] = repo.check().json["findings"]
    assert finding["rule"] == "GAI001" and "did you mean 'deliverables/sh010/*.exr'?" in finding["message"]


def test_a_committed_sidecar_missing_on_disk_still_counts(repo: Repo, unchanged: Unchanged) -> None:
    repo.write("shots/sh010/paint.png", CLEAN_PNG)
    repo.write("shots/sh010/paint.xmp", xmp_packet(TRAINED))
    repo.add()
    repo.commit()
    (repo.root / "shots" / "sh010" / "paint.xmp").unlink()  # gone from disk, still in the index and HEAD
    unchanged.freeze()
    for args in (("--", "shots/sh010/paint.png"), (), ("--rev", "HEAD"), ("--rev", "HEAD", "--", "shots/sh010")):
        done = repo.check(*args)
        assert [(f["rule"], f["evidence"][0]["kind"]) for f in done.json["findings"]] == [
            ("GAI301", "xmp-digital-source-type")], args


# -- fail closed in deliverables: timelines ---------------------------------------------------------------------------

CUT_MANIFEST = ROOT_MANIFEST.replace('paths = ["deliverables/**"]', 'paths = ["deliverables/**", "editorial/locked/**"]')


def _edl(*events: tuple[str, str, str], fps: int = 24) -> bytes:
    """A CMX 3600 EDL: (clip name, source path, record in) events of one second each."""
    def plus_a_second(timecode: str) -> str:
        h, m, s, f = (int(x) for x in timecode.split(":"))
        total = ((h * 60 + m) * 60 + s + 1) * fps + f
        frames, seconds = total % fps, total // fps
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}:{frames:02d}"

    lines = ["TITLE: LOCK", "FCM: NON-DROP FRAME", ""]
    for number, (name, source, record_in) in enumerate(events, start=1):
        lines += [f"{number:03d}  AX       V     C        00:00:00:00 00:00:01:00 {record_in} {plus_a_second(record_in)}",
                  f"* FROM CLIP NAME:  {name}", f"* FROM CLIP: {source}", ""]
    return "\n".join(lines).encode()


def test_one_bad_edl_line_blocks_the_cut_instead_of_passing_it(repo: Repo, unchanged: Unchanged) -> None:
    repo.write("genai.toml", CUT_MANIFEST + '\n[editorial]\npath_map = { "/mnt/show/" = "" }\n'
               + generated(["previs/**"]))
    repo.write("previs/mood.png", CLEAN_PNG)
    edl = _edl(("mood", "/mnt/show/previs/mood.png", "01:00:00:00"))
    repo.write("editorial/locked/r1.edl", edl + b"002  AX  V  C  garbage that no EDL reader accepts\n")
    repo.add()
    unchanged.freeze()
    done = repo.check()
    [finding] = [f for f in done.json["findings"] if f["path"] == "editorial/locked/r1.edl"]
    assert (finding["rule"], finding["severity"]) == ("GAI304", "error") and done.code == 1


def test_a_reference_a_generated_pattern_names_is_generated_though_not_committed(repo: Repo, unchanged: Unchanged
                                                                                 ) -> None:
    repo.write("genai.toml", CUT_MANIFEST + '\n[editorial]\npath_map = { "/mnt/show/" = "" }\n'
               + generated(["shots/sh010/gen/*.####.exr"]))
    repo.write("editorial/locked/r1.edl", _edl(("sky", "/mnt/show/shots/sh010/gen/sky.1001.exr", "01:00:00:00")))
    repo.add()
    unchanged.freeze()
    [finding] = [f for f in repo.check().json["findings"] if f["rule"] != "GAI401"]  # the entry matches no file
    assert finding["rule"] == "GAI302" and "shots/sh010/gen/sky.1001.exr" in finding["message"]


def test_unmapped_references_are_one_warning_per_timeline(repo: Repo, unchanged: Unchanged) -> None:
    repo.write("genai.toml", CUT_MANIFEST)
    events = [(f"plate{n}", f"/san/archive/plate.{1001 + n}.exr", f"01:00:{n:02d}:00") for n in range(55)]
    repo.write("editorial/locked/r1.edl", _edl(*events))
    repo.add()
    unchanged.freeze()
    done = repo.check()
    [finding] = done.json["findings"]
    assert (finding["rule"], finding["severity"]) == ("GAI305", "warning")
    assert "55 media reference(s) cannot be mapped" in finding["message"] and "and 52 more" in finding["message"]
    assert done.json["notes"] == [] and done.code == 0


def test_a_nested_path_map_cannot_map_the_roots_prefix_away_from_generated_media(repo: Repo, unchanged: Unchanged
                                                                                  ) -> None:
    repo.write("genai.toml", CUT_MANIFEST + '\n[editorial]\npath_map = { "/mnt/show/" = "" }\n'
               + generated(["previs/**"]))
    repo.write("editorial/locked/genai.toml", '[editorial]\npath_map = { "/mnt/show/" = "elsewhere/" }\n')
    repo.write("previs/mood.png", CLEAN_PNG)
    repo.write("elsewhere/previs/mood.png", CLEAN_PNG)
    repo.write("editorial/locked/r1.edl", _edl(("mood", "/mnt/show/previs/mood.png", "01:00:00:00")))
    repo.add()
    unchanged.freeze()
    assert [f["rule"] for f in repo.check().json["findings"]] == ["GAI302"]


def test_a_nested_rate_cannot_make_a_cut_unreadable_and_passing(repo: Repo, unchanged: Unchanged) -> None:
    repo.write("genai.toml", CUT_MANIFEST + '\n[editorial]\npath_map = { "/mnt/show/" = "" }\nrate = 30\n'
               + generated(["previs/**"]))
    repo.write("editorial/locked/genai.toml", "[editorial]\nrate = 24\n")  # frame 29 is no 24 fps timecode
    repo.write("previs/mood.png", CLEAN_PNG)
    repo.write("editorial/locked/r1.edl", _edl(("mood", "/mnt/show/previs/mood.png", "01:00:00:29"), fps=30))
    repo.write("editorial/locked/r2.edl", b"001  garbage\n")
    repo.add()
    unchanged.freeze()
    found = sorted((f["rule"], f["path"]) for f in repo.check().json["findings"])
    assert found == [("GAI302", "editorial/locked/r1.edl"), ("GAI304", "editorial/locked/r2.edl")]


@pytest.mark.slow
def test_a_100000_clip_timeline_is_judged_in_bounded_memory(repo: Repo, tmp_path: Path) -> None:
    repo.write("genai.toml", CUT_MANIFEST + '\n[editorial]\npath_map = { "/mnt/show/" = "" }\n'
               + generated(["previs/**"]))
    repo.write("previs/mood.png", CLEAN_PNG)
    clip = ('{"OTIO_SCHEMA": "Clip.2", "name": "c%d", "source_range": {"OTIO_SCHEMA": "TimeRange.1", '
            '"start_time": {"OTIO_SCHEMA": "RationalTime.1", "rate": 24.0, "value": 0.0}, '
            '"duration": {"OTIO_SCHEMA": "RationalTime.1", "rate": 24.0, "value": 24.0}}, '
            '"media_references": {"DEFAULT_MEDIA": {"OTIO_SCHEMA": "ExternalReference.1", '
            '"target_url": "file:///mnt/show/%s"}}, "active_media_reference_key": "DEFAULT_MEDIA"}')
    clips = ",".join(clip % (n, "previs/mood.png" if n == 99_999 else f"plates/p{n}.exr") for n in range(100_000))
    repo.write("editorial/locked/long.otio", '{"OTIO_SCHEMA": "Timeline.1", "name": "long", "tracks": '
               '{"OTIO_SCHEMA": "Stack.1", "name": "tracks", "children": [{"OTIO_SCHEMA": "Track.1", "name": "V1", '
               '"kind": "Video", "children": [' + clips + ']}]}}')
    repo.add()
    probe = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True); "
             "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, "
             "done.stdout.count(b'GAI302'))")
    out = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "genai_hooks.cli", "run", "--format",
                          "json", "--", "editorial/locked/long.otio"], cwd=repo.root, capture_output=True, text=True,
                         env={**os.environ, **GIT_ENV}, check=True).stdout.split()
    code, peak_mb, gai302 = (int(x) for x in out)
    assert code == 1 and gai302 >= 1
    assert peak_mb <= 500, f"peak RSS {peak_mb} MB"
    print(f"100,000-clip timeline: peak RSS {peak_mb} MB")


def test_a_committed_sidecar_missing_on_disk_counts_among_many_directories(repo: Repo, unchanged: Unchanged) -> None:
    frames = [f"shots/sh{n:03d}/paint.png" for n in range(70)]  # more directories than ls-tree is asked about
    for frame in frames:
        repo.write(frame, CLEAN_PNG)
    repo.write("shots/sh042/paint.XMP", xmp_packet(TRAINED))
    repo.add()
    repo.commit()
    (repo.root / "shots" / "sh042" / "paint.XMP").unlink()
    unchanged.freeze()
    for args in (("--", *frames), ("--rev", "HEAD", "--", *frames)):
        done = repo.check(*args)
        assert [(f["rule"], f["path"]) for f in done.json["findings"]] == [("GAI301", "shots/sh042/paint.png")], args


def _png_with_record_after_pixels() -> bytes:
    """A PNG over 1 MiB whose generation record is a tEXt chunk after the pixel data, past the first MiB."""
    import struct
    import zlib

    noise = Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3))
    out = io.BytesIO()
    noise.save(out, format="PNG")
    data = out.getvalue()
    body = b"tEXt" + b"parameters\0a castle at night\nSteps: 30, Seed: 1"
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    end = data.rindex(b"IEND") - 4
    return data[:end] + chunk + data[end:]


@pytest.mark.parametrize("worktree", ["present", "deleted", "replaced"])
def test_the_working_tree_never_supplies_bytes_of_a_large_blob(repo: Repo, worktree: str) -> None:
    generated_png = _png_with_record_after_pixels()
    assert len(generated_png) > 1 << 20 and generated_png.index(b"parameters") > 1 << 20
    repo.write("shots/sh010/paint.png", generated_png)
    repo.add()
    repo.commit()
    target = repo.root / "shots" / "sh010" / "paint.png"
    if worktree == "deleted":
        target.unlink()
    elif worktree == "replaced":
        target.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    verdicts = []
    for args in ((), ("--", "shots/sh010/paint.png"), ("--rev", "HEAD"), ("--rev", "HEAD", "shots/sh010/paint.png")):
        done = repo.check(*args)
        verdicts.append((done.code, [f["rule"] for f in done.json["findings"]]))
    assert verdicts == [(1, ["GAI301"])] * 4, verdicts
