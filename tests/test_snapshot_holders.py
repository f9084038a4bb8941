"""Snapshot.holders: which files hold given object ids, read from a raw listing or from the parsed one, alike."""

from __future__ import annotations

import os

from conftest import Repo

from genai_hooks.gitcmd import GitRepository
from genai_hooks.snapshot import open_snapshot


def test_holders_from_a_raw_listing_are_the_parsed_listings(repo: Repo) -> None:
    same = b"generated pixels " * 100
    repo.write("shots/a.exr", same)
    repo.write("deliverables/b\tcopy é.exr", same)  # a tab and a non-ASCII letter in the name
    repo.write("deliverables/other.exr", b"other pixels " * 100)
    os.symlink("../shots/a.exr", repo.root / "deliverables" / "link.exr")
    repo.add()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{repo.commit()},vendor/sub")  # a submodule
    repo.commit("with a submodule")
    ids = {repo.git("rev-parse", f":{p}").strip() for p in ("shots/a.exr", "deliverables/link.exr", "vendor/sub")}
    for rev in (None, "HEAD"):
        raw = open_snapshot(GitRepository(str(repo.root)), rev).holders(ids)
        listed = open_snapshot(GitRepository(str(repo.root)), rev)
        listed.listing  # noqa: B018 — read the listing first: the same question, the other way
        assert raw == listed.holders(ids), rev
        assert sorted(raw.values()) == [["deliverables/b\tcopy é.exr", "shots/a.exr"], ["deliverables/link.exr"]]
