"""Manifest patterns: compile them (frame tokens, `**`, classes) and match millions of paths fast.

A pattern is anchored to its manifest's directory. Its leading literal segments form a *prefix*
(a repository path); pattern_index.py indexes patterns by prefix, so a file only meets the patterns
whose prefix is one of its ancestors: cost per file grows with path depth, not pattern count.

Matching is linear in the path whatever a manifest says. A pattern with at most two unbounded
parts (`*`, `**`, a frame token) runs on Python's `re`, whose backtracking is then at worst
quadratic in one path; anything richer runs on RE2, which never backtracks (and costs ~10x more
per call). Paths and patterns compare in Unicode NFC, as artists' file systems show them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

import re2  # type: ignore[import-untyped]

# A frame number as a renderer writes it with padding N: exactly N digits, or more without a leading zero.
_UDIM = "(?:100[1-9]|10[1-9][0-9]|1[1-9][0-9]{2}|[2-9][0-9]{3})"
_PRINTF = re.compile(r"%0?(\d*)d")
_HOUDINI = re.compile(r"\$F(\d*)")
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
_UNESCAPE = re.compile(r"\\(.)")
_SPECIAL = re.compile(r"[\\*?\[#%$<]")  # a segment without these is literal text
_ESCAPABLE = frozenset("*?[]\\#%$<{}!")  # what a backslash may escape; anything else is a Windows separator
_LINEAR_RE_PARTS = 2  # unbounded parts Python's backtracking engine may meet in one pattern
MAX_FRAME_PADDING = 32


class PatternError(ValueError):
    """A pattern that cannot be compiled; `suggestion` is a corrected pattern when one is obvious."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


class Matcher(Protocol):
    def match(self, string: str, pos: int = ...) -> Any: ...


def match_key(path: str) -> str:
    """A path as patterns see it: Unicode NFC (macOS and some DAMs write names decomposed)."""
    return path if path.isascii() else unicodedata.normalize("NFC", path)


def _re2_options(*, ignore_case: bool) -> Any:
    options = re2.Options()
    options.log_errors = False  # a bad pattern is a GAI001 finding, not a line on stderr
    options.dot_nl = True
    options.case_sensitive = not ignore_case
    return options


@functools.lru_cache(maxsize=4096)
def compile_matcher(source: str, *, linear: bool, ignore_case: bool = False) -> Matcher:
    """`source` (written for Python's `re`, ending in `\\Z`) on the engine that keeps it linear."""
    if linear:
        return re.compile(source, re.DOTALL | (re.IGNORECASE if ignore_case else 0))
    anchored = source[:-2] + "\\z" if source.endswith("\\Z") else source
    matcher: Matcher = re2.compile(anchored, _re2_options(ignore_case=ignore_case))
    return matcher


@functools.lru_cache(maxsize=256)
def approval_matcher(pattern: str) -> Any:
    """A production's `approval_pattern` on RE2: `(a|aa)+` against a long id must not take minutes.

    Raises PatternError for what RE2 cannot promise to run in linear time (backreferences, lookaround).
    """
    try:
        return re2.compile(pattern, _re2_options(ignore_case=False))
    except re2.error as error:
        reason = error.args[0].decode("utf-8", "replace") if error.args and isinstance(error.args[0], bytes) \
            else str(error)
        raise PatternError(f"{reason} (approval_pattern runs on RE2, which has no backreferences or "
                           "lookaround, so that no pattern can make matching slow)") from None


def approval_matches(pattern: str, approval_id: str) -> bool:
    return approval_matcher(pattern).fullmatch(approval_id) is not None


def frame_regex(padding: int) -> str:
    if padding > MAX_FRAME_PADDING:
        raise PatternError(f"a frame number padded to {padding} digits is no frame number (at most "
                           f"{MAX_FRAME_PADDING})")
    if padding <= 1:
        return "-?(?:[0-9]|[1-9][0-9]+)"
    return f"-?(?:[0-9]{{{padding}}}|[1-9][0-9]{{{padding},}})"


@dataclass(frozen=True)
class CompiledPattern:
    text: str  # as written in the manifest
    prefix: str  # repository path of the leading literal segments ("" = repository root), NFC (lower-cased
    # when the pattern ignores case)
    rest: str | None  # regex for the path below `prefix` (and anything under it); None: literal
    linear: bool = True  # Python's `re` is safe for `rest`; else it runs on RE2
    ignore_case: bool = False

    def matcher(self) -> Matcher | None:
        return None if self.rest is None else compile_matcher(self.rest, linear=self.linear,
                                                               ignore_case=self.ignore_case)

    def key(self, path: str) -> str:
        key = match_key(path)
        return key.lower() if self.ignore_case else key

    def matches(self, path: str) -> bool:
        """Does this pattern cover `path` (a repository path)? For tests and one-off checks."""
        path = self.key(path)
        if self.prefix:
            if path == self.prefix:
                return self.rest is None
            if not path.startswith(self.prefix + "/"):
                return False
            offset = len(self.prefix) + 1
        else:
            offset = 0
        matcher = self.matcher()
        return matcher is None or matcher.match(path, offset) is not None


def _join(base: str, rel: str) -> str:
    if not base:
        return rel
    return f"{base}/{rel}" if rel else base


