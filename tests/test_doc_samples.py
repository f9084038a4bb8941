"""What README.md and docs/ show a command printing is what it prints: every output sample is regenerated here.

A sample is the fenced block after a `<!-- sample: NAME -->` line; NAME is one of SAMPLES below, each of which
builds its scene in real repositories (real commits, a real push into a real server hook) and returns the
output. Dates and identities are fixed, so commit and blob ids come out the same on every machine.

After changing what a command prints: `GENAI_HOOKS_WRITE_SAMPLES=1 python -m pytest tests/test_doc_samples.py`
rewrites the samples; review the diff like any other change.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GIT_ENV, ROOT_MANIFEST, Repo, generated, register
from server_repos import Server

PROJECT = Path(__file__).resolve().parent.parent
DOCUMENTS = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
MARKER = re.compile(r"^<!-- sample: ([a-z0-9-]+) -->\n```[a-z]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)
FIXED = {**GIT_ENV, "GIT_AUTHOR_DATE": "2026-11-25T10:00:00+00:00", "GIT_COMMITTER_DATE": "2026-11-25T10:00:00+00:00",
         "NO_COLOR": "1"}
SAMPLE_SHOW = PROJECT / "sample-repo"


def _shell(command: str, cwd: Path) -> str:
    """`command` as a user types it, its output as their terminal shows it (stderr and stdout, in order)."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PRE_COMMIT_TO_REF")}
    done = subprocess.run(["sh", "-c", command + " 2>&1"], cwd=cwd, env={**env, **FIXED}, capture_output=True,
                          check=False)
    return "".join(line.rstrip() + "\n" for line in done.stdout.decode("utf-8").splitlines())


def blocked_commit(tmp_path: Path) -> str:
    """README: the sample show's 24 roto frames, named as the pre-commit hook names them."""
    root = tmp_path / "show"
    shutil.copytree(SAMPLE_SHOW, root, ignore=shutil.ignore_patterns("__pycache__"))
    _shell("git init -q && git add .", root)
    frames = sorted(str(p.relative_to(root)) for p in (root / "deliverables" / "sh040" / "matte").glob("*.exr"))
    return _shell(" ".join([sys.executable, "-m", "genai_hooks.cli", "run", "--as-of", "2026-11-25", "--", *frames]),
                  root)


SERVER_SHOW = ROOT_MANIFEST + generated(["deliverables/sh020/**"])


def _frames_to_push(tmp_path: Path, *hook_options: str) -> Path:
    """A server whose pre-receive hook is genai-hooks (with `hook_options`), and a clone holding three generated
    frames in a deliverable path, staged and not committed."""
    server = Server(tmp_path / "server.git")
    server.install(*hook_options)
    work = tmp_path / "work"
    _shell("git clone -q server.git work 2>/dev/null; git -C work remote set-url origin ../server.git", tmp_path)
    clone = Repo(work)
    clone.write("genai.toml", SERVER_SHOW)
    _shell("git add genai.toml && git commit -q -m 'the production' && git push -q origin main", work)
    for frame in ("1001", "1002", "1003"):
        clone.write(f"deliverables/sh020/sh020_v001.{frame}.exr", f"generated sky {frame}".encode())
    _shell("git add deliverables", work)
    return work


def push_rejected(tmp_path: Path) -> str:
    """docs/server.md: frames committed with --no-verify, pushed to a server whose pre-receive hook is genai-hooks."""
    work = _frames_to_push(tmp_path)
    command = 'git commit -q --no-verify -m "sh020 frames" && git push origin main'
    return f"$ {command}\n" + _shell(command, work)


def breakglass_record(tmp_path: Path) -> str:
    """docs/server.md: the line break glass appends to the log. The time of the push is the one value not fixed:
    it is shown as the commits' date."""
    log = tmp_path / "breakglass.jsonl"
    work = _frames_to_push(tmp_path, "--allow-breakglass", "--breakglass-log", str(log))
    _shell("git commit -q --no-verify -m 'sh020 frames' && USER=jane git push -q -o "
           "genai-hooks.breakglass='premiere tonight; approval NFX-112 signed on paper by J. Doe' origin main", work)
    record = json.loads(log.read_text(encoding="utf-8"))
    record["time"] = FIXED["GIT_COMMITTER_DATE"]
    return json.dumps(record, ensure_ascii=False) + "\n"


