"""PNG: text chunks (tEXt, zTXt, iTXt, XMP included), eXIf, and the caBX C2PA chunk.

Chunks are walked to IEND, pixel data skipped by its length; text may follow IDAT. A text
value is only inflated when it matters (Software, XMP), and never past the read budget.
"""

from __future__ import annotations

from genai_hooks.findings import Strength
from genai_hooks.provenance.c2pa import sniff_store
from genai_hooks.provenance.evidence import EvidenceLog, decode_text
from genai_hooks.provenance.reader import BoundedReader, Corrupt, Window, inflate
from genai_hooks.provenance.tiff import sniff_exif
from genai_hooks.provenance.xmp import sniff_xmp

SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_TEXT_KIND = "png-text"
XMP_KEYWORD = "XML:com.adobe.xmp"
# Keywords that are themselves generator records (SPEC §6, medium), and who writes them.
GENERATOR_KEYWORDS = {
    "parameters": "AUTOMATIC1111/Forge",
    "invokeai_metadata": "InvokeAI",
    "sd-metadata": "InvokeAI",
    "Dream": "InvokeAI",
}
_SOFTWARE_KEYWORDS = ("Software", "Source")
_VALUE_LIMIT = 4096  # a software name: enough to read, too little to matter
_MAX_CHUNK = 0x7FFFFFFF


def sniff_png(reader: BoundedReader, log: EvidenceLog) -> None:
    keywords: set[str] = set()
    pos = len(SIGNATURE)
    try:
        while True:
            head = reader.read(pos, 8)
            length, chunk_type = int.from_bytes(head[:4], "big"), head[4:8]
            if length > _MAX_CHUNK or pos + 12 + length > reader.size:
                raise Corrupt(f"PNG chunk of {length} bytes past the end")
            data = pos + 8
            if chunk_type == b"IEND":
                break
            if chunk_type in (b"tEXt", b"zTXt", b"iTXt"):
                keyword = _text_chunk(reader, log, chunk_type, data, length)
                if keyword:
                    keywords.add(keyword)
            elif chunk_type == b"eXIf" and length:
                _exif(reader, log, data, length)
            elif chunk_type == b"caBX":
                sniff_store(Window(reader, [(data, length)]), log)
            pos = data + length + 4
    finally:
        if {"prompt", "workflow"} <= keywords:
            log.add(PNG_TEXT_KIND, Strength.MEDIUM, "prompt + workflow (ComfyUI)")


def _text_chunk(reader: BoundedReader, log: EvidenceLog, chunk_type: bytes, data: int, length: int) -> str:
    """Handle one text chunk; returns its keyword ('' when malformed)."""
    head = reader.read(data, min(length, 80))
    if b"\x00" not in head:
        return ""
    keyword = head.split(b"\x00", 1)[0].decode("latin-1")
    if keyword in GENERATOR_KEYWORDS:
        log.add(PNG_TEXT_KIND, Strength.MEDIUM, f"{keyword} ({GENERATOR_KEYWORDS[keyword]})")
    elif keyword in _SOFTWARE_KEYWORDS:
        value, _ = _text_value(reader, chunk_type, data, min(length, _VALUE_LIMIT), _VALUE_LIMIT)
        text = decode_text(value)
        if keyword == "Software" and text.strip().lower() == "novelai":
            log.add(PNG_TEXT_KIND, Strength.MEDIUM, "Software: NovelAI")
        elif text:
            log.software(keyword, text)
    elif keyword == XMP_KEYWORD:
        if not reader.fits(length):
            log.not_inspected("XMP text chunk is larger than the read budget")
            return keyword
        packet, complete = _text_value(reader, chunk_type, data, length, reader.remaining - length)
        if not complete:
            log.not_inspected("compressed XMP text is larger than the read budget")
        sniff_xmp(packet, log)
    return keyword


def _text_value(
    reader: BoundedReader, chunk_type: bytes, data: int, length: int, limit: int
) -> tuple[bytes, bool]:
    """The value of a text chunk from its first `length` bytes, inflating at most `limit` bytes.

    Returns the value (empty when malformed) and whether it is complete.
    """
    raw = reader.read(data, length)
    rest = raw[raw.find(b"\x00") + 1 :]
    if chunk_type == b"tEXt":
        return rest, True
    if chunk_type == b"zTXt":
        return inflate(reader, rest[1:], limit) if rest[:1] == b"\x00" else (b"", True)
    parts = rest[2:].split(b"\x00", 2)  # iTXt: flag, method, language tag, translated keyword, text
    if len(rest) < 2 or len(parts) < 3:
        return b"", True
    if not rest[0]:
        return parts[2], True
    return inflate(reader, parts[2], limit) if rest[1] == 0 else (b"", True)


def _exif(reader: BoundedReader, log: EvidenceLog, data: int, length: int) -> None:
    if not reader.fits(length):
        log.not_inspected("EXIF chunk is larger than the read budget")
        return
    sniff_exif(reader.read(data, length), log)
