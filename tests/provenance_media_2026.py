"""Builders of media with the 2025-2026 provenance vocabulary (SPEC §16): C2PA 2.x manifests signed
by c2pa-python (ingredients, `c2pa.ai-disclosure`, `cawg.training-mining`) and XMP packets with the
IPTC 2025.1 AI properties and PLUS `plus:DataMining`, written into images by Pillow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PIL import PngImagePlugin
from provenance_media import (
    box,
    id3_frame,
    id3_tag,
    jpeg_bytes,
    jumbf_superbox,
    mp3_bytes,
    mp4_bytes,
    png_bytes,
    png_chunk,
    png_insert_before_iend,
    psd_bytes,
    psd_resource,
    riff_chunk,
    tiff_bytes,
    wav_bytes,
    webp_bytes,
)
from provenance_media_formats import c2pa_sign_manifest

C2PA_NS = "http://c2pa.org/digitalsourcetype/"
PLUS_VOCAB = "http://ns.useplus.org/ldf/vocab/"


def sign_manifest(
    media: bytes,
    mime: str,
    assertions: Sequence[dict[str, Any]],
    *,
    ingredients: Sequence[dict[str, Any]] = (),
    generator: str = "SceneGen",
) -> bytes:
    """`media` with a C2PA manifest signed by c2pa-python: the given assertions, and each ingredient
    definition added from a small PNG of its own (so c2pa-rs writes a `c2pa.ingredient.v3`)."""
    manifest = {
        "claim_generator_info": [{"name": generator, "version": "2.0"}],
        "title": "shot",
        "assertions": list(assertions),
    }
    return c2pa_sign_manifest(media, mime, manifest, ingredients=ingredients)


def png_with_store(store: bytes) -> bytes:
    """A PNG carrying a C2PA manifest store in its caBX chunk, after the pixel data."""
    return png_insert_before_iend(png_bytes(), png_chunk(b"caBX", store))


def png_with_raw_assertion(label: str, content: bytes, box_type: bytes = b"cbor") -> bytes:
    """A PNG whose store holds one manifest with one assertion of the given raw content (content
    no encoder would write: undecodable, nested past the decoder's cap)."""
    assertion = jumbf_superbox(box_type, label, [box(box_type, content)])
    manifest = jumbf_superbox(
        b"c2ma", "urn:c2pa:1", [jumbf_superbox(b"c2as", "c2pa.assertions", [assertion])]
    )
    return png_with_store(jumbf_superbox(b"c2pa", "c2pa", [manifest]))


def created(source_type: str) -> dict[str, Any]:
    """A `c2pa.actions.v2` assertion: one c2pa.created action with the digital source type."""
    return {
        "label": "c2pa.actions.v2",
        "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": source_type}]},
    }


def xmp_2026(attributes: dict[str, str] | None = None, elements: str = "") -> bytes:
    """An XMP packet declaring the IPTC Extension and PLUS namespaces, with the given properties
    (qualified name -> value as attributes; raw element text as elements)."""
    attrs = "".join(f' {name}="{value}"' for name, value in (attributes or {}).items())
    body = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 6.0.0">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"\n'
        '    xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        f"{attrs}>{elements}</rdf:Description>\n"
        " </rdf:RDF>\n</x:xmpmeta>\n" + " " * 100 + '\n<?xpacket end="w"?>'
    )
    return body.encode("utf-8")


# Every container whose XMP is read, and how its writer stores a packet.
XMP_CONTAINERS = ("jpg", "png", "tif", "webp", "wav", "mp4", "psd", "mp3", "xmp")


def with_xmp(extension: str, packet: bytes) -> bytes:
    """A small file of the given kind carrying the packet where its writers put XMP (Pillow for the
    images; the others assembled as their specifications lay them out)."""
    if extension == "jpg":
        return jpeg_bytes(xmp=packet)
    if extension == "png":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", packet.decode("utf-8"))
        return png_bytes(info)
    if extension == "tif":
        return tiff_bytes({700: packet})
    if extension == "webp":
        return webp_bytes(xmp=packet)
    if extension == "wav":
        return wav_bytes(before=[riff_chunk(b"_PMX", packet)])
    if extension == "mp4":
        return mp4_bytes(udta=[box(b"XMP_", packet)])
    if extension == "psd":
        return psd_bytes(psd_resource(1060, packet))
    if extension == "mp3":
        return mp3_bytes(id3_tag(id3_frame("PRIV", b"XMP\x00" + packet)))
    if extension == "xmp":
        return packet
    raise ValueError(extension)
