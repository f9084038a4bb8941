"""`genai-hooks inspect PATH...` (SPEC §18): every signal the readers of `run` find, for people and machines."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from conftest import ROOT_MANIFEST, Repo
from provenance_media import png_bytes, png_info

SD_PNG = png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1")))
CLEAN_PNG = png_bytes(png_info(("Software", "ARRI Reference Tool")))
SAMPLE = Path(__file__).resolve().parent.parent / "sample-repo"


def test_a_generated_png_shows_reader_field_value_and_strength(repo: Repo) -> None:
    repo.write("shots/cleanup.png", SD_PNG)
    repo.add()
    done = repo.run("inspect", "shots/cleanup.png")
    assert done.code == 0
    assert done.out.splitlines()[0] == "shots/cleanup.png (index)"
    assert "  provenance (png): png-text = parameters (AUTOMATIC1111/Forge) [medium]" in done.out
    [item] = repo.run("inspect", "--format", "json", "shots/cleanup.png").json["files"]
    assert item["source"] == "index" and item["error"] is None
    assert item["signals"] == [{"reader": "provenance (png)", "field": "png-text",
                                "value": "parameters (AUTOMATIC1111/Forge)", "strength": "medium"}]


def test_inspect_shows_what_run_judges(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + '\n[tools.sd]\nvendor = "S"\nmarkers = ["castle"]\n')
    repo.write("shots/cleanup.png", SD_PNG)
    repo.add()
    [finding] = [f for f in repo.check().json["findings"] if f["rule"] == "GAI301"]
    [item] = repo.run("inspect", "--format", "json", "shots/cleanup.png").json["files"]
    assert [(s["field"], s["strength"], s["value"]) for s in item["signals"]] == \
        [(e["kind"], e["strength"], e["detail"]) for e in finding["evidence"]]


def test_a_clean_file_says_no_signal_and_which_readers_looked(repo: Repo) -> None:
    repo.write("plates/a.png", CLEAN_PNG)
    repo.add()
    done = repo.run("inspect", "plates/a.png")
    assert done.code == 0
    assert done.out.splitlines()[1:] == ["  no provenance signal found", "  readers that looked: provenance (png), models"]


def test_a_file_not_in_the_snapshot_is_read_from_disk(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST)
    repo.add()
    repo.write("scratch/new.png", SD_PNG)  # never staged
    [item] = repo.run("inspect", "--format", "json", "scratch/new.png").json["files"]
    assert item["source"] == "working tree, not in the snapshot"
    assert [s["field"] for s in item["signals"]] == ["png-text"]


def test_the_staged_content_is_read_not_the_working_copy(repo: Repo) -> None:
    repo.write("shots/a.png", SD_PNG)
    repo.add()
    repo.write("shots/a.png", CLEAN_PNG)  # as run judges the index, so does inspect
    assert "png-text" in repo.run("inspect", "shots/a.png").out


def test_an_lfs_pointer_is_read_through_the_local_store(repo: Repo) -> None:
    oid = hashlib.sha256(SD_PNG).hexdigest()
    stored = repo.root / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    stored.parent.mkdir(parents=True)
    stored.write_bytes(SD_PNG)
    repo.write("plates/sh010.png", f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\n"
                                   f"size {len(SD_PNG)}\n")
    repo.add()
    assert "png-text = parameters (AUTOMATIC1111/Forge) [medium]" in repo.run("inspect", "plates/sh010.png").out


def test_a_model_and_a_timeline_show_what_their_readers_found(repo: Repo) -> None:
    shutil.copy(SAMPLE / "shots/sq030/lora/nightfall_lead_v1.safetensors", repo.root / "lead.safetensors")
    shutil.copy(SAMPLE / "editorial/locked/reel1.edl", repo.root / "reel1.edl")
    repo.add()
    files = repo.run("inspect", "--format", "json", "lead.safetensors", "reel1.edl").json["files"]
    model, cut = files
    assert "models (safetensors)" in model["readers"]
    assert {"reader": "models (safetensors)", "field": "base model", "value": "sd_xl_base_1.0.safetensors",
            "strength": None} in model["signals"]
    assert "editorial (edl)" in cut["readers"]
    assert cut["signals"][0]["field"] == "clip 'sh010_mood_v002' at 01:00:00:00"
    assert cut["signals"][0]["value"].endswith("shots/sq010/sh010/previs/sh010_mood_v002.png")


def test_a_path_nowhere_is_exit_2_and_the_others_are_still_shown(repo: Repo) -> None:
    repo.write("shots/a.png", SD_PNG)
    repo.add()
    done = repo.run("inspect", "missing.png", "shots/a.png")
    assert done.code == 2
    assert done.err.strip() == "genai-hooks: missing.png: not in the snapshot and not on disk"
    assert "shots/a.png (index)" in done.out and "missing.png" not in done.out


def test_a_directory_and_a_fifo_are_one_line_each_and_never_read(repo: Repo) -> None:
    (repo.root / "shots").mkdir()
    os.mkfifo(repo.root / "pipe.png")
    done = repo.run("inspect", "shots", "pipe.png")
    assert done.code == 2 and done.out == ""
    assert done.err.splitlines() == ["genai-hooks: shots: a directory: name the files in it",
                                     "genai-hooks: pipe.png: not a regular file (a FIFO, socket or device): not read"]


def test_a_huge_file_is_read_within_the_budget(repo: Repo) -> None:
    with open(repo.root / "huge.exr", "wb") as stream:  # sparse: 4 GiB on disk costs nothing
        stream.truncate(4 << 30)
    done = repo.run("inspect", "huge.exr")
    assert done.code == 0 and "no provenance signal found" in done.out


def test_outside_any_repository_files_are_read_from_disk(tmp_path: Path, repo: Repo) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "frame.png").write_bytes(SD_PNG)
    done = repo.run("inspect", "frame.png", cwd=loose)
    assert done.code == 0 and done.out.startswith("frame.png (working tree)\n") and "png-text" in done.out
