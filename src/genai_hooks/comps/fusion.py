"""Fusion `.comp` compositions (Fusion Studio, DaVinci Resolve) → the files their tools read and write.

A composition is one Lua table, `Composition { ..., Tools = { Name = Class { ... }, ... } }`.
Tools are the entries of the composition's `Tools` table and of a `GroupOperator`/`MacroOperator`'s
own `Tools`; the `Tools` of other tools hold modifiers, and a tool's `CustomData` may hold stored
settings that are no live tools. Reads: a Loader's `Clips` (`Clip { Filename = ... }`) and a
MediaIn's `CustomData.MediaProps.MEDIA_PATH`; writes: a Saver's `Inputs.Clip` (`Value = Clip {
Filename = ... }`). A tool with `PassThrough = true`, or inside a group that has it, is disabled.
Tables nest on an explicit stack; tables nobody reads, other tools included, are passed over whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import NamedTuple

from genai_hooks.comps.lua import NAME, NUMBER, PUNCT, STRING, UNTERMINATED, LuaTokens
from genai_hooks.comps.model import (
    MAX_SCRIPT_REFERENCES,
    TOO_MANY_REFERENCES,
    Collector,
    ScriptFormat,
    ScriptPath,
    node_name,
)
from genai_hooks.comps.paths import bracket_range_frames, fusion_frames, fusion_path_map

# Table roles: where in the composition a table sits.
_OTHER, _COMP, _TOOLS, _TOOL, _CLIPS, _CLIP, _INPUTS, _SAVER_CLIP, _SAVER_VALUE, _CUSTOM, _MEDIA = range(11)
_KIND_OF_CLASS = {"Loader": "loader", "Saver": "saver", "MediaIn": "mediain",
                  "GroupOperator": "group", "MacroOperator": "group"}
# The tables below a tool, and below those, that hold paths: (tool kind or role, key) → role.
_TOOL_TABLES = {("loader", "Clips"): _CLIPS, ("saver", "Inputs"): _INPUTS, ("mediain", "CustomData"): _CUSTOM}
_INNER_TABLES = {
    (_INPUTS, "Clip"): _SAVER_CLIP, (_SAVER_CLIP, "Value"): _SAVER_VALUE, (_CUSTOM, "MediaProps"): _MEDIA,
}
_FIELD_ROLES = frozenset((_CLIP, _SAVER_CLIP, _SAVER_VALUE, _MEDIA))  # tables whose fields are kept
_FIELDS = frozenset(("Filename", "StartFrame", "FormatID", "Value", "Expression", "SourceOp", "MEDIA_PATH"))
_MAX_GROUP_DEPTH = 64
# What the last token was, for telling `Key = Class {` from `Key = value,`.
_START, _NAME, _EQUALS, _VALUE, _CALLING, _CALLED, _KEY_OPEN, _KEY, _KEY_CLOSED, _MISC = range(10)

_Field = tuple[str, int]  # (value, position in the text)


class _Tool:
    __slots__ = ("depth", "disabled", "group", "kind", "name", "passthrough")

    def __init__(self, name: str, kind: str, group: _Tool | None) -> None:
        self.name = name
        self.kind = kind
        self.group = group  # the GroupOperator or MacroOperator around it
        self.depth: int = 0 if group is None else group.depth + 1
        self.passthrough = False
        self.disabled = False


class _Table:
    __slots__ = ("fields", "role", "tool")

    def __init__(self, role: int, tool: _Tool | None) -> None:
        self.role = role
        self.tool = tool
        self.fields: dict[str, _Field] = {}


class _Found(NamedTuple):
    tool: _Tool
    into: str  # "reads" or "writes"
    reference: ScriptPath
    why_unresolved: str


def read_fusion(text: str) -> Collector:
    return _Reader(text).read()


class _Reader:
    def __init__(self, text: str) -> None:
        self.tokens = LuaTokens(text)
        self.collector = Collector(ScriptFormat.FUSION)
        self.stack: list[_Table] = []
        self.tools: list[_Tool] = []
        self.found: list[_Found] = []
        self.stopped = False  # the bound on references was reached

    def read(self) -> Collector:
        key: str | None = None
        last_name = bracket_key = ""
        previous = _START
        stack, tokens = self.stack, self.tokens
        for kind, value, position in tokens:
            if kind == PUNCT:
                if value == "=":
                    key = last_name if previous == _NAME else bracket_key if previous == _KEY_CLOSED else None
                    previous = _EQUALS
                elif value == "{":
                    self._open(key, last_name if previous in (_NAME, _CALLED) else "", position)
                    key, previous = None, _START
                elif value in ",;}":
                    if key is not None and previous == _NAME and stack:
                        self._assign(stack[-1], key, last_name, position)  # `PassThrough = true,`
                    key, previous = None, _START
                    if value == "}":
                        if stack:
                            self._close()
                        else:
                            self.collector.incomplete(f"unbalanced '}}' at line {tokens.line_at(position)}")
                elif value == "(":
                    previous = _CALLING if previous == _NAME else _MISC
                elif value == ")":
                    previous = _CALLED if previous == _CALLING else _MISC
                elif value == "[":
                    previous = _KEY_OPEN
                else:
                    previous = _KEY_CLOSED if previous == _KEY else _MISC
            elif kind == NAME:
                last_name, previous = value, _NAME
            elif kind == STRING or kind == NUMBER:
                if previous == _KEY_OPEN:
                    bracket_key, previous = value, _KEY
                    continue
                if previous == _EQUALS and key is not None and stack:
                    self._assign(stack[-1], key, value, position)
                previous = _VALUE
            elif kind == UNTERMINATED:
                self.collector.incomplete(f"unterminated {value} at line {tokens.line_at(position)}")
            else:
                previous = _MISC
            if self.stopped:
                break
        if stack:
            self.collector.incomplete("unbalanced braces: the script ends inside a table; "
                                      "paths after the cut were not read")
        while stack and not self.stopped:
            self._close()  # a table the text ends inside still reports the paths read so far
        self._emit()
        return self.collector

    def _open(self, key: str | None, node_class: str, position: int) -> None:
        """Push the table just opened, or pass over it when nobody reads it."""
        top = self.stack[-1] if self.stack else None
        role = _role(top, key, node_class)
        tool = None if top is None else top.tool
        if role == _TOOL and key:
            kind = _KIND_OF_CLASS.get(node_class)
            tool = None if kind is None else _Tool(node_name("", key), kind, tool)
            if tool is not None and tool.depth > _MAX_GROUP_DEPTH:
                self.collector.incomplete(
                    f"groups nested deeper than {_MAX_GROUP_DEPTH}; their tools were not read")
                tool = None
            if tool is None:
                role = _OTHER  # a tool that reads and writes no file: nothing in it matters here
            else:
                self.tools.append(tool)
        if role == _OTHER:
            if not self.tokens.skip_table():
                line = self.tokens.line_at(position)
                self.collector.incomplete(f"unbalanced braces: the table opened at line {line} is not closed")
            return
        self.stack.append(_Table(role, tool))
        if role in _FIELD_ROLES:
            fields = self.tokens.flat_table()
            if fields is not None:
                for name, (value, value_position) in fields.items():
                    self._assign(self.stack[-1], name, value, value_position)
                self._close()

    def _assign(self, table: _Table, key: str, value: str, position: int) -> None:
        if table.role == _TOOL and key == "PassThrough" and table.tool is not None:
            table.tool.passthrough = value == "true"
        elif key in _FIELDS and table.role in _FIELD_ROLES:
            table.fields[key] = (value, position)

    def _close(self) -> None:
        table = self.stack.pop()
        fields, tool = table.fields, table.tool
        if tool is None:
            return
        if table.role == _CLIP and "Filename" in fields:
            single_frame = fields.get("StartFrame", ("", 0))[0] == "-1"  # Fusion writes -1 for a still
            self._find(tool, "reads", "Clips", fields["Filename"],
                       partial(fusion_frames, saving=False, single_frame=single_frame,
                               format_id=fields.get("FormatID", ("", 0))[0]))
        elif table.role == _SAVER_VALUE:
            for name in ("Filename", "FormatID"):
                if name in fields:
                    self.stack[-1].fields[name] = fields[name]  # the Clip input around this value reports it
        elif table.role == _SAVER_CLIP:
            self._saver_clip(tool, fields)
        elif table.role == _MEDIA and "MEDIA_PATH" in fields:
            self._find(tool, "reads", "MEDIA_PATH", fields["MEDIA_PATH"], bracket_range_frames)

    def _saver_clip(self, tool: _Tool, fields: dict[str, _Field]) -> None:
        filename = fields.get("Filename") or fields.get("Value")
        format_id = fields.get("FormatID", ("", 0))[0]
        unresolved = ""
        if "Expression" in fields:
            unresolved = "set by an expression, not evaluated: " + fields["Expression"][0]
            filename = filename or fields["Expression"]
        elif "SourceOp" in fields:
            unresolved = f"taken from the tool {fields['SourceOp'][0]}, not followed"
            filename = filename or fields["SourceOp"]
        if filename is not None:
            self._find(tool, "writes", "Clip", filename,
                       partial(fusion_frames, saving=True, single_frame=False, format_id=format_id), unresolved)

    def _find(self, tool: _Tool, into: str, knob: str, written: _Field, frames: Callable[[str], tuple[str, bool]],
              unresolved: str = "") -> None:
        """Keep the path `written`, its frame tokens read by `frames` (path -> path with tokens, sequence?)."""
        raw, position = written
        if not raw.strip():
            return
        path, sequence = raw, False
        mapped = fusion_path_map(raw)
        if mapped is not None and not unresolved:
            if mapped[0].lower() == "comp":
                path = mapped[1].lstrip("/\\")  # Comp: is the composition's own directory
            else:
                unresolved = f"Fusion path map {mapped[0]}: not resolved: {raw}"
        if not unresolved and path:
            path, sequence = frames(path)
        line = self.tokens.line_at(position)
        reference = ScriptPath(path=path or raw, node=tool.name, knob=knob, line=line,
                               resolved=not unresolved, sequence=sequence, written=raw)
        self.found.append(_Found(tool, into, reference, unresolved))
        if len(self.found) > MAX_SCRIPT_REFERENCES:
            self.found.pop()
            self.collector.incomplete(TOO_MANY_REFERENCES)
            self.stopped = True

    def _emit(self) -> None:
        for tool in self.tools:  # a group comes before its tools, so its state is known when theirs is set
            tool.disabled = tool.passthrough or (tool.group is not None and tool.group.disabled)
        for item in self.found:
            reference = replace(item.reference, disabled=True) if item.tool.disabled else item.reference
            self.collector.add(getattr(self.collector, item.into), reference, item.why_unresolved)


def _role(top: _Table | None, key: str | None, node_class: str) -> int:
    if top is None:
        return _COMP if node_class == "Composition" else _OTHER
    role, tool = top.role, top.tool
    if role == _COMP or (role == _TOOL and tool is not None and tool.kind == "group"):
        return _TOOLS if key == "Tools" else _OTHER
    if role == _TOOLS:
        return _TOOL if key else _OTHER
    if role == _TOOL and tool is not None:
        return _TOOL_TABLES.get((tool.kind, key or ""), _OTHER)
    if role == _CLIPS:
        return _CLIP
    return _INNER_TABLES.get((role, key or ""), _OTHER)
