"""The arrays of tables of a genai.toml ([[generated]], [[models]], [[approvals]], [[acknowledged]]): their frozen
entries, and the builders that turn validated TOML into them (manifest.py reads the rest of the manifest)."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from typing import Any

from . import schema
from .manifest_reader import TableReader
from .patterns import CompiledPattern
from .toml_lines import TomlLines


@dataclass(frozen=True)
class Disclosure:
    """How the audience is told that a generated deliverable is generated (SPEC §16, GAI214)."""

    method: str  # schema.DISCLOSURE_METHODS
    reference: str | None = None
    reason: str | None = None  # why none is shown (method none-artistic)

    def describe(self) -> str:
        said = self.reference if self.method != "none-artistic" else self.reason
        return self.method + (f" ({said})" if said else "")


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
    inputs: tuple[str, ...] = ()  # material fed to the tool (schema.INPUTS)
    disclosure: Disclosure | None = None  # how the audience is told (GAI214)


@dataclass(frozen=True)
class ModelEntry:
    """A [[models]] entry: model weights, what they were made from, and the approvals for that."""

    manifest: str
    line: int
    index: int  # position among the manifest's [[models]] entries
    paths: tuple[str, ...]
    patterns: tuple[CompiledPattern, ...]
    tool: str | None
    base: str | None
    trained_on: tuple[str, ...]
    approvals: tuple[str, ...]
    purpose: str | None
    dataset: tuple[CompiledPattern, ...] = ()  # the training files kept in the repository (GAI503)


@dataclass(frozen=True)
class Consent:
    """What the people concerned consented to (SPEC §16); the string form of `consent` is a reference alone."""

    reference: str
    scope: str | None = None  # the uses, the project, the term consented to
    represented_by: str | None = None  # counsel | union (schema.REPRESENTATION)
    estate: str | None = None  # who consented for a deceased person
    minor: bool = False
    table: bool = False  # written as a table (False: the string form, which says nothing but the reference)


@dataclass(frozen=True)
class Approval:
    id: str
    covers: tuple[str, ...]
    granted_by: str
    date: datetime.date
    expires: datetime.date | None
    line: int
    consent: str | None = None  # the consent record of the people concerned (GAI211)
    union: str | None = None  # the union notification reference
    signed_by: str | None = None  # the approver who signed it (a principal of the approvers file)
    signature: str | None = None  # armored SSH signature over signatures.payload()
    consent_terms: Consent | None = None  # the consent as recorded; `consent` is its reference (signed payload)


@dataclass(frozen=True)
class Acknowledgement:
    """An [[acknowledged]] entry: findings of one rule on some paths that the production accepts."""

    manifest: str
    line: int
    rule: str
    paths: tuple[str, ...]
    patterns: tuple[CompiledPattern, ...]
    reason: str
    by: str
    until: datetime.date | None


def header_line(lines: TomlLines, name: str) -> int:
    for header in lines.headers:
        if header.name[:1] == (name,):
            return header.line
    return lines.key_line(None, name, 1)


@dataclass(frozen=True)
class Item:
    """One validated table of an array of tables ([[generated]], [[models]])."""

    index: int
    line: int
    clean: dict[str, Any]
    patterns: tuple[CompiledPattern, ...]

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.clean.get(key, ())
        return (value,) if isinstance(value, str) else tuple(value)


def items(r: TableReader, body: Any, name: str) -> list[Item]:
    if body is None:
        return []
    if not isinstance(body, list):
        r.fail(header_line(r.lines, name), f"{name} must be an array of tables: [[{name}]]")
        return []
    items = []
    for index, table in enumerate(body):
        header = r.lines.array_item((name,), index)
        where = f"[[{name}]] #{index + 1}"
        clean = r.check_table(name, where, header, table, schema.MANIFEST[name])
        line = header.line if header else header_line(r.lines, name)
        patterns = r.patterns(clean["paths"], r.lines.key_line(header, "paths", line), where) \
            if "paths" in clean else ()
        items.append(Item(index, line, clean, patterns))
    return items


def generated_entries(r: TableReader, body: Any) -> tuple[GeneratedEntry, ...]:
    return tuple(GeneratedEntry(r.path, i.line, i.index, i.strings("paths"), i.patterns, i.clean.get("tool", ""),
                                i.clean.get("purpose"), i.strings("sensitive"), approval_ids(r, i, "generated"),
                                i.strings("inputs"), disclosure(r, i))
                 for i in items(r, body, "generated"))


def disclosure(r: TableReader, item: Item) -> Disclosure | None:
    """An entry's disclosure; `none-artistic` says why nothing is shown, or it is GAI001."""
    value = item.clean.get("disclosure")
    if value is None:
        return None
    found = Disclosure(value["method"], value.get("reference"), value.get("reason"))
    if found.method == "none-artistic" and not (found.reason or "").strip():
        r.fail(r.lines.key_line(r.lines.array_item(("generated",), item.index), "disclosure", item.line),
               f"'disclosure' in [[generated]] #{item.index + 1} says none-artistic without a 'reason': say why the "
               "work is evidently artistic or fictional, so that no disclosure is shown")
    return found


