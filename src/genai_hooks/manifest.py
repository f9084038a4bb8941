"""genai.toml -> a frozen Manifest, or the list of problems (GAI001) with their lines."""

from __future__ import annotations

import datetime
import difflib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import schema
from .findings import Severity
from .patterns import CompiledPattern, PatternError, approval_matcher, compile_pattern
from .toml_lines import Header, TomlLines, scan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

TIMECODE_RATES = (23.976, 24.0, 25.0, 29.97, 30.0, 47.952, 48.0, 50.0, 59.94, 60.0)


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


class ManifestInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Production:
    title: str | None
    contact: str | None
    approval_pattern: str | None
    line: int


@dataclass(frozen=True)
class Tool:
    id: str
    manifest: str
    line: int
    vendor: str
    product: str | None
    trains_on_inputs: bool | None
    retains_inputs: bool | None
    environment: str | None
    terms: str | None
    disclosed: datetime.date | None
    markers: tuple[str, ...]


@dataclass(frozen=True)
class GeneratedEntry:
    manifest: str
    line: int
    index: int  # position among the manifest's [[generated]] entries
    paths: tuple[str, ...]
    patterns: tuple[CompiledPattern, ...]
    tool: str
    purpose: str | None
    sensitive: tuple[str, ...]
    approvals: tuple[str, ...]


@dataclass(frozen=True)
class Approval:
    id: str
    covers: tuple[str, ...]
    granted_by: str
    date: datetime.date
    expires: datetime.date | None
    line: int


@dataclass(frozen=True)
class Manifest:
    path: str  # repository path of the genai.toml
    directory: str  # its directory ("" for the repository root)
    production: Production | None
    deliverables: tuple[CompiledPattern, ...]
    tools: tuple[Tool, ...]
    generated: tuple[GeneratedEntry, ...]
    approvals: tuple[Approval, ...] | None  # None: no register
    detect_metadata: bool
    detect_ignore: tuple[CompiledPattern, ...]
    path_map: tuple[tuple[str, str], ...]
    rate: float | None
    severity: Mapping[str, Severity]
    nested_tools: bool = False  # [policy] nested_tools: nested manifests may declare tools
    tables: Mapping[str, int] = field(default_factory=dict)  # table name -> line of its header (or first key)


def _type_ok(key: schema.Key, value: Any) -> bool:
    kind = key.kind
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
    if kind == "strings":
        return isinstance(value, list) and all(isinstance(v, str) and v for v in value)
    if kind == "string-or-strings":
        return (isinstance(value, str) and bool(value)) or (
            isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value))
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


_EXPECTED = {
    "string": "a string", "boolean": "true or false", "date": "a date (YYYY-MM-DD, unquoted)",
    "integer": "an integer", "number": "a positive number", "strings": "a list of non-empty strings",
    "string-or-strings": "a string or a non-empty list of strings", "string-map": "a table of strings",
    "severity-map": "a table of rule id = \"error\" | \"warning\" | \"off\"",
}


def _unknown(key: str, valid: tuple[str, ...], where: str) -> str:
    near = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else f"; valid keys: {', '.join(valid)}"
    return f"unknown key '{key}' in {where}{hint}"


class _Reader:
    """Validates one manifest's parsed TOML against schema.MANIFEST, collecting problems with lines."""

    def __init__(self, path: str, directory: str, lines: TomlLines, is_root: bool) -> None:
        self.path = path
        self.directory = directory
        self.lines = lines
        self.is_root = is_root
        self.problems: list[Problem] = []

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def check_table(self, name: str, where: str, header: Header | None, body: Any,
                    spec: schema.Table) -> dict[str, Any]:
        line = header.line if header else self.lines.key_line(None, name, 1)
        if not isinstance(body, dict):
            self.fail(line, f"{where} must be a table")
            return {}
        valid = tuple(spec.keys)
        clean: dict[str, Any] = {}
        for key, value in body.items():
            key_line = self.lines.key_line(header, key, line)
            if key not in spec.keys:
                self.fail(key_line, _unknown(key, valid, where))
                continue
            rule = spec.keys[key]
            if not _type_ok(rule, value):
                self.fail(key_line, f"'{key}' in {where} must be {_EXPECTED[rule.kind]}")
                continue
            values = value if isinstance(value, list) else [value]
            bad = [v for v in values if rule.choices and v not in rule.choices]
            if bad:
                self.fail(key_line, f"'{key}' in {where} has {bad[0]!r}; expected one of: {', '.join(rule.choices)}")
                continue
            clean[key] = value
        for key, rule in spec.keys.items():
            if rule.required and key not in body:
                self.fail(line, f"{where} is missing the required key '{key}'")
        return clean

    def patterns(self, values: list[str], line: int, where: str, *, ignore_case: bool = False
                 ) -> tuple[CompiledPattern, ...]:
        if not values:
            self.fail(line, f"'paths' in {where} is empty; list at least one pattern")
        compiled: list[CompiledPattern] = []
        for text in values:
            try:
                compiled.append(compile_pattern(text, self.directory, ignore_case=ignore_case))
            except PatternError as error:
                hint = f"; did you mean '{error.suggestion}'?" if error.suggestion else ""
                self.fail(line, f"bad pattern in {where}: {error}{hint}")
        return tuple(compiled)


