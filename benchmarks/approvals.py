"""Approvals benchmark: what pins and signatures add to a check (SPEC §14, issue 19's speed bullet).

    python benchmarks/approvals.py [--frames 10000] [--approvals 50] [--repeat 5] [--keep DIR]

Builds a show of FRAMES generated deliverable frames under APPROVALS shots, each shot's entry citing
its own register approval, twice: once with the approvals plain, once with every frame pinned in
genai.lock and every approval signed (ssh-keygen -Y sign, an approvers file in the repository). Then
prints the medians of, for each:
  audit   `genai-hooks run --rev HEAD --no-metadata` (every approval verified: one ssh-keygen each)
  named   `genai-hooks run --no-metadata -- FRAME x FRAMES` against the index (the commit hook)
and the ratio of pinned+signed to plain, and the number of ssh-keygen processes one run started.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.com", "NO_COLOR": "1"}
ENV.pop("GITHUB_ACTIONS", None)
TOOL = """version = 1

[production]
title = "Bench"
contact = "bench@example.com"
{approvers}
[deliverables]
paths = ["deliverables/**"]

[tools.firefly]
vendor = "Adobe"
trains_on_inputs = false
retains_inputs = false
environment = "enterprise"
terms = "ETLA"
disclosed = 2025-01-01
"""


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(["git", *args], cwd=root, env=ENV, input=stdin, capture_output=True, check=True).stdout


def build(root: Path, frames: int, approvals: int, signed: bool, key: Path | None) -> list[str]:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    per_shot = frames // approvals
    paths = [f"deliverables/sh{s:03d}/sky.{1001 + f}.exr" for s in range(approvals) for f in range(per_shot)]
    for path in paths:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path)  # a blob each: pins name distinct content
    body = TOOL.format(approvers='approvers = "approvers/allowed_signers"\n' if signed else "")
    for shot in range(approvals):
        body += (f'\n[[generated]]\npaths = ["deliverables/sh{shot:03d}/**"]\ntool = "firefly"\n'
                 f'approval = "NFX-GAI-{shot:04d}"\n')
    for shot in range(approvals):
        body += (f'\n[[approvals]]\nid = "NFX-GAI-{shot:04d}"\ncovers = ["final-deliverable"]\n'
                 'granted_by = "Legal"\ndate = 2025-01-01\n')
    (root / "genai.toml").write_text(body)
    if signed:
        assert key is not None
        (root / "approvers").mkdir()
        public = (key.parent / (key.name + ".pub")).read_text().strip()
        (root / "approvers" / "allowed_signers").write_text(f"legal@example.com {public}\n")
    git(root, "add", "-A")
    if signed:
        cli = [sys.executable, "-m", "genai_hooks.cli", "approve"]
        for shot in range(approvals):
            subprocess.run([*cli, f"NFX-GAI-{shot:04d}", f"deliverables/sh{shot:03d}", "--sign-with", str(key),
                            "--principal", "legal@example.com"], cwd=root, env=ENV, check=True,
                           capture_output=True)
        git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "show")
    return paths


def timed(command: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:6])}...: exit {done.returncode}\n{done.stdout.decode()[-2000:]}"
                         f"{done.stderr.decode()[-2000:]}")
    return elapsed


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=10_000)
    parser.add_argument("--approvals", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", help="build the repositories here (kept afterwards)")
    args = parser.parse_args(argv or None)
    where = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="genai-hooks-approvals-"))
    try:
        key = where / "legal"
        where.mkdir(parents=True, exist_ok=True)
        if not key.exists():
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        shows = {}
        for name, signed in (("plain", False), ("pinned+signed", True)):
            root = where / name
            if not root.exists():
                build(root, args.frames, args.approvals, signed, key)
            shows[name] = root
        paths = [p for p in git(shows["plain"], "ls-files", "-z", "deliverables").decode().split("\0") if p]
        calls = where / "ssh-keygen-calls"
        wrapper = where / "bin"
        wrapper.mkdir(exist_ok=True)
        (wrapper / "ssh-keygen").write_text(f'#!/bin/sh\necho x >> "{calls}"\nexec {shutil.which("ssh-keygen")} "$@"\n')
        (wrapper / "ssh-keygen").chmod(0o755)
        env = {**ENV, "PATH": f"{wrapper}{os.pathsep}{ENV['PATH']}"}
        cli = [sys.executable, "-m", "genai_hooks.cli", "run", "--no-metadata"]
        results: dict[tuple[str, str], float] = {}
        for case, command in (("audit", [*cli, "--rev", "HEAD"]), ("named", [*cli, "--", *paths])):
            for name, root in shows.items():
                results[(case, name)] = statistics.median(timed(command, root, env) for _ in range(args.repeat))
        calls.unlink(missing_ok=True)
        timed([*cli, "--rev", "HEAD"], shows["pinned+signed"], env)
        verifications = calls.read_text().count("x") if calls.exists() else 0
        print(f"{args.frames} deliverable frames, {args.approvals} approvals; medians of {args.repeat} runs")
        print(f"{'case':<8}{'plain':>10}{'pinned+signed':>16}{'ratio':>8}")
        for case in ("audit", "named"):
            plain, bound = results[(case, "plain")], results[(case, "pinned+signed")]
            print(f"{case:<8}{plain:>9.2f}s{bound:>15.2f}s{bound / plain:>7.2f}x")
        print(f"ssh-keygen processes in one audit: {verifications} (one per signed approval)")
    finally:
        if not args.keep:
            shutil.rmtree(where, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
