"""Builders of the formats SPEC §11 adds: HEIF/AVIF, JPEG XL, GIF, SVG, PDF, raws, DPX, MXF.

Real writers first: Pillow (AVIF, GIF, animated WebP, BigTIFF, PDF), pillow_heif (HEIC) and
c2pa-python (C2PA manifests, remote manifest references). What no installed library writes
(the JPEG XL container, GIF XMP, PDF XMP streams, DPX and MXF headers) is assembled here with
struct, byte for byte as the specifications lay it out.
"""

from __future__ import annotations

import gzip
import importlib
import io
import json
import struct
import zlib
from collections.abc import Sequence
from typing import Any

from PIL import Image, features
from provenance_media import box, png_bytes, signing_chain

# --- HEIF, HEIC, AVIF -------------------------------------------------------------------------


def avif_supported() -> bool:
    return bool(features.check("avif"))


def _image(size: tuple[int, int] = (16, 16)) -> Image.Image:
    return Image.new("RGB", size, (40, 90, 160))


def _metadata(xmp: bytes | None, exif: bytes | Image.Exif | None) -> dict[str, Any]:
    """Pillow's and pillow_heif's save options for the metadata given."""
    return {key: value for key, value in (("xmp", xmp), ("exif", exif)) if value is not None}


def avif_bytes(
    *, xmp: bytes | None = None, exif: Image.Exif | None = None, size: tuple[int, int] = (16, 16)
) -> bytes:
    """An AVIF written by Pillow: XMP as a `mime` item, EXIF as an `Exif` item."""
    out = io.BytesIO()
    _image(size).save(out, "AVIF", **_metadata(xmp, exif))
    return out.getvalue()


def heic_bytes(*, xmp: bytes | None = None, exif: Image.Exif | None = None) -> bytes:
    """A HEIC written by pillow_heif (libheif and x265)."""
    pillow_heif: Any = importlib.import_module("pillow_heif")
    out = io.BytesIO()
    pillow_heif.from_pillow(_image()).save(out, format="HEIF", **_metadata(xmp, exif and exif.tobytes()))
    return out.getvalue()


def heif_with_idat_item(payload: bytes, *, encoding: str = "") -> bytes:
    """A HEIF whose XMP item lives in the meta box's `idat` (construction method 1).

    libheif writes items into `mdat`; this layout, allowed by ISO 23008-12, is assembled here.
    """
    ftyp = box(b"ftyp", b"heic" + bytes(4) + b"mif1heic")
    hdlr = box(b"hdlr", bytes(8) + b"pict" + bytes(13))
    strings = [b"XMP", b"application/rdf+xml"] + ([encoding.encode()] if encoding else [])
    infe = box(b"infe", struct.pack(">BxxxHH", 2, 1, 0) + b"mime" + b"".join(x + b"\x00" for x in strings))
    iinf = box(b"iinf", struct.pack(">IH", 0, 1) + infe)
    # iloc version 1: offset, length and base offset sizes 4, index size 0; one extent.
    extent = struct.pack(">HHHIHII", 1, 1, 0, 0, 1, 0, len(payload))
    iloc = box(b"iloc", struct.pack(">BxxxBBH", 1, 0x44, 0x40, 1) + extent)
    meta = box(b"meta", bytes(4) + hdlr + iinf + iloc + box(b"idat", payload))
    return ftyp + meta + box(b"mdat", bytes(16))


# --- JPEG XL --------------------------------------------------------------------------------

JXL_SIGNATURE = bytes.fromhex("0000000c4a584c200d0a870a")
JXL_CODESTREAM = b"\xff\x0a" + bytes(30)  # the codestream's signature; nothing here decodes pixels


def jxl_bytes(*metadata: bytes, after_codestream: Sequence[bytes] = ()) -> bytes:
    """A JPEG XL container (ISO/IEC 18181-2): signature, ftyp, metadata boxes, codestream."""
    ftyp = box(b"ftyp", b"jxl " + bytes(4) + b"jxl ")
    return (
        JXL_SIGNATURE + ftyp + b"".join(metadata) + box(b"jxlc", JXL_CODESTREAM) + b"".join(after_codestream)
    )


def jxl_exif_box(exif: Image.Exif) -> bytes:
    """An `Exif` box: a 4-byte offset to the TIFF header (0 here), then the TIFF structure."""
    return box(b"Exif", struct.pack(">I", 0) + exif.tobytes()[6:])