def parse_manifest(path: str, data: bytes, *, is_root: bool) -> Manifest:
    """Parse and validate one genai.toml; raise ManifestInvalid with every problem found."""
    directory = path.rpartition("/")[0]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ManifestInvalid([Problem(1, f"not UTF-8 text ({error.reason} at byte {error.start})")])
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        raise ManifestInvalid([Problem(int(found.group(1)) if found else 1, f"invalid TOML: {error}")])
    except RecursionError:  # tomllib recurses once per level of nested arrays and inline tables
        raise ManifestInvalid([Problem(1, "invalid TOML: arrays or inline tables nested too deeply")]) from None
    reader = _Reader(path, directory, scan(text), is_root)
    manifest = _build(reader, document)
    if reader.problems:
        raise ManifestInvalid(sorted(reader.problems, key=lambda p: p.line))
    return manifest


def _build(r: _Reader, doc: dict[str, Any]) -> Manifest:
    lines = r.lines
    for key in doc:
        if key not in schema.TOP_KEYS:
            r.fail(lines.key_line(None, key, _header_line(lines, key)), _unknown(key, schema.TOP_KEYS, "the manifest"))
    if "version" in doc and (doc["version"] != 1 or isinstance(doc["version"], bool)):
        r.fail(lines.key_line(None, "version", 1), f"version {doc['version']!r} is not supported; 1 is the only version")
    if not r.is_root:
        for name, table in schema.MANIFEST.items():
            if table.root_only and name in doc:
                r.fail(_header_line(lines, name), f"[{name}] belongs in the root manifest only; "
                       "nested manifests can add declarations, not change the root's")

    production = None
    if "production" in doc:
        header = lines.table(("production",))
        body = r.check_table("production", "[production]", header, doc["production"], schema.MANIFEST["production"])
        pattern = body.get("approval_pattern")
        if pattern is not None:
            try:
                approval_matcher(pattern)
            except PatternError as error:
                r.fail(lines.key_line(header, "approval_pattern", 1), f"approval_pattern is not a valid regex: {error}")
        production = Production(body.get("title"), body.get("contact"), pattern, header.line if header else 1)

    deliverables: tuple[CompiledPattern, ...] = ()
    if "deliverables" in doc:
        header = lines.table(("deliverables",))
        body = r.check_table("deliverables", "[deliverables]", header, doc["deliverables"],
                             schema.MANIFEST["deliverables"])
        if "paths" in body:
            deliverables = r.patterns(body["paths"], lines.key_line(header, "paths", 1), "[deliverables]",
                                      ignore_case=True)  # Deliverables/ is deliverables/ on macOS and Windows

    tools = _tools(r, doc.get("tools"))
    generated = _generated(r, doc.get("generated"))
    approvals = _approvals(r, doc.get("approvals")) if "approvals" in doc else None

    detect_metadata: bool = True
    detect_ignore: tuple[CompiledPattern, ...] = ()
    if "detect" in doc:
        header = lines.table(("detect",))
        body = r.check_table("detect", "[detect]", header, doc["detect"], schema.MANIFEST["detect"])
        detect_metadata = body.get("metadata", True)
        detect_ignore = r.patterns(body["ignore"], lines.key_line(header, "ignore", 1), "[detect] ignore") \
            if body.get("ignore") else ()

    path_map: tuple[tuple[str, str], ...] = ()
    rate = None
    if "editorial" in doc:
        header = lines.table(("editorial",))
        body = r.check_table("editorial", "[editorial]", header, doc["editorial"], schema.MANIFEST["editorial"])
        path_map = tuple(sorted(body.get("path_map", {}).items()))
        rate = float(body["rate"]) if "rate" in body else None
        if rate is not None and not any(abs(rate - known) < 0.001 for known in TIMECODE_RATES):
            r.fail(lines.key_line(header, "rate", 1), f"[editorial] rate {body['rate']} is not a timecode rate; "
                   f"use one of {', '.join(f'{k:g}' for k in TIMECODE_RATES)}")

    severity: dict[str, Severity] = {}
    nested_tools = False
    if "policy" in doc:
        header = lines.table(("policy",))
        body = r.check_table("policy", "[policy]", header, doc["policy"], schema.MANIFEST["policy"])
        severity = _severity(r, body.get("severity", {}), lines.key_line(header, "severity", 1))
        nested_tools = body.get("nested_tools", False)

    tables = {name: _header_line(lines, name) for name in schema.MANIFEST if name in doc}
    return Manifest(r.path, r.directory, production, deliverables, tools, generated, approvals,
                    detect_metadata, detect_ignore, path_map, rate, severity, nested_tools, tables)


