"""A policy pass over many files passes over, in bulk, those below no [[generated]] pattern's prefix: what it finds,
and the chains it reports (GAI001, GAI002), are what the pass over every file finds (property-based, and whole
audits of real repositories with the bulk path forced)."""

from __future__ import annotations

import pytest
from conftest import ROOT_MANIFEST, Repo, generated
from hypothesis import example, given, settings
from hypothesis import strategies as st

from genai_hooks import judge
from genai_hooks.chains import ManifestSet, directory_of
from genai_hooks.listing import at_or_below
from genai_hooks.pattern_index import PatternIndex
from genai_hooks.patterns import PatternError, compile_pattern

NAMES = ["a", "a-b", "a.b", "a0", "a/", "sh010", "gen", "x.exr", "b", "B", "z"]  # "-" "." "0" sort around "/"
PATTERNS = ["a/**", "a-b/*.exr", "sh010/gen/**", "**/gen/*", "*.exr", "a/sh010/x.exr", "b/**/x.exr", "a.b",
            "z/a*/**", "B/**"]
paths_strategy = st.lists(st.lists(st.sampled_from([n for n in NAMES if "/" not in n]), min_size=1, max_size=4),
                          max_size=30)


def _tree(parts: list[list[str]]) -> list[str]:
    paths = sorted({"/".join(p) for p in parts})
    return [p for p in paths if not any(q.startswith(p + "/") for q in paths)]  # a file is no folder too


@settings(max_examples=400, deadline=None)
@example([["a", "x.exr"], ["a-b", "x.exr"], ["a.b"]], [("a/**", ""), ("a-b/*.exr", "")])  # "a-b" is not below "a"
@example([["a", "a"]], [("a/**", ""), ("a/**", "a"), ("a-b/*.exr", "")])  # "a/a" is below "a", though "a-b" sorts between
@given(paths_strategy, st.lists(st.tuples(st.sampled_from(PATTERNS), st.sampled_from(["", "a", "b/sh010"])),
                                max_size=4))
def test_a_path_a_pattern_covers_is_never_passed_over(parts: list[list[str]], patterns: list[tuple[str, str]]) -> None:
    paths = _tree(parts)
    index: PatternIndex[str] = PatternIndex()
    for pattern, base in patterns:
        try:
            index.add(compile_pattern(pattern, base), pattern)
        except PatternError:
            continue
    narrowed = at_or_below(paths, index.prefixes())
    brute = [p for p in paths if any(not f or p == f or p.startswith(f + "/") for f in index.prefixes())]
    if narrowed is None:
        assert "" in index.prefixes()
        return
    assert narrowed == brute
    for path in paths:  # what the per-directory pass would find for the path
        view = index.view(directory_of(path))
        covered = view.whole or any(m.match(path, offset) for m, offset, _ in view.per_file)
        assert not covered or path in narrowed, path


@settings(max_examples=300, deadline=None)
@given(paths_strategy, st.sets(st.sampled_from(["", "a", "a/a-b", "a-b", "b", "b/sh010", "a/gen"])),
       st.sets(st.sampled_from(["", "a", "a/a-b", "a-b", "b", "b/sh010", "a/gen"])))
def test_the_chains_reported_in_bulk_are_those_of_every_directory(parts: list[list[str]], valid: set[str],
                                                                  invalid: set[str]) -> None:
    paths = _tree(parts)
    manifests = ManifestSet({d: object() for d in valid}, {d: object() for d in invalid - valid})  # type: ignore[misc]
    roots, bad = set(), set()
    for directory in {directory_of(p) for p in paths}:  # as report_invalid_in_chain does, a directory at a time
        chain = manifests.chain_dirs(directory)
        if chain and chain[0] in manifests.valid:
            roots.add(chain[0])
        bad.update(d for d in chain if d in manifests.invalid)
    assert manifests.chains_below(paths) == (roots, bad)


def _show(repo: Repo) -> None:
    repo.write("genai.toml", ROOT_MANIFEST + generated(["shots/sh010/gen/**", "a-b/*.exr", "a/**"], purpose="sky")
               + generated(["deliverables/sh010/*.exr"], purpose="sky") + generated(["unused/**"]))
    repo.write("nested/genai.toml", 'version = 1\n' + generated(["**/*.png"], tool="nope"))
    repo.write("broken/genai.toml", "version = [\n")
    for path in ("shots/sh010/gen/sky.1001.exr", "shots/sh010/plate.1001.exr", "a-b/x.exr", "a/x.exr", "a.b",
                 "nested/deep/c.png", "broken/d.exr", "deliverables/sh010/sky.1001.exr", "z.exr"):
        repo.write(path, path.encode())
    repo.add()


@pytest.mark.parametrize("rev", [False, True])
def test_an_audit_with_the_bulk_pass_says_what_the_pass_over_every_file_says(repo: Repo, rev: bool,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _show(repo)
    args = ["--rev", "HEAD"] if rev else []
    if rev:
        repo.git("commit", "-qm", "show")
    every = repo.check(*args)
    rules = {f["rule"] for f in every.json["findings"]}
    assert {"GAI001", "GAI201", "GAI401"} <= rules, every.out
    monkeypatch.setattr(judge, "_NARROWED_FROM", 0)
    assert repo.check(*args).out == every.out
    text = repo.run("run", *args).out
    monkeypatch.setattr(judge, "_NARROWED_FROM", 10 ** 9)
    assert repo.run("run", *args).out == text
