"""Inspection benchmark (SPEC §17): a full audit that reads embedded provenance, cold, warm and in parallel.

    python benchmarks/inspection.py [--files 100000] [--repeat 1] [--keep DIR] [--no-exiftool]

Makes small real media files with Pillow, OpenEXR and the tests' builders — PNG (clean, AUTOMATIC1111
parameters), JPEG (clean, EXIF Software, XMP DigitalSourceType), TIFF (Software), OpenEXR (software),
MP4 (plain, an iTunes encoder tag) — 12 kinds; 7 clean (with and without metadata), 5 generated, which are
one file in 200 (0.5%, each an undeclared GAI301: a show declares what it generates). Every file is a
distinct blob: each copy of a kind carries its own trailing bytes (a `free` box for MP4), so nothing is
read once for many paths. The files are committed with `git fast-import` and written to a directory for
exiftool. Then prints the wall time (median of --repeat) of:
  no-metadata   `genai-hooks run --rev HEAD --no-metadata` (the path-only audit: the floor to compare with)
  cold jobs=1   `genai-hooks run --rev HEAD --jobs 1` with an empty evidence cache
  cold jobs=2   the same with `--jobs 2`
  warm jobs=2   `--jobs 2` again over the cache the cold run filled
  no-cache      `--jobs 2 --no-cache`
  exiftool      `exiftool -fast -r` reading the same fields (DigitalSourceType, CreatorTool, Software,
                Parameters, Comments, Encoder) of the same files, one process
and the ratios the spec sets targets for: cold jobs=2 / jobs=1 speed-up (>= 1.7), warm / no-metadata
(<= 1.5), exiftool / cold jobs=2 (>= 30). Outputs of cold, warm and no-cache runs are compared byte for byte.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the tests' media builders

from provenance_media import (
    TRAINED,
    box,
    exif_with,
    exr_file,
    itunes_item,
    itunes_meta,
    jpeg_bytes,
    mp4_bytes,
    png_bytes,
    png_info,
    tiff_bytes,
    xmp_packet,
)

ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.com", "NO_COLOR": "1"}
ENV.pop("GITHUB_ACTIONS", None)
GENERATED_EVERY = 200  # 0.5% of the files are generated and undeclared (each a finding)
MANIFEST = b'version = 1\n\n[production]\ntitle = "Bench"\ncontact = "bench@example.com"\n'


def kinds(scratch: Path) -> list[tuple[str, str, bytes, int]]:
    """(name, extension, content, weight): how often each kind occurs among a show's media; weight 0: generated
    and undeclared, one file in GENERATED_EVERY."""
    exr_clean, exr_generated = scratch / "clean.exr", scratch / "generated.exr"
    exr_file(exr_clean, {"software": "Nuke 15.1"}, side=8)
    exr_file(exr_generated, {"software": "ComfyUI 0.3"}, side=8)
    return [
        ("plate", ".exr", exr_clean.read_bytes(), 30),
        ("gen", ".exr", exr_generated.read_bytes(), 0),
        ("still", ".png", png_bytes(png_info(("Software", "ARRI Reference Tool"))), 14),
        ("matte", ".png", png_bytes(), 10),
        ("sd", ".png", png_bytes(png_info(("parameters", "a castle at night\nSteps: 30, Seed: 1"))), 0),
        ("ref", ".jpg", jpeg_bytes(exif=exif_with(software="ARRI Reference Tool")), 10),
        ("board", ".jpg", jpeg_bytes(), 5),
        ("firefly", ".jpg", jpeg_bytes(xmp=xmp_packet(TRAINED, creator_tool="Adobe Firefly")), 0),
        ("scan", ".tif", tiff_bytes({305: "Nuke 15.1"}), 10),
        ("paint", ".tif", tiff_bytes({305: "Midjourney v6"}), 0),
        ("edit", ".mp4", mp4_bytes(), 10),
        ("sora", ".mp4", mp4_bytes(udta=[itunes_meta(itunes_item(b"\xa9too", "Sora"))]), 0),
    ]


def distinct(extension: str, content: bytes, index: int) -> bytes:
    """The kind's content made a blob of its own: trailing bytes every reader passes over."""
    tail = b"genai-hooks benchmark copy %d" % index
    return content + (box(b"free", tail) if extension == ".mp4" else b"\0" + tail)


