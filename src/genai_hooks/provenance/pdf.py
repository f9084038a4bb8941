"""PDF: XMP metadata streams, C2PA manifest stores embedded as files, and Creator/Producer.

XMP lives in a stream whose dictionary says `/Subtype /XML` (with `/Type /Metadata`),
uncompressed or FlateDecode; c2pa-rs embeds the manifest store as an embedded-file stream
(`/AFRelationship /C2PA_Manifest`). Objects are found by searching the bytes read, not by
following the cross-reference table: a file within the budget is read whole; a larger one by
its head and its tail, where incremental updates (and c2pa-rs's manifest) are appended. A
larger file in which no XMP or manifest was found is uninspected, never clean.
"""

from __future__ import annotations

import re

from genai_hooks.provenance.c2pa import looks_like_store, sniff_store
from genai_hooks.provenance.evidence import EvidenceLog
from genai_hooks.provenance.reader import BoundedReader, Memory, inflate
from genai_hooks.provenance.xmp import sniff_xmp

SIGNATURE = b"%PDF-"
MAX_STREAMS = 100_000
_BACK = 4096  # how far before `stream` an object's dictionary may start
_STREAM = re.compile(rb"stream\r?\n")  # a literal first: the engine's fast search (no lookbehind)
_XML_SUBTYPE = re.compile(rb"/Subtype\s*/XML(?![\w#])")
_C2PA_SUBTYPE = re.compile(rb"/Subtype\s*/application#2Fc2pa(?![\w#])")
_FILTER = re.compile(rb"/Filter\s*(?:/(\w{1,40})|\[([^\]]{0,400})\])")
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?!\d)(?!\s+\d{1,12}\s+R)")  # direct, not "12 0 R"
_INFO = re.compile(
    rb"/(Creator|Producer)\s*(?:\(((?:[^\\()]|\\.){0,512})\)|<([0-9A-Fa-f\s]{0,2048})>)", re.DOTALL
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)


def sniff_pdf(reader: BoundedReader, log: EvidenceLog) -> None:
    readable = min(reader.size, reader.available)
    if readable <= reader.remaining:
        regions = [(0, reader.read(0, readable))]
    else:  # head and tail, keeping a quarter of the budget for streams across their edges
        part = reader.remaining * 3 // 8
        regions = [(0, reader.read(0, min(part, readable)))]
        if reader.available >= reader.size:
            regions.append((reader.size - part, reader.read(reader.size - part, part)))
    complete = sum(len(data) for _, data in regions) >= reader.size
    found = 0  # XMP streams and manifest stores
    for base, data in regions:
        found += _streams(reader, log, base, data)
        _information(data, log)
    if not complete and not found:
        log.not_inspected("PDF is larger than what was read, and no XMP was found in what was")


def _streams(reader: BoundedReader, log: EvidenceLog, base: int, data: bytes) -> int:
    """Read the XMP and C2PA streams of one region; returns how many were found."""
    found = 0
    for count, match in enumerate(_STREAM.finditer(data)):
        if count >= MAX_STREAMS:
            log.not_inspected("PDF has too many streams to look at")
            break
        if data[match.start() - 3 : match.start()] == b"end":
            continue  # endstream
        head = max(0, match.start() - _BACK)
        obj = data.rfind(b"obj", head, match.start())
        dictionary = data[obj if obj >= 0 else head : match.start()]
        start = match.end()
        peek = data[start : start + 8]
        xml = _XML_SUBTYPE.search(dictionary) is not None
        if not xml and not looks_like_store(peek) and not _C2PA_SUBTYPE.search(dictionary):
            continue
        content = _content(reader, log, dictionary, base, data, start)
        if content is None:
            if xml:
                log.not_inspected("PDF XMP stream continues past what was read")
            continue
        if xml:
            found += 1
            if sniff_xmp(content, log) is None:  # no XMP root in it
                log.not_inspected("PDF XMP stream could not be read (encrypted or encoded)")
        elif looks_like_store(content[:8]):
            found += 1
            sniff_store(Memory(content), log)
    return found


def _content(
    reader: BoundedReader, log: EvidenceLog, dictionary: bytes, base: int, data: bytes, start: int
) -> bytes | None:
    """A stream's decoded bytes; None when they lie past what was read or cannot be decoded."""
    length_match = _LENGTH.search(dictionary)
    if length_match is not None:
        end = start + int(length_match.group(1))
        if end > len(data):  # past this region: read it from the file, if affordable
            absolute = base + start
            length = end - start
            if absolute + length > min(reader.size, reader.available) or not reader.fits(length):
                return None
            raw = reader.read(absolute, length)
        else:
            raw = data[start:end]
    else:
        end = data.find(b"endstream", start)
        if end < 0:
            return None
        raw = data[start:end].rstrip(b"\r\n")
    filters = _filters(dictionary)
    if not filters:
        return raw
    if filters != [b"FlateDecode"]:
        log.not_inspected(f"PDF metadata stream uses filters {b' '.join(filters).decode('latin-1')}")
        return None
    text, complete = inflate(reader, raw, reader.remaining)
    if not complete:
        log.not_inspected("compressed PDF metadata is larger than the read budget")
    return text


def _filters(dictionary: bytes) -> list[bytes]:
    match = _FILTER.search(dictionary)
    if match is None:
        return []
    if match.group(1):
        return [match.group(1)]
    return [name for name in re.findall(rb"/(\w{1,40})", match.group(2))]


def _information(data: bytes, log: EvidenceLog) -> None:
    """The document information dictionary's Creator and Producer: software-like fields."""
    for count, match in enumerate(_INFO.finditer(data)):
        if count >= 64:
            return
        name = match.group(1).decode("ascii")
        if match.group(2) is not None:
            raw = _ESCAPE.sub(_unescape, match.group(2))
        else:
            digits = re.sub(rb"\s", b"", match.group(3))
            raw = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
        log.software(name, _text(raw))


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code[:1].isdigit():
        return bytes((int(code, 8) & 0xFF,))
    return _ESCAPES.get(code, b"" if code in (b"\r", b"\n") else code)


def _text(raw: bytes) -> str:
    """A PDF text string: UTF-16BE with a byte-order mark, UTF-8 with one, else PDFDocEncoding."""
    if raw[:2] == b"\xfe\xff":
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw[:3] == b"\xef\xbb\xbf":
        return raw[3:].decode("utf-8", errors="replace")
    return raw.decode("latin-1")  # PDFDocEncoding agrees with Latin-1 on the letters that matter
