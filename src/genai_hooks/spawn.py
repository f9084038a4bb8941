"""How git is started: every git command of a check comes through here (standard library only).

`git -C DIR` by git's absolute path, with no `cwd` and `close_fds=False`, lets Python start git with
posix_spawn. Otherwise Python 3.9 forks, and a fork costs in proportion to the process's memory: 12 ms
a command in a 250 MB process, against 3 ms this way (Python 3.10+ uses vfork either way). Descriptors
Python opens are not inheritable (PEP 446), so git still gets only its three standard streams.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import UsageError

_found: dict[str | None, str] = {}


def git_argv(cwd: str, args: Sequence[str], env: Mapping[str, str] | None) -> list[str]:
    """The command line for `git ARGS` run in `cwd`."""
    search = (env or os.environ).get("PATH")
    if search not in _found:
        found = shutil.which("git", path=search)
        if found is None:
            raise UsageError("git is not installed, or not on PATH: genai-hooks needs Git 2.38 or newer")
        _found[search] = found
    return [_found[search], "-C", cwd, *args]


def start_git(cwd: str, args: Sequence[str], env: Mapping[str, str] | None, **popen: Any) -> subprocess.Popen[bytes]:
    """`git ARGS` in `cwd`, running; `popen` as for subprocess.Popen (streams, mostly)."""
    return subprocess.Popen(git_argv(cwd, args, env), env=env, close_fds=False, **popen)


def run_git(cwd: str, args: Sequence[str], env: Mapping[str, str] | None,
            stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """`git ARGS` in `cwd`, to its end: exit code, stdout and stderr (never raises on a failing git)."""
    argv = git_argv(cwd, args, env)
    if stdin is None:  # git never waits on the caller's terminal
        return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=env, close_fds=False,
                              check=False)
    return subprocess.run(argv, input=stdin, capture_output=True, env=env, close_fds=False, check=False)
