"""Git's corners: the index vs the working tree, renames, deletions, odd paths, revisions, shallow clones."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ANY_REGISTER, GIT_ENV, ROOT_MANIFEST, Repo, generated

from genai_hooks.early import start_index_lookup
from genai_hooks.gitcmd import _stops_lazy_fetch
from genai_hooks.output import FORMATS

VIOLATION = ROOT_MANIFEST + generated(["deliverables/**"])


def test_unstaged_edit_never_changes_the_verdict(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-1") + ANY_REGISTER)
    repo.write("deliverables/a.exr")
    repo.add()
    assert repo.check().code == 0
    repo.write("genai.toml", VIOLATION)  # unstaged: removes the approval in the working tree only
    assert repo.check().code == 0
    repo.add("genai.toml")
    assert repo.check().code == 1


def test_staged_violation_is_judged_even_when_working_tree_is_fixed(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.add()
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-1") + ANY_REGISTER)
    assert repo.check("deliverables/a.exr").code == 1


def test_first_commit_with_no_head(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.add()
    assert repo.check().rules() == ["GAI201"]
    # no history yet: everything staged is new (what the genai-hooks-staged hook needs), never a pass
    staged = repo.check("--diff", "HEAD")
    assert (staged.code, staged.rules(), staged.json["summary"]["files_checked"]) == (1, ["GAI201"], 2)
    assert repo.check("--rev", "HEAD").code == 2  # but there is no commit to judge


def test_staged_changes_read_unchanged_manifests_from_head_not_the_working_tree(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/shots/genai.toml", "version = 1\n")
    repo.write("deliverables/a.exr")
    repo.add()
    repo.commit()
    repo.write("deliverables/shots/b.exr")
    repo.add("deliverables/shots/b.exr")
    repo.git("rm", "-q", "--cached", "deliverables/a.exr")  # staged deletion: never judged
    # unstaged edits of both manifests must not change the verdict
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-1") + ANY_REGISTER)
    repo.write("deliverables/shots/genai.toml", "version = [broken\n")
    done = repo.check("--diff", "HEAD")
    assert [(f["rule"], f["path"]) for f in done.json["findings"]] == [("GAI201", "deliverables/shots/b.exr")]
    assert done.json["summary"]["files_checked"] == 1


def test_rename_into_deliverables_is_judged_at_new_path(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["work/**", "deliverables/**"]))
    repo.write("work/sky.exr", "the same pixels")
    repo.add()
    base = repo.commit()
    (repo.root / "deliverables").mkdir()
    repo.git("mv", "work/sky.exr", "deliverables/sky.exr")
    done = repo.check("--diff", base)
    assert [f["path"] for f in done.json["findings"]] == ["deliverables/sky.exr"]
    repo.commit("move")
    assert [f["path"] for f in repo.check("--rev", "HEAD", "--diff", base).json["findings"]] == [
        "deliverables/sky.exr"]


def test_deleted_files_are_never_judged(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.add()
    base = repo.commit()
    repo.git("rm", "-q", "deliverables/a.exr")
    assert repo.check("--diff", base).json["findings"] == []
    done = repo.check("deliverables/a.exr")
    assert done.code == 0 and "deliverables/a.exr: not in the snapshot; skipped" in done.err


@pytest.mark.parametrize("name", ["with space/sky 01.exr", "ünïcødé/天空.exr", "new\nline.exr", "-dash.exr",
                                  "--rev.exr", "percent%2C,comma:colon.exr"])
def test_odd_paths_are_judged_exactly(repo: Repo, name: str) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/" + name)
    repo.add()
    done = repo.check("--", "deliverables/" + name)
    assert [f["path"] for f in done.json["findings"]] == ["deliverables/" + name]
    assert [f["path"] for f in repo.check().json["findings"]] == ["deliverables/" + name]


def test_leading_dash_file_is_a_path_after_double_dash_and_never_an_option_before(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/-x.exr")
    repo.add()
    done = repo.run("run", "--format", "json", "deliverables/-x.exr")
    assert done.code == 1
    done = repo.run("run", "--format", "json", "--", "-x.exr", cwd=repo.root / "deliverables")
    assert done.code == 1, done.err
    done = repo.run("run", "--format", "json", "-x.exr", cwd=repo.root / "deliverables")
    assert done.code == 2 and "unrecognized arguments: -x.exr" in done.err


def test_paths_are_relative_to_the_current_directory(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/sh010/a.exr")
    repo.add()
    done = repo.check("a.exr", cwd=repo.root / "deliverables" / "sh010")
    assert [f["path"] for f in done.json["findings"]] == ["deliverables/sh010/a.exr"]
    done = repo.check(".", cwd=repo.root / "deliverables")
    assert done.json["summary"]["files_checked"] == 1


def test_rev_judges_a_commit_and_detached_head(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.add()
    bad = repo.commit()
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-1") + ANY_REGISTER)
    repo.add()
    good = repo.commit()
    assert repo.check("--rev", bad).code == 1
    assert repo.check("--rev", good).code == 0
    repo.git("checkout", "-q", "--detach", bad)
    assert repo.check().code == 1
    assert repo.check().json["snapshot"] == "index"
    assert repo.check("--rev", "HEAD").json["snapshot"] == bad


def test_pre_commit_to_ref_selects_the_snapshot(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.add()
    bad = repo.commit()
    repo.git("rm", "-q", "deliverables/a.exr")
    assert repo.check().code == 0
    assert repo.check(env={"PRE_COMMIT_TO_REF": bad}).code == 1


def test_diff_uses_the_merge_base(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("readme.txt")
    repo.add()
    base = repo.commit()
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("deliverables/new.exr")
    repo.add()
    repo.commit("feature work")
    repo.git("checkout", "-q", "main")
    repo.write("deliverables/on-main.exr")
    repo.add()
    repo.commit("main moves on")
    repo.git("checkout", "-q", "feature")
    done = repo.check("--rev", "HEAD", "--diff", "main")
    assert [f["path"] for f in done.json["findings"]] == ["deliverables/new.exr"]
    assert base


def test_unknown_revision_and_not_a_repository_exit_2(repo: Repo, tmp_path: Path) -> None:
    repo.write("a.txt")
    repo.add()
    repo.commit()
    done = repo.check("--rev", "no-such-branch")
    assert done.code == 2 and "unknown revision 'no-such-branch'" in done.err and "Traceback" not in done.err
    outside = tmp_path / "plain"
    outside.mkdir()
    done = repo.check(cwd=outside)
    assert done.code == 2 and "is not inside a Git repository" in done.err


def test_shallow_clone_without_merge_base_exits_2_naming_fetch_depth(repo: Repo, tmp_path: Path) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.add()
    base = repo.commit()
    for n in range(3):
        repo.write(f"deliverables/{n}.exr")
        repo.add()
        repo.commit(f"c{n}")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True,
                   env={**GIT_ENV, "PATH": __import__("os").environ["PATH"]})
    shallow = Repo(clone)
    done = shallow.check("--rev", "HEAD", "--diff", base)
    assert done.code == 2 and "fetch-depth: 0" in done.err
    shallow.git("fetch", "-q", "--depth", "1", "origin", base)
    done = shallow.check("--rev", "HEAD", "--diff", base)
    assert done.code == 2 and "fetch-depth: 0" in done.err


def test_submodules_are_not_judged_as_files_but_uninspected_in_deliverables(repo: Repo, tmp_path: Path) -> None:
    inner = Repo(tmp_path / "inner")
    inner.root.mkdir()
    inner.git("init", "-q")
    inner.write("x.exr")
    inner.add()
    inner.commit()
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.add()
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner.root), "deliverables/vendor")
    for done in (repo.check(), repo.check("--diff", "HEAD"), repo.check("deliverables")):
        found = [(f["rule"], f["path"]) for f in done.json["findings"] if f["rule"] != "GAI401"]
        assert found == [("GAI303", "deliverables/vendor")]
        assert done.code == 0  # a warning: never GAI201, never silently clean


def test_run_never_writes_to_the_repository_or_its_index(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.add()
    repo.commit()
    repo.write("deliverables/a.exr", "touched")  # stat-dirty: a refreshing command would rewrite the index
    index = repo.root / ".git" / "index"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    tree_before = sorted(str(p) for p in repo.root.rglob("*") if ".git" not in p.parts)
    for args in (("run",), ("run", "--rev", "HEAD"), ("run", "--format", "json", "deliverables")):
        repo.run(*args)
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before
    assert sorted(str(p) for p in repo.root.rglob("*") if ".git" not in p.parts) == tree_before


def test_a_missing_path_with_a_newline_does_not_hide_the_others(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.add()
    repo.write("deliverables/gone\nmissing.exr")  # on disk, never staged: a note, not a typo
    done = repo.check("deliverables/gone\nmissing.exr", "deliverables/a.exr")
    assert [f["path"] for f in done.json["findings"]] == ["deliverables/a.exr"]
    assert [n["path"] for n in done.json["notes"]] == ["deliverables/gone\nmissing.exr"]


def test_a_named_path_that_is_nowhere_is_exit_2_not_a_pass(repo: Repo) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.add()
    repo.commit()
    done = repo.check("deliverables/a.exe")  # a typo must not pass as "0 files checked"
    assert done.code == 2 and "'deliverables/a.exe': neither in the index, nor on disk" in done.err
    assert done.out == "" and len(done.err.strip().splitlines()) == 1
    repo.git("rm", "-q", "deliverables/a.exr")  # a deletion is no typo: a note
    done = repo.check("deliverables/a.exr")
    assert done.code == 0 and "not in the snapshot; skipped" in done.err


def test_a_path_that_is_not_utf8_survives_every_format(repo: Repo, tmp_path: Path) -> None:
    import json as json_module

    repo.write("genai.toml", VIOLATION)
    (repo.root / "deliverables").mkdir()
    (repo.root / "deliverables").joinpath(b"caf\xe9.exr".decode("utf-8", "surrogateescape")).write_bytes(b"x")
    repo.add()
    for fmt in FORMATS:
        target = tmp_path / f"out.{fmt}"
        done = repo.run("run", "--format", fmt, "--output", str(target))
        assert done.code == 1, (fmt, done.err)
        text = target.read_text(encoding="utf-8")
        assert "caf" in text
    document = json_module.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert document["findings"][0]["path"] == "deliverables/caf\udce9.exr"


def test_a_git_too_old_for_cat_file_z_is_a_clear_error(repo: Repo, tmp_path: Path) -> None:
    real = subprocess.run(["sh", "-c", "command -v git"], capture_output=True, text=True, check=True).stdout.strip()
    fake = tmp_path / "old-git" / "git"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nfor last; do :; done\n'  # `git [-C DIR] version`
                    f'if [ "$last" = version ]; then echo "git version 2.34.1"; exit 0; fi\nexec {real} "$@"\n')
    fake.chmod(0o755)
    repo.write("genai.toml", VIOLATION)
    repo.add()
    done = repo.check(env={"PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"})
    assert done.code == 2
    assert "needs Git 2.38 or newer" in done.err and "this is Git 2.34.1" in done.err


def _blobs(repo: Repo) -> int:
    return repo.git("cat-file", "--batch-check", "--batch-all-objects").count(" blob ")


def test_a_partial_clone_is_never_fetched_from_during_a_check(repo: Repo, tmp_path: Path) -> None:
    repo.write("genai.toml", VIOLATION)
    repo.write("deliverables/a.exr")
    repo.add()
    repo.commit()
    repo.git("config", "uploadpack.allowFilter", "true")
    clone = Repo(tmp_path / "partial")
    for no_checkout in (True, False):
        if clone.root.exists():
            shutil.rmtree(clone.root)
        repo.git("clone", "-q", "--filter=blob:none", *(["--no-checkout"] if no_checkout else []),
                 repo.root.as_uri(), str(clone.root))
        if no_checkout:
            clone.git("read-tree", "HEAD")  # an index whose blobs were never downloaded
        before = _blobs(clone)
        # no early lookup either: a Git that ignores GIT_NO_LAZY_FETCH would download during it
        assert start_index_lookup(str(clone.root), ["deliverables/a.exr"], str(clone.root)) is None
        done = clone.check("deliverables/a.exr") if no_checkout else clone.check()
        assert _blobs(clone) == before  # nothing was fetched
        if no_checkout:
            assert done.code == 2 and "never downloads during a check" in done.err
        else:  # a checkout fetched what the index holds: the check runs as usual
            assert (done.code, done.rules()) == (1, ["GAI201"])


@pytest.mark.parametrize("version,stops", [
    ((2, 39, 3), False), ((2, 39, 4), True), ((2, 40, 1), False), ((2, 44, 1), True), ((2, 45, 0), False),
    ((2, 45, 1), True), ((2, 47, 0), True), ((3, 0, 0), True),
])
def test_which_gits_can_be_told_not_to_fetch(version: tuple[int, ...], stops: bool) -> None:
    assert _stops_lazy_fetch(version) is stops


def test_files_by_kind_agree_with_every_path_read_one_by_one(repo: Repo) -> None:
    """The listing's groups by extension (how an audit finds timelines, models, comps and manifests among a
    million files) give what a test of every path gives, through dotted directories, dotfiles and any case."""
    from genai_hooks.gitcmd import GitRepository
    from genai_hooks.paths import extension
    from genai_hooks.snapshot import Snapshot

    names = ["a.b/README", "a.b/c.d/genai.toml", "genai.toml", "x/.mkv", "clip.MKV", "dir.mkv/file",
             "Cut.Otio", "sh010.Nk", "sh010.nk.bak", "v1.2/notes", "café/Épisode.EDL", "noext", "x/genai.toml.orig",
             "weights/lora.SafeTensors", "x/not-genai.toml"]
    for name in names:
        repo.write(name, name)
    repo.add()
    commit = repo.commit()
    repository = GitRepository(str(repo.root))
    try:
        for snapshot in (Snapshot(repository, None), Snapshot(repository, commit)):
            assert snapshot.with_extensions({".mkv", ".edl"}) == sorted(
                p for p in names if extension(p) in {".mkv", ".edl"}) == ["café/Épisode.EDL", "clip.MKV"]
            assert snapshot.named("genai.toml") == ["a.b/c.d/genai.toml", "genai.toml"]
            assert snapshot.ending_with((".nk", ".otio"), pathspecs=(":(icase)*.nk", ":(icase)*.otio"),
                                        any_case=True) == ["Cut.Otio", "sh010.Nk"]
            assert snapshot.ending_with((".Nk",), pathspecs=("*.Nk",)) == ["sh010.Nk"]
    finally:
        repository.close()


def _reference_listing(raw: bytes, tree: bool) -> dict[str, str]:
    """Path -> object id, read record by record the plain way (the first stage of a conflict)."""
    found: dict[str, str] = {}
    for record in raw.split(b"\0")[:-1]:
        meta, _, path = record.partition(b"\t")
        fields = meta.decode().split(" ")
        if fields[0] != "160000":
            found.setdefault(path.decode("utf-8", "surrogateescape"), fields[2] if tree else fields[1])
    return found


@pytest.mark.parametrize("chunk", [7, 4 << 20])
def test_the_listing_gives_every_path_its_own_object_id(repo: Repo, chunk: int) -> None:
    """Paths with tabs, newlines and unicode, a symlink, a submodule and a conflict, parsed in chunks that cut
    records anywhere: each path keeps its own id (lineage and the first commit's diff rely on it)."""
    from genai_hooks.listing import parse_listing

    names = ["a.exr", "tab\there.exr", "new\nline.exr", "café/Épisode 1.exr", "z/deep/b.exr"]
    for name in names:
        repo.write(name, f"content of {name}")
    os.symlink("a.exr", repo.root / "link.exr")
    repo.add()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},vendor/lib")
    commit = repo.commit()
    blob = repo.git("rev-parse", "HEAD:a.exr").strip()
    other = repo.git("rev-parse", "HEAD:z/deep/b.exr").strip()
    subprocess.run(["git", "update-index", "--index-info"], cwd=repo.root, check=True, env={**os.environ, **GIT_ENV},
                   input=f"100644 {blob} 1\tconflict.exr\n100644 {other} 2\tconflict.exr\n".encode())

    for command, tree in ((["ls-files", "--stage", "-z"], False), (["ls-tree", "-r", "-z", "--full-tree", commit], True)):
        raw = subprocess.run(["git", *command], cwd=repo.root, check=True, capture_output=True).stdout
        listing = parse_listing((raw[i:i + chunk] for i in range(0, len(raw), chunk)), tree=tree)
        expected = _reference_listing(raw, tree)
        assert listing.paths == sorted(expected)
        assert {p: listing.object_id(p) for p in listing.paths} == expected
        assert listing.symlinks == {"link.exr"} and listing.gitlinks == {"vendor/lib"}
        assert listing.conflicted == (set() if tree else {"conflict.exr"})
        assert [listing.paths[i] for i in listing.holding({expected["a.exr"]})] == ["a.exr"] + (
            [] if tree else ["conflict.exr"])


