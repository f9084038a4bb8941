"""Compositing scripts → the file paths they read and write (SPEC §9, lineage).

`read_script` reads a Nuke (`.nk`) or Fusion (`.comp`) script from its bytes and lists the paths
its nodes read, write and pull in, as the script writes them. No git, no judging, no path mapping:
the caller maps paths with `[editorial] path_map` (a relative path is relative to the script's
directory) and matches frame tokens; nothing in a script is ever evaluated.
"""

from __future__ import annotations

import re
from dataclasses import replace

from genai_hooks.comps.model import (
    COMP_SUFFIXES,
    MAX_PATH_CHARACTERS,
    MAX_SCRIPT_BYTES,
    MAX_SCRIPT_NOTES,
    MAX_SCRIPT_REFERENCES,
    CompScript,
    ScriptFormat,
    ScriptPath,
    ScriptUnreadable,
    printable,
)

__all__ = [
    "COMP_SUFFIXES",
    "MAX_PATH_CHARACTERS",
    "MAX_SCRIPT_BYTES",
    "MAX_SCRIPT_NOTES",
    "MAX_SCRIPT_REFERENCES",
    "CompScript",
    "ScriptFormat",
    "ScriptPath",
    "ScriptUnreadable",
    "read_script",
]

_FUSION_HEAD = re.compile(r"\A\ufeff?\s*(?:--[^\n]*\n\s*)*Composition\s*\{")
_LFS_POINTER = re.compile(rb"\Aversion https://(?:git-lfs\.github\.com/spec/v1|hawser\.github\.com/spec/v1)")
_SNIFF_BYTES = 4096


def read_script(name: str, data: bytes) -> CompScript | None:
    """The paths of the compositing script `data` holds, `name` telling its format by suffix.

    None when the file is no compositing script: another suffix, or a `.comp` that is no Fusion
    composition (a GLSL compute shader, say). Raises ScriptUnreadable, and nothing else, when it
    is one but cannot be read safely: larger than MAX_SCRIPT_BYTES, binary, a Git LFS pointer.
    A script read only in part (unbalanced braces, a bound reached) is a CompScript whose
    `complete` is False and whose `notes` say where reading stopped.
    """
    suffix = next((s for s in COMP_SUFFIXES if name.lower().endswith(s)), None)
    if suffix is None:
        return None
    try:
        if suffix == ".comp" and not _FUSION_HEAD.match(_decode(bytes(data[:_SNIFF_BYTES]), strict=False)):
            return None
        label = "Fusion composition" if suffix == ".comp" else "Nuke script"
        if len(data) > MAX_SCRIPT_BYTES:
            raise ScriptUnreadable(f"{label} larger than {MAX_SCRIPT_BYTES // (1024 * 1024)} MiB; not read")
        content = bytes(data)
        if _LFS_POINTER.match(content):
            raise ScriptUnreadable(f"a Git LFS pointer, not the {label} it stands for")
        fault = content.find(b"\x00")
        if fault == 0:
            raise ScriptUnreadable(f"not a {label}: binary content")
        text = _decode(content[:fault] if fault > 0 else content, strict=True)
        if suffix == ".comp":
            from genai_hooks.comps.fusion import read_fusion

            parsed = read_fusion(text).result()
        else:
            from genai_hooks.comps.nuke import read_nuke

            parsed = read_nuke(text).result()
        if fault > 0 and not (parsed.reads or parsed.writes or parsed.scripts):
            raise ScriptUnreadable(f"not a {label}: binary content")
        if fault > 0:  # what was read before the fault still counts, and the script is not read completely
            return replace(parsed, complete=False, notes=(f"binary content at byte {fault}; read up to it",
                                                          *parsed.notes))
        return parsed
    except ScriptUnreadable:
        raise
    except Exception as error:  # noqa: BLE001 — a state nobody foresaw is still no traceback
        reason = printable(str(error) or type(error).__name__)
        raise ScriptUnreadable("could not be read: " + reason) from None


def _decode(content: bytes, *, strict: bool) -> str:
    """UTF-8, as Nuke and Fusion save; a script that is not UTF-8 was saved as Latin-1 by an older tool.

    A script cut inside its last character is still UTF-8: only that character is lost.
    """
    try:
        return content.decode("utf-8-sig", errors="strict" if strict else "ignore")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":
            return content.decode("utf-8-sig", errors="replace")
        return content.decode("latin-1")
