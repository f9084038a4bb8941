"""Compositing scripts through the evidence cache (SPEC §17): a warm run reads no script it has seen, and prints
byte for byte what a cold run, a `--no-cache` run and a run over damaged records print."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import Repo
from test_derived import SHOW, _frames, nuke, read, write

from genai_hooks.evidence_cache import FILE_NAME

BROKEN = b"\x00\xff\xfe binary garbage"


def _show(repo: Repo) -> None:
    repo.write("genai.toml", SHOW)
    _frames(repo, "shots/sh020/gen/sky.####.exr")
    repo.write("shots/sh020/comp/final.nk", nuke(read("../gen/sky.####.exr"),
                                                 write("../../../deliverables/sh020/final.####.exr")))
    _frames(repo, "deliverables/sh020/final.####.exr")
    cut = nuke(read("../gen/sky.####.exr"), write("../../../deliverables/sh030/cut.####.exr")).encode()
    repo.write("shots/sh030/comp/cut.nk", cut + b"}\n}\n{ unbalanced {{\n")  # read in part: GAI304
    repo.write("shots/sh040/comp/broken.nk", BROKEN)  # unreadable: GAI303
    repo.write("shots/sh040/shaders/blur.comp", "#version 450\nlayout(local_size_x = 8) in;\n")  # no composition
    repo.add()


def _scripts(cache: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(cache / FILE_NAME) as connection:
        return sorted(connection.execute("SELECT blob, context, found FROM evidence WHERE context LIKE 'script%'"))


def test_scripts_are_kept_by_blob_and_a_warm_run_prints_what_a_cold_run_prints(repo: Repo,
                                                                              evidence_cache: Path) -> None:
    _show(repo)
    cold = repo.run("run", "--format", "json")
    assert cold.code == 1 and {"GAI208", "GAI304", "GAI303"} <= {f["rule"] for f in cold.json["findings"]}
    kept = _scripts(evidence_cache)
    blob = repo.git("rev-parse", ":shots/sh020/comp/final.nk").strip()
    assert [(c, '"writes"' in f) for b, c, f in kept if b == blob] == [("script.nk", True)]
    assert len(kept) == 4 and any('"unreadable"' in f for _, _, f in kept) and any('"none"' in f for _, _, f in kept)
    for args in ((), ("--no-cache",), ("--", "deliverables/sh020"), ("--diff", "HEAD")):
        again = repo.run("run", "--format", "json", *args)
        assert again.out == (cold.out if not args or args == ("--no-cache",) else again.out), args
        assert again.code == 1 and again.err == "", args
    assert _scripts(evidence_cache) == kept  # nothing read again, nothing written again


@pytest.mark.parametrize("damage", ["{", '{"format": "nuke"}', '{"unreadable": 7}', "[]",
                                    ('{"format":"nuke","reads":[[1]],"writes":[],"scripts":[],"notes":[],'
                                     '"complete":true}')])
def test_a_damaged_script_record_is_read_again(repo: Repo, evidence_cache: Path, damage: str) -> None:
    _show(repo)
    cold = repo.run("run", "--format", "json")
    with sqlite3.connect(evidence_cache / FILE_NAME) as connection:
        connection.execute("UPDATE evidence SET found = ? WHERE context LIKE 'script%'", (damage,))
    warm = repo.run("run", "--format", "json")
    assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, "")
    assert all(found != damage for _, _, found in _scripts(evidence_cache))  # read again and kept anew
