"""`genai-hooks pre-receive`: real `git push` into real bare repositories whose hook runs the command."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT_MANIFEST, Repo, generated, register
from provenance_media import png_bytes, png_info
from server_repos import Server, lfs_pointer, push, store_lfs_object

from genai_hooks.cli import main

VIOLATION = ROOT_MANIFEST + generated(["deliverables/**"])
APPROVED = ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-1") + register("NFX-1")
SD_PNG = png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1")))
ZERO = "0" * 40


@pytest.fixture
def server(tmp_path: Path) -> Server:
    return Server(tmp_path / "server.git")


@pytest.fixture
def clone(repo: Repo, server: Server) -> Iterator[Repo]:
    repo.git("remote", "add", "origin", str(server.root))
    yield repo


def seed(clone: Repo, server: Server, manifest: str = APPROVED, *options: str, frame: bool = True) -> str:
    """A first commit pushed before the hook is installed (a repository the gate starts guarding); the hook after."""
    clone.write("genai.toml", manifest)
    if frame:
        clone.write("deliverables/sh010/sh010_comp_v001.1001.exr", "a frame")
    clone.add()
    first = clone.commit("seed")
    assert push(clone, "main").code == 0
    server.install(*options)
    return first


def commit_frames(clone: Repo, folder: str, count: int = 3, message: str = "frames") -> str:
    for frame in range(1001, 1001 + count):
        clone.write(f"{folder}/{folder.rpartition('/')[2]}_v001.{frame}.exr", f"frame {frame}")
    clone.add()
    clone.git("commit", "-q", "--no-verify", "-m", message)
    return clone.git("rev-parse", "HEAD").strip()


# -- the gate ------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_no_verify_commit_of_generated_frames_into_deliverables_is_rejected(clone: Repo, server: Server) -> None:
    seed(clone, server, VIOLATION, frame=False)  # deliverables/** declared generated, without written approval
    new = commit_frames(clone, "deliverables/sh020")
    pushed = push(clone, "main")
    assert pushed.code != 0 and "pre-receive hook declined" in pushed.err
    findings = [line for line in pushed.remote if " GAI201 " in line]
    assert findings and all(line.startswith("refs/heads/main: deliverables/sh020/") for line in findings)
    assert any(line.startswith("genai-hooks: refs/heads/main: blocked") for line in pushed.remote)
    assert "genai-hooks: push rejected: refs/heads/main has 1 error finding" in pushed.remote
    assert "Traceback" not in pushed.err
    # judged inside git's quarantine: the rejected commit never reached the repository
    assert server.tip("refs/heads/main") != new and not server.has(new)


@pytest.mark.slow
def test_clean_push_is_accepted(clone: Repo, server: Server) -> None:
    seed(clone, server)
    new = commit_frames(clone, "deliverables/sh020")  # declared and approved
    pushed = push(clone, "main")
    assert pushed.code == 0, pushed.err
    assert server.tip("refs/heads/main") == new
    assert any(line.startswith("genai-hooks: refs/heads/main: passed") for line in pushed.remote)


@pytest.mark.slow
def test_first_push_into_an_empty_repository_is_judged_whole(clone: Repo, server: Server) -> None:
    server.install()
    clone.write("genai.toml", VIOLATION)
    clone.write("deliverables/a.exr")
    clone.add()
    clone.commit()
    pushed = push(clone, "main")
    assert pushed.code != 0
    assert any(line.startswith("refs/heads/main: deliverables/a.exr: error GAI201") for line in pushed.remote)
    assert any("[every file" in line for line in pushed.remote)


@pytest.mark.slow
def test_warnings_are_accepted(clone: Repo, server: Server) -> None:
    seed(clone, server)
    clone.write("genai.toml", APPROVED.replace("disclosed = 2025-09-02\n", ""))  # GAI105, a warning
    clone.add()
    new = clone.commit("forgot the date")
    pushed = push(clone, "main")
    assert pushed.code == 0, pushed.err
    assert server.tip("refs/heads/main") == new
    assert any(line.startswith("refs/heads/main: genai.toml") and "warning GAI105" in line for line in pushed.remote)


@pytest.mark.slow
def test_new_branch_is_judged_against_its_merge_base_with_the_default_branch(clone: Repo, server: Server) -> None:
    server.install()
    server.uninstall()  # an old violation already on main (pushed before the gate): not the new branch's doing
    first = seed(clone, server, VIOLATION)
    clone.git("checkout", "-q", "-b", "notes")
    clone.write("notes/readme.txt", "only notes")
    clone.add()
    clone.commit()
    pushed = push(clone, "notes")
    assert pushed.code == 0, pushed.err
    assert any(line.endswith(f"[changes since {first[:12]}]") for line in pushed.remote)
    clone.git("checkout", "-q", "-b", "shots", "main")
    commit_frames(clone, "deliverables/sh030", 1)
    pushed = push(clone, "shots")
    assert pushed.code != 0
    findings = [line for line in pushed.remote if " GAI201 " in line]
    assert findings == [line for line in findings if "deliverables/sh030/" in line]  # the old frame is not named
    assert len(findings) == 1 and findings[0].startswith("refs/heads/shots: ")


@pytest.mark.slow
def test_annotated_tag_is_peeled_and_judged(clone: Repo, server: Server) -> None:
    seed(clone, server, VIOLATION, frame=False)
    commit_frames(clone, "deliverables/sh040", 1)
    clone.git("tag", "-a", "-m", "delivery", "v1")
    clone.git("reset", "-q", "--hard", "HEAD^")
    pushed = push(clone, "v1")
    assert pushed.code != 0
    assert any(line.startswith("refs/tags/v1: deliverables/sh040/") and "GAI201" in line for line in pushed.remote)
    clone.git("tag", "-a", "-m", "clean", "v0")  # on a commit the default branch holds: nothing new to judge
    pushed = push(clone, "v0")
    assert pushed.code == 0, pushed.err
    assert any(line.startswith("genai-hooks: refs/tags/v0: passed") and "0 files checked" in line
               for line in pushed.remote)


@pytest.mark.slow
def test_deleting_a_branch_is_accepted(clone: Repo, server: Server) -> None:
    seed(clone, server)
    clone.git("checkout", "-q", "-b", "tmp")
    assert push(clone, "tmp").code == 0
    pushed = push(clone, ":tmp")
    assert pushed.code == 0, pushed.err
    assert server.tip("refs/heads/tmp") is None
    assert "genai-hooks: refs/heads/tmp: deleted; nothing to judge" in pushed.remote


@pytest.mark.slow
def test_deleting_the_default_branch_is_not_judged_and_later_pushes_are_judged_whole(
        clone: Repo, server: Server) -> None:
    seed(clone, server)
    clone.git("checkout", "-q", "-b", "other")
    assert push(clone, "other").code == 0
    refused = push(clone, ":main")  # git's own receive.denyDeleteCurrent refuses it, after the hook let it pass
    assert refused.code != 0 and "genai-hooks: refs/heads/main: deleted; nothing to judge" in refused.remote
    assert "deletion of the current branch prohibited" in refused.err
    server.git("config", "receive.denyDeleteCurrent", "ignore")
    pushed = push(clone, ":main")
    assert pushed.code == 0, pushed.err  # a deletion brings no content; HEAD is unborn after it
    assert server.tip("refs/heads/main") is None
    clone.write("genai.toml", VIOLATION)
    clone.add()
    clone.commit()
    pushed = push(clone, "other:refs/heads/fresh")
    assert pushed.code != 0
    assert any(line.startswith("refs/heads/fresh: deliverables/sh010/") for line in pushed.remote)


@pytest.mark.slow
def test_unrelated_history_is_judged_whole(clone: Repo, server: Server) -> None:
    seed(clone, server)
    clone.git("checkout", "-q", "--orphan", "elsewhere")
    clone.git("rm", "-q", "-r", "--cached", ".")
    clone.write("genai.toml", VIOLATION)
    clone.add("genai.toml", "deliverables")
    clone.commit("unrelated")
    pushed = push(clone, "elsewhere")
    assert pushed.code != 0
    assert any(line.startswith("refs/heads/elsewhere: deliverables/sh010/") for line in pushed.remote)
    assert any("[every file" in line for line in pushed.remote)
    # the same history forced onto main: no merge base with what it replaces either
    forced = push(clone, "--force", "elsewhere:main")
    assert forced.code != 0 and any(line.startswith("refs/heads/main: deliverables/") for line in forced.remote)


@pytest.mark.slow
def test_ref_named_like_an_option_is_a_ref(clone: Repo, server: Server) -> None:
    seed(clone, server, VIOLATION, frame=False)
    pushed = push(clone, "main:refs/heads/--help")
    assert pushed.code == 0, pushed.err
    commit_frames(clone, "deliverables/sh050", 1)
    pushed = push(clone, "main:refs/heads/--help")
    assert pushed.code != 0
    assert any(line.startswith("refs/heads/--help: deliverables/sh050/") for line in pushed.remote)
    assert "usage:" not in pushed.err


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["tree", "blob"])
def test_tag_of_a_tree_or_blob_is_rejected_with_one_line(clone: Repo, server: Server, kind: str) -> None:
    seed(clone, server)
    target = "HEAD^{tree}" if kind == "tree" else clone.git("rev-parse", "HEAD:genai.toml").strip()
    clone.git("tag", "-a", "-m", "odd", "odd", target)
    pushed = push(clone, "odd")
    assert pushed.code != 0 and "Traceback" not in pushed.err
    assert f"genai-hooks: refs/tags/odd: points at a {kind}, not a commit; genai-hooks judges commits, and content " \
           "no rule has judged is not accepted: tag a commit instead" in pushed.remote
    assert server.tip("refs/tags/odd") is None


@pytest.mark.slow
def test_files_named_like_options_are_paths(clone: Repo, server: Server) -> None:
    seed(clone, server, VIOLATION, frame=False)
    clone.write("--help", "a file")
    clone.add()
    clone.commit()
    assert push(clone, "main").code == 0
    clone.write("deliverables/--output=genai.toml", "a frame")
    clone.add()
    clone.commit()
    pushed = push(clone, "main")
    assert pushed.code != 0
    assert any(line.startswith("refs/heads/main: deliverables/--output=genai.toml: error GAI201")
               for line in pushed.remote)


@pytest.mark.slow
def test_non_utf8_path_is_named_escaped(clone: Repo, server: Server) -> None:
    seed(clone, server, VIOLATION, frame=False)
    (clone.root / "deliverables").mkdir(exist_ok=True)
    Path(os.fsdecode(bytes(clone.root / "deliverables") + b"/sh\xff.exr")).write_bytes(b"frame")
    clone.add()
    clone.commit()
    pushed = push(clone, "main")
    assert pushed.code != 0 and "Traceback" not in pushed.err
    assert any(line.startswith("refs/heads/main: deliverables/sh\\udcff.exr: error GAI201") for line in pushed.remote)


# -- what stops a push from being judged rejects it ----------------------------------------------------------


@pytest.mark.parametrize("stdin", [b"garbage\n", b"\xff\xfe not a ref update\n", b"a b c d\n",
                                   (ZERO + " " + "1" * 64 + " refs/heads/x\n").encode()])
def test_garbage_on_stdin_rejects_with_one_line(server: Server, stdin: bytes) -> None:
    code, out, err = server.hook(stdin)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("genai-hooks: error: stdin line 1 is not")


def test_unknown_objects_reject(server: Server) -> None:
    code, out, err = server.hook(f"{ZERO} {'ab' * 20} refs/heads/main\n".encode())
    assert code == 1 and err == ""
    assert "genai-hooks: refs/heads/main: points at an object git cannot read, not a commit" in out


@pytest.mark.slow
def test_a_repository_that_cannot_be_read_rejects_the_push(clone: Repo, server: Server) -> None:
    seed(clone, server, APPROVED, "--repo", "/nonexistent/repository")
    commit_frames(clone, "deliverables/sh020", 1)
    pushed = push(clone, "main")
    assert pushed.code != 0 and "Traceback" not in pushed.err
    assert [line for line in pushed.remote if line.startswith("genai-hooks: error:")] == [
        "genai-hooks: error: /nonexistent/repository: no such directory"]


@pytest.mark.parametrize("budget", [[], ["--budget", "600"]])  # judged in this thread, or in the budget's
def test_a_crash_rejects_the_push_with_one_line(server: Server, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str], budget: list[str]) -> None:
    from genai_hooks.server import gate

    def crash(*args: object) -> None:
        raise RuntimeError("forced")

    monkeypatch.setattr(gate, "judge_push", crash)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(f"{ZERO} {'ab' * 20} refs/heads/main\n".encode())))
    monkeypatch.chdir(server.root)
    monkeypatch.delenv("GENAI_HOOKS_DEBUG", raising=False)
    assert main(["pre-receive", *budget]) == 2  # not 0: git rejects the push
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("genai-hooks: internal error: RuntimeError: forced")


@pytest.mark.slow
def test_unreadable_approvers_file_rejects(clone: Repo, server: Server, tmp_path: Path) -> None:
    seed(clone, server, APPROVED, "--approvers", str(tmp_path / "missing.toml"))
    commit_frames(clone, "deliverables/sh020", 1)
    pushed = push(clone, "main")
    assert pushed.code != 0 and any("--approvers" in line for line in pushed.remote)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="OpenSSH's ssh-keygen is not installed")
def test_signed_approvals_are_verified_against_the_servers_approvers(clone: Repo, server: Server,
                                                                     tmp_path: Path) -> None:
    """The repository's own approvers file names the artist's key: only the server's file decides."""
    keys = tmp_path / "keys"
    keys.mkdir()
    for name in ("legal", "artist"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(keys / name)],
                       check=True)

    def signers(principal: str, name: str) -> str:
        public = (keys / f"{name}.pub").read_text(encoding="utf-8").strip()
        return f'{principal} namespaces="genai-hooks-approval" {public}\n'

    held = tmp_path / "allowed_signers"
    held.write_text(signers("legal@studio.example", "legal"), encoding="utf-8")
    signed_root = ROOT_MANIFEST.replace('contact = "jane.doe@example.com"',
                                        'contact = "jane.doe@example.com"\napprovers = "approvers/allowed_signers"')
    seed(clone, server, signed_root, "--approvers", str(held), frame=False)
    clone.write("genai.toml", signed_root + generated(["deliverables/sh010/**"], approval="NFX-GAI-0042")
                + register("NFX-GAI-0042"))
    clone.write("approvers/allowed_signers", signers("artist@studio.example", "artist"))  # the artist's own key
    commit_frames(clone, "deliverables/sh010", 2)
    done = clone.run("approve", "NFX-GAI-0042", "--sign-with", str(keys / "artist"),
                     "--principal", "artist@studio.example")
    assert done.code == 0, done.err
    clone.add()
    clone.commit("self-approved")
    assert clone.check("--rev", "HEAD").code == 0  # the repository's own approvers file trusts the artist
    pushed = push(clone, "main")
    assert pushed.code != 0, pushed.err
    assert any(line.startswith("refs/heads/main: genai.toml") and "GAI213" in line for line in pushed.remote)
    held.write_text(signers("legal@studio.example", "legal") + signers("artist@studio.example", "artist"),
                    encoding="utf-8")
    assert push(clone, "main").code == 0  # once the studio trusts that key