def _segment_regex(segment: str, pattern: str) -> tuple[str, bool, int]:
    """Translate one segment to a regex; return (regex, is_literal, how many unbounded parts it has)."""
    if not _SPECIAL.search(segment):
        return re.escape(segment), True, 0
    out: list[str] = []
    literal = True
    unbounded = 0
    i = 0
    n = len(segment)
    while i < n:
        c = segment[i]
        if c == "\\":
            if i + 1 >= n:
                raise PatternError(f"pattern {pattern!r} ends with a lone '\\'")
            out.append(re.escape(segment[i + 1]))
            i += 2
            continue
        if c == "*":
            if segment.startswith("**", i):
                head, tail = segment[:i], segment[i + 2:]
                fixed = "/".join(part for part in (head.rstrip("/"), "**", ("*" + tail) if tail else "") if part)
                raise PatternError(
                    f"'**' must be a whole path segment in {pattern!r}",
                    suggestion=pattern.replace(segment, fixed.replace("***", "**/*"), 1)
                    if head or tail else None,
                )
            out.append("[^/]*")
            literal = False
            unbounded += 1
            i += 1
            continue
        if c == "?":
            out.append("[^/]")
            literal = False
            i += 1
            continue
        if c == "[":
            end = segment.find("]", i + 2 if segment.startswith("[!", i) else i + 1)
            if end < 0:
                raise PatternError(f"unclosed '[' in {pattern!r}")
            body = segment[i + 1:end]
            negate = body.startswith("!")
            if negate:
                body = body[1:]
            if not body:
                raise PatternError(f"empty character class in {pattern!r}")
            escaped = "".join("\\" + ch if ch in "\\^]" else ch for ch in body)
            try:
                re.compile(f"[{escaped}]")
            except re.error as error:  # a range like [z-a]
                raise PatternError(f"bad character class [{segment[i + 1:end]}] in {pattern!r}: {error.msg}") from None
            out.append(f"[^/{escaped}]" if negate else f"[{escaped}]")
            literal = False
            i = end + 1
            continue
        if c == "#":
            run = len(segment[i:]) - len(segment[i:].lstrip("#"))
            out.append(frame_regex(run))
            literal = False
            unbounded += 1
            i += run
            continue
        if c == "%":
            m = _PRINTF.match(segment, i)
            if m:
                out.append(frame_regex(int(m.group(1) or 1)))
                literal = False
                unbounded += 1
                i = m.end()
                continue
        if c == "$":
            m = _HOUDINI.match(segment, i)
            if m:
                out.append(frame_regex(int(m.group(1) or 1)))
                literal = False
                unbounded += 1
                i = m.end()
                continue
        if c == "<" and segment.startswith("<UDIM>", i):
            out.append(_UDIM)
            literal = False
            i += len("<UDIM>")
            continue
        out.append(re.escape(c))
        i += 1
    return "".join(out), literal, unbounded


def _check_backslashes(pattern: str) -> None:
    """A backslash escapes a pattern character; any other is a Windows separator that would match nothing."""
    i = pattern.find("\\")
    while i >= 0:
        following = pattern[i + 1:i + 2]
        if following not in _ESCAPABLE or not following:
            raise PatternError(f"pattern {pattern!r} uses '\\' where patterns separate directories with '/'",
                               suggestion=pattern.replace("\\", "/"))
        i = pattern.find("\\", i + 2)


def compile_pattern(pattern: str, base: str = "", *, ignore_case: bool = False) -> CompiledPattern:
    """Compile `pattern`, written in the manifest of directory `base` (a repository path).

    `ignore_case`: match as case-insensitive file systems do (deliverable folders on macOS and Windows).
    """
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError("a pattern must be a non-empty string")
    if pattern.startswith("/") or _DRIVE.match(pattern):
        raise PatternError(f"pattern {pattern!r} is absolute; patterns are relative to the manifest's directory")
    _check_backslashes(pattern)
    text = match_key(pattern)
    segments = [s for s in text.rstrip("/").split("/") if s not in ("", ".")]
    if not segments:
        raise PatternError(f"pattern {pattern!r} selects nothing")
    if ".." in segments:
        raise PatternError(f"pattern {pattern!r} leaves the manifest's directory ('..')")
    segments = [s for i, s in enumerate(segments) if not (s == "**" and i and segments[i - 1] == "**")]  # **/** = **
    base = match_key(base)

    def fold(prefix: str) -> str:
        return prefix.lower() if ignore_case else prefix

    prefix_parts: list[str] = []
    index = 0
    for index, segment in enumerate(segments):
        _, literal, _ = ("", False, 0) if segment == "**" else _segment_regex(segment, pattern)
        if not literal:
            break
        prefix_parts.append(_UNESCAPE.sub(r"\1", segment) if "\\" in segment else segment)
    else:
        return CompiledPattern(pattern, fold(_join(base, "/".join(prefix_parts))), None, True, ignore_case)

    pieces: list[str] = []
    unbounded = 0
    rest = segments[index:]
    for position, segment in enumerate(rest):
        last = position == len(rest) - 1
        if segment == "**":
            # zero or more directories; trailing: at least something below
            pieces.append(".+" if last else "(?:[^/]+/)*")
            unbounded += 1
            continue
        regex, _, parts = _segment_regex(segment, pattern)
        unbounded += parts
        pieces.append(regex if last else regex + "/")
    body = "".join(pieces).removesuffix("/")
    return CompiledPattern(pattern, fold(_join(base, "/".join(prefix_parts))), f"(?:{body})(?:/.*)?\\Z",
                           unbounded <= _LINEAR_RE_PARTS, ignore_case)