def build(root: Path, files: int) -> Path:
    """The repository (committed with fast-import) and a copy of its media on disk for exiftool."""
    repository, on_disk = root / "show", root / "files"
    repository.mkdir()
    on_disk.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repository, check=True, env=ENV)
    table = kinds(root)
    cycle = [kind for kind in table for _ in range(kind[3])]
    generated = [kind for kind in table if kind[3] == 0]
    commands: list[bytes] = [b"blob\nmark :1\ndata %d\n%s\n" % (len(MANIFEST), MANIFEST)]
    paths = [b"M 100644 :1 genai.toml\n"]
    for index in range(files):
        if index % GENERATED_EVERY == GENERATED_EVERY // 2:
            name, extension, content, _ = generated[index // GENERATED_EVERY % len(generated)]
        else:
            name, extension, content, _ = cycle[index % len(cycle)]
        path = f"shots/sq{index // 10_000:03d}/sh{index // 100 % 100:03d}/{name}/{name}.{1001 + index % 100}{extension}"
        data = distinct(extension, content, index)
        commands.append(b"blob\nmark :%d\ndata %d\n%s\n" % (index + 2, len(data), data))
        paths.append(b"M 100644 :%d %s\n" % (index + 2, path.encode()))
        target = on_disk / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    commands.append(b"commit refs/heads/main\ncommitter bench <b@example.com> 0 +0000\ndata 6\nbench\n")
    commands.extend(paths)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repository, input=b"".join(commands), check=True, env=ENV)
    subprocess.run(["git", "reset", "-q"], cwd=repository, check=True, env=ENV)  # the index, no working tree
    return repository


def timed(command: list[str], cwd: Path, cache: Path | None, repeat: int) -> tuple[float, bytes]:
    """Median wall time of `command`; a fresh, empty cache before each run when `cache` is None."""
    times, out = [], b""
    for _ in range(repeat):
        environment = dict(ENV)
        fresh = Path(tempfile.mkdtemp(prefix="genai-hooks-cache-")) if cache is None else cache
        environment["GENAI_HOOKS_CACHE"] = str(fresh)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)}: exit {done.returncode}: {done.stderr.decode()[-500:]}")
        out = done.stdout
        if cache is None:
            shutil.rmtree(fresh, ignore_errors=True)
    return statistics.median(times), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build in DIR and keep it (a DIR built before is used again)")
    parser.add_argument("--no-exiftool", action="store_true")
    args = parser.parse_args()
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "src"), quiet=1)
    root = args.keep or Path(tempfile.mkdtemp(prefix="genai-hooks-inspection-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        if (root / "show" / ".git").is_dir():
            repository = root / "show"
            print(f"using the show built before in {root}")
        else:
            repository = build(root, args.files)
            print(f"built {args.files:,} distinct media files (12 kinds) in {time.perf_counter() - start:.1f} s")
        run = [sys.executable, "-m", "genai_hooks.cli", "run", "--rev", "HEAD", "--format", "json"]
        floor, _ = timed(run + ["--no-metadata"], repository, None, args.repeat)
        cold1, out1 = timed(run + ["--jobs", "1"], repository, None, args.repeat)
        cold2, out2 = timed(run + ["--jobs", "2"], repository, None, args.repeat)
        warm_cache = Path(tempfile.mkdtemp(prefix="genai-hooks-cache-"))
        timed(run + ["--jobs", "2"], repository, warm_cache, 1)  # fills it
        warm, out_warm = timed(run + ["--jobs", "2"], repository, warm_cache, args.repeat)
        uncached, out_uncached = timed(run + ["--jobs", "2", "--no-cache"], repository, None, args.repeat)
        shutil.rmtree(warm_cache, ignore_errors=True)
        same = out1 == out2 == out_warm == out_uncached
        print(f"no-metadata audit        {floor:8.2f} s")
        print(f"cold --jobs 1            {cold1:8.2f} s   ({args.files / cold1:,.0f} files/s)")
        print(f"cold --jobs 2            {cold2:8.2f} s   ({args.files / cold2:,.0f} files/s)")
        print(f"warm --jobs 2            {warm:8.2f} s")
        print(f"--no-cache --jobs 2      {uncached:8.2f} s")
        print(f"outputs byte-identical (cold 1, cold 2, warm, no-cache): {same}")
        print(f"speed-up cold jobs 2 vs 1: {cold1 / cold2:.2f}x (target >= 1.7x)")
        print(f"warm / no-metadata:        {warm / floor:.2f}x (target <= 1.5x)")
        if not args.no_exiftool and shutil.which("exiftool"):
            fields = ["-DigitalSourceType", "-CreatorTool", "-Software", "-Parameters", "-Comments", "-Encoder"]
            start = time.perf_counter()
            subprocess.run(["exiftool", "-fast", "-r", "-q", "-q", *fields, str(root / "files")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            exiftool = time.perf_counter() - start
            print(f"exiftool -fast -r        {exiftool:8.2f} s   ({args.files / exiftool:,.0f} files/s)")
            print(f"exiftool / cold jobs 2:    {exiftool / cold2:.1f}x (target >= 30x)")
        elif not args.no_exiftool:
            print("exiftool: not installed (apt-get install libimage-exiftool-perl)")
        return 0 if same else 1
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