def brob_box(inner_type: bytes, compressed: bytes) -> bytes:
    return box(b"brob", inner_type + compressed)


# --- GIF ------------------------------------------------------------------------------------

XMP_MAGIC_TRAILER = bytes([1]) + bytes(range(255, -1, -1))  # then the block terminator


def gif_bytes(
    frames: int = 1, size: tuple[int, int] = (16, 16), *, noise: bool = False, comment: bytes = b""
) -> bytes:
    """A GIF (animated when frames > 1) written by Pillow."""
    images = []
    for index in range(frames):
        if noise:  # incompressible frames: image data in full 255-byte sub-blocks
            images.append(Image.frombytes("L", size, _noise(size[0] * size[1], index)).convert("P"))
        else:
            images.append(Image.new("P", size, index % 256))
    out = io.BytesIO()
    options: dict[str, Any] = {"comment": comment} if comment else {}
    images[0].save(out, "GIF", save_all=frames > 1, append_images=images[1:], **options)
    return out.getvalue()


def _noise(length: int, seed: int) -> bytes:
    state = seed * 2654435761 + 1
    out = bytearray()
    while len(out) < length:
        state = (state * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        out += state.to_bytes(8, "little")
    return bytes(out[:length])


def gif_sub_blocks(data: bytes) -> bytes:
    return (
        b"".join(bytes((len(data[i : i + 255]),)) + data[i : i + 255] for i in range(0, len(data), 255))
        + b"\x00"
    )


def gif_application(identifier: bytes, data: bytes) -> bytes:
    """An application extension whose data is split into sub-blocks (as c2pa-rs writes them)."""
    return b"\x21\xff\x0b" + identifier + gif_sub_blocks(data)


def gif_xmp_raw(packet: bytes) -> bytes:
    """XMP as Adobe writes it in GIF: the packet raw, its bytes read as sub-block lengths, then
    the 258-byte magic trailer that leads any such reading to the terminator (XMP spec part 3)."""
    return b"\x21\xff\x0bXMP DataXMP" + packet + XMP_MAGIC_TRAILER + b"\x00"


def gif_insert(gif: bytes, *blocks: bytes, at_end: bool = False) -> bytes:
    """Blocks after the global colour table (before the frames), or before the trailer."""
    if at_end:
        return gif[:-1] + b"".join(blocks) + gif[-1:]
    packed = gif[10]
    start = 13 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0)
    return gif[:start] + b"".join(blocks) + gif[start:]


# --- SVG ------------------------------------------------------------------------------------

SVG_BODY = '<rect width="16" height="16" fill="#285aa0"/>'


def svg_bytes(metadata: str = "", *, prologue: str = "", body: str = SVG_BODY) -> bytes:
    return (
        prologue
        + '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16">'
        + (f"<metadata>{metadata}</metadata>" if metadata else "")
        + body
        + "</svg>"
    ).encode("utf-8")


ILLUSTRATOR_PROLOGUE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n'
    '\t<!ENTITY ns_extend "http://ns.adobe.com/Extensibility/1.0/">\n'
    '\t<!ENTITY ns_ai "http://ns.adobe.com/AdobeIllustrator/10.0/">\n]>\n'
)


def svgz(svg: bytes) -> bytes:
    return gzip.compress(svg, mtime=0)


# --- PDF ------------------------------------------------------------------------------------


def pdf_bytes(
    *,
    xmp: bytes | None = None,
    compress: bool = False,
    info: dict[str, bytes] | None = None,
    padding: int = 0,
    xmp_last: bool = False,
    filters: str | None = None,
) -> bytes:
    """A one-page PDF 1.7 with an XMP metadata stream (ISO 32000-1 §14.3.2), an optional
    /Info dictionary and a padding stream (an embedded image's worth of bytes)."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R" + (b" /Metadata 5 0 R" if xmp is not None else b"") + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 16 16] /Resources << /XObject << /Im1 4 0 R >> >> >>",
        _stream(
            b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8",
            _noise(max(1, padding), 3),
        ),
    ]
    if xmp is not None:
        data = zlib.compress(xmp) if compress else xmp
        head = b"<< /Type /Metadata /Subtype /XML"
        if filters is not None:
            head += b" /Filter " + filters.encode()
        elif compress:
            head += b" /Filter /FlateDecode"
        objects.append(_stream(head, data))
    if info:
        objects.append(
            b"<< " + b" ".join(b"/" + key.encode() + b" " + value for key, value in info.items()) + b" >>"
        )
    order = list(range(len(objects)))
    if xmp_last and xmp is not None:  # the metadata written after the image, as incremental savers do
        order = [index for index in order if index != 4] + [4]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for index in order:
        offsets[index] = len(out)
        out += b"%d 0 obj\n" % (index + 1) + objects[index] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[index] for index in range(len(objects)))
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if info:
        trailer += b" /Info %d 0 R" % len(objects)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(head: bytes, data: bytes) -> bytes:
    return head + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def pillow_pdf() -> bytes:
    out = io.BytesIO()
    _image().save(out, "PDF")
    return out.getvalue()


# --- camera raws ----------------------------------------------------------------------------


def with_tiff_magic(tiff: bytes, magic: bytes) -> bytes:
    """A little-endian TIFF under another TIFF-structured magic: Panasonic RW2 "IIU\\0",
    Olympus ORF "IIRO"; the IFDs are laid out exactly as TIFF's."""
    assert tiff[:4] == b"II*\x00"
    return magic + tiff[4:]


