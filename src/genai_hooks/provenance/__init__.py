"""Embedded provenance (SPEC §6): signs in a file's own metadata that generative AI made it.

`inspect(name, source)` picks a parser by magic bytes (the file-name extension only when the
magic is unknown), reads at most `MAX_READ` bytes of the source, and never raises on bad
content: a corrupt file yields no evidence, and metadata that may lie beyond what could be read
yields an `uninspected` reason (GAI303) instead of a clean answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Callable

from genai_hooks.findings import Evidence
from genai_hooks.paths import extension
from genai_hooks.provenance import dpx, exr, gif, id3, isobmff, jpeg, jxl, mxf, pdf, png, psd, riff, svg, tiff
from genai_hooks.provenance.evidence import EvidenceLog
from genai_hooks.provenance.reader import (
    MAX_READ,
    BoundedReader,
    BudgetExhausted,
    BytesSource,
    FileSource,
    MediaError,
    MediaSource,
    Unreachable,
)
from genai_hooks.provenance.xmp import sniff_xmp

__all__ = [
    "MAX_READ",
    "BytesSource",
    "FileSource",
    "Inspection",
    "MediaSource",
    "extension",
    "inspect",
    "is_inspectable",
    "media_only",
    "reader_name",
    "sniffable",
]

_Parser = Callable[[BoundedReader, EvidenceLog], None]


@dataclass(frozen=True)
class Inspection:
    evidence: tuple[Evidence, ...]  # strongest first, deduplicated
    uninspected: str | None  # why evidence could lie beyond what was read (GAI303), else None
    # What in the file's own metadata forbids training AI on it (GAI503), strongest first. Not
    # evidence that AI made the file: GAI301/GAI302 read `evidence` only, so keep them apart.
    training_not_permitted: tuple[Evidence, ...] = ()


def _sniff_sidecar(reader: BoundedReader, log: EvidenceLog) -> None:
    length = min(reader.available, reader.remaining)
    if length < reader.size:
        log.not_inspected("XMP sidecar is larger than the read budget")
    sniff_xmp(reader.read(0, length), log)


# Camera raws built on TIFF (Panasonic RW2 and Olympus ORF with their own magic numbers).
_CAMERA_RAWS = (
    ".cr2", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".rw2", ".orf", ".pef", ".srw", ".erf", ".kdc",
    ".dcr", ".mos", ".3fr", ".fff", ".iiq", ".dng",
)  # fmt: skip

_BY_EXTENSION: dict[str, _Parser] = {
    ".png": png.sniff_png,
    ".jpg": jpeg.sniff_jpeg,
    ".jpeg": jpeg.sniff_jpeg,
    ".jpe": jpeg.sniff_jpeg,
    ".jfif": jpeg.sniff_jpeg,
    ".tif": tiff.sniff_tiff,
    ".tiff": tiff.sniff_tiff,
    ".btf": tiff.sniff_tiff,
    ".tf8": tiff.sniff_tiff,
    ".bigtiff": tiff.sniff_tiff,
    **{raw: tiff.sniff_tiff for raw in _CAMERA_RAWS},
    ".psd": psd.sniff_psd,
    ".psb": psd.sniff_psd,
    ".webp": riff.sniff_riff,
    ".wav": riff.sniff_riff,
    ".wave": riff.sniff_riff,
    ".bwf": riff.sniff_riff,
    ".mp4": isobmff.sniff_isobmff,
    ".m4v": isobmff.sniff_isobmff,
    ".mov": isobmff.sniff_isobmff,
    ".qt": isobmff.sniff_isobmff,
    ".m4a": isobmff.sniff_isobmff,
    ".heic": isobmff.sniff_isobmff,
    ".heics": isobmff.sniff_isobmff,
    ".heif": isobmff.sniff_isobmff,
    ".heifs": isobmff.sniff_isobmff,
    ".hif": isobmff.sniff_isobmff,
    ".avif": isobmff.sniff_isobmff,
    ".avifs": isobmff.sniff_isobmff,
    ".jxl": jxl.sniff_jxl,
    ".gif": gif.sniff_gif,
    ".svg": svg.sniff_svg,
    ".svgz": svg.sniff_svg,
    ".pdf": pdf.sniff_pdf,
    ".dpx": dpx.sniff_dpx,
    ".mxf": mxf.sniff_mxf,
    ".mp3": id3.sniff_id3,
    ".exr": exr.sniff_exr,
    ".xmp": _sniff_sidecar,
}


_MEDIA_EXTENSIONS = frozenset(e for e in _BY_EXTENSION if e != ".xmp")


def sniffable(name: str) -> bool:
    """Whether a reader exists for a file name's extension (XMP sidecars included).

    Content is still sniffed by its magic bytes: a TIFF-structured raw named `.nef` or a PNG
    named `.jpg` is read as what it is. A file with another extension is in a format the tool
    cannot read.
    """
    return extension(name) in _BY_EXTENSION


def media_only(paths: Iterable[str]) -> list[str]:
    """The paths whose content is sniffed, XMP sidecars aside (a fast filter for thousands of frames)."""
    return [p for p in paths if extension(p) in _MEDIA_EXTENSIONS]


is_inspectable = sniffable  # the older name, kept for callers of the public API


def inspect(name: str, source: MediaSource, *, markers: Sequence[str] = ()) -> Inspection:
    """The provenance evidence embedded in one file's content (at most `MAX_READ` bytes read)."""
    log = EvidenceLog(markers)
    try:
        reader = BoundedReader(source)
        parser = _parser_for(name, reader.read_prefix(16))
        if parser is not None:
            parser(reader, log)
    except BudgetExhausted:
        log.not_inspected(f"metadata continues past the {MAX_READ >> 20} MiB read budget")
    except Unreachable:
        log.not_inspected("metadata lies beyond the part of the content that could be read")
    except MediaError:
        pass  # corrupt: what was found before the damage stands, the rest is unreadable
    except OSError as exc:
        log.not_inspected(f"content could not be read: {exc.strerror or exc}")
    except (ArithmeticError, LookupError, ValueError, RecursionError):
        pass  # hostile content that slipped past a parser's checks is still no evidence
    log.finish()
    return Inspection(evidence=log.evidence, uninspected=log.uninspected, training_not_permitted=log.training)


