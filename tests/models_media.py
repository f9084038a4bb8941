"""Model files for the tests, made with the real writers (safetensors, gguf, onnx) or by hand where hostile."""

from __future__ import annotations

import io
import json
import pickle
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any

import gguf
import numpy as np
import onnx
from onnx import TensorProto, helper
from provenance_media import CountingSource
from safetensors.numpy import save

__all__ = ["CountingSource"]

FIXTURES = Path(__file__).parent / "data" / "models"

KOHYA = {
    "ss_output_name": "nightfall_lead_v3",
    "ss_sd_model_name": "sd_xl_base_1.0.safetensors",
    "ss_base_model_version": "sdxl_base_v1-0",
    "ss_network_module": "networks.lora",
    "ss_network_dim": "32",
    "ss_network_alpha": "16",
    "ss_dataset_dirs": json.dumps(
        {
            "20_jane_doe": {"n_repeats": 20, "img_count": 40},
            "10_set_stills": {"n_repeats": 10, "img_count": 12},
        }
    ),
    "ss_tag_frequency": json.dumps(
        {"20_jane_doe": {"jane doe": 40, "portrait": 12, "smiling": 3}, "10_set_stills": {"night": 9}}
    ),
    "ss_training_comment": "lead likeness for ep 104",
    "ss_training_started_at": "1717000000.5",
    "ss_epoch": "10",
    "ss_steps": "2000",
    "ss_num_train_images": "52",
}
MODELSPEC = {
    "modelspec.sai_model_spec": "1.0.0",
    "modelspec.title": "Nightfall lead",
    "modelspec.architecture": "stable-diffusion-xl-v1-base/lora",
    "modelspec.author": "vfx-team",
    "modelspec.trigger_phrase": "jndoe woman",
    "modelspec.thumbnail": "data:image/png;base64," + "A" * 4000,
}


def lora_weights() -> dict[str, np.ndarray]:
    return {
        "lora_unet_down.lora_up.weight": np.ones((4, 2), np.float16),
        "lora_unet_down.lora_down.weight": np.zeros((2, 4), np.float16),
    }


def safetensors_bytes(
    metadata: dict[str, str] | None = None, tensors: dict[str, np.ndarray] | None = None
) -> bytes:
    """A real safetensors file, written by the safetensors library."""
    return save(lora_weights() if tensors is None else tensors, metadata=metadata)


def raw_safetensors(header: bytes, length: int | None = None, data: bytes = b"") -> bytes:
    """A safetensors layout by hand: any length field, any header bytes."""
    return struct.pack("<Q", len(header) if length is None else length) + header + data


def gguf_bytes(
    build: Any = None, *, big_endian: bool = False, arch: str = "llama", tensor: bool = True
) -> bytes:
    """A real GGUF file written by gguf.GGUFWriter; `build(writer)` adds the key/values."""
    endian = gguf.GGUFEndian.BIG if big_endian else gguf.GGUFEndian.LITTLE
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.gguf"
        writer = gguf.GGUFWriter(str(path), arch, endianess=endian)
        if build is not None:
            build(writer)
        if tensor:
            writer.add_tensor("blk.0.weight", np.ones((2, 2), np.float32))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        return path.read_bytes()


def writer_model(writer: gguf.GGUFWriter) -> None:
    writer.add_name("Nightfall Writer 7B")
    writer.add_basename("nightfall-writer")
    writer.add_base_model_count(1)
    writer.add_base_model_name(0, "Llama 3.1 8B")
    writer.add_base_model_organization(0, "Meta")
    writer.add_dataset_count(1)
    writer.add_dataset_name(0, "season1_scripts")
    writer.add_tags(["screenplay", "drama"])
    writer.add_author("writers room")
    writer.add_token_list(["<s>", "</s>", "night", "fall"])


def gguf_raw(version: int, tensors: int, pairs: int, body: bytes = b"") -> bytes:
    count = "<I" if version == 1 else "<Q"
    return (
        b"GGUF" + struct.pack("<I", version) + struct.pack(count, tensors) + struct.pack(count, pairs) + body
    )


