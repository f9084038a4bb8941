"""Signed approvals (SPEC §14): real ssh-keygen keys, allowed_signers files and signatures; GAI213."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT_MANIFEST, Repo, generated, register

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="OpenSSH's ssh-keygen is not installed")

FRAMES = [f"deliverables/sh010/sky.{n}.exr" for n in range(1001, 1004)]
SIGNED_ROOT = ROOT_MANIFEST.replace('contact = "jane.doe@example.com"',
                                    'contact = "jane.doe@example.com"\napprovers = "approvers/allowed_signers"')


def keypair(where: Path, name: str) -> Path:
    key = where / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key


def signers_line(principal: str, key: Path, options: str = 'namespaces="genai-hooks-approval"') -> str:
    return f"{principal} {options} {(key.parent / (key.name + '.pub')).read_text().strip()}\n"


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    where = tmp_path / "keys"
    where.mkdir()
    return {name: keypair(where, name) for name in ("legal", "artist")}


def signed_show(repo: Repo, keys: dict[str, Path], signers: str | None = None, **approval: str) -> None:
    repo.write("genai.toml", SIGNED_ROOT + generated(["deliverables/sh010/**"], approval="NFX-GAI-0042")
               + register("NFX-GAI-0042", **approval))
    repo.write("approvers/allowed_signers", signers if signers is not None
               else signers_line("legal@studio.example", keys["legal"]))
    for number, frame in enumerate(FRAMES):
        repo.write(frame, f"generated frame {number}")
    repo.add()


def sign(repo: Repo, key: Path, principal: str = "legal@studio.example", *paths: str) -> None:
    done = repo.run("approve", "NFX-GAI-0042", *paths, "--sign-with", str(key), "--principal", principal)
    assert done.code == 0, done.err
    repo.add()


def gai213(repo: Repo, *args: str) -> list[str]:
    done = repo.check(*args)
    return [f["message"] for f in done.json["findings"] if f["rule"] == "GAI213"]


def test_an_unsigned_approval_covers_nothing_where_signatures_are_required(repo: Repo, keys: dict[str, Path]) -> None:
    signed_show(repo, keys)
    done = repo.check(FRAMES[0])
    assert done.code == 1
    [finding] = [f for f in done.json["findings"] if f["rule"] == "GAI213"]
    assert finding["path"] == "genai.toml" and "no signed_by and signature" in finding["message"]
    assert any(f["rule"] == "GAI204" and "covers nothing" in f["message"] for f in done.json["findings"])


def test_an_approver_signs_with_approve_and_the_gate_passes(repo: Repo, keys: dict[str, Path]) -> None:
    signed_show(repo, keys)
    before = (repo.root / "genai.toml").read_text()
    sign(repo, keys["legal"], "legal@studio.example", *FRAMES)
    after = (repo.root / "genai.toml").read_text()
    assert after.startswith(before)  # only the register entry gained its two keys
    assert 'signed_by = "legal@studio.example"' in after and "BEGIN SSH SIGNATURE" in after
    for args in ((), (FRAMES[0],), ("--diff", "HEAD")) if repo.git("rev-parse", "--verify", "-q", "HEAD", check=False) \
            else ((), (FRAMES[0],)):
        done = repo.check(*args)
        assert done.code == 0, (args, done.out)
    repo.commit("approved and signed")
    assert repo.check("--rev", "HEAD").code == 0


def test_the_signature_is_over_the_documented_payload(repo: Repo, keys: dict[str, Path], tmp_path: Path) -> None:
    signed_show(repo, keys)
    sign(repo, keys["legal"], "legal@studio.example", *FRAMES)
    payload = repo.run("approve", "NFX-GAI-0042", "--payload").out.encode()
    text = (repo.root / "genai.toml").read_text()
    armored = text.split('signature = """', 1)[1].split('"""', 1)[0]
    (tmp_path / "sig").write_text(armored)
    verified = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(repo.root / "approvers/allowed_signers"),
                               "-I", "legal@studio.example", "-n", "genai-hooks-approval", "-s", str(tmp_path / "sig")],
                              input=payload, capture_output=True, check=False)
    assert verified.returncode == 0, verified.stderr


def test_changing_what_an_approval_says_breaks_its_signature(repo: Repo, keys: dict[str, Path]) -> None:
    signed_show(repo, keys)
    sign(repo, keys["legal"], "legal@studio.example", *FRAMES)
    text = (repo.root / "genai.toml").read_text()
    repo.write("genai.toml", text.replace('covers = ["final-deliverable"]', 'covers = ["final-deliverable", "archival"]'))
    repo.add()
    [message] = gai213(repo, FRAMES[0])
    assert "does not verify" in message


def test_repinning_without_resigning_breaks_the_signature(repo: Repo, keys: dict[str, Path]) -> None:
    signed_show(repo, keys)
    sign(repo, keys["legal"], "legal@studio.example", *FRAMES)
    repo.write(FRAMES[0], "re-rendered")
    repo.add()
    done = repo.run("approve", "NFX-GAI-0042", FRAMES[0])
    assert "re-sign" in done.out
    repo.add()
    assert gai213(repo, FRAMES[0])


def test_a_forged_signed_by_with_another_keys_valid_signature_is_gai213(repo: Repo, keys: dict[str, Path]) -> None:
    signed_show(repo, keys, signers_line("legal@studio.example", keys["legal"])
                + signers_line("artist@studio.example", keys["artist"]))
    sign(repo, keys["artist"], "artist@studio.example", *FRAMES)  # a valid signature, by the artist
    text = (repo.root / "genai.toml").read_text()
    repo.write("genai.toml", text.replace('signed_by = "artist@studio.example"', 'signed_by = "legal@studio.example"'))
    repo.add()
    [message] = gai213(repo)
    assert "legal@studio.example" in message


def test_a_principal_not_in_the_approvers_file_is_gai213(repo: Repo, keys: dict[str, Path]) -> None:
    signed_show(repo, keys)
    sign(repo, keys["artist"], "artist@studio.example", *FRAMES)
    assert gai213(repo)


def test_a_garbage_armored_signature_is_gai213(repo: Repo, keys: dict[str, Path]) -> None:
    signed_show(repo, keys)
    text = (repo.root / "genai.toml").read_text()
    repo.write("genai.toml", text + 'signed_by = "legal@studio.example"\nsignature = """-----BEGIN SSH SIGNATURE-----\n'
               'bm90IGEgc2lnbmF0dXJl\n-----END SSH SIGNATURE-----\n"""\n')
    repo.add()
    assert gai213(repo)
    repo.write("genai.toml", text + 'signed_by = "legal@studio.example"\nsignature = "nonsense"\n')
    repo.add()
    [message] = gai213(repo)
    assert "not an armored SSH signature" in message


