"""What reading a compositing script yields: the paths it reads and writes, and what could not be read."""

from __future__ import annotations

import enum
from dataclasses import dataclass

COMP_SUFFIXES = (".nk", ".comp")  # compared case-insensitively

# Bounds that keep a hostile or absurd script from exhausting time or memory.
MAX_SCRIPT_BYTES = 16 * 1024 * 1024
MAX_SCRIPT_REFERENCES = 100_000  # reads, writes and script references of one script together
MAX_SCRIPT_NOTES = 100
MAX_PATH_CHARACTERS = 4096  # PATH_MAX on Linux: a longer value names no file and is not kept
MAX_NAME_CHARACTERS = 256  # node names, group prefixes included, are cut to this many characters
_MAX_PATH_TEXT = 4 * MAX_SCRIPT_BYTES  # characters of all paths kept; Nuke views multiply them
TOO_MANY_REFERENCES = f"more than {MAX_SCRIPT_REFERENCES:,} file references; the rest were not read"
_NOTE_CHARACTERS = 160


class ScriptUnreadable(Exception):
    """A compositing script that cannot be read safely; str() is a one-line reason."""


class ScriptFormat(enum.Enum):
    NUKE = "nuke"
    FUSION = "fusion"


@dataclass(frozen=True)
class ScriptPath:
    """One file path a script reads, writes or pulls in, as the application would see it.

    `path` has the script's own escapes decoded and Fusion's `Comp:` resolved; a relative `path` is
    relative to the script's directory. Frame tokens stay tokens: Nuke's as written (`####`,
    `%04d`), Fusion's frame numbers become printf tokens (`sky.0000.exr` → `sky.%04d.exr`).
    """

    path: str
    node: str  # node or tool name; Nuke nodes inside groups are dotted: "Group1.Read1"
    knob: str  # where the path was written: "file", "proxy", "Clips", "Clip", "MEDIA_PATH"
    line: int | None  # line of the value in the script
    resolved: bool = True  # False: an expression or path map that was not evaluated; `path` keeps it
    disabled: bool = False  # the node, or a group around it, is disabled (Nuke) or passed through (Fusion)
    sequence: bool = False  # `path` holds a frame token and names an image sequence
    written: str = ""  # the value as the script holds it, escapes decoded, before any resolution


@dataclass(frozen=True)
class CompScript:
    """The file paths of one compositing script; `notes` say what could not be resolved."""

    format: ScriptFormat
    reads: tuple[ScriptPath, ...]
    writes: tuple[ScriptPath, ...]
    scripts: tuple[ScriptPath, ...]  # other scripts it pulls in (Nuke Precomp, LiveGroup)
    notes: tuple[str, ...]  # one short printable line each
    complete: bool = True  # False: part of the script was not read (unbalanced, truncated, a bound)


class Collector:
    """Gathers references and notes within the bounds; a reader hands it everything it finds."""

    def __init__(self, script_format: ScriptFormat) -> None:
        self.format = script_format
        self.reads: list[ScriptPath] = []
        self.writes: list[ScriptPath] = []
        self.scripts: list[ScriptPath] = []
        self._notes: list[str] = []
        self._extra_notes = 0
        self._references = 0
        self._characters = 0
        self.complete = True

    @property
    def full(self) -> bool:
        return self._references >= MAX_SCRIPT_REFERENCES

    def add(self, into: list[ScriptPath], reference: ScriptPath, why_unresolved: str = "") -> None:
        """Keep `reference`; an unresolved one also gets a note, `why_unresolved` saying why."""
        if self.full:
            self.incomplete(TOO_MANY_REFERENCES)
            return
        if len(reference.path) > MAX_PATH_CHARACTERS:
            self.note(f"{reference.node} {reference.knob}: a value longer than {MAX_PATH_CHARACTERS:,} "
                      "characters names no file; not kept")
            return
        self._characters += len(reference.path)
        if self._characters > _MAX_PATH_TEXT:
            self._references = MAX_SCRIPT_REFERENCES  # nothing more is kept
            self.incomplete("file references too long in total; the rest were not read")
            return
        self._references += 1
        into.append(reference)
        if not reference.resolved:
            line = "" if reference.line is None else f" (line {reference.line})"
            self.note(f"{reference.node} {reference.knob}{line}: {why_unresolved or 'not resolved'}")

    def note(self, text: str) -> None:
        if len(self._notes) >= MAX_SCRIPT_NOTES:
            self._extra_notes += 1
            return
        line = printable(text)
        if line not in self._notes:
            self._notes.append(line)

    def incomplete(self, text: str) -> None:
        self.complete = False
        self.note(text)

    def result(self) -> CompScript:
        notes = list(self._notes)
        if self._extra_notes:
            notes.append(f"… and {self._extra_notes:,} more notes")
        return CompScript(self.format, tuple(self.reads), tuple(self.writes), tuple(self.scripts),
                          tuple(notes), self.complete)


def node_name(prefix: str, name: str) -> str:
    """`prefix` + `name`, cut from the left when absurdly long, so that memory stays bounded."""
    full = prefix + name
    return full if len(full) <= MAX_NAME_CHARACTERS else "…" + full[-(MAX_NAME_CHARACTERS - 1):]


def printable(text: str) -> str:
    """One line of printable characters, short enough for a finding.

    Controls, bidirectional overrides and other format characters become `?`, so a path cannot
    rewrite the terminal or reorder the text around it.
    """
    head = text[:_NOTE_CHARACTERS * 4]
    shown = head if head.isprintable() else "".join(
        character if character.isprintable() else " " if character.isspace() else "?" for character in head)
    line = " ".join(shown.split())
    if len(line) > _NOTE_CHARACTERS or len(head) < len(text):
        return line[:_NOTE_CHARACTERS - 1] + "…"
    return line
