"""Builders of RunResult objects for formatter tests: realistic findings, hostile paths."""

from __future__ import annotations

from collections.abc import Sequence

from genai_hooks.findings import Evidence, Finding, Note, RunResult, Severity, Strength
from genai_hooks.rules import RULES

# paths Git allows that break naive formatters: separators of every output format, non-ASCII, controls
HOSTILE_PATHS: tuple[str, ...] = (
    "deliverables/sh 020/sky v003.png",
    "deliverables/100%/sky%20.png",
    "deliverables/a,b:c/d::e.png",
    "deliverables/line\nbreak\r.png",
    "deliverables/pipe|and`tick`.png",
    "deliverables/été/シーン/😀.png",
    "deliverables/<script>alert(1)</script>&amp;.png",
    "deliverables/bell\x07esc\x1b.png",
)


def finding(
    rule: str = "GAI201",
    path: str = "deliverables/x.png",
    *,
    line: int | None = None,
    severity: Severity | None = None,
    message: str | None = None,
    manifest: str | None = "genai.toml",
    manifest_line: int | None = 7,
    files: Sequence[str] = (),
    evidence: Sequence[Evidence] = (),
) -> Finding:
    catalogued = RULES[rule]
    return Finding(
        rule=rule,
        severity=severity if severity is not None else catalogued.default,
        path=path,
        line=line,
        message=message if message is not None else f"{path} is generated and deliverable, with no approval",
        fix=catalogued.fix,
        manifest=manifest,
        manifest_line=manifest_line,
        files=tuple(files) or (path,),
        evidence=tuple(evidence),
    )


def sequence_finding(frames: int = 240) -> Finding:
    paths = [f"deliverables/sh020/sky/sh020_sky_v003.{1001 + i}.exr" for i in range(frames)]
    return finding(
        "GAI201",
        paths[0],
        message=f"deliverables/sh020/sky/sh020_sky_v003.[1001-{1000 + frames}].exr, {frames} frames, "
        "is generated and deliverable, with no approval",
        files=paths,
    )


def evidence_finding() -> Finding:
    return finding(
        "GAI301",
        "shots/sq010/sh010/plate.png",
        message="embedded metadata says generative AI made this file and no [[generated]] entry declares it",
        manifest=None,
        manifest_line=None,
        evidence=(
            Evidence("c2pa", Strength.STRONG, "c2pa.actions.v2 digitalSourceType trainedAlgorithmicMedia"),
            Evidence("png-text", Strength.MEDIUM, "PNG text chunk 'parameters' (AUTOMATIC1111)"),
        ),
    )


def tool_warning() -> Finding:
    return finding(
        "GAI103",
        "genai.toml",
        line=12,
        message="tool 'firefly' does not declare an enterprise environment",
        manifest="genai.toml",
        manifest_line=12,
    )


def mixed_result() -> RunResult:
    """Two errors (one a 240-frame sequence), a GAI301 with evidence, a warning on a manifest line, notes."""
    return RunResult(
        snapshot="0123456789abcdef0123456789abcdef01234567",
        files_checked=1234,
        findings=(finding(), sequence_finding(), evidence_finding(), tool_warning()),
        notes=(
            Note(
                "editorial/locked/reel1.edl",
                "clip 'sh030' refers to /Volumes/ext/sh030.mov, outside the repository",
            ),
            Note("missing/path.exr", "not in the snapshot; skipped"),
        ),
    )


def hostile_result() -> RunResult:
    """One finding per hostile path, errors and warnings alternating, hostile text in notes too."""
    findings = tuple(
        finding(
            "GAI201" if i % 2 == 0 else "GAI303",
            path,
            line=None if i % 3 else i + 1,
            message=f"{path} breaks: | ` * _ [x](y) <b> & %0A ::error:: , :",
        )
        for i, path in enumerate(HOSTILE_PATHS)
    )
    return RunResult(
        snapshot="index",
        files_checked=len(HOSTILE_PATHS),
        findings=findings,
        notes=(Note("a,b:c/line\nbreak.otio", "reference\n::warning::injected"),),
    )


def empty_result(files_checked: int = 3) -> RunResult:
    return RunResult(snapshot="index", files_checked=files_checked)
