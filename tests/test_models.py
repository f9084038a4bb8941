"""Model weights recognised by content, and what they say about themselves (SPEC §10, "Models")."""

from __future__ import annotations

import json
import pickle
import struct

import pytest
from models_media import (
    FIXTURES,
    KOHYA,
    MODELSPEC,
    CountingSource,
    RunsCode,
    checkpoint_zip,
    gguf_bytes,
    onnx_bytes,
    raw_safetensors,
    safetensors_bytes,
    writer_model,
    zip_bytes,
)
from provenance_media import png_bytes

from genai_hooks.models import ModelFormat, ModelInspection, inspect_model, may_be_model
from genai_hooks.provenance import MAX_READ, BytesSource, FileSource


def inspect_bytes(name: str, data: bytes) -> ModelInspection | None:
    return inspect_model(name, BytesSource(data))


def inspect_fixture(name: str) -> ModelInspection | None:
    with FileSource(FIXTURES / name) as source:
        return inspect_model(name, source)


# --- safetensors ----------------------------------------------------------------------------


def test_kohya_lora_shows_output_name_base_model_and_dataset_folders_first() -> None:
    found = inspect_bytes("loras/lead.safetensors", safetensors_bytes(KOHYA))
    assert (
        found is not None and found.format is ModelFormat.SAFETENSORS and found.format.value == "safetensors"
    )
    assert found.uninspected is None
    assert found.details[:3] == (
        "output name: nightfall_lead_v3",
        "base model: sd_xl_base_1.0.safetensors",
        "base model version: sdxl_base_v1-0",
    )
    assert "dataset folders: 20_jane_doe (40 images), 10_set_stills (12 images)" in found.details
    assert "top training tags: jane doe (40), portrait (12), night (9), smiling (3)" in found.details
    assert "training comment: lead likeness for ep 104" in found.details
    assert "network: networks.lora (dim 32, alpha 16)" in found.details
    assert "training started: 2024-05-29 16:26 UTC" in found.details
    assert "trained for: 10 epochs, 2000 steps" in found.details
    assert "training images: 52" in found.details
    assert "tensors: 2 (F16)" in found.details
    assert (found.name, found.base_model) == ("nightfall_lead_v3", "sd_xl_base_1.0.safetensors")


def test_modelspec_keys_are_shown_and_the_thumbnail_is_not() -> None:
    found = inspect_bytes("a.safetensors", safetensors_bytes(MODELSPEC))
    assert found is not None
    assert found.details[:3] == (
        "title: Nightfall lead",
        "architecture: stable-diffusion-xl-v1-base/lora",
        "trigger phrase: jndoe woman",
    )
    assert "author: vfx-team" in found.details
    assert not any("data:image" in line or "thumbnail" in line for line in found.details)
    assert (found.name, found.base_model) == ("Nightfall lead", "stable-diffusion-xl-v1-base/lora")


def test_kohya_dataset_config_names_subset_folders_and_class_tokens() -> None:
    datasets = [
        {
            "is_dreambooth": True,
            "subsets": [
                {
                    "image_dir": "/mnt/train/20_jane_doe",
                    "img_count": 1,
                    "num_repeats": 20,
                    "class_tokens": "jndoe",
                },
                {"image_dir": "C:\\data\\style_refs", "img_count": 30, "class_tokens": None},
            ],
        }
    ]
    found = inspect_bytes("b.safetensors", safetensors_bytes({"ss_datasets": json.dumps(datasets)}))
    assert found is not None
    assert "dataset folders: 20_jane_doe (1 image), style_refs (30 images)" in found.details
    assert "class tokens: jndoe" in found.details


def test_unset_kohya_values_are_not_shown() -> None:
    found = inspect_bytes(
        "u.safetensors", safetensors_bytes({"ss_output_name": "None", "ss_sd_model_name": " "})
    )
    assert found is not None and found.details == ("tensors: 2 (F16)",)
    assert (found.name, found.base_model) == (None, None)


def test_other_writers_metadata_is_shown_short_and_named_when_long() -> None:
    metadata = {"format": "pt", "workflow": json.dumps({"nodes": list(range(100))})}
    found = inspect_bytes("c.safetensors", safetensors_bytes(metadata))
    assert found is not None
    assert "metadata format: pt" in found.details and "other metadata: workflow" in found.details


def test_safetensors_without_metadata_is_still_a_model() -> None:
    found = inspect_bytes("plain.sft", safetensors_bytes())
    assert found == ModelInspection(ModelFormat.SAFETENSORS, ("tensors: 2 (F16)",), None)


