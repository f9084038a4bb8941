"""A Git server in a temporary directory: a bare repository whose hooks/pre-receive runs genai-hooks, and a
clone that pushes into it with a real `git push` (inside git's push quarantine, as every git since 2.11)."""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import GIT_ENV, Repo


@dataclass
class Push:
    code: int
    err: str  # what the pusher's terminal shows: the hook's output as `remote:` lines

    @property
    def remote(self) -> list[str]:
        """The hook's lines, without git's `remote: ` prefix and the padding git adds to clear the line."""
        return [line[len("remote: "):].rstrip() for line in self.err.splitlines() if line.startswith("remote: ")]


class Server:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True)
        self.git("init", "-q", "--bare", "-b", "main")
        self.git("config", "receive.advertisePushOptions", "true")

    def git(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, env={**os.environ, **GIT_ENV}, capture_output=True,
                              check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"git {args}: {done.stderr.decode()}")
        return done.stdout.decode("utf-8", "surrogateescape")

    def install(self, *options: str) -> None:
        """hooks/pre-receive: `genai-hooks pre-receive OPTIONS`, run by this interpreter (the installed package)."""
        hook = self.root / "hooks" / "pre-receive"
        command = " ".join(shlex.quote(part) for part in
                           [sys.executable, "-m", "genai_hooks.cli", "pre-receive", *options])
        hook.write_text(f"#!/bin/sh\nexec {command}\n", encoding="utf-8")
        hook.chmod(0o755)

    def uninstall(self) -> None:
        (self.root / "hooks" / "pre-receive").unlink(missing_ok=True)

    def tip(self, ref: str) -> str | None:
        out = self.git("rev-parse", "--verify", "--quiet", ref, check=False).strip()
        return out or None

    def has(self, object_id: str) -> bool:
        return subprocess.run(["git", "cat-file", "-e", object_id], cwd=self.root, capture_output=True,
                              check=False).returncode == 0

    def hook(self, stdin: bytes, *options: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Run `genai-hooks pre-receive` as git would, with `stdin` as the ref updates: (code, stdout, stderr)."""
        done = subprocess.run([sys.executable, "-m", "genai_hooks.cli", "pre-receive", *options], cwd=self.root,
                              input=stdin, capture_output=True, check=False,
                              env={**os.environ, **GIT_ENV, "GIT_DIR": ".", **(env or {})})
        return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def push(clone: Repo, *args: str, env: dict[str, str] | None = None) -> Push:
    """`git push origin ARGS` from the clone, as a pusher runs it."""
    done = subprocess.run(["git", "push", "origin", *args], cwd=clone.root,
                          env={**os.environ, **GIT_ENV, **(env or {})}, capture_output=True, check=False)
    return Push(done.returncode, done.stderr.decode("utf-8", "surrogateescape"))


def lfs_pointer(data: bytes) -> bytes:
    oid = hashlib.sha256(data).hexdigest()
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(data)}\n".encode()


def store_lfs_object(store: Path, data: bytes, *, rest_of_id: bool = False) -> Path:
    """Put `data` in a server's LFS store: OID[0:2]/OID[2:4]/OID, or OID[4:] as GitLab and Gitea name it."""
    oid = hashlib.sha256(data).hexdigest()
    target = store / oid[:2] / oid[2:4] / (oid[4:] if rest_of_id else oid)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
