"""One verdict whatever the entry point (SPEC §13), checked on generated shows (property-based).

Each example builds a real repository: a root manifest with a register, maybe a nested manifest,
frames and single files in work and deliverable folders, copies and symbolic links of generated
files, approvals pinned or not. The findings on every file (§13's file rules, by rule and severity)
must be the same in a full audit, named alone, named in one batch, in batches as pre-commit cuts
them, selected by `--diff` against an empty first commit, after committing under `--rev`, and with
the working tree deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT_MANIFEST, Repo, generated, register
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_run_media import lfs_pointer, store_lfs_object

FILE_RULES = {"GAI201", "GAI202", "GAI203", "GAI204", "GAI207", "GAI208", "GAI209", "GAI210", "GAI212", "GAI214",
              "GAI301", "GAI302", "GAI303", "GAI304", "GAI305", "GAI306", "GAI501", "GAI503"}
FOLDERS = ("shots/sh010/gen", "shots/sh020/plates", "deliverables/sh010", "deliverables/sh020", "archive")
APPROVALS = register("NFX-GAI-0001") + register("NFX-GAI-0002", ["final-deliverable", "archival"])


@st.composite
def shows(draw: st.DrawFn) -> dict[str, object]:
    files: dict[str, tuple[str, object]] = {}
    count = draw(st.integers(min_value=1, max_value=7))
    for number in range(count):
        folder = draw(st.sampled_from(FOLDERS))
        frame = draw(st.sampled_from(["sky.1001.exr", "sky.1002.exr", "matte.exr", "photo.png"]))
        path = f"{folder}/{frame}"
        if path in files:
            continue
        kind = draw(st.sampled_from(["unique", "unique", "copy", "link", "tiny", "lfs", "respelled"]))
        earlier = [p for p, (k, _) in files.items() if k in ("unique", "copy", "lfs", "respelled")]
        pointers = [p for p, (k, _) in files.items() if k == "lfs"]
        if kind in ("copy", "link") and earlier:
            files[path] = (kind, draw(st.sampled_from(earlier)))
        elif kind == "respelled" and pointers:  # the same LFS object, its pointer written with CRLF
            files[path] = (kind, draw(st.sampled_from(pointers)))
        else:
            files[path] = (kind if kind in ("tiny", "lfs") else "unique", number)
    entries = draw(st.lists(st.tuples(st.sampled_from(["shots/sh010/gen/**", "deliverables/sh010/**",
                                                       "deliverables/**/sky.####.exr", "archive/**"]),
                                      st.sampled_from([None, "NFX-GAI-0001", "NFX-GAI-0002", "NFX-GAI-9999"])),
                            max_size=3))
    nested = draw(st.sampled_from([None, "deliverables/sh020/**", "**"]))
    pin = draw(st.booleans())
    return {"files": files, "entries": entries, "nested": nested, "pin": pin}


def build(root: Path, show: dict[str, object]) -> list[str]:
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.commit("empty start")  # a base for --diff
    manifest = ROOT_MANIFEST + '\n[archival]\npaths = ["archive/**"]\n'
    for pattern, approval in show["entries"]:  # type: ignore[attr-defined]
        manifest += generated([pattern], **({"approval": approval} if approval else {}))
    repo.write("genai.toml", manifest + APPROVALS)
    if show["nested"]:
        repo.write("deliverables/genai.toml", "version = 1\n" + generated([str(show["nested"]).replace(
            "deliverables/", "")], approval="NFX-GAI-0002"))
    paths: list[str] = []
    files: dict[str, tuple[str, object]] = show["files"]  # type: ignore[assignment]
    for path, (kind, detail) in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "unique":
            target.write_bytes(f"generated pixels {detail} ".encode() * 120)
        elif kind == "lfs":
            target.write_bytes(lfs_pointer(f"generated LFS pixels {detail} ".encode() * 120))
            store_lfs_object(repo, f"generated LFS pixels {detail} ".encode() * 120)
        elif kind == "respelled":
            target.write_bytes((root / str(detail)).read_bytes().replace(b"\n", b"\r\n"))
        elif kind == "tiny":
            target.write_bytes(b"tiny")
        elif kind == "copy":
            source = files[str(detail)]
            (root / path).write_bytes((root / str(detail)).read_bytes() if (root / str(detail)).exists()
                                      else f"generated pixels {source[1]} ".encode() * 120)
        else:
            os.symlink(os.path.relpath(root / str(detail), target.parent), target)
        paths.append(path)
    repo.add()
    if show["pin"]:
        deliverable = [p for p in paths if p.startswith("deliverables/") and not os.path.islink(root / p)]
        if deliverable:
            repo.run("approve", "NFX-GAI-0002", deliverable[0])
            repo.add()
    return paths


def per_file(output: str) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for finding in json.loads(output)["findings"]:
        if finding["rule"] in FILE_RULES:
            for path in finding["files"]:
                found[path].add((finding["rule"], finding["severity"]))
    return found


def verdicts(repo: Repo, paths: list[str]) -> dict[str, dict[str, frozenset[tuple[str, str]]]]:
    def of(*args: str) -> dict[str, set[tuple[str, str]]]:
        done = repo.check(*args)
        assert done.code in (0, 1), done.err
        errors = any(f["severity"] == "error" and f.get("suppressed") is None for f in done.json["findings"])
        assert done.code == (1 if errors else 0), (args, done.out)  # exit 1 exactly when an error is reported
        return per_file(done.out)

    modes: dict[str, dict[str, set[tuple[str, str]]]] = {"audit": of()}
    alone: dict[str, set[tuple[str, str]]] = {}
    for path in paths:
        alone[path] = of("--", path).get(path, set())
    modes["alone"] = alone
    modes["batch"] = of("--", *paths)
    half = len(paths) // 2
    modes["split"] = {**of("--", *paths[:half]), **of("--", *paths[half:])} if half else modes["batch"]
    modes["diff"] = of("--diff", "HEAD")
    return {mode: {p: frozenset(found.get(p, set())) for p in paths} for mode, found in modes.items()}


def agree(show: dict[str, object]) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="genai-hooks-verdict-"))
    try:
        root = scratch / "show"
        root.mkdir()
        paths = build(root, show)
        repo = Repo(root)
        staged = verdicts(repo, paths)
        reference = staged["audit"]
        for mode, found in staged.items():
            assert found == reference, (mode, show)
        repo.commit("the show")
        committed = {p: frozenset(per_file(repo.check("--rev", "HEAD").out).get(p, set())) for p in paths}
        assert committed == reference, ("--rev HEAD", show)
        for path in paths:  # the working tree gone: nothing it held may change a verdict
            target = root / path
            if target.is_symlink() or target.is_file():
                target.unlink()
        assert {p: frozenset(per_file(repo.check().out).get(p, set())) for p in paths} == reference, show
        assert {p: frozenset(per_file(repo.check("--", *paths).out).get(p, set())) for p in paths} == reference, show
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shows())
@example({"files": {"shots/sh010/gen/sky.1002.exr": ("unique", 0),  # a link to an undeclared copy of declared media
                    "shots/sh020/plates/sky.1001.exr": ("link", "shots/sh010/gen/sky.1002.exr"),
                    "deliverables/sh010/sky.1001.exr": ("copy", "shots/sh010/gen/sky.1002.exr")},
          "entries": [], "nested": "**", "pin": True})
@example({"files": {"shots/sh010/gen/sky.1001.exr": ("lfs", 0),  # a respelled pointer in deliverables, linked
                    "deliverables/sh010/sky.1001.exr": ("respelled", "shots/sh010/gen/sky.1001.exr"),
                    "archive/photo.png": ("link", "deliverables/sh010/sky.1001.exr")},
          "entries": [("shots/sh010/gen/**", None)], "nested": None, "pin": False})
@example({"files": {"shots/sh010/gen/sky.1001.exr": ("unique", 0),  # a link into deliverables, before any commit
                    "deliverables/sh010/matte.exr": ("link", "shots/sh010/gen/sky.1001.exr")},
          "entries": [("shots/sh010/gen/**", None)], "nested": None, "pin": False})
def test_the_findings_on_a_file_do_not_depend_on_the_entry_point(show: dict[str, object]) -> None:
    agree(show)


@pytest.mark.slow
@pytest.mark.parametrize("part", range(5))  # 5 x 30 shows, in parts the test processes share
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(show=shows())
def test_the_findings_on_a_file_do_not_depend_on_the_entry_point_many_shows(part: int,
                                                                           show: dict[str, object]) -> None:
    agree(show)
