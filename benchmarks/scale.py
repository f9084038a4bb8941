"""Scale benchmark: a synthetic show of N files and M [[generated]] entries.

    python benchmarks/scale.py --files 1000000 --entries 1000 [--repeat 3] [--keep DIR]

Builds the repository with `git update-index --index-info` (one shared blob, so it takes
seconds; with --lfs every file is its own Git LFS pointer, written by `git fast-import`, as in a
show whose media is all in LFS), commits it, then prints medians of:
  floor        `git ls-tree -r -z --name-only HEAD` read into Python
  audit        `genai-hooks run --rev HEAD --no-metadata` (every policy rule, GAI401 included)
  audit+meta   `genai-hooks run --rev HEAD` (embedded-provenance sniffing of every media file)
  paths        `genai-hooks run PATH x 10,000` against the index: the undeclared frames of 50 shots,
               as an artist's commit holds them (every frame is sniffed; they share one blob)
  scattered    the same with 10,000 paths spread over the whole repository (one per directory)
  pre-commit   the same 10,000 frames cut into the command lines pre-commit makes (at most 128 KiB
               each, run one after the other: the hook is require_serial)
  staged       `genai-hooks run --diff HEAD` (the genai-hooks-staged hook) with those 10,000 frames
               staged as modified, in a copy of the index (GIT_INDEX_FILE)
and the peak RSS of each genai-hooks process, plus the machine's speed and two floors:
  ls-files     GitPython's `repo.git.ls_files("-z")` of the whole index: the brief's reference
               machine takes about 0.35 s for a million files (this VM's speed varies up to 2x)
  comps audit  with --comps N: a full audit of a copy of the show holding N Nuke scripts (one in ten reads a
               declared generated element; each writes its shot's deliverable frames), every script read
  comps paths  the same copy, 10,000 deliverable frames named: a deliverable path could be affected, so
               every script is read and followed
  ... warm     each comps row again over the evidence cache its cold run filled (scripts kept by blob id)
  python+args  `python -c pass` with the 10,000 paths as arguments
  git lookup   `git cat-file --batch-check=%(objectname)` of the 10,000 `:path` names
The package's bytecode is compiled first, as `pip install` does (PYTHONDONTWRITEBYTECODE may be set).
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
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
DEPARTMENTS = ("plates", "comp", "roto", "previs", "lighting")


def synthetic_paths(files: int) -> list[str]:
    """Shots of 5 departments x frames; about 1 in 50 files under deliverables/."""
    paths: list[str] = []
    shot = 0
    while len(paths) < files:
        seq, sh = divmod(shot, 50)
        for dept in DEPARTMENTS:
            for frame in range(1001, 1041):
                paths.append(f"shots/sq{seq:03d}/sh{sh:03d}0/{dept}/sh{sh:03d}0_{dept}_v001.{frame}.exr")
        for frame in range(1001, 1005):
            paths.append(f"deliverables/sq{seq:03d}/sh{sh:03d}0/sh{sh:03d}0_final_v001.{frame}.exr")
        shot += 1
    return paths[:files]


def manifest(entries: int) -> str:
    lines = ['version = 1', '[deliverables]', 'paths = ["deliverables/**"]',
             '[tools.firefly]', 'vendor = "Adobe"', 'trains_on_inputs = false', 'retains_inputs = false',
             'environment = "enterprise"', 'terms = "ETLA"', 'disclosed = 2025-09-02']
    for n in range(entries):
        seq, sh = divmod(n, 50)
        dept = DEPARTMENTS[n % len(DEPARTMENTS)]
        if n % 10 == 0:
            pattern = f"deliverables/sq{seq:03d}/sh{sh:03d}0/*.####.exr"
        else:
            pattern = f"shots/sq{seq:03d}/sh{sh:03d}0/{dept}/**"
        lines += ["[[generated]]", f'paths = ["{pattern}"]', 'tool = "firefly"']
    return "\n".join(lines) + "\n"


def lfs_pointers(root: Path, count: int) -> list[str]:
    """`count` distinct Git LFS pointers as git-lfs writes them (for 100 KB objects), written with `git fast-import`;
    their blob ids."""
    stream = bytearray()
    for n in range(count):
        oid = hashlib.sha256(b"frame %d" % n).hexdigest()
        pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {100_000 + n}\n".encode()
        stream += b"blob\nmark :%d\ndata %d\n%s\n" % (n + 1, len(pointer), pointer)
    marks = root / ".git" / "lfs-marks"
    subprocess.run(["git", "fast-import", "--quiet", f"--export-marks={marks}"], cwd=root, input=bytes(stream),
                   check=True, env=ENV)
    ids = dict(line.split() for line in marks.read_text().splitlines())
    marks.unlink()
    return [ids[f":{n + 1}"] for n in range(count)]


def build(root: Path, files: int, entries: int, lfs: bool = False) -> list[str]:
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=ENV)
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=root, input=b"pixels\n",
                          capture_output=True, check=True, env=ENV).stdout.decode().strip()
    (root / "genai.toml").write_text(manifest(entries))
    paths = synthetic_paths(files)
    blobs = lfs_pointers(root, len(paths)) if lfs else [blob] * len(paths)
    info = "".join(f"100644 {b}\t{p}\n" for b, p in zip(blobs, paths)).encode()
    subprocess.run(["git", "update-index", "--add", "--index-info"], cwd=root, input=info, check=True, env=ENV)
    subprocess.run(["git", "add", "genai.toml"], cwd=root, check=True, env=ENV)
    subprocess.run(["git", "commit", "-q", "-m", "synthetic show"], cwd=root, check=True, env=ENV)
    return paths


NUKE_SCRIPT = """#! /opt/Nuke15.0v4/libnuke-15.0.4.so -nx
version 15.0 v4
Root {{
 inputs 0
 name /mnt/projects/show/shots/{shot}/comp/{name}.nk
 frame 1001
 first_frame 1001
 last_frame 1040
}}
Read {{
 inputs 0
 file_type exr
 file /mnt/projects/show/shots/{shot}/plates/{plate}_plates_v001.####.exr
 first 1001
 last 1040
 name Read1
}}
Read {{
 inputs 0
 file_type exr
 file /mnt/projects/show/shots/{shot}/{element}/{plate}_{element}_v001.####.exr
 name Read2
}}
Merge2 {{
 inputs 2
 name Merge1
}}
Write {{
 file /mnt/projects/show/deliverables/{shot}/{plate}_final_v001.####.exr
 file_type exr
 name Write1
}}
"""


def add_comp_scripts(source: Path, root: Path, scripts: int) -> list[str]:
    """A copy of the synthetic show with `scripts` Nuke scripts, one per shot; returns their shots' deliverables."""
    if not (root / ".git").exists():
        shutil.copytree(source / ".git", root / ".git")
        (root / "genai.toml").write_text((source / "genai.toml").read_text() +
                                         '[editorial]\npath_map = { "/mnt/projects/show/" = "" }\n')
        added = ["genai.toml"]
        for n in range(scripts):
            seq, sh = divmod(n, 50)
            shot, plate = f"sq{seq:03d}/sh{sh:03d}0", f"sh{sh:03d}0"
            # in one shot in ten the comp reads its department's element, which the manifest declares generated
            element = DEPARTMENTS[n % len(DEPARTMENTS)] if n % 10 == 3 else "plates"
            path = root / "shots" / shot / "comp" / f"{plate}_comp_v001.nk"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(NUKE_SCRIPT.format(shot=shot, name=path.stem, plate=plate, element=element))
            added.append(str(path.relative_to(root)))
        # the copied index holds the show; the work tree only the new files: add them by name
        subprocess.run(["git", "update-index", "--add", "--stdin"], cwd=root, input="\n".join(added).encode(),
                       check=True, env=ENV)
        subprocess.run(["git", "commit", "-q", "-m", "comp scripts"], cwd=root, check=True, env=ENV)
    return [line for line in subprocess.run(["git", "ls-files", "deliverables"], cwd=root, capture_output=True,
                                            text=True, check=True).stdout.splitlines()]