def test_safetensors_is_recognised_whatever_its_name() -> None:
    found = inspect_bytes("notes/readme.txt", safetensors_bytes(KOHYA))
    assert found is not None and found.details[0] == "output name: nightfall_lead_v3"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(png_bytes(), id="png"),
        pytest.param(b"just some notes about the lora we trained\n" * 4, id="text"),
        pytest.param(b"", id="empty"),
        pytest.param(struct.pack("<Q", 5) + b"hello", id="no-brace"),
    ],
)
def test_a_file_merely_named_safetensors_is_not_a_model(data: bytes) -> None:
    assert inspect_bytes("loras/fake.safetensors", data) is None


def test_a_brace_after_a_small_number_is_not_safetensors_without_the_name() -> None:
    data = struct.pack("<Q", 40) + b"{ not json at all, just bytes" + bytes(20)
    assert inspect_bytes("blob.dat", data) is None
    found = inspect_bytes("blob.safetensors", data)
    assert found is not None and found.uninspected == "the header is not valid JSON"


def test_header_past_the_budget_still_yields_metadata_written_first() -> None:
    tensors = {f"t{i:06d}": {"dtype": "F16", "shape": [0], "data_offsets": [0, 0]} for i in range(40_000)}
    header = json.dumps({"__metadata__": {"ss_output_name": "huge_header"}, **tensors}).encode()
    assert len(header) > MAX_READ
    source = CountingSource(BytesSource(raw_safetensors(header)))
    found = inspect_model("big.safetensors", source)
    assert found is not None and found.details == ("output name: huge_header",)
    assert (
        found.uninspected
        == f"the {len(header)}-byte header is past the 1 MiB read budget: tensor entries not read"
    )
    assert source.bytes_read <= MAX_READ


def test_header_past_the_budget_without_leading_metadata_is_uninspected() -> None:
    tensors = {f"t{i:06d}": {"dtype": "F16", "shape": [0], "data_offsets": [0, 0]} for i in range(40_000)}
    header = json.dumps({**tensors, "__metadata__": {"ss_output_name": "late"}}).encode()
    found = inspect_bytes("big.safetensors", raw_safetensors(header))
    assert found is not None and found.format is ModelFormat.SAFETENSORS
    assert found.uninspected == f"the {len(header)}-byte header is past the 1 MiB read budget"


def test_header_entries_that_are_not_tensors_are_reported() -> None:
    header = json.dumps({"a": {"dtype": "F16", "shape": [1], "data_offsets": [0, 2]}, "b": {"dtype": "X"}})
    found = inspect_bytes("odd.safetensors", raw_safetensors(header.encode(), data=bytes(2)))
    assert found is not None and found.uninspected == "1 of 2 header entries do not describe tensors"


# --- PyTorch ------------------------------------------------------------------------------


def test_torch_save_zip_checkpoint_names_its_archive_storages_and_imports() -> None:
    found = inspect_fixture("tiny_checkpoint.pt")
    assert found == ModelInspection(
        ModelFormat.PYTORCH,
        (
            "saved as: tiny_checkpoint",
            "tensor storages: 2",
            "pickle imports: collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch.FloatStorage",
        ),
        None,
        name="tiny_checkpoint",
    )


def test_torchscript_archive_says_it_carries_code() -> None:
    found = inspect_fixture("tiny_script.pt")
    assert found is not None and found.uninspected is None
    assert found.details[:3] == (
        "saved as: tiny_script",
        "TorchScript module (the archive carries code)",
        "extra files: about.txt",
    )


def test_legacy_torch_save_is_recognised_without_unpickling() -> None:
    found = inspect_fixture("tiny_legacy.pt")
    assert found is not None and found.format is ModelFormat.PYTORCH and found.uninspected is None
    assert found.details == (
        "legacy torch.save serialization (a pickle stream, not a zip)",
        "pickle imports: collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch.FloatStorage",
    )


def test_checkpoint_renamed_to_bin_is_recognised_by_content() -> None:
    data = (FIXTURES / "tiny_checkpoint.pt").read_bytes()
    found = inspect_bytes("text_encoder/pytorch_model.bin", data)
    assert found is not None and found.format is ModelFormat.PYTORCH


@pytest.mark.parametrize("name", ["weights.pt", "weights.ckpt", "weights.zip"])
def test_a_zip_without_data_pkl_is_not_a_model(name: str) -> None:
    data = zip_bytes([("archive/notes.txt", b"hi"), ("archive/data/0", bytes(8)), ("data.pkl.txt", b"")])
    assert inspect_bytes(name, data) is None


