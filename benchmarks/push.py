"""Server benchmark: a push of 10,000 new frames into a repository of N files (SPEC §15).

    python benchmarks/push.py --files 1000000 [--repeat 3] [--keep DIR]

Builds the show with scale.py's generator (one shared blob), clones it bare as the server, and
writes a commit of 10,000 new frames (distinct blobs, in 100 new shots: every one is new to the
server and is sniffed) with `git fast-import`. Then prints medians of:
  floor        `git ls-tree -r -z --name-only NEW` in the server, read into Python: the reference
  hook         `genai-hooks pre-receive` run as git runs it, in the server, on `OLD NEW refs/heads/main`
               (the objects already there: the judgement alone)
  push         a real `git push` of the commit into the server whose hooks/pre-receive runs the hook
               (pack transfer, indexing, the quarantine and the hook; the ref is reset after each)
and the ratio hook / floor. The package's bytecode is compiled first, as `pip install` does.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale import ENV, build

FRAMES = 10_000


def frames_commit(root: Path, parent: str) -> str:
    """A commit on `parent` adding 10,000 frames with distinct content, made in one fast-import."""
    header = (f"commit refs/heads/push\ncommitter bench <b@example.com> 1765000000 +0000\ndata 14\n10,000 frames\n"
              f"from {parent}\n")
    stream = [header]
    for shot in range(FRAMES // 100):
        for frame in range(1001, 1101):
            content = f"v/1 frame {shot}.{frame}\n"
            stream.append(f"M 100644 inline shots/sq900/sh{shot:03d}0/comp/sh{shot:03d}0_comp_v001.{frame}.exr\n"
                          f"data {len(content)}\n{content}")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input="".join(stream).encode(), check=True, env=ENV)
    return subprocess.run(["git", "rev-parse", "refs/heads/push"], cwd=root, capture_output=True, text=True,
                          check=True, env=ENV).stdout.strip()


def hook_command() -> list[str]:
    return [sys.executable, "-m", "genai_hooks.cli", "pre-receive"]


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="build (or reuse) the repositories here")
    args = parser.parse_args(list(argv) or None)
    import genai_hooks

    compileall.compile_dir(os.path.dirname(genai_hooks.__file__), quiet=1)  # as pip install does

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="genai-push-bench-"))
    root = workdir / f"show-{args.files}-{args.entries}"
    server = workdir / f"server-{args.files}-{args.entries}.git"
    start = time.perf_counter()
    if not (root / ".git").exists():
        build(root, args.files, args.entries)
    old = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True,
                         env=ENV).stdout.strip()
    if not server.exists():
        subprocess.run(["git", "clone", "-q", "--bare", str(root), str(server)], check=True, env=ENV)
    new = frames_commit(root, old)
    print(f"repository: {args.files:,} files at {root}, server {server}, a commit of {FRAMES:,} new frames "
          f"(ready in {time.perf_counter() - start:.1f} s)")

    # the objects, for timing the hook alone: in the server, but under no ref (each push sends them again)
    hook = server / "hooks" / "pre-receive"
    hook.unlink(missing_ok=True)
    subprocess.run(["git", "push", "-q", str(server), f"{new}:refs/bench/objects"], cwd=root, check=True, env=ENV)
    subprocess.run(["git", "update-ref", "-d", "refs/bench/objects"], cwd=server, check=True, env=ENV)
    hook.write_text("#!/bin/sh\nexec " + " ".join(f"'{part}'" for part in hook_command()) + "\n")
    hook.chmod(0o755)

    results: dict[str, list[float]] = {"floor": [], "hook": [], "push": []}
    verdicts = set()
    for _ in range(args.repeat):
        results["floor"].append(floor_of(server, new))
        started = time.perf_counter()
        done = subprocess.run(hook_command(), cwd=server, input=f"{old} {new} refs/heads/main\n".encode(),
                              capture_output=True, env={**ENV, "GIT_DIR": "."}, check=False)
        results["hook"].append(time.perf_counter() - started)
        verdicts.add((done.returncode, done.stdout.decode("utf-8", "replace").strip().splitlines()[-1]))
        subprocess.run(["git", "update-ref", "refs/heads/main", old], cwd=server, check=True, env=ENV)
        started = time.perf_counter()
        pushed = subprocess.run(["git", "push", "-q", str(server), f"{new}:refs/heads/main"], cwd=root,
                                capture_output=True, env=ENV, check=False)
        results["push"].append(time.perf_counter() - started)
        if pushed.returncode != 0:
            print(pushed.stderr.decode("utf-8", "replace")[-2000:], file=sys.stderr)
        subprocess.run(["git", "update-ref", "refs/heads/main", old], cwd=server, check=True, env=ENV)
    for code, line in sorted(verdicts):
        print(f"hook verdict: exit {code}: {line}")
    medians = {name: statistics.median(runs) for name, runs in results.items()}
    for name, seconds in medians.items():
        print(f"{name:<6} median {seconds:7.3f} s")
    print(f"ratio  hook / floor = {medians['hook'] / medians['floor']:.2f}x; "
          f"push / floor = {medians['push'] / medians['floor']:.2f}x")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def floor_of(server: Path, commit: str) -> float:
    """scale.floor's measure (`git ls-tree -r` of the tip, read into Python), of `commit` in the server."""
    start = time.perf_counter()
    out = subprocess.run(["git", "ls-tree", "-r", "-z", "--name-only", commit], cwd=server, capture_output=True,
                         check=True).stdout
    assert out.decode("utf-8", "surrogateescape").split("\0")
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
