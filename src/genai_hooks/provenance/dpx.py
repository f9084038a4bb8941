"""DPX (SMPTE 268M): the file header's creator, project, copyright and input device names.

These are free-text fields a renderer or scanner fills in; a known generator name there is
weak evidence. The header is the first 2 KiB; pixels are never read.
"""

from __future__ import annotations

from typing import Literal

from genai_hooks.provenance.evidence import EvidenceLog, decode_text
from genai_hooks.provenance.reader import BoundedReader, Corrupt

SIGNATURES = (b"SDPX", b"XPDS")  # big-endian, little-endian
# (offset, length, shown as) of the text fields in the generic file and orientation headers.
_FIELDS = (
    (160, 100, "DPX creator"),
    (260, 200, "DPX project"),
    (460, 200, "DPX copyright"),
    (1556, 32, "DPX input device"),
)
_HEADER = 1664  # generic file and image headers, which every DPX file has
_USER_ID = 32  # the user-defined data section opens with a 32-byte identifier


def sniff_dpx(reader: BoundedReader, log: EvidenceLog) -> None:
    header = reader.read(0, min(reader.size, 2048))
    if len(header) < _HEADER:
        raise Corrupt("DPX header truncated")
    order: Literal["little", "big"] = "big" if header[:4] == b"SDPX" else "little"
    for offset, length, field in _FIELDS:
        _text(log, field, header[offset : offset + length])
    user_size = int.from_bytes(header[32:36], order)
    user_data = int.from_bytes(header[24:28], order) + int.from_bytes(header[28:32], order)
    if user_size >= _USER_ID and 0 < user_data and user_data + _USER_ID <= reader.size:
        _text(log, "DPX user data", reader.read(user_data, _USER_ID))


def _text(log: EvidenceLog, field: str, raw: bytes) -> None:
    value = decode_text(raw.split(b"\x00", 1)[0].rstrip(b"\xff"))  # unset fields: NUL or 0xFF
    if value.strip():
        log.software(field, value)
