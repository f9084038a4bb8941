"""Break glass, on the record: `git push -o genai-hooks.breakglass="REASON"` and the log line it leaves."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import UsageError
from ..findings import Finding, Severity

PUSH_OPTION = "genai-hooks.breakglass"
# GitLab, Gitea (and Forgejo), GitHub Enterprise Server, Bitbucket Data Center hook scripts, then the system account
_PUSHER_VARIABLES = ("GL_USERNAME", "GITEA_PUSHER_NAME", "GITHUB_USER_LOGIN", "BB_USER_NAME", "USER")


def requested_reason(environ: Mapping[str, str]) -> str | None:
    """The reason given with `-o genai-hooks.breakglass=REASON` (the last one given); None when none or empty.

    Git hands push options to the hook as GIT_PUSH_OPTION_COUNT and GIT_PUSH_OPTION_0.. (only when the server
    sets receive.advertisePushOptions).
    """
    try:
        count = int(environ.get("GIT_PUSH_OPTION_COUNT", "0"))
    except ValueError:
        return None
    reason = None
    for index in range(max(0, count)):
        key, equals, value = environ.get(f"GIT_PUSH_OPTION_{index}", "").partition("=")
        if key == PUSH_OPTION and equals:
            reason = value.strip() or None
    return reason


def pusher(environ: Mapping[str, str]) -> str | None:
    """Who pushed, as the host tells the hook."""
    return next((environ[name] for name in _PUSHER_VARIABLES if environ.get(name)), None)


@dataclass(frozen=True)
class Override:
    """One ref accepted despite error findings."""

    ref: str
    old: str
    new: str
    findings: tuple[Finding, ...]

    def record(self, *, when: datetime.datetime, who: str | None, reason: str) -> str:
        """The log line: one JSON object, in ASCII (a path that is not UTF-8 is kept as \\udcXX escapes)."""
        errors = [{"rule": f.rule, "path": f.path} for f in self.findings
                  if f.severity is Severity.ERROR and f.suppressed is None]
        return json.dumps({"time": when.isoformat(timespec="seconds"), "ref": self.ref, "old": self.old,
                           "new": self.new, "pusher": who, "reason": reason, "errors": errors})


def append_records(log: str, overrides: Sequence[Override], *, who: str | None, reason: str) -> None:
    """Append one line per overridden ref in one write; a log that cannot be written is a UsageError (the push is
    then rejected: break glass is only allowed on the record)."""
    when = datetime.datetime.now(datetime.timezone.utc)
    text = "".join(o.record(when=when, who=who, reason=reason) + "\n" for o in overrides)
    data = text.encode("ascii")
    try:
        descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            written = os.write(descriptor, data)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise UsageError(f"cannot append to --breakglass-log {log}: {error.strerror or error}; the push is "
                         "rejected (break glass is allowed only on the record)") from None
    if written != len(data):
        raise UsageError(f"cannot append to --breakglass-log {log}: the disk took {written} of {len(data)} bytes; "
                         "the push is rejected (break glass is allowed only on the record)")
