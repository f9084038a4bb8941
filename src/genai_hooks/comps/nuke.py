"""Nuke `.nk` scripts → the files their nodes read and write, and the scripts they pull in.

A script is TCL: top-level commands such as `Read { knob value ... }`, `push`, `set` and
`end_group`; the nodes after a `Group`/`Gizmo`/`LiveGroup` up to its `end_group` are its children.
Reads: `file` and `proxy` of Read/DeepRead, `file` of ReadGeo/Camera/Axis; writes: `file` and
`proxy` of Write/DeepWrite, `file` of WriteGeo; scripts: `file` of Precomp and LiveGroup.
Knob values are read as written and never evaluated: a value with a TCL expression (`[...]`,
`$var`) is kept, marked unresolved and noted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from genai_hooks.comps.model import (
    MAX_SCRIPT_REFERENCES,
    TOO_MANY_REFERENCES,
    Collector,
    ScriptFormat,
    ScriptPath,
    node_name,
    printable,
)
from genai_hooks.comps.paths import has_frame_token, is_absolute
from genai_hooks.comps.tcl import BRACED, Word, list_pairs, statements, word_text

_READ_KNOBS: dict[str, tuple[str, ...]] = {
    "Read": ("file", "proxy"), "DeepRead": ("file", "proxy"),
    **{geometry: ("file",) for geometry in (
        "ReadGeo", "ReadGeo2", "Camera", "Camera2", "Camera3", "Camera4", "Axis", "Axis2", "Axis3", "Axis4")},
}
_WRITE_KNOBS: dict[str, tuple[str, ...]] = {
    "Write": ("file", "proxy"), "DeepWrite": ("file", "proxy"), "WriteGeo": ("file",),
}
_SCRIPT_KNOBS: dict[str, tuple[str, ...]] = {"Precomp": ("file",), "LiveGroup": ("file",)}
# class → ((where the path goes, knob), ...)
_PATH_KNOBS: dict[str, tuple[tuple[str, str], ...]] = {
    node_class: tuple((into, knob) for into, table in (
        ("reads", _READ_KNOBS), ("writes", _WRITE_KNOBS), ("scripts", _SCRIPT_KNOBS)
    ) for knob in table.get(node_class, ()))
    for node_class in (*_READ_KNOBS, *_WRITE_KNOBS, *_SCRIPT_KNOBS)
}
_GROUP_CLASSES = frozenset(("Group", "Gizmo", "LiveGroup"))
_MAX_NAMED_GROUP_DEPTH = 64  # deeper groups still nest, but add no name to the dotted prefix
_KNOBS_READ = frozenset(("name", "disable", "file", "proxy", "published", "project_directory", "views"))
_INTERESTING = frozenset((*_READ_KNOBS, *_WRITE_KNOBS, *_SCRIPT_KNOBS, *_GROUP_CLASSES, "Root"))
_TRUE = frozenset(("true", "1", "yes", "on"))
_VIEW_TOKEN = re.compile(r"%[Vv]")
_WHITESPACE = re.compile(r"\s+")
# Project directories that stand for the script's own directory (Nuke's default is the first).
_SCRIPT_DIRECTORY_IDIOMS = frozenset((
    "[python{nuke.script_directory()}]", "[pythonnuke.script_directory()]",
    "[filedirname[valueroot.name]]", "[filedirname[knobroot.name]]",
))


class _Knob(NamedTuple):
    value: str
    line: int
    braced: bool  # a braced value is literal text, never a plain true/false


class _Pending(NamedTuple):
    """A path knob, kept until the Root's project directory and views are known."""

    into: str  # "reads", "writes" or "scripts"
    node: str
    knob: str
    value: str
    line: int
    disabled: bool


@dataclass
class _Root:
    project_directory: str | None = None
    views: tuple[str, ...] = ("main",)
    pending: list[_Pending] = field(default_factory=list)


@dataclass(frozen=True)
class _Group:
    prefix: str  # "Group1." — node names inside are dotted, as Nuke's fullName writes them
    disabled: bool


def read_nuke(text: str) -> Collector:
    collector = Collector(ScriptFormat.NUKE)
    root = _Root()
    groups: list[_Group] = []  # explicit stack: Group nesting never recurses
    for statement in statements(text):
        if not statement.closed:
            collector.incomplete(f"unbalanced braces, quotes or brackets from line {statement.line}; "
                                 "the rest of the script was not read")
        if statement.body is not None:
            if statement.head in _INTERESTING:
                _read_node(text, statement.head, statement.body, groups, root, collector)
        elif statement.head == "end_group":
            if groups:
                groups.pop()
            else:
                collector.note(f"end_group without a group at line {statement.line}")
        if len(root.pending) > MAX_SCRIPT_REFERENCES:
            del root.pending[MAX_SCRIPT_REFERENCES:]
            collector.incomplete(TOO_MANY_REFERENCES)
            break
    _resolve_pending(root, collector)
    return collector


