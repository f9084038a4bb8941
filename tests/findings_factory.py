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

# text GitHub would ping or link if a Markdown output let it through: mentions, URLs, addresses, and HTML
LINKABLE_TEXTS: tuple[str, ...] = (
    "@studio/legal",
    "@jane",
    "https://evil.example/x",
    "www.example.com",
    "jane.doe@example.com",
    "<script>",
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
    subject: str | None = None,
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
        subject=subject,
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


def clip_finding(timeline: str, clip: str, record_in: str, media: str) -> Finding:
    """A GAI302 as the timeline judge makes it: no line, the clip and its record timecode as the subject."""
    return finding(
        "GAI302",
        timeline,
        message=f"clip '{clip}' at {record_in} uses {media}: generated with 'firefly' (genai.toml:14) and not "
        "approved for final-deliverable",
        evidence=(Evidence("declared", Strength.STRONG, "genai.toml:14 tool 'firefly'"),),
        subject=f"clip '{clip}' at {record_in}",
    )


def timeline_result() -> RunResult:
    """A locked cut using generated media three times (twice the same clip on stacked tracks at one timecode),
    a tool missing three attestations on one manifest line, and two rules on one media file."""
    cut = "editorial/locked/reel1.otio"
    sky = "deliverables/sh020/sky/sh020_sky_v003.[1001-1010].exr (10 frames)"
    return RunResult(
        snapshot="index",
        files_checked=40,
        findings=(
            finding("GAI201", "deliverables/sh020/mood.png"),
            finding("GAI301", "deliverables/sh020/mood.png", message="embedded metadata says generative AI made "
                    "this file and no [[generated]] entry declares it", manifest=None, manifest_line=None),
            clip_finding(cut, "mood", "01:00:00:00", "deliverables/sh020/mood.png"),
            clip_finding(cut, "sh020_sky", "01:00:02:00", sky),
            clip_finding(cut, "sh020_sky", "01:00:02:00", sky),
            *(finding(rule, "genai.toml", line=9, manifest_line=9, message=f"tool 'sketchy' {problem}")
              for rule, problem in (("GAI103", "does not say where it runs"),
                                    ("GAI104", "names no reviewed contract or terms"),
                                    ("GAI105", "has no date it was disclosed"))),
        ),
    )


def linkable_result() -> RunResult:
    """Every linkable text in a path, a message (bare, bracketed, after punctuation), evidence and a note."""
    findings = sorted(
        (finding(
            "GAI301",
            f"deliverables/{text}/plate.png",
            message=f"{text} said ({text}), x,{text}. **{text}**, <{text}>; see {text}",
            manifest=None,
            manifest_line=None,
            evidence=(Evidence("software", Strength.MEDIUM, f"XMP CreatorTool '{text}' by {text}"),),
        ) for text in LINKABLE_TEXTS),
        key=lambda f: f.sort_key,
    )
    notes = tuple(Note(f"editorial/{text}.edl", f"clip '{text}': media reference {text} cannot be mapped")
                  for text in LINKABLE_TEXTS)
    return RunResult(snapshot="index", files_checked=len(findings), findings=tuple(findings), notes=notes)