def test_a_signature_for_another_namespace_is_gai213(repo: Repo, keys: dict[str, Path]) -> None:
    signed_show(repo, keys, signers_line("legal@studio.example", keys["legal"], options=""))
    payload = repo.run("approve", "NFX-GAI-0042", "--payload").out.encode()
    signature = subprocess.run(["ssh-keygen", "-Y", "sign", "-q", "-f", str(keys["legal"]), "-n", "file"],
                               input=payload, capture_output=True, check=True).stdout.decode()
    text = (repo.root / "genai.toml").read_text()
    repo.write("genai.toml", text + f'signed_by = "legal@studio.example"\nsignature = """{signature}"""\n')
    repo.add()
    assert gai213(repo)


def test_a_key_outside_its_validity_window_is_gai213_on_the_day_judged(repo: Repo, keys: dict[str, Path]) -> None:
    signed_show(repo, keys, signers_line("legal@studio.example", keys["legal"],
                                         options='valid-after="20250101",valid-before="20260101"'))
    sign(repo, keys["legal"], "legal@studio.example", *FRAMES)
    assert gai213(repo, "--as-of", "2025-06-01") == []
    assert gai213(repo, "--as-of", "2026-06-01")


def test_approvers_held_outside_the_repository_take_precedence(repo: Repo, keys: dict[str, Path],
                                                               tmp_path: Path) -> None:
    signed_show(repo, keys, signers_line("legal@studio.example", keys["artist"]))  # the repo's file: the artist
    sign(repo, keys["artist"], "legal@studio.example", *FRAMES)
    assert repo.check().code == 0  # the artist edited the approvers file in the repository...
    held = tmp_path / "allowed_signers"
    held.write_text(signers_line("legal@studio.example", keys["legal"]))
    done = repo.check("--approvers", str(held))
    assert done.code == 1 and "GAI213" in done.rules()  # ...but CI holds the real one