def _read_node(text: str, node_class: str, body: Word, groups: list[_Group], root: _Root,
               collector: Collector) -> None:
    knobs = _knobs(text, body, collector)
    outer = groups[-1] if groups else _Group("", False)
    name_knob = knobs.get("name")
    named = name_knob.value if name_knob is not None and name_knob.value else node_class
    name = node_name(outer.prefix, named)
    disabled = outer.disabled or _is_true(knobs.get("disable"))
    if node_class == "Root":
        _read_root(knobs, root)
    for into, knob_name in _PATH_KNOBS.get(node_class, ()):
        knob = knobs.get(knob_name)
        if knob is not None and knob.value.strip():
            root.pending.append(_Pending(into, name, knob_name, knob.value, knob.line, disabled))
    if node_class in _GROUP_CLASSES and not (node_class == "LiveGroup" and _is_true(knobs.get("published"))):
        # a published LiveGroup keeps no children in the script
        if len(groups) < _MAX_NAMED_GROUP_DEPTH:
            groups.append(_Group(name + ".", disabled))
        else:
            groups.append(outer if outer.disabled == disabled else _Group(outer.prefix, disabled))


def _knobs(text: str, body: Word, collector: Collector) -> dict[str, _Knob]:
    """The knobs this reader needs from a node body: name → value; a knob written twice keeps the last."""
    knobs: dict[str, _Knob] = {}
    for name, value in list_pairs(text, body.start, body.end, body.line, _KNOBS_READ):
        knobs[name] = _Knob(word_text(text, value), value.line, value.kind == BRACED)
        if not value.closed:
            collector.incomplete(f"knob {name} at line {value.line} is not closed")
    return knobs


def _is_true(knob: _Knob | None) -> bool:
    return knob is not None and not knob.braced and knob.value.strip().lower() in _TRUE


def _read_root(knobs: dict[str, _Knob], root: _Root) -> None:
    project = knobs.get("project_directory")
    if project is not None:
        root.project_directory = project.value.strip() or None
    views = knobs.get("views")
    if views is not None:
        # one view per line, "left #ff0000"; older scripts brace each one: {left #ff0000}
        names = tuple(line.strip().strip("{}").split()[0] for line in views.value.splitlines()
                      if line.strip().strip("{}").strip())
        root.views = names or root.views


def _resolve_pending(root: _Root, collector: Collector) -> None:
    project = root.project_directory
    script_directory = project is None or _WHITESPACE.sub("", project) in _SCRIPT_DIRECTORY_IDIOMS
    project_note = "relative to a project directory set by a TCL expression: " + printable(project or "")
    # where other relative paths resolve; with no project directory every path takes the first branch below
    base = "" if project is None else project.rstrip("/\\") + "/"
    noted_unset = False
    for pending in root.pending:
        if collector.full:
            collector.incomplete(TOO_MANY_REFERENCES)
            return
        into = getattr(collector, pending.into)
        value = pending.value
        if "[" in value or "$" in value:
            collector.add(into, _reference(pending, value, resolved=False),
                          "TCL expression not evaluated: " + value)
            continue
        for path in _view_paths(value, root.views):
            if collector.full:
                break
            if is_absolute(path) or script_directory:
                if project is None and not is_absolute(path) and not noted_unset:
                    noted_unset = True
                    collector.note("Root project_directory is not set: relative paths are read "
                                   "relative to the script's directory")
                collector.add(into, _reference(pending, path, resolved=True))
            elif "[" in base or "$" in base:
                collector.add(into, _reference(pending, path, resolved=False), project_note)
            else:
                collector.add(into, _reference(pending, base + path, resolved=True))


def _view_paths(value: str, views: tuple[str, ...]) -> Iterator[str]:
    """`%V` stands for each view's name, `%v` for its first letter: plate_%V → plate_left, plate_right."""
    if _VIEW_TOKEN.search(value) is None:
        yield value
        return
    seen: set[str] = set()
    for view in views:
        expanded = value.replace("%V", view).replace("%v", view[:1])
        if expanded not in seen:  # `%v` of "left" and "lower" is the same file
            seen.add(expanded)
            yield expanded


def _reference(pending: _Pending, path: str, *, resolved: bool) -> ScriptPath:
    return ScriptPath(
        path=path, node=pending.node, knob=pending.knob, line=pending.line, resolved=resolved,
        disabled=pending.disabled, sequence=resolved and has_frame_token(path), written=pending.value,
    )