APPROVED_FRAME = "deliverables/sh020/sky/sh020_sky_v003.1001.exr"


def _approved_show(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "approved")
    repo.root.mkdir()
    repo.git("init", "-q", "-b", "main")
    repo.write("genai.toml", ROOT_MANIFEST + generated(["deliverables/sh020/sky/sh020_sky_v003.####.exr"],
                                                      sensitive=["third-party-ip"], approval="NFX-GAI-0042")
               + register("NFX-GAI-0042", ["final-deliverable", "third-party-ip"], expires="2026-09-10"))
    repo.write(APPROVED_FRAME, b"approved sky, frame 1001")
    repo.add()
    _shell(f"{sys.executable} -m genai_hooks.cli approve NFX-GAI-0042 {APPROVED_FRAME} >/dev/null", repo.root)
    return repo


def approval_lock(tmp_path: Path) -> str:
    """docs/approvals.md: the genai.lock `approve` writes."""
    return (_approved_show(tmp_path).root / "genai.lock").read_text(encoding="utf-8")


def approval_payload(tmp_path: Path) -> str:
    """docs/approvals.md: what an approver signs, for the approval pinned above."""
    return _shell(f"{sys.executable} -m genai_hooks.cli approve NFX-GAI-0042 --payload", _approved_show(tmp_path).root)


def _first_items(value: object) -> object:
    """The report with every list cut to its first item, as docs/report.md shows it."""
    if isinstance(value, dict):
        return {key: _first_items(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_first_items(item) for item in value[:1]]
    return value


def _compact(value: object, indent: int = 0, width: int = 110) -> str:
    """JSON with an object or list on one line when it fits in `width`, else one member a line."""
    flat = json.dumps(value, ensure_ascii=False)
    if indent + len(flat) <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        members = [f"{inner}{json.dumps(k)}: {_compact(v, indent + 2, width)}" for k, v in value.items()]
        return "{\n" + ",\n".join(members) + "\n" + " " * indent + "}"
    return "[\n" + ",\n".join(inner + _compact(v, indent + 2, width) for v in value) + "\n" + " " * indent + "]"


def report_json(tmp_path: Path) -> str:
    """docs/report.md: the JSON report of the sample show as committed in this project (under sample-repo/)."""
    root = tmp_path / "project"
    shutil.copytree(SAMPLE_SHOW, root / "sample-repo", ignore=shutil.ignore_patterns("__pycache__"))
    _shell("git init -q && git add . && git commit -q -m 'the sample show'", root)
    real = json.loads(_shell(f"{sys.executable} -m genai_hooks.cli report --format json --as-of 2025-10-01", root))
    return _compact(_first_items(real)) + "\n"


SAMPLES: dict[str, Callable[[Path], str]] = {
    "report-json": report_json,
    "blocked-commit": blocked_commit,
    "push-rejected": push_rejected,
    "breakglass-record": breakglass_record,
    "approval-lock": approval_lock,
    "approval-payload": approval_payload,
}


def _shown() -> list[tuple[Path, str, str]]:
    return [(document, found.group(1), found.group(2)) for document in DOCUMENTS
            for found in MARKER.finditer(document.read_text(encoding="utf-8"))]


def test_every_sample_is_shown_once_and_every_marker_names_a_sample() -> None:
    names = [name for _, name, _ in _shown()]
    assert sorted(names) == sorted(SAMPLES)
    for document in DOCUMENTS:  # a marker the pattern missed (not right before a fence) would check nothing
        text = document.read_text(encoding="utf-8")
        assert text.count("<!-- sample:") == len(MARKER.findall(text)), document


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_sample_is_what_the_command_prints(name: str, tmp_path: Path) -> None:
    [(document, _, shown)] = [s for s in _shown() if s[1] == name]
    printed = SAMPLES[name](tmp_path)
    if os.environ.get("GENAI_HOOKS_WRITE_SAMPLES") == "1":
        text = document.read_text(encoding="utf-8")
        start = text.index(f"<!-- sample: {name} -->\n")
        body = text.index("\n", text.index("```", start)) + 1
        document.write_text(text[:body] + printed + text[body + len(shown):], encoding="utf-8")
        return
    assert printed == shown, f"{document.name}: sample {name!r} is stale; see this module's docstring"