@pytest.mark.parametrize("protocol", [2, 4])
def test_a_pickle_that_runs_code_on_load_is_an_alarm(protocol: int) -> None:
    pickled = pickle.dumps({"state_dict": {}, "hook": RunsCode()}, protocol=protocol)
    found = inspect_bytes("evil.ckpt", checkpoint_zip(pickled))
    assert found is not None
    assert found.details[0] in (
        "pickle imports callables that run code on load: posix.system",
        "pickle imports callables that run code on load: nt.system",
    )


def test_compressed_data_pkl_is_not_decompressed() -> None:
    data = zip_bytes([("archive/data.pkl", pickle.dumps({"a": 1}, protocol=2) * 50)], compress=True)
    found = inspect_bytes("c.pt", data)
    assert found is not None and found.details[0] == "saved as: archive"
    assert found.uninspected == "data.pkl is compressed (torch.save stores it): its imports were not scanned"


# --- GGUF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("big_endian", [False, True])
def test_gguf_general_keys_are_shown(big_endian: bool) -> None:
    found = inspect_bytes("llm/writer.gguf", gguf_bytes(writer_model, big_endian=big_endian))
    assert found == ModelInspection(
        ModelFormat.GGUF,
        (
            "name: Nightfall Writer 7B",
            "basename: nightfall-writer",
            "architecture: llama",
            "base model: Llama 3.1 8B (Meta)",
            "datasets: season1_scripts",
            "author: writers room",
            "tags: screenplay, drama",
            "tensors: 1; 11 metadata keys (GGUF v3)",
        ),
        None,
        name="Nightfall Writer 7B",
        base_model="Llama 3.1 8B",
    )


def test_gguf_training_keys_are_shown() -> None:
    def build(writer: object) -> None:
        writer.add_string("training.dataset", "dailies_2026")  # type: ignore[attr-defined]
        writer.add_uint32("training.steps", 1200)  # type: ignore[attr-defined]

    found = inspect_bytes("a.gguf", gguf_bytes(build))
    assert found is not None
    assert "training.dataset: dailies_2026" in found.details and "training.steps: 1200" in found.details


def test_gguf_vocabulary_past_the_budget_keeps_the_keys_before_it() -> None:
    def build(writer: object) -> None:
        writer.add_name("big vocab")  # type: ignore[attr-defined]
        writer.add_token_list([f"token{i}" for i in range(120_000)])  # type: ignore[attr-defined]
        writer.add_author("after the vocabulary")  # type: ignore[attr-defined]

    source = CountingSource(BytesSource(gguf_bytes(build)))
    found = inspect_model("v.gguf", source)
    assert found is not None and found.details[0] == "name: big vocab"
    assert found.uninspected == "metadata continues past the 1 MiB read budget (2 of 4 keys read)"
    assert source.bytes_read <= MAX_READ


# --- ONNX ---------------------------------------------------------------------------------


def test_onnx_producer_metadata_and_description_are_shown() -> None:
    data = onnx_bytes(metadata={"name": "plate_upscaler", "trained_on": "archive footage"}, doc="upscaler")
    found = inspect_bytes("nets/upscale.onnx", data)
    assert found is not None and found.format is ModelFormat.ONNX and found.uninspected is None
    assert found.details[:4] == (
        "producer: pytorch 2.13.0",
        "metadata name: plate_upscaler",
        "metadata trained_on: archive footage",
        "description: upscaler",
    )
    assert found.name == "plate_upscaler"


def test_onnx_metadata_after_a_large_graph_is_reached_without_reading_the_weights() -> None:
    data = onnx_bytes(metadata={"license": "studio only"}, weights=1_000_000)
    source = CountingSource(BytesSource(data))
    found = inspect_model("big.onnx", source)
    assert found is not None and "metadata license: studio only" in found.details
    assert len(data) > 3 * MAX_READ and source.bytes_read < 200_000


def test_onnx_is_recognised_by_content_and_other_protobuf_is_not() -> None:
    assert inspect_bytes("model.bin", onnx_bytes()) is not None
    not_a_model = b"\x08\x03\x12\x04abcd"  # a protobuf message with no graph
    assert inspect_bytes("x.bin", not_a_model) is None


# --- the extension pre-filter ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a/lora.safetensors", True),
        ("A/LORA.SAFETENSORS", True),
        ("m.sft", True),
        ("m.ckpt", True),
        ("m.pt", True),
        ("m.pth", True),
        ("text_encoder/pytorch_model.bin", True),
        ("m.gguf", True),
        ("m.onnx", True),
        ("m.png", False),
        ("safetensors", False),
        ("m.safetensors.txt", False),
    ],
)
def test_may_be_model_filters_by_extension(name: str, expected: bool) -> None:
    assert may_be_model(name) is expected
