"""`genai-hooks report`: the disclosure report for the studio contact (SPEC §4), from a full audit."""

from __future__ import annotations

import datetime
from typing import Callable

from ..errors import UsageError
from ..runner import run_check
from .collect import build_model
from .model import Report

REPORT_FORMATS = ("markdown", "html", "json")


def _renderer(fmt: str) -> Callable[[Report], str]:
    if fmt == "markdown":
        from .markdown_report import render
    elif fmt == "html":
        from .html_report import render
    elif fmt == "json":
        from .json_report import render
    else:
        raise UsageError(f"unknown report format {fmt!r}; choose one of: {', '.join(REPORT_FORMATS)}")
    return render


def build_report(*, repo: str, rev: str | None, fmt: str, as_of: datetime.date) -> str:
    """Audit every file of the snapshot (the index, or commit `rev`) and lay the result out as `fmt`."""
    render = _renderer(fmt)
    outcome = run_check(repo=repo, paths=None, rev=rev, diff=None, as_of=as_of, metadata=True)
    try:
        report = build_model(outcome, as_of)
    finally:
        outcome.snapshot.repository.close()  # the report's own reads restart git's cat-file processes
    return render(report)


__all__ = ["REPORT_FORMATS", "Report", "build_model", "build_report"]