@pytest.mark.slow
def test_over_a_thousand_named_files_are_looked_up_by_their_directories(repo: Repo) -> None:
    """More than 1,000 named files of a commit (or of an index equal to HEAD there) are looked up with one
    ls-tree of their directories: odd directory names, a symlink, a submodule, a directory and a file in the
    root each get what a full audit gives them."""
    repo.write("genai.toml", VIOLATION)
    frames = [f"deliverables/sh[01]*/{name}.{frame}.exr" for name in ("sky", "fog") for frame in range(1001, 1601)]
    for path in frames:
        repo.write(path, path)
    repo.write("deliverables/tab\tdir/a.exr", "a")
    repo.write("root.exr", "root")
    os.symlink("sky.1001.exr", repo.root / "deliverables/sh[01]*/link.exr")
    repo.add()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},deliverables/vendor")
    repo.write(".gitmodules", '[submodule "vendor"]\n\tpath = deliverables/vendor\n\turl = ../vendor\n')
    repo.add(".gitmodules")
    repo.commit()
    named = [*frames, "deliverables/tab\tdir/a.exr", "root.exr", "deliverables/sh[01]*/link.exr",
             "deliverables/vendor", "deliverables/tab\tdir"]

    def judged(*args: str) -> tuple[int, list[tuple[str, int]]]:
        done = repo.check(*args)
        assert done.code in (0, 1), done.err
        return done.code, sorted((f["rule"], len(f.get("files") or [f["path"]])) for f in done.json["findings"])

    audit = judged("--rev", "HEAD")
    # the 1,200 frames, the file in the tab-named directory and the symlink; the submodule
    assert sum(n for rule, n in audit[1] if rule == "GAI201") == 1202 and ("GAI303", 1) in audit[1], audit
    assert judged("--rev", "HEAD", "--", *named) == audit
    assert judged("--", *named) == audit