# -- break glass ---------------------------------------------------------------------------------------------


def breakglass_setup(clone: Repo, server: Server, *options: str) -> str:
    seed(clone, server, VIOLATION, *options, frame=False)
    return commit_frames(clone, "deliverables/sh060", 2)


@pytest.mark.slow
def test_breakglass_accepts_on_the_record(clone: Repo, server: Server, tmp_path: Path) -> None:
    log = tmp_path / "breakglass.jsonl"
    new = breakglass_setup(clone, server, "--allow-breakglass", "--breakglass-log", str(log))
    old = server.tip("refs/heads/main")
    pushed = push(clone, "-o", "genai-hooks.breakglass=premiere tonight, approval NFX-9 on paper", "main",
                  env={"USER": "jane"})
    assert pushed.code == 0, pushed.err
    assert server.tip("refs/heads/main") == new
    assert any(" GAI201 " in line and line.startswith("refs/heads/main: deliverables/sh060/")
               for line in pushed.remote)
    assert ("genai-hooks: gate overridden (break glass) for refs/heads/main by jane: 'premiere tonight, approval "
            f"NFX-9 on paper'; recorded in {log}") in pushed.remote
    [line] = log.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert {k: record[k] for k in ("ref", "old", "new", "pusher", "reason")} == {
        "ref": "refs/heads/main", "old": old, "new": new, "pusher": "jane",
        "reason": "premiere tonight, approval NFX-9 on paper"}
    assert record["errors"] and {e["rule"] for e in record["errors"]} == {"GAI201"}
    assert all(e["path"].startswith("deliverables/sh060/") for e in record["errors"])
    assert record["time"].endswith("+00:00")