def floor(cwd: Path) -> float:
    start = time.perf_counter()
    out = subprocess.run(["git", "ls-tree", "-r", "-z", "--name-only", "HEAD"], cwd=cwd, capture_output=True,
                         check=True).stdout
    names = out.decode("utf-8", "surrogateescape").split("\0")
    assert names
    return time.perf_counter() - start


def ls_files(root: Path) -> float:
    import git

    repository = git.Repo(root)
    start = time.perf_counter()
    repository.git.ls_files("-z")
    return time.perf_counter() - start


def timed(command: Sequence[str], cwd: Path, stdin: bytes | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, input=stdin, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def pre_commit_batches(command: Sequence[str], paths: Sequence[str]) -> list[list[str]]:
    """The command lines pre-commit's xargs would run (pre-commit is a dependency of the test extra)."""
    from pre_commit.xargs import partition  # type: ignore[import-untyped]

    return [list(batch) for batch in partition(tuple(command), tuple(paths), 1)]


def staged_index(root: Path, frames: Sequence[str]) -> str:
    """A copy of the index with `frames` staged as modified: the repository's own index is left alone."""
    index = str(root / ".git" / "bench-staged-index")
    shutil.copyfile(root / ".git" / "index", index)
    env = {**ENV, "GIT_INDEX_FILE": index}
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=root, input=b"new pixels\n",
                          capture_output=True, check=True, env=env).stdout.decode().strip()
    info = "".join(f"100644 {blob}\t{p}\n" for p in frames).encode()
    subprocess.run(["git", "update-index", "--index-info"], cwd=root, input=info, check=True, env=env)
    return index