def bigtiff_bytes(tags: dict[int, Any]) -> bytes:
    out = io.BytesIO()
    _image().save(out, "TIFF", big_tiff=True, tiffinfo=tags)
    return out.getvalue()


# --- DPX ------------------------------------------------------------------------------------


def dpx_bytes(
    *,
    creator: str = "",
    project: str = "",
    copyright_: str = "",
    input_device: str = "",
    little: bool = False,
    user_id: str = "",
) -> bytes:
    """A 1x1 10-bit RGB DPX (SMPTE 268M-2003) with the given header text fields."""
    order = "<" if little else ">"
    user = user_id.encode().ljust(32, b"\x00") if user_id else b""
    offset = 2048 + len(user)
    header = bytearray(2048)
    # magic, image offset, version, file size, ditto key, generic, industry and user header sizes
    fields = (b"XPDS" if little else b"SDPX", offset, b"V2.0", offset + 4, 1, 1664, 384, len(user))
    struct.pack_into(order + "4sI8sIIIII", header, 0, *fields)

    def text(at: int, length: int, value: str) -> None:
        header[at : at + length] = value.encode().ljust(length, b"\x00")[:length]

    text(36, 100, "frame.0001.dpx")
    text(136, 24, "2026:11:28:10:00:00:UTC")
    text(160, 100, creator)
    text(260, 200, project)
    text(460, 200, copyright_)
    struct.pack_into(order + "I", header, 660, 0xFFFFFFFF)
    struct.pack_into(order + "HHII", header, 768, 0, 1, 1, 1)  # orientation, one element, 1x1
    struct.pack_into(order + "IIfIfBBBBHHI", header, 780, 0, 0, 0.0, 1023, 2.047, 50, 2, 2, 10, 1, 0, offset)
    text(1556, 32, input_device)
    return bytes(header) + user + struct.pack(order + "I", 0x3FF00000)


# --- MXF ------------------------------------------------------------------------------------

HEADER_PARTITION = bytes.fromhex("060e2b34020501010d01020101020400")  # closed and complete
FOOTER_PARTITION = bytes.fromhex("060e2b34020501010d01020101040400")
PRIMER = bytes.fromhex("060e2b34020501010d01020101050100")
PREFACE = bytes.fromhex("060e2b34025301010d01010101012f00")
IDENTIFICATION = bytes.fromhex("060e2b34025301010d01010101013000")
FILL = bytes.fromhex("060e2b34010101020301021001000000")
ESSENCE = bytes.fromhex("060e2b34010201010d01030115010501")  # an MPEG picture element
OP1A = bytes.fromhex("060e2b34040101010d01020101010900")


def _ber(length: int) -> bytes:
    return bytes((0x83,)) + length.to_bytes(3, "big")


def klv(key: bytes, value: bytes) -> bytes:
    return key + _ber(len(value)) + value


def _local(tag: int, value: bytes) -> bytes:
    return struct.pack(">HH", tag, len(value)) + value


def identification_set(
    *, company: str = "", product: str = "", platform: str = "", version: str = "1.0"
) -> bytes:
    """An Identification set (SMPTE 377M Annex A.4), strings in UTF-16BE as MXF writes them."""
    fields = _local(0x3C0A, bytes(16)) + _local(0x3C09, bytes(16))  # instance and generation UIDs
    for tag, value in ((0x3C01, company), (0x3C02, product), (0x3C04, version), (0x3C08, platform)):
        fields += _local(tag, value.encode("utf-16-be"))
    return klv(IDENTIFICATION, fields)