@pytest.mark.slow
def test_breakglass_pusher_comes_from_the_host(clone: Repo, server: Server, tmp_path: Path) -> None:
    log = tmp_path / "breakglass.jsonl"
    breakglass_setup(clone, server, "--allow-breakglass", "--breakglass-log", str(log))
    pushed = push(clone, "-o", "genai-hooks.breakglass=why", "main", env={"GL_USERNAME": "gl-jane", "USER": "git"})
    assert pushed.code == 0, pushed.err
    assert json.loads(log.read_text(encoding="utf-8"))["pusher"] == "gl-jane"


@pytest.mark.slow
def test_breakglass_with_an_unwritable_log_rejects(clone: Repo, server: Server, tmp_path: Path) -> None:
    log = tmp_path / "no-such-directory" / "breakglass.jsonl"
    new = breakglass_setup(clone, server, "--allow-breakglass", "--breakglass-log", str(log))
    pushed = push(clone, "-o", "genai-hooks.breakglass=premiere tonight", "main")
    assert pushed.code != 0 and server.tip("refs/heads/main") != new
    assert any(line.startswith(f"genai-hooks: push rejected: cannot append to --breakglass-log {log}")
               for line in pushed.remote)


@pytest.mark.slow
@pytest.mark.parametrize("option", ["genai-hooks.breakglass=", "genai-hooks.breakglass=   ", "genai-hooks.breakglass"])
def test_breakglass_with_an_empty_reason_is_judged_as_usual(clone: Repo, server: Server, tmp_path: Path,
                                                            option: str) -> None:
    log = tmp_path / "breakglass.jsonl"
    breakglass_setup(clone, server, "--allow-breakglass", "--breakglass-log", str(log))
    pushed = push(clone, "-o", option, "main")
    assert pushed.code != 0 and "genai-hooks: push rejected: refs/heads/main has 1 error finding" in pushed.remote
    assert not log.exists()