def test_approvers_override_requires_signatures_without_production_approvers(repo: Repo, keys: dict[str, Path],
                                                                             tmp_path: Path) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/**"], approval="NFX-GAI-0042")
               + register("NFX-GAI-0042"))
    repo.write(FRAMES[0], "frame")
    repo.add()
    held = tmp_path / "allowed_signers"
    held.write_text(signers_line("legal@studio.example", keys["legal"]))
    assert repo.check().code == 0
    assert "GAI213" in repo.check("--approvers", str(held)).rules()


@pytest.mark.parametrize("line, said", [
    ("*@studio.example cert-authority {key}", "cert-authority"),
    ('legal@studio.example command="rm -rf /" {key}', "not supported"),
    ("legal@studio.example", "expected"),
])
def test_unusable_approvers_files_are_exit_2_or_gai213_never_a_pass(repo: Repo, keys: dict[str, Path],
                                                                    tmp_path: Path, line: str, said: str) -> None:
    key = (keys["legal"].parent / "legal.pub").read_text().strip()
    signed_show(repo, keys, line.format(key=key) + "\n")
    sign(repo, keys["legal"], "legal@studio.example", *FRAMES)
    [message] = gai213(repo)
    assert said in message
    held = tmp_path / "held_signers"
    held.write_text(line.format(key=key) + "\n")
    done = repo.check("--approvers", str(held))
    assert done.code == 2 and said in done.err and "Traceback" not in done.err
    assert repo.check("--approvers", str(tmp_path / "missing")).code == 2


def test_without_ssh_keygen_signed_approvals_are_exit_2(repo: Repo, keys: dict[str, Path], tmp_path: Path) -> None:
    signed_show(repo, keys)
    sign(repo, keys["legal"], "legal@studio.example", *FRAMES)
    bare = tmp_path / "bin"
    bare.mkdir()
    os.symlink(shutil.which("git"), bare / "git")  # type: ignore[arg-type]
    done = repo.check(env={"PATH": str(bare)})
    assert done.code == 2 and "ssh-keygen" in done.err


def test_one_ssh_keygen_call_per_approval_not_per_file(repo: Repo, keys: dict[str, Path], tmp_path: Path) -> None:
    frames = [f"deliverables/sh010/sky.{n}.exr" for n in range(1001, 1201)]
    repo.write("genai.toml", SIGNED_ROOT + generated(["deliverables/sh010/**"], approval="NFX-GAI-0042")
               + register("NFX-GAI-0042"))
    repo.write("approvers/allowed_signers", signers_line("legal@studio.example", keys["legal"]))
    for frame in frames:
        repo.write(frame, frame)
    repo.add()
    sign(repo, keys["legal"], "legal@studio.example", "deliverables/sh010")
    log = tmp_path / "calls"
    wrapper = tmp_path / "bin"
    wrapper.mkdir()
    (wrapper / "ssh-keygen").write_text(f'#!/bin/sh\necho call >> {log}\nexec {shutil.which("ssh-keygen")} "$@"\n')
    (wrapper / "ssh-keygen").chmod(0o755)
    done = repo.check(env={"PATH": f"{wrapper}:{os.environ['PATH']}"})
    assert done.code == 0, done.out
    assert log.read_text().count("call") == 1


def test_the_report_shows_pins_drift_signer_and_verification(repo: Repo, keys: dict[str, Path]) -> None:
    signed_show(repo, keys)
    sign(repo, keys["legal"], "legal@studio.example", *FRAMES)
    repo.write(FRAMES[1], "swapped after approval")
    repo.add()
    import json

    [record] = json.loads(repo.run("report", "--format", "json").out)["approvals"]
    assert record["pinned_files"] == 3 and record["changed_since_pinned"] == [FRAMES[1]]
    assert record["signed_by"] == "legal@studio.example" and record["signature_verified"] is True
    markdown = repo.run("report").out
    assert "3 files pinned in genai.lock; 1 file changed since" in markdown
    assert "signed by `legal@studio.example`, verified" in markdown  # addresses are code: never a mention
    text = (repo.root / "genai.toml").read_text()
    repo.write("genai.toml", text.replace("granted_by = \"Netflix Production Legal\"", "granted_by = \"Someone\""))
    repo.add()
    [record] = json.loads(repo.run("report", "--format", "json").out)["approvals"]
    assert record["signature_verified"] is False and "does not verify" in record["signature_problem"]
