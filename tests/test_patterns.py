from __future__ import annotations

import pytest

from genai_hooks.pattern_index import PatternIndex
from genai_hooks.patterns import PatternError, compile_pattern


@pytest.mark.parametrize("pattern,path,expected", [
    ("sky.####.exr", "sky.1001.exr", True),
    ("sky.####.exr", "sky.10010.exr", True),
    ("sky.####.exr", "sky.101.exr", False),
    ("sky.####.exr", "sky.01001.exr", False),
    ("sky.####.exr", "sky.-0012.exr", True),
    ("sky.%04d.exr", "sky.0042.exr", True),
    ("sky.%04d.exr", "sky.042.exr", False),
    ("sky.%d.exr", "sky.7.exr", True),
    ("sky.%d.exr", "sky.07.exr", False),
    ("sky.$F4.exr", "sky.0100.exr", True),
    ("sky.$F.exr", "sky.100.exr", True),
    ("tex.<UDIM>.tx", "tex.1001.tx", True),
    ("tex.<UDIM>.tx", "tex.1000.tx", False),
    ("tex.<UDIM>.tx", "tex.9999.tx", True),
    ("**", "a/b/c.png", True),
    ("**/sky.exr", "sky.exr", True),
    ("**/sky.exr", "a/b/sky.exr", True),
    ("a/**/b.exr", "a/b.exr", True),
    ("a/**/b.exr", "a/x/y/b.exr", True),
    ("a/**", "a/x.png", True),
    ("a/**", "ab/x.png", False),
    ("previs", "previs/deep/file.png", True),
    ("prev*", "previs/deep/file.png", True),
    ("*.exr", "b.exr", True),
    ("*.exr", "a/b.exr", False),
    ("?.exr", "a.exr", True),
    ("?.exr", "ab.exr", False),
    ("[ab].exr", "b.exr", True),
    ("[!ab].exr", "b.exr", False),
    ("[!ab].exr", "c.exr", True),
    ("a\\*b", "a*b", True),
    ("a\\*b", "axb", False),
    ("Sky.exr", "sky.exr", False),
    ("with space/f.png", "with space/f.png", True),
])
def test_pattern_semantics(pattern: str, path: str, expected: bool) -> None:
    assert compile_pattern(pattern).matches(path) is expected


def test_pattern_is_anchored_to_its_manifest_directory() -> None:
    pattern = compile_pattern("previs/**", "shots/sq010")
    assert pattern.matches("shots/sq010/previs/a.png")
    assert not pattern.matches("previs/a.png")
    assert not pattern.matches("shots/sq0100/previs/a.png")


@pytest.mark.parametrize("pattern,suggestion", [
    ("a/**.exr", "a/**/*.exr"),
    ("/abs/path", None),
    ("../up", None),
    ("a/../b", None),
    ("[abc", None),
    ("shots/frame.[9-0].exr", None),  # a reversed range: re.error must not escape as a crash
    ("trailing\\", "trailing/"),
    ("deliverables\\sh010\\*.exr", "deliverables/sh010/*.exr"),  # a Windows separator, not an escape
    ("a\\b/*.exr", "a/b/*.exr"),
    ("sky.%01001d.exr", None),  # no renderer pads a frame number to a thousand digits
    ("", None),
])
def test_bad_patterns_are_refused(pattern: str, suggestion: str) -> None:
    with pytest.raises(PatternError) as error:
        compile_pattern(pattern)
    assert error.value.suggestion == suggestion


def test_index_finds_every_matching_payload_and_nothing_else() -> None:
    index: PatternIndex[str] = PatternIndex()
    index.add(compile_pattern("previs/**", "shots"), "previs")
    index.add(compile_pattern("deliverables/**"), "deliverables")
    index.add(compile_pattern("**/*.exr"), "exr")
    index.add(compile_pattern("x/y.png"), "literal")
    index.add(compile_pattern("x/y.png/deeper"), "literal-below")
    assert sorted(index.matches("shots/previs/a.png")) == ["previs"]
    assert sorted(index.matches("deliverables/a/b.exr")) == ["deliverables", "exr"]
    assert sorted(index.matches("x/y.png")) == ["literal"]
    assert sorted(index.matches("x/y.png/deeper/z")) == ["literal", "literal-below"]
    assert list(index.matches("shots/a.png")) == []


