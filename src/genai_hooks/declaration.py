"""The [[generated]] entry that declares files: the fix GAI301 prints, and what `genai-hooks declare` writes.

One place decides how paths become patterns (a frame sequence collapses into one `####` pattern, other
pattern characters are escaped) and how the entry reads, so the fix a user copies and the entry the
writer appends are the same text.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .chains import ManifestSet, directory_of
from .findings import Evidence, Finding
from .paths import MANIFEST_NAME
from .sequences import FRAME_TOKEN, frame_sequences, split_frame

_PATTERN_CHARACTERS = frozenset("\\*?[]#%$<")  # what a pattern would read as more than the character itself
TOOL_PLACEHOLDER = "<tool id>"
APPROVAL_PLACEHOLDER = "<approval id>"


def literal(text: str) -> str:
    """`text` as a pattern that matches exactly it."""
    return "".join("\\" + c if c in _PATTERN_CHARACTERS else c for c in text)


def toml_string(text: str) -> str:
    """A TOML basic string holding `text`."""
    out = ['"']
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _frame_parts(path: str) -> tuple[str, str, str] | None:
    """`sky.1001.exr` -> ("sky.", "####", ".exr"): the frame number as the token of its padding."""
    parts = split_frame(path)
    if parts is None:
        return None
    head, _, ext = parts
    digits = path[len(head):len(path) - len(ext)].lstrip("-")
    return head, "#" * len(digits), ext


def frame_pattern(path: str) -> str | None:
    """`sky.1001.exr` -> `sky.####.exr` (the rest escaped), the pattern of the sequence a frame belongs to."""
    parts = _frame_parts(path)
    return None if parts is None else literal(parts[0]) + parts[1] + literal(parts[2])


def sequence_path(path: str) -> str | None:
    """`a/sky.1001.exr` -> `a/sky.####.exr` unescaped, as `genai-hooks declare` takes a sequence."""
    parts = _frame_parts(path)
    return None if parts is None else "".join(parts)


def token_pattern(path: str) -> str:
    """A path holding frame tokens (`sky.####.exr`, `sky.%04d.exr`) as a pattern: the tokens kept, the rest escaped."""
    out: list[str] = []
    at = 0
    for token in FRAME_TOKEN.finditer(path):
        out.append(literal(path[at:token.start()]))
        text = token.group(0)  # a [1001-1100] range, as timelines write one, is a #### token in a pattern
        out.append("#" * len(text[1:].partition("-")[0]) if text.startswith("[") else text)
        at = token.end()
    return "".join(out) + literal(path[at:])


def patterns_for(paths: Iterable[str], directory: str) -> list[str]:
    """Patterns, relative to `directory`, that declare `paths`: each frame sequence of two or more frames as one
    `####` pattern, every other path as itself; in the order the paths came."""
    offset = len(directory) + 1 if directory else 0
    found: list[str] = []
    for sequence in frame_sequences(list(dict.fromkeys(paths)), lambda p: p):
        first = sequence.members[0][offset:]
        pattern = frame_pattern(first) if sequence.frames else None
        found.append(pattern if pattern is not None else literal(first))
    return list(dict.fromkeys(found))


def entry_text(patterns: Sequence[str], tool: str, *, approval: str | None = None, purpose: str | None = None,
               comments: dict[str, str] | None = None) -> str:
    """The [[generated]] entry, one key a line; `comments`: key -> a trailing comment."""
    notes = comments or {}

    def key(name: str, value: str) -> str:
        return f"{name} = {value}" + (f"   # {notes[name]}" if name in notes else "")

    lines = ["[[generated]]", key("paths", "[" + ", ".join(toml_string(p) for p in patterns) + "]"),
             key("tool", toml_string(tool))]
    if purpose is not None:
        lines.append(key("purpose", toml_string(purpose)))
    if approval is not None:
        lines.append(key("approval", toml_string(approval)))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Where:
    """Why a file needs an approval where it is: the categories its entry's approval must cover, and the words."""

    categories: tuple[str, ...]
    said: str  # "in a deliverable path", "in an archival path", ...


