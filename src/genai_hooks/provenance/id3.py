"""ID3v2 tags (MP3, and `id3 ` chunks of WAV): GEOB (C2PA, XMP), PRIV (XMP), TSSE, TENC, TXXX.

Versions 2.2 to 2.4; unsynchronised tags are resynchronised in memory, compressed or
encrypted frames are skipped (they hold no provenance in practice).
"""

from __future__ import annotations

from genai_hooks.provenance.c2pa import sniff_store
from genai_hooks.provenance.evidence import EvidenceLog, decode_text
from genai_hooks.provenance.reader import ByteWindow, Corrupt, Memory, sub_window
from genai_hooks.provenance.xmp import sniff_xmp

SIGNATURE = b"ID3"
MAX_TAGS = 4  # tags written one after another at the start of a file
_V22_NAMES = {b"TSS": "TSSE", b"TEN": "TENC", b"TXX": "TXXX", b"GEO": "GEOB"}
_SOFTWARE_FRAMES = ("TSSE", "TENC")
_XMP_TYPES = ("application/rdf+xml", "application/xmp+xml", "application/xml", "text/xml")
_TEXT_LIMIT = 4096


def sniff_id3(window: ByteWindow, log: EvidenceLog) -> None:
    pos = 0
    for _ in range(MAX_TAGS):
        if pos + 10 > window.size:
            return
        head = window.read(pos, 10)
        if head[:3] != SIGNATURE:
            return
        major, flags = head[3], head[5]
        if major not in (2, 3, 4) or any(byte & 0x80 for byte in head[6:10]):
            raise Corrupt("not an ID3v2 tag")
        size = _synchsafe(head[6:10])
        body = sub_window(window, pos + 10, size)
        if flags & 0x80 and major < 4:  # the whole tag is unsynchronised
            if not window.fits(size):
                log.not_inspected("unsynchronised ID3 tag is larger than the read budget")
                return
            body = Memory(_resynchronised(body.read(0, size)))
        _frames(body, _extended_header_size(body, major, flags), major, log)
        pos += 10 + size + (10 if major == 4 and flags & 0x10 else 0)


def _synchsafe(raw: bytes) -> int:
    value = 0
    for byte in raw:
        value = (value << 7) | (byte & 0x7F)
    return value


def _resynchronised(data: bytes) -> bytes:
    return data.replace(b"\xff\x00", b"\xff")


def _extended_header_size(body: ByteWindow, major: int, flags: int) -> int:
    if not flags & 0x40 or major < 3 or body.size < 4:
        return 0
    raw = body.read(0, 4)
    return _synchsafe(raw) if major == 4 else 4 + int.from_bytes(raw, "big")


def _frames(body: ByteWindow, pos: int, major: int, log: EvidenceLog) -> None:
    id_size, header = (3, 6) if major == 2 else (4, 10)
    while pos + header <= body.size:
        head = body.read(pos, header)
        raw_id = head[:id_size]
        if raw_id[0] == 0:
            return  # padding
        if major == 2:
            size, flags = int.from_bytes(head[3:6], "big"), 0
        else:
            raw_size = head[4:8]
            size = _synchsafe(raw_size) if major == 4 else int.from_bytes(raw_size, "big")
            flags = int.from_bytes(head[8:10], "big")
        data = pos + header
        if data + size > body.size:
            raise Corrupt("ID3 frame past the end of its tag")
        frame_id = _V22_NAMES.get(raw_id, "") if major == 2 else raw_id.decode("latin-1")
        if frame_id:
            _frame(body, log, frame_id, major, flags, data, size)
        pos = data + size


def _frame(
    body: ByteWindow, log: EvidenceLog, frame_id: str, major: int, flags: int, data: int, size: int
) -> None:
    if frame_id not in _SOFTWARE_FRAMES + ("TXXX", "GEOB", "PRIV"):
        return
    if major == 3:
        if flags & 0x00C0:  # compressed or encrypted
            return
        skip = 1 if flags & 0x0020 else 0  # group identifier
    else:
        if flags & 0x000C:
            return
        skip = (1 if flags & 0x0040 else 0) + (4 if flags & 0x0001 else 0)  # group id, data length
    frame = sub_window(body, data + skip, max(0, size - skip))
    if major == 4 and flags & 0x0002:  # this frame is unsynchronised
        if not body.fits(frame.size):
            return
        frame = Memory(_resynchronised(frame.read(0, frame.size)))
    if frame.size < 2:
        return
    if frame_id == "GEOB":
        _object(frame, log)
    elif frame_id == "PRIV":
        head = frame.read(0, min(frame.size, 256))
        owner, _, _ = head.partition(b"\x00")
        if owner == b"XMP" and frame.fits(frame.size):
            sniff_xmp(frame.read(len(owner) + 1, frame.size - len(owner) - 1), log)
    else:
        raw = frame.read(0, min(frame.size, _TEXT_LIMIT))
        encoding, text = raw[0], raw[1:]
        if frame_id == "TXXX":
            description, text = _split(text, encoding)
            log.software(f"TXXX {_decode(description, encoding)}", _decode(text, encoding))
        else:
            log.software(frame_id, _decode(text, encoding))


def _object(frame: ByteWindow, log: EvidenceLog) -> None:
    """GEOB: encoding, MIME type, file name, description, then the object."""
    head = frame.read(0, min(frame.size, 1024))
    encoding = head[0]
    mime, rest = _split(head[1:], 0)
    _file_name, rest = _split(rest, encoding)
    description, rest = _split(rest, encoding)
    start = len(head) - len(rest)
    mime_type = mime.decode("latin-1").lower()
    if "c2pa" in mime_type:
        sniff_store(sub_window(frame, start, frame.size - start), log)
    elif mime_type in _XMP_TYPES or "xmp" in _decode(description, encoding).lower():
        if not frame.fits(frame.size - start):
            log.not_inspected("XMP in an ID3 tag is larger than the read budget")
            return
        sniff_xmp(frame.read(start, frame.size - start), log)


def _split(data: bytes, encoding: int) -> tuple[bytes, bytes]:
    """The first terminated string of an ID3 field, and what follows it."""
    if encoding in (1, 2):
        for index in range(0, len(data) - 1, 2):
            if data[index : index + 2] == b"\x00\x00":
                return data[:index], data[index + 2 :]
        return data, b""
    head, _, tail = data.partition(b"\x00")
    return head, tail


def _decode(raw: bytes, encoding: int) -> str:
    if encoding == 1:
        text = raw.decode("utf-16", errors="replace")
    elif encoding == 2:
        text = raw.decode("utf-16-be", errors="replace")
    else:
        text = decode_text(raw) if encoding == 3 else raw.decode("latin-1")
    return text.replace("\x00", " / ").strip(" /")
