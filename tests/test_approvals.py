"""Approvals are checked by default (SPEC §18) and bind to content (SPEC §14): register, genai.lock, GAI212."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT_MANIFEST, Repo, generated, register

REGISTER = register("NFX-GAI-0042")

FRAMES = [f"deliverables/sh010/sky.{n}.exr" for n in range(1001, 1005)]


def show(repo: Repo, manifest: str, frames: list[str] = FRAMES) -> None:
    repo.write("genai.toml", manifest)
    for number, frame in enumerate(frames):
        repo.write(frame, f"generated frame {number}")
    repo.add()


def approved_show(repo: Repo) -> None:
    show(repo, ROOT_MANIFEST + generated(["deliverables/sh010/sky.####.exr"], approval="NFX-GAI-0042") + REGISTER)


# -- checked by default ---------------------------------------------------------------------------------


def test_an_approval_id_with_no_register_is_gai203_not_a_pass(repo: Repo) -> None:
    show(repo, ROOT_MANIFEST + generated(["deliverables/sh010/**"], approval="NFX-GAI-0101"))
    done = repo.check()
    assert done.code == 1
    [finding] = [f for f in done.json["findings"] if f["rule"] == "GAI203"]
    assert "not in the approval register of genai.toml" in finding["message"]
    assert "add an `[[approvals]]` entry to the root manifest" in finding["fix"]


@pytest.mark.parametrize("blank", [" ", "\\u0000", "NFX\\tGAI", ""])
def test_a_blank_or_control_character_approval_id_is_gai001(repo: Repo, blank: str) -> None:
    show(repo, ROOT_MANIFEST + f'\n[[generated]]\npaths = ["deliverables/**"]\ntool = "firefly"\napproval = "{blank}"\n'
         + REGISTER)
    done = repo.check()
    assert done.code == 1
    assert "GAI001" in done.rules()


def test_a_blank_register_id_is_gai001(repo: Repo) -> None:
    show(repo, ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-GAI-0042")
         + REGISTER.replace('id = "NFX-GAI-0042"', 'id = "  "'))
    done = repo.check()
    assert done.code == 1 and "GAI001" in done.rules()


def test_a_blank_model_approval_is_gai001_and_clears_nothing(repo: Repo) -> None:
    show(repo, ROOT_MANIFEST + '\n[[models]]\npaths = ["models/**"]\nbase = "sdxl"\ntrained_on = ["talent-material"]\n'
         'approval = "\\u0000"\n', [])
    done = repo.check()
    assert done.code == 1 and "GAI001" in done.rules()


def test_a_nested_manifest_grants_nothing_without_a_root_register(repo: Repo) -> None:
    show(repo, ROOT_MANIFEST + generated(["deliverables/sh010/**"]))
    repo.commit("root")
    repo.write("deliverables/sh010/genai.toml", generated(["**"], approval="ok"))
    repo.add()
    for args in ((), ("--diff", "HEAD"), ("deliverables/sh010/sky.1001.exr",)):
        done = repo.check(*args)
        assert done.code == 1, args
        assert "GAI203" in done.rules(), args


def test_external_approvals_need_a_pattern(repo: Repo) -> None:
    show(repo, ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-GAI-0042")
         + '\n[policy]\napprovals = "external"\n')
    done = repo.check()
    assert done.code == 1
    [finding] = [f for f in done.json["findings"] if f["rule"] == "GAI001"]
    assert "approval_pattern is required" in finding["message"]


def test_external_approvals_pass_and_say_how_many_files_they_admitted(repo: Repo) -> None:
    manifest = ROOT_MANIFEST.replace('contact = "jane.doe@example.com"',
                                     'contact = "jane.doe@example.com"\napproval_pattern = "NFX-GAI-[0-9]{4}"')
    show(repo, manifest + generated(["deliverables/**"], approval="NFX-GAI-0042") + '\n[policy]\napprovals = "external"\n')
    done = repo.check()
    assert done.code == 0, done.out
    assert done.json["summary"]["unchecked_approvals"] == 4
    text = repo.run("run")
    assert '4 files admitted by approvals kept outside the repository, unchecked ([policy] approvals = "external")' \
        in text.out
    report = repo.run("report")
    first_section = report.out.index("\n## ")
    assert "4 generated files rely on approvals kept outside the repository" in report.out[:first_section]


def test_checked_approvals_report_no_unchecked_files(repo: Repo) -> None:
    approved_show(repo)
    done = repo.check()
    assert done.code == 0, done.out
    assert done.json["summary"]["unchecked_approvals"] == 0


# -- pinned content -------------------------------------------------------------------------------------


def test_approve_pins_blob_ids_in_a_canonical_lock(repo: Repo) -> None:
    approved_show(repo)
    done = repo.run("approve", "NFX-GAI-0042", *reversed(FRAMES))
    assert done.code == 0, done.err
    assert "nothing was staged" in done.out
    text = (repo.root / "genai.lock").read_text(encoding="utf-8")
    ids = [repo.git("rev-parse", f":{frame}").strip() for frame in FRAMES]
    assert text == ("# genai.lock — written by `genai-hooks approve`; reviewed like the root manifest\n"
                    "version = 1\n\n[[approved]]\napproval = \"NFX-GAI-0042\"\nfiles = [\n"
                    + "".join(f'  ["{f}", "{i}"],\n' for f, i in zip(FRAMES, ids)) + "]\n")
    assert repo.git("status", "--porcelain", "--", "genai.lock").startswith("??")  # never staged
    repo.add("genai.lock")
    assert repo.check().code == 0


def test_approve_refuses_an_id_not_in_the_register_and_writes_nothing(repo: Repo) -> None:
    approved_show(repo)
    done = repo.run("approve", "NFX-GAI-9999", FRAMES[0])
    assert done.code == 2
    assert "NFX-GAI-0042" in done.err and "\n" not in done.err.strip()
    assert not (repo.root / "genai.lock").exists()


def test_approve_refuses_a_path_not_in_the_index(repo: Repo) -> None:
    approved_show(repo)
    repo.write("deliverables/sh010/sky.1005.exr", "unstaged")
    done = repo.run("approve", "NFX-GAI-0042", "deliverables/sh010/sky.1005.exr")
    assert done.code == 2 and "git add" in done.err
    assert not (repo.root / "genai.lock").exists()


def test_swapped_frames_are_gai212_naming_pinned_and_current_ids(repo: Repo) -> None:
    approved_show(repo)
    repo.run("approve", "NFX-GAI-0042", *FRAMES)
    repo.add()
    repo.commit("approved")
    pinned = repo.git("rev-parse", f"HEAD:{FRAMES[1]}").strip()
    repo.write(FRAMES[1], "another generated frame, never approved")
    repo.add()
    current = repo.git("rev-parse", f":{FRAMES[1]}").strip()
    done = repo.check(FRAMES[1])
    assert done.code == 1
    [finding] = done.json["findings"]
    assert finding["rule"] == "GAI212" and finding["path"] == FRAMES[1]
    assert "NFX-GAI-0042" in finding["message"] and pinned in finding["message"] and current in finding["message"]
    assert repo.check().code == 1 and repo.check("--diff", "HEAD").code == 1


def test_a_new_frame_citing_a_pinned_approval_is_not_among_the_approved_files(repo: Repo) -> None:
    approved_show(repo)
    repo.run("approve", "NFX-GAI-0042", *FRAMES)
    repo.write("deliverables/sh010/sky.1005.exr", "an extra generated frame")
    repo.add()
    done = repo.check("deliverables/sh010/sky.1005.exr")
    [finding] = done.json["findings"]
    assert finding["rule"] == "GAI212" and "not among the approved files" in finding["message"]


def test_a_deleted_pinned_file_is_no_finding(repo: Repo) -> None:
    approved_show(repo)
    repo.run("approve", "NFX-GAI-0042", *FRAMES)
    repo.add()
    repo.git("rm", "-q", "--cached", FRAMES[0])
    assert repo.check().code == 0


def test_an_unstaged_edit_never_changes_the_pinned_verdict(repo: Repo) -> None:
    approved_show(repo)
    repo.run("approve", "NFX-GAI-0042", *FRAMES)
    repo.add()
    (repo.root / FRAMES[2]).write_text("edited, not staged")
    assert repo.check(FRAMES[2]).code == 0


def test_approve_directory_pins_what_is_below_and_replace_drops_the_rest(repo: Repo) -> None:
    approved_show(repo)
    repo.run("approve", "NFX-GAI-0042", "deliverables/sh010")
    lock = (repo.root / "genai.lock").read_text()
    assert all(f in lock for f in FRAMES)
    repo.run("approve", "NFX-GAI-0042", "--replace", FRAMES[0])
    lock = (repo.root / "genai.lock").read_text()
    assert FRAMES[0] in lock and FRAMES[1] not in lock


def test_a_lock_beside_a_nested_manifest_is_gai001_on_the_lock(repo: Repo) -> None:
    approved_show(repo)
    repo.write("deliverables/sh010/genai.toml", "version = 1\n")
    repo.write("deliverables/sh010/genai.lock", "version = 1\n")
    repo.add()
    done = repo.check()
    [finding] = [f for f in done.json["findings"] if f["rule"] == "GAI001"]
    assert finding["path"] == "deliverables/sh010/genai.lock"


@pytest.mark.parametrize("lock, said", [
    ('version = 1\n[[approved]]\napproval = "NFX-GAI-0042"\nfiles = [["a.exr", "' + "0" * 40 + '"], ["a.exr", "'
     + "1" * 40 + '"]]\n', "twice"),
    ('version = 1\nextra = 1\n', "unknown key 'extra'"),
    ('version = 1\n[[approved]]\napproval = "NFX-GAI-0042"\nfiles = [["../outside.exr", "' + "0" * 40 + '"]]\n',
     "leaves the repository"),
    ('version = 1\n[[approved]]\napproval = "NFX-GAI-0042"\nfiles = [["/etc/passwd", "' + "0" * 40 + '"]]\n',
     "absolute"),
    ('version = 1\n[[approved]]\napproval = "NFX-GAI-0042"\nfiles = [["a.exr", "nothex"]]\n', "not a git object id"),
    ('version = 1\n[[approved]]\napproval = "NFX-GAI-7777"\nfiles = []\n', "does not hold"),
    ('version = 1\n[[approved]\n', "invalid TOML"),
])
def test_an_invalid_lock_is_gai001_and_never_a_pass(repo: Repo, lock: str, said: str) -> None:
    approved_show(repo)
    repo.write("genai.lock", lock)
    repo.add()
    done = repo.check(FRAMES[0])
    assert done.code == 1
    [finding] = [f for f in done.json["findings"] if f["rule"] == "GAI001"]
    assert finding["path"] == "genai.lock" and said in finding["message"], finding["message"]
    assert "GAI212" in done.rules()  # no pin can be trusted: the frames fail closed too


@pytest.mark.slow
def test_a_ten_megabyte_lock_is_gai001(repo: Repo) -> None:
    approved_show(repo)
    repo.write("genai.lock", "version = 1\n" + "# padding\n" * (1 << 20))
    repo.add()
    done = repo.check()
    assert done.code == 1
    assert any(f["rule"] == "GAI001" and f["path"] == "genai.lock" for f in done.json["findings"])


def test_removing_pins_or_the_lock_in_a_change_is_gai206(repo: Repo) -> None:
    approved_show(repo)
    repo.run("approve", "NFX-GAI-0042", *FRAMES)
    repo.add()
    repo.commit("pinned")
    repo.run("approve", "NFX-GAI-0042", "--replace", FRAMES[0])
    repo.add()
    done = repo.check("--diff", "HEAD")
    [finding] = [f for f in done.json["findings"] if f["rule"] == "GAI206"]
    assert "pins removed from approval NFX-GAI-0042" in finding["message"] and finding["path"] == "genai.lock"
    repo.git("rm", "-q", "--cached", "genai.lock")
    for args in (("--diff", "HEAD"), ("genai.toml",)):
        done = repo.check(*args)
        assert any(f["rule"] == "GAI206" and "genai.lock removed" in f["message"] for f in done.json["findings"]), args


def test_two_branches_repinning_different_approvals_merge_cleanly(repo: Repo) -> None:
    manifest = (ROOT_MANIFEST + generated(["deliverables/sh010/**"], approval="NFX-GAI-0042")
                + generated(["deliverables/sh020/**"], approval="NFX-GAI-0043") + REGISTER
                + REGISTER.replace("0042", "0043"))
    others = [f.replace("sh010", "sh020") for f in FRAMES]
    show(repo, manifest, FRAMES + others)
    repo.run("approve", "NFX-GAI-0042", *FRAMES)
    repo.run("approve", "NFX-GAI-0043", *others)
    repo.add()
    repo.commit("both approved")
    repo.git("checkout", "-q", "-b", "sky")
    repo.write(FRAMES[0], "re-rendered sky")
    repo.add()
    repo.run("approve", "NFX-GAI-0042", FRAMES[0])
    repo.add()
    repo.commit("sky re-approved")
    repo.git("checkout", "-q", "main")
    repo.write(others[3], "re-rendered matte")
    repo.add()
    repo.run("approve", "NFX-GAI-0043", others[3])
    repo.add()
    repo.commit("matte re-approved")
    repo.git("merge", "-q", "--no-edit", "sky")  # raises on a conflict
    assert repo.check().code == 0
    assert repo.check("--rev", "HEAD").code == 0


def test_approve_payload_is_the_documented_bytes(repo: Repo) -> None:
    approved_show(repo)
    repo.run("approve", "NFX-GAI-0042", FRAMES[0])
    blob = repo.git("rev-parse", f":{FRAMES[0]}").strip()
    import hashlib

    pins = hashlib.sha256(f"{FRAMES[0]}\t{blob}\n".encode()).hexdigest()
    done = repo.run("approve", "NFX-GAI-0042", "--payload")
    assert done.out == ("genai-hooks approval v1\nid=NFX-GAI-0042\ncovers=final-deliverable\n"
                        "granted_by=Netflix Production Legal\ndate=2025-09-10\nexpires=\nconsent=\n"
                        f"pins={pins}\n")


def test_approve_writes_the_lock_atomically_with_the_umask(repo: Repo, tmp_path: Path) -> None:
    approved_show(repo)
    import os

    old = os.umask(0o027)
    try:
        repo.run("approve", "NFX-GAI-0042", FRAMES[0])
    finally:
        os.umask(old)
    assert (repo.root / "genai.lock").stat().st_mode & 0o777 == 0o640
    assert not [p for p in repo.root.iterdir() if p.name.startswith(".genai-hooks-")]
    assert json.loads(repo.check().out)["summary"]["errors"] == 0  # the lock is not staged: not judged yet
    repo.add("genai.lock")
    [finding] = json.loads(repo.check().out)["findings"]  # the other frames are not pinned: one sequence
    assert finding["rule"] == "GAI212" and finding["files"] == FRAMES[1:]


def test_the_init_starter_keeps_a_checked_register(repo: Repo) -> None:
    (repo.root / "deliverables").mkdir()
    assert repo.run("init").code == 0
    starter = (repo.root / "genai.toml").read_text()
    assert "[[approvals]]" in starter and "GAI203" in starter and "genai-hooks approve" in starter
    repo.write("genai.toml", starter + '\n[tools.ff]\nvendor = "Adobe"\ntrains_on_inputs = false\n'
               'retains_inputs = false\nenvironment = "enterprise"\nterms = "t"\ndisclosed = 2025-01-01\n'
               + generated(["deliverables/**"], tool="ff", approval="NFX-GAI-0101"))
    repo.write("deliverables/sky.1001.exr", "generated")
    repo.add()
    done = repo.check()
    assert done.code == 1 and "GAI203" in done.rules()  # any string no longer passes
    repo.write("genai.toml", (repo.root / "genai.toml").read_text() + REGISTER.replace("0042", "0101"))
    repo.add()
    assert repo.check().code == 0


# -- explain PATH -------------------------------------------------------------------------------------------


def test_explain_path_says_why_a_file_is_judged_so(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + '\n[archival]\npaths = ["archive/**"]\n'
               + generated(["deliverables/**"]) + generated(["deliverables/sh010/sky.####.exr"], approval="NFX-GAI-0042")
               + REGISTER)
    for number, frame in enumerate(FRAMES):
        repo.write(frame, f"generated frame {number}")
    repo.add()
    repo.run("approve", "NFX-GAI-0042", *FRAMES[:2])
    repo.add()
    done = repo.run("explain", FRAMES[3])
    assert done.code == 0, done.err
    out = done.out
    assert "Manifests (root first):\n  genai.toml (root)" in out
    assert "Declared generated by genai.toml:26 (tool 'firefly')" in out
    assert "also matches, and loses to it: genai.toml:22" in out
    assert "Deliverable: yes, by genai.toml: deliverables/**" in out and "Archival: no" in out
    assert "NFX-GAI-0042: valid; covers final-deliverable" in out
    assert "not among the approved files (GAI212)" in out
    assert "error GAI212" in out and "is blocked" in out
    pinned = repo.run("explain", FRAMES[0]).out
    assert "(this content)" in pinned and "passes" in pinned


def test_explain_takes_rule_ids_and_says_when_a_path_is_nowhere(repo: Repo) -> None:
    approved_show(repo)
    assert repo.run("explain", "GAI212").out.startswith("GAI212 approved-content-changed")
    missing = repo.run("explain", "deliverables/nowhere.exr")
    assert missing.code == 2 and "Traceback" not in missing.err
