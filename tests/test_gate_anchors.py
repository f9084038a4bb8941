"""Where deliverable and archival paths may lie (listing.under with a pattern index's prefixes): every path a
pattern covers is found, in any case and Unicode form, a folder at a time (property-based)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from genai_hooks.listing import Listing
from genai_hooks.pattern_index import PatternIndex
from genai_hooks.patterns import PatternError, compile_pattern

NAMES = ["deliverables", "Deliverables", "DELIVERABLES", "final", "Final", "sh010", "a", "b.exr", "Café",
         unicodedata.normalize("NFD", "Café"), "x.mov", "renders"]
PATTERNS = ["deliverables/**", "Final/**", "**/final/**", "*.mov", "café/**", "deliverables/sh0*/**",
            "renders/b.exr", "a/final", "deliverables/sh010/*.exr", "sh010/**/b.exr"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4), max_size=25),
       st.lists(st.tuples(st.sampled_from(PATTERNS), st.sampled_from(["", "a", "Deliverables"])), max_size=4))
def test_every_covered_path_lies_under_an_anchor(parts: list[list[str]], patterns: list[tuple[str, str]]) -> None:
    paths = sorted({"/".join(p) for p in parts})
    paths = [p for p in paths if not any(q.startswith(p + "/") for q in paths)]  # a file is no folder too
    index: PatternIndex[str] = PatternIndex(ignore_case=True)
    for pattern, base in patterns:
        try:
            index.add(compile_pattern(pattern, base, ignore_case=True), pattern)
        except PatternError:
            continue
    under = Listing(paths, "", 0).under(index.prefixes(), index.key)
    assert under == sorted(under) and set(under) <= set(paths)
    assert {p for p in paths if index.covers(p)} <= set(under), (index.prefixes(), under)


def test_the_walk_skips_folders_outside_the_anchors() -> None:
    paths = sorted([f"shots/sh{n:04d}/plate.{f}.exr" for n in range(200) for f in range(10)] +
                   ["Deliverables/sh010/final.1001.exr", "deliverables/notes.txt", "readme.md"])
    assert Listing(paths, "", 0).under({"deliverables"}, str.lower) == ["Deliverables/sh010/final.1001.exr",
                                                                        "deliverables/notes.txt"]
    assert Listing(paths, "", 0).under({"readme.md", "shots/sh0001"}, str.lower) == [
        "readme.md", *[f"shots/sh0001/plate.{f}.exr" for f in range(10)]]
    assert len(Listing(paths, "", 0).under({""}, str.lower)) == len(paths)