def test_a_manifest_with_unstaged_edits_is_said_and_never_judged(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"]))
    repo.write("deliverables/sky.exr", "generated")
    repo.add()
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-1") + ANY_REGISTER)
    done = repo.check()
    assert done.code == 1 and done.rules() == ["GAI201"]  # the staged manifest is what is judged
    assert {"path": "genai.toml", "message": "edited in the working tree: the staged copy was judged; stage it "
            "(git add) to judge the edits"} in done.json["notes"]
    text = repo.run("run").out
    assert "genai.toml: note: edited in the working tree" in text
    (repo.root / "genai.toml").unlink()
    assert any(n["path"] == "genai.toml" for n in repo.check().json["notes"])
    repo.git("checkout", "--", "genai.toml")
    assert not any(n["path"] == "genai.toml" for n in repo.check().json["notes"])
    repo.commit("committed")
    repo.write("genai.toml", "garbage = [")
    assert repo.check("--rev", "HEAD").json["notes"] == []  # a commit is judged: the working tree is not its


def test_removing_the_root_manifest_from_the_index_is_gai206_whatever_the_working_tree_holds(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-1") + ANY_REGISTER)
    repo.write("deliverables/sky.exr", "generated")
    repo.add()
    repo.commit("approved")
    repo.write("deliverables/sky.exr", "generated again")
    repo.add()
    repo.git("rm", "-q", "--cached", "genai.toml")  # still on disk
    for args in (("--diff", "HEAD"), ("--", "deliverables/sky.exr"), ("--",)):
        done = repo.check(*args)
        assert any(f["rule"] == "GAI206" and f["path"] == "genai.toml" and "root manifest is gone" in f["message"]
                   for f in done.json["findings"]), (args, done.out)