@pytest.mark.slow
def test_breakglass_without_allow_is_judged_as_usual(clone: Repo, server: Server) -> None:
    breakglass_setup(clone, server)
    pushed = push(clone, "-o", "genai-hooks.breakglass=premiere tonight", "main")
    assert pushed.code != 0
    assert "genai-hooks: push rejected: refs/heads/main has 1 error finding" in pushed.remote
    assert any("does not allow it" in line for line in pushed.remote)


def test_allow_breakglass_needs_a_log(clone: Repo, server: Server) -> None:
    breakglass_setup(clone, server, "--allow-breakglass")
    pushed = push(clone, "-o", "genai-hooks.breakglass=premiere tonight", "main")
    assert pushed.code != 0
    assert "genai-hooks: error: --allow-breakglass needs --breakglass-log FILE: break glass is allowed only on the " \
           "record" in pushed.remote


# -- budget, LFS, formats, scale -----------------------------------------------------------------------------


@pytest.mark.slow
def test_push_over_budget_is_rejected_with_advice(clone: Repo, server: Server) -> None:
    seed(clone, server, APPROVED, "--budget", "0")
    commit_frames(clone, "deliverables/sh020", 1)
    pushed = push(clone, "main")
    assert pushed.code != 0
    assert pushed.remote[-1] == (
        "genai-hooks: push rejected: it could not be judged within the server's budget of 0 s (--budget); push "
        "fewer commits or files at a time, or let the required CI check judge big changes")
    clone.git("branch", "other", "HEAD^")
    server.uninstall()
    assert push(clone, "other").code == 0
    server.install("--budget", "0")
    assert push(clone, ":other").code == 0  # nothing to judge: no budget spent


