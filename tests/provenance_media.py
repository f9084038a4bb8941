"""Builders of real media files with real metadata, for the provenance tests.

Pillow, OpenEXR and c2pa-python write what they can; WAV, MP4, MP3 and PSD, which no
installed library writes with metadata, are assembled here with struct, byte for byte as
their specifications lay them out.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import io
import struct
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PIL import Image, PngImagePlugin

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = IPTC + "trainedAlgorithmicMedia"
COMPOSITE_TRAINED = IPTC + "compositeWithTrainedAlgorithmicMedia"
ALGORITHMIC = IPTC + "algorithmicMedia"
COMPOSITE_SYNTHETIC = IPTC + "compositeSynthetic"


# --- instrumented source -----------------------------------------------------------------


class CountingSource:
    """A MediaSource that counts what is read from the one it wraps."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.size = inner.size
        self.available = inner.available
        self.bytes_read = 0
        self.reads = 0

    def read(self, offset: int, length: int) -> bytes:
        data: bytes = self.inner.read(offset, length)
        self.bytes_read += len(data)
        self.reads += 1
        return data


# --- XMP ---------------------------------------------------------------------------------


def xmp_packet(
    source_type: str | None = None,
    *,
    form: str = "attribute",
    creator_tool: str | None = None,
    extra: str = "",
) -> bytes:
    """An XMP packet as Adobe tools write it, the digital source type in the given form."""
    attributes, elements = "", extra
    if creator_tool is not None:
        attributes += f' xmp:CreatorTool="{creator_tool}"'
    if source_type is not None and form == "attribute":
        attributes += f' Iptc4xmpExt:DigitalSourceType="{source_type}"'
    elif source_type is not None and form == "element":
        elements += f"<Iptc4xmpExt:DigitalSourceType>{source_type}</Iptc4xmpExt:DigitalSourceType>"
    elif source_type is not None and form == "resource":
        elements += f'<Iptc4xmpExt:DigitalSourceType rdf:resource="{source_type}"/>'
    body = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 9.1">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"\n'
        '    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
        f"{attributes}>{elements}</rdf:Description>\n"
        " </rdf:RDF>\n</x:xmpmeta>\n" + " " * 200 + '\n<?xpacket end="w"?>'
    )
    return body.encode("utf-8")


# --- Pillow images -------------------------------------------------------------------------


def _image(size: tuple[int, int] = (16, 16)) -> Image.Image:
    return Image.new("RGB", size, (40, 90, 160))


def png_bytes(info: PngImagePlugin.PngInfo | None = None, size: tuple[int, int] = (16, 16)) -> bytes:
    out = io.BytesIO()
    _image(size).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def png_info(*texts: tuple[str, str], zipped: bool = False) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    for key, value in texts:
        info.add_text(key, value, zip=zipped)
    return info