def test_index_agrees_with_one_by_one_matching_on_many_paths() -> None:
    patterns = [compile_pattern(p, base) for base, p in [
        ("", "shots/sq0*/sh0[12]0/**"), ("", "**/comp/*.####.exr"), ("shots", "sq010/**/previs"),
        ("shots/sq020", "sh010/plate.%04d.exr"), ("", "deliverables"), ("", "**/*.png")]]
    index: PatternIndex[int] = PatternIndex()
    for number, pattern in enumerate(patterns):
        index.add(pattern, number)
    paths = [f"shots/sq0{s}0/sh0{h}0/{leaf}" for s in range(1, 4) for h in range(1, 4) for leaf in (
        "comp/x.1001.exr", "previs/a.png", "plate.0001.exr", "notes.txt", "deep/previs/b.jpg")]
    paths += ["deliverables", "deliverables/reel1.mov", "a.png", "comp/y.0042.exr"]
    for path in paths:
        expected = sorted(n for n, p in enumerate(patterns) if p.matches(path))
        assert sorted(index.matches(path)) == expected, path


def test_a_backslash_escapes_pattern_characters_only() -> None:
    assert compile_pattern("a\\[1\\].exr").matches("a[1].exr")
    assert compile_pattern("take\\#1/**").matches("take#1/x.exr")
    with pytest.raises(PatternError, match="separate directories with '/'"):
        compile_pattern("deliverables\\sh010")


@pytest.mark.parametrize("pattern,path", [
    ("shots/café/**", "shots/cafe\u0301/a.exr"),  # macOS writes names decomposed (NFD)
    ("shots/cafe\u0301/**", "shots/café/a.exr"),
    ("shots/*/sky_é.####.exr", "shots/x/sky_e\u0301.1001.exr"),
])
def test_patterns_and_paths_compare_in_nfc(pattern: str, path: str) -> None:
    assert compile_pattern(pattern).matches(path)
    index: PatternIndex[str] = PatternIndex()
    index.add(compile_pattern(pattern), "p")
    assert index.best(path) == "p" and index.covers(path) and list(index.matches(path)) == ["p"]


def test_an_index_that_ignores_case_matches_any_case() -> None:
    index: PatternIndex[str] = PatternIndex(ignore_case=True)
    index.add(compile_pattern("deliverables/**", ignore_case=True), "literal")
    index.add(compile_pattern("final/*/sh*.####.EXR", ignore_case=True), "regex")
    assert index.covers("Deliverables/sh010/a.exr") and index.covers("DELIVERABLES/x")
    assert index.best("Final/SQ010/SH010.1001.exr") == "regex"
    assert not index.covers("finals/sq010/sh010.1001.exr")
    sensitive: PatternIndex[str] = PatternIndex()
    sensitive.add(compile_pattern("deliverables/**"), "literal")
    assert not sensitive.covers("Deliverables/sh010/a.exr")  # [[generated]] patterns keep their case


def test_nested_double_stars_and_many_stars_match_in_linear_time() -> None:
    import time

    path = "/".join(["d"] * 29) + "/x"
    for pattern in ("/".join(["**", "*"] * 12) + "/nope", "**/" * 12 + "nope", "*a" * 12 + "*b",
                    "/".join(["**"] * 12) + "/*.exr"):
        compiled = compile_pattern(pattern)
        assert not compiled.linear or pattern.startswith("**/**")  # consecutive ** collapse into one
        index: PatternIndex[str] = PatternIndex()
        index.add(compiled, "p")
        start = time.perf_counter()
        for probe in (path, "a" * 200, "a" * 60 + "/" + "a" * 60):
            index.covers(probe)
            compiled.matches(probe)
        assert time.perf_counter() - start < 0.5, pattern


def test_simple_patterns_stay_on_the_fast_engine() -> None:
    for pattern in ("deliverables/**", "shots/*/comp/**", "sky.####.exr", "**/*.exr", "a/**/b/*.png"):
        assert compile_pattern(pattern).linear, pattern
