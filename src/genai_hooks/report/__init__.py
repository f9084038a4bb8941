"""`genai-hooks report`: the disclosure report for the studio contact (SPEC §4), from a full audit."""

from __future__ import annotations

import datetime
from typing import Callable

from ..errors import UsageError
from ..runner import run_check
from ..scope import Scope
from .collect import build_model
from .model import Report
from .withdrawals import merge_base, withdrawals

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


def build_report(*, repo: str, rev: str | None, fmt: str, as_of: datetime.date, since: str | None = None,
                 approvers: str | None = None) -> str:
    """Audit every file of the snapshot (the index, or commit `rev`) and lay the result out as `fmt`; with
    `since`, also list the declarations withdrawn since the merge base of `since` and the snapshot."""
    render = _renderer(fmt)
    base = merge_base(repo, rev, since) if since is not None else None  # a bad BASE fails before the audit
    outcome = run_check(Scope(rev=rev), repo=repo, as_of=as_of, metadata=True, approvers=approvers)
    try:
        report = build_model(outcome, as_of, withdrawals(outcome, since, base) if since is not None else None)
    finally:
        outcome.snapshot.repository.close()  # the report's own reads restart git's cat-file processes
    return render(report)


__all__ = ["REPORT_FORMATS", "Report", "build_model", "build_report"]
