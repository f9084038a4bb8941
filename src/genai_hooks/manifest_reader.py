"""Validation of one manifest's tables against schema.MANIFEST, collecting every problem with its line."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import schema
from .patterns import CompiledPattern, PatternError, compile_pattern
from .toml_lines import Header, TomlLines


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def type_ok(key: schema.Key, value: Any) -> bool:
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
    if kind == "table":
        return isinstance(value, dict)
    if kind == "string-or-table":
        return isinstance(value, (str, dict))
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


_EXPECTED = {
    "string": "a string", "boolean": "true or false", "date": "a date (YYYY-MM-DD, unquoted)",
    "integer": "an integer", "number": "a positive number", "strings": "a list of non-empty strings",
    "string-or-strings": "a string or a non-empty list of strings", "string-map": "a table of strings",
    "severity-map": "a table of rule id = \"error\" | \"warning\" | \"off\"",
    "table": "an inline table { ... }", "string-or-table": "a string or an inline table { ... }",
}


_LONGEST = 1000  # characters of a GAI001 message


def _shown(value: str) -> str:
    """A value as a message quotes it: at most 80 characters (a 1 MB string must not fill the report)."""
    return repr(value) if len(value) <= 80 else repr(value[:77]) + "..."


def unknown_key(key: str, valid: tuple[str, ...], where: str) -> str:
    near = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else f"; valid keys: {', '.join(valid)}"
    return f"unknown key '{key if len(key) <= 80 else key[:77] + '...'}' in {where}{hint}"


class TableReader:
    """Validates one manifest's parsed TOML against schema.MANIFEST, collecting problems with lines."""

    def __init__(self, path: str, directory: str, lines: TomlLines, is_root: bool) -> None:
        self.path = path
        self.directory = directory
        self.lines = lines
        self.is_root = is_root
        self.problems: list[Problem] = []

    def fail(self, line: int, message: str) -> None:
        if len(message) > _LONGEST:  # a megabyte value quoted back would bury the finding
            message = message[:_LONGEST - 3] + "..."
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
                self.fail(key_line, unknown_key(key, valid, where))
                continue
            rule = spec.keys[key]
            if not type_ok(rule, value):
                self.fail(key_line, f"'{key}' in {where} must be {_EXPECTED[rule.kind]}")
                continue
            if rule.fields is not None and isinstance(value, dict):
                if not self._fields_ok(f"'{key}' in {where}", key_line, value, rule.fields):
                    continue
                clean[key] = value
                continue
            values = value if isinstance(value, list) else [value]
            bad = [v for v in values if rule.choices and v not in rule.choices]
            if bad:
                near = difflib.get_close_matches(bad[0], rule.choices, n=1, cutoff=0.6)
                hint = f"did you mean '{near[0]}'? " if near else ""
                why = f" ({rule.refused})" if rule.refused else ""
                self.fail(key_line, f"'{key}' in {where} has {_shown(bad[0])}; {hint}expected one of: "
                          f"{', '.join(rule.choices)}{why}")
                continue
            clean[key] = value
        for key, rule in spec.keys.items():
            if rule.required and key not in body:
                self.fail(line, f"{where} is missing the required key '{key}'")
        if spec.one_of and not any(key in body for key in spec.one_of):
            self.fail(line, f"{where} needs {' or '.join(repr(k) for k in spec.one_of)}")
        return clean

    def _fields_ok(self, where: str, line: int, value: dict[str, Any], fields: Mapping[str, schema.Key]) -> bool:
        """Validate an inline table's keys (unknown, wrong type, not a choice, missing); report each problem."""
        before = len(self.problems)
        for key, item in value.items():
            rule = fields.get(key)
            if rule is None:
                self.fail(line, unknown_key(key, tuple(fields), where))
            elif not type_ok(rule, item):
                self.fail(line, f"'{key}' of {where} must be {_EXPECTED[rule.kind]}")
            elif rule.choices and item not in rule.choices:
                near = difflib.get_close_matches(item, rule.choices, n=1, cutoff=0.6)
                hint = f"did you mean '{near[0]}'? " if near else ""
                self.fail(line, f"'{key}' of {where} has {_shown(item)}; {hint}expected one of: "
                          f"{', '.join(rule.choices)}")
        for key, rule in fields.items():
            if rule.required and key not in value:
                self.fail(line, f"{where} is missing the required key '{key}'")
        return len(self.problems) == before

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