def measure_rss(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run via a fresh python so RUSAGE_CHILDREN is this command's alone."""
    probe = ("import resource,subprocess,sys,time;t=time.perf_counter();"
             "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);"
             "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024, r.returncode)")
    out = subprocess.run([sys.executable, "-c", probe, *command], cwd=cwd, env=env or ENV, capture_output=True,
                         text=True, check=True).stdout.split()
    if out[2] not in ("0", "1"):
        raise SystemExit(f"{' '.join(command[:4])} exited {out[2]}")
    return float(out[0]), float(out[1])


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="build (or reuse) the repository here")
    parser.add_argument("--skip-metadata", action="store_true", help="skip the audit with provenance sniffing")
    parser.add_argument("--lfs", action="store_true", help="every file a distinct Git LFS pointer, not one shared blob")
    parser.add_argument("--comps", type=int, default=0, help="also time a copy holding this many Nuke scripts")
    args = parser.parse_args(list(argv) or None)
    exe = [sys.executable, "-m", "genai_hooks.cli"]
    import genai_hooks

    compileall.compile_dir(os.path.dirname(genai_hooks.__file__), quiet=1)

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="genai-bench-"))
    root = workdir / f"show-{args.files}-{args.entries}{'-lfs' if args.lfs else ''}"
    start = time.perf_counter()
    if (root / ".git").exists():
        paths = synthetic_paths(args.files)
    else:
        paths = build(root, args.files, args.entries, args.lfs)
    print(f"repository: {args.files:,} files, {args.entries:,} entries at {root} "
          f"(built in {time.perf_counter() - start:.1f} s)")

    results: dict[str, list[tuple[float, float]]] = {
        "ls-files": [], "floor": [], "audit": [], "audit+meta": [], "paths": [], "scattered": [], "pre-commit": [],
        "staged": [], "comps audit": [], "comps audit warm": [], "comps paths": [], "comps paths warm": [],
        "python+args": [], "git lookup": []}
    cache = workdir / "evidence-cache"  # never the user's: each row says whether it starts empty
    ENV["GENAI_HOOKS_CACHE"] = str(cache)
    comps_root = workdir / f"show-{args.files}-{args.entries}-comps{args.comps}"
    delivered = add_comp_scripts(root, comps_root, args.comps)[:10_000] if args.comps else []
    middle = max(0, len(paths) // 2 - 5_000)
    frames = paths[middle:middle + 10_000]
    scattered = paths[:: max(1, len(paths) // 10_000)][:10_000]
    staged_env = {**ENV, "GIT_INDEX_FILE": staged_index(root, frames)}
    for _ in range(args.repeat):
        results["ls-files"].append((ls_files(root), 0.0))
        results["floor"].append((floor(root), 0.0))
        results["audit"].append(measure_rss([*exe, "run", "--rev", "HEAD", "--no-metadata", "--format", "json"],
                                            root))
        if not args.skip_metadata:
            results["audit+meta"].append(measure_rss([*exe, "run", "--rev", "HEAD", "--format", "json"], root))
        results["paths"].append(measure_rss([*exe, "run", "--format", "json", "--", *frames], root))
        results["scattered"].append(measure_rss([*exe, "run", "--format", "json", "--", *scattered], root))
        batches = pre_commit_batches([*exe, "run", "--format", "json"], frames)
        runs = [measure_rss(batch, root) for batch in batches]
        results["pre-commit"].append((sum(t for t, _ in runs), max(m for _, m in runs)))
        results["staged"].append(measure_rss([*exe, "run", "--diff", "HEAD", "--format", "json"], root, staged_env))
        if args.comps:  # cold: an empty evidence cache each run; warm: the scripts read by the run before
            comps_audit = [*exe, "run", "--rev", "HEAD", "--no-metadata", "--format", "json"]
            comps_paths = [*exe, "run", "--format", "json", "--", *delivered]
            for row, command in (("comps audit", comps_audit), ("comps paths", comps_paths)):
                shutil.rmtree(cache, ignore_errors=True)
                results[row].append(measure_rss(command, comps_root))
                results[row + " warm"].append(measure_rss(command, comps_root))
        results["python+args"].append((timed([sys.executable, "-c", "pass", *frames], root), 0.0))
        names = "".join(f":{p}\n" for p in frames).encode()
        results["git lookup"].append((timed(["git", "cat-file", "--batch-check=%(objectname)", "--buffer"], root,
                                            names), 0.0))
    base = statistics.median(t for t, _ in results["floor"])
    reference = statistics.median(t for t, _ in results["ls-files"])
    for name, runs in results.items():
        if not runs:
            continue
        seconds = statistics.median(t for t, _ in runs)
        rss = max(m for _, m in runs)
        extra = (f"  peak RSS {rss:6.0f} MB  ({seconds / base:4.1f}x floor, {seconds / reference:4.1f}x ls-files)"
                 if rss else "")
        if name == "pre-commit":
            extra += f"  in {len(batches)} command lines"
        print(f"{name:<16} median {seconds:7.3f} s{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
