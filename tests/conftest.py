"""Real git repositories in temporary directories, and a way to run the CLI inside them."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from genai_hooks.cli import main

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Artist", "GIT_AUTHOR_EMAIL": "artist@example.com",
    "GIT_COMMITTER_NAME": "Test Artist", "GIT_COMMITTER_EMAIL": "artist@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": "",
}


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.out)  # type: ignore[no-any-return]

    def rules(self) -> list[str]:
        return sorted(f["rule"] for f in self.json["findings"])


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, env={**os.environ, **GIT_ENV}, check=False,
                              capture_output=True)
        if check and done.returncode != 0:
            raise AssertionError(f"git {args}: {done.stderr.decode()}")
        return done.stdout.decode("utf-8", "surrogateescape")

    def write(self, path: str, content: str | bytes = "x") -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(textwrap.dedent(content), encoding="utf-8")
        else:
            target.write_bytes(content)
        return target

    def add(self, *paths: str) -> None:
        self.git("add", "--", *(paths or (".",)))

    def commit(self, message: str = "work") -> str:
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def run(self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Outcome:
        out, err = io.StringIO(), io.StringIO()
        old_cwd = os.getcwd()
        saved = {k: os.environ.get(k) for k in (env or {})}
        os.chdir(cwd or self.root)
        try:
            os.environ.update(env or {})
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    code = main(list(args))
                except SystemExit as done:  # --help, --version
                    code = int(done.code or 0)
        finally:
            os.chdir(old_cwd)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        return Outcome(code, out.getvalue(), err.getvalue())

    def check(self, *args: str, **kwargs: Any) -> Outcome:
        """`genai-hooks run --format json ARGS`."""
        return self.run("run", "--format", "json", *args, **kwargs)


@pytest.fixture(autouse=True)
def evidence_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own evidence cache: the suite never writes into the user's ~/.cache, nor shares entries."""
    cache = tmp_path_factory.mktemp("evidence-cache")
    monkeypatch.setenv("GENAI_HOOKS_CACHE", str(cache))
    return cache


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    for key in ("GITHUB_ACTIONS", "PRE_COMMIT_TO_REF", "PRE_COMMIT_FROM_REF", "GITHUB_STEP_SUMMARY", "NO_COLOR"):
        monkeypatch.delenv(key, raising=False)
    root = tmp_path / "show"
    root.mkdir()
    r = Repo(root)
    r.git("init", "-q", "-b", "main")
    yield r


ROOT_MANIFEST = """\
version = 1

[production]
title = "Nightfall S1"
contact = "jane.doe@example.com"

[deliverables]
paths = ["deliverables/**"]

[tools.firefly]
vendor = "Adobe"
product = "Firefly Image 3 (enterprise tenant)"
trains_on_inputs = false
retains_inputs = false
environment = "enterprise"
terms = "Adobe ETLA 2025 s.4"
disclosed = 2025-09-02
"""


def toml_value(value: Any) -> str:
    """A TOML value for a test manifest: dicts as inline tables, the rest as JSON writes them."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def generated(paths: list[str], tool: str = "firefly", **extra: Any) -> str:
    body = f"\n[[generated]]\npaths = {json.dumps(paths)}\ntool = \"{tool}\"\n"
    for key, value in extra.items():
        body += f"{key} = {toml_value(value)}\n"
    return body


# A consent record that says everything SPEC §16 asks of it (no GAI215)
FULL_CONSENT = {"reference": "TR-2025-118", "scope": "Nightfall S1, all episodes, 5 years", "represented_by": "union",
                "estate": "Estate of J. Doe"}


def register(approval_id: str, covers: list[str] | None = None, **extra: Any) -> str:
    """An [[approvals]] entry of the root's register (every key but `expires` is required)."""
    body = (f'\n[[approvals]]\nid = "{approval_id}"\ncovers = {json.dumps(covers or ["final-deliverable"])}\n'
            'granted_by = "Netflix Production Legal"\ndate = 2025-09-10\n')
    for key, value in extra.items():
        body += f"{key} = {value if key == 'expires' else toml_value(value)}\n"
    return body


def external_approvals(manifest: str, pattern: str = "NFX-GAI-[0-9]{4,}") -> str:
    """`manifest` (a root starting with ROOT_MANIFEST) keeping its approvals outside the repository."""
    return (manifest.replace('contact = "jane.doe@example.com"',
                             f'contact = "jane.doe@example.com"\napproval_pattern = "{pattern}"', 1)
            + '\n[policy]\napprovals = "external"\n')


# The register the older tests assumed, when any well-formed id covered everything: each id they cite, covering
# every category (with the consent that talent likeness needs).
ANY_REGISTER = "".join(register(i, ["final-deliverable", "talent-likeness", "personal-data", "third-party-ip",
                                    "union-work", "key-creative", "public-figure", "deceased-person", "archival"],
                                consent=FULL_CONSENT)
                       for i in ("NFX-1", "NFX-2", "NFX-GAI-0042"))


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Long bytes as their length: a file some libraries write in no fixed order (safetensors' header under older
    Pythons) would make a different test id in each test process, and pytest-xdist needs them the same."""
    if isinstance(val, (bytes, bytearray)) and len(val) > 40:
        return f"{argname}-{len(val)}B"
    return None


_exit_status: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Under Python 3.9 a whole suite run in one process (`-n 0`) ends, after its summary, in a crash in
    OpenTimelineIO's C++ exit handlers, which free Python objects after the interpreter is gone (OTIO issue #1474;
    core dump: `func_dealloc` called from `_otio`'s static destructors). Leave with the suite's own status
    before they run. Test processes of pytest-xdist are left alone: they report before they exit."""
    if sys.version_info < (3, 10) and _exit_status and not hasattr(config, "workerinput"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[-1])
