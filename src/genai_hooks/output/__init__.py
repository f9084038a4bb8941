"""Formatters: a RunResult in, text out. Formatters never judge."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:  # the command line imports this module before git starts working: keep it light
    from ..findings import RunResult

# --format name -> module in this package exposing `render(result: RunResult) -> str`
FORMATS: tuple[str, ...] = ("text", "json", "sarif", "github", "junit", "codequality", "markdown")
_MODULES = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "codequality": "codequality",
    "markdown": "markdown",
}


def decodable(text: str) -> str:
    """Path bytes that were not UTF-8 (kept as surrogates) become U+FFFD, for formats that need valid text."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that did not come from a byte
        return text.encode("utf-8", "replace").decode("utf-8")


def render(result: RunResult, fmt: str, *, color: bool = False, quiet: bool = False) -> str:
    if fmt not in _MODULES:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    if fmt == "text":
        return str(module.render(result, color=color, quiet=quiet))
    return str(module.render(result))
