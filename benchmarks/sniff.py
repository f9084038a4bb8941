"""Embedded-provenance sniffing speed, and what a huge file costs.

    python benchmarks/sniff.py [--files 300] [--repeat 5] [--formats png,jpeg,...]

Makes small files of each format on the fly, each carrying evidence where its reader must look
for it, and prints files per second for `provenance.inspect` over each (median of repeats) with
the bytes read per file. Formats whose writer is missing here (Pillow without AVIF, no
pillow_heif) are skipped with a note. Then makes a sparse 16 GiB MP4 whose C2PA manifest store
sits in a `uuid` box up front and prints the time and the bytes read to find it (target: under
10 ms, a few KiB).
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
    exif_with,
    exr_file,
    jpeg_bytes,
    jumbf_store,
    mp4_bytes,
    png_bytes,
    png_info,
    riff_chunk,
    tiff_bytes,
    wav_bytes,
    webp_bytes,
    xmp_packet,
)
from provenance_media_formats import (
    avif_bytes,
    avif_supported,
    comfyui_webp,
    dpx_bytes,
    gif_bytes,
    gif_insert,
    gif_xmp_raw,
    heic_bytes,
    identification_set,
    jxl_bytes,
    mxf_bytes,
    pdf_bytes,
    svg_bytes,
)

from genai_hooks.provenance import FileSource, inspect

PARAMETERS = "a castle\nSteps: 30, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512"
C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
PACKET = xmp_packet(TRAINED)


def _heic() -> bytes:
    return heic_bytes(xmp=PACKET)


def _avif() -> bytes:
    if not avif_supported():
        raise ImportError("this Pillow has no AVIF codec")
    return avif_bytes(xmp=PACKET, size=(256, 256))


# kind: (extension, maker of one file's bytes); the first three are the original benchmark's.
FORMATS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "png": (".png", lambda: png_bytes(png_info(("parameters", PARAMETERS)), size=(256, 256))),
    "jpeg": (".jpg", lambda: jpeg_bytes(xmp=PACKET, size=(512, 512))),
    "exr": (".exr", lambda: b""),  # written by OpenEXR to its path, below
    "tiff": (".tif", lambda: tiff_bytes({700: PACKET}, size=(256, 256))),
    "webp": (".webp", lambda: webp_bytes(exif=exif_with(software="Midjourney v6"))),
    "wav": (".wav", lambda: wav_bytes(after=[riff_chunk(b"_PMX", PACKET)], samples=100_000)),
    "mp4": (".mp4", lambda: mp4_bytes(udta=[box(b"XMP_", PACKET)])),
    "avif": (".avif", _avif),
    "heic": (".heic", _heic),
    "jxl": (".jxl", lambda: jxl_bytes(box(b"xml ", PACKET))),
    "gif": (
        ".gif",
        lambda: gif_insert(gif_bytes(8, (256, 256), noise=True), gif_xmp_raw(PACKET), at_end=True),
    ),
    "svg": (".svg", lambda: svg_bytes(PACKET.decode(), body='<path d="M0 0h16v16z"/>' * 2000)),
    "pdf": (".pdf", lambda: pdf_bytes(xmp=PACKET, padding=200_000)),
    "nef": (".nef", lambda: tiff_bytes({305: "Midjourney"}, size=(512, 512))),
    "dpx": (".dpx", lambda: dpx_bytes(creator="Runway Gen-4") + bytes(64 * 1024)),
    "mxf": (".mxf", lambda: mxf_bytes(identification_set(product="Runway Gen-4"), essence=64 * 1024)),
    "comfy": (".webp", lambda: comfyui_webp({"3": {"class_type": "KSampler"}}, {"nodes": []})),
}


def make_files(directory: Path, count: int, kinds: list[str]) -> dict[str, list[Path]]:
    made: dict[str, list[Path]] = {}
    for kind in kinds:
        extension, make = FORMATS[kind]
        try:
            data = make()
        except ImportError as missing:
            print(f"{kind:5} skipped: {missing}")
            continue
        paths = []
        for index in range(count):
            path = directory / f"{kind}_{index:05d}{extension}"
            if kind == "exr":
                exr_file(path, {"software": "ComfyUI"}, side=64)
            else:
                path.write_bytes(data)
            paths.append(path)
        made[kind] = paths
    return made


def files_per_second(paths: list[Path], repeat: int) -> tuple[float, int]:
    """Files per second (median of repeats), and the bytes read from the first file."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        for path in paths:
            with FileSource(path) as source:
                if not inspect(path.name, source).evidence:
                    raise SystemExit(f"no evidence found in {path}")
        timings.append(time.perf_counter() - started)
    with FileSource(paths[0]) as source:
        counting = CountingSource(source)
        inspect(paths[0].name, counting)
    return len(paths) / statistics.median(timings), counting.bytes_read


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
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated kinds (default: all)")
    options = parser.parse_args(argv)
    kinds = [kind for kind in options.formats.split(",") if kind]
    unknown = sorted(set(kinds) - set(FORMATS))
    if unknown:
        parser.error(f"unknown formats: {', '.join(unknown)} (known: {', '.join(FORMATS)})")
    with tempfile.TemporaryDirectory(prefix="genai-sniff-") as temporary:
        directory = Path(temporary)
        for kind, paths in make_files(directory, options.files, kinds).items():
            size = paths[0].stat().st_size
            rate, read = files_per_second(paths, options.repeat)
            print(
                f"{kind:5} {rate:9,.0f} files/s   ({len(paths)} files of {size:,} bytes; {read:,} read per file)"
            )
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