def mxf_bytes(
    *identifications: bytes,
    run_in: bytes = b"",
    fill: int = 0,
    essence: int = 4096,
    header_byte_count: bool = True,
) -> bytes:
    """An OP1a MXF: header partition pack, primer, preface and Identification sets, essence, footer."""
    metadata = klv(PRIMER, struct.pack(">II", 0, 18)) + klv(PREFACE, _local(0x3C0A, bytes(16)))
    metadata += b"".join(identifications)
    body = klv(ESSENCE, _noise(essence, 5))

    def partition(key: bytes, this: int, footer: int, header_bytes: int) -> bytes:
        # major, minor, KAG, this, previous, footer, header bytes, index bytes, index SID, body offset, body SID
        value = struct.pack(">HHIQQQQQIQI", 1, 3, 1, this, 0, footer, header_bytes, 0, 0, 0, 1) + OP1A
        value += struct.pack(">II", 0, 16)  # an empty batch of essence containers
        return klv(key, value)

    padding = klv(FILL, bytes(fill)) if fill else b""
    header_length = len(partition(HEADER_PARTITION, 0, 0, 0)) + len(padding)
    footer_at = header_length + len(metadata) + len(body)
    header = partition(HEADER_PARTITION, 0, footer_at, len(metadata) if header_byte_count else 0) + padding
    return run_in + header + metadata + body + partition(FOOTER_PARTITION, footer_at, footer_at, 0)


# --- C2PA, beyond a digital source type -----------------------------------------------------


def c2pa_sign_manifest(
    media: bytes,
    mime: str,
    manifest: dict[str, Any],
    *,
    remote_url: str | None = None,
    embed: bool = True,
    ingredients: Sequence[dict[str, Any]] = (),
) -> bytes:
    """`media` signed by c2pa-python with any manifest definition; optionally a remote reference,
    and ingredients (each definition added from a small PNG of its own)."""
    c2pa: Any = importlib.import_module("c2pa")
    chain, key = signing_chain()
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(alg=b"es256", sign_cert=chain, private_key=key, ta_url=None)
    )
    settings = c2pa.Settings.from_dict(
        {"builder": {"thumbnail": {"enabled": False}}, "verify": {"verify_after_sign": False}}
    )
    out = io.BytesIO()
    with c2pa.Context(settings=settings) as context, c2pa.Builder(manifest, context) as builder:
        if remote_url is not None:
            builder.set_remote_url(remote_url)
        if not embed:
            builder.set_no_embed()
        for ingredient in ingredients:
            builder.add_ingredient(json.dumps(ingredient), "image/png", io.BytesIO(png_bytes()))
        builder.sign(signer, mime, io.BytesIO(media), out)
    return out.getvalue()


def generator_manifest(
    generator: str, *, version: str = "1.0", agent: Any = None, generative_ai: dict[str, str] | None = None
) -> dict[str, Any]:
    """A manifest with no digital source type: what a claim generator and agent say, only."""
    action: dict[str, Any] = {"action": "c2pa.created"}
    if agent is not None:
        action["softwareAgent"] = agent
    assertions: list[dict[str, Any]] = [{"label": "c2pa.actions", "data": {"actions": [action]}}]
    if generative_ai is not None:
        assertions.insert(0, {"label": "com.adobe.generative-ai", "data": generative_ai})
    return {
        "claim_generator_info": [{"name": generator, "version": version}],
        "title": "image",
        "assertions": assertions,
    }


def comfyui_webp(prompt: dict[str, Any], workflow: dict[str, Any], frames: int = 3) -> bytes:
    """An animated WebP saved exactly as ComfyUI's SaveAnimatedWEBP node saves it (Pillow, EXIF
    Model = "prompt:{json}", Make = "workflow:{json}", counting down from 0x010F per extra key)."""
    images = [Image.new("RGB", (32, 32), (index * 40, 90, 160)) for index in range(frames)]
    metadata = images[0].getexif()
    metadata[0x0110] = f"prompt:{json.dumps(prompt)}"
    tag = 0x010F
    for key, value in {"workflow": workflow}.items():
        metadata[tag] = f"{key}:{json.dumps(value)}"
        tag -= 1
    out = io.BytesIO()
    images[0].save(
        out, "WEBP", save_all=True, duration=100, append_images=images[1:], exif=metadata, lossless=True
    )
    return out.getvalue()