def gguf_string(text: bytes, length: int | None = None) -> bytes:
    return struct.pack("<Q", len(text) if length is None else length) + text


def onnx_bytes(
    *, metadata: dict[str, str] | None = None, weights: int = 0, doc: str = "", producer: str = "pytorch"
) -> bytes:
    """A real ONNX model (onnx.helper + onnx.save); `weights` floats of initializer make the graph big."""
    node = helper.make_node("Add", ["x", "w"], ["y"])
    initializer = [
        helper.make_tensor("w", TensorProto.FLOAT, [max(1, weights)], np.zeros(max(1, weights), np.float32))
    ]
    graph = helper.make_graph(
        [node],
        "upscaler",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [max(1, weights)])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [max(1, weights)])],
        initializer,
    )
    model = helper.make_model(graph, producer_name=producer, producer_version="2.13.0", doc_string=doc)
    if metadata:
        helper.set_model_props(model, metadata)
    out = io.BytesIO()
    onnx.save(model, out)
    return out.getvalue()


def zip_bytes(members: list[tuple[str, bytes]], *, compress: bool = False) -> bytes:
    """A zip written by zipfile; names are kept as given (`../x` included)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            archive.writestr(info, data)
    return out.getvalue()


def checkpoint_zip(pickled: bytes | None = None, *, extra: list[tuple[str, bytes]] | None = None) -> bytes:
    """A torch.save-shaped zip: archive/data.pkl, archive/data/0, archive/version."""
    pickled = pickle.dumps({"step": 1}, protocol=2) if pickled is None else pickled
    return zip_bytes(
        [
            ("archive/data.pkl", pickled),
            ("archive/data/0", bytes(16)),
            ("archive/version", b"3\n"),
            *(extra or []),
        ]
    )


class RunsCode:
    """Pickles as a call of os.system: pickled here, never unpickled anywhere."""

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        import os

        return os.system, ("echo owned",)


def deflate_bomb(megabytes: int) -> bytes:
    """A zip member's raw deflate stream of `megabytes` MiB of zeros (about 1 KiB per MiB)."""
    engine = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    return b"".join(engine.compress(chunk) for _ in range(megabytes)) + engine.flush()


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from (name, raw member data, method, claimed size): nothing is inflated to write it."""
    body, directory = bytearray(), bytearray()
    for name, raw, method, size in members:
        encoded = name.encode()
        fields = struct.pack("<HHHHHIIIHH", 20, 0x800, method, 0, 0, 0, len(raw), size, len(encoded), 0)
        directory += (
            b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(body))
        )
        directory += encoded
        body += b"PK\x03\x04" + fields + encoded + raw
    end = struct.pack(
        "<4s4H2IH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    return bytes(body + directory + end)


def patch_central_sizes(
    data: bytes, name: bytes, *, size: int | None = None, offset: int | None = None
) -> bytes:
    """Rewrite a member's uncompressed size or local header offset in the central directory."""
    buffer = bytearray(data)
    entry = buffer.rfind(b"PK\x01\x02", 0, buffer.rfind(name))
    if size is not None:
        buffer[entry + 24 : entry + 28] = struct.pack("<I", size)
    if offset is not None:
        buffer[entry + 42 : entry + 46] = struct.pack("<I", offset)
    return bytes(buffer)


def patch_end_record(
    data: bytes, *, entries: int | None = None, cd_size: int | None = None, cd_offset: int | None = None
) -> bytes:
    buffer = bytearray(data)
    end = buffer.rfind(b"PK\x05\x06")
    if entries is not None:
        buffer[end + 8 : end + 12] = struct.pack("<2H", entries, entries)
    if cd_size is not None:
        buffer[end + 12 : end + 16] = struct.pack("<I", cd_size)
    if cd_offset is not None:
        buffer[end + 16 : end + 20] = struct.pack("<I", cd_offset)
    return bytes(buffer)