@pytest.mark.slow
def test_push_that_outlasts_its_budget_is_rejected(clone: Repo, server: Server) -> None:
    seed(clone, server, APPROVED, "--budget", "0.01")  # less than importing the judge takes
    commit_frames(clone, "deliverables/sh020", 1)
    pushed = push(clone, "main")
    assert pushed.code != 0 and pushed.remote[-1].startswith("genai-hooks: push rejected: it could not be judged "
                                                              "within the server's budget of 0.01 s (--budget)")


@pytest.mark.parametrize("budget", ["-1", "nan", "inf", "soon"])
def test_a_budget_that_is_no_number_of_seconds_rejects(server: Server, budget: str) -> None:
    code, out, err = server.hook(f"{ZERO} {'ab' * 20} refs/heads/main\n".encode(), "--budget", budget)
    assert code == 2 and out == "" and err.count("\n") == 1 and "--budget" in err


@pytest.mark.slow
def test_push_within_budget_is_judged(clone: Repo, server: Server) -> None:
    seed(clone, server, APPROVED, "--budget", "60")
    commit_frames(clone, "deliverables/sh020", 1)
    assert push(clone, "main").code == 0


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["oid", "rest-of-oid"])
def test_lfs_object_in_the_server_store_is_inspected(clone: Repo, server: Server, tmp_path: Path,
                                                     layout: str) -> None:
    store = tmp_path / "lfs-objects"
    seed(clone, server, APPROVED, "--lfs-store", str(store))
    store_lfs_object(store, SD_PNG, rest_of_id=layout == "rest-of-oid")
    clone.write("plates/sh010.png", lfs_pointer(SD_PNG))
    clone.add()
    clone.commit()
    pushed = push(clone, "main")
    assert pushed.code != 0  # undeclared generated media, seen in the LFS object
    assert any(line.startswith("refs/heads/main: plates/sh010.png: error GAI301") for line in pushed.remote)


