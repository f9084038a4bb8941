"""Over 1,000 named files of an index that equals HEAD (or of `--rev`) are looked up by listing their directories
in the commit's tree: what a run says of them is what looking each up in the index says."""

from __future__ import annotations

import pytest
from conftest import ROOT_MANIFEST, Repo, generated
from provenance_media import png_bytes, png_info

from genai_hooks import snapshot

SD_PNG = png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1")))


def _show(repo: Repo) -> list[str]:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/sh00*/**"]))
    named = []
    for shot in range(12):
        for frame in range(100):
            path = f"deliverables/sh{shot:03d}/f.{frame:04d}.exr"
            repo.write(path, f"{shot} {frame}".encode())
            named.append(path)
    repo.write("shots/sh010/cleanup.png", SD_PNG)
    repo.write("shots/sh010/large.png", SD_PNG[:-12] + bytes(2 << 20) + SD_PNG[-12:])  # read from the object store
    repo.write("shots/with space/ünï.png", SD_PNG)
    (repo.root / "deliverables" / "sh000" / "link.exr").symlink_to("f.0001.exr")
    repo.add()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},deliverables/sh011/sub")  # a submodule
    repo.commit()
    return named + ["shots/sh010/cleanup.png", "shots/sh010/large.png", "shots/with space/ünï.png",
                    "deliverables/sh000/link.exr", "deliverables/sh001"]


@pytest.mark.parametrize("rev", [False, True])
def test_named_files_found_in_the_tree_say_what_the_index_says(repo: Repo, rev: bool,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    named = _show(repo)
    args = ["--no-cache", *(["--rev", "HEAD"] if rev else []), "--", *named]
    by_tree = repo.check(*args)
    assert by_tree.code == 1, by_tree.err
    rules = {(f["rule"], f["path"]) for f in by_tree.json["findings"]}
    assert {("GAI301", "shots/sh010/cleanup.png"), ("GAI301", "shots/sh010/large.png"),
            ("GAI301", "shots/with space/ünï.png")} <= rules
    assert any(rule == "GAI201" and path.startswith("deliverables/sh005/") for rule, path in rules), rules
    monkeypatch.setattr(snapshot, "_TREE_LOOKUPS_MAX", 10 ** 9)  # each path looked up (in the index or the tree)
    each = repo.check(*args)
    assert (each.code, each.out) == (by_tree.code, by_tree.out)
