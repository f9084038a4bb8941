"""Where the judged content lives: the repository's remote and branch, for SARIF's versionControlProvenance.

Read from local configuration only (two git processes, only when a format asks): never the network.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from .findings import VersionControl
from .gitcmd import GitRepository

# `user@host:path/repo.git`, as ssh remotes are written (not a URL, and not a Windows drive letter)
_SCP_LIKE = re.compile(r"\A(?:[^@/]+@)?(?P<host>[^:/]{2,}):(?P<path>(?!//).*)\Z", re.DOTALL)
_SCHEME = re.compile(r"\A[A-Za-z][A-Za-z0-9+.-]*://")


def describe(repository: GitRepository, commit: str | None) -> VersionControl:
    """The remote (`origin`, or the only one) and the branch checked out, when it holds what is judged:
    the index, or the commit HEAD points at."""
    remotes = _remote_urls(repository.try_run("config", "-z", "--get-regexp", r"^remote\..*\.url$") or b"")
    url = remotes.get("origin") or (next(iter(remotes.values())) if len(remotes) == 1 else None)
    head = repository.try_run("rev-parse", "HEAD", "--symbolic-full-name", "HEAD", "--") or b""
    lines = head.decode("utf-8", "surrogateescape").split("\n")
    branch = None
    if len(lines) >= 2 and lines[1].startswith("refs/heads/") and commit in (None, lines[0]):
        branch = lines[1][len("refs/heads/"):]
    return VersionControl(repository_uri=repository_uri(url) if url else None, branch=branch)


def _remote_urls(config: bytes) -> dict[str, str]:
    urls: dict[str, str] = {}
    for record in config.decode("utf-8", "surrogateescape").split("\0"):
        key, _, value = record.partition("\n")
        if key.startswith("remote.") and key.endswith(".url") and value:
            urls.setdefault(key[len("remote."):-len(".url")], value)
    return urls


def repository_uri(url: str) -> str | None:
    """A remote as an absolute URI without credentials (a CI clone's URL carries a token), or None."""
    if _SCHEME.match(url):
        parts = urlsplit(url)
        if not parts.hostname and parts.scheme != "file":
            return None
        host = parts.hostname or ""
        if not host.isascii():  # an internationalised name is no URI until IDNA-encoded: leave it out
            return None
        if ":" in host:  # an IPv6 literal
            host = f"[{host}]"
        try:
            port = f":{parts.port}" if parts.port else ""
        except ValueError:  # a port that is no number
            return None
        return f"{parts.scheme.lower()}://{host}{port}{_path(parts.path)}"
    scp = _SCP_LIKE.match(url)
    if scp is not None:
        path = scp.group("path")
        return f"ssh://{scp.group('host')}{_path(path if path.startswith('/') else '/' + path)}"
    if url.startswith("/"):  # a repository on this machine or a mounted share
        return f"file://{_path(url)}"
    return None  # a relative path: nothing another machine could resolve


def _path(path: str) -> str:
    return quote(path.encode("utf-8", "surrogateescape"), safe="/~:@!$&'()*+,;=%-._")