@pytest.mark.slow
def test_lfs_object_in_the_bare_repositorys_own_store_is_inspected(clone: Repo, server: Server) -> None:
    seed(clone, server)
    store_lfs_object(server.root / "lfs" / "objects", SD_PNG)  # where git-lfs keeps them in a bare repository
    clone.write("plates/sh010.png", lfs_pointer(SD_PNG))
    clone.add()
    clone.commit()
    pushed = push(clone, "main")
    assert pushed.code != 0
    assert any(line.startswith("refs/heads/main: plates/sh010.png: error GAI301") for line in pushed.remote)


@pytest.mark.slow
def test_lfs_object_absent_from_the_server_store_is_uninspected(clone: Repo, server: Server, tmp_path: Path) -> None:
    seed(clone, server, APPROVED, "--lfs-store", str(tmp_path / "lfs-objects"))
    clone.write("plates/sh010.png", lfs_pointer(SD_PNG))
    clone.add()
    clone.commit()
    pushed = push(clone, "main")
    assert pushed.code == 0, pushed.err  # GAI303 is a warning
    [line] = [line for line in pushed.remote if "GAI303" in line]
    assert line.startswith("refs/heads/main: plates/sh010.png: warning GAI303") and "server's LFS store" in line


@pytest.mark.slow
def test_json_format_is_one_document_for_the_push(clone: Repo, server: Server) -> None:
    seed(clone, server, VIOLATION, "--format", "json", frame=False)
    clone.git("checkout", "-q", "-b", "clean")
    clone.write("notes.txt")
    clone.add()
    clone.commit()
    clone.git("checkout", "-q", "main")
    commit_frames(clone, "deliverables/sh070", 1)
    pushed = push(clone, "main", "clean")
    assert pushed.code != 0
    document = json.loads("\n".join(pushed.remote))
    assert document["verdict"] == "rejected"
    by_ref = {r["ref"]: r for r in document["refs"]}
    assert by_ref["refs/heads/main"]["result"]["summary"]["errors"] == 1
    assert by_ref["refs/heads/clean"]["result"]["summary"]["errors"] == 0


