"""Embedded-provenance sniffing speed, and what a huge file costs.

    python benchmarks/sniff.py [--files 300] [--repeat 5]

Makes small PNG (AUTOMATIC1111 parameters), JPEG (XMP) and EXR (software attribute) files on
the fly and prints files per second for `provenance.inspect` over each (median of repeats).
Then makes a sparse 16 GiB MP4 whose C2PA manifest store sits in a `uuid` box up front and
prints the time and the bytes read to find it (target: under 10 ms, a few KiB).
"""

from __future__ import annotations

import argparse
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the tests' media builders

from provenance_media import (
    TRAINED,
    CountingSource,
    actions,
    box,
    c2pa_sign,
    exr_file,
    jpeg_bytes,
    jumbf_store,
    mp4_bytes,
    png_bytes,
    png_info,
    xmp_packet,
)

from genai_hooks.provenance import FileSource, inspect

PARAMETERS = "a castle\nSteps: 30, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512"
C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")


def make_files(directory: Path, count: int) -> dict[str, list[Path]]:
    kinds: dict[str, list[Path]] = {"png": [], "jpeg": [], "exr": []}
    png = png_bytes(png_info(("parameters", PARAMETERS)), size=(256, 256))
    jpeg = jpeg_bytes(xmp=xmp_packet(TRAINED), size=(512, 512))
    for index in range(count):
        for kind, data in (("png", png), ("jpeg", jpeg)):
            path = directory / f"{kind}_{index:05d}.{'png' if kind == 'png' else 'jpg'}"
            path.write_bytes(data)
            kinds[kind].append(path)
        kinds["exr"].append(exr_file(directory / f"exr_{index:05d}.exr", {"software": "ComfyUI"}, side=64))
    return kinds


def files_per_second(paths: list[Path], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        for path in paths:
            with FileSource(path) as source:
                if not inspect(path.name, source).evidence:
                    raise SystemExit(f"no evidence found in {path}")
        timings.append(time.perf_counter() - started)
    return len(paths) / statistics.median(timings)


def c2pa_uuid_box() -> tuple[bytes, str]:
    """The C2PA uuid box of a signed MP4 (c2pa-python), else one holding a hand-built store."""
    try:
        signed = c2pa_sign(mp4_bytes(), "video/mp4", TRAINED, generator="Sora")
    except ImportError:
        store = jumbf_store([("urn:c2pa:1", {"claim_generator": "Sora"}, {"c2pa.actions": actions(TRAINED)})])
        return box(b"uuid", C2PA_UUID + b"\x00\x00\x00\x00manifest\x00" + bytes(8) + store), "hand-built"
    start = signed.index(b"uuid") - 4
    return signed[start : start + int.from_bytes(signed[start : start + 4], "big")], "c2pa-python"


def sparse_mp4(directory: Path) -> tuple[Path, str]:
    uuid_box, origin = c2pa_uuid_box()
    head = box(b"ftyp", b"isom\x00\x00\x02\x00isom") + uuid_box + box(b"moov", b"")
    size = 16 << 30
    path = directory / "huge.mp4"
    with path.open("wb") as file:
        file.write(head + struct.pack(">I", 1) + b"mdat" + struct.pack(">Q", size - len(head)))
        file.truncate(size)
    return path, origin


def timed(action: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="files of each kind (default 300)")
    parser.add_argument("--repeat", type=int, default=5, help="repeats, median reported (default 5)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="genai-sniff-") as temporary:
        directory = Path(temporary)
        for kind, paths in make_files(directory, options.files).items():
            size = paths[0].stat().st_size
            rate = files_per_second(paths, options.repeat)
            print(f"{kind:5} {rate:9,.0f} files/s   ({len(paths)} files of {size:,} bytes)")
        path, origin = sparse_mp4(directory)
        with FileSource(path) as source:
            counting = CountingSource(source)
            inspection = inspect(path.name, counting)
            seconds = timed(lambda: inspect(path.name, source), max(options.repeat, 20))
        print(
            f"mp4   16 GiB sparse, C2PA up front ({origin} store): {seconds * 1000:.2f} ms, "
            f"{counting.bytes_read:,} bytes in {counting.reads} reads; evidence: {inspection.evidence[0].detail}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