def png_chunk(chunk_type: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", zlib.crc32(chunk_type + data))


def png_insert_before_iend(png: bytes, *chunks: bytes) -> bytes:
    """Chunks placed after the pixel data, as some writers place text."""
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + b"".join(chunks) + png[iend:]


def jpeg_bytes(
    *, xmp: bytes | None = None, exif: Image.Exif | None = None, size: tuple[int, int] = (16, 16)
) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if xmp is not None:
        options["xmp"] = xmp
    if exif is not None:
        options["exif"] = exif
    _image(size).save(out, "JPEG", **options)
    return out.getvalue()


def jpeg_insert_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """An APPn segment right after SOI."""
    return jpeg[:2] + struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload + jpeg[2:]


def exif_with(software: str | None = None, user_comment: bytes | None = None) -> Image.Exif:
    exif = _image().getexif()
    if software is not None:
        exif[305] = software
    if user_comment is not None:
        exif.get_ifd(0x8769)[0x9286] = user_comment
    return exif


def tiff_bytes(tags: dict[int, Any], size: tuple[int, int] = (16, 16)) -> bytes:
    out = io.BytesIO()
    _image(size).save(out, "TIFF", tiffinfo=tags)
    return out.getvalue()


def webp_bytes(*, xmp: bytes | None = None, exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {"lossless": True}
    if xmp is not None:
        options["xmp"] = xmp
    if exif is not None:
        options["exif"] = exif
    _image().save(out, "WEBP", **options)
    return out.getvalue()


# --- RIFF (WAV) ----------------------------------------------------------------------------


def riff_chunk(chunk_id: bytes, data: bytes) -> bytes:
    return chunk_id + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def wav_bytes(before: Sequence[bytes] = (), after: Sequence[bytes] = (), samples: int = 800) -> bytes:
    """16-bit mono PCM at 8 kHz, with chunks before and after `data`."""
    fmt = riff_chunk(b"fmt ", struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16))
    data = riff_chunk(b"data", struct.pack(f"<{samples}h", *([0] * samples)))
    body = b"WAVE" + fmt + b"".join(before) + data + b"".join(after)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def info_list(**fields: str) -> bytes:
    """A LIST/INFO chunk, e.g. info_list(ISFT="ElevenLabs")."""
    subchunks = b"".join(riff_chunk(key.encode(), value.encode() + b"\x00") for key, value in fields.items())
    return riff_chunk(b"LIST", b"INFO" + subchunks)


# --- ISO BMFF (MP4, MOV, M4A) --------------------------------------------------------------


def box(box_type: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(payload)) + box_type + payload


def full_box(box_type: bytes, payload: bytes = b"", version: int = 0) -> bytes:
    return box(box_type, struct.pack(">I", version << 24) + payload)


def mvhd() -> bytes:
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    body = struct.pack(">IIII", 0, 0, 1000, 0) + struct.pack(">IH", 0x10000, 0x100) + bytes(10) + matrix
    return full_box(b"mvhd", body + bytes(24) + struct.pack(">I", 2))


def mp4_bytes(
    *, before_moov: Sequence[bytes] = (), udta: Sequence[bytes] = (), after: Sequence[bytes] = ()
) -> bytes:
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    moov = box(b"moov", mvhd() + (box(b"udta", b"".join(udta)) if udta else b""))
    return ftyp + b"".join(before_moov) + moov + box(b"mdat", bytes(64)) + b"".join(after)


def itunes_item(item_type: bytes, text: str) -> bytes:
    return box(item_type, box(b"data", struct.pack(">II", 1, 0) + text.encode()))


def itunes_meta(*items: bytes) -> bytes:
    hdlr = full_box(b"hdlr", b"\x00\x00\x00\x00mdirappl" + bytes(9))
    return full_box(b"meta", hdlr + box(b"ilst", b"".join(items)))


# --- ID3v2 (MP3) ---------------------------------------------------------------------------


def _synchsafe(value: int) -> bytes:
    return bytes(((value >> shift) & 0x7F) for shift in (21, 14, 7, 0))


def id3_frame(frame_id: str, payload: bytes, version: int = 4) -> bytes:
    size = _synchsafe(len(payload)) if version == 4 else struct.pack(">I", len(payload))
    return frame_id.encode("latin-1") + size + b"\x00\x00" + payload


def id3_text(frame_id: str, text: str, version: int = 4) -> bytes:
    return id3_frame(frame_id, b"\x03" + text.encode("utf-8"), version)


def id3_tag(*frames: bytes, version: int = 4, flags: int = 0, padding: int = 64) -> bytes:
    body = b"".join(frames) + bytes(padding)
    return b"ID3" + bytes((version, 0, flags)) + _synchsafe(len(body)) + body


def mp3_bytes(tag: bytes = b"", frames: int = 4) -> bytes:
    """MPEG-1 Layer III frames at 128 kbit/s, 44.1 kHz (417 bytes each), after an ID3v2 tag."""
    return tag + (b"\xff\xfb\x90\x64" + bytes(413)) * frames


# --- PSD -----------------------------------------------------------------------------------


def psd_resource(resource_id: int, data: bytes) -> bytes:
    return (
        b"8BIM"
        + struct.pack(">H", resource_id)
        + b"\x00\x00"
        + struct.pack(">I", len(data))
        + data
        + (b"\x00" if len(data) % 2 else b"")
    )


def psd_bytes(*resources: bytes, version: int = 1, size: tuple[int, int] = (4, 4)) -> bytes:
    """An RGB 8-bit PSD (or PSB) with the given image resources and raw pixel data."""
    width, height = size
    header = b"8BPS" + struct.pack(">H", version) + bytes(6) + struct.pack(">HIIHH", 3, height, width, 8, 3)
    section = b"".join(resources)
    layers = struct.pack(">I" if version == 1 else ">Q", 0)
    pixels = struct.pack(">H", 0) + bytes(3 * width * height)
    return header + struct.pack(">I", 0) + struct.pack(">I", len(section)) + section + layers + pixels


# --- OpenEXR -------------------------------------------------------------------------------


def exr_file(
    path: Path, attributes: dict[str, Any], *, second_part: dict[str, Any] | None = None, side: int = 4
) -> Path:
    import numpy

    OpenEXR: Any = importlib.import_module("OpenEXR")  # untyped bindings
    pixels = {"RGB": numpy.random.default_rng(7).random((side, side, 3), dtype="float32")}
    base = {"compression": OpenEXR.ZIP_COMPRESSION, "type": OpenEXR.scanlineimage}
    if second_part is None:
        with OpenEXR.File({**base, **attributes}, pixels) as image:
            image.write(str(path))
    else:
        parts = [
            OpenEXR.Part({**base, **attributes}, pixels, name="left"),
            OpenEXR.Part({**base, **second_part}, pixels, name="right"),
        ]
        with OpenEXR.File(parts) as image:
            image.write(str(path))
    return path


# --- C2PA: hand-built JUMBF (for structures c2pa-python does not write) ----------------------

_C2PA_UUID_SUFFIX = bytes.fromhex("00110010800000aa00389b71")


def cbor(value: Any) -> bytes:
    """A minimal CBOR encoder: ints, text, bytes, lists, dicts, booleans, None."""

    def head(major: int, argument: int) -> bytes:
        if argument < 24:
            return bytes([major << 5 | argument])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if argument < 1 << (8 * size):
                return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
        raise ValueError(argument)

    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(item) for item in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    raise TypeError(type(value))


def jumbf_superbox(content_type: bytes, label: str, children: Iterable[bytes]) -> bytes:
    description = box(b"jumd", content_type + _C2PA_UUID_SUFFIX + b"\x03" + label.encode() + b"\x00")
    return box(b"jumb", description + b"".join(children))


def jumbf_store(
    manifests: Sequence[tuple[str, dict[str, Any], dict[str, Any]]], *, claim_label: str = "c2pa.claim"
) -> bytes:
    """A manifest store: for each manifest, its label, claim and {assertion label: data}."""
    boxes = []
    for label, claim, assertions in manifests:
        assertion_boxes = [
            jumbf_superbox(b"cbor", name, [box(b"cbor", cbor(data))]) for name, data in assertions.items()
        ]
        store = jumbf_superbox(b"c2as", "c2pa.assertions", assertion_boxes)
        claim_box = jumbf_superbox(b"c2cl", claim_label, [box(b"cbor", cbor(claim))])
        boxes.append(jumbf_superbox(b"c2ma", label, [store, claim_box]))
    return jumbf_superbox(b"c2pa", "c2pa", boxes)


def actions(*source_types: str) -> dict[str, Any]:
    return {"actions": [{"action": "c2pa.created", "digitalSourceType": value} for value in source_types]}


# --- C2PA: signed by c2pa-python ------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def signing_chain() -> tuple[bytes, bytes]:
    """A throwaway CA and end-entity certificate (ES256), made at test time: (chain PEM, key PEM)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    validity = (now - datetime.timedelta(days=1), now + datetime.timedelta(days=30))

    def name(common_name: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "genai-hooks tests"),
            ]
        )

    def usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
        return x509.KeyUsage(
            digital_signature=sign,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Test Root CA"))
        .issuer_name(name("Test Root CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage(sign=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    signer = (
        x509.CertificateBuilder()
        .subject_name(name("Test Signer"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(sign=True, ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    chain = signer.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return chain, pem_key


def c2pa_sign(
    media: bytes,
    mime: str,
    *source_types: str,
    generator: str = "Adobe Firefly",
    padding: int = 0,
) -> bytes:
    """`media` with a signed C2PA manifest whose c2pa.actions name the digital source types.

    Offline: no timestamp authority, no thumbnail, no verification after signing.
    """
    c2pa: Any = importlib.import_module("c2pa")  # untyped bindings; ImportError when absent

    chain, key = signing_chain()
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(alg=b"es256", sign_cert=chain, private_key=key, ta_url=None)
    )
    assertions: list[dict[str, Any]] = [{"label": "c2pa.actions", "data": actions(*source_types)}]
    if padding:  # a large assertion: spreads a JPEG store over several APP11 segments
        assertions.insert(0, {"label": "org.example.padding", "data": {"pad": "x" * padding}})
    manifest = {
        "claim_generator_info": [{"name": generator, "version": "1.0"}],
        "title": "generated",
        "assertions": assertions,
    }
    settings = c2pa.Settings.from_dict(
        {"builder": {"thumbnail": {"enabled": False}}, "verify": {"verify_after_sign": False}}
    )
    out = io.BytesIO()
    with c2pa.Context(settings=settings) as context, c2pa.Builder(manifest, context) as builder:
        builder.sign(signer, mime, io.BytesIO(media), out)
    return out.getvalue()