def model_entries(r: TableReader, body: Any) -> tuple[ModelEntry, ...]:
    return tuple(ModelEntry(r.path, i.line, i.index, i.strings("paths"), i.patterns, i.clean.get("tool"),
                            i.clean.get("base"), i.strings("trained_on"), approval_ids(r, i, "models"),
                            i.clean.get("purpose"), dataset(r, i))
                 for i in items(r, body, "models"))


def dataset(r: TableReader, item: Item) -> tuple[CompiledPattern, ...]:
    values = item.clean.get("dataset")
    if not values:
        return ()
    line = r.lines.key_line(r.lines.array_item(("models",), item.index), "dataset", item.line)
    return r.patterns(values, line, f"[[models]] #{item.index + 1} dataset")


def blank_id(approval_id: str) -> str | None:
    """Why an approval id cannot name a written approval (blank, or holding control characters), or None."""
    if not approval_id.strip():
        return "is blank"
    if any(unicodedata.category(c) == "Cc" for c in approval_id):
        return "holds control characters"
    return None


def approval_ids(r: TableReader, item: Item, name: str) -> tuple[str, ...]:
    """The ids an entry cites; a blank id or one with control characters is GAI001, never a written approval."""
    ids = item.strings("approval")
    for approval_id in ids:
        why = blank_id(approval_id)
        if why is not None:
            r.fail(r.lines.key_line(r.lines.array_item((name,), item.index), "approval", item.line),
                   f"approval id {approval_id!r} {why}; cite the id of a written approval")
    return ids


def said(r: TableReader, item: Item, keys: tuple[str, ...]) -> bool:
    """Whether each key says something: an acknowledgement names why, and who checked."""
    blank = [k for k in keys if not str(item.clean[k]).strip()]
    for key in blank:
        say = "why the finding is acceptable" if key == "reason" else "who checked it"
        r.fail(item.line, f"'{key}' in [[acknowledged]] #{item.index + 1} is empty; say {say}")
    return not blank


def approval_register(r: TableReader, body: Any) -> tuple[Approval, ...]:
    if not isinstance(body, list):
        r.fail(header_line(r.lines, "approvals"), "approvals must be an array of tables: [[approvals]]")
        return ()
    approvals: list[Approval] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(body):
        header = r.lines.array_item(("approvals",), index)
        clean = r.check_table("approvals", f"[[approvals]] #{index + 1}", header, table,
                              schema.MANIFEST["approvals"])
        line = header.line if header else header_line(r.lines, "approvals")
        if not {"id", "covers", "granted_by", "date"} <= set(clean):
            continue
        why = blank_id(clean["id"])
        if why is not None:
            r.fail(r.lines.key_line(header, "id", line), f"approval id {clean['id']!r} {why}; use the id as granted")
            continue
        if clean["id"] in seen:
            r.fail(line, f"approval id '{clean['id']}' is declared twice (first at line {seen[clean['id']]})")
            continue
        seen[clean["id"]] = line
        terms = consent(clean.get("consent"))
        approvals.append(Approval(clean["id"], tuple(clean["covers"]), clean["granted_by"], clean["date"],
                                  clean.get("expires"), line, terms.reference if terms else None, clean.get("union"),
                                  clean.get("signed_by"), clean.get("signature"), terms))
    return tuple(approvals)


def consent(value: str | dict[str, Any] | None) -> Consent | None:
    """The consent of an approval, validated (manifest_reader checked the table's keys and types)."""
    if value is None:
        return None
    if isinstance(value, str):
        return Consent(value)
    return Consent(value["reference"], value.get("scope"), value.get("represented_by"), value.get("estate"),
                   value.get("minor", False), table=True)