def _header_line(lines: TomlLines, name: str) -> int:
    for header in lines.headers:
        if header.name[:1] == (name,):
            return header.line
    return lines.key_line(None, name, 1)


def _tools(r: _Reader, body: Any) -> tuple[Tool, ...]:
    if body is None:
        return ()
    if not isinstance(body, dict):
        r.fail(_header_line(r.lines, "tools"), "[tools] must hold tables, one per tool: [tools.ID]")
        return ()
    tools = []
    for tool_id, table in body.items():
        header = r.lines.table(("tools", tool_id))
        where = f"[tools.{tool_id}]"
        clean = r.check_table(tool_id, where, header, table, schema.MANIFEST["tools"])
        line = header.line if header else _header_line(r.lines, "tools")
        tools.append(Tool(tool_id, r.path, line, clean.get("vendor", ""), clean.get("product"),
                          clean.get("trains_on_inputs"), clean.get("retains_inputs"), clean.get("environment"),
                          clean.get("terms"), clean.get("disclosed"), tuple(clean.get("markers", ()))))
    return tuple(tools)


def _generated(r: _Reader, body: Any) -> tuple[GeneratedEntry, ...]:
    if body is None:
        return ()
    if not isinstance(body, list):
        r.fail(_header_line(r.lines, "generated"), "generated must be an array of tables: [[generated]]")
        return ()
    entries = []
    for index, table in enumerate(body):
        header = r.lines.array_item(("generated",), index)
        where = f"[[generated]] #{index + 1}"
        clean = r.check_table("generated", where, header, table, schema.MANIFEST["generated"])
        line = header.line if header else _header_line(r.lines, "generated")
        patterns = r.patterns(clean["paths"], r.lines.key_line(header, "paths", line), where) \
            if "paths" in clean else ()
        approval = clean.get("approval", ())
        approvals = (approval,) if isinstance(approval, str) else tuple(approval)
        entries.append(GeneratedEntry(r.path, line, index, tuple(clean.get("paths", ())), patterns,
                                      clean.get("tool", ""), clean.get("purpose"),
                                      tuple(clean.get("sensitive", ())), approvals))
    return tuple(entries)


def _approvals(r: _Reader, body: Any) -> tuple[Approval, ...]:
    if not isinstance(body, list):
        r.fail(_header_line(r.lines, "approvals"), "approvals must be an array of tables: [[approvals]]")
        return ()
    approvals: list[Approval] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(body):
        header = r.lines.array_item(("approvals",), index)
        clean = r.check_table("approvals", f"[[approvals]] #{index + 1}", header, table,
                              schema.MANIFEST["approvals"])
        line = header.line if header else _header_line(r.lines, "approvals")
        if not {"id", "covers", "granted_by", "date"} <= set(clean):
            continue
        if clean["id"] in seen:
            r.fail(line, f"approval id '{clean['id']}' is declared twice (first at line {seen[clean['id']]})")
            continue
        seen[clean["id"]] = line
        approvals.append(Approval(clean["id"], tuple(clean["covers"]), clean["granted_by"], clean["date"],
                                  clean.get("expires"), line))
    return tuple(approvals)


def _severity(r: _Reader, body: dict[str, str], line: int) -> dict[str, Severity]:
    from .rules import RULES

    out: dict[str, Severity] = {}
    for rule_id, level in body.items():
        if rule_id not in RULES:
            near = difflib.get_close_matches(rule_id, list(RULES), n=1)
            r.fail(line, f"[policy] severity names unknown rule '{rule_id}'"
                   + (f"; did you mean '{near[0]}'?" if near else ""))
        elif level not in schema.SEVERITIES:
            r.fail(line, f"[policy] severity of {rule_id} must be error, warning or off, not {level!r}")
        elif rule_id == "GAI001" and level != "error":
            r.fail(line, "GAI001 (invalid-manifest) cannot be turned off or down")
        else:
            out[rule_id] = Severity(level)
    return out
