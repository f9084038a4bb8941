"""genai.toml -> a frozen Manifest, or the list of problems (GAI001) with their lines."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import schema
from .findings import Severity
from .manifest_reader import Problem, TableReader, unknown_key
from .manifest_tables import (
    Acknowledgement,
    Approval,
    Consent,
    Disclosure,
    GeneratedEntry,
    ModelEntry,
    approval_register,
    blank_id,
    generated_entries,
    header_line,
    items,
    model_entries,
    said,
)
from .paths import unsafe_path
from .patterns import CompiledPattern, PatternError, approval_matcher
from .toml_lines import parse_error, scan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = ["Acknowledgement", "Approval", "Consent", "Disclosure", "GeneratedEntry", "Manifest", "ManifestInvalid", "ModelEntry", "Production",
           "Tool", "blank_id", "parse_manifest"]

TIMECODE_RATES = (23.976, 24.0, 25.0, 29.97, 30.0, 47.952, 48.0, 50.0, 59.94, 60.0)


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
    kind: str | None = None  # fiction | documentary | unscripted | animation (schema.PRODUCTION_KINDS)
    approvers: str | None = None  # allowed_signers file, relative to the root manifest: approvals must be signed
    territories: tuple[str, ...] = ()  # where it is released; "EU" makes GAI214 an error
    marking: str | None = None  # "required": every generated deliverable carries a C2PA/IPTC mark (GAI306)


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
    archival: tuple[CompiledPattern, ...] = ()  # where material presented as real lives (case-insensitive)
    models: tuple[ModelEntry, ...] = ()
    acknowledged: tuple[Acknowledgement, ...] = ()
    approvals_mode: str = "register"  # [policy] approvals: "register" (checked) or "external" (unchecked)


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
        line, column, reason = parse_error(str(error), text)
        raise ManifestInvalid([Problem(line, f"invalid TOML at line {line}, column {column}: {reason}")]) from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and inline tables
        raise ManifestInvalid([Problem(1, "invalid TOML: arrays or inline tables nested too deeply")]) from None
    reader = TableReader(path, directory, scan(text), is_root)
    manifest = _build(reader, document)
    if reader.problems:
        raise ManifestInvalid(sorted(reader.problems, key=lambda p: p.line))
    return manifest


def _build(r: TableReader, doc: dict[str, Any]) -> Manifest:
    lines = r.lines
    for key in doc:
        if key not in schema.TOP_KEYS:
            r.fail(lines.key_line(None, key, header_line(lines, key)), unknown_key(key, schema.TOP_KEYS, "the manifest"))
    if "version" in doc and (doc["version"] != 1 or isinstance(doc["version"], bool)):
        r.fail(lines.key_line(None, "version", 1), f"version {doc['version']!r} is not supported; 1 is the only version")
    if not r.is_root:
        for name, table in schema.MANIFEST.items():
            if table.root_only and name in doc:
                r.fail(header_line(lines, name), f"[{name}] belongs in the root manifest only; "
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
        production = Production(body.get("title"), body.get("contact"), pattern, header.line if header else 1,
                                body.get("kind"), body.get("approvers"), tuple(body.get("territories", ())),
                                body.get("marking"))
        approvers = body.get("approvers")
        if approvers is not None:
            why = unsafe_path(approvers)
            if why is not None:
                r.fail(lines.key_line(header, "approvers", 1), f"approvers {approvers!r} is {why}; name a file "
                       "below the root manifest, e.g. \"approvers/allowed_signers\"")

    deliverables: tuple[CompiledPattern, ...] = ()
    if "deliverables" in doc:
        header = lines.table(("deliverables",))
        body = r.check_table("deliverables", "[deliverables]", header, doc["deliverables"],
                             schema.MANIFEST["deliverables"])
        if "paths" in body:
            deliverables = r.patterns(body["paths"], lines.key_line(header, "paths", 1), "[deliverables]",
                                      ignore_case=True)  # Deliverables/ is deliverables/ on macOS and Windows

    archival: tuple[CompiledPattern, ...] = ()
    if "archival" in doc:
        header = lines.table(("archival",))
        body = r.check_table("archival", "[archival]", header, doc["archival"], schema.MANIFEST["archival"])
        if "paths" in body:  # like [deliverables]: an Archive/ folder is archive/ to the artist who made it
            archival = r.patterns(body["paths"], lines.key_line(header, "paths", 1), "[archival]", ignore_case=True)

    tools = _tools(r, doc.get("tools"))
    generated = generated_entries(r, doc.get("generated"))
    models = model_entries(r, doc.get("models"))
    approvals = approval_register(r, doc.get("approvals")) if "approvals" in doc else None

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
    approvals_mode = "register"
    if "policy" in doc:
        header = lines.table(("policy",))
        body = r.check_table("policy", "[policy]", header, doc["policy"], schema.MANIFEST["policy"])
        severity = _severity(r, body.get("severity", {}), lines.key_line(header, "severity", 1))
        nested_tools = body.get("nested_tools", False)
        approvals_mode = body.get("approvals", "register")
        if approvals_mode == "external" and (production is None or production.approval_pattern is None):
            r.fail(lines.key_line(header, "approvals", header.line if header else 1),
                   'approvals = "external" accepts approval ids unchecked, so [production] approval_pattern is '
                   "required: every id must at least have the form of a real one")

    tables = {name: header_line(lines, name) for name in schema.MANIFEST if name in doc}
    acknowledged = tuple(Acknowledgement(r.path, i.line, i.clean["rule"], i.strings("paths"), i.patterns,
                                         i.clean["reason"], i.clean["by"], i.clean.get("until"))
                         for i in items(r, doc.get("acknowledged"), "acknowledged")
                         if {"rule", "paths", "reason", "by"} <= set(i.clean) and said(r, i, ("reason", "by")))
    return Manifest(r.path, r.directory, production, deliverables, tools, generated, approvals,
                    detect_metadata, detect_ignore, path_map, rate, severity, nested_tools, tables, archival, models,
                    acknowledged, approvals_mode)


def _tools(r: TableReader, body: Any) -> tuple[Tool, ...]:
    if body is None:
        return ()
    if not isinstance(body, dict):
        r.fail(header_line(r.lines, "tools"), "[tools] must hold tables, one per tool: [tools.ID]")
        return ()
    tools = []
    for tool_id, table in body.items():
        header = r.lines.table(("tools", tool_id))
        where = f"[tools.{tool_id}]"
        clean = r.check_table(tool_id, where, header, table, schema.MANIFEST["tools"])
        line = header.line if header else header_line(r.lines, "tools")
        tools.append(Tool(tool_id, r.path, line, clean.get("vendor", ""), clean.get("product"),
                          clean.get("trains_on_inputs"), clean.get("retains_inputs"), clean.get("environment"),
                          clean.get("terms"), clean.get("disclosed"), tuple(clean.get("markers", ()))))
    return tuple(tools)


def _severity(r: TableReader, body: dict[str, str], line: int) -> dict[str, Severity]:
    from .rules import RULES, nearest_rule

    out: dict[str, Severity] = {}
    for rule_id, level in body.items():
        if rule_id not in RULES:
            near = nearest_rule(rule_id)
            r.fail(line, f"[policy] severity names unknown rule '{rule_id}'"
                   + (f"; did you mean '{near}'?" if near else ""))
        elif level not in schema.SEVERITIES:
            r.fail(line, f"[policy] severity of {rule_id} must be error, warning or off, not {level!r}")
        elif rule_id == "GAI001" and level != "error":
            r.fail(line, "GAI001 (invalid-manifest) cannot be turned off or down")
        else:
            out[rule_id] = Severity(level)
    return out