@pytest.mark.slow
def test_other_formats_print_one_document_per_ref(clone: Repo, server: Server) -> None:
    seed(clone, server, VIOLATION, "--format", "sarif", frame=False)
    commit_frames(clone, "deliverables/sh070", 1)
    pushed = push(clone, "main")
    assert pushed.code != 0
    header = "genai-hooks: refs/heads/main: sarif follows [changes since "
    at = next(i for i, line in enumerate(pushed.remote) if line.startswith(header))
    verdict = pushed.remote.index("genai-hooks: push rejected: refs/heads/main has 1 error finding")
    document = json.loads("\n".join(pushed.remote[at + 1:verdict]))
    assert [r["ruleId"] for r in document["runs"][0]["results"]] == ["GAI201"]


def test_run_rev_works_in_a_bare_repository(clone: Repo, server: Server) -> None:
    clone.write("genai.toml", VIOLATION)
    clone.write("deliverables/a.exr")
    clone.add()
    clone.commit()
    assert push(clone, "main").code == 0
    done = clone.run("run", "--rev", "HEAD", "--format", "json", cwd=server.root)
    assert (done.code, done.rules()) == (1, ["GAI201"])
    done = clone.run("run", "--rev", "HEAD", "--diff", "HEAD", "--format", "json", "--repo", str(server.root))
    assert (done.code, done.json["summary"]["files_checked"]) == (0, 0)
    done = clone.run("run", cwd=server.root)
    assert done.code == 2 and "bare repository" in done.err and "--rev" in done.err


@pytest.mark.slow
def test_ten_thousand_frames_in_one_push(clone: Repo, server: Server) -> None:
    seed(clone, server, VIOLATION, frame=False)
    for shot in range(100):  # 10,000 distinct blobs: every frame crosses the wire and is read
        folder = clone.root / "deliverables" / f"sh{shot:03d}0"
        folder.mkdir(parents=True)
        for frame in range(1001, 1101):
            (folder / f"sh{shot:03d}0_v001.{frame}.exr").write_bytes(b"v2f1" + f"{shot}.{frame}".encode())
    clone.add()
    clone.commit("10,000 frames")
    started = time.monotonic()
    pushed = push(clone, "main")
    elapsed = time.monotonic() - started
    assert pushed.code != 0
    findings = [line for line in pushed.remote if " GAI201 " in line]
    assert findings and all(line.startswith("refs/heads/main: deliverables/") for line in findings)
    assert len(findings) == 100  # one per shot: a sequence is one finding
    assert any(line.startswith("genai-hooks: refs/heads/main: blocked — 100 errors, 0 warnings in 10000 files")
               for line in pushed.remote), pushed.err
    print(f"push of 10,000 frames: {elapsed:.2f} s")
    assert elapsed < 60, elapsed