def needs_approval(manifests: ManifestSet, path: str) -> Where | None:
    """A generated file in a deliverable path needs an approval covering final-deliverable; one where it would be
    taken for real (an archival path, a documentary's deliverable), one covering archival too."""
    deliverable = manifests.is_deliverable(path)
    real = manifests.presented_as_real(path, deliverable)
    categories = (("final-deliverable",) if deliverable else ()) + (("archival",) if real else ())
    if not categories:
        return None
    said = real if real is not None else "in a deliverable path"
    if deliverable and real == "in an archival path":
        said = "in a deliverable and archival path"
    return Where(categories, said)


def manifest_for(manifests: ManifestSet, path: str) -> str:
    """The genai.toml an entry declaring `path` belongs in: the nearest one above it (the root's when none)."""
    chain = manifests.chain_dirs(directory_of(path))
    if not chain:
        return MANIFEST_NAME
    nearest = chain[-1]
    return manifests.valid[nearest].path if nearest in manifests.valid else manifests.invalid[nearest].path


def tool_named_by(manifests: ManifestSet, path: str, evidence: Sequence[Evidence]) -> str | None:
    """The tool of the declared file a copy or link holds (lineage), when its chain declares it; else the declared
    tool whose markers the evidence shows, when exactly one does."""
    tools = [tool for manifest in manifests.chain(directory_of(path)) for tool in manifest.tools]
    for found in evidence:
        origin = _ORIGIN_TOOL.search(found.detail) if found.kind == "lineage" else None
        if origin is not None and any(tool.id == origin.group(1) for tool in tools):
            return origin.group(1)
    details = " ".join(e.detail for e in evidence).lower()
    named = {tool.id for tool in tools
             if any(marker.strip() and marker.strip().lower() in details for marker in tool.markers)}
    return named.pop() if len(named) == 1 else None


_ORIGIN_TOOL = re.compile(r"\(tool '([^']+)'\)\Z")  # how lineage evidence ends: the original's entry and its tool


def declaring_fix(manifests: ManifestSet, path: str, evidence: Sequence[Evidence], where: Where | None) -> str:
    """GAI301's fix: the whole entry that makes `path` compliant, in the manifest it belongs in."""
    manifest = manifest_for(manifests, path)
    tool = tool_named_by(manifests, path, evidence)
    comments: dict[str, str] = {}
    if tool is None:
        declared = sorted({t.id for m in manifests.chain(directory_of(path)) for t in m.tools})
        comments["tool"] = ("the tool that made it: one of " + ", ".join(declared) + ", or one you declare in [tools.ID]"
                            if declared else "the tool that made it, declared in a [tools.ID] table")
    approval = None
    if where is not None:
        approval = APPROVAL_PLACEHOLDER
        comments["approval"] = (f"the written approval for this use, covering {' and '.join(where.categories)}, "
                                "in the root's [[approvals]] register")
    entry = entry_text(patterns_for([path], directory_of(manifest)), tool or TOOL_PLACEHOLDER,
                       approval=approval, comments=comments)
    exists = manifest != MANIFEST_NAME or manifests.chain_dirs("")
    command = (f"genai-hooks declare {shlex.quote(path)} --tool {shlex.quote(tool) if tool else 'ID'}"
               + (" --approval ID" if approval else ""))
    return (f"declare it (or replace the file) with this entry in {manifest}" + ("" if exists else
            " (`genai-hooks init` writes one)") + ":\n" + entry
            + f"(from the repository root, `{command}` writes it)")


def collapse_fixes(findings: Iterable[Finding]) -> list[Finding]:
    """A fix that names the first frame of a sequence finding names the sequence's pattern instead."""
    out: list[Finding] = []
    for finding in findings:
        name = posixpath.basename(finding.path)
        pattern = frame_pattern(name) if len(finding.files) > 1 else None
        sequence = sequence_path(finding.path)
        if pattern is not None and sequence is not None:
            fix = finding.fix.replace(toml_string(literal(name))[1:], toml_string(pattern)[1:])
            fix = fix.replace(f" {shlex.quote(finding.path)} ", f" {shlex.quote(sequence)} ")
            finding = replace(finding, fix=fix)
        out.append(finding)
    return out