def reader_name(name: str, magic: bytes) -> str | None:
    """Which reader `inspect` uses for content that starts with `magic` (16 bytes): "png", "exr", ...; None: none."""
    parser = _parser_for(name, magic)
    if parser is None:
        return None
    return "xmp" if parser is _sniff_sidecar else parser.__module__.rpartition(".")[2]


def _parser_for(name: str, magic: bytes) -> _Parser | None:
    if magic.startswith(png.SIGNATURE):
        return png.sniff_png
    if magic.startswith(jpeg.SIGNATURE):
        return jpeg.sniff_jpeg
    if magic[:4] in tiff.SIGNATURES:
        return tiff.sniff_tiff
    if magic.startswith(psd.SIGNATURE):
        return psd.sniff_psd
    if magic[:4] in riff.SIGNATURES and magic[8:12] in riff.FORMS:
        return riff.sniff_riff
    if magic[4:8] in isobmff.TOP_LEVEL_TYPES:
        return isobmff.sniff_isobmff
    if magic.startswith(id3.SIGNATURE):
        return id3.sniff_id3
    if magic.startswith(exr.SIGNATURE):
        return exr.sniff_exr
    if magic.startswith((jxl.SIGNATURE, jxl.CODESTREAM)):
        return jxl.sniff_jxl
    if magic[:6] in gif.SIGNATURES:
        return gif.sniff_gif
    if magic.startswith(pdf.SIGNATURE):
        return pdf.sniff_pdf
    if magic[:4] in dpx.SIGNATURES:
        return dpx.sniff_dpx
    if magic.startswith(mxf.HEADER_PARTITION[:14]):
        return mxf.sniff_mxf
    return _BY_EXTENSION.get(extension(name))
